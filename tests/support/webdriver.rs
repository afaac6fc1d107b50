//! The WebDriver client the browser tests share (`tests/e2e.rs`: the app's
//! window under tauri-driver; `tests/webview.rs`: the page in Chromium under
//! chromedriver): plain HTTP to a driver on 127.0.0.1 through ureq, its
//! JSON through serde_json. Each test uses part of it.
#![allow(dead_code)]

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Whether a browser test skips for want of `missing` (the reason): never
/// under CI (`CI` set), where a missing prerequisite fails the run instead.
pub fn skip_or_fail(test: &str, missing: Option<String>) -> bool {
    match missing {
        None => false,
        Some(why) if std::env::var_os("CI").is_some() => panic!("{test} cannot run: {why}"),
        Some(why) => {
            eprintln!("{test} skipped: {why}");
            true
        }
    }
}

/// A port no one listens on now, so browser tests can run beside another run.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// A WebDriver session; dropping it ends the session (and closes its browser).
pub struct Session {
    http: Http,
    id: String,
}

pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Session {
    /// A new session of the driver behind `http`, with these capabilities
    /// (`{"capabilities": {"alwaysMatch": ...}}`).
    pub fn start(http: Http, capabilities: &Value) -> Session {
        let (status, reply) = http.request("POST", "/session", Some(capabilities));
        let id = reply["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: HTTP {status}: {reply}")).to_string();
        Session { http, id }
    }
    pub fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, reply) = self.http.request(method, &format!("/session/{}{path}", self.id), body);
        let value = &reply["value"];
        if value.get("error").is_some() || !(200..300).contains(&status) {
            // WebDriver's error, e.g. "HTTP 404: no such element: Node identifier 'x' is invalid".
            let error = value["error"].as_str().unwrap_or("not a WebDriver reply");
            let message = match value["message"].as_str() {
                Some("") => String::new(),
                Some(message) => format!(": {message}"),
                None => format!(": {reply}"),
            };
            panic!("{method} {path}: HTTP {status}: {error}{message}");
        }
        value.clone()
    }

    /// The elements matching a CSS selector, once there are any (up to 30 s).
    pub fn wait_for(&self, css: &str) -> Vec<String> {
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
    pub fn texts(&self, css: &str) -> Vec<String> {
        let code = format!("return Array.from(document.querySelectorAll({})).map(e => e.innerText)", json!(css));
        let texts = self.script(&code);
        texts.as_array().into_iter().flatten().map(|t| t.as_str().unwrap_or_default().to_string()).collect()
    }

    /// Waits until the texts of `css` satisfy `ready` (up to 30 s).
    pub fn texts_when(&self, css: &str, ready: impl Fn(&[String]) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let texts = self.texts(css);
            if ready(&texts) || Instant::now() > deadline {
                return texts;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Clicks the first element matching `css`, scrolled to the middle of
    /// the view first: the page's header and filters stay at the top, and
    /// a driver that scrolls an element to the top edge (ChromeDriver) would
    /// click the bar over it.
    pub fn click(&self, css: &str) {
        let id = self.wait_for(css).into_iter().next().unwrap_or_else(|| panic!("no {css}"));
        let centred = json!({"script": "arguments[0].scrollIntoView({block: 'center'}); return true", "args": [{ELEMENT: id}]});
        self.call("POST", "/execute/sync", Some(&centred));
        self.call("POST", &format!("/element/{id}/click"), Some(&json!({})));
    }

    /// Presses and releases keys on the focused element, as a keyboard (or a
    /// presenter's clicker) does: W3C key values ("\u{E014}" is the right arrow).
    pub fn press(&self, keys: &[&str]) {
        let actions: Vec<Value> =
            keys.iter().flat_map(|k| [json!({"type": "keyDown", "value": k}), json!({"type": "keyUp", "value": k})]).collect();
        self.call("POST", "/actions", Some(&json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})));
    }

    pub fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", Some(&json!({"script": code, "args": []})))
    }

    /// Whether `code` returns true within 30 s.
    pub fn until(&self, code: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.script(code) != json!(true) {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        true
    }

    /// Sets a form control's value as a user would, firing its `change`.
    pub fn set(&self, css: &str, value: &str) {
        self.wait_for(css);
        let code = format!(
            "const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('change')); return e.value",
            json!(css),
            json!(value)
        );
        assert_eq!(self.script(&code), json!(value), "{css} took {value}");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Not `request`: a driver already gone must not panic here, within a test's panic.
        let _ = self.http.try_request("DELETE", &format!("/session/{}", self.id), None);
    }
}

/// The driver's HTTP/1.1 endpoint on 127.0.0.1 (ureq), which keeps its
/// connection open from one call to the next.
#[derive(Clone)]
pub struct Http {
    agent: ureq::Agent,
    base: String,
}

impl Http {
    pub fn new(port: u16) -> Http {
        let agent = ureq::Agent::config_builder()
            // A WebDriver error is a 4xx or 5xx with a JSON body that says what: read, not an Err.
            .http_status_as_error(false)
            // A call that hangs fails instead (the app's start is the longest wait).
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .new_agent();
        Http { agent, base: format!("http://127.0.0.1:{port}") }
    }

    /// One WebDriver request: the HTTP status and the JSON reply.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        self.try_request(method, path, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// A connection closed without an answer (the driver busy while the page
    /// loads) is tried again; any other failure is the error.
    pub fn try_request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut tries = 1;
        let mut response = loop {
            let request = ureq::http::Request::builder()
                .method(method)
                .uri(format!("{}{path}", self.base))
                .header("Content-Type", "application/json")
                .body(body.as_str())
                .map_err(|e| e.to_string())?;
            match self.agent.run(request) {
                Ok(response) => break response,
                Err(ureq::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted) =>
                {
                    if tries == 20 {
                        return Err(format!("the driver closed the connection without answering, 20 times ({e})"));
                    }
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(250));
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        let status = response.status().as_u16();
        // No size limit: a screenshot may be past ureq's default of 10 MB.
        let text = response.body_mut().with_config().limit(u64::MAX).read_to_string().map_err(|e| format!("HTTP {status}: {e}"))?;
        let reply = serde_json::from_str(&text).map_err(|e| format!("HTTP {status}: {e}\n{text}"))?;
        Ok((status, reply))
    }
}
