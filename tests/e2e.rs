//! The real window, driven from outside: the app under WebDriver
//! (`tauri-driver` in front of WebKitWebDriver), on a virtual display.
//!
//! Needs `tauri-driver` (cargo install tauri-driver --locked), WebKitWebDriver
//! (Debian's webkit2gtk-driver) and a display; `.ci/test` provides all three.
//! Where one is missing the test says so and passes, except under CI
//! (`CI` set), where a skipped window test is a failure.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod support {
    pub mod webdriver;
}
use support::webdriver::{free_port, skip_or_fail, Http, Session, ELEMENT};

/// Why the window cannot be tested here, if it cannot.
fn missing_prerequisite() -> Option<String> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Some("no display (run under Xvfb, as .ci/test does)".into());
    }
    if Command::new("tauri-driver").arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Some("tauri-driver is not installed (cargo install tauri-driver --locked)".into());
    }
    if !Path::new("/usr/bin/WebKitWebDriver").exists() {
        return Some("WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)".into());
    }
    None
}

/// The window tests share one display: one at a time.
static DISPLAY_IN_USE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The app's window under WebDriver, with the display to itself; dropping
/// it ends the session, then the driver, then frees the display.
struct Window {
    session: Session,
    _driver: Driver,
    _display: std::sync::MutexGuard<'static, ()>,
}

impl std::ops::Deref for Window {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

/// Opens the app with `args` (its store empty, in a folder of its own);
/// `None` where the window cannot be tested here.
fn open_window(name: &str, args: &[&str]) -> Option<Window> {
    open_window_on(name, args, |_| {})
}

/// `open_window` on a store that `prepare` set up (given its path) before the app starts.
fn open_window_on(name: &str, args: &[&str], prepare: impl FnOnce(&Path)) -> Option<Window> {
    if skip_or_fail("the window tests", missing_prerequisite()) {
        return None;
    }
    let display = DISPLAY_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
    let driver = Driver::start(name, free_port(), free_port());
    prepare(&driver.dir.join("dertien.db"));
    let session = driver.session(args);
    Some(Window { session, _driver: driver, _display: display })
}

/// tauri-driver for one test, with the app's store in a folder of its own.
struct Driver {
    process: Child,
    http: Http,
    dir: PathBuf,
}

impl Driver {
    fn start(name: &str, port: u16, native_port: u16) -> Driver {
        let dir = std::env::temp_dir().join(format!("dertien-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let process = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DERTIEN_DB", dir.join("dertien.db"))
            .env("GSETTINGS_BACKEND", "memory")
            .env("LANG", "en_US.UTF-8")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("driver.log")).map_or_else(|_| Stdio::null(), Stdio::from))
            .spawn()
            .expect("tauri-driver starts");
        let driver = Driver { process, http: Http::new(port), dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn session(&self, args: &[&str]) -> Session {
        // DERTIEN_APP: an installed build instead (the bundle check of .ci/bundle).
        let application = std::env::var_os("DERTIEN_APP").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dertien")), PathBuf::from);
        let capabilities = json!({"capabilities": {"alwaysMatch": {"tauri:options": {
            "application": application, "args": args,
        }}}});
        Session::start(self.http.clone(), &capabilities)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver too.
        let _ = Command::new("kill").args(["-TERM", &self.process.id().to_string()]).status();
        let _ = self.process.wait();
        if std::thread::panicking() {
            // What the driver and the app said goes with the failure.
            eprintln!("{}", std::fs::read_to_string(self.dir.join("driver.log")).unwrap_or_default());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the window tests read off the page.
impl Session {
    /// The headline's five figures, once the first is `first` (thousands separators dropped).
    fn headline_when(&self, first: u64) -> Vec<u64> {
        let figures = self.texts_when("#headline strong", |t| t.len() == 5 && number(&t[0]) == first);
        assert_eq!(figures.len(), 5, "{figures:?}");
        figures.iter().map(|f| number(f)).collect()
    }
}

/// The demo's three reports (their truth files): active leads, sold, passive.
const DEMO_ACTIVE: u64 = 5755 + 2400 + 5768;
const DEMO_SOLD: u64 = 679 + 293 + 647;
const DEMO_PASSIVE: u64 = 245 + 100 + 232;
const DEMO_IMPORTS: usize = 3;

/// A figure as shown ("8,155", "12.3%") as a number (8155, 123).
fn number(text: &str) -> u64 {
    text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(u64::MAX)
}

fn data(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(file).to_string_lossy().into_owned()
}

fn truth(sample: &str) -> Value {
    let text = std::fs::read_to_string(data(&format!("samples/{sample}.truth.json"))).expect("truth file");
    serde_json::from_str(&text).expect("truth JSON")
}

#[test]
fn a_report_given_on_the_command_line_is_previewed_imported_filtered_and_removed() {
    let Some(window) = open_window("sample", &[data("samples/leads_q3_2023.xlsx").as_str()]) else { return };
    let truth = truth("leads_q3_2023");
    // The preview: the file, its sheet and header row, each column's role and first values.
    let facts = window.texts_when("#preview-files .facts", |t| !t.is_empty());
    assert_eq!(facts, ["Excel workbook (.xlsx) · sheet Leads · header on row 1"]);
    let role_of = |header: &str| {
        let code = format!(
            "const row = Array.from(document.querySelectorAll('#preview-files tbody tr')).find(r => r.cells[0].innerText === {});
             return row ? row.querySelector('select').value : null",
            json!(header)
        );
        window.script(&code)
    };
    assert_eq!(role_of("Lead ID"), json!("lead_id"));
    assert_eq!(role_of("Created"), json!("created"));
    let samples = window.texts("#preview-files tbody tr:first-child td.samples");
    assert_eq!(samples, ["L2023700000 · L2023700001 · L2023700002"]);
    assert_eq!(window.texts("#imports tbody tr").len(), 0, "nothing is stored before the go");

    window.click("#preview-import");
    let headline = window.headline_when(truth["active_leads"].as_u64().expect("truth"));
    assert_eq!(headline[1], truth["active_sold"].as_u64().expect("truth"));
    assert_eq!(headline[4], truth["passive_leads"].as_u64().expect("truth"));
    let report = window.texts_when("#import-results > li", |t| !t.is_empty());
    assert!(
        report[0].starts_with("leads_q3_2023.xlsx: 6,000 rows read → 6,000 leads (6,000 new, 0 updated, 0 unchanged), 245 passive"),
        "{report:?}"
    );
    let agent_tab = "return document.querySelector(\"#dimensions button[data-view='agent']\").hidden";
    assert_eq!(window.script(agent_tab), json!(true), "no agent view: this report names no agents");
    let path = window.texts("#count-path");
    assert!(path[0].starts_with("6,000 rows read → 6,000 unique leads → 6,000 in this view → 5,755 active leads"), "{path:?}");

    // The table: every source's leads and sold as in the truth file.
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 8);
    for (source, figures) in truth["by_source"].as_object().expect("sources") {
        let row = rows.iter().find(|r| r.starts_with(source.as_str())).unwrap_or_else(|| panic!("{source} in {rows:?}"));
        let cells: Vec<&str> = row.split('\t').collect();
        assert_eq!(number(cells[1]), figures["leads"].as_u64().expect("leads"), "{row}");
        assert_eq!(number(cells[2]), figures["sold"].as_u64().expect("sold"), "{row}");
    }

    // A filter: one branch, then one source within it (ids come from the lists).
    let option = |select: &str, name: &str| {
        let code = format!(
            "const o = Array.from(document.querySelectorAll('#{select} option')).find(o => o.textContent === {}); return o ? o.value : null",
            json!(name)
        );
        window.script(&code).as_str().unwrap_or_else(|| panic!("{name} in #{select}")).to_string()
    };
    window.set("#filter-branch", &option("filter-branch", "Delft"));
    let headline = window.headline_when(truth["by_branch"]["Delft"]["leads"].as_u64().expect("truth"));
    assert_eq!(headline[1], truth["by_branch"]["Delft"]["sold"].as_u64().expect("truth"));
    window.set("#filter-branch", "");
    window.set("#filter-source", &option("filter-source", "Facebook Lead Ads"));
    let facebook = &truth["by_source"]["Facebook Lead Ads"];
    let headline = window.headline_when(facebook["leads"].as_u64().expect("truth"));
    assert_eq!(headline[1], facebook["sold"].as_u64().expect("truth"));
    let gap = window.texts("#headline span")[3].clone();
    assert_eq!(gap, "more sales needed for 13%", "{gap}");
    window.set("#filter-source", &option("filter-source", "Showroom"));
    window.headline_when(truth["by_source"]["Showroom"]["leads"].as_u64().expect("truth"));
    assert_eq!(window.texts("#headline span")[3], "the norm of 13% is met", "Showroom sells 27%: no sales short");
    window.set("#filter-source", &option("filter-source", "Facebook Lead Ads"));
    window.headline_when(facebook["leads"].as_u64().expect("truth"));
    window.click("#dimensions button[data-view='salesperson']");
    let people = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Unassigned")));
    let last = window.script("const rows = document.querySelectorAll('#groups tbody tr'); const r = rows[rows.length - 1]; return [r.cells[0].innerText, r.classList.contains('apart'), r.querySelector('.verdict').innerText]");
    assert_eq!(last, json!(["Unassigned", true, "–"]), "the unassigned leads last, apart, not judged");
    let sum: u64 = people.iter().map(|r| number(r.split('\t').nth(1).unwrap_or_default())).sum();
    assert_eq!(sum, facebook["leads"].as_u64().expect("truth"), "the salespeople within Facebook: {people:?}");
    window.set("#filter-source", "");

    // The norm: the gap follows.
    window.set("#norm", "15");
    let active = truth["active_leads"].as_u64().expect("truth");
    let gap = (0.15 * active as f64).ceil() as u64 - truth["active_sold"].as_u64().expect("truth");
    let headline = window.texts_when("#headline strong", |t| t.get(3).map(|g| number(g)) == Some(gap));
    assert_eq!(number(&headline[3]), gap, "{headline:?}");

    // Removing the import takes every figure with it.
    let remove = "button[aria-label*='leads_q3_2023']";
    window.click(remove);
    window.click(remove);
    assert!(window.until("return !document.getElementById('welcome').hidden"), "the empty store's welcome");
    assert!(window.until("return document.getElementById('dashboard').hidden"), "no dashboard without leads");
    assert_eq!(window.texts("#imports tbody tr").len(), 0);
}

#[test]
fn a_file_without_a_known_outcome_column_is_mended_in_the_preview() {
    let Some(window) = open_window("mend", &[data("fixtures/unnamed_outcome.csv").as_str()]) else { return };
    let problem = window.texts_when("#preview-files .problem", |t| !t.is_empty());
    assert!(problem[0].starts_with("Choose which column holds the outcome"), "{problem:?}");
    assert_eq!(window.script("return document.getElementById('preview-import').disabled"), json!(true));
    window.set("select[aria-label='Role: Afloop']", "status");
    window.set("select[aria-label='Role: Bron']", "");
    assert_eq!(window.script("return document.getElementById('preview-import').disabled"), json!(false));
    window.click("#preview-import");
    let headline = window.headline_when(4);
    assert_eq!(headline[1], 2, "Verkocht twice: {headline:?}");
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 1);
    assert!(rows[0].starts_with("Unknown"), "the source column was set not to be used: {rows:?}");
}

#[test]
fn the_demo_opens_with_the_samples_figures_and_every_view() {
    let Some(window) = open_window("demo", &["--demo"]) else { return };
    // Headline: the three demo reports' active leads and sales (their truth files).
    let headline = window.headline_when(DEMO_ACTIVE);
    assert_eq!(headline[1], DEMO_SOLD);
    assert_eq!(headline[4], DEMO_PASSIVE, "passive leads apart");
    assert_eq!(window.texts("#demo-badge"), ["Demo data"]);
    let agent_tab = "return document.querySelector(\"#dimensions button[data-view='agent']\").hidden";
    assert_eq!(window.script(agent_tab), json!(false), "the agent view: the demo's call-centre report names agents");
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 8);
    assert!(rows[0].starts_with("Showroom"), "best source first: {rows:?}");
    for view in ["why", "salesperson", "volume", "branch", "agent", "month", "response", "phone", "matrix", "source"] {
        window.script("document.getElementById('chart').removeAttribute('src'); return true");
        window.click(&format!("#dimensions button[data-view='{view}']"));
        let drawn = "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
        assert!(window.until(drawn), "the {view} chart arrives as an SVG blob");
        assert_eq!(window.script("return document.body.dataset.view"), json!(view));
        if view == "matrix" {
            // Its table: rate, sold and leads in each cell.
            let cells = window.texts_when("#matrix-table tbody td:not(:first-child)", |t| !t.is_empty());
            assert!(cells.iter().any(|c| c.contains(" · ") && c.contains('/')), "{cells:?}");
        }
    }
    // Compared with the previous period: the quarter before Q3 had no leads.
    window.set("#period", "custom");
    window.set("#from", "2023-07");
    window.set("#to", "2023-09");
    window.set("#compare", "previous");
    let compared = window.texts_when("#compared", |t| t.first().is_some_and(|c| c.contains("April 2023")));
    assert!(compared[0].starts_with("Compared period 1 April 2023 – 30 June 2023: 0.0%"), "{compared:?}");
    // The history's times in the window's language too ("1 Dec 2026, 23:05").
    let imported = window.texts("#imports tbody td:nth-child(2)");
    assert!(imported.iter().all(|t| t.split(' ').nth(1).is_some_and(|m| m.len() == 3) && t.contains(':')), "{imported:?}");
    assert_eq!(window.texts("#groups thead th.compare-column").len(), 2, "the table shows the comparison");
    assert_eq!(window.headline_when(5755)[1], 679, "Q3 is the English report alone");
    assert_eq!(window.texts("#imports tbody tr").len(), DEMO_IMPORTS);
}

#[test]
fn status_values_the_words_do_not_know_are_named_in_the_preview_and_the_figures_follow() {
    let Some(window) = open_window("status-words", &[data("fixtures/crm/dynamics_leads.csv").as_str()]) else { return };
    let said = window.texts_when("#preview-files section.status-values p", |t| !t.is_empty());
    assert!(said[0].starts_with("2 values are no sold, lost or open word"), "{said:?}");
    let unknown = window.texts("#preview-files table.status-values tr.unknown td:first-child");
    assert_eq!(unknown, ["Disqualified", "Qualified"], "Open is a known word");
    window.set("select[aria-label='Counts as: Qualified']", "sold");
    window.set("select[aria-label='Counts as: Disqualified']", "lost");
    window.click("#preview-import");
    let headline = window.headline_when(15);
    assert_eq!(headline[1], 5, "the five Qualified leads count as sold: {headline:?}");
    window.click("#open-settings");
    assert!(
        window.until("return document.getElementById('sold-words').value.split('\\n').includes('Qualified')"),
        "kept as a sold word for the next import"
    );
}

/// W3C WebDriver key values.
const F5: &str = "\u{E035}";
const RIGHT: &str = "\u{E014}";
const LEFT: &str = "\u{E012}";
const END: &str = "\u{E010}";
const ESCAPE: &str = "\u{E00C}";

#[test]
fn present_shows_the_scope_as_a_deck_the_keyboard_moves_through() {
    let Some(window) = open_window("present", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    let shown = "return getComputedStyle(document.getElementById('present')).display";
    assert_eq!(window.script(shown), serde_json::json!("none"), "no deck before it is asked for");
    window.press(&[F5]);
    assert!(window.until("return !document.getElementById('present').hidden"), "F5 opens the deck");
    assert_eq!(window.script(shown), serde_json::json!("flex"), "the deck fills the window");
    let page = || window.texts("#present-page")[0].clone();
    let title = window.texts_when("#present-title", |t| t.first().is_some_and(|t| !t.is_empty()));
    assert_eq!(title, ["Lead conversion against the norm"]);
    let pages = page();
    assert!(pages.starts_with("1 / "), "{pages}");
    let total: usize = pages.trim_start_matches("1 / ").parse().expect("N slides");
    assert_eq!(total, 11, "title, headline, source, why, salesperson, matrix, response, month, branch, agent, volume: {pages}");
    let footer = window.texts("#present-footer")[0].clone();
    assert!(footer.contains("Data as of"), "the footer says how old the data is: {footer}");
    assert!(footer.starts_with("All branches, sources and salespeople · "), "and the scope: {footer}");
    assert!(footer.ends_with("1 / 11"), "and the page: {footer}");

    window.press(&[RIGHT]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("2 / ")));
    assert!(window.texts("#present-body")[0].contains("active leads"), "the headline slide");
    window.press(&[RIGHT]);
    assert!(window.until("const i = document.getElementById('present-chart'); return !i.hidden && i.complete && i.naturalWidth > 0"));
    assert_eq!(window.texts("#present-title"), ["Source"]);
    // The chart is drawn for the slide's own pixels, not scaled from the window's chart.
    let sizes = window.script(
        "const i = document.getElementById('present-chart'), a = document.getElementById('present-area'), r = window.devicePixelRatio || 1;
         return [i.naturalWidth, Math.round(a.clientWidth * r), i.naturalHeight, Math.round(a.clientHeight * r)]",
    );
    assert_eq!(sizes[0], sizes[1], "{sizes}");
    assert_eq!(sizes[2], sizes[3], "{sizes}");
    assert!(chart_has_text(&window, "#present-chart"), "the slide's chart shows its labels");

    window.press(&["5"]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("5 / ")));
    assert_eq!(window.texts("#present-title"), ["Salesperson"], "a number jumps");
    window.press(&[LEFT]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("4 / ")));
    window.press(&[END]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p == "11 / 11"));
    assert_eq!(window.texts("#present-title"), ["Volume"]);
    assert!(window.until("const i = document.getElementById('present-chart'); return !i.hidden && i.complete && i.naturalWidth > 0"));
    window.press(&[ESCAPE]);
    assert!(window.until("return document.getElementById('present').hidden"), "Esc leaves");
    assert_eq!(window.script(shown), serde_json::json!("none"), "and the dashboard is seen again");

    // Anonymous: no salesperson's name on the slide, in its text or its chart's bytes.
    let people = window.script(
        "return Array.from(document.querySelectorAll('#filter-salesperson option')).map(o => o.value === '' ? null : o.textContent).filter(Boolean)",
    );
    let people: Vec<String> = people.as_array().into_iter().flatten().filter_map(|p| p.as_str().map(str::to_string)).collect();
    assert!(people.len() >= 5, "{people:?}");
    window.script("document.getElementById('present-anonymous').checked = true; return true");
    window.press(&[F5]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("1 / ")));
    window.press(&["5"]);
    let title = window.texts_when("#present-title", |t| t.first().is_some_and(|p| p == "Salesperson"));
    assert_eq!(title, ["Salesperson"]);
    assert!(window.until("const i = document.getElementById('present-chart'); return !i.hidden && i.complete && i.naturalWidth > 0"));
    // The page may not fetch the slide's blob (the CSP's connect-src): the test asks the same command the deck asked.
    let slide = command_json(
        &window,
        "slide",
        "{query: {by: 'salesperson', from: null, to: null, branch: null, source: null, salesperson: null, compare: null},
          size: {width: 1600, height: 900, theme: 'dark', anonymize: true, spotlight: 2}, lang: 'en'}",
    );
    let svg = slide["svg"].as_str().unwrap_or_default();
    let seen = window.script("return document.getElementById('present').innerText + document.getElementById('present-chart').alt");
    assert!(svg.contains("Salesperson A"), "letters instead");
    for person in &people {
        assert!(!svg.contains(person.as_str()), "{person} in the slide's SVG");
        assert!(!seen.as_str().unwrap_or_default().contains(person.as_str()), "{person} on the slide");
    }
    window.press(&[ESCAPE]);
}

const DOWN: &str = "\u{E015}";

#[test]
fn down_and_a_click_spotlight_one_bar_and_esc_takes_the_spotlight_away_first() {
    let Some(window) = open_window("spotlight", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    window.press(&[F5]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("1 / ")));
    assert!(window.texts("#present-body")[0].contains("spotlight"), "the title slide says the keys");
    window.press(&["5"]);
    window.texts_when("#present-title", |t| t.first().is_some_and(|p| p == "Verkoper"));
    let shown = |spot: &str| {
        let code = format!(
            "const i = document.getElementById('present-chart'); return !i.hidden && i.complete && i.naturalWidth > 0 && i.dataset.spotlight === {}",
            json!(spot)
        );
        assert!(window.until(&code), "the slide drawn with spotlight '{spot}'");
        std::thread::sleep(Duration::from_millis(300));
        element_pixels(&window, "#present-chart")
    };
    let before = shown("");
    // The rows as the slide's chart has them (the same command, the same size).
    let size = window.script("const i = document.getElementById('present-chart'); return [i.naturalWidth, i.naturalHeight]");
    let slide = command_json(
        &window,
        "slide",
        &format!(
            "{{query: {{by: 'salesperson', from: null, to: null, branch: null, source: null, salesperson: null, compare: null}},
              size: {{width: {}, height: {}, theme: 'dark', anonymize: false, spotlight: null}}, lang: 'en'}}",
            size[0], size[1]
        ),
    );
    let rows: Vec<[f64; 4]> = slide["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let v = |i: usize| r[i].as_f64().unwrap_or(0.0);
            [
                v(0) / size[0].as_f64().unwrap_or(1.0),
                v(1) / size[1].as_f64().unwrap_or(1.0),
                v(2) / size[0].as_f64().unwrap_or(1.0),
                v(3) / size[1].as_f64().unwrap_or(1.0),
            ]
        })
        .collect();
    assert!(rows.len() >= 5, "a row per bar: {rows:?}");
    // The dark theme's verdict colours (charts::Theme::DARK: above, below,
    // too few to tell), full strength.
    let verdict = |p: &[u8; 3]| {
        [[0x60, 0xa5, 0xfa], [0xfb, 0x92, 0x3c], [0xa8, 0xa2, 0x9e]].iter().any(|c| p.iter().zip(c).all(|(a, b)| a.abs_diff(*b) < 24))
    };
    for (i, row) in rows.iter().take(5).enumerate() {
        assert!(count_in(&before, *row, verdict) > 200, "row {i}: its bar in its colour before");
    }

    window.press(&[DOWN]);
    let first = shown("0");
    assert!(count_in(&first, rows[0], verdict) > 200, "the first bar in the spotlight keeps its colour");
    for (i, row) in rows.iter().enumerate().skip(1).take(4) {
        // Faded: no more than a few edge pixels near a verdict's colour (the grey of "too few to tell").
        assert!(count_in(&first, *row, verdict) < 50, "row {i}: faded");
    }
    let light = |p: &[u8; 3]| p.iter().all(|c| *c > 0xe0);
    assert!(count_in(&first, rows[0], light) > count_in(&first, rows[1], light) + 200, "its name and figures stay light, the others' fade");
    window.press(&[DOWN]);
    let second = shown("1");
    assert!(count_in(&second, rows[1], verdict) > 200 && count_in(&second, rows[0], verdict) < 50, "Down moves it on");

    // A click on the fourth row spotlights it; its centre from the image's centre.
    let id = window.wait_for("#present-chart").into_iter().next().expect("the chart");
    let box_ = window.script("const r = document.getElementById('present-chart').getBoundingClientRect(); return [r.width, r.height]");
    let (w, h) = (box_[0].as_f64().unwrap_or(0.0), box_[1].as_f64().unwrap_or(0.0));
    let row = rows[3];
    let (x, y) = (((row[0] + row[2]) / 2.0 - 0.5) * w, ((row[1] + row[3]) / 2.0 - 0.5) * h);
    window.call(
        "POST",
        "/actions",
        Some(&json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "origin": {ELEMENT: id}, "x": x.round() as i64, "y": y.round() as i64},
            {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})),
    );
    let clicked = shown("3");
    assert!(count_in(&clicked, rows[3], verdict) > 200 && count_in(&clicked, rows[1], verdict) == 0, "the clicked bar");
    assert_eq!(window.texts("#present-title"), ["Salesperson"], "a click on a bar stays on the slide");

    window.press(&[ESCAPE]);
    let cleared = shown("");
    assert!(count_in(&cleared, rows[1], verdict) > 200, "Esc: every bar in its colour again");
    assert_eq!(window.script("return document.getElementById('present').hidden"), json!(false), "still presenting");
    window.press(&[ESCAPE]);
    assert!(window.until("return document.getElementById('present').hidden"), "the next Esc leaves");
}

#[test]
fn anonymous_keeps_every_salespersons_and_agents_name_off_the_page() {
    let Some(window) = open_window("anonymous", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    let names = |code: &str| -> Vec<String> {
        window.script(code).as_array().into_iter().flatten().filter_map(|n| n.as_str().map(str::to_string)).collect()
    };
    let people = names(
        "return Array.from(document.querySelectorAll('#filter-salesperson option')).filter(o => o.value !== '').map(o => o.textContent)",
    );
    window.click("#dimensions button[data-view='agent']");
    let agents_shown = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Ilse")));
    let agents: Vec<String> =
        agents_shown.iter().filter_map(|r| r.split('\t').next().map(str::to_string)).filter(|n| n != "Unknown").collect();
    assert!(people.len() >= 8 && agents.len() >= 2, "{people:?} {agents:?}");

    window.click("#present-anonymous");
    // The whole window is drawn again: the salesperson filter goes first.
    assert!(window.until("return document.getElementById('filter-salesperson').closest('label').hidden"));
    for (view, first) in [("salesperson", "Salesperson A"), ("volume", "Salesperson A"), ("agent", "Agent A"), ("matrix", "")] {
        window.click(&format!("#dimensions button[data-view='{view}']"));
        if first.is_empty() {
            assert!(window.until("return !document.getElementById('matrix-table').hidden"));
            let rows = window.texts_when("#matrix-table tbody tr", |t| t.iter().any(|r| r.starts_with("Salesperson A")));
            assert!(rows.iter().any(|r| r.starts_with("Salesperson A")), "{rows:?}");
        } else {
            let rows = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with(first)));
            assert!(rows.iter().any(|r| r.starts_with(first)), "{view}: {rows:?}");
        }
        // Everything on the page, hidden or not, its attributes too, and the view's chart.
        let page = window.script(
            "return document.body.textContent + Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes).map(a => a.value)).join(' ')",
        );
        let page = page.as_str().unwrap_or_default().to_string();
        let query = format!(
            "{{by: '{view}', from: null, to: null, branch: null, source: null, salesperson: null, compare: null, anonymize: true}}"
        );
        // A room as high as a window gets: every bar drawn, every name there to find.
        let chart = command_text(&window, "chart", &format!("{{query: {query}, room: {{width: 1200, height: 2160}}, lang: 'en'}}"));
        for name in people.iter().chain(&agents) {
            assert!(!page.contains(name.as_str()), "{name} on the page in the {view} view");
            assert!(!chart.contains(name.as_str()), "{name} in the {view} chart");
        }
    }
    window.click("#present-anonymous");
    assert!(window.until("return !document.getElementById('filter-salesperson').closest('label').hidden"));
    window.click("#dimensions button[data-view='salesperson']");
    let rows = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with(people[0].as_str())));
    assert!(rows.iter().any(|r| r.starts_with(people[0].as_str())), "the names are back: {rows:?}");
}

/// The bytes a command answers (a chart's SVG) as text, asked from the page
/// as the window asks: the page may not fetch its charts' blobs (the CSP's
/// connect-src), so the test asks the same command. `args`: a JS object.
fn command_text(window: &Window, command: &str, args: &str) -> String {
    window.script(&format!(
        "window.__answer = null;
         window.__TAURI__.core.invoke({}, {args}).then(b => window.__answer = new TextDecoder().decode(new Uint8Array(b)));
         return true",
        json!(command)
    ));
    assert!(window.until("return typeof window.__answer === 'string'"), "{command} answered");
    window.script("return window.__answer").as_str().unwrap_or_default().to_string()
}

/// Runs an export command from the page as the Export menu does once the
/// save dialog has answered (a test cannot click a native dialog): the view
/// `by`, anonymous or not, written to `path`. The error's kind, if any.
fn export(window: &Window, command: &str, by: &str, anonymize: bool, path: &Path) -> Option<String> {
    let query = json!({"by": by, "from": null, "to": null, "branch": null, "source": null, "salesperson": null, "compare": null, "anonymize": anonymize});
    let args = json!({"query": query, "path": path.display().to_string(), "lang": "en"});
    window.script(&format!(
        "window.__exported = null;
         window.__TAURI__.core.invoke({}, {args}).then(() => window.__exported = 'ok', e => window.__exported = e.kind || String(e));
         return true",
        json!(command)
    ));
    assert!(window.until("return typeof window.__exported === 'string'"), "{command} answered");
    Some(window.script("return window.__exported").as_str().unwrap_or_default().to_string()).filter(|r| r != "ok")
}

/// Every part of a PPTX, inflated, by name.
fn pptx_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).expect("a part");
            let mut inflated = Vec::new();
            part.read_to_end(&mut inflated).expect("inflates");
            (part.name().expect("a part name").to_string(), inflated)
        })
        .collect()
}

/// A PDF's page count by poppler's pdfinfo; `None` without poppler.
fn pdf_pages(pdf: &Path) -> Option<usize> {
    let out = Command::new("pdfinfo").arg(pdf).output().ok()?;
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|p| p.trim().parse().ok())
}

#[test]
fn the_exports_write_the_deck_the_chart_and_the_table_and_anonymous_ones_name_no_one() {
    let Some(window) = open_window("exports", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    let people: Vec<String> = window
        .script("return Array.from(document.querySelectorAll('#filter-salesperson option')).filter(o => o.value !== '').map(o => o.textContent)")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    assert!(people.len() >= 8, "{people:?}");
    let dir = std::env::temp_dir().join(format!("dertien-e2e-exports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let written = |command: &str, by: &str, anonymize: bool, file: &str| -> Vec<u8> {
        let path = dir.join(file);
        assert_eq!(export(&window, command, by, anonymize, &path), None, "{command} {file}");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"))
    };

    // The deck of the dashboard's scope, both ways: a slide per page.
    let pptx = written("export_deck", "source", false, "meeting.pptx");
    let parts = pptx_parts(&pptx);
    let slides = parts.iter().filter(|(n, _)| n.starts_with("ppt/slides/slide")).count();
    let pictures = parts.iter().filter(|(n, _)| n.starts_with("ppt/media/")).count();
    assert!(slides >= 10 && pictures == slides - 1, "a title slide and a picture per view: {slides} slides, {pictures} pictures");
    let first = parts.iter().find(|(n, _)| n == "ppt/slides/slide2.xml").map(|(_, x)| String::from_utf8_lossy(x).into_owned());
    assert!(first.is_some_and(|x| x.contains("Conversion against the norm")), "the headline's title on slide 2");
    let pdf = written("export_deck", "source", false, "meeting.pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(pages) = pdf_pages(&dir.join("meeting.pdf")) {
        assert_eq!(pages, slides, "the PDF and the PPTX have the same pages");
    }

    // The view's chart: PNG at twice the window's 1200 pixels, SVG, one PDF page.
    let png = written("export_chart", "source", false, "source.png");
    let (width, _, _) = rgb_pixels(&png);
    assert_eq!(width, 2400, "PNG 2x");
    let svg = String::from_utf8(written("export_chart", "source", false, "source.svg")).expect("SVG text");
    assert!(svg.contains("<svg") && svg.contains("Conversion by source"), "the chart");
    let chart_pdf = written("export_chart", "month", false, "month.pdf");
    assert!(chart_pdf.starts_with(b"%PDF-"));
    if let Some(pages) = pdf_pages(&dir.join("month.pdf")) {
        assert_eq!(pages, 1);
    }
    // The table under the chart: a line per source, the demo's active leads in all.
    let csv = String::from_utf8(written("export_table", "source", false, "source.csv")).expect("CSV text");
    assert!(csv.starts_with("key,leads,sold,rate,ci_low,ci_high,gap_to_norm,small_sample"), "{csv}");
    let leads: u64 = csv.lines().skip(1).filter_map(|l| l.split(',').nth(1)).filter_map(|n| n.parse::<u64>().ok()).sum();
    assert_eq!(leads, DEMO_ACTIVE, "{csv}");
    let matrix = String::from_utf8(written("export_table", "matrix", false, "matrix.csv")).expect("CSV text");
    assert!(matrix.starts_with("salesperson,source,leads,sold,rate") && matrix.contains(people[0].as_str()), "{matrix}");

    // Anonymous: no real name in any byte of any export (a PPTX's parts inflated).
    let mut anonymous = vec![
        ("deck.pptx".to_string(), written("export_deck", "salesperson", true, "anonymous.pptx")),
        ("deck.pdf".to_string(), written("export_deck", "salesperson", true, "anonymous.pdf")),
    ];
    anonymous.extend(pptx_parts(&anonymous[0].1));
    for (by, extension) in [("salesperson", "svg"), ("salesperson", "png"), ("volume", "pdf"), ("agent", "svg")] {
        let file = format!("anonymous-{by}.{extension}");
        anonymous.push((file.clone(), written("export_chart", by, true, &file)));
    }
    for by in ["salesperson", "agent", "matrix", "volume"] {
        let file = format!("anonymous-{by}.csv");
        anonymous.push((file.clone(), written("export_table", by, true, &file)));
    }
    let table = String::from_utf8_lossy(&anonymous.iter().find(|(n, _)| n == "anonymous-salesperson.csv").expect("csv").1).into_owned();
    assert!(table.contains("Salesperson A"), "letters instead: {table}");
    for name in &people {
        for (file, bytes) in &anonymous {
            assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()), "{name} in {file}");
        }
    }
    if let Ok(out) = Command::new("pdftotext").arg(dir.join("anonymous.pdf")).arg("-").output() {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Salesperson A") && !people.iter().any(|p| text.contains(p.as_str())), "the deck's text");
    }

    // The commands write only where an export may go.
    assert_eq!(export(&window, "export_table", "source", false, Path::new("relative.csv")).as_deref(), Some("invalid_input"));
    assert_eq!(export(&window, "export_chart", "source", false, &dir.join("program.exe")).as_deref(), Some("invalid_input"));
    assert!(!dir.join("program.exe").exists());

    // Copy chart: the PNG on the clipboard as an image, as the menu does it.
    // Clicked, not set by a script: the clipboard takes a write only from a user's gesture.
    window.click("#copy-chart");
    assert!(window.until(
        "return document.getElementById('export-status').textContent === 'Chart copied' || !document.getElementById('error').hidden"
    ));
    let error = window.texts("#error");
    assert_eq!(window.texts("#export-status"), ["Chart copied"], "{error:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A command's JSON answer, asked from the page as the window asks. `args`: a JS object.
fn command_json(window: &Window, command: &str, args: &str) -> Value {
    window.script(&format!(
        "window.__answer = null;
         window.__TAURI__.core.invoke({}, {args}).then(a => window.__answer = JSON.stringify(a));
         return true",
        json!(command)
    ));
    assert!(window.until("return typeof window.__answer === 'string'"), "{command} answered");
    serde_json::from_str(window.script("return window.__answer").as_str().unwrap_or_default()).expect("JSON")
}

/// An element's pixels as the window paints them (WebDriver's element
/// screenshot: WebKit's own paint, not a canvas redraw of the image), with
/// their size.
fn element_pixels(window: &Window, css: &str) -> (u32, u32, Vec<[u8; 3]>) {
    let id = window.wait_for(css).into_iter().next().unwrap_or_else(|| panic!("no {css}"));
    let png = base64_decode(window.call("GET", &format!("/element/{id}/screenshot"), None).as_str().unwrap_or_default());
    rgb_pixels(&png)
}

/// An element's pixels as the window shows them, cut from a screenshot of
/// the window once the element is scrolled into view (an element screenshot
/// of an image whose source just changed can come back empty).
fn painted(window: &Window, css: &str) -> (u32, u32, Vec<[u8; 3]>) {
    let code = format!(
        "const e = document.querySelector({}); e.scrollIntoView(); const r = e.getBoundingClientRect();
         return [r.left, r.top, r.width, r.height].map(Math.round)",
        json!(css)
    );
    let rect = window.script(&code);
    let [left, top, width, height] = [0, 1, 2, 3].map(|i| rect[i].as_u64().unwrap_or(0) as u32);
    let (full_width, full_height, pixels) =
        rgb_pixels(&base64_decode(window.call("GET", "/screenshot", None).as_str().unwrap_or_default()));
    let (width, height) = (width.min(full_width.saturating_sub(left)), height.min(full_height.saturating_sub(top)));
    let cut =
        (top..top + height).flat_map(|y| (left..left + width).map(move |x| (y * full_width + x) as usize)).map(|i| pixels[i]).collect();
    (width, height, cut)
}

/// Pixels in `[left, top, right, bottom]` (fractions of the image) that `is` says yes to.
fn count_in(image: &(u32, u32, Vec<[u8; 3]>), [left, top, right, bottom]: [f64; 4], is: impl Fn(&[u8; 3]) -> bool) -> usize {
    let (width, height, pixels) = image;
    let (w, h) = (f64::from(*width), f64::from(*height));
    let (x0, x1, y0, y1) = ((left * w) as usize, (right * w) as usize, (top * h) as usize, (bottom * h) as usize);
    (y0..y1.min(*height as usize))
        .flat_map(|y| (x0..x1.min(*width as usize)).map(move |x| y * *width as usize + x))
        .filter(|i| is(&pixels[*i]))
        .count()
}

/// Pixels within a few steps of `colour` (an RGB triple as the charts' theme has it).
fn near(colour: [u8; 3]) -> impl Fn(&[u8; 3]) -> bool {
    move |p| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 4)
}

/// `colour` at 85% over white, as the matrix fills a cell.
fn matrix_fill([r, g, b]: [u8; 3]) -> [u8; 3] {
    [r, g, b].map(|c| (0.85 * f64::from(c) + 0.15 * 255.0).round() as u8)
}

/// One colour per verdict in the window: a salesperson's bar within one
/// source, the matrix cell of the two, and the figure in each table. The
/// case that once disagreed: a rate above the norm whose interval still
/// holds it (blue bar, grey cell, red figure) is "too few leads to judge".
#[test]
fn a_bar_its_matrix_cell_and_their_table_figures_have_one_colour() {
    // The charts' light theme (charts/theme.rs): the verdict colours.
    const UNDECIDED: [u8; 3] = [0x9c, 0xa3, 0xaf];
    const ABOVE: [u8; 3] = [0x25, 0x63, 0xeb];
    const BELOW: [u8; 3] = [0xea, 0x58, 0x0c];
    let Some(window) = open_window("one-colour", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    window.click("#dimensions button[data-view='matrix']");
    window.texts_when("#matrix-table tbody td:not(:first-child)", |t| !t.is_empty());
    let found = window.script(
        "const heads = [...document.querySelectorAll('#matrix-table thead th')].map(th => th.textContent);
         for (const row of document.querySelectorAll('#matrix-table tbody tr')) {
           for (let i = 1; i < row.cells.length; i++) {
             const cell = row.cells[i];
             if (cell.classList.contains('undecided') && parseFloat(cell.textContent) > 13) return [row.cells[0].textContent, heads[i]];
           }
         }
         return null",
    );
    let (person, source) =
        (found[0].as_str().expect("an undecided cell above the norm in the demo"), found[1].as_str().unwrap_or_default());
    // That salesperson within that source: one cell, one bar.
    window.script("document.getElementById('chart').removeAttribute('src'); return true");
    for (list, name) in [("filter-source", source), ("filter-salesperson", person)] {
        let code = format!(
            "const s = document.getElementById({}); const o = [...s.options].find(o => o.textContent === {});
             s.value = o.value; s.dispatchEvent(new Event('change')); return true",
            json!(list),
            json!(name)
        );
        window.script(&code);
    }
    let one_cell = "const r = document.querySelectorAll('#matrix-table tbody tr'); return r.length === 1 && r[0].cells.length === 2";
    assert!(window.until(one_cell), "the matrix of {person} within {source}");
    let drawn = "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
    assert!(window.until(drawn));
    let cell = painted(&window, "#chart");
    let whole = [0.0, 0.0, 1.0, 1.0];
    // Thousands of pixels for the cell; the legend's three squares a few hundred each.
    let (grey, blue) = (count_in(&cell, whole, near(matrix_fill(UNDECIDED))), count_in(&cell, whole, near(matrix_fill(ABOVE))));
    assert!(grey > 4 * blue.max(500), "the cell in the undecided grey: {grey} grey pixels, {blue} blue");
    let figure = window
        .script("const c = document.querySelector('#matrix-table tbody td:nth-child(2)'); return [c.className, getComputedStyle(c).color]");
    assert_eq!(figure[0], json!("verdict undecided"), "{figure}");

    window.script("document.getElementById('chart').removeAttribute('src'); return true");
    window.click("#dimensions button[data-view='salesperson']");
    assert!(window.until(drawn));
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 1);
    assert!(rows[0].starts_with(person), "{rows:?}");
    let bar = painted(&window, "#chart");
    let (grey, blue, orange) =
        (count_in(&bar, whole, near(UNDECIDED)), count_in(&bar, whole, near(ABOVE)), count_in(&bar, whole, near(BELOW)));
    assert!(
        grey > 4 * blue.max(500) && grey > 4 * orange.max(500),
        "the bar in the undecided grey: {grey} grey, {blue} blue, {orange} orange"
    );
    let rate = window.script(
        "const c = document.querySelector('#groups tbody td:nth-child(4)'); const v = document.querySelector('#groups tbody td.verdict');
         return [c.className, getComputedStyle(c).color, getComputedStyle(v).color]",
    );
    assert_eq!(rate[0], json!("rated undecided"), "the table's rate: {rate}");
    // The table's grey is the page's muted ink, the same for the rate and the verdict; never the norm's blue or red.
    assert_eq!(rate[1], rate[2], "{rate}");
    assert_eq!(figure[1], rate[1], "the matrix table's figure and the salesperson table's rate: {figure} {rate}");
    // The same on a laptop's and a large screen's window, the chart drawn for each.
    for (width, height) in [(1280, 720), (1920, 1080)] {
        resize(&window, width, height);
        let bar = painted(&window, "#chart");
        let (grey, blue) = (count_in(&bar, whole, near(UNDECIDED)), count_in(&bar, whole, near(ABOVE)));
        assert!(grey > 4 * blue.max(500), "the bar at {width} x {height}: {grey} grey, {blue} blue");
    }
}

/// A view the data cannot fill says why: a report without creation dates
/// has leads but no months, in the table under the chart and in the chart,
/// in either language.
#[test]
fn the_month_view_of_a_report_without_creation_dates_says_so() {
    let dir = std::env::temp_dir().join(format!("dertien-e2e-no-months-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("zonder_datum.csv");
    std::fs::write(&file, "Lead ID;Bron;Verkoper;Status\nL1;Web;Jan;Verkocht\nL2;Web;Jan;Open\nL3;Telefoon;Ans;Open\n").expect("csv");
    let Some(window) = open_window("no-months", &[file.to_str().unwrap_or_default()]) else { return };
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.click("#preview-import");
    window.headline_when(3);
    window.click("#dimensions button[data-view='month']");
    let said = window.texts_when("#groups tbody td", |t| t.first().is_some_and(|c| c.contains("creation date")));
    assert_eq!(said, ["These leads have no creation date: they belong to no month."]);
    let chart = command_text(
        &window,
        "chart",
        "{query: {by: 'month', from: null, to: null, branch: null, source: null, salesperson: null, compare: null}, room: {width: 1200, height: 2160}, lang: 'en'}",
    );
    assert!(chart.contains("These leads have no creation date: they belong to no month"), "the chart says it too");
    // The count path says what the view's groups cannot place.
    let path = window.texts_when("#count-path", |t| t.first().is_some_and(|p| p.contains("creation date")));
    assert!(path[0].ends_with("Active leads without a creation date: 3. They count in the total, in no month."), "{path:?}");
    window.click("#dimensions button[data-view='response']");
    let path = window.texts_when("#count-path", |t| t.first().is_some_and(|p| p.contains("first-contact")));
    let said = "Active leads from reports without a first-contact column: 3. They are under \"no contact\": nobody recorded whether they were answered.";
    assert!(path[0].ends_with(said), "{path:?}");
    window.click("#dimensions button[data-view='source']");
    assert!(
        window.until("return !document.getElementById('count-path').textContent.includes('Active leads')"),
        "other views place every lead"
    );
    window.click("#dimensions button[data-view='month']");
    window.click("#open-settings");
    window.set("#language", "nl");
    let said = window.texts_when("#groups tbody td", |t| t.first().is_some_and(|c| c.contains("aanmaakdatum")));
    assert_eq!(said, ["Deze leads hebben geen aanmaakdatum: ze horen bij geen maand."]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn last_month_on_data_that_ended_before_today_is_the_data_s_last_month() {
    let Some(window) = open_window("anchor", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    // The demo's reports end in 2023: "last month" counts back from their
    // newest lead, and holds leads, not an empty 0.0%.
    window.set("#period", "last-month");
    let figures = window.texts_when("#headline strong", |t| t.len() == 5 && number(&t[0]) != DEMO_ACTIVE);
    let active = number(&figures[0]);
    assert!(active > 0 && active < DEMO_ACTIVE, "{figures:?}");
    let title = window.script("return document.getElementById('period').title");
    assert!(title.as_str().is_some_and(|t| t.starts_with("The data ends on ") && t.contains("2023")), "{title}");
}

/// The source table's rows once one starts with `first` (any row when empty) and there are `rows`.
fn source_rows(window: &Window, first: &str, rows: usize) -> Vec<String> {
    window.texts_when("#groups tbody tr", |t| t.len() == rows && (first.is_empty() || t.iter().any(|r| r.starts_with(first))))
}

#[test]
fn the_long_tail_of_small_sources_folds_into_one_group_below_the_threshold_the_user_sets() {
    let Some(window) = open_window("long-tail", &[data("fixtures/long_tail.csv").as_str()]) else { return };
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    // A period the file's leads (October 2023) are not in (last month counts
    // back from the newest lead: September 2023): the import shows theirs.
    window.set("#period", "last-month");
    window.click("#preview-import");
    let chosen = "return document.querySelector('#period option:checked').textContent";
    assert!(window.until(&format!("{chosen} === 'October 2023'")), "the imported file's month: {}", window.script(chosen));
    assert_eq!(window.script("return document.getElementById('period').value"), json!("month:2023-10"));
    let headline = window.headline_when(324);
    assert_eq!(headline[1], 77, "the file's sales");

    // Under 10 active leads (the default): Nieuwsbrief 6, Beurs 4, blog 1 and
    // testone 1 are one group, last, below a line, judged on their 12 leads.
    let rows = source_rows(&window, "Other (4 sources)", 6);
    let last: Vec<&str> = rows[5].split('\t').collect();
    assert_eq!(&last[..3], ["Other (4 sources) (small sample)", "12", "3"], "the pooled leads and sales: {rows:?}");
    for gone in ["Nieuwsbrief", "Beurs", "blog", "testone"] {
        assert!(!rows.iter().any(|r| r.starts_with(gone)), "{gone} folded: {rows:?}");
    }
    let row = window.script(
        "const r = document.querySelector('#groups tbody tr:last-child'); return [r.classList.contains('folded'), r.cells[0].title]",
    );
    assert_eq!(row, json!([true, "Together: Beurs, Nieuwsbrief, blog, testone"]), "apart, its sources on hover");
    let query =
        "{query: {by: 'source', from: '2023-10', to: '2023-10', branch: null, source: null, salesperson: null, compare: null}, room: {width: 1200, height: 2160}, lang: 'en'}";
    let svg = command_text(&window, "chart", query);
    assert!(svg.contains("Other (4 sources)") && !svg.contains("testone"), "the chart folds as the table");

    // The threshold is a setting: 20 folds Instagram (12) too, 0 folds nothing.
    window.click("#open-settings");
    assert!(window.until("return document.getElementById('fold-below').value === '10'"), "the default, 10");
    window.set("#fold-below", "20");
    let rows = source_rows(&window, "Other (5 sources)", 5);
    assert!(!rows.iter().any(|r| r.starts_with("Instagram")), "{rows:?}");
    window.set("#fold-below", "0");
    let rows = source_rows(&window, "testone", 9);
    assert!(!rows.iter().any(|r| r.starts_with("Other")), "0 shows every source: {rows:?}");
    // In Dutch.
    window.set("#fold-below", "10");
    window.set("#language", "nl");
    let rows = source_rows(&window, "Overige (4 bronnen)", 6);
    assert!(rows[5].starts_with("Overige (4 bronnen) (kleine steekproef)\t12\t3"), "{rows:?}");
    assert!(window.until(&format!("{chosen} === 'oktober 2023'")), "the period list in Dutch: {}", window.script(chosen));
}

#[test]
fn the_period_list_offers_the_data_s_months_and_an_import_shows_the_file_s_months() {
    let Some(window) = open_window("periods", &[data("samples/leads_q3_2023.xlsx").as_str()]) else { return };
    let truth = truth("leads_q3_2023");
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.set("#period", "last-month");
    window.click("#preview-import");
    // July to September are no one month: a custom period of the three.
    assert!(window.until("return document.getElementById('period').value === 'custom'"), "a custom period");
    let chosen = window.script("return [document.getElementById('from').value, document.getElementById('to').value, document.getElementById('custom-period').hidden]");
    assert_eq!(chosen, json!(["2023-07", "2023-09", false]));
    window.headline_when(truth["active_leads"].as_u64().expect("truth"));
    let months = "return Array.from(document.querySelectorAll('#period optgroup')).map(g => [g.label, Array.from(g.children).map(o => [o.value, o.textContent])])";
    let listed = window.script(months);
    assert_eq!(
        listed,
        json!([["Months", [["month:2023-09", "September 2023"], ["month:2023-08", "August 2023"], ["month:2023-07", "July 2023"]]]]),
        "the data's months, newest first; one quarter and one year would say nothing more"
    );
    window.set("#period", "month:2023-08");
    let august = &truth["by_month"]["2023-08"];
    assert_eq!(window.headline_when(august["leads"].as_u64().expect("truth"))[1], august["sold"].as_u64().expect("truth"));
    assert!(window.until("return document.getElementById('undated').hidden"), "every lead has its creation date");
    window.click("#open-settings");
    window.set("#language", "nl");
    let months = "return Array.from(document.querySelectorAll('#period optgroup option')).map(o => o.textContent).join(', ')";
    let listed = format!("{months} === 'september 2023, augustus 2023, juli 2023'");
    assert!(window.until(&listed), "the months in Dutch: {}", window.script(months));
    let chosen = window.script("return document.querySelector('#period option:checked').textContent");
    assert_eq!(chosen, json!("augustus 2023"), "still chosen");
}

#[test]
fn leads_without_a_creation_date_are_said_to_be_in_no_period() {
    let Some(window) = open_window("undated", &[data("fixtures/undated.csv").as_str()]) else { return };
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.click("#preview-import");
    // From All leads too, the import shows its own months (October and
    // November: a custom period); its two undated leads are in neither.
    window.headline_when(3);
    let chosen = window.script(
        "return [document.getElementById('period').value, document.getElementById('from').value, document.getElementById('to').value]",
    );
    assert_eq!(chosen, json!(["custom", "2023-10", "2023-11"]));
    let sentence = "2 leads have no creation date: they fall outside every period and count only under All leads.";
    assert_eq!(window.texts_when("#undated", |t| t.first().is_some_and(|s| !s.is_empty())), [sentence]);
    window.set("#period", "all");
    window.headline_when(5);
    assert!(window.until("return document.getElementById('undated').hidden"), "all leads: the undated ones count");
    window.set("#period", "month:2023-10");
    window.headline_when(2);
    assert_eq!(window.texts_when("#undated", |t| t.first().is_some_and(|s| !s.is_empty())), [sentence]);
    let title = window.script("return document.getElementById('period').title");
    assert!(title.as_str().is_some_and(|t| t.ends_with(sentence)), "{title}");
}

#[test]
fn with_a_comparison_the_bars_mark_the_other_period() {
    let Some(window) = open_window("compare-markers", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    window.set("#period", "quarter:2023-4");
    window.headline_when(2400 + 5768);
    let drawn = "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
    let violet = |p: &[u8; 3]| p[0].abs_diff(0x7c) < 24 && p[1].abs_diff(0x3a) < 24 && p[2].abs_diff(0xed) < 24;
    assert!(window.until(drawn));
    window.script("document.getElementById('chart').scrollIntoView(); return true");
    assert_eq!(count_in(&element_pixels(&window, "#chart"), [0.0, 0.0, 1.0, 1.0], violet), 0, "no markers without a comparison");
    // Q4 beside Q3: each source's Q3 rate as a marker on its bar.
    window.script("document.getElementById('chart').removeAttribute('src'); return true");
    window.set("#compare", "previous");
    assert!(window.until(drawn));
    window.script("document.getElementById('chart').scrollIntoView(); return true");
    std::thread::sleep(Duration::from_millis(300));
    let markers = count_in(&element_pixels(&window, "#chart"), [0.0, 0.0, 1.0, 1.0], violet);
    assert!(markers > 8 * 60, "eight sources' markers: {markers} violet pixels");
    let query = "{query: {by: 'source', from: '2023-10', to: '2023-12', branch: null, source: null, salesperson: null, compare: 'previous'}, room: {width: 1200, height: 2160}, lang: 'nl'}";
    assert!(command_text(&window, "chart", query).contains("vorige periode"), "the legend names them");
    let query = "{query: {by: 'salesperson', from: '2023-10', to: '2023-12', branch: null, source: null, salesperson: null, compare: 'year_before'}, room: {width: 1200, height: 2160}, lang: 'en'}";
    let svg = command_text(&window, "chart", query);
    assert!(!svg.contains("same period last year"), "2022 has no leads: no markers, no legend");
}

#[test]
fn while_a_file_dialog_is_open_no_second_one_opens() {
    let Some(window) = open_window("one-dialog", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    let disabled = "return ['import', 'welcome-import', 'export'].map(id => document.getElementById(id).disabled)";
    assert_eq!(window.script(disabled), json!([false, false, false]));
    // The system's file dialog opens (and stays open: a test cannot answer
    // it); every control that opens a dialog waits until it is closed.
    window.click("#import");
    assert!(window.until("return document.getElementById('import').disabled"), "the import button waits");
    assert_eq!(window.script(disabled), json!([true, true, true]));
}

#[test]
fn the_first_chart_after_a_start_shows_its_text() {
    let Some(window) = open_window("first-paint", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    let drawn = "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
    assert!(window.until(drawn), "the first chart arrives");
    window.script("document.getElementById('chart').scrollIntoView(); return true");
    // Two frames after the scroll: the part it brought into view is painted
    // (the sticky bar above makes WebKit paint it anew), not left black.
    window
        .script("window.__painted = false; requestAnimationFrame(() => requestAnimationFrame(() => window.__painted = true)); return true");
    assert!(window.until("return window.__painted === true"), "the page paints");
    let natural = window.script("const i = document.getElementById('chart'); return [i.naturalWidth, i.naturalHeight]");
    let (width, height) = (natural[0].as_f64().unwrap_or(1.0), natural[1].as_f64().unwrap_or(1.0));
    let image = element_pixels(&window, "#chart");
    assert!(image.0 > 600, "the chart as shown: {} x {}", image.0, image.1);
    // On the white chart: the names' ink (#1F2937) left of the bars, where
    // nothing but text is drawn, and the rate axis' figures (#6B7280) in the
    // band under the plot (charts/frame.rs: 92 pixels under it, 8 down).
    let dark = |p: &[u8; 3]| p.iter().all(|c| *c < 0x80);
    let grey = |p: &[u8; 3]| p.iter().all(|c| *c < 0xb0) && p.iter().max().unwrap_or(&0) - p.iter().min().unwrap_or(&0) < 0x30;
    let plot_bottom = (height - 92.0) / height;
    let names = count_in(&image, [0.0, 118.0 / height, 0.1, plot_bottom], dark);
    let ticks = count_in(&image, [0.2, plot_bottom + 8.0 / height, 1.0, plot_bottom + 26.0 / height], grey);
    assert!(names > 100, "the sources' names are painted: {names} dark pixels ({width} x {height} chart)");
    assert!(ticks > 50, "the rate axis' figures are painted: {ticks} grey pixels");
}

/// Whether the image's pixels hold text-like detail: many columns where
/// light and dark alternate (a chart without its labels has few).
fn chart_has_text(window: &Window, css: &str) -> bool {
    let code = format!(
        "const i = document.querySelector({}); const c = document.createElement('canvas');
         c.width = i.naturalWidth; c.height = i.naturalHeight; const g = c.getContext('2d'); g.drawImage(i, 0, 0);
         const d = g.getImageData(0, 0, c.width, Math.min(c.height, Math.round(c.height * 0.2))).data;
         let edges = 0; for (let p = 4; p < d.length; p += 4) {{ if (Math.abs(d[p] - d[p - 4]) > 96) edges++; }}
         return edges",
        serde_json::json!(css)
    );
    window.script(&code).as_u64().unwrap_or(0) > 200
}

#[test]
fn the_agent_view_appears_for_a_report_that_names_agents() {
    let Some(window) = open_window("agents", &[data("samples/kcc_rapport_nov_dec.xlsx").as_str()]) else { return };
    let truth = truth("kcc_rapport_nov_dec");
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.click("#preview-import");
    window.headline_when(truth["active_leads"].as_u64().expect("truth"));
    let offered = "const b = document.querySelector(\"#dimensions button[data-view='agent']\"); return b !== null && !b.hidden";
    assert!(window.until(offered), "the agent view is offered for a report with a KCC-medewerker column");
    window.click("#dimensions button[data-view='agent']");
    let rows = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Ilse (KCC)")));
    let agents = truth["evidence"]["agent"]["groups"].as_object().expect("agents");
    for (agent, group) in agents.iter().filter(|(agent, _)| agent.as_str() != "None") {
        let row = rows.iter().find(|r| r.starts_with(agent.as_str())).unwrap_or_else(|| panic!("{agent} in {rows:?}"));
        assert_eq!(number(row.split('\t').nth(1).unwrap_or_default()), group["leads"].as_u64().expect("leads"), "{row}");
    }
}

/// What the command line reports by `by` for the demo's reports (the same
/// engine, imported into a store of its own): the figures the window must show.
fn demo_report(name: &str, by: &str) -> Value {
    let application = std::env::var_os("DERTIEN_APP").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dertien")), PathBuf::from);
    let db = std::env::temp_dir().join(format!("dertien-e2e-{name}-{}-cli.db", std::process::id()));
    let _ = std::fs::remove_file(&db);
    let run = |args: &[&str]| {
        let output = Command::new(&application).arg("--db").arg(&db).args(args).output().expect("the command line runs");
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    };
    let files = ["leads_q3_2023.xlsx", "leadrapport_oktober.xlsx", "kcc_rapport_nov_dec.xlsx"].map(|f| data(&format!("samples/{f}")));
    run(&[&["import"], files.each_ref().map(String::as_str).as_slice()].concat());
    let report = serde_json::from_slice(&run(&["report", "--by", by, "--format", "json"])).expect("report JSON");
    let _ = std::fs::remove_file(&db);
    report
}

/// A rate as the window shows it in English ("10.9%").
fn shown(rate: &Value) -> String {
    format!("{:.1}%", rate.as_f64().expect("a rate") * 100.0)
}

#[test]
fn the_why_view_reads_out_each_source_beside_its_rate_adjusted_for_answering_speed() {
    let Some(window) = open_window("why", &["--demo"]) else { return };
    let expected = demo_report("why", "source");
    assert_eq!(expected["adjusted_by"], "response");
    window.headline_when(DEMO_ACTIVE);
    window.click("#dimensions button[data-view='why']");
    let rows = window.texts_when("#why-table tbody tr", |t| t.len() == 8);
    assert!(window.until("return document.getElementById('groups').hidden"), "the Why view has its own table");
    let groups = expected["groups"].as_array().expect("groups");
    assert_eq!(rows.len(), groups.len(), "{rows:?}");
    for group in groups {
        let name = group["key"].as_str().expect("a source");
        let row = rows.iter().find(|r| r.starts_with(name)).unwrap_or_else(|| panic!("{name} in {rows:?}"));
        let cells: Vec<&str> = row.split('\t').collect();
        assert_eq!(number(cells[1]), group["leads"].as_u64().expect("leads"), "{row}");
        assert_eq!(cells[3], shown(&group["rate"]), "the raw rate: {row}");
        assert_eq!(cells[4], shown(&group["adjusted_rate"]), "the rate adjusted for answering speed: {row}");
        assert_eq!(cells[5], format!("{} – {}", shown(&group["adjusted_ci_low"]), shown(&group["adjusted_ci_high"])), "Byar: {row}");
        let mix = group["mix_part"].as_f64().expect("mix part");
        let later = if mix < 0.0 { "answered later" } else { "answered sooner" };
        assert!(cells[7].contains(&format!("{:.1} point", mix.abs() * 100.0)) && cells[7].contains(later), "the split: {row}");
        assert!(cells[7].ends_with("the leads and the follow-up after"), "{row}");
    }
    // Facebook: answered late, so its adjusted rate is well above its raw one.
    let facebook = rows.iter().find(|r| r.starts_with("Facebook Lead Ads")).expect("Facebook");
    assert!(facebook.contains("−3.9 points\t2.9 points: answered later; 1.0 point: the leads and the follow-up after"), "{facebook}");

    // One sentence per source, each marked a what-if.
    let sentences = window.texts_when("#why-sentences li", |t| t.len() == 8);
    assert_eq!(sentences.len(), 8, "{sentences:?}");
    for sentence in &sentences {
        assert!(sentence.ends_with(". (what-if, not a cause)"), "{sentence}");
    }
    let facebook = sentences.iter().find(|s| s.starts_with("Facebook Lead Ads")).expect("Facebook's sentence");
    let adjusted = &groups.iter().find(|g| g["key"] == "Facebook Lead Ads").expect("Facebook")["adjusted_rate"];
    assert!(
        facebook.starts_with(&format!(
            "Facebook Lead Ads sold 7.8% of its active leads, 3.9 points below the average of 11.6%; answered as fast as the average lead it would sell about {}",
            shown(adjusted)
        )),
        "{facebook}"
    );
    assert!(
        facebook.contains("so answering later costs it 2.9 points and the leads and the follow-up after cost it 1.0 point."),
        "{facebook}"
    );
    let note = window.texts("#what-if");
    assert!(note[0].starts_with("What-if, not a cause"), "metrics.md's last line: {note:?}");
    let drawn = "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
    assert!(window.until(drawn), "the evidence chart arrives");

    // In Dutch, the main language.
    window.click("#open-settings");
    window.set("#language", "nl");
    let sentences = window.texts_when("#why-sentences li", |t| t.iter().any(|s| s.starts_with("Facebook Lead Ads verkocht")));
    let facebook = sentences.iter().find(|s| s.starts_with("Facebook Lead Ads")).expect("Facebook's sentence");
    assert!(
        facebook.starts_with("Facebook Lead Ads verkocht 7,8% van de actieve leads, 3,9 procentpunt onder het gemiddelde van 11,6%;"),
        "{facebook}"
    );
    assert!(
        facebook.contains("dus later beantwoorden kost 2,9 procentpunt en de leads en de opvolging daarna kosten 1,0 procentpunt."),
        "{facebook}"
    );
    assert!(facebook.ends_with("(wat-als, geen oorzaak)"), "{facebook}");
}

#[test]
fn the_salesperson_branch_and_agent_views_show_the_evidence() {
    let Some(window) = open_window("evidence", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    for by in ["salesperson", "branch", "agent"] {
        let expected = demo_report(&format!("evidence-{by}"), by);
        assert_eq!(expected["adjusted_by"], "source");
        window.click(&format!("#dimensions button[data-view='{by}']"));
        let groups = expected["groups"].as_array().expect("groups");
        let rows = window
            .texts_when("#groups tbody tr", |t| t.len() == groups.len() && window.script("return document.body.dataset.view") == json!(by));
        let headings = window.texts("#groups thead th:not([hidden])");
        assert_eq!(headings[7..], ["Expected from their leads", "Unanswered", "Median response"], "{by}: {headings:?}");
        for group in groups {
            let name = group["key"].as_str().unwrap_or(if by == "salesperson" { "Unassigned" } else { "Unknown" });
            let row = rows.iter().find(|r| r.starts_with(name)).unwrap_or_else(|| panic!("{name} in {rows:?}"));
            let cells: Vec<&str> = row.split('\t').collect();
            let expected_sold = group["expected_sold"].as_f64().expect("expected sales").round() as u64;
            assert_eq!(number(cells[7]), expected_sold, "given the leads they got: {row}");
            let unanswered = group["unanswered"].as_u64().expect("unanswered");
            assert!(cells[8].ends_with(&format!("({unanswered})")), "{row}");
            assert_ne!(cells[9], "–", "the median response: {row}");
        }
    }
    // "Given the leads he got, Jan would have sold 41; he sold 58", on the cell.
    window.click("#dimensions button[data-view='salesperson']");
    window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Jan de Vries")));
    let title = window.script(
        "const row = Array.from(document.querySelectorAll('#groups tbody tr')).find(r => r.cells[0].innerText === 'Jan de Vries'); return row.cells[7].title",
    );
    let title = title.as_str().unwrap_or_default();
    assert!(
        title.starts_with("Given the leads they got, Jan de Vries would have sold ") && title.contains("; Jan de Vries sold "),
        "{title}"
    );
    // The month view adjusts nothing: no evidence columns.
    window.click("#dimensions button[data-view='month']");
    window.until("return document.body.dataset.view === 'month'");
    assert_eq!(window.texts("#groups thead th:not([hidden])").len(), 7);
}

#[test]
fn the_volume_chart_draws_the_salespeople_against_the_norm() {
    let Some(window) = open_window("volume", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    window.click("#dimensions button[data-view='volume']");
    let drawn = "const i = document.getElementById('chart'); return document.body.dataset.view === 'volume' && i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0";
    assert!(window.until(drawn), "the volume chart arrives as an SVG blob");
    let people = window.texts_when("#groups tbody tr", |t| t.len() == 11);
    assert_eq!(people.len(), 11, "the salespeople under it: {people:?}");
    // The pixels: a point per salesperson, coloured by the norm (charts::Theme::LIGHT).
    window.script("document.getElementById('chart').scrollIntoView(); return true");
    std::thread::sleep(Duration::from_millis(600));
    let id = window.wait_for("#chart").into_iter().next().expect("the chart");
    let png = base64_decode(window.call("GET", &format!("/element/{id}/screenshot"), None).as_str().unwrap_or_default());
    let (width, height, pixels) = rgb_pixels(&png);
    assert!(width > 800 && height > 400, "{width}x{height}");
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 24);
    let below = pixels.iter().filter(|p| near(p, [0xea, 0x58, 0x0c])).count();
    let at_or_above = pixels.iter().filter(|p| near(p, [0x25, 0x63, 0xeb])).count();
    let white = pixels.iter().filter(|p| near(p, [0xff, 0xff, 0xff])).count();
    assert!(white > pixels.len() / 2, "a white chart: {white} of {}", pixels.len());
    // A legend swatch is some 100 pixels of its colour; the demo has five
    // salespeople at or above the norm and five below (the unassigned are no point).
    assert!(below > 500 && at_or_above > 500, "points beyond the legend: {below} below, {at_or_above} at or above");
}

#[test]
fn settings_change_the_figures_and_the_language() {
    let Some(window) = open_window("settings", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    window.click("#open-settings");
    let sources = window.texts_when("#sources tbody tr", |t| t.len() >= 8);
    assert!(sources.iter().any(|s| s.starts_with("Showroom")), "{sources:?}");
    // Showroom passive: its active leads leave the rate and join the passive count.
    window.set("select[aria-label='Class: Showroom']", "passive");
    let headline = window.texts_when("#headline strong", |t| t.len() == 5 && number(&t[0]) < DEMO_ACTIVE);
    let showroom = DEMO_ACTIVE - number(&headline[0]);
    assert_eq!(number(&headline[4]), DEMO_PASSIVE + showroom, "{headline:?}");
    window.set("select[aria-label='Class: Showroom']", "active");
    window.headline_when(DEMO_ACTIVE);
    // Merging Marktplaats into AutoTrack: one row fewer, the same total.
    window.set("select[aria-label='Merge into: Marktplaats']", "AutoTrack");
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 7);
    assert!(!rows.iter().any(|r| r.starts_with("Marktplaats")), "{rows:?}");
    assert_eq!(window.headline_when(DEMO_ACTIVE)[1], DEMO_SOLD);
    // A margin per sale: what the sales the norm asked for are worth joins the headline.
    window.set("#margin", "1250");
    let headline = window.texts_when("#headline strong", |t| t.len() == 6);
    assert_eq!(number(&headline[5]), number(&headline[3]) * 1250, "euros at stake = gap x margin: {headline:?}");
    // And each group's gap beside its euros.
    let gaps = window.texts_when("#groups tbody td.gap", |t| t.iter().any(|g| g.contains('€')));
    let with_euros: Vec<&String> = gaps.iter().filter(|g| g.contains('€')).collect();
    assert!(!with_euros.is_empty(), "{gaps:?}");
    for gap in with_euros {
        let (sales, money) = gap.split_once(" · ").expect("sales · euros");
        assert_eq!(number(money), number(sales) * 1250, "{gap}");
    }
    window.set("#margin", "");
    window.headline_when(DEMO_ACTIVE);
    // Dutch.
    window.set("#language", "nl");
    let labels = window.texts_when("#headline span", |t| t.first().map(String::as_str) == Some("actieve leads"));
    assert_eq!(labels[0], "actieve leads");
    assert_eq!(window.texts("#dimensions button")[0], "Bron");
    let headline = window.texts("#headline strong");
    assert_eq!(headline[0], "13.923", "Dutch thousands: {headline:?}");
    // Delete all data: two presses, then the welcome of an empty store. The
    // panel is drawn again in Dutch after the views; once it is, the button
    // is scrolled to the top of the view before the press (left to the
    // driver, the press did not reach it at the foot of the page).
    window.texts_when("#delete-all button", |t| t == ["Alle gegevens wissen"]);
    window.script("document.querySelector('#delete-all button').scrollIntoView(); return true");
    window.click("#delete-all button");
    assert_eq!(window.texts("#delete-all button"), ["Echt elke import wissen?"]);
    window.click("#delete-all button");
    assert!(window.until("return !document.getElementById('welcome').hidden"), "the store is empty");
    assert_eq!(window.texts("#imports tbody tr").len(), 0);
}

/// Words an English message or label would hold and no Dutch one does
/// (the test files' own names and values hold none of them either).
const ENGLISH_WORDS: &[&str] = &[
    "sheet",
    " row ",
    "skipped",
    "the file",
    "column",
    "creation date",
    "converted flag",
    "lead kind",
    "read as",
    "guess",
    "not a date",
    "refused",
    "cannot",
    "import report",
    "rows read",
    "undecided",
    "small sample",
    "below the norm",
    "above the norm",
    "unknown",
    "unassigned",
    " the ",
    " and ",
    " with ",
    "nothing",
    "header",
    "too few",
];

/// The window's visible text, the choices of its selects and its hover texts.
fn everything_said(window: &Window) -> String {
    let code = "return [document.body.innerText,
        ...Array.from(document.querySelectorAll('select option')).filter(o => o.closest('[hidden]') === null).map(o => o.textContent),
        ...Array.from(document.querySelectorAll('[title]')).filter(n => n.closest('[hidden]') === null).map(n => n.title)].join('\\n')";
    window.script(code).as_str().unwrap_or_default().to_string()
}

fn english_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    ENGLISH_WORDS.iter().copied().filter(|w| lower.contains(w)).collect()
}

#[test]
fn the_dutch_window_says_everything_in_dutch_its_preview_notes_issues_and_refusals_too() {
    let files = [data("fixtures/export_1252.csv"), data("fixtures/empty.csv")];
    let set_dutch = |db: &Path| {
        dertien::store::Store::open(db).expect("store").set_language(Some("nl")).expect("language");
    };
    let Some(window) = open_window_on("dutch", &[files[0].as_str(), files[1].as_str()], set_dutch) else { return };
    // The preview: the format, the sheet, the roles, a refused file.
    let facts = window.texts_when("#preview-files .facts", |t| !t.is_empty());
    assert_eq!(facts, ["tekstbestand met gescheiden waarden (.csv) · blad CSV · kopregel op rij 2"]);
    let refused = window.texts("#preview-files p.refused");
    assert_eq!(refused, ["Kan niet worden geïmporteerd: empty.csv: het bestand is leeg"]);
    let roles = window.script("return Array.from(document.querySelector('#preview-files select').options).map(o => o.textContent)");
    let roles: Vec<&str> = roles.as_array().expect("roles").iter().filter_map(Value::as_str).collect();
    assert!(
        roles.contains(&"aanmaakdatum") && roles.contains(&"verkocht-vlag") && roles.contains(&"leadsoort (actief/passief)"),
        "{roles:?}"
    );
    let said = everything_said(&window);
    assert!(english_in(&said).is_empty(), "English {:?} in the Dutch preview:\n{said}", english_in(&said));

    // The import's report: its notes and row issues in Dutch, behind its toggle.
    window.click("#preview-import");
    window.texts_when("#import-results > li", |t| !t.is_empty());
    let toggle = window.texts("#import-results summary");
    assert!(toggle.len() == 1 && toggle[0].starts_with("Details ("), "{toggle:?}");
    window.click("#import-results summary");
    let report = window.texts_when("#import-results > li", |t| t.iter().any(|r| r.contains("overgeslagen")));
    assert!(report[0].contains("blad CSV: totaalrij 8 overgeslagen"), "{report:?}");
    assert!(report[0].contains("gelezen als een tekstbestand met gescheiden waarden (.csv) in Windows-1252"), "{report:?}");
    assert!(report[0].contains("blad CSV, rij 7, kolom Datum: \"31-11-2023\" is geen datum"), "{report:?}");
    window.headline_when(5);
    let said = everything_said(&window);
    assert!(english_in(&said).is_empty(), "English {:?} in the Dutch window:\n{said}", english_in(&said));
    // Each view too, the terms' explanations on hover among them.
    for view in ["salesperson", "month", "matrix"] {
        window.click(&format!("#dimensions button[data-view='{view}']"));
        std::thread::sleep(Duration::from_millis(500));
        let said = everything_said(&window);
        assert!(english_in(&said).is_empty(), "English {:?} in the Dutch {view} view:\n{said}", english_in(&said));
    }
    assert!(said.contains("95%-interval: met deze leads"), "the interval explains itself: {said}");
}

/// The demo store (made by the app beside its own) set to `lang` before the
/// app fills it with the demo's reports.
fn demo_in(lang: &'static str) -> impl FnOnce(&Path) {
    move |db: &Path| {
        dertien::store::Store::open(&db.with_file_name("demo.db")).expect("demo store").set_language(Some(lang)).expect("language");
    }
}

/// Sets the window's size as a user drags it, and waits until the chart is
/// drawn for its new room (laid out as wide as its box, shown one to one).
fn resize(window: &Window, width: u32, height: u32) {
    window.call("POST", "/window/rect", Some(&json!({"width": width, "height": height})));
    let fitted = format!(
        "const i = document.getElementById('chart');
         return window.innerWidth <= {width} && window.innerHeight <= {height} && window.innerWidth > {width} - 40
           && i.complete && i.naturalWidth > 0 && Math.abs(i.naturalWidth - i.clientWidth) <= 2
           && i.getBoundingClientRect().bottom <= window.innerHeight"
    );
    assert!(window.until(&fitted), "the chart fits a {width} x {height} window: {}", window.script(LAYOUT));
    // The debounced redraw after the last resize event has landed.
    std::thread::sleep(Duration::from_millis(400));
}

/// Where the headline, the chart, the filters and the import report are on
/// the screen, and the viewport (getBoundingClientRect, CSS pixels); which
/// parts of the page show, and the error, to say what pushed a chart down.
const LAYOUT: &str =
    "const box = (css) => { const r = document.querySelector(css).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const i = document.getElementById('chart');
    return {viewport: [window.innerWidth, window.innerHeight], scrolled: window.scrollY,
      headline: box('#headline'), chart: box('#chart'), filters: box('.filters'), report: box('#import-report'),
      natural: [i.naturalWidth, i.naturalHeight], shown: [i.clientWidth, i.clientHeight],
      details_open: document.querySelectorAll('#import-results details[open]').length,
      details: document.querySelectorAll('#import-results details').length,
      parts: [...document.querySelectorAll('main > *')].filter((e) => !e.hidden).map((e) => [e.id, Math.round(e.getBoundingClientRect().top), Math.round(e.getBoundingClientRect().bottom)]),
      alert: document.getElementById('error').textContent}";

fn number_at(value: &Value, at: usize) -> f64 {
    value[at].as_f64().unwrap_or(f64::NAN)
}

/// The smallest text of the chart on the screen, in CSS pixels: the SVG's
/// smallest font size (of the same chart, asked from the command as the
/// page asks it: the page may not read its blob) times the scale the page
/// shows it at (the image's width over the SVG's own).
fn smallest_chart_text(window: &Window, lang: &str, layout: &Value) -> f64 {
    let (natural, shown) = (&layout["natural"], &layout["shown"]);
    let query = json!({"by": "source", "from": null, "to": null, "branch": null, "source": null, "salesperson": null, "compare": null, "anonymize": false});
    let room = json!({"width": natural[0], "height": natural[1]});
    let svg = command_text(window, "chart", &json!({"query": query, "room": room, "lang": lang}).to_string());
    assert!(svg.contains(&format!("width=\"{}\"", natural[0])), "the same chart's width: {}", &svg[..svg.len().min(300)]);
    let sizes: Vec<f64> = svg.split("font-size=\"").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect();
    assert!(!sizes.is_empty(), "the chart's text");
    let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
    smallest * number_at(shown, 0) / number_at(natural, 0)
}

/// A laptop's 1280 x 720 and a screen's 1920 x 1080, in `lang`, after an
/// import: the headline and the whole chart on the first screen with the
/// import report folded above them, the chart's text 12 px or more, the
/// filters in one row and in sight at the foot of the page; in Dutch no
/// English word at either size. Then an error the store gives, in `lang`.
fn the_dashboard_fits_the_first_screen(lang: &'static str) {
    let file = data("fixtures/export_1252.csv");
    let Some(window) = open_window_on(&format!("layout-{lang}"), &["--demo", file.as_str()], demo_in(lang)) else { return };
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.click("#preview-import");
    window.texts_when("#import-results > li", |t| !t.is_empty());
    window.headline_when(DEMO_ACTIVE + 5);
    for (width, height) in [(1280, 720), (1920, 1080)] {
        window.script("window.scrollTo(0, 0); return true");
        resize(&window, width, height);
        let layout = window.script(LAYOUT);
        let size = format!("{lang} at {width} x {height}: {layout}");
        let viewport = number_at(&layout["viewport"], 1);
        for part in ["headline", "chart", "filters"] {
            let r = &layout[part];
            assert!(number_at(r, 1) >= 0.0 && number_at(r, 3) <= viewport, "{part} on the first screen, {size}");
        }
        // The import report above the dashboard, one line with its notes folded.
        assert!(number_at(&layout["report"], 3) > number_at(&layout["report"], 1), "the report shows, {size}");
        assert!(number_at(&layout["report"], 3) - number_at(&layout["report"], 1) < 60.0, "the report folded to a line, {size}");
        assert_eq!((layout["details"].as_u64(), layout["details_open"].as_u64()), (Some(1), Some(0)), "notes folded, {size}");
        assert!(number_at(&layout["filters"], 3) - number_at(&layout["filters"], 1) < 50.0, "the filters in one row, {size}");
        // The chart uses the width: no empty band to its right.
        assert!(number_at(&layout["chart"], 2) > f64::from(width) - 60.0, "the chart as wide as the window, {size}");
        let text = smallest_chart_text(&window, lang, &layout);
        assert!(text >= 12.0, "the chart's smallest text is {text:.1} px, {size}");
        if lang == "nl" {
            let said = everything_said(&window);
            assert!(english_in(&said).is_empty(), "English {:?} in the Dutch window at {width} x {height}:\n{said}", english_in(&said));
        }
        // Scrolled to the history at the foot of the page: the filters in sight.
        window.script("document.getElementById('imports').scrollIntoView(); return true");
        let layout = window.script(LAYOUT);
        assert!(layout["scrolled"].as_f64().unwrap_or_default() > 0.0, "the page scrolled, {layout}");
        let filters = &layout["filters"];
        assert!(number_at(filters, 1) >= 0.0 && number_at(filters, 3) <= viewport, "the filters stay in sight: {layout}");
    }
    // The store refuses a norm of 150%: said in the window's language.
    window.script("window.scrollTo(0, 0); return true");
    window.set("#norm", "150");
    let error = window.texts_when("#error", |t| t.first().is_some_and(|e| !e.is_empty()));
    let expected = match lang {
        "nl" => "de norm moet een percentage tussen 0 en 100 zijn, niet 150",
        _ => "the norm must be a percentage between 0 and 100, not 150",
    };
    assert_eq!(error, [expected]);
    assert_eq!(window.script("return document.getElementById('norm').value"), json!("13"), "the stored norm back in the field");
}

#[test]
fn on_a_laptop_and_a_large_screen_the_english_dashboard_fits_the_first_screen() {
    the_dashboard_fits_the_first_screen("en");
}

#[test]
fn on_a_laptop_and_a_large_screen_the_dutch_dashboard_fits_the_first_screen() {
    the_dashboard_fits_the_first_screen("nl");
}

#[test]
fn markup_in_names_shows_as_text() {
    let Some(window) = open_window("hostile", &[data("fixtures/hostile.xlsx").as_str()]) else { return };
    let samples = window.texts_when("#preview-files td.samples", |t| !t.is_empty());
    assert!(samples.iter().any(|s| s.contains("<script>alert(\"x\")</script>")), "markup as text in the preview: {samples:?}");
    window.click("#preview-import");
    window.headline_when(20);
    window.click("#dimensions button[data-view='salesperson']");
    let rows = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.contains("<script>")));
    assert!(rows.iter().any(|r| r.starts_with("<script>alert(\"x\")</script>")), "the name as text: {rows:?}");
    let injected = window.script(
        "return document.querySelectorAll('#groups script, #groups b, #groups img, #import-report img, #preview img, #preview script, .filters img').length",
    );
    assert_eq!(injected, json!(0), "no markup of the report became elements");
    let options = window.texts("#filter-salesperson option");
    assert!(options.iter().any(|o| o == "Jan & \"Piet\" <b>"), "{options:?}");
    let report = window.texts_when("#import-results > li", |t| !t.is_empty());
    assert!(
        report[0].starts_with("hostile.xlsx: 20 rows read → 20 leads (20 new, 0 updated, 0 unchanged)"),
        "the import report: {report:?}"
    );
}

#[test]
fn a_large_import_runs_in_the_background_and_can_be_stopped() {
    // A million leads: many seconds to import, ample time to stop halfway.
    let file = std::env::temp_dir().join(format!("dertien-e2e-large-{}.csv", std::process::id()));
    let mut text = String::from("Lead ID;Created;Source;Salesperson;Status\n");
    for i in 0..1_000_000u32 {
        text.push_str(&format!(
            "B{i};{:02}-10-2023;Website;Verkoper {};{}\n",
            1 + i % 28,
            i % 7,
            if i % 9 == 0 { "Verkocht" } else { "Open" }
        ));
    }
    std::fs::write(&file, text).expect("large report written");
    let path = file.to_string_lossy().into_owned();
    let Some(window) = open_window("large", &["--demo", path.as_str()]) else { return };
    window.texts_when("#preview-files .facts", |t| !t.is_empty());
    window.click("#preview-import");
    assert!(window.until("return !document.getElementById('progress').hidden"), "the progress shows");
    // The dashboard answers while the import holds the store.
    window.click("#dimensions button[data-view='salesperson']");
    let people = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Unassigned")));
    let last = window.script("const rows = document.querySelectorAll('#groups tbody tr'); const r = rows[rows.length - 1]; return [r.cells[0].innerText, r.classList.contains('apart'), r.querySelector('.verdict').innerText]");
    assert_eq!(last, json!(["Unassigned", true, "–"]), "the unassigned leads last, apart, not judged");
    assert_eq!(people.len(), 11, "{people:?}");
    let rows = window.texts_when("#progress-rows", |t| t.first().is_some_and(|r| number(r) > 0));
    assert!(number(&rows[0]) > 0, "rows read so far: {rows:?}");
    window.click("#cancel-import");
    let report = window.texts_when("#import-results > li", |t| !t.is_empty());
    assert!(report[0].contains("import cancelled; nothing was stored"), "{report:?}");
    assert_eq!(window.texts("#imports tbody tr").len(), DEMO_IMPORTS, "only the demo's imports");
    assert_eq!(window.headline_when(DEMO_ACTIVE)[1], DEMO_SOLD);
    let _ = std::fs::remove_file(file);
}

#[test]
fn open_with_while_the_window_is_open_hands_the_file_to_it() {
    let Some(window) = open_window("single", &["--demo"]) else { return };
    window.headline_when(DEMO_ACTIVE);
    // A second start on the same store, as "Open with Dertien" makes it.
    let application = std::env::var_os("DERTIEN_APP").map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dertien")), PathBuf::from);
    let status = Command::new(application)
        .arg(data("fixtures/unnamed_outcome.csv"))
        .env("DERTIEN_DB", window._driver.dir.join("dertien.db"))
        .env("GSETTINGS_BACKEND", "memory")
        .stdout(Stdio::null())
        .status()
        .expect("a second start runs");
    assert!(status.success(), "the second start ends once the open window has the file: {status}");
    let files = window.texts_when("#preview-files h3", |t| !t.is_empty());
    assert_eq!(files, ["unnamed_outcome.csv"], "the open window previews it");
}

/// Screenshots of the main views for the README, from the real window:
/// `.ci/screenshots` sets DERTIEN_SCREENSHOTS to the folder to write them to.
/// Without it the pictures are still taken and checked, not kept. In Dutch,
/// as the managers the README speaks to see it, on a laptop's 1280 x 720.
#[test]
fn screenshots_of_the_main_views() {
    let file = data("fixtures/unnamed_outcome.csv");
    let Some(window) = open_window_on("screenshots", &["--demo", file.as_str()], demo_in("nl")) else { return };
    window.call("POST", "/window/rect", Some(&json!({"width": 1280, "height": 720})));
    let folder = std::env::var_os("DERTIEN_SCREENSHOTS").map(PathBuf::from);
    let shoot = |name: &str| {
        // Let the chart's image and the layout settle before the picture.
        std::thread::sleep(Duration::from_millis(600));
        let encoded = window.call("GET", "/screenshot", None);
        let png = base64_decode(encoded.as_str().unwrap_or_default());
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let info = decoder.read_info().unwrap_or_else(|e| panic!("{name}: not a PNG: {e}"));
        let (width, height) = (info.info().width, info.info().height);
        assert!((1240..=1280).contains(&width) && (680..=720).contains(&height), "{name}: the whole window, not {width}x{height}");
        if let Some(folder) = &folder {
            std::fs::create_dir_all(folder).expect("screenshot folder");
            std::fs::write(folder.join(format!("{name}.png")), &png).expect("screenshot written");
        }
    };
    window.texts_when("#preview-files .problem", |t| !t.is_empty());
    window.set("select[aria-label='Rol: Afloop']", "status");
    shoot("preview");
    window.click("#preview-cancel");
    window.until("return document.getElementById('preview').hidden");
    window.headline_when(DEMO_ACTIVE);
    window.script("window.scrollTo(0, 0); return true");
    shoot("dashboard");
    window.set("#period", "custom");
    window.set("#from", "2023-07");
    window.set("#to", "2023-09");
    window.click("#dimensions button[data-view='salesperson']");
    window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Niet toegewezen")));
    window.script("document.getElementById('dimensions').scrollIntoView(); return true");
    shoot("salespeople");
    window.click("#dimensions button[data-view='why']");
    window.texts_when("#why-sentences li", |t| t.len() == 8);
    window.script("document.getElementById('dimensions').scrollIntoView(); return true");
    shoot("why");
    window.click("#dimensions button[data-view='matrix']");
    window.until("return !document.getElementById('matrix-table').hidden");
    window.script("document.getElementById('dimensions').scrollIntoView(); return true");
    shoot("matrix");
    // A slide of the meeting deck, anonymous, in the dark theme.
    window.script("document.getElementById('present-anonymous').checked = true; return true");
    window.press(&[F5]);
    window.texts_when("#present-page", |t| t.first().is_some_and(|p| p.starts_with("1 / ")));
    window.press(&["5"]);
    window.texts_when("#present-title", |t| t.first().is_some_and(|p| p == "Verkoper"));
    window.until("const i = document.getElementById('present-chart'); return !i.hidden && i.complete && i.naturalWidth > 0");
    shoot("slide");
    window.press(&[ESCAPE]);
    window.until("return document.getElementById('present').hidden");
    window.click("#open-settings");
    window.texts_when("#sources tbody tr", |t| t.len() >= 8);
    shoot("settings");
}

/// A PNG's pixels as RGB, with its size.
fn rgb_pixels(png: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).expect("its pixels");
    assert_eq!(frame.bit_depth, png::BitDepth::Eight, "8-bit colour");
    let channels = frame.color_type.samples();
    assert!(channels >= 3, "a colour PNG: {:?}", frame.color_type);
    let pixels = buffer[..frame.buffer_size()].chunks_exact(channels).map(|p| [p[0], p[1], p[2]]).collect();
    (frame.width, frame.height, pixels)
}

/// RFC 4648 base64, as WebDriver sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let bits = chunk.iter().enumerate().fold(0u32, |acc, (i, s)| acc | (u32::from(*s) << (18 - 6 * i)));
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
