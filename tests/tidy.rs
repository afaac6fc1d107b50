//! The house rules a machine can check (ARCHITECTURE.md, "Invariants").
//! Each failure names the file and the line to mend.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, extension, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some(extension) {
            out.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rust_sources() -> Vec<PathBuf> {
    let mut out = Vec::new();
    files(&root().join("src-tauri/src"), "rs", &mut out);
    out.sort();
    out
}

/// The lines of a source file before its `#[cfg(test)]` module.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| !line.trim_start().starts_with("#[cfg(test)]"))
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .collect()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string().replace('\\', "/")
}

#[test]
fn domain_modules_know_neither_tauri_nor_json() {
    let domain = ["import", "store", "metrics", "charts", "deck", "model", "calendar", "vocabulary", "lang"];
    let mut offences = Vec::new();
    for path in rust_sources() {
        let name = relative(&path);
        let module = name.trim_start_matches("src-tauri/src/").split(['/', '.']).next().unwrap_or_default().to_string();
        if !domain.contains(&module.as_str()) {
            continue;
        }
        for (n, line) in code_lines(&read(&path)) {
            if line.contains("tauri") || line.contains("serde") {
                offences.push(format!("{name}:{n}: {}", line.trim()));
            }
        }
    }
    assert!(offences.is_empty(), "domain modules must not use tauri or serde:\n{}", offences.join("\n"));
}

#[test]
fn no_unwrap_or_expect_outside_tests() {
    let mut offences = Vec::new();
    for path in rust_sources() {
        for (n, line) in code_lines(&read(&path)) {
            if line.contains(".unwrap()") || line.contains(".expect(") {
                offences.push(format!("{}:{n}: {}", relative(&path), line.trim()));
            }
        }
    }
    assert!(offences.is_empty(), "input must never be able to panic the app:\n{}", offences.join("\n"));
}

#[test]
fn main_only_calls_run() {
    for (program, entry) in [("src-tauri/src/main.rs", "run"), ("src-tauri/src/bin/dertien-window.rs", "run_window")] {
        let main = read(&root().join(program));
        let body: Vec<&str> =
            main.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#![")).collect();
        assert_eq!(body, ["fn main() {", format!("std::process::exit(dertien::{entry}());").as_str(), "}"], "{program}");
    }
}

#[test]
fn no_manager_helper_or_util_names() {
    let mut offences = Vec::new();
    for path in rust_sources() {
        for (n, line) in code_lines(&read(&path)) {
            for word in ["Manager", "Helper", "Util"] {
                let defines = ["struct ", "enum ", "trait ", "mod ", "fn "].iter().any(|k| {
                    line.split(k).nth(1).is_some_and(|rest| {
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .is_some_and(|name| name.to_lowercase().contains(&word.to_lowercase()))
                    })
                });
                if defines {
                    offences.push(format!("{}:{n}: {}", relative(&path), line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "names explain themselves:\n{}", offences.join("\n"));
}

#[test]
fn ui_builds_dom_without_html_strings() {
    let mut sources = Vec::new();
    files(&root().join("ui"), "js", &mut sources);
    files(&root().join("ui"), "html", &mut sources);
    assert!(!sources.is_empty(), "ui/ has its sources");
    let mut offences = Vec::new();
    for path in &sources {
        for (n, line) in read(path).lines().enumerate() {
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "setTimeout(\"",
                "onclick=",
                "onload=",
                "<script>",
            ] {
                if line.contains(sink) {
                    offences.push(format!("{}:{}: {sink}", relative(path), n + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "build DOM with createElement/textContent:\n{}", offences.join("\n"));
}

#[test]
fn the_window_is_locked_down() {
    let conf: serde_json::Value = serde_json::from_str(&read(&root().join("src-tauri/tauri.conf.json"))).expect("tauri.conf.json");
    let security = &conf["app"]["security"];
    assert_eq!(security["freezePrototype"], true);
    let csp = security["csp"].as_object().expect("the CSP is set, directive by directive");
    let text = serde_json::to_string(csp).expect("csp");
    assert!(!text.contains("unsafe-inline") && !text.contains("unsafe-eval"), "{text}");
    assert_eq!(csp["require-trusted-types-for"], "'script'");
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(conf["build"]["frontendDist"], "../ui");
    assert!(conf["build"].get("devUrl").is_none(), "no dev server");
}

#[test]
fn every_command_is_named_granted_and_registered() {
    let build = read(&root().join("src-tauri/build.rs"));
    let list = build.split("const COMMANDS: &[&str] = &[").nth(1).and_then(|r| r.split(']').next()).expect("COMMANDS in build.rs");
    let named: Vec<String> = list.split(',').map(|c| c.trim().trim_matches('"').to_string()).filter(|c| !c.is_empty()).collect();
    let capability: serde_json::Value =
        serde_json::from_str(&read(&root().join("src-tauri/capabilities/default.json"))).expect("capability");
    let permissions: Vec<String> =
        capability["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str().map(str::to_string)).collect();
    assert!(permissions.iter().all(|p| !p.starts_with("fs:")), "no file system permission: {permissions:?}");
    // Of core, only what the window uses: hearing the events Rust sends.
    let core: Vec<&String> = permissions.iter().filter(|p| p.starts_with("core:")).collect();
    assert_eq!(core, ["core:event:allow-listen", "core:event:allow-unlisten"], "core permissions beyond the events");
    let mut defined = Vec::new();
    let mut desktop = Vec::new();
    files(&root().join("src-tauri/src/desktop"), "rs", &mut desktop);
    for path in &desktop {
        let text = read(path);
        let mut lines = text.lines().enumerate().peekable();
        while let Some((n, line)) = lines.next() {
            if !line.trim_start().starts_with("#[tauri::command") {
                continue;
            }
            let signature = lines.next().map(|(_, l)| l).unwrap_or_default();
            let name = signature.split("fn ").nth(1).and_then(|r| r.split('(').next()).unwrap_or_default().to_string();
            // Tauri runs synchronous commands on the main thread: one waiting
            // for the store behind an import would freeze the window.
            assert!(signature.contains("pub async fn"), "{}:{}: command {name} must be async", relative(path), n + 2);
            // Commands stay small: validate, call the engine, map the error.
            let body = lines.clone().take_while(|(_, l)| *l != "}").count() + 2;
            assert!(body <= 15, "{}:{}: command {name} is {body} lines; keep commands under 15", relative(path), n + 1);
            defined.push(name);
        }
    }
    defined.sort();
    let mut sorted = named.clone();
    sorted.sort();
    assert_eq!(defined, sorted, "#[tauri::command]s and build.rs's COMMANDS");
    for command in &named {
        assert!(permissions.contains(&format!("allow-{}", command.replace('_', "-"))), "capabilities/default.json grants {command}");
    }
    let desktop_mod = read(&root().join("src-tauri/src/desktop/mod.rs"));
    for command in &named {
        assert!(desktop_mod.contains(&format!("commands::{command}")), "{command} is in generate_handler!");
    }
}

#[test]
fn architecture_maps_every_source_file() {
    let map = read(&root().join("ARCHITECTURE.md"));
    let missing: Vec<String> = rust_sources()
        .iter()
        .map(|p| relative(p).trim_start_matches("src-tauri/").to_string())
        .filter(|p| !map.contains(p.as_str()))
        .collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md's code map lacks: {missing:?}");
}

#[test]
fn migrations_are_append_only_sql_files() {
    let store = read(&root().join("src-tauri/src/store/mod.rs"));
    let mut schema = Vec::new();
    files(&root().join("src-tauri/src/store"), "sql", &mut schema);
    for path in &schema {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(store.contains(&format!("include_str!(\"{name}\")")), "{name} is in MIGRATIONS");
    }
}

/// `ui/i18n.js`'s words of one language: each key with whether it is a
/// phrase with values (a function) or plain text.
fn i18n_words(language: &str) -> std::collections::BTreeMap<String, bool> {
    let text = read(&root().join("ui/i18n.js"));
    let start = text.find(&format!("\n  {language}: {{\n")).unwrap_or_else(|| panic!("ui/i18n.js has no {language} table"));
    let table = &text[start..];
    let end = table.find("\n  },").unwrap_or_else(|| panic!("ui/i18n.js: the {language} table does not end"));
    table[..end]
        .lines()
        .filter_map(|line| line.strip_prefix("    ")?.split_once(':'))
        .filter(|(key, _)| !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|(key, rest)| (key.to_string(), rest.trim_start().starts_with('(')))
        .collect()
}

#[test]
fn every_ui_word_exists_in_both_languages_alike() {
    let (en, nl) = (i18n_words("en"), i18n_words("nl"));
    assert!(en.len() > 100, "ui/i18n.js's English table read as {} words", en.len());
    let only = |a: &std::collections::BTreeMap<String, bool>, b: &std::collections::BTreeMap<String, bool>| {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect::<Vec<_>>()
    };
    assert!(only(&en, &nl).is_empty(), "ui/i18n.js: in English only: {:?}", only(&en, &nl));
    assert!(only(&nl, &en).is_empty(), "ui/i18n.js: in Dutch only: {:?}", only(&nl, &en));
    let differ: Vec<&String> = en.iter().filter(|(k, f)| nl.get(*k) != Some(f)).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "ui/i18n.js: a phrase with values in one language, text in the other: {differ:?}");
    // Every word the page asks for by name is in the tables (else the page shows the key).
    let mut pages = Vec::new();
    files(&root().join("ui"), "js", &mut pages);
    files(&root().join("ui"), "html", &mut pages);
    for page in pages {
        let text = read(&page);
        for opener in ["t(\"", "data-t=\""] {
            for (at, _) in text.match_indices(opener) {
                let key: String = text[at + opener.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                let whole = text[at + opener.len() + key.len()..].starts_with('"');
                let is_call = opener != "t(\"" || at == 0 || !text[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.');
                if whole && is_call {
                    assert!(en.contains_key(&key), "{}: the word \"{key}\" is in neither language", relative(&page));
                }
            }
        }
    }
}
