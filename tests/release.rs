//! What a release needs, checked without building one (README: "Release").
//!
//! Windows and macOS installers are only ever built by
//! `.github/workflows/release.yml` on GitHub's runners, on a version tag or in
//! a rehearsal before it: a mistake there shows up late. So the workflow and
//! the bundle configuration it builds from are read here, on every test run,
//! and the parts that run on any shell (the Apple secrets' guard) are run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workflow() -> Yaml {
    let text = read(".github/workflows/release.yml");
    let mut documents = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("release.yml is not YAML: {e}"));
    assert_eq!(documents.len(), 1, "release.yml is one document");
    documents.remove(0)
}

fn tauri_conf() -> Value {
    serde_json::from_str(&read("src-tauri/tauri.conf.json")).expect("tauri.conf.json is JSON")
}

/// The configuration the bundler builds with on Windows: tauri.conf.json with
/// tauri.windows.conf.json merged in as a JSON Merge Patch (RFC 7396), as
/// tauri-utils does (a `null` removes the key).
fn windows_conf() -> Value {
    fn merge(doc: &mut Value, patch: &Value) {
        let Some(patch) = patch.as_object() else {
            *doc = patch.clone();
            return;
        };
        if !doc.is_object() {
            *doc = Value::Object(serde_json::Map::new());
        }
        let Some(map) = doc.as_object_mut() else { return };
        for (key, value) in patch {
            if value.is_null() {
                map.remove(key);
            } else {
                merge(map.entry(key.as_str()).or_insert(Value::Null), value);
            }
        }
    }
    let mut conf = tauri_conf();
    let patch = serde_json::from_str(&read("src-tauri/tauri.windows.conf.json")).expect("tauri.windows.conf.json is JSON");
    merge(&mut conf, &patch);
    conf
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str().unwrap_or_default()
}

fn steps(job: &Yaml) -> &[Yaml] {
    job["steps"].as_vec().map(Vec::as_slice).unwrap_or_default()
}

/// Every step of every job, with its job's name.
fn all_steps(workflow: &Yaml) -> Vec<(&str, &Yaml)> {
    let jobs = workflow["jobs"].as_hash().expect("release.yml has jobs");
    jobs.iter().flat_map(|(name, job)| steps(job).iter().map(move |step| (text(name), step))).collect()
}

/// The job that runs tauri-action, and that step.
fn build_job(workflow: &Yaml) -> (&Yaml, &Yaml) {
    let jobs = workflow["jobs"].as_hash().expect("release.yml has jobs");
    jobs.values()
        .find_map(|job| steps(job).iter().find(|s| text(&s["uses"]).starts_with("tauri-apps/tauri-action@")).map(|s| (job, s)))
        .expect("a job builds with tauri-apps/tauri-action")
}

/// `${{ matrix.x }}` in `template`, filled from one matrix entry.
fn expand(template: &str, entry: &Yaml) -> String {
    let mut out = template.to_string();
    for (key, value) in entry.as_hash().expect("a matrix entry is a map") {
        out = out.replace(&format!("${{{{ matrix.{} }}}}", text(key)), text(value));
    }
    out
}

/// The version `[workspace.package]` gives every crate.
fn workspace_version() -> String {
    let manifest = read("Cargo.toml");
    let section = manifest.split("[workspace.package]").nth(1).expect("Cargo.toml has [workspace.package]");
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix("version = \"").and_then(|v| v.strip_suffix('"')))
        .expect("[workspace.package] has a version")
        .to_string()
}

#[test]
fn a_version_tag_builds_every_installer() {
    let workflow = workflow();
    let tags: Vec<&str> = workflow["on"]["push"]["tags"].as_vec().expect("on.push.tags").iter().map(text).collect();
    assert_eq!(tags, ["v*"], "a version tag starts the release");

    let (job, step) = build_job(&workflow);
    // v0 fails under the Node 24 runtime GitHub runs actions with.
    assert_eq!(text(&step["uses"]), "tauri-apps/tauri-action@v1", "Tauri's own action, major version 1");
    let args = text(&step["with"]["args"]);
    let entries = job["strategy"]["matrix"]["include"].as_vec().expect("the build job has a matrix of includes");
    // (runner, target, bundles) as each matrix entry hands them to the bundler.
    let builds: Vec<(String, String, Vec<String>)> = entries
        .iter()
        .map(|entry| {
            let args = expand(args, entry);
            let word_after = |flag: &str| args.split_whitespace().skip_while(|w| *w != flag).nth(1).unwrap_or_default().to_string();
            let bundles = word_after("--bundles").split(',').map(str::to_string).collect();
            (expand(text(&job["runs-on"]), entry), word_after("--target"), bundles)
        })
        .collect();
    let wanted: [(&str, &str, &[&str]); 4] = [
        ("windows-", "x86_64-pc-windows-msvc", &["nsis", "msi"]),
        ("macos-", "aarch64-apple-darwin", &["app", "dmg"]),
        ("macos-", "x86_64-apple-darwin", &["app", "dmg"]),
        ("ubuntu-", "x86_64-unknown-linux-gnu", &["appimage", "deb", "rpm"]),
    ];
    for (runner, target, bundles) in wanted {
        let build = builds.iter().find(|(r, t, _)| r.starts_with(runner) && t == target);
        let Some((_, _, built)) = build else { panic!("no {runner}* build for {target}: {builds:?}") };
        for bundle in bundles {
            assert!(built.iter().any(|b| b == bundle), "{target} builds no {bundle}: {built:?}");
        }
    }
    let toolchain = steps(job).iter().find(|s| text(&s["uses"]).starts_with("dtolnay/rust-toolchain@")).expect("a Rust toolchain step");
    assert_eq!(text(&toolchain["with"]["targets"]), "${{ matrix.target }}", "the toolchain has each build's target");
}

#[test]
fn the_installers_go_to_one_draft_release() {
    let workflow = workflow();
    let (job, step) = build_job(&workflow);
    let release = text(&step["with"]["releaseId"]);
    let needs = text(&job["needs"]);
    assert_eq!(release, format!("${{{{ needs.{needs}.outputs.id }}}}"), "every build uploads to the release its `needs` job made");
    let draft = &workflow["jobs"][needs];
    let id = text(&draft["outputs"]["id"]);
    let step_id = id.trim_start_matches("${{ steps.").split('.').next().unwrap_or_default();
    let create = steps(draft).iter().find(|s| text(&s["id"]) == step_id).expect("the step that makes the release");
    let script = text(&create["with"]["script"]);
    assert!(script.contains("createRelease(") && script.contains("draft: true,"), "the release is made as a draft: {script}");
    assert_eq!(text(&workflow["permissions"]["contents"]), "write", "the token may make releases");
    // Only a pushed tag makes one (the workflow runs on nothing else that pushes).
    assert_eq!(text(&draft["if"]), "github.event_name == 'push'", "a rehearsal makes no release");
    let tag_check = steps(draft).iter().map(|s| text(&s["run"])).find(|r| r.contains("GITHUB_REF_NAME")).unwrap_or_default();
    assert!(tag_check.contains("Cargo.toml") && tag_check.contains("exit 1"), "the draft job checks the tag against the version");
}

#[test]
fn a_rehearsal_builds_every_installer_without_a_release() {
    let workflow = workflow();
    // README, "Release": run it before tagging (Actions › release › Run workflow).
    assert!(!workflow["on"]["workflow_dispatch"].is_badvalue(), "the workflow can be started by hand");
    assert!(workflow["on"]["schedule"].as_vec().is_some_and(|s| !s.is_empty()), "and runs every week");
    let (job, step) = build_job(&workflow);
    let needs = text(&job["needs"]);
    // The draft job is skipped then; a job whose `needs` was skipped is
    // skipped too unless its condition says otherwise.
    let condition = text(&job["if"]);
    for part in ["!cancelled()", &format!("needs.{needs}.result == 'success'"), "github.event_name != 'push'"] {
        assert!(condition.contains(part), "the builds run in a rehearsal: `if: {condition}` lacks {part}");
    }
    // With no draft the release id is empty and tauri-action uploads nothing;
    // the installers stay on the run instead, every kind the matrix builds.
    assert!(text(&step["with"]["releaseId"]).contains(&format!("needs.{needs}.outputs")));
    let keep =
        steps(job).iter().find(|s| text(&s["uses"]).starts_with("actions/upload-artifact@")).expect("a rehearsal keeps the installers");
    assert_eq!(text(&keep["if"]), "github.event_name != 'push'");
    assert_eq!(text(&keep["with"]["if-no-files-found"]), "error", "a rehearsal that bundled nothing fails");
    let paths = text(&keep["with"]["path"]);
    let entries = job["strategy"]["matrix"]["include"].as_vec().expect("the build job has a matrix of includes");
    for entry in entries {
        for bundle in text(&entry["bundles"]).split(',').filter(|b| *b != "app") {
            let folder = format!("target/${{{{ matrix.target }}}}/release/bundle/{bundle}/");
            assert!(paths.contains(&folder), "a rehearsal keeps the {bundle} installers: {paths}");
        }
    }
    let readme = read("README.md");
    let section = readme.split("## Release").nth(1).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(section.contains("Actions › release › Run workflow"), "README's Release says to rehearse before tagging");
}

/// Runs a workflow step's bash script as GitHub's runners do (`bash -e`),
/// with `env` and a fresh `$GITHUB_ENV`: the exit status, what it printed
/// and what it handed to the later steps.
fn run_step(script: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let github_env = std::env::temp_dir().join(format!("dertien-release-github-env-{}", std::process::id()));
    std::fs::write(&github_env, "").expect("GITHUB_ENV");
    let mut command = Command::new("bash");
    command.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]).env("GITHUB_ENV", &github_env);
    for (name, _) in std::env::vars() {
        if name.starts_with("APPLE_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("bash runs");
    let handed = std::fs::read_to_string(&github_env).unwrap_or_default();
    let _ = std::fs::remove_file(&github_env);
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stdout).into_owned(), handed)
}

const APPLE_SECRETS: [&str; 6] =
    ["APPLE_CERTIFICATE", "APPLE_CERTIFICATE_PASSWORD", "APPLE_SIGNING_IDENTITY", "APPLE_ID", "APPLE_PASSWORD", "APPLE_TEAM_ID"];

#[test]
fn signing_and_notarisation_read_their_secrets() {
    let workflow = workflow();
    let secrets = APPLE_SECRETS.iter().chain(&["WINDOWS_CERTIFICATE", "WINDOWS_CERTIFICATE_PASSWORD"]);
    let steps = all_steps(&workflow);
    for secret in secrets {
        let reads = steps.iter().any(|(_, step)| text(&step["env"][*secret]) == format!("${{{{ secrets.{secret} }}}}"));
        assert!(reads, "a step reads secrets.{secret} into ${secret}");
    }
    // Without Apple's certificate the app is still signed, ad hoc: an
    // unsigned app on Apple silicon reads as "damaged" rather than unknown.
    assert_eq!(tauri_conf()["bundle"]["macOS"]["signingIdentity"], "-");
}

#[test]
fn apple_signing_takes_all_six_secrets_or_none() {
    let workflow = workflow();
    let steps = all_steps(&workflow);
    let apple = steps.iter().find(|(_, s)| !s["env"]["APPLE_CERTIFICATE"].is_badvalue()).map(|(_, s)| text(&s["run"])).unwrap_or_default();
    // A secret that is not set reaches the step as an empty variable.
    let with = |set: &[&str]| -> Vec<(&str, &str)> {
        APPLE_SECRETS.iter().map(|name| (*name, if set.contains(name) { "value of secret" } else { "" })).collect()
    };

    // None: an ad-hoc build, with a warning, and nothing handed to the bundler
    // (which would take even an empty APPLE_CERTIFICATE for a certificate).
    let (status, printed, handed) = run_step(apple, &with(&[]));
    assert_eq!(status, 0, "{printed}");
    assert!(printed.contains("::warning::APPLE_CERTIFICATE is not set"), "{printed}");
    assert_eq!(handed, "", "nothing reaches the bundler");

    // All six: each handed to the later steps.
    let (status, printed, handed) = run_step(apple, &with(&APPLE_SECRETS));
    assert_eq!(status, 0, "{printed}");
    for name in APPLE_SECRETS {
        assert!(handed.contains(&format!("{name}<<DERTIEN_END\nvalue of secret\nDERTIEN_END\n")), "{name}: {handed}");
    }

    // Some: the run fails and says which are missing, rather than the bundler
    // failing on the ad-hoc identity or skipping notarisation in its log.
    for missing in [&["APPLE_SIGNING_IDENTITY"][..], &["APPLE_ID", "APPLE_TEAM_ID"], &["APPLE_CERTIFICATE_PASSWORD"]] {
        let set: Vec<&str> = APPLE_SECRETS.iter().copied().filter(|n| !missing.contains(n)).collect();
        let (status, printed, handed) = run_step(apple, &with(&set));
        assert_eq!(status, 1, "{missing:?} missing must fail the run: {printed}");
        let error = printed.lines().find(|l| l.starts_with("::error::")).unwrap_or_else(|| panic!("no ::error:: line: {printed}"));
        for name in missing {
            assert!(error.contains(name), "the error names {name}: {error}");
        }
        assert_eq!(handed, "", "nothing reaches the bundler");
    }
}

#[test]
fn windows_signing_fails_loudly_and_timestamps_by_rfc_3161() {
    let workflow = workflow();
    let steps = all_steps(&workflow);
    let windows =
        steps.iter().find(|(_, s)| !s["env"]["WINDOWS_CERTIFICATE"].is_badvalue()).map(|(_, s)| text(&s["run"])).unwrap_or_default();
    // The thumbprint goes into tauri.windows.conf.json, merged: that file
    // also holds the Windows-only bundle settings (the associations).
    assert!(windows.contains("certificateThumbprint") && windows.contains("tauri.windows.conf.json"), "{windows}");
    assert!(windows.contains("ConvertFrom-Json"), "the step merges into tauri.windows.conf.json rather than replacing it: {windows}");
    // A password-less secret fails with a message; a .pfx with its chain
    // signs with the one certificate that has the private key.
    assert!(windows.contains("if (-not $env:WINDOWS_CERTIFICATE_PASSWORD)") && windows.contains("exit 1"), "{windows}");
    assert!(windows.contains("Where-Object { $_.HasPrivateKey }") && windows.contains("$signing.Count -ne 1"), "{windows}");
    // signtool /tr URL /td sha256: an RFC 3161 timestamp (tauri-bundler's `tsp`).
    let signing = &tauri_conf()["bundle"]["windows"];
    assert_eq!(signing["tsp"], true);
    assert_eq!(signing["digestAlgorithm"], "sha256");
    assert!(signing["timestampUrl"].as_str().is_some_and(|u| u.starts_with("http")), "a timestamp server");
}

#[test]
fn the_workflow_and_ci_bundle_with_the_same_tauri_cli() {
    let workflow = workflow();
    let (_, step) = build_job(&workflow);
    let script = text(&step["with"]["tauriScript"]);
    let cli = script.split_whitespace().find(|w| w.starts_with("@tauri-apps/cli@")).expect("tauriScript names the npm CLI");
    assert!(cli.trim_start_matches("@tauri-apps/cli@").split('.').count() == 3, "the CLI's version is pinned: {cli}");
    let bundle = read(".ci/bundle");
    assert!(bundle.contains(&format!("tauri_cli={cli}\n")), ".ci/bundle builds with {cli} too");
}

#[test]
fn the_version_comes_from_the_workspace_and_suits_every_installer() {
    let conf = tauri_conf();
    assert!(conf.get("version").is_none(), "tauri.conf.json has no version: it is the crate's, from [workspace.package]");
    assert!(read("src-tauri/Cargo.toml").contains("\nversion.workspace = true\n"), "the dertien crate takes the workspace's version");
    // MSI's ProductVersion: three numbers, at most 255.255.65535, nothing after.
    let version = workspace_version();
    let parts: Vec<u32> = version.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect();
    assert!(parts.len() == 3 && parts[0] <= 255 && parts[1] <= 255 && parts[2] <= 65535, "{version} is no MSI version");
}

#[test]
fn the_bundle_says_who_makes_it_and_what_it_is() {
    let conf = tauri_conf();
    let bundle = &conf["bundle"];
    assert_eq!(bundle["active"], true);
    assert_eq!(conf["productName"], "Dertien");
    assert_eq!(conf["identifier"], "nl.dertien", "the identifier names the data folder (README: where the data lives)");
    for field in ["publisher", "copyright", "category", "shortDescription", "longDescription"] {
        assert!(bundle[field].as_str().is_some_and(|s| !s.trim().is_empty()), "bundle.{field} is set");
    }
}

/// The spreadsheet types Dertien opens: the extensions of
/// `bundle.fileAssociations` (macOS and Linux).
fn spreadsheet_extensions() -> Vec<String> {
    let conf = tauri_conf();
    let associations = conf["bundle"]["fileAssociations"].as_array().expect("bundle.fileAssociations");
    let mut extensions: Vec<String> =
        associations.iter().filter_map(|a| a["ext"].as_array()?.first()?.as_str().map(str::to_string)).collect();
    extensions.sort_unstable();
    extensions
}

#[test]
fn spreadsheets_open_with_dertien_on_macos_and_linux_without_taking_them() {
    let conf = tauri_conf();
    let associations = conf["bundle"]["fileAssociations"].as_array().expect("bundle.fileAssociations");
    for association in associations {
        let ext = association["ext"].as_array().and_then(|e| e.first()).and_then(Value::as_str).unwrap_or_default();
        // Linux lists the app under these types only with a MIME type.
        assert!(association["mimeType"].as_str().is_some_and(|m| m.contains('/')), "{ext} has a MIME type");
        assert!(association["contentTypes"].as_array().is_some_and(|c| !c.is_empty()), "{ext} has a macOS content type");
        // macOS: a viewer and an alternative, never the owner or the default.
        assert_eq!(association["role"], "Viewer", "{ext}");
        assert_eq!(association["rank"], "Alternate", "{ext}");
    }
    assert_eq!(spreadsheet_extensions(), ["csv", "ods", "xls", "xlsx"]);
    // Linux hands the chosen files over only where the menu entry asks.
    let linux = &conf["bundle"]["linux"];
    for format in ["deb", "rpm"] {
        let template = linux[format]["desktopTemplate"].as_str().unwrap_or_else(|| panic!("bundle.linux.{format}.desktopTemplate"));
        let desktop = read(&format!("src-tauri/{template}"));
        assert!(desktop.lines().any(|l| l == "Exec={{exec}} %F"), "{template} passes the files");
        assert!(desktop.lines().any(|l| l == "MimeType={{mime_type}}"), "{template} lists the types");
    }
}

/// One registry change an installer makes: the key (below the root), the
/// value's name ("" for the key's default value) and its data (`None` for a
/// deletion; a deleted key has the name `*`).
#[derive(Debug, Clone, PartialEq)]
struct RegistryChange {
    key: String,
    name: String,
    data: Option<String>,
}

impl RegistryChange {
    fn writes(&self, key: &str, name: &str) -> Option<&str> {
        (self.key == key && self.name == name).then_some(self.data.as_deref()).flatten()
    }
}

/// The words of an NSIS line, its quotes ("", '' or ``) taken off.
fn nsis_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == ';' {
            break;
        } else if matches!(c, '"' | '\'' | '`') {
            chars.next();
            words.push(chars.by_ref().take_while(|&d| d != c).collect());
        } else {
            let mut word = String::new();
            while let Some(&d) = chars.peek().filter(|d| !d.is_whitespace()) {
                word.push(d);
                chars.next();
            }
            words.push(word);
        }
    }
    words
}

/// What an NSIS hook does to the registry: the macro `name` of `script`,
/// with the macros it inserts expanded (their `${PARAMETERS}` filled in).
/// Other instructions are left out; `!insertmacro` of a macro the script
/// does not define (Tauri's own) is kept as a change with the key `!NAME`.
fn nsis_registry_changes(script: &str, name: &str, arguments: &[String]) -> Vec<RegistryChange> {
    let mut macros: BTreeMap<String, (Vec<String>, Vec<&str>)> = BTreeMap::new();
    let mut current: Option<(String, Vec<String>, Vec<&str>)> = None;
    for line in script.lines() {
        let words = nsis_words(line);
        match (words.first().map(String::as_str), current.as_mut()) {
            (Some("!macro"), None) => current = Some((words[1].clone(), words[2..].to_vec(), Vec::new())),
            (Some("!macroend"), Some(_)) => {
                if let Some((name, parameters, body)) = current.take() {
                    macros.insert(name, (parameters, body));
                }
            }
            (_, Some((_, _, body))) => body.push(line),
            _ => {}
        }
    }
    let (parameters, body) = macros.get(name).unwrap_or_else(|| panic!("the NSIS hooks define {name}"));
    assert_eq!(parameters.len(), arguments.len(), "{name} takes {parameters:?}");
    let mut changes = Vec::new();
    for line in body {
        let mut words = nsis_words(line);
        for word in &mut words {
            for (parameter, argument) in parameters.iter().zip(arguments) {
                *word = word.replace(&format!("${{{parameter}}}"), argument);
            }
        }
        let word = |i: usize| words.get(i).cloned().unwrap_or_default();
        match word(0).as_str() {
            "!insertmacro" if macros.contains_key(&word(1)) => changes.extend(nsis_registry_changes(script, &word(1), &words[2..])),
            "!insertmacro" => changes.push(RegistryChange { key: format!("!{}", word(1)), name: String::new(), data: None }),
            instruction if instruction.contains("Reg") => {
                assert_eq!(word(1), "SHCTX", "{line}: the install mode's hive (HKCU per user)");
                let (name, data) = match instruction {
                    "WriteRegStr" | "WriteRegExpandStr" | "WriteRegDWORD" => (word(3), Some(word(4))),
                    "DeleteRegValue" => (word(3), None),
                    "DeleteRegKey" => ("*".to_string(), None),
                    other => panic!("{line}: the test does not know {other}"),
                };
                changes.push(RegistryChange { key: word(2), name, data });
            }
            _ => {}
        }
    }
    changes
}

/// Every registry value a WiX source writes, its key below the root.
fn wix_registry_values(source: &str) -> (Vec<RegistryChange>, Vec<String>, Vec<String>) {
    use quick_xml::events::{BytesStart, Event};
    let attributes = |element: &BytesStart| -> BTreeMap<String, String> {
        element
            .attributes()
            .map(|a| a.expect("a well-formed attribute"))
            .map(|a| {
                let value = a.normalized_value(quick_xml::XmlVersion::Explicit1_0).expect("an attribute value").into_owned();
                (a.key.as_ref().to_string(), value)
            })
            .collect()
    };
    let mut reader = quick_xml::Reader::from_str(source);
    let (mut values, mut elements, mut components) = (Vec::new(), Vec::new(), Vec::new());
    // The full keys of the RegistryKey elements around the current one.
    let mut keys: Vec<String> = Vec::new();
    loop {
        let (element, empty) = match reader.read_event().expect("open-with.wxs is well-formed XML") {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.name().as_ref() == "RegistryKey" {
                    keys.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let tag = element.name().as_ref().to_string();
        let attributes = attributes(&element);
        let root_of = |attributes: &BTreeMap<String, String>| {
            let root = attributes.get("Root").map(String::as_str).unwrap_or_default();
            assert!(root.is_empty() || root == "HKLM", "{tag}: the machine's hive, as the MSI installs for all users: {attributes:?}");
        };
        let under = |attributes: &BTreeMap<String, String>| {
            let path: Vec<&str> = keys.last().map(String::as_str).into_iter().chain(attributes.get("Key").map(String::as_str)).collect();
            path.join("\\")
        };
        match tag.as_str() {
            "RegistryKey" => {
                root_of(&attributes);
                let key = under(&attributes);
                if !empty {
                    keys.push(key);
                }
            }
            "RegistryValue" => {
                root_of(&attributes);
                let name = attributes.get("Name").cloned().unwrap_or_default();
                values.push(RegistryChange { key: under(&attributes), name, data: attributes.get("Value").cloned() });
            }
            "Component" => components.push(attributes.get("Id").cloned().unwrap_or_default()),
            _ => {}
        }
        elements.push(tag);
    }
    (values, elements, components)
}

/// What an installer must and must not do for one extension: `changes`
/// holds everything it writes when installing, `removals` what it deletes
/// when uninstalling (None where Windows Installer removes its own values).
fn check_open_with_only(
    installer: &str,
    ext: &str,
    exe: &str,
    command: &str,
    changes: &[RegistryChange],
    removals: Option<&[RegistryChange]>,
) {
    let extension_key = format!("Software\\Classes\\.{ext}");
    let class = format!("Dertien.{ext}");
    let class_key = format!("Software\\Classes\\{class}");
    let program_key = format!("Software\\Classes\\Applications\\{exe}");
    let find = |key: &str, name: &str| changes.iter().find_map(|c| c.writes(key, name));
    // Never the default: nothing written to the extension's own key, its
    // default value least of all; only a value under OpenWithProgids.
    for change in changes.iter().chain(removals.unwrap_or_default()) {
        assert_ne!(change.key, extension_key, "{installer} must leave {extension_key} itself alone: {change:?}");
        if change.key.starts_with(&format!("{extension_key}\\")) {
            assert_eq!(
                (change.key.as_str(), change.name.as_str()),
                (format!("{extension_key}\\OpenWithProgids").as_str(), class.as_str()),
                "{installer}: under {extension_key} only its OpenWithProgids entry: {change:?}"
            );
        }
    }
    assert!(
        find(&format!("{extension_key}\\OpenWithProgids"), &class).is_some(),
        "{installer} lists {class} under .{ext}'s OpenWithProgids"
    );
    assert_eq!(find(&format!("{class_key}\\shell\\open\\command"), ""), Some(command), "{installer}: {class} opens with {exe}");
    assert!(find(&class_key, "").is_some_and(|d| !d.is_empty()), "{installer}: {class} has a name");
    assert!(find(&format!("{program_key}\\SupportedTypes"), &format!(".{ext}")).is_some(), "{installer}: {exe} supports .{ext}");
    if let Some(removals) = removals {
        let removes = |key: &str, name: &str| removals.iter().any(|c| c.key == key && c.name == name && c.data.is_none());
        assert!(removes(&format!("{extension_key}\\OpenWithProgids"), &class), "{installer}'s uninstaller takes {class} out of Open with");
        assert!(removes(&class_key, "*"), "{installer}'s uninstaller removes the class {class}");
    }
}

/// The program "Open with" starts: the package's main program, `dertien`.
fn main_program() -> String {
    let manifest = read("src-tauri/Cargo.toml");
    let default_run = manifest.lines().find_map(|l| l.strip_prefix("default-run = \"")?.strip_suffix('"').map(str::to_string));
    default_run.expect("src-tauri/Cargo.toml names its default-run program")
}

#[test]
fn on_windows_dertien_registers_under_open_with_never_as_the_default() {
    // Tauri's associations would take the default (NSIS: the extension's
    // default value, written back from a saved copy by the uninstaller; MSI:
    // an advertised ProgId and Extension): they are off on Windows.
    let conf = windows_conf();
    assert!(conf["bundle"].get("fileAssociations").is_none(), "tauri.windows.conf.json removes bundle.fileAssociations on Windows");
    assert_eq!(main_program(), "dertien");
    let extensions = spreadsheet_extensions();

    // NSIS, per user: its hooks, as NSIS expands them.
    assert_eq!(conf["bundle"]["windows"]["nsis"]["installerHooks"], "windows/installer-hooks.nsh");
    let hooks = read("src-tauri/windows/installer-hooks.nsh");
    let install = nsis_registry_changes(&hooks, "NSIS_HOOK_POSTINSTALL", &[]);
    let uninstall = nsis_registry_changes(&hooks, "NSIS_HOOK_POSTUNINSTALL", &[]);
    let nsis_exe = "${MAINBINARYNAME}.exe";
    let nsis_command = "\"$INSTDIR\\${MAINBINARYNAME}.exe\" \"%1\"";
    for ext in &extensions {
        check_open_with_only("NSIS", ext, nsis_exe, nsis_command, &install, Some(&uninstall));
    }
    let program_key = format!("Software\\Classes\\Applications\\{nsis_exe}");
    assert_eq!(install.iter().find_map(|c| c.writes(&format!("{program_key}\\shell\\open\\command"), "")), Some(nsis_command));
    assert!(uninstall.iter().any(|c| c.key == program_key && c.name == "*"), "the uninstaller removes {program_key}");
    for hook in [&install, &uninstall] {
        assert!(hook.iter().any(|c| c.key == "!UPDATEFILEASSOC"), "Explorer is told the associations changed");
        assert!(!hook.iter().any(|c| c.key.contains("ASSOCIATE")), "Tauri's APP_(UN)ASSOCIATE is not used: {hook:?}");
    }
    // The hooks' types are the macOS and Linux ones: no more, no fewer.
    let classes: Vec<&str> = install.iter().filter_map(|c| c.key.strip_prefix("Software\\Classes\\Dertien.")).collect();
    assert!(classes.iter().all(|c| extensions.iter().any(|e| c.split('\\').next() == Some(e.as_str()))), "{classes:?}");

    // MSI, per machine: the WiX fragment, included and its component referenced.
    let wix = &conf["bundle"]["windows"]["wix"];
    let fragments: Vec<&str> = wix["fragmentPaths"].as_array().map(|p| p.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    assert_eq!(fragments, ["windows/open-with.wxs"], "bundle.windows.wix.fragmentPaths");
    let (values, elements, components) = wix_registry_values(&read("src-tauri/windows/open-with.wxs"));
    let referenced: Vec<&str> = wix["componentRefs"].as_array().map(|p| p.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    assert_eq!(components, referenced, "every component of the fragment is in bundle.windows.wix.componentRefs, so it is installed");
    for advertised in ["ProgId", "Extension", "Verb"] {
        assert!(!elements.iter().any(|e| e == advertised), "no advertised <{advertised}>: it would take the default");
    }
    // [!Path]: the full path of the template's File Id="Path", the main program.
    let msi_exe = format!("{}.exe", main_program());
    let msi_command = "\"[!Path]\" \"%1\"";
    for ext in &extensions {
        check_open_with_only("MSI", ext, &msi_exe, msi_command, &values, None);
    }
    let program_key = format!("Software\\Classes\\Applications\\{msi_exe}");
    assert_eq!(values.iter().find_map(|c| c.writes(&format!("{program_key}\\shell\\open\\command"), "")), Some(msi_command));
    let classes: Vec<&str> = values.iter().filter_map(|c| c.key.strip_prefix("Software\\Classes\\Dertien.")).collect();
    assert!(classes.iter().all(|c| extensions.iter().any(|e| c.split('\\').next() == Some(e.as_str()))), "{classes:?}");
}

#[test]
fn windows_without_webview2_gets_it_from_the_installer() {
    let conf = tauri_conf();
    let mode = &conf["bundle"]["windows"]["webviewInstallMode"];
    // The bootstrapper inside the installer: no download of it first, which a
    // dealer's locked-down PowerShell may refuse, and 1.8 MB, not 127.
    assert_eq!(mode["type"], "embedBootstrapper");
    assert_eq!(mode["silent"], true);
    // Installed for the user, without administrator rights.
    assert_eq!(conf["bundle"]["windows"]["nsis"]["installMode"], "currentUser");
}

/// A PNG's width and height, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let header = bytes.get(..24)?;
    let number = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    (header.starts_with(b"\x89PNG\r\n\x1a\n") && &header[12..16] == b"IHDR").then(|| (number(16), number(20)))
}

#[test]
fn every_icon_the_bundler_needs_is_there_in_every_size() {
    let conf = tauri_conf();
    let icons: Vec<&str> = conf["bundle"]["icon"].as_array().expect("bundle.icon").iter().filter_map(Value::as_str).collect();
    let load = |icon: &str| std::fs::read(root().join("src-tauri").join(icon)).unwrap_or_else(|e| panic!("{icon}: {e}"));
    let mut png_sizes = Vec::new();
    for icon in icons.iter().filter(|i| i.ends_with(".png")) {
        let size = png_size(&load(icon)).unwrap_or_else(|| panic!("{icon} is no PNG"));
        // The name says the size Linux installs it as (`@2x`: twice that).
        let name = Path::new(icon).file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if let Some((side, retina)) = name.split_once('x').map(|(w, rest)| (w.parse::<u32>().unwrap_or(0), rest.ends_with("@2x"))) {
            let side = if retina { side * 2 } else { side };
            assert_eq!(size, (side, side), "{icon}");
        }
        png_sizes.push(size.0);
    }
    for side in [32, 128, 256, 512] {
        assert!(png_sizes.contains(&side), "a {side}px PNG for Linux desktops: {png_sizes:?}");
    }
    // Windows: the .ico Explorer, the taskbar and the installers draw from.
    let ico_name = icons.iter().find(|i| i.ends_with(".ico")).expect("an .ico for Windows");
    let ico = load(ico_name);
    let count = usize::from(u16::from_le_bytes([ico[4], ico[5]]));
    let sides: Vec<u32> = (0..count).map(|i| ico.get(6 + 16 * i).map_or(0, |&w| if w == 0 { 256 } else { u32::from(w) })).collect();
    for side in [16, 32, 48, 256] {
        assert!(sides.contains(&side), "{ico_name} has {side}px: {sides:?}");
    }
    // macOS: the .icns, with the 512px@2x image Retina Finder windows show.
    let icns_name = icons.iter().find(|i| i.ends_with(".icns")).expect("an .icns for macOS");
    let icns = load(icns_name);
    assert!(icns.starts_with(b"icns"), "{icns_name}");
    let mut types = Vec::new();
    let mut at = 8;
    while let Some(entry) = icns.get(at..at + 8) {
        types.push(String::from_utf8_lossy(&entry[..4]).to_string());
        let length = u32::from_be_bytes([entry[4], entry[5], entry[6], entry[7]]) as usize;
        assert!(length >= 8, "{icns_name} is damaged at byte {at}");
        at += length;
    }
    for kind in ["ic07", "ic08", "ic09", "ic10"] {
        assert!(types.iter().any(|t| t == kind), "{icns_name} has {kind}: {types:?}");
    }
}
