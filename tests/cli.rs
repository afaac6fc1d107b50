//! The `dertien` command line driven from outside, as a script or a manager
//! would: real report files in, JSON, tables and charts out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(path)
}

/// A fresh, empty store for one test.
struct Db {
    dir: PathBuf,
}

impl Db {
    fn new(name: &str) -> Db {
        let dir = std::env::temp_dir().join(format!("dertien-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Db { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("store.db")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dertien"))
            .arg("--db")
            .arg(self.path())
            .args(args)
            .env_remove("DERTIEN_DB")
            .env("LANG", "en_US.UTF-8")
            .output()
            .expect("dertien runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "dertien {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn import(&self, files: &[&str]) -> Vec<Value> {
        let mut args = vec!["import", "--format", "json"];
        let paths: Vec<String> = files.iter().map(|f| data(f).display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        let text = self.ok(&args);
        let value: Value = serde_json::from_str(&text).expect("import JSON");
        value.as_array().expect("one result per file").clone()
    }

    fn report(&self, by: &str, period: &[&str]) -> Value {
        let mut args = vec!["report", "--by", by, "--format", "json"];
        args.extend_from_slice(period);
        serde_json::from_str(&self.ok(&args)).expect("report JSON")
    }

    /// Everything a user can see of the store.
    fn state(&self) -> String {
        let mut state = self.ok(&["imports", "--format", "json"]);
        for by in ["source", "salesperson", "branch", "month", "response", "phone"] {
            state.push_str(&self.ok(&["report", "--by", by, "--format", "json"]));
        }
        state
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Group key -> (leads, sold, rate) of a report.
fn groups(report: &Value) -> Vec<(String, u64, u64, f64)> {
    let mut groups: Vec<_> = report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            let key = g["key"].as_str().map_or("None".to_string(), str::to_string);
            (key, g["leads"].as_u64().expect("leads"), g["sold"].as_u64().expect("sold"), g["rate"].as_f64().expect("rate"))
        })
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

fn truth_groups(truth: &Value, key: &str) -> Vec<(String, u64, u64, f64)> {
    let mut groups: Vec<_> = truth[key]
        .as_object()
        .expect("truth dimension")
        .iter()
        .map(|(k, v)| {
            (k.clone(), v["leads"].as_u64().expect("leads"), v["sold"].as_u64().expect("sold"), v["rate"].as_f64().expect("rate"))
        })
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

fn assert_matches_truth(db: &Db, sample: &str, period: &[&str]) {
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(data(&format!("samples/{sample}.truth.json"))).expect("truth")).expect("truth JSON");
    for (by, key) in [
        ("source", "by_source"),
        ("salesperson", "by_salesperson"),
        ("branch", "by_branch"),
        ("response", "by_response_bucket"),
        ("month", "by_month"),
        ("phone", "by_has_phone"),
    ] {
        let report = db.report(by, period);
        assert_eq!(report["total"]["leads"], truth["active_leads"], "{sample} {by}: active leads");
        assert_eq!(report["total"]["sold"], truth["active_sold"], "{sample} {by}: sold");
        assert_eq!(report["total"]["rate"], truth["active_rate"], "{sample} {by}: rate");
        assert_eq!(report["passive_leads"], truth["passive_leads"], "{sample} {by}: passive");
        assert_eq!(report["norm"], truth["norm"]);
        assert_eq!(groups(&report), truth_groups(&truth, key), "{sample}: every group by {by}");
    }
}

#[test]
fn samples_reproduce_their_truth() {
    let db = Db::new("q3");
    let results = db.import(&["samples/leads_q3_2023.xlsx"]);
    assert_eq!(results[0]["rows_read"], 6000);
    assert_eq!(results[0]["leads_new"], 6000);
    assert_matches_truth(&db, "leads_q3_2023", &[]);

    let db = Db::new("oktober");
    let results = db.import(&["samples/leadrapport_oktober.xlsx"]);
    assert_eq!(results[0]["rows_read"], 2500, "the title lines and the totals row are no leads");
    assert!(results[0]["notes"].to_string().contains("totals row 2504 skipped"), "{}", results[0]["notes"]);
    assert_matches_truth(&db, "leadrapport_oktober", &[]);
}

#[test]
fn both_samples_in_one_store_split_by_period() {
    let db = Db::new("both");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/leadrapport_oktober.xlsx"]);
    assert_matches_truth(&db, "leads_q3_2023", &["--from", "2023-07-01", "--to", "2023-09-30"]);
    assert_matches_truth(&db, "leadrapport_oktober", &["--from", "2023-10", "--to", "2023-10"]);
    let all = db.report("source", &[]);
    assert_eq!(all["total"]["leads"], 5755 + 2400);
    assert_eq!(all["period"]["from"], "2023-07-01");
    assert_eq!(all["period"]["to"], "2023-10-31");
}

#[test]
fn report_json_has_the_shape_of_cli_md() {
    let db = Db::new("shape");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let report = db.report("source", &["--from", "2023-07-01", "--to", "2023-09-30"]);
    let keys: Vec<&String> = report.as_object().expect("object").keys().collect();
    for key in ["by", "norm", "period", "total", "passive_leads", "groups"] {
        assert!(keys.iter().any(|k| *k == key), "missing {key}");
    }
    assert_eq!(report["by"], "source");
    assert_eq!(report["period"], serde_json::json!({"from": "2023-07-01", "to": "2023-09-30"}));
    let facebook = report["groups"].as_array().expect("groups").iter().find(|g| g["key"] == "Facebook Lead Ads").expect("Facebook");
    assert_eq!(facebook["leads"], 840);
    assert_eq!(facebook["sold"], 62);
    assert_eq!(facebook["gap_to_norm"], 48, "ceil(0.13 x 840) - 62");
    assert_eq!(facebook["small_sample"], false);
    let low = facebook["ci_low"].as_f64().expect("ci_low");
    let high = facebook["ci_high"].as_f64().expect("ci_high");
    assert!(low < 0.07381 && 0.07381 < high && (0.055..0.06).contains(&low) && (0.09..0.095).contains(&high), "{low} {high}");
    let salespeople = db.report("salesperson", &[]);
    let unassigned = salespeople["groups"].as_array().expect("groups").last().expect("a group");
    assert_eq!(unassigned["key"], Value::Null, "the unassigned group is null, and last");
}

/// Every evidence field of cli.md, for every group of the KCC sample, as
/// its truth has it; `adjusted_by` per dimension.
#[test]
fn the_kcc_sample_reports_its_evidence_truth() {
    let db = Db::new("kcc");
    db.import(&["samples/kcc_rapport_nov_dec.xlsx"]);
    let truth: Value =
        serde_json::from_slice(&std::fs::read(data("samples/kcc_rapport_nov_dec.truth.json")).expect("truth")).expect("truth JSON");
    for (by, adjusted_by) in [("source", "response"), ("salesperson", "source"), ("branch", "source"), ("agent", "source")] {
        let report = db.report(by, &[]);
        assert_eq!(report["adjusted_by"], adjusted_by, "{by}");
        let want = truth["evidence"][by]["groups"].as_object().expect("groups");
        let got = report["groups"].as_array().expect("groups");
        assert_eq!(got.len(), want.len(), "{by}");
        for group in got {
            let key = group["key"].as_str().unwrap_or("None");
            for (field, tolerance) in [
                ("leads", 0.0),
                ("sold", 0.0),
                ("rate", 1e-6),
                ("unanswered", 0.0),
                ("median_response_minutes", 0.0),
                ("expected_sold", 1e-4),
                ("adjusted_rate", 1e-6),
                ("adjusted_ci_low", 1e-6),
                ("adjusted_ci_high", 1e-6),
                ("mix_part", 1e-6),
                ("conversion_part", 1e-6),
            ] {
                let (value, expected) = (group[field].as_f64(), want[key][field].as_f64());
                assert!(
                    matches!((value, expected), (Some(v), Some(e)) if (v - e).abs() <= tolerance),
                    "{by} {key} {field}: {value:?} against {expected:?}"
                );
            }
            assert_eq!(group["at_stake"], Value::Null, "no margin set");
        }
        assert_eq!(report["total"]["adjusted_rate"], report["total"]["rate"], "the scope against itself");
    }
    let by_month = db.report("month", &[]);
    assert_eq!(by_month["adjusted_by"], Value::Null);
    for group in by_month["groups"].as_array().expect("groups") {
        assert_eq!((&group["adjusted_rate"], &group["mix_part"]), (&Value::Null, &Value::Null));
        assert!(group["unanswered"].is_u64() && group["median_response_minutes"].is_u64());
    }
    let (svg, png) = (db.dir.join("volume.svg"), db.dir.join("evidence.png"));
    db.ok(&["chart", "--by", "volume", "--anonymize", "--out", &svg.display().to_string()]);
    db.ok(&["chart", "--by", "evidence", "--out", &png.display().to_string()]);
    assert!(std::fs::read_to_string(&svg).expect("svg").contains("Salesperson A"));
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
}

/// Every dimension's JSON report, with its evidence.
fn reports(db: &Db) -> Vec<Value> {
    ["source", "salesperson", "branch", "agent", "month", "response", "phone"].into_iter().map(|by| db.report(by, &[])).collect()
}

/// The JSON report loads every lead for its evidence: the first report after
/// an import reads them row by row and packs them into the store, the ones
/// after it unpack them (ARCHITECTURE.md, `lead_pack`). After a first and a
/// second import, and after new sold words, both are the reports a fresh
/// store of the same files computes from its rows.
#[test]
fn reports_from_packed_leads_follow_every_import_and_setting() {
    let db = Db::new("packed");
    let q3 = data("samples/leads_q3_2023.xlsx").display().to_string();
    let october = data("samples/leadrapport_oktober.xlsx").display().to_string();
    let kcc = data("samples/kcc_rapport_nov_dec.xlsx").display().to_string();
    let steps: [Vec<&str>; 3] = [vec![&q3], vec![&october], vec!["--sold", "Offerte uitgebracht", &kcc]];
    let mut so_far: Vec<&str> = Vec::new();
    let mut before = Vec::new();
    for (number, step) in steps.iter().enumerate() {
        db.ok(&[&["import"], step.as_slice()].concat());
        so_far.extend(step);
        let fresh = Db::new(&format!("rows-{number}"));
        fresh.ok(&[&["import"], so_far.as_slice()].concat());
        let from_rows = reports(&fresh);
        assert_eq!(reports(&db), from_rows, "step {number}: the first reports after the import");
        assert_eq!(reports(&db), from_rows, "step {number}: the reports from the pack");
        assert_ne!(from_rows, before, "step {number} changed the figures");
        before = from_rows;
    }
    let sold = |reports: &[Value]| reports[0]["total"]["sold"].as_u64();
    let fresh = Db::new("rows-without-the-words");
    fresh.ok(&["import", &q3, &october, &kcc]);
    assert!(sold(&reports(&db)) > sold(&reports(&fresh)), "the sold words count");
}

#[test]
fn without_a_first_contact_column_unanswered_is_null_not_zero() {
    let db = Db::new("no-contact");
    db.import(&["fixtures/no_ids.csv"]);
    let report = db.report("source", &[]);
    for group in report["groups"].as_array().expect("groups").iter().chain([&report["total"]]) {
        assert_eq!((&group["unanswered"], &group["median_response_minutes"]), (&Value::Null, &Value::Null), "{group}");
    }
}

#[test]
fn table_and_csv_formats() {
    let db = Db::new("formats");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let table = db.ok(&["report", "--by", "source", "--format", "table"]);
    assert!(table.starts_with("Conversion by source — 2023-07-01 to 2023-09-30 — norm 13%"), "{table}");
    let showroom = table.lines().find(|l| l.starts_with("Showroom")).expect("a Showroom line");
    assert!(showroom.contains("496") && showroom.contains("135") && showroom.contains("27.2%"), "{showroom}");
    assert!(table.contains("Passive leads (not in the rate): 245"));
    let dutch = db.ok(&["report", "--by", "salesperson", "--lang", "nl"]);
    assert!(dutch.contains("Niet toegewezen") && dutch.contains("Conversie per verkoper"), "{dutch}");
    // The language set in the window is the command line's default too.
    dertien::store::Store::open(&db.path()).expect("store").set_language(Some("nl")).expect("language");
    assert!(db.ok(&["report", "--by", "source"]).starts_with("Conversie per bron"));
    assert!(db.ok(&["report", "--by", "source", "--lang", "en"]).starts_with("Conversion by source"), "--lang still wins");
    let csv = db.ok(&["report", "--by", "response", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "key,leads,sold,rate,ci_low,ci_high,gap_to_norm,small_sample");
    assert!(lines[1].starts_with("<15m,1263,261,0.206651,"), "{}", lines[1]);
    assert_eq!(lines.len(), 7);
}

#[test]
fn title_lines_totals_and_windows_1252_csv_with_day_first_dates() {
    let db = Db::new("csv1252");
    let result = &db.import(&["fixtures/export_1252.csv"])[0];
    assert_eq!(result["rows_read"], 5, "the title line and the totals row are no leads");
    let notes = result["notes"].to_string();
    assert!(notes.contains("Windows-1252") && notes.contains("totals row 8 skipped"), "{notes}");
    let issues = result["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["row"], 7);
    assert_eq!(issues[0]["column"], "Datum");
    assert!(issues[0]["message"].as_str().expect("message").contains("\"31-11-2023\" is not a date"));
    // "Zoë Smit" and " zoë  smit " are one salesperson, shown as spelt most often.
    let report = db.report("salesperson", &[]);
    assert_eq!(groups(&report), vec![("René van Dijk".to_string(), 2, 0, 0.0), ("Zoë Smit".to_string(), 3, 2, 0.666667),]);
    let months = db.report("month", &[]);
    assert_eq!(groups(&months), vec![("2023-11".to_string(), 4, 2, 0.5)], "the undated lead is in no month");
    assert_eq!(months["total"]["leads"], 5, "but it is in the total");
    let phone = db.report("phone", &[]);
    assert_eq!(
        groups(&phone),
        vec![("no phone".to_string(), 2, 0, 0.0), ("phone".to_string(), 3, 2, 0.666667)],
        "06-1234 is no phone number"
    );
}

#[test]
fn month_first_dates_are_recognised_and_reported() {
    let db = Db::new("monthfirst");
    let result = &db.import(&["fixtures/month_first.csv"])[0];
    assert!(result["notes"].to_string().contains("read month-first, because row 4 holds \\\"7/23/2023\\\""), "{}", result["notes"]);
    let report = db.report("source", &["--from", "2023-07-03", "--to", "2023-07-04"]);
    assert_eq!(report["total"]["leads"], 2, "7/3 and 7/4 are July, not March and April");
}

#[test]
fn per_branch_workbook_with_a_summary_sheet_and_formulas() {
    let db = Db::new("branches");
    let result = &db.import(&["fixtures/branches.xlsx"])[0];
    assert_eq!(result["sheets"], serde_json::json!(["Delft", "Den Haag"]));
    assert!(result["notes"].to_string().contains("sheet Samenvatting skipped"), "{}", result["notes"]);
    let report = db.report("branch", &[]);
    // Delft's sales come from cached formula values in "Verkocht"; Den Haag's from "Getekend".
    assert_eq!(groups(&report), vec![("Delft".to_string(), 40, 8, 0.2), ("Den Haag".to_string(), 25, 7, 0.28),]);
    let group = |key: &str| report["groups"].as_array().expect("groups").iter().find(|g| g["key"] == key).cloned().expect("group");
    assert_eq!(group("Delft")["small_sample"], false);
    assert_eq!(group("Den Haag")["small_sample"], true, "25 leads is a small sample");
}

#[test]
fn xls_with_serial_dates_html_as_xls_ods_and_1904_dates() {
    let db = Db::new("formats2");
    let results = db.import(&["fixtures/crm_serials.xls", "fixtures/crm_html.xls", "fixtures/leads.ods", "fixtures/mac_1904.xlsx"]);
    assert!(results.iter().all(|r| r["imported"] == true), "{results:?}");
    assert!(results[1]["notes"].to_string().contains("HTML table"));
    let june = db.report("response", &["--from", "2023-06-01", "--to", "2023-06-30"]);
    // First contact 10 + 30i minutes after creation, from bare serial numbers.
    assert_eq!(
        groups(&june),
        vec![
            ("15m-1h".to_string(), 1, 0, 0.0),
            ("1h-4h".to_string(), 6, 2, 0.333333),
            ("4h-24h".to_string(), 4, 1, 0.25),
            ("<15m".to_string(), 1, 1, 1.0),
        ]
    );
    let months = db.report("month", &[]);
    assert_eq!(
        groups(&months),
        vec![
            ("2023-03".to_string(), 10, 3, 0.3),
            ("2023-06".to_string(), 12, 4, 0.333333),
            ("2023-09".to_string(), 6, 1, 0.166667),
            ("2023-12".to_string(), 8, 2, 0.25),
        ],
        "1904-system dates land in March 2023, not 1927"
    );
    let sources = db.report("source", &["--from", "2023-09"]);
    assert_eq!(groups(&sources)[0].0, "Facebook Lead Ads");
}

#[test]
fn a_workbook_named_csv_is_read_as_a_workbook() {
    let db = Db::new("named");
    let result = &db.import(&["fixtures/workbook_named.csv"])[0];
    assert_eq!(result["leads"], 1);
    assert!(result["notes"].to_string().contains("named .csv but is an Excel workbook"), "{}", result["notes"]);
}

#[test]
fn without_lead_ids_duplicate_rows_are_one_lead() {
    let db = Db::new("noids");
    let result = &db.import(&["fixtures/no_ids.csv"])[0];
    assert_eq!(result["rows_read"], 6);
    assert!(
        result["notes"].to_string().contains("no first contact column found: no response times"),
        "a missing column is said: {}",
        result["notes"]
    );
    // Same minute, contact (e-mail case-insensitive, else phone digits) and source.
    assert_eq!(result["leads"], 4);
    let report = db.report("source", &[]);
    assert_eq!(groups(&report), vec![("Telefoon".to_string(), 1, 0, 0.0), ("Website".to_string(), 3, 1, 0.333333)], "the later row wins");
}

#[test]
fn overlapping_exports_newest_wins_and_the_same_file_twice_changes_nothing() {
    let db = Db::new("overlap");
    let first = &db.import(&["fixtures/export_september.xlsx"])[0];
    assert_eq!(first["leads_new"], 10);
    assert_eq!(db.report("source", &[])["total"]["sold"], 0);
    let second = &db.import(&["fixtures/export_october.xlsx"])[0];
    assert_eq!(
        (second["leads_new"].as_u64(), second["leads_updated"].as_u64(), second["leads_unchanged"].as_u64()),
        (Some(5), Some(7), Some(3))
    );
    let report = db.report("salesperson", &[]);
    assert_eq!(groups(&report), vec![("Ann".to_string(), 10, 4, 0.4), ("Bob".to_string(), 5, 1, 0.2)]);
    let before = db.state();
    let again = &db.import(&["fixtures/export_october.xlsx"])[0];
    assert_eq!(again["already_imported"], true);
    assert_eq!(again["leads_unchanged"], 15);
    assert_eq!(db.state(), before, "importing the same file twice changes nothing");
    let history = db.ok(&["imports"]);
    assert!(history.contains("export_september.xlsx") && history.contains("export_october.xlsx"), "{history}");
    assert_eq!(history.lines().count(), 3, "a header and two imports: {history}");
}

#[test]
fn refused_files_exit_2_say_why_and_leave_the_store_as_it_was() {
    let db = Db::new("refused");
    db.import(&["samples/leadrapport_oktober.xlsx"]);
    let before = db.state();
    for (file, expected) in [
        ("fixtures/truncated.xlsx", "damaged or incomplete"),
        ("fixtures/not_a_spreadsheet.xlsx", "a PDF document, not a spreadsheet"),
        ("fixtures/unknown_columns.csv", "no recognisable outcome column"),
        ("fixtures/header_only.xlsx", "nothing to import"),
        ("fixtures/empty.csv", "the file is empty"),
        ("fixtures/does_not_exist.xlsx", "no such file"),
    ] {
        let out = db.run(&["import", &data(file).display().to_string()]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(stderr.contains(name) && stderr.contains(expected), "{file}: {stderr}");
        assert_eq!(db.state(), before, "{file} changed the store");
    }
    let out = db.run(&["import", &data("fixtures/unknown_columns.csv").display().to_string()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"Klantnaam\", \"Telefoon\", \"Opmerking\"") && stderr.contains("status"),
        "names found and needed columns: {stderr}"
    );
    // One refused file among good ones: the good ones are imported, the exit status is 2.
    let out = db.run(&["import", &data("fixtures/empty.csv").display().to_string(), &data("fixtures/no_ids.csv").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(db.ok(&["imports"]).contains("no_ids.csv"));
}

/// Words only an English message would hold, for the Dutch command line's output.
const ENGLISH_WORDS: &[&str] =
    &["sheet", " row ", "rows read", "skipped", "the file", "column", "creation date", "note:", "issue:", "refused", "imported "];

#[test]
fn in_dutch_the_import_its_notes_issues_refusals_and_the_history_are_dutch() {
    let db = Db::new("dutch");
    // --lang nl, and the English as before without it.
    let out = db.run(&["import", "--lang", "nl", &data("fixtures/export_1252.csv").display().to_string()]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("rijen gelezen -> ") && said.contains("  opmerking: blad CSV: totaalrij 8 overgeslagen"), "{said}");
    assert!(said.contains("  opmerking: gelezen als een tekstbestand met gescheiden waarden (.csv) in Windows-1252"), "{said}");
    assert!(said.contains("  fout: blad CSV, rij 7, kolom Datum: \"31-11-2023\" is geen datum"), "{said}");
    let out = db.run(&["import", "--lang", "nl", &data("fixtures/empty.csv").display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let refused = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(refused.trim(), "dertien: geweigerd: empty.csv: het bestand is leeg");
    // The window's setting makes the command line Dutch too; JSON stays English for scripts.
    dertien::store::Store::open(&db.path()).expect("store").set_language(Some("nl")).expect("language");
    let history = db.ok(&["imports"]);
    assert!(history.starts_with("  id  geïmporteerd") && history.contains("fouten  bestand"), "{history}");
    let out = db.run(&["import", &data("fixtures/unknown_columns.csv").display().to_string()]);
    let refused = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(refused.contains("geen herkenbare uitkomstkolom (blad CSV, kopregel op rij 1)"), "{refused}");
    let out = db.run(&["report", "--by", "source", "--from", "2023-09", "--to", "2023-08"]);
    let usage = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(usage.contains("--from ligt na --to") && usage.contains("Zie `dertien --help`"), "{usage}");
    let json = db.ok(&["import", "--format", "json", &data("fixtures/month_first.csv").display().to_string()]);
    assert!(json.contains("read month-first"), "{json}");
    for text in [said, history] {
        let lower = text.to_lowercase();
        let english: Vec<&&str> = ENGLISH_WORDS.iter().filter(|w| lower.contains(*w)).collect();
        assert!(english.is_empty(), "English {english:?} in:\n{text}");
    }
    // And English again when asked.
    let out = db.run(&["import", "--lang", "en", &data("fixtures/empty.csv").display().to_string()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("dertien: refused empty.csv: the file is empty"));
}

#[test]
fn a_hand_mapping_is_used_and_remembered_for_the_same_layout() {
    let db = Db::new("mapping");
    let file = data("fixtures/unknown_columns.csv").display().to_string();
    let out = db.run(&["import", "--map", "status=Opmerking", "--map", "source=Kolom X", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no column \"Kolom X\""));
    db.ok(&["import", "--map", "status=Opmerking", &file]);
    assert_eq!(db.report("source", &[])["total"]["leads"], 1);
    // A second report with the same header is read with the remembered mapping.
    let copy = db.dir.join("next_week.csv");
    std::fs::write(&copy, "Klantnaam;Telefoon;Opmerking\nBen;0687654321;verkocht\n").expect("write");
    let text = db.ok(&["import", "--format", "json", &copy.display().to_string()]);
    assert!(text.contains("as you mapped them before"), "{text}");
    assert_eq!(db.report("source", &[])["total"]["sold"], 1);
}

#[test]
fn markup_and_formulas_in_names_stay_text() {
    let db = Db::new("hostile");
    db.import(&["fixtures/hostile.xlsx"]);
    let report = db.report("salesperson", &[]);
    let keys: Vec<String> = groups(&report).into_iter().map(|g| g.0).collect();
    assert!(keys.contains(&"<script>alert(\"x\")</script>".to_string()), "{keys:?}");
    assert!(keys.contains(&"=HYPERLINK(\"http://evil.example\",\"klik\")".to_string()));
    let csv = db.ok(&["report", "--by", "salesperson", "--format", "csv"]);
    assert!(csv.contains("\"'=HYPERLINK(") && !csv.lines().any(|l| l.starts_with('=')), "{csv}");
    let branch_csv = db.ok(&["report", "--by", "branch", "--format", "csv"]);
    assert!(branch_csv.starts_with("key,") && branch_csv.contains("'@SUM(1+1)"), "{branch_csv}");
    for by in ["salesperson", "source", "branch"] {
        let svg_path = db.dir.join(format!("{by}.svg"));
        db.ok(&["chart", "--by", by, "--out", &svg_path.display().to_string()]);
        let svg = std::fs::read_to_string(&svg_path).expect("svg");
        assert_well_formed(&svg);
        assert!(!svg.contains("<script") && !svg.contains("<img") && !svg.contains("<b>"), "markup must not survive as markup");
    }
    let svg = std::fs::read_to_string(db.dir.join("salesperson.svg")).expect("svg");
    assert!(svg.contains("&lt;script&gt;alert("), "the name is shown as text");
}

fn assert_well_formed(svg: &str) {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!("SVG is not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "every element closed");
}

#[test]
fn charts_in_svg_and_png() {
    let db = Db::new("charts");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let svg_path = db.dir.join("source.svg");
    db.ok(&["chart", "--by", "source", "--out", &svg_path.display().to_string(), "--lang", "nl"]);
    let svg = std::fs::read_to_string(&svg_path).expect("svg");
    assert_well_formed(&svg);
    assert!(svg.contains("Conversie per bron") && svg.contains("norm 13%"), "title and norm line label");
    assert!(svg.contains("1 juli 2023 t/m 30 september 2023"), "the period is in the chart, in words");
    // The text is drawn as glyph outlines: no font for a viewer to load or lack.
    assert!(!svg.contains("@font-face") && svg.contains("<path id=\"g") && svg.contains("<use href=\"#g"), "the text as outlines");
    assert!(svg.contains("840 leads") && svg.contains("Facebook Lead Ads"), "the lead count beside the bar");
    // Below-norm bars are orange, the others blue.
    assert!(svg.contains("#EA580C") && svg.contains("#2563EB"), "two bar colours");

    let png_path = db.dir.join("salesperson.png");
    db.ok(&["chart", "--by", "salesperson", "--out", &png_path.display().to_string(), "--width", "900", "--height", "700", "--anonymize"]);
    let png = std::fs::read(&png_path).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((width, height), (900, 700));

    let anonymous = db.dir.join("anonymous.svg");
    db.ok(&["chart", "--by", "salesperson", "--out", &anonymous.display().to_string(), "--anonymize"]);
    let svg = std::fs::read_to_string(&anonymous).expect("svg");
    assert!(svg.contains("Salesperson A") && !svg.contains("Zoë Smit") && !svg.contains("Bram de Boer"), "no names in an anonymous chart");
    assert!(svg.contains("Unassigned"));

    // Months as a line against the norm, each month's leads under it.
    let months = db.dir.join("months.svg");
    db.ok(&["chart", "--by", "month", "--out", &months.display().to_string()]);
    let svg = std::fs::read_to_string(&months).expect("svg");
    assert_well_formed(&svg);
    for text in ["Conversion by month", "Jul 2023", "Sep 2023", "1,939 leads", "norm 13%", "12.1%"] {
        assert!(svg.contains(text), "{text} in the month chart");
    }
    assert!(svg.contains("<circle"), "a point per month");

    let out = db.run(&["chart", "--by", "source", "--out", "chart.gif"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_chart_with_a_comparison_marks_the_other_period_and_the_command_line_keeps_every_source() {
    let db = Db::new("compared-chart");
    db.import(&["samples/leads_q3_2023.xlsx", "fixtures/long_tail.csv"]);
    let chart = |name: &str, extra: &[&str]| {
        let path = db.dir.join(name);
        let mut args = vec!["chart", "--by", "source", "--out", path.to_str().expect("path")];
        args.extend_from_slice(extra);
        db.ok(&args);
        let svg = std::fs::read_to_string(&path).expect("svg");
        assert_well_formed(&svg);
        svg
    };
    // September beside August: a marker per bar, in its own colour, named in the legend.
    let compared = chart("compared.svg", &["--from", "2023-09", "--to", "2023-09", "--compare", "previous"]);
    assert!(compared.contains("previous period") && compared.contains("#7C3AED"), "the markers and their legend");
    let plain = chart("plain.svg", &["--from", "2023-09", "--to", "2023-09"]);
    assert!(!plain.contains("previous period") && !plain.contains("#7C3AED"), "no markers without --compare");
    let year = chart("year.svg", &["--from", "2023-09", "--to", "2023-09", "--compare", "year", "--lang", "nl"]);
    assert!(!year.contains("#7C3AED"), "September 2022 has no leads: nothing to mark");
    // The deck's views of bars too (SCOPE's --compare).
    let deck = db.dir.join("deck.pdf");
    db.ok(&["deck", "--out", deck.to_str().expect("path"), "--from", "2023-09", "--to", "2023-09", "--compare", "previous"]);
    if let Some(text) = poppler("pdftotext", &[], &deck) {
        assert!(text.matches("previous period").count() >= 4, "source, salesperson, response, month, branch: {text}");
    }

    // The window folds the long tail of small sources; the command line
    // (cli.md has no threshold) shows every source, in its JSON and charts.
    let october = db.report("source", &["--from", "2023-10", "--to", "2023-10"]);
    let keys: Vec<&str> = october["groups"].as_array().expect("groups").iter().filter_map(|g| g["key"].as_str()).collect();
    for source in ["testone", "blog", "Beurs", "Nieuwsbrief"] {
        assert!(keys.contains(&source), "{source} in {keys:?}");
    }
    assert!(!keys.iter().any(|k| k.starts_with("Other")), "{keys:?}");
    let svg = chart("october.svg", &["--from", "2023-10", "--to", "2023-10"]);
    assert!(svg.contains("testone") && !svg.contains("Other ("), "every source drawn");
}

/// Runs one of poppler's tools (`pdftotext`, `pdffonts`, `pdfinfo`) on a PDF;
/// `None`, said on standard error, when it is not installed (`.ci/packages.sh`
/// installs poppler-utils, so CI runs these checks).
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> Option<String> {
    let mut command = Command::new(tool);
    command.args(args).arg(pdf);
    if tool == "pdftotext" {
        command.arg("-");
    }
    match command.output() {
        Ok(out) => {
            assert!(out.status.success(), "{tool} {args:?} {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(_) => {
            eprintln!("SKIPPED: {tool} is not installed (apt-get install poppler-utils); the PDF's text and fonts are not checked");
            None
        }
    }
}

/// The PDF's pages, its page size in points and whether every font is embedded.
fn pdf_facts(pdf: &Path) -> Option<(usize, String, bool)> {
    let info = poppler("pdfinfo", &[], pdf)?;
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default();
    let pages = field("Pages:").parse().expect("a page count");
    let fonts = poppler("pdffonts", &[], pdf)?;
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    // name, type (two words), encoding, emb, sub, uni, object, generation.
    let embedded = !rows.is_empty() && rows.iter().all(|row| row.split_whitespace().rev().nth(4) == Some("yes"));
    Some((pages, field("Page size:"), embedded))
}

#[test]
fn a_chart_as_one_vector_page_with_its_text() {
    let db = Db::new("chart-pdf");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let pdf = db.dir.join("source.pdf");
    db.ok(&["chart", "--by", "source", "--out", &pdf.display().to_string()]);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"));
    let Some((pages, size, embedded)) = pdf_facts(&pdf) else { return };
    assert_eq!((pages, size.as_str()), (1, "960 x 540 pts"), "one 16:9 page, 1280 x 720 chart pixels");
    assert!(embedded, "the font is embedded");
    let text = poppler("pdftotext", &[], &pdf).expect("pdftotext ran before");
    for expected in ["Conversion by source", "Facebook Lead Ads", "840 leads", "norm 13%", "below the norm"] {
        assert!(text.contains(expected), "{expected} is text in the PDF:\n{text}");
    }

    for by in ["volume", "evidence", "month"] {
        let pdf = db.dir.join(format!("{by}.pdf"));
        db.ok(&["chart", "--by", by, "--out", &pdf.display().to_string(), "--width", "800", "--lang", "nl"]);
        let (pages, size, embedded) = pdf_facts(&pdf).expect("poppler ran before");
        assert_eq!((pages, size.as_str(), embedded), (1, "600 x 337.5 pts", true), "{by}: 16:9 around the width asked");
        let text = poppler("pdftotext", &[], &pdf).expect("pdftotext ran before");
        assert!(text.contains("norm 13%"), "{by}: {text}");
    }
    let square = db.dir.join("square.pdf");
    db.ok(&["chart", "--by", "branch", "--out", &square.display().to_string(), "--width", "600", "--height", "600"]);
    assert_eq!(pdf_facts(&square).expect("poppler").1, "450 x 450 pts");
}

/// The deck's expected page titles for the store, from its reports: cli.md's
/// order, the views without data left out.
fn deck_titles(db: &Db) -> Vec<&'static str> {
    let named = |by: &str| db.report(by, &[])["groups"].as_array().expect("groups").iter().filter(|g| !g["key"].is_null()).count();
    let mut titles = vec![
        "Conversion meeting",
        "Conversion against the norm",
        "Conversion by source",
        "Conversion by source, adjusted for answering speed",
        "Conversion by salesperson",
        "Conversion per salesperson within each source",
        "Conversion by response time",
        "Conversion by month",
    ];
    if db.report("branch", &[])["groups"].as_array().expect("groups").len() > 1 {
        titles.push("Conversion by branch");
    }
    if named("agent") > 0 {
        titles.push("Conversion by agent");
    }
    titles.push("Leads and sales per salesperson");
    titles
}

#[test]
fn a_deck_has_a_page_per_view_with_its_title_scope_and_footer() {
    let db = Db::new("deck");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/leadrapport_oktober.xlsx", "samples/kcc_rapport_nov_dec.xlsx"]);
    let pdf = db.dir.join("meeting.pdf");
    db.ok(&["deck", "--out", &pdf.display().to_string(), "--lang", "en"]);
    let titles = deck_titles(&db);
    assert!(titles.contains(&"Conversion by agent") && titles.contains(&"Conversion by branch"), "the samples have both");
    let Some((pages, size, embedded)) = pdf_facts(&pdf) else { return };
    assert_eq!(pages, titles.len(), "a title page and a page per view with data");
    assert_eq!(size, "960 x 540 pts", "16:9");
    assert!(embedded, "the font is embedded");
    for (n, title) in titles.iter().enumerate() {
        let page = (n + 1).to_string();
        let text = poppler("pdftotext", &["-f", &page, "-l", &page], &pdf).expect("pdftotext ran before");
        assert!(text.lines().any(|l| l.trim() == *title), "page {page}: {title}\n{text}");
        assert!(text.contains(&format!("page {page} of {pages}")), "page {page}'s number\n{text}");
        // The footer alone (the page's last 62 of 540 points, under the
        // chart), its lines joined: the definitions wrap where the page ends.
        let footer = poppler("pdftotext", &["-f", &page, "-l", &page, "-x", "0", "-y", "478", "-W", "960", "-H", "62"], &pdf)
            .expect("pdftotext ran before");
        let footer = footer.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(footer.starts_with("All branches, sources and salespeople · "), "page {page}'s footer: the scope\n{footer}");
        assert!(footer.contains("Active leads: leads that came in themselves"), "page {page}'s footer: the definitions\n{footer}");
        if title != &"Leads and sales per salesperson" {
            for definition in ["Conversion: sold active leads / active leads", "Norm: 13% conversion.", "95% confidence interval"] {
                assert!(footer.contains(definition), "page {page}'s footer: {definition}\n{footer}");
            }
        } else {
            assert!(footer.contains("Line: sold = 13% x active leads"), "the volume's line and norm\n{footer}");
        }
        assert!(footer.contains(" · Data as of ") && footer.contains("(the newest import)"), "page {page}'s footer: how old\n{footer}");
        assert!(footer.contains(&format!("page {page} of {pages}")), "page {page}'s footer: its number\n{footer}");
    }
    let first = poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf).expect("pdftotext");
    for expected in ["Period: 2023-07-01 to 2023-12-31", "Data as of ", "(the newest import)", "Norm: 13%"] {
        assert!(first.contains(expected), "the title page says {expected}\n{first}");
    }

    // A period without leads: the title page, saying so.
    let empty = db.dir.join("empty.pdf");
    db.ok(&["deck", "--out", &empty.display().to_string(), "--from", "2020-01", "--to", "2020-02", "--lang", "en"]);
    assert_eq!(pdf_facts(&empty).expect("poppler").0, 1);
    assert!(poppler("pdftotext", &[], &empty).expect("pdftotext").contains("No active leads in this scope"));

    let refused = db.run(&["deck", "--out", "meeting.docx"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--out must end in .pdf"));
}

/// Every salesperson's and agent's name in the store, which no anonymous
/// file may hold.
fn real_names(db: &Db) -> Vec<String> {
    let names: Vec<String> = ["salesperson", "agent"]
        .iter()
        .flat_map(|by| db.report(by, &[])["groups"].as_array().expect("groups").clone())
        .filter_map(|g| g["key"].as_str().map(str::to_string))
        .collect();
    assert!(names.len() > 10, "{names:?}");
    names
}

#[test]
fn an_anonymous_deck_holds_no_real_name() {
    let db = Db::new("deck-anonymous");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/kcc_rapport_nov_dec.xlsx"]);
    let names = real_names(&db);
    let pdf = db.dir.join("anonymous.pdf");
    db.ok(&["deck", "--out", &pdf.display().to_string(), "--anonymize", "--lang", "nl", "--theme", "dark"]);
    // The bytes: metadata and anything left uncompressed.
    let bytes = std::fs::read(&pdf).expect("pdf");
    for name in &names {
        assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()), "{name} in the PDF's bytes");
    }
    // The text, as any reader extracts it.
    let Some(text) = poppler("pdftotext", &[], &pdf) else { return };
    for name in &names {
        assert!(!text.contains(name.as_str()), "{name} in the anonymous deck's text");
        // Last names too: a chart may shorten a name but not hide it.
        let last = name.rsplit(' ').next().unwrap_or(name);
        assert!(last.len() < 4 || !text.contains(last), "{last} ({name}) in the anonymous deck's text");
    }
    assert!(text.contains("Verkoper A") && text.contains("Medewerker A"), "aliases instead");
    assert!(text.contains("Verkopers en medewerkers zijn geanonimiseerd"), "the title page says so");
    let (pages, _, embedded) = pdf_facts(&pdf).expect("poppler ran before");
    assert!(pages > 8 && embedded);
}

#[test]
fn a_deck_of_a_scope_counts_its_leads_and_says_which_without_naming_an_anonymous_salesperson() {
    let db = Db::new("deck-scope");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let person = groups(&db.report("salesperson", &["--branch", "Delft"])).into_iter().map(|g| g.0).find(|n| n != "None").expect("one");
    let pdf = db.dir.join("delft.pdf");
    let out = pdf.display().to_string();
    db.ok(&["deck", "--out", &out, "--branch", "delft", "--lang", "en"]);
    let Some(text) = poppler("pdftotext", &[], &pdf) else { return };
    assert!(text.contains("Branch Delft"), "the scope on the pages");
    let delft = db.report("source", &["--branch", "Delft"]);
    let leads = delft["total"]["leads"].as_u64().expect("leads");
    let written = format!("{},{:03}", leads / 1000, leads % 1000);
    assert!(leads >= 1000 && text.contains(&written), "Delft's {written} active leads, not all of them");

    db.ok(&["deck", "--out", &out, "--salesperson", &person, "--anonymize", "--lang", "en"]);
    let Some(text) = poppler("pdftotext", &[], &pdf) else { return };
    assert!(!text.contains(person.as_str()), "{person} is the scope of an anonymous deck: not named");
    // A talk with one salesperson: they see themselves against letters.
    db.ok(&["deck", "--out", &out, "--branch", "Delft", "--anonymize", "--name", &person, "--lang", "en"]);
    let Some(text) = poppler("pdftotext", &[], &pdf) else { return };
    assert!(text.contains(person.as_str()) && text.contains("Salesperson A"), "{person} kept, the others letters");
    assert_eq!(db.run(&["deck", "--out", &out, "--source", "Telefax"]).status.code(), Some(2), "an unknown name is refused");
}

/// Every part of a PPTX (a zip) by name, inflated.
fn pptx_parts(pptx: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(pptx).expect("pptx")).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).expect("a part");
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).expect("inflates");
            (part.name().expect("a part name").to_string(), bytes)
        })
        .collect()
}

/// The text of a slide part's placeholders of `kinds` (title, ctrTitle, ...),
/// and the number of its pictures; panics on ill-formed XML.
fn slide_facts(xml: &[u8], kinds: &[&str]) -> (String, usize) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut text, mut pictures, mut in_shape, mut wanted, mut in_text) = (String::new(), 0, false, false, false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                "p:sp" => (in_shape, wanted) = (true, false),
                "p:pic" => pictures += 1,
                "p:ph" if in_shape => {
                    let kind = e.try_get_attribute("type").ok().flatten().map(|a| a.value.to_string());
                    wanted = kind.is_some_and(|k| kinds.contains(&k.as_str()));
                }
                "a:t" => in_text = wanted,
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => text.push_str(match &*r.xml10_content() {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "quot" => "\"",
                _ => "'",
            }),
            Event::End(e) => match e.name().into_inner() {
                "a:t" => in_text = false,
                "p:sp" => in_shape = false,
                _ => {}
            },
            Event::Eof => return (text, pictures),
            _ => {}
        }
    }
}

/// A PNG's width and height (its IHDR).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let number = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (number(16), number(20))
}

#[test]
fn a_pptx_deck_has_a_slide_per_page_with_its_title_picture_and_notes() {
    let db = Db::new("deck-pptx");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/leadrapport_oktober.xlsx", "samples/kcc_rapport_nov_dec.xlsx"]);
    let pptx = db.dir.join("meeting.pptx");
    db.ok(&["deck", "--out", &pptx.display().to_string(), "--lang", "en"]);
    let titles = deck_titles(&db);
    let parts = pptx_parts(&pptx);
    let part = |name: &str| parts.get(name).unwrap_or_else(|| panic!("{name} in {:?}", parts.keys().collect::<Vec<_>>()));
    let text = |name: &str| String::from_utf8(part(name).clone()).expect("UTF-8");
    let slides = parts.keys().filter(|n| n.starts_with("ppt/slides/slide")).count();
    assert_eq!(slides, titles.len(), "a slide per page: the title slide and one per view");
    // The presentation lists them in the deck's order.
    let presentation = text("ppt/presentation.xml");
    let rels = text("ppt/_rels/presentation.xml.rels");
    let order: Vec<String> = presentation
        .split("<p:sldId ")
        .skip(1)
        .map(|id| {
            let rid = id.split("r:id=\"").nth(1).and_then(|r| r.split('"').next()).expect("r:id");
            let target = rels.split(&format!("Id=\"{rid}\"")).nth(1).and_then(|r| r.split("Target=\"").nth(1)).expect("target");
            target.split('"').next().expect("target").to_string()
        })
        .collect();
    assert_eq!(order, (1..=slides).map(|n| format!("slides/slide{n}.xml")).collect::<Vec<_>>());
    for (i, title) in titles.iter().enumerate() {
        let n = i + 1;
        let (shown, pictures) = slide_facts(part(&format!("ppt/slides/slide{n}.xml")), &["title", "ctrTitle"]);
        assert_eq!(shown, *title, "slide {n}'s title placeholder");
        let slide_rels = text(&format!("ppt/slides/_rels/slide{n}.xml.rels"));
        if n == 1 {
            assert_eq!(pictures, 0, "the title slide is text");
            let (lines, _) = slide_facts(part("ppt/slides/slide1.xml"), &["subTitle"]);
            assert!(lines.contains("All branches, sources and salespeople") && lines.contains("Norm: 13%"), "{lines}");
            continue;
        }
        assert_eq!(pictures, 1, "slide {n}: one picture");
        let png = part(&format!("ppt/media/image{n}.png"));
        assert!(slide_rels.contains(&format!("Target=\"../media/image{n}.png\"")), "{slide_rels}");
        assert_eq!(png_size(png), (2560, 1440), "slide {n}: the chart at twice the slide's 1280 x 720 pixels");
        let (notes, _) = slide_facts(part(&format!("ppt/notesSlides/notesSlide{n}.xml")), &["body"]);
        assert!(notes.contains(&format!("page {n} of {slides}")), "slide {n}'s notes: {notes}");
        assert!(notes.contains("All branches, sources and salespeople") && notes.contains("Data as of "), "{notes}");
        assert!(notes.contains("Active leads: leads that came in themselves"), "the definitions: {notes}");
    }
    let types = text("[Content_Types].xml");
    assert!(types.contains("/ppt/notesSlides/notesSlide1.xml") && types.contains("presentationml.slide+xml"));
    assert!(text("docProps/app.xml").contains(&format!("<Slides>{slides}</Slides>")));

    // LibreOffice Impress opens it: converted headless, a PDF page per slide.
    let out = db.dir.join("converted");
    let converted = Command::new("soffice")
        .args(["--headless", "--norestore", &format!("-env:UserInstallation=file://{}", db.dir.join("lo-profile").display())])
        .args(["--convert-to", "pdf", "--outdir", &out.display().to_string(), &pptx.display().to_string()])
        .output();
    match converted {
        Ok(result) => {
            assert!(result.status.success(), "soffice: {}", String::from_utf8_lossy(&result.stderr));
            let Some((pages, _, _)) = pdf_facts(&out.join("meeting.pdf")) else { return };
            assert_eq!(pages, slides, "LibreOffice reads every slide");
        }
        Err(_) if std::env::var_os("CI").is_some() => panic!("soffice is missing under CI (.ci/packages.sh installs libreoffice-impress)"),
        Err(_) => {
            eprintln!("SKIPPED: soffice is not installed (apt-get install libreoffice-impress); LibreOffice's reading is not checked")
        }
    }
}

#[test]
fn an_anonymous_pptx_holds_no_real_name_in_any_part() {
    let db = Db::new("deck-pptx-anonymous");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/kcc_rapport_nov_dec.xlsx"]);
    let names = real_names(&db);
    let pptx = db.dir.join("anonymous.pptx");
    db.ok(&["deck", "--out", &pptx.display().to_string(), "--anonymize", "--lang", "nl", "--theme", "dark"]);
    let raw = std::fs::read(&pptx).expect("pptx");
    let parts = pptx_parts(&pptx);
    assert!(parts.keys().any(|n| n.starts_with("ppt/notesSlides/")) && parts.contains_key("docProps/core.xml"));
    for name in &names {
        let last = name.rsplit(' ').next().unwrap_or(name);
        for (part, bytes) in parts.iter().chain([(&"the file".to_string(), &raw)]) {
            assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()), "{name} in {part}");
            if last.len() >= 4 && !part.ends_with(".png") && part != "the file" {
                assert!(!bytes.windows(last.len()).any(|w| w == last.as_bytes()), "{last} ({name}) in {part}");
            }
        }
    }
    let (title, _) = slide_facts(&parts["ppt/slides/slide1.xml"], &["subTitle"]);
    assert!(title.contains("Verkopers en medewerkers zijn geanonimiseerd"), "the title slide says so: {title}");
    assert!(String::from_utf8_lossy(&parts["ppt/slides/slide1.xml"]).contains("<a:srgbClr val=\"111827\"/>"), "the dark room's background");
}

#[test]
fn a_chart_of_thousands_of_salespeople_shows_sixty_and_says_how_many_more() {
    let db = Db::new("many-groups");
    // Names with U+FFFE and U+FFFF, which are no XML characters.
    let mut csv = String::from("Lead ID;Aanmaakdatum;Bron;Verkoper;Status\n");
    for lead in 0..4000 {
        csv +=
            &format!("L{lead};2023-07-01;Web;Verkoper {} \u{fffe}\u{ffff};{}\n", lead / 2, if lead % 3 == 0 { "Verkocht" } else { "Open" });
    }
    let file = db.dir.join("veel.csv");
    std::fs::write(&file, csv).expect("csv");
    db.ok(&["import", &file.display().to_string()]);
    let svg_path = db.dir.join("many.svg");
    db.ok(&["chart", "--by", "salesperson", "--out", &svg_path.display().to_string()]);
    let svg = std::fs::read_to_string(&svg_path).expect("svg");
    assert_well_formed(&svg);
    assert!(!svg.contains(['\u{fffe}', '\u{ffff}']), "no XML noncharacters");
    assert!(svg.contains("and 1940 more not shown"), "what is left out is said");
    let png_path = db.dir.join("many.png");
    db.ok(&["chart", "--by", "salesperson", "--out", &png_path.display().to_string()]);
    let png = std::fs::read(&png_path).expect("png");
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(height < 3000, "{height} pixels high");
}

#[test]
fn a_full_or_closed_output_is_a_message_and_an_exit_status_never_a_panic() {
    let db = Db::new("full-output");
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let dertien = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dertien"));
        command.arg("--db").arg(db.path()).args(args).env_remove("DERTIEN_DB");
        command
    };
    let sample = data("samples/leads_q3_2023.xlsx").display().to_string();
    // Standard output full after the import is stored: said on standard error, exit 1.
    let out = dertien(&["import", &sample]).stdout(full()).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("dertien: ") && !stderr.contains("panicked"), "{stderr}");
    // Both full: nothing can be said, the exit status says it.
    let refused = data("fixtures/not_a_spreadsheet.xlsx").display().to_string();
    let out = dertien(&["import", &refused]).stdout(full()).stderr(full()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = dertien(&["--help"]).stdout(full()).stderr(full()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let out = dertien(&["report", "--by", "source"]).stdout(std::process::Stdio::null()).stderr(full()).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_second_import_while_another_writes_waits_then_says_the_store_is_busy() {
    let db = Db::new("busy");
    db.import(&["fixtures/export_1252.csv"]);
    // Another process in the middle of its import: it holds the store's write lock.
    let other = rusqlite::Connection::open(db.path()).expect("store");
    other.execute_batch("BEGIN IMMEDIATE").expect("the write lock");
    let started = std::time::Instant::now();
    let out = db.run(&["import", &data("samples/leads_q3_2023.xlsx").display().to_string()]);
    let waited = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the store is busy") && stderr.contains("try again"), "{stderr}");
    assert!(waited >= std::time::Duration::from_secs(4), "waited {waited:?} before saying so");
    other.execute_batch("ROLLBACK").expect("released");
    assert_eq!(db.import(&["samples/leads_q3_2023.xlsx"])[0]["leads"], 6000, "then it imports");
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let db = Db::new("usage");
    for args in [
        &["report"][..],
        &["report", "--by", "colour"],
        &["report", "--by", "source", "--from", "gisteren"],
        &["report", "--by", "source", "--from", "2023-09-01", "--to", "2023-08-01"],
        &["import"],
        &["frobnicate"],
    ] {
        let out = db.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("dertien: "), "{args:?}");
    }
    assert!(db.ok(&["--help"]).contains("dertien [--db PATH] report --by DIM"));
}

#[test]
fn the_database_holds_no_customer_details() {
    let db = Db::new("privacy");
    db.import(&["samples/leads_q3_2023.xlsx", "samples/leadrapport_oktober.xlsx", "fixtures/no_ids.csv"]);
    let mut text = String::new();
    for entry in std::fs::read_dir(&db.dir).expect("store dir") {
        text.push_str(&printable_runs(&std::fs::read(entry.expect("entry").path()).expect("read")));
    }
    assert!(text.contains("Fatima Yilmaz"), "salespeople are stored: the check can see text");
    let mut checked = 0;
    for (sample, columns) in [
        ("samples/leads_q3_2023.xlsx", ["Customer", "Phone", "Email"]),
        ("samples/leadrapport_oktober.xlsx", ["Klantnaam", "Telefoon", "E-mail"]),
    ] {
        for value in column_values(&data(sample), &columns) {
            assert!(!text.contains(&value), "{value} from {sample} is in the database");
            checked += 1;
        }
    }
    for value in ["Ans Pieters", "0612345678", "ans@example.nl", "Kees Boer", "Lies Dam"] {
        assert!(!text.contains(value), "{value} is in the database");
    }
    assert!(checked > 20_000, "checked {checked} customer details");
}

/// Every non-empty value of the named columns of the first sheet.
fn column_values(path: &Path, columns: &[&str]) -> Vec<String> {
    use calamine::{open_workbook_auto, Reader};
    let mut book = open_workbook_auto(path).expect("sample opens");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = rows.iter().position(|r| columns.iter().all(|c| r.contains(&c.to_string()))).expect("header row");
    let indexes: Vec<usize> = columns.iter().map(|c| rows[header].iter().position(|h| h == c).expect("column")).collect();
    let salespeople = [
        "Jan de Vries",
        "Zoë Smit",
        "Kees Mulder",
        "Bram de Boer",
        "Lotte Visser",
        "Sanne Bakker",
        "Pieter Jansen",
        "René van Dijk",
        "Fatima Yilmaz",
        "Mohammed El Amrani",
    ];
    rows[header + 1..]
        .iter()
        .flat_map(|r| indexes.iter().map(move |&i| r[i].clone()))
        .filter(|v| v.len() > 3 && !salespeople.contains(&v.as_str()))
        .collect()
}

/// The runs of printable text in a binary file, one per line, the way
/// `strings` shows them: what anyone could read out of the database.
fn printable_runs(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for run in text.split(|c: char| c.is_control() || c == '\u{fffd}') {
        if run.chars().count() >= 4 {
            out.push_str(run);
            out.push('\n');
        }
    }
    out
}

#[test]
fn merged_header_cells_over_two_rows() {
    let db = Db::new("merged");
    let result = &db.import(&["fixtures/merged_header.xlsx"])[0];
    assert_eq!(result["rows_read"], 6, "the title and both header rows are no leads");
    let report = db.report("source", &["--from", "2023-10-10", "--to", "2023-10-10"]);
    assert_eq!(report["total"]["leads"], 1);
    assert_eq!(report["total"]["sold"], 1);
}

/// The command line starts without the window's libraries: on Linux the
/// dynamic linker loads every library a program names before `main`, and
/// WebKitGTK with GTK would cost each `dertien report` tens of milliseconds.
#[cfg(target_os = "linux")]
#[test]
fn the_command_line_names_no_gui_library() {
    let out = Command::new("readelf").args(["--dynamic", env!("CARGO_BIN_EXE_dertien")]).output().expect("readelf (binutils) runs");
    let libraries: Vec<String> =
        String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("(NEEDED)")).map(str::to_string).collect();
    assert!(libraries.iter().any(|l| l.contains("libc.so")), "readelf listed the program's libraries: {libraries:?}");
    for gui in ["gtk", "gdk", "webkit", "javascriptcore", "soup"] {
        assert!(!libraries.iter().any(|l| l.contains(gui)), "dertien names {gui}: {libraries:?}");
    }
}

#[test]
fn no_customer_detail_reaches_any_table_even_from_shifted_or_misplaced_cells() {
    let db = Db::new("privacy-shifted");
    // A comma file: row 3's unquoted "Bakker, Marie" shifts its columns (the
    // first name would be a phone, the e-mail a lead id, ...); rows 4-6 hold
    // their customer's details in the date and status columns.
    let csv = "Klantnaam,Telefoon,E-mail,Lead ID,Aanmaakdatum,Bron,Verkoper,Status\n\
               Piet Jansen,06-12345678,piet.jansen@example.nl,L1,03-07-2023,Website,Jan de Vries,Verkocht\n\
               Bakker, Marie,06-87654321,marie.bakker@example.nl,L2,04-07-2023,Website,Jan de Vries,Open\n\
               Daan Hoekstra,06-11223344,daan.hoekstra@example.nl,L3,daan.hoekstra@example.nl,Telefoon,Zoë Smit,Daan Hoekstra\n\
               Eva de Wit,0655443322,eva@dewit.example,L4,0655443322,AutoTrack,Zoë Smit,eva@dewit.example\n\
               Sem Vos,+31 6 99887766,sem.vos@example.com,L5,Sem Vos,Website,Jan de Vries,+31 6 99887766\n\
               Lotte Kok,0612121212,lotte.kok@example.nl,L6,05-07-2023,Website\n\
               Noor Smits,0613131313,noor.smits@example.nl,L7,31-11-2023,Website,Jan de Vries,Open\n";
    let file = db.dir.join("klanten.csv");
    std::fs::write(&file, csv).expect("fixture");
    let out = db.ok(&["import", "--format", "json", &file.display().to_string()]);
    let result = &serde_json::from_str::<Value>(&out).expect("import JSON")[0];
    assert_eq!((result["rows_read"].as_u64(), result["leads"].as_u64()), (Some(7), Some(6)), "{result}");
    let issues: Vec<(u64, String)> = result["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| (i["row"].as_u64().unwrap_or(0), i["message"].as_str().unwrap_or("").to_string()))
        .collect();
    let issue = |row: u64, text: &str| issues.iter().any(|(r, m)| *r == row && m.contains(text));
    assert!(issue(3, "9 fields where the header has 8 (a separator inside a value?): the row is skipped"), "{issues:?}");
    assert!(issue(4, "an e-mail address is not a date"), "{issues:?}");
    assert!(issue(4, "the customer's name here: left empty"), "{issues:?}");
    assert!(issue(5, "a phone number is not a date"), "{issues:?}");
    assert!(issue(5, "an e-mail address here: left empty"), "{issues:?}");
    assert!(issue(6, "the customer's name is not a date"), "{issues:?}");
    assert!(issue(6, "a phone number here: left empty"), "{issues:?}");
    assert!(issue(8, "\"31-11-2023\" is not a date"), "ordinary bad dates are still quoted: {issues:?}");

    let details = [
        "Piet Jansen",
        "Jansen",
        "06-12345678",
        "0612345678",
        "piet.jansen@example.nl",
        "Bakker",
        "Marie",
        "06-87654321",
        "0687654321",
        "marie.bakker@example.nl",
        "Daan Hoekstra",
        "Hoekstra",
        "06-11223344",
        "0611223344",
        "daan.hoekstra@example.nl",
        "Eva de Wit",
        "0655443322",
        "eva@dewit.example",
        "Sem Vos",
        "+31 6 99887766",
        "31699887766",
        "99887766",
        "sem.vos@example.com",
        "Lotte Kok",
        "0612121212",
        "lotte.kok@example.nl",
        "Noor Smits",
        "0613131313",
        "noor.smits@example.nl",
    ];
    // Every value of every table, as text.
    let store = rusqlite::Connection::open(db.path()).expect("store opens");
    let tables: Vec<String> = store
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    for required in ["lead", "lead_history", "name", "spelling", "import", "import_issue"] {
        assert!(tables.iter().any(|t| t == required), "{required} in {tables:?}");
    }
    let mut values = String::new();
    for table in &tables {
        let mut select = store.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let width = select.column_count();
        let mut rows = select.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            for column in 0..width {
                let value = match row.get_ref(column).expect("value") {
                    rusqlite::types::ValueRef::Null => String::new(),
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Real(x) => x.to_string(),
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
                };
                values.push_str(&value);
                values.push('\n');
            }
        }
    }
    drop(store);
    assert!(values.contains("Zoë Smit") && values.contains("31-11-2023"), "the check sees names and issues");
    let mut raw = String::new();
    for entry in std::fs::read_dir(&db.dir).expect("store dir") {
        let path = entry.expect("entry").path();
        if path != file {
            raw.push_str(&printable_runs(&std::fs::read(&path).expect("read")));
        }
    }
    for detail in details {
        assert!(!values.contains(detail), "{detail} is in a table of the store");
        assert!(!raw.contains(detail), "{detail} is in the store's bytes");
    }
}

#[test]
fn sold_and_lost_words_given_on_the_command_line_are_kept_in_the_settings() {
    let db = Db::new("status-words");
    let report = db.dir.join("eigen_woorden.csv");
    let mut text = String::from("Lead ID;Aanmaakdatum;Bron;Verkoper;Status\n");
    for i in 0..12 {
        let status = ["Akkoord", "Afgehaakt", "Loopt"][i % 3];
        text.push_str(&format!("L{i};0{}-10-2023;Website;Jan de Vries;{status}\n", 1 + i % 9));
    }
    std::fs::write(&report, text).expect("report written");
    let path = report.display().to_string();
    // Unknown words: nothing is sold.
    let plain = Db::new("status-words-plain");
    plain.ok(&["import", &path]);
    assert_eq!(plain.report("source", &[])["total"]["sold"], 0);
    // Named on the command line: four of twelve are sold, and the settings keep it.
    db.ok(&["import", "--sold", "Akkoord", "--lost", "Afgehaakt", &path]);
    assert_eq!(db.report("source", &[])["total"]["sold"], 4);
    let settings = dertien::store::Store::open(&db.path()).expect("store").settings().expect("settings");
    assert_eq!((settings.status_words.sold, settings.status_words.lost), (vec!["Akkoord".to_string()], vec!["Afgehaakt".to_string()]));
}

/// Each group's (name, active leads, sold), by name.
fn counts(report: &Value) -> Vec<(String, u64, u64)> {
    let mut counts: Vec<_> = groups(report).into_iter().map(|(key, leads, sold, _)| (key, leads, sold)).collect();
    counts.sort();
    counts
}

fn named(pairs: &[(&str, u64, u64)]) -> Vec<(String, u64, u64)> {
    pairs.iter().map(|(name, leads, sold)| (name.to_string(), *leads, *sold)).collect()
}

fn notes(result: &Value) -> Vec<String> {
    result["notes"].as_array().expect("notes").iter().map(|n| n.as_str().unwrap_or_default().to_string()).collect()
}

/// Exports shaped the way other systems write them (column names from their
/// public export documentation), each with its figures counted by hand.
#[test]
fn a_salesforce_lead_export_takes_the_lead_source_not_the_origin_and_no_preference_as_an_email() {
    let db = Db::new("crm-salesforce");
    let result = &db.import(&["fixtures/crm/salesforce_leads.csv"])[0];
    assert_eq!(result["leads"], 18);
    let notes = notes(result);
    assert!(notes.iter().any(|n| n.contains("column \"Lead Origin\" could also be the source, but \"Lead Source\" is used")), "{notes:?}");
    assert!(
        notes.iter().any(|n| n.contains("\"Do Not Email\"") && n.contains("columns not used")),
        "a preference, not an address: {notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("column \"Created Date\": read month-first")), "{notes:?}");
    assert!(!notes.iter().any(|n| n.starts_with("status:")), "Salesforce's own statuses are known: {notes:?}");
    let by_source = db.report("source", &[]);
    assert_eq!(counts(&by_source), named(&[("AutoTrack", 4, 2), ("Facebook", 5, 1), ("Google", 4, 1), ("Website", 5, 1)]));
    let by_owner = db.report("salesperson", &[]);
    assert_eq!(
        counts(&by_owner),
        named(&[("Anna Smit", 6, 5), ("Bram Visser", 6, 0), ("Carla de Boer", 6, 0)]),
        "Closed - Converted is a sale"
    );
}

#[test]
fn a_hubspot_deal_export_reads_its_stages_owner_and_original_source() {
    let db = Db::new("crm-hubspot");
    let result = &db.import(&["fixtures/crm/hubspot_deals.csv"])[0];
    assert_eq!(result["leads"], 16);
    assert!(notes(result).iter().any(|n| n.contains("\"Close Date\" is a close date, not a sale date")), "{result}");
    assert_eq!(counts(&db.report("salesperson", &[])), named(&[("Jan de Vries", 8, 2), ("Zoë Smit", 8, 3)]));
    assert_eq!(
        counts(&db.report("source", &[])),
        named(&[("Direct Traffic", 4, 0), ("Offline Sources", 4, 1), ("Organic Search", 4, 2), ("Paid Social", 4, 2)])
    );
}

#[test]
fn a_dynamics_lead_export_says_that_no_status_is_a_sale_and_counts_once_told() {
    let db = Db::new("crm-dynamics");
    let result = &db.import(&["fixtures/crm/dynamics_leads.csv"])[0];
    assert_eq!(result["leads"], 15);
    let notes = notes(result);
    assert!(
        notes.iter().any(|n| n.starts_with("status: no status value is a sold word, so no lead counts as sold")
            && n.contains("\"Disqualified\" (5), \"Qualified\" (5)")
            && n.contains("import --sold WORD")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("\"Do not allow Emails\"") && n.contains("columns not used")), "{notes:?}");
    assert_eq!(db.report("salesperson", &[])["total"]["sold"], 0);

    let told = Db::new("crm-dynamics-told");
    let out =
        told.ok(&["import", "--sold", "Qualified", "--format", "json", &data("fixtures/crm/dynamics_leads.csv").display().to_string()]);
    assert!(!out.contains("no status value is a sold word"), "{out}");
    assert_eq!(counts(&told.report("salesperson", &[])), named(&[("Pieter Bakker", 10, 5), ("Sanne Mulder", 5, 0)]));
}

#[test]
fn a_dutch_dms_export_takes_bron_over_herkomst() {
    let db = Db::new("crm-dms");
    let result = &db.import(&["fixtures/crm/dms_aanvragen.csv"])[0];
    assert_eq!((result["leads"].as_u64(), result["issues"].as_array().map(Vec::len)), (Some(20), Some(0)), "{result}");
    assert!(notes(result).iter().any(|n| n.contains("column \"Herkomst\" could also be the source, but \"Bron\" is used")), "{result}");
    assert_eq!(
        counts(&db.report("source", &[])),
        named(&[("AutoScout24", 5, 0), ("AutoTrack", 5, 0), ("Eigen website", 5, 3), ("Marktplaats", 5, 2)])
    );
    assert_eq!(counts(&db.report("salesperson", &[])), named(&[("Fatima El Amrani", 5, 2), ("Henk Jansen", 10, 3), ("Ruud Pals", 5, 0)]));
    assert_eq!(counts(&db.report("branch", &[])), named(&[("Amersfoort", 10, 2), ("Utrecht", 10, 3)]));
    let response = db.report("response", &[]);
    assert_eq!(response["groups"].as_array().map(|g| g.iter().any(|g| g["key"] == "none" && g["leads"] == 4)), Some(true), "{response}");
}

#[test]
fn a_call_centre_export_names_agents_and_the_salesperson_it_passed_the_lead_to() {
    let db = Db::new("crm-kcc");
    let result = &db.import(&["fixtures/crm/kcc_export.csv"])[0];
    assert_eq!(result["leads"], 18);
    assert!(
        notes(result).iter().any(|n| n == "sheet CSV: guess: column \"Kanaal\" as the source: \"Campagne\" fits as well"),
        "two columns could be the source: a guess, said: {result}"
    );
    assert_eq!(counts(&db.report("agent", &[])), named(&[("Ilse", 9, 3), ("Kim", 4, 2), ("Mo", 5, 1)]));
    assert_eq!(counts(&db.report("salesperson", &[])), named(&[("Fatima El Amrani", 6, 2), ("Henk Jansen", 6, 2), ("Ruud Pals", 6, 2)]));
}

#[test]
fn a_database_dump_with_snake_case_headers_and_statuses_is_read() {
    let db = Db::new("crm-dump");
    let result = &db.import(&["fixtures/crm/db_dump_leads.csv"])[0];
    assert_eq!(result["leads"], 16);
    assert!(!notes(result).iter().any(|n| n.contains("no salesperson column") || n.starts_with("status:")), "{result}");
    assert_eq!(counts(&db.report("salesperson", &[])), named(&[("jan_de_vries", 10, 2), ("zoe_smit", 6, 4)]), "closed_won is a sale");
    assert_eq!(
        counts(&db.report("source", &[])),
        named(&[("autotrack", 4, 0), ("facebook", 4, 1), ("google_ads", 4, 3), ("website", 4, 2)])
    );
    let response = db.report("response", &[]);
    assert_eq!(response["groups"].as_array().map(|g| g.iter().any(|g| g["key"] == "none" && g["leads"] == 4)), Some(true), "{response}");
}

#[test]
fn scope_keeps_the_leads_of_the_names_given_and_refuses_a_name_no_lead_has() {
    let db = Db::new("scope");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let by_source = db.report("source", &[]);
    let website = groups(&by_source).into_iter().find(|g| g.0 == "Website formulier").expect("Website formulier");
    let autotrack = groups(&by_source).into_iter().find(|g| g.0 == "AutoTrack").expect("AutoTrack");

    // Any of a repeated option's names, compared as names are (case, spaces).
    let both = db.report("salesperson", &["--source", "  website FORMULIER ", "--source", "autotrack"]);
    assert_eq!(both["total"]["leads"].as_u64(), Some(website.1 + autotrack.1));
    assert_eq!(both["total"]["sold"].as_u64(), Some(website.2 + autotrack.2));
    let per_person: u64 = groups(&both).iter().map(|g| g.1).sum();
    assert_eq!(per_person, website.1 + autotrack.1, "every kept lead is someone's (or unassigned)");

    // Different options combine with "and": one salesperson's Website leads
    // are the Website row of their source report and the person's row of the source's.
    let person = groups(&both).into_iter().find(|g| g.0 != "None").expect("a salesperson").0;
    let theirs = db.report("source", &["--salesperson", &person]);
    let in_website = db.report("salesperson", &["--source", "Website formulier"]);
    let a = groups(&theirs).into_iter().find(|g| g.0 == "Website formulier").expect("their Website leads");
    let b = groups(&in_website).into_iter().find(|g| g.0 == person).expect("Website's leads of theirs");
    assert_eq!((a.1, a.2), (b.1, b.2));
    let table = db.ok(&["report", "--by", "source", "--salesperson", &person, "--branch", "Delft", "--lang", "en"]);
    assert!(table.starts_with("Conversion by source"), "{table}");

    let out = db.run(&["report", "--by", "source", "--branch", "Rotterdam"]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("no branch \"Rotterdam\"; the branches are: \"Delft\", \"Den Haag\", \"Rijswijk\", \"Zoetermeer\""),
        "{message}"
    );
}

#[test]
fn compare_adds_the_period_before_or_a_year_earlier() {
    let db = Db::new("compare");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let september = db.report("source", &["--from", "2023-09", "--to", "2023-09", "--compare", "previous"]);
    assert_eq!(september["compared"]["period"], serde_json::json!({"from": "2023-08-01", "to": "2023-08-31"}));
    let august = db.report("source", &["--from", "2023-08", "--to", "2023-08"]);
    assert_eq!(september["compared"]["total"], august["total"], "the compared member is the report over the other period");
    assert!(september["compared"].get("compared").is_none());
    let year = db.report("branch", &["--from", "2023-09", "--to", "2023-09", "--compare", "year", "--branch", "Delft"]);
    assert_eq!(year["compared"]["period"], serde_json::json!({"from": "2022-09-01", "to": "2022-09-30"}));
    assert_eq!(year["compared"]["total"]["leads"], 0, "no leads a year before");
    let table = db.ok(&["report", "--by", "source", "--from", "2023-09", "--to", "2023-09", "--compare", "previous", "--lang", "en"]);
    let line = format!("Compared period 2023-08-01 to 2023-08-31: {} active leads", august["total"]["leads"]);
    assert!(table.contains(&line), "{table}");
    assert_eq!(db.run(&["report", "--by", "source", "--compare", "last"]).status.code(), Some(2));
}

#[test]
fn a_chart_for_the_meeting_names_its_scope_hides_names_but_one_and_can_be_dark() {
    let db = Db::new("meeting-chart");
    db.import(&["samples/leads_q3_2023.xlsx"]);
    let people: Vec<String> =
        groups(&db.report("salesperson", &["--branch", "Delft"])).into_iter().map(|g| g.0).filter(|n| n != "None").collect();
    assert!(people.len() >= 3, "{people:?}");
    let svg = db.dir.join("delft.svg");
    let out = svg.display().to_string();
    db.ok(&["chart", "--by", "salesperson", "--branch", "delft", "--anonymize", "--name", &people[0], "--lang", "en", "--out", &out]);
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.contains("Branch Delft"), "the scope under the title");
    assert!(text.contains(&people[0]), "the one name kept");
    for other in &people[1..] {
        assert!(!text.contains(other.as_str()), "{other} is anonymous");
    }
    assert!(text.contains("Salesperson A"));

    let light = db.dir.join("light.png");
    let dark = db.dir.join("dark.png");
    db.ok(&["chart", "--by", "source", "--out", &light.display().to_string()]);
    db.ok(&["chart", "--by", "source", "--theme", "dark", "--out", &dark.display().to_string()]);
    let corner = |path: &Path| {
        let bytes = std::fs::read(path).expect("png");
        let mut reader = png::Decoder::new(bytes.as_slice()).read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).expect("pixels");
        pixels[..3].iter().map(|&c| u32::from(c)).sum::<u32>()
    };
    assert!(corner(&light) > 600 && corner(&dark) < 150, "a light and a dark background: {} {}", corner(&light), corner(&dark));
    let refused = db.run(&["chart", "--by", "source", "--name", "Jan", "--out", &out]);
    assert_eq!(refused.status.code(), Some(2), "--name without --anonymize");
}

#[test]
fn a_month_chart_of_undated_leads_says_they_have_no_creation_date() {
    let db = Db::new("undated");
    let file = db.dir.join("zonder_datum.csv");
    std::fs::write(&file, "Lead ID;Bron;Verkoper;Status\nL1;Web;Jan;Verkocht\nL2;Web;Jan;Open\nL3;Telefoon;Ans;Open\n").expect("csv");
    db.ok(&["import", &file.display().to_string()]);
    let chart = db.dir.join("months.svg");
    db.ok(&["chart", "--by", "month", "--lang", "en", "--out", &chart.display().to_string()]);
    let svg = std::fs::read_to_string(&chart).expect("svg");
    assert!(svg.contains("These leads have no creation date: they belong to no month"), "not 'no active leads'");
    assert!(!svg.contains("No active leads in this period"));
    let sources = db.dir.join("sources.svg");
    db.ok(&["chart", "--by", "source", "--from", "2030-01", "--to", "2030-01", "--lang", "en", "--out", &sources.display().to_string()]);
    assert!(std::fs::read_to_string(&sources).expect("svg").contains("No active leads in this period"), "an empty period says so");
}
