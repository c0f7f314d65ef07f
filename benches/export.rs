//! Issue 16 point 8: exports and imports stream, with memory flat in the size of the file.
//!
//! `cargo bench --bench export` builds (once, cached under target/bench-data) a database with
//! one synthetic client who has 100,000 case notes, then runs the release binary:
//! - `export C-0001 --format md -o FILE`,
//! - `export C-0001 --format json -o FILE`,
//! - `import FILE` of that JSON into an empty database,
//! - `export --caseload --format csv -o FILE`,
//!
//! and reports each child's peak resident memory (`ru_maxrss` from `wait4`, for that child
//! alone) and its wall time. Target: under 100 MB each.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use caseload::demo::{generate, DemoOptions};
use caseload::store::Store;
use chrono::Utc;

const BIN: &str = env!("CARGO_BIN_EXE_caseload");
const NOTES: usize = 100_000;
const TARGET_MB: f64 = 100.0;

fn dataset() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let path = dir.join("one-client-100k-notes.db");
    let built_with = format!("{}/{}", env!("CARGO_PKG_VERSION"), caseload::store::latest_version());
    if let Ok(store) = Store::open_existing(&path) {
        if store.meta("bench_built_with").ok().flatten().as_deref() == Some(built_with.as_str()) {
            return path;
        }
    }
    let _ = std::fs::remove_file(&path);
    eprintln!("building one client with {NOTES} notes (cached for next time)…");
    let started = Instant::now();
    let mut store = Store::open(&path).expect("open");
    generate(&mut store, &DemoOptions { clients: 1, seed: 16, notes_per_client: NOTES }, Utc::now())
        .expect("demo");
    store.set_meta("bench_built_with", &built_with).expect("meta");
    eprintln!("  built in {:.1} s", started.elapsed().as_secs_f64());
    path
}

/// Runs the binary with `args` and waits for it with `wait4`: (peak RSS in MB, seconds).
#[allow(clippy::zombie_processes)] // reaped by wait4, which gives this child's own usage
fn measure(args: &[&str]) -> (f64, f64) {
    let started = Instant::now();
    let child =
        Command::new(BIN).args(args).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{args:?} failed ({status})");
    // ru_maxrss is in kilobytes on Linux
    (usage.ru_maxrss as f64 / 1024.0, secs)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("export bench: run with `cargo bench --bench export`");
        return;
    }
    let db = dataset();
    let out = tempfile::tempdir().expect("temp dir");
    let file = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    let db_s = db.to_string_lossy().into_owned();
    let (md, json, csv) = (file("c.md"), file("c.json"), file("caseload.csv"));
    let target = file("target.db");
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("export C-0001 --format md", vec!["--db", &db_s, "export", "C-0001", "--format", "md", "-o", &md]),
        (
            "export C-0001 --format json",
            vec!["--db", &db_s, "export", "C-0001", "--format", "json", "--include-errors", "-o", &json],
        ),
        ("import (that JSON, into an empty database)", vec!["--db", &target, "import", &json]),
        (
            "export --caseload --format csv",
            vec!["--db", &db_s, "export", "--caseload", "--format", "csv", "-o", &csv],
        ),
    ];
    println!("\none client with {NOTES} notes; peak resident memory of each command (ru_maxrss)");
    for (label, args) in runs {
        let (mb, secs) = measure(&args);
        let size = args
            .last()
            .filter(|_| label.starts_with("export"))
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| format!(", file {:.1} MB", m.len() as f64 / 1e6))
            .unwrap_or_default();
        let flag = if mb > TARGET_MB { "  OVER TARGET" } else { "" };
        println!("  {label:<44} {mb:>7.1} MB  {secs:>6.2} s{size}  (target < {TARGET_MB} MB){flag}");
    }
}
