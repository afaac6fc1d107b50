//! The hostile corpus (`tests/data/make_hostile.py`: small files that once
//! aborted the program or ate the machine) through the command line, each
//! under a 60-second timeout with its peak memory measured: every one is
//! read or refused (exit 0 or 2), never a signal, a hang or over 1 GB.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The goal: a file up to 100 MB read or refused within 1 GB of memory.
const PEAK_KB: u64 = 1 << 20;
const SECONDS: &str = "60";

fn corpus() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dertien-hostile-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/make_hostile.py");
    let made = Command::new("python3").arg(script).arg(&dir).status().expect("python3 runs");
    assert!(made.success(), "the corpus is made");
    dir
}

/// Runs `dertien ARGS` under the timeout, with `/usr/bin/time` measuring
/// its peak resident memory: the exit status (None: killed) and the peak in KB.
fn measured(db: &Path, args: &[&str]) -> (Option<i32>, u64, String) {
    let report = db.with_extension("time");
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%x %M")
        .arg("-o")
        .arg(&report)
        .args(["timeout", "-s", "KILL", SECONDS])
        .arg(env!("CARGO_BIN_EXE_dertien"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DERTIEN_DB")
        .output()
        .expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let time = std::fs::read_to_string(&report).unwrap_or_default();
    // "Command terminated by signal 9" stands on a line before the numbers.
    let numbers = time.lines().last().unwrap_or_default().to_string();
    let mut fields = numbers.split_whitespace();
    let status = fields.next().and_then(|s| s.parse().ok()).filter(|_| !time.contains("signal"));
    let peak = fields.next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
    (status, peak, stderr)
}

#[test]
fn every_hostile_file_is_read_or_refused_within_bounds() {
    let dir = corpus();
    let expect = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    let mut failures = Vec::new();
    let mut files: Vec<(String, String)> =
        expect.lines().filter_map(|l| l.split_once(' ')).map(|(f, e)| (dir.join(f).display().to_string(), e.to_string())).collect();
    files.push(("/dev/zero".into(), "refused".into()));
    for (file, expected) in &files {
        let db = dir.join(format!("{}.db", Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or("x")));
        let started = std::time::Instant::now();
        let (status, peak, stderr) = measured(&db, &["import", file]);
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("{file}: exit {status:?}, {seconds:.1} s, peak {} MB", peak / 1024);
        let allowed: &[i32] = if expected == "refused" { &[2] } else { &[0, 2] };
        if !status.is_some_and(|s| allowed.contains(&s)) || peak > PEAK_KB || stderr.contains("panicked") {
            failures.push(format!("{file}: exit {status:?}, peak {peak} KB, {}", stderr.chars().take(300).collect::<String>()));
        }
        if expected == "refused" && stderr.len() > 2000 {
            failures.push(format!("{file}: a refusal of {} bytes", stderr.len()));
        }
    }
    // A chart over thousands of salespeople stays a readable size.
    let db = dir.join("many_salespeople.csv.db");
    let png = dir.join("many.png");
    let (status, peak, stderr) = measured(&db, &["chart", "--by", "salesperson", "--out", &png.display().to_string()]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(peak <= PEAK_KB, "the chart peaked at {peak} KB");
    let bytes = std::fs::read(&png).expect("png");
    assert!(u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]) < 3000, "a readable height");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
