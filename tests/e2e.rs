//! The real window, driven from outside: the app under WebDriver
//! (`tauri-driver` in front of WebKitWebDriver), on a virtual display.
//!
//! Needs `tauri-driver` (cargo install tauri-driver --locked), WebKitWebDriver
//! (Debian's webkit2gtk-driver) and a display; `.ci/test` provides all three.
//! Where one is missing the test says so and passes, except under CI
//! (`CI` set), where a skipped window test is a failure.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

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

fn skip_or_fail() -> bool {
    match missing_prerequisite() {
        None => false,
        Some(why) if std::env::var_os("CI").is_some() => panic!("the window tests cannot run: {why}"),
        Some(why) => {
            eprintln!("window tests skipped: {why}");
            true
        }
    }
}

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
fn open_window(name: &str, port: u16, args: &[&str]) -> Option<Window> {
    if skip_or_fail() {
        return None;
    }
    let display = DISPLAY_IN_USE.lock().unwrap_or_else(|e| e.into_inner());
    let driver = Driver::start(name, port);
    let session = driver.session(args);
    Some(Window { session, _driver: driver, _display: display })
}

/// tauri-driver for one test, with the app's store in a folder of its own.
struct Driver {
    process: Child,
    port: u16,
    dir: PathBuf,
}

impl Driver {
    fn start(name: &str, port: u16) -> Driver {
        let dir = std::env::temp_dir().join(format!("dertien-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let process = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
            .env("DERTIEN_DB", dir.join("dertien.db"))
            .env("GSETTINGS_BACKEND", "memory")
            .env("LANG", "en_US.UTF-8")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("driver.log")).map_or_else(|_| Stdio::null(), Stdio::from))
            .spawn()
            .expect("tauri-driver starts");
        let driver = Driver { process, port, dir };
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
        let reply = http(self.port, "POST", "/session", Some(&capabilities));
        let id = reply["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {reply}")).to_string();
        Session { port: self.port, id }
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

struct Session {
    port: u16,
    id: String,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Session {
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let reply = http(self.port, method, &format!("/session/{}{path}", self.id), body);
        if reply["value"].get("error").is_some() {
            panic!("{method} {path}: {}", reply["value"]);
        }
        reply["value"].clone()
    }

    /// The elements matching a CSS selector, once there are any (up to 30 s).
    fn wait_for(&self, css: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = self.call("POST", "/elements", Some(&json!({"using": "css selector", "value": css})));
            let ids: Vec<String> = found.as_array().into_iter().flatten().filter_map(|e| e[ELEMENT].as_str().map(str::to_string)).collect();
            if !ids.is_empty() || Instant::now() > deadline {
                return ids;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The visible texts of the elements matching `css`, read in one step
    /// (the page may redraw between steps).
    fn texts(&self, css: &str) -> Vec<String> {
        let code = format!("return Array.from(document.querySelectorAll({})).map(e => e.innerText)", json!(css));
        let texts = self.script(&code);
        texts.as_array().into_iter().flatten().map(|t| t.as_str().unwrap_or_default().to_string()).collect()
    }

    /// Waits until the texts of `css` satisfy `ready` (up to 30 s).
    fn texts_when(&self, css: &str, ready: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let texts = self.texts(css);
            if ready(&texts) || Instant::now() > deadline {
                return texts;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn click(&self, css: &str) {
        let id = self.wait_for(css).into_iter().next().unwrap_or_else(|| panic!("no {css}"));
        self.call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", Some(&json!({"script": code, "args": []})))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

/// One WebDriver request over plain HTTP/1.1. A connection closed without
/// an answer (the driver busy while the page loads) is tried again.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    for _ in 0..20 {
        if let Some(reply) = http_once(port, method, path, body) {
            return reply;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("{method} {path}: the driver closed the connection without answering, 20 times");
}

fn http_once(port: u16, method: &str, path: &str, body: Option<&Value>) -> Option<Value> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("driver reachable");
    stream.set_read_timeout(Some(Duration::from_secs(120))).expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request sent");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response read");
    if response.is_empty() {
        return None;
    }
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let body = if head.to_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
    Some(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{method} {path}: {e}: {head}\n{body}")))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn the_demo_opens_with_the_samples_figures() {
    let Some(window) = open_window("demo", 4444, &["--demo"]) else { return };
    // Headline: the two demo reports' active leads and sales (their truth files).
    let headline = window.texts_when("#headline strong", |t| t.len() >= 5);
    assert_eq!(headline[0], (5755 + 2400).to_string(), "active leads: {headline:?}");
    assert_eq!(headline[1], (679 + 293).to_string(), "sold: {headline:?}");
    assert_eq!(headline[4], (245 + 100).to_string(), "passive leads apart: {headline:?}");
    let rows = window.texts_when("#groups tbody tr", |t| t.len() == 8);
    assert_eq!(rows.len(), 8, "a row per source: {rows:?}");
    assert!(rows[0].starts_with("Showroom"), "best source first: {rows:?}");
    // The chart arrives as an SVG blob drawn by plotters.
    let source = window.script("return document.getElementById('chart').src");
    assert!(source.as_str().unwrap_or_default().starts_with("blob:"), "{source}");
    let loaded = window.script("const i = document.getElementById('chart'); return i.complete && i.naturalWidth > 0");
    assert_eq!(loaded, json!(true));
    window.click("#dimensions button:nth-child(2)");
    let people = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.starts_with("Unassigned")));
    assert_eq!(people.len(), 11, "ten salespeople and the unassigned: {people:?}");
    let imports = window.texts("#imports tbody tr");
    assert_eq!(imports.len(), 2, "{imports:?}");
}

#[test]
fn markup_in_names_shows_as_text() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fixtures/hostile.xlsx");
    let Some(window) = open_window("hostile", 4454, &[file.to_str().unwrap_or_default()]) else { return };
    window.click("#dimensions button:nth-child(2)");
    let rows = window.texts_when("#groups tbody tr", |t| t.iter().any(|r| r.contains("<script>")));
    assert!(rows.iter().any(|r| r.starts_with("<script>alert(\"x\")</script>")), "the name as text: {rows:?}");
    let injected = window.script("return document.querySelectorAll('#groups script, #groups b, #groups img, #import-report img').length");
    assert_eq!(injected, json!(0), "no markup of the report became elements");
    let report = window.texts_when("#import-results > li", |t| !t.is_empty());
    assert!(report[0].starts_with("hostile.xlsx: 20 rows read → 20 leads (20 new, 0 updated, 0 unchanged)"), "the import report: {report:?}");
}

#[test]
fn changing_the_norm_and_removing_an_import_redraw_the_figures() {
    let Some(window) = open_window("settings", 4464, &["--demo"]) else { return };
    let headline = window.texts_when("#headline strong", |t| t.len() >= 5);
    assert_eq!(headline[3], ((0.13f64 * 8155.0).ceil() as u64 - 972).to_string(), "gap to 13%: {headline:?}");
    window.script("const n = document.getElementById('norm'); n.value = '15'; n.dispatchEvent(new Event('change')); return true");
    // ceil(15% of 8155) - 972 more sales would have reached the norm.
    let expected_gap = ((0.15f64 * 8155.0).ceil() as u64 - 972).to_string();
    let headline = window.texts_when("#headline strong", |t| t.get(3) == Some(&expected_gap));
    assert_eq!(headline[3], expected_gap, "{headline:?}");
    let labels = window.texts("#headline span");
    assert!(labels.iter().any(|l| l.contains("reached 15%")), "{labels:?}");

    let remove = "button[aria-label*='leadrapport_oktober']";
    window.click(remove);
    window.click(remove);
    let headline = window.texts_when("#headline strong", |t| t.first().map(String::as_str) == Some("5755"));
    assert_eq!(headline[0], "5755", "the October report's leads are gone: {headline:?}");
    assert_eq!(headline[1], "679");
    assert_eq!(window.texts("#imports tbody tr").len(), 1);
}

#[test]
fn a_custom_period_shows_that_period_only() {
    let Some(window) = open_window("period", 4474, &["--demo"]) else { return };
    window.texts_when("#headline strong", |t| t.len() >= 5);
    window.script(
        "const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); };
         set('from', '2023-10'); set('to', '2023-10'); set('period', 'custom'); return true",
    );
    // October is the Dutch report alone: its truth file's figures.
    let headline = window.texts_when("#headline strong", |t| t.first().map(String::as_str) == Some("2400"));
    assert_eq!(&headline[..2], ["2400", "293"], "{headline:?}");
    assert!(!window.texts("#custom-period")[0].is_empty(), "the custom months are shown");
    window.script("const e = document.getElementById('period'); e.value = 'this-month'; e.dispatchEvent(new Event('change')); return true");
    let headline = window.texts_when("#headline strong", |t| t.first().map(String::as_str) == Some("0"));
    assert_eq!(headline[0], "0", "no demo lead was made this month: {headline:?}");
}
