//! `kill -9` at random moments of a large import: the store always opens,
//! passes SQLite's integrity check, and shows either the figures from before
//! the import or those of the complete import, never a mix (one transaction
//! per file, ARCHITECTURE.md).

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const LEADS: u32 = 100_000;
const TRIALS: usize = 20;

fn dertien(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dertien"));
    command.arg("--db").arg(db).args(args).env_remove("DERTIEN_DB").env("LANG", "en_US.UTF-8");
    command
}

/// Every figure the command line reports, as one text to compare.
fn figures(db: &Path) -> String {
    let mut all = String::new();
    for by in ["source", "salesperson", "branch", "month", "response", "phone"] {
        let out = dertien(db, &["report", "--by", by, "--format", "json"]).output().expect("dertien runs");
        assert!(out.status.success(), "report --by {by} after a kill: {}", String::from_utf8_lossy(&out.stderr));
        all.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    let out = dertien(db, &["imports", "--format", "json"]).output().expect("dertien runs");
    let imports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("imports JSON");
    all.push_str(&format!("{} imports", imports.as_array().map_or(0, Vec::len)));
    all
}

fn integrity(db: &Path) -> String {
    let connection = rusqlite::Connection::open(db).expect("the store opens");
    connection.query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0)).expect("integrity_check runs")
}

/// A report of `LEADS` leads, written the way Excel writes one.
fn large_report(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd-mm-yyyy hh:mm");
    for (column, header) in ["Lead ID", "Aanmaakdatum", "Bron", "Verkoper", "Vestiging", "Status"].iter().enumerate() {
        sheet.write_string(0, column as u16, *header).expect("header");
    }
    let sources = ["Website formulier", "Facebook Lead Ads", "AutoTrack", "Telefoon", "Showroom"];
    let people = ["Jan de Vries", "Zoë Smit", "Kees Mulder", "Lotte Visser", ""];
    for i in 0..LEADS {
        let row = i + 1;
        let created = ExcelDateTime::from_ymd(2024, 1 + (i % 12) as u8, 1 + (i % 28) as u8).expect("date");
        sheet.write_string(row, 0, format!("K-{i:07}")).expect("id");
        sheet.write_datetime_with_format(row, 1, &created, &date).expect("created");
        sheet.write_string(row, 2, sources[(i % 5) as usize]).expect("source");
        sheet.write_string(row, 3, people[(i / 5 % 5) as usize]).expect("salesperson");
        sheet.write_string(row, 4, if i % 3 == 0 { "Delft" } else { "Leiden" }).expect("branch");
        sheet.write_string(row, 5, if i % 8 == 0 { "Verkocht" } else { "Open" }).expect("status");
    }
    book.save(path).expect("the report is written");
}

/// A store holding the previous import, copied to `to`.
fn copy_store(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("folder")).expect("folder");
    std::fs::copy(from, to).expect("store copied");
}

/// A fraction in [0, 1) from the system's random generator.
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random bytes");
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn a_killed_import_leaves_the_previous_or_the_complete_figures() {
    let dir = std::env::temp_dir().join(format!("dertien-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/leads_q3_2023.xlsx");
    let report = dir.join("large.xlsx");
    large_report(&report);

    // Before: a store with one import. Complete: the large import on top.
    let base = dir.join("base").join("store.db");
    let out = dertien(&base, &["import", &sample.display().to_string()]).output().expect("dertien runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = figures(&base);
    let complete_db = dir.join("complete").join("store.db");
    copy_store(&base, &complete_db);
    let started = Instant::now();
    let out = dertien(&complete_db, &["import", &report.display().to_string()]).output().expect("dertien runs");
    let duration = started.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let complete = figures(&complete_db);
    assert_ne!(before, complete, "the large import changes the figures");

    let mut outcomes = (0, 0);
    for trial in 0..TRIALS {
        let db: PathBuf = dir.join(format!("trial-{trial}")).join("store.db");
        copy_store(&base, &db);
        let mut child = dertien(&db, &["import", &report.display().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dertien starts");
        // Anywhere from the start to a little past the end of a whole import.
        std::thread::sleep(duration.mul_f64(1.1 * random_fraction()));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(integrity(&db), "ok", "trial {trial}: the store is intact");
        let now = figures(&db);
        if now == before {
            outcomes.0 += 1;
        } else if now == complete {
            outcomes.1 += 1;
        } else {
            panic!("trial {trial}: the figures are neither those from before nor those of the complete import");
        }
        let _ = std::fs::remove_dir_all(db.parent().expect("folder"));
    }
    eprintln!("{TRIALS} kills: {} left the figures from before, {} the complete import", outcomes.0, outcomes.1);
    assert!(outcomes.0 > 0, "some kills came before the commit (else the test never interrupted an import)");
    let _ = std::fs::remove_dir_all(dir);
}
