//! The window's page in Chromium's engine, as WebView2 runs it on Windows.
//!
//! The window tests (`tests/e2e.rs`) drive WebKitGTK, the Linux engine. On
//! Windows the same `ui/` runs in WebView2, which is Chromium and enforces the
//! CSP and Trusted Types in its own way; nothing of that build runs before
//! release day. So here `ui/` is served from 127.0.0.1 with the app's CSP
//! (read from tauri.conf.json) as a header, to headless Chromium under
//! chromedriver, with a stand-in for `window.__TAURI__` loaded before
//! `main.js` as a same-origin script (Trusted Types allow no inline one). It
//! answers `invoke` from what the real engine gave for the two sample reports
//! (the command line imports them; the library reports, charts and reads the
//! settings), and it freezes `Object.prototype` first, as Tauri does with
//! `freezePrototype`. The test then goes through the dashboard, the preview,
//! the views, the settings and an import, and asserts that no CSP or Trusted
//! Types violation, no error and no unanswered command happened, and that
//! every chart image loaded. Two deliberate violations at the end show that
//! the policy is in force and that the listener hears it.
//!
//! What it does not cover: Tauri's own scripts (the real IPC over
//! `http://ipc.localhost`, which `connect-src` allows) and WebView2 itself.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/packages.sh`). Where
//! they are missing the test says so and passes, except under CI (`CI` set).

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dertien::charts::{self, ChartOptions};
use dertien::metrics::{self, Evidence, Filter, Period, Rate, Report, Verdict};
use dertien::model::Dimension;
use dertien::store::{LeadTable, Store};
use serde_json::{json, Value};

mod support {
    pub mod webdriver;
}
use support::webdriver::{free_port, skip_or_fail, Http, Session};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Chromium's own program (Debian's `/usr/bin/chromium` is a shell script
/// in front of it); `CHROMIUM` names another.
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("CHROMIUM").map(PathBuf::from).into_iter();
    candidates
        .chain(["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|p| p.is_file())
}

/// Why the page cannot be tested here, if it cannot.
fn missing_prerequisite() -> Option<String> {
    if chromium().is_none() {
        return Some("Chromium is not installed (apt-get install chromium)".into());
    }
    if Command::new("chromedriver").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        return Some("chromedriver is not installed (apt-get install chromium-driver)".into());
    }
    None
}

/// The app's CSP as Tauri sends it: tauri.conf.json's directives, one header.
fn app_csp() -> String {
    let text = std::fs::read_to_string(root().join("src-tauri/tauri.conf.json")).expect("tauri.conf.json");
    let conf: Value = serde_json::from_str(&text).expect("tauri.conf.json is JSON");
    let csp = conf["app"]["security"]["csp"].as_object().expect("app.security.csp, directive by directive");
    csp.iter().map(|(directive, sources)| format!("{directive} {}", sources.as_str().unwrap_or_default())).collect::<Vec<_>>().join("; ")
}

/// A folder of its own for the test, gone afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dertien-webview-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The command line on the store `db`: its standard output.
fn dertien(db: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dertien")).arg("--db").arg(db).args(args).output().expect("dertien runs");
    assert!(output.status.success(), "dertien {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn sample(name: &str) -> String {
    root().join("tests/data/samples").join(name).to_string_lossy().into_owned()
}

/// A rate as the window receives it (`transfer::RateView::judged`).
fn judged(rate: &Rate) -> Value {
    let (ci_low, ci_high) = rate.interval();
    let verdict = match rate.verdict() {
        Verdict::Below => "below",
        Verdict::Undecided => "undecided",
        Verdict::Above => "above",
    };
    json!({
        "leads": rate.leads, "sold": rate.sold, "rate": rate.rate(), "ci_low": ci_low, "ci_high": ci_high,
        "gap_to_norm": rate.gap_to_norm(), "small_sample": rate.small_sample(), "verdict": verdict,
    })
}

/// A judged rate with metrics.md's evidence, as the window receives it
/// (`transfer::EvidenceView::for_window`, flattened into the rate).
fn with_evidence(mut view: Value, evidence: &Evidence, report: &Report, rate: &Rate) -> Value {
    let adjustment = evidence.adjustment.as_ref();
    let adjusted = adjustment.and_then(|a| a.adjusted);
    let fields = json!({
        "unanswered": evidence.unanswered, "median_response_minutes": evidence.median_response_minutes,
        "expected_sold": adjustment.map(|a| a.expected_sold),
        "adjusted_rate": adjusted.map(|a| a.rate), "adjusted_ci_low": adjusted.map(|a| a.low), "adjusted_ci_high": adjusted.map(|a| a.high),
        "mix_part": adjustment.map(|a| a.mix_part), "conversion_part": adjustment.map(|a| a.conversion_part),
        "at_stake": report.at_stake(rate), "recorded": evidence.recorded,
    });
    for (key, value) in fields.as_object().into_iter().flatten() {
        view[key] = value.clone();
    }
    view
}

/// The window's report of all leads by `by` (`transfer::ReportView::for_window`):
/// the figures and their evidence from the engine's lead table, the period
/// as the command line gives it.
fn window_report(table: &LeadTable, by: Dimension, period: &Value, rows_read: u64) -> Value {
    let report = metrics::report_with_evidence(table, by, Period::default(), &Filter::default());
    let empty = if by == Dimension::Salesperson { "Unassigned" } else { "Unknown" };
    let groups: Vec<Value> = report
        .groups
        .iter()
        .map(|group| {
            let mut view = with_evidence(judged(&group.rate), &group.evidence, &report, &group.rate);
            view["key"] = json!(group.key_text());
            view["label"] = json!(group.key_text().unwrap_or_else(|| empty.to_string()));
            if let metrics::GroupKey::Name(Some(id)) = group.key {
                view["id"] = json!(id);
            }
            view
        })
        .collect();
    json!({
        "by": by.name(), "adjusted_by": by.adjusted_by().map(Dimension::name), "norm": report.norm, "period": period,
        "total": with_evidence(judged(&report.total), &report.total_evidence, &report, &report.total),
        "passive_leads": report.passive_leads, "groups": groups,
        "path": {
            "rows_read": rows_read, "unique_leads": table.rows.len(),
            "in_view": report.total.leads + report.passive_leads, "active": report.total.leads,
        },
    })
}

/// The names to filter on, largest first (`transfer::FilterOptions`).
fn filter_names(table: &LeadTable, dimension: Dimension) -> Value {
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for row in &table.rows {
        if let Some(id) = row.name(dimension) {
            *counts.entry(id).or_default() += 1;
        }
    }
    let mut names: Vec<(u64, &String, i64)> =
        counts.into_iter().filter_map(|(id, leads)| Some((leads, table.names(dimension).get(&id)?, id))).collect();
    names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    names.into_iter().map(|(_, name, id)| json!({"id": id, "name": name})).collect()
}

/// What the stand-in answers: the real engine's output for the two sample
/// reports, in the shapes of `src-tauri/src/transfer/` (the preview and the
/// roles, which only the window's code makes, written out by hand).
fn recorded_responses(scratch: &Path) -> Value {
    let db = scratch.join("dertien.db");
    let imported: Value = serde_json::from_str(&dertien(
        &db,
        &["import", "--format", "json", &sample("leads_q3_2023.xlsx"), &sample("leadrapport_oktober.xlsx")],
    ))
    .expect("import JSON");
    // The window names a file, the command line gives the path it was given.
    let mut results = imported.as_array().cloned().unwrap_or_default();
    for result in &mut results {
        let name = Path::new(result["file"].as_str().unwrap_or_default()).file_name().map(|n| n.to_string_lossy().into_owned());
        result["file"] = json!(name);
        result["issue_count"] = json!(result["issues"].as_array().map_or(0, Vec::len));
    }
    let imports: Value = serde_json::from_str(&dertien(&db, &["imports", "--format", "json"])).expect("imports JSON");
    let rows_read = imports.as_array().into_iter().flatten().filter_map(|i| i["rows_read"].as_u64()).sum();
    let script_report: Value = serde_json::from_str(&dertien(&db, &["report", "--by", "source", "--format", "json"])).expect("report JSON");

    let store = Store::open(&db).expect("the store the command line wrote");
    let table = store.lead_table().expect("the lead table");
    let options = ChartOptions::default();
    let svg = |bytes: Vec<u8>| Value::String(String::from_utf8(bytes).expect("SVG is UTF-8"));
    let mut reports = serde_json::Map::new();
    let mut charts = serde_json::Map::new();
    for by in [Dimension::Source, Dimension::Salesperson] {
        reports.insert(by.name().into(), window_report(&table, by, &script_report["period"], rows_read));
        let report = metrics::report_on(&table, by, Period::default(), &Filter::default());
        charts.insert(by.name().into(), svg(charts::render(&report, &options).expect("a chart")));
    }
    // The Why view: the sources' report, the evidence chart; the volume
    // view: the salespeople's report, their scatter.
    reports.insert("why".into(), reports["source"].clone());
    let sources = metrics::report_with_evidence(&table, Dimension::Source, Period::default(), &Filter::default());
    charts.insert("why".into(), svg(charts::render_evidence(&sources, &options).expect("the evidence chart")));
    reports.insert("volume".into(), reports["salesperson"].clone());
    let people = metrics::report_on(&table, Dimension::Salesperson, Period::default(), &Filter::default());
    charts.insert("volume".into(), svg(charts::render_volume(&people, &options).expect("the volume chart")));
    let matrix = metrics::matrix(&table, Period::default(), &Filter::default(), 8, 20);
    charts.insert("matrix".into(), svg(charts::render_matrix(&matrix, &options).expect("the matrix chart")));
    let cells: Vec<Vec<Value>> = matrix.cells.iter().map(|row| row.iter().map(judged).collect()).collect();

    let settings = store.settings().expect("settings");
    let sources: Vec<Value> = store
        .sources()
        .expect("sources")
        .into_iter()
        .map(|s| json!({"name": s.name, "leads": s.leads, "passive": s.passive, "class_set": s.class_set, "merged_into": s.merged_into}))
        .collect();
    let roles: Vec<Value> = [
        ("lead_id", "lead id", false),
        ("created", "creation date", false),
        ("source", "source", false),
        ("salesperson", "salesperson", false),
        ("status", "status", true),
        ("sale_date", "sale date", true),
        ("converted", "converted", true),
        ("branch", "branch", false),
        ("phone", "phone", false),
    ]
    .into_iter()
    .map(|(key, label, outcome)| json!({"key": key, "label": label, "outcome": outcome}))
    .collect();
    let column = |header: &str, role: &str, samples: [&str; 3]| json!({"header": header, "role": role, "guess": null, "samples": samples});
    json!({
        "report": reports,
        "chart": charts,
        "matrix": {
            "sources": matrix.sources, "salespeople": matrix.salespeople, "cells": cells,
            "more_sources": matrix.more_sources, "more_salespeople": matrix.more_salespeople,
        },
        "filter_options": {
            "sources": filter_names(&table, Dimension::Source),
            "salespeople": filter_names(&table, Dimension::Salesperson),
            "branches": filter_names(&table, Dimension::Branch),
            "agents": filter_names(&table, Dimension::Agent),
            "newest_day": "2023-09-30", "months": ["2023-09", "2023-08", "2023-07"], "undated": 0,
        },
        "imports": imports,
        "import_results": results,
        "settings": {
            "norm_percent": (settings.norm * 1000.0).round() / 10.0, "language": "en", "sources": sources,
            "sold_words": ["Afgeleverd"], "lost_words": [],
            "standard_sold_words": ["verkocht", "sold"], "standard_lost_words": ["verloren", "lost"], "demo": false,
            "fold_sources_below": 10,
        },
        "column_roles": roles,
        "waiting_files": [{
            "token": 1, "file": "leads_q3_2023.xlsx", "error": null, "format": "Excel workbook (.xlsx)",
            "sheets": ["Leads"], "sheet": "Leads", "header_row": 1,
            "columns": [
                column("Lead ID", "lead_id", ["L2023700000", "L2023700001", "L2023700002"]),
                column("Created", "created", ["2023-07-01", "2023-07-01", "2023-07-02"]),
                column("Source", "source", ["Website formulier", "AutoTrack", "Showroom"]),
                column("Salesperson", "salesperson", ["Jan de Vries", "", "Sanne Bakker"]),
                column("Status", "status", ["Verkocht", "Open", "Verloren"]),
                column("Branch", "branch", ["Delft", "Leiden", "Delft"]),
                json!({"header": "Region", "role": "branch", "guess": "column \"Branch\" as the branch: \"Region\" fits as well",
                       "samples": ["Zuid", "Zuid", "Noord"]}),
            ],
            "notes": [], "problem": null, "remembered": false, "already_imported": false,
            "status_values": [
                {"value": "Open", "rows": 120, "outcome": "open", "known": true},
                {"value": "Verkocht", "rows": 30, "outcome": "sold", "known": true},
                {"value": "Offerte <b>gestuurd</b>", "rows": 12, "outcome": "open", "known": false},
            ],
        }],
    })
}

/// The stand-in for `window.__TAURI__`, served as a script of the page's own
/// origin: `invoke` answers from `recorded`, `listen` keeps the handlers,
/// and an import (`start_import`) ends with the events Tauri would send.
/// What goes wrong on the page is kept in `window.__standIn`.
fn stand_in(recorded: &Value) -> String {
    const SCRIPT: &str = r#"// A stand-in for window.__TAURI__ (tests/webview.rs).
Object.freeze(Object.prototype); // Tauri's freezePrototype, before any other script
(() => {
  "use strict";
  const recorded = RECORDED;
  const problems = [];
  const unanswered = [];
  const calls = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    problems.push(`${e.disposition} violation of ${e.effectiveDirective}: ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
  });
  window.addEventListener("error", (e) => problems.push(`error: ${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener("unhandledrejection", (e) => problems.push(`unhandled rejection: ${e.reason && e.reason.message ? e.reason.message : JSON.stringify(e.reason)}`));
  const listeners = new Map();
  const emit = (event, payload) => {
    for (const handler of listeners.get(event) || []) handler({ event, id: 0, payload });
  };
  let waiting = recorded.waiting_files;
  const copy = (value) => (value === undefined ? undefined : structuredClone(value));
  function answer(command, args) {
    switch (command) {
      case "report": return copy(recorded.report[args.query.by]);
      // Raw bytes: an ArrayBuffer, as Tauri's IPC delivers an ipc::Response.
      case "chart": return recorded.chart[args.query.by] === undefined ? undefined : new TextEncoder().encode(recorded.chart[args.query.by]).buffer;
      case "waiting_files": return copy(waiting);
      case "discard_files": waiting = waiting.filter((f) => !args.tokens.includes(f.token)); return null;
      case "start_import": {
        const files = waiting.filter((f) => args.files.some((g) => g.token === f.token));
        waiting = waiting.filter((f) => !files.includes(f));
        setTimeout(() => {
          emit("import-progress", { file: files[0].file, index: 0, files: files.length, rows: 3000, percent: 50 });
          setTimeout(() => emit("import-finished", null), 100);
        }, 100);
        return null;
      }
      default: return copy(recorded[command]);
    }
  }
  async function invoke(command, args = {}) {
    calls.push(command);
    const reply = answer(command, args);
    if (reply === undefined) {
      unanswered.push(`${command} ${JSON.stringify(args)}`);
      throw { kind: "invalid_input", message: `the stand-in has no answer for ${command}` };
    }
    return reply;
  }
  async function listen(event, handler) {
    listeners.set(event, [...(listeners.get(event) || []), handler]);
    return () => {};
  }
  window.__TAURI__ = Object.freeze({ core: Object.freeze({ invoke }), event: Object.freeze({ listen }) });
  window.__standIn = { problems, unanswered, calls };
})();
"#;
    SCRIPT.replace("RECORDED", &recorded.to_string())
}

const STAND_IN_PATH: &str = "/tauri-stand-in.js";
const MAIN_SCRIPT: &str = r#"<script type="module" src="main.js"></script>"#;

/// `ui/` on 127.0.0.1, every response with the app's CSP, the stand-in
/// loaded before `main.js`. One thread, one request per connection, for at
/// most five minutes; it stops when dropped.
struct Site {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Site {
    fn start(stand_in: String) -> Site {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a port for the page");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let port = listener.local_addr().expect("its address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let csp = app_csp();
        let index = std::fs::read_to_string(root().join("ui/index.html")).expect("ui/index.html");
        assert!(index.contains(MAIN_SCRIPT), "ui/index.html loads {MAIN_SCRIPT}");
        let index = index.replace(MAIN_SCRIPT, &format!("<script src=\"{}\"></script>\n  {MAIN_SCRIPT}", &STAND_IN_PATH[1..]));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            while !stopping.load(Ordering::Acquire) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let _ = serve(stream, &csp, &index, &stand_in);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                    Err(_) => break,
                }
            }
        });
        Site { port, stop, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/index.html", self.port)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request.
fn serve(mut stream: TcpStream, csp: &str, index: &str, stand_in: &str) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..read]);
    }
    let request = String::from_utf8_lossy(&request);
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, content_type, body): (&str, &str, Vec<u8>) = match path {
        "/" | "/index.html" => ("200 OK", "text/html; charset=utf-8", index.as_bytes().to_vec()),
        STAND_IN_PATH => ("200 OK", "text/javascript; charset=utf-8", stand_in.as_bytes().to_vec()),
        "/favicon.ico" => ("204 No Content", "image/x-icon", Vec::new()),
        file => {
            let name = file.trim_start_matches('/');
            let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            let content_type = match name.rsplit('.').next() {
                Some("js") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("html") => "text/html; charset=utf-8",
                _ => "application/octet-stream",
            };
            match std::fs::read(root().join("ui").join(name)) {
                Ok(bytes) if plain && !name.starts_with('.') => ("200 OK", content_type, bytes),
                _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
            }
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nContent-Security-Policy: {csp}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&body)?;
    stream.flush()
}

/// chromedriver on a port of its own; dropping it stops it.
struct Driver {
    process: Child,
    http: Http,
}

impl Driver {
    fn start(log: &Path) -> Driver {
        let port = free_port();
        let process = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver { process, http: Http::new(port) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// Headless Chromium the size of the app's window, its console kept.
    fn session(&self, profile: &Path) -> Session {
        let binary = chromium().expect("Chromium");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-extensions", "--window-size=1280,800", "--lang=en-US",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        Session::start(self.http.clone(), &capabilities)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// A figure as shown ("8,155") as a number.
fn number(text: &str) -> u64 {
    text.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(u64::MAX)
}

/// The chart shows a freshly drawn SVG: a blob URL other than `before`, loaded, with a size.
fn chart_drawn(page: &Session, before: &str) -> String {
    let code = format!(
        "const i = document.getElementById('chart'); return i.src.startsWith('blob:') && i.src !== {} && i.complete && i.naturalWidth > 0",
        json!(before)
    );
    assert!(page.until(&code), "the chart image loads (naturalWidth > 0): {:?}", problems(page));
    page.script("return document.getElementById('chart').src").as_str().unwrap_or_default().to_string()
}

/// What went wrong on the page so far, as the stand-in and Chromium's console saw it.
fn problems(page: &Session) -> Vec<String> {
    let mut problems: Vec<String> = page
        .script("return window.__standIn.problems.concat(window.__standIn.unanswered.map((c) => 'unanswered: ' + c))")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str().map(str::to_string))
        .collect();
    // Chromium's console: CSP and Trusted Types refusals, errors, failed loads.
    let log = page.call("POST", "/se/log", Some(&json!({"type": "browser"})));
    for entry in log.as_array().into_iter().flatten() {
        if entry["level"] == "SEVERE" || entry["level"] == "WARNING" {
            problems.push(format!(
                "console {}: {}",
                entry["level"].as_str().unwrap_or_default(),
                entry["message"].as_str().unwrap_or_default()
            ));
        }
    }
    problems
}

#[test]
fn the_window_s_page_runs_in_chromium_under_the_app_s_csp_and_trusted_types() {
    if skip_or_fail("the Chromium test", missing_prerequisite()) {
        return;
    }
    let scratch = Scratch::new("page");
    let recorded = recorded_responses(&scratch.0);
    let site = Site::start(stand_in(&recorded));
    let driver = Driver::start(&scratch.0.join("chromedriver.log"));
    let page = driver.session(&scratch.0.join("profile"));
    page.call("POST", "/url", Some(&json!({"url": site.url()})));
    let source = &recorded["report"]["source"];

    // The dashboard: the headline against the norm, the chart, the table, the filters.
    let active = source["total"]["leads"].as_u64().expect("recorded leads");
    let headline = page.texts_when("#headline strong", |t| t.len() == 5 && number(&t[0]) == active);
    assert_eq!(headline.len(), 5, "the headline's five figures: {headline:?} {:?}", problems(&page));
    assert_eq!(number(&headline[0]), active, "{headline:?}");
    assert_eq!(number(&headline[1]), source["total"]["sold"].as_u64().expect("recorded sold"));
    assert_eq!(page.script("return document.getElementById('welcome').hidden"), json!(true), "no welcome with leads");
    let groups = source["groups"].as_array().map_or(0, Vec::len);
    let rows = page.texts_when("#groups tbody tr", |t| t.len() == groups);
    assert_eq!(rows.len(), groups, "a row per source: {rows:?}");
    assert!(rows[0].starts_with(source["groups"][0]["label"].as_str().unwrap_or("?")), "{rows:?}");
    let mut chart = chart_drawn(&page, "");
    let sources = recorded["filter_options"]["sources"].as_array().map_or(0, Vec::len);
    assert_eq!(page.texts("#filter-source option").len(), sources + 1, "every source to filter on, and all");
    assert_eq!(page.texts("#imports tbody tr").len(), recorded["imports"].as_array().map_or(0, Vec::len), "the history");

    // The preview of the file waiting ("Open with"): its facts and each column's role.
    let facts = page.texts_when("#preview-files .facts", |t| !t.is_empty());
    assert_eq!(facts, ["Excel workbook (.xlsx) · sheet Leads · header on row 1"]);
    let roles =
        page.script("return Array.from(document.querySelectorAll('#preview-files table.columns tbody select')).map((s) => s.value)");
    assert_eq!(roles, json!(["lead_id", "created", "source", "salesperson", "status", "branch", "branch"]));
    let guess =
        page.script("const g = document.querySelector('#preview-files table.columns .guess'); return g && [g.textContent, g.title]");
    assert_eq!(
        guess,
        json!(["guess", "column \"Branch\" as the branch: \"Region\" fits as well"]),
        "a guess is marked, its reason a hover away"
    );
    let unknown = page.texts("#preview-files table.status-values tr.unknown td:first-child");
    assert_eq!(unknown, ["Offerte <b>gestuurd</b>"], "an unknown status value, as text");
    let counts_as =
        page.script("return Array.from(document.querySelectorAll('#preview-files table.status-values select')).map((s) => s.value)");
    assert_eq!(counts_as, json!(["open", "sold", "open"]));
    assert_eq!(page.script("return document.getElementById('preview-import').disabled"), json!(false));

    // Another view and the matrix: each redraws the table and a new chart.
    page.click("#dimensions button[data-view='salesperson']");
    let people = recorded["report"]["salesperson"]["groups"].as_array().map_or(0, Vec::len);
    let rows = page.texts_when("#groups tbody tr", |t| t.len() == people);
    assert_eq!(rows.len(), people, "a row per salesperson: {rows:?}");
    chart = chart_drawn(&page, &chart);
    let expected = page.texts("#groups thead th:not([hidden])");
    assert_eq!(expected[7..], ["Expected from their leads", "Unanswered", "Median response"], "the evidence's columns: {expected:?}");
    // The Why view: a row and a what-if sentence per source, its own chart.
    page.click("#dimensions button[data-view='why']");
    let sentences = page.texts_when("#why-sentences li", |t| t.len() == groups);
    assert_eq!(sentences.len(), groups, "a sentence per source: {sentences:?} {:?}", problems(&page));
    assert!(sentences.iter().all(|s| s.ends_with("(what-if, not a cause)")), "{sentences:?}");
    assert_eq!(page.texts("#why-table tbody tr").len(), groups);
    chart = chart_drawn(&page, &chart);
    page.click("#dimensions button[data-view='volume']");
    page.texts_when("#groups tbody tr", |t| t.len() == people);
    chart = chart_drawn(&page, &chart);
    page.click("#dimensions button[data-view='matrix']");
    assert!(page.until("return !document.getElementById('matrix-table').hidden"), "the matrix's table shows");
    let cells = page.texts_when("#matrix-table tbody td:not(:first-child)", |t| !t.is_empty());
    assert!(cells.iter().any(|c| c.contains(" · ") && c.contains('/')), "{cells:?}");
    chart = chart_drawn(&page, &chart);
    page.click("#dimensions button[data-view='source']");
    chart_drawn(&page, &chart);

    // The settings: every source with its class and merge choices.
    page.click("#open-settings");
    let listed = recorded["settings"]["sources"].as_array().map_or(0, Vec::len);
    let sources = page.texts_when("#sources tbody tr", |t| t.len() == listed);
    assert_eq!(sources.len(), listed, "{sources:?}");
    assert_eq!(page.texts("#sold-words").len(), 1);
    assert!(page.texts("#standard-words")[0].contains("verkocht"), "metrics.md's words");
    page.click("#close-settings");

    // An import: the progress, then the import report of each file.
    page.click("#preview-import");
    let report = page.texts_when("#import-results > li", |t| t.len() == 2);
    assert!(report[0].starts_with("leads_q3_2023.xlsx: 6,000 rows read → 6,000 leads (6,000 new, 0 updated, 0 unchanged)"), "{report:?}");
    assert!(page.until("return document.getElementById('preview').hidden"), "the preview closes after the import");

    let calls = page.script("return window.__standIn.calls");
    for command in ["settings", "column_roles", "filter_options", "report", "chart", "matrix", "imports", "waiting_files", "start_import"] {
        assert!(calls.as_array().is_some_and(|c| c.iter().any(|x| x == command)), "the page called {command}: {calls}");
    }
    let seen = problems(&page);
    assert!(seen.is_empty(), "the page in Chromium, under the app's CSP:\n{}", seen.join("\n"));

    // The checks can see a violation: Trusted Types refuse a string as HTML,
    // the CSP an image from elsewhere.
    let refused = page
        .script("try { document.createElement('div').innerHTML = '<b>x</b>'; return false } catch (e) { return e instanceof TypeError }");
    assert_eq!(refused, json!(true), "Trusted Types are required (require-trusted-types-for 'script')");
    page.script("const i = document.createElement('img'); i.src = 'http://example.invalid/x.png'; document.body.append(i); return true");
    page.until("return window.__standIn.problems.length >= 2");
    let violations = page.script("return window.__standIn.problems");
    let text = violations.to_string();
    assert!(text.contains("require-trusted-types-for") && text.contains("img-src"), "both deliberate violations were heard: {text}");
}
