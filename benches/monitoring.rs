//! Monitoring at career and agency scale (issue 4).
//!
//! `cargo bench --bench monitoring` builds (once, cached under target/bench-data) a career-scale
//! database (2,000 clients, 100,000 notes) and an agency-scale one (20,000 clients, 1,000,000
//! notes), then measures:
//! - `caseload note REF "..."` from process start to commit, against the sqlite3 command-line
//!   tool inserting one row into the same table of the same file (floor: SQLite itself);
//! - `caseload search WORD` against sqlite3 running the same FTS5 query;
//! - both again on a small database (10,000 notes), to show they do not grow with the notes;
//! - at agency scale, in process: a search's first page, a client's timeline and Today;
//! - resident memory (max RSS) of the commands at agency scale.
//!
//! Set CASELOAD_BENCH_SKIP_AGENCY=1 to skip the agency part.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use caseload::demo::{generate, DemoOptions};
use caseload::domain::settings::Settings;
use caseload::store::due::DueContext;
use caseload::store::search::{SearchFilter, TimelineFilter};
use caseload::store::Store;
use chrono::{Local, Utc};

mod common;
use common::{PtyApp, BIN};

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    dir
}

/// A demo database of the given size, generated once and reused.
fn dataset(name: &str, clients: usize, notes_per_client: usize) -> PathBuf {
    let path = data_dir().join(format!("{name}.db"));
    let expected = (clients * notes_per_client) as i64;
    // reused only when made by this version's demo (every phase's records, at this schema)
    let built_with = format!("{}/{}", env!("CARGO_PKG_VERSION"), caseload::store::latest_version());
    if let Ok(store) = Store::open_existing(&path) {
        let n: i64 = store.count_clients().unwrap_or(0);
        if n == clients as i64
            && store.meta("bench_built_with").ok().flatten().as_deref() == Some(built_with.as_str())
        {
            return path;
        }
    }
    let _ = std::fs::remove_file(&path);
    let started = Instant::now();
    eprintln!("building {name}: {clients} clients, {expected} notes (cached for next time)…");
    let mut store = Store::open(&path).expect("open");
    generate(&mut store, &DemoOptions { clients, seed: 42, notes_per_client }, Utc::now()).expect("demo");
    store.set_meta("bench_built_with", &built_with).expect("meta");
    eprintln!("  built in {:.1} s", started.elapsed().as_secs_f64());
    path
}

fn run(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let status = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().expect("spawn");
    let d = t.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    d
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn has_sqlite3() -> bool {
    Command::new("sqlite3").arg("-version").stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Max RSS of all waited-for children so far, in MB.
fn children_max_rss_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

struct Row(String, f64, f64);

fn quick_capture_and_search(label: &str, db: &Path, rows: &mut Vec<Row>) {
    const N: usize = 30;
    let sqlite = has_sqlite3();
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for i in 0..N {
        ours.push(run(Command::new(BIN).arg("--db").arg(db).args([
            "note",
            "C-0042",
            &format!("Quick phone check-in number {i} about the rent"),
            "--minutes",
            "10",
        ])));
        if sqlite {
            floor.push(run(Command::new("sqlite3").arg(db).arg(
                "PRAGMA synchronous=FULL; INSERT INTO notes (client_id, contact_at, written_at, updated_at, \
                 contact_type, body) VALUES (42, '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', \
                 '2026-01-01T10:00:00Z', 'phone', 'Quick phone check-in about the rent');",
            )));
        }
    }
    let (o, f) = (median(ours), if sqlite { median(floor) } else { Duration::ZERO });
    rows.push(Row(format!("{label}: caseload note vs sqlite3 insert"), ms(o), ms(f)));
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..N {
        ours.push(run(Command::new(BIN).arg("--db").arg(db).args(["search", "landlord", "--limit", "50"])));
        if sqlite {
            // the same query caseload runs (ranked among the most recent 5,000 matches)
            floor.push(run(Command::new("sqlite3").arg(db).arg(
                "SELECT rowid, kind, record_id, client_id, occurred_at, snippet(search_index, 0, '[', ']', '…', 16) \
                 FROM search_index WHERE search_index MATCH '\"landlord\"' AND rowid >= coalesce((SELECT rowid \
                 FROM search_index WHERE search_index MATCH '\"landlord\"' ORDER BY rowid DESC LIMIT 1 OFFSET 4999), 0) \
                 ORDER BY rank LIMIT 50;",
            )));
        }
    }
    let (o, f) = (median(ours), if sqlite { median(floor) } else { Duration::ZERO });
    rows.push(Row(format!("{label}: caseload search vs sqlite3 FTS5 query"), ms(o), ms(f)));
}

fn in_process<T>(n: usize, mut f: impl FnMut(usize) -> T) -> (Duration, Duration) {
    let mut times = Vec::new();
    for i in 0..n {
        let t = Instant::now();
        std::hint::black_box(f(i));
        times.push(t.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[(times.len() * 99 / 100).min(times.len() - 1)])
}

fn main() {
    // `cargo bench` passes --bench; anything else (e.g. cargo test --benches) just checks it runs
    if !std::env::args().any(|a| a == "--bench") {
        println!("monitoring bench: run with `cargo bench --bench monitoring`");
        return;
    }
    let mut rows = Vec::new();
    let small = dataset("small", 200, 50);
    let career = dataset("career", 2_000, 50);
    quick_capture_and_search("10k notes", &small, &mut rows);
    quick_capture_and_search("career 100k notes", &career, &mut rows);

    println!(
        "\n{:<58} {:>10} {:>10} {:>7}",
        "command (median of 30, process start to exit)", "caseload", "sqlite3", "ratio"
    );
    for Row(label, o, f) in &rows {
        let ratio = if *f > 0.0 { o / f } else { f64::NAN };
        let flag = if ratio > 1.5 { "  OVER 1.5x" } else { "" };
        println!("{label:<58} {o:>8.2}ms {f:>8.2}ms {ratio:>6.2}x{flag}");
    }

    if std::env::var_os("CASELOAD_BENCH_SKIP_AGENCY").is_some() {
        return;
    }
    let agency = dataset("agency", 20_000, 50);
    let store = Store::open(&agency).expect("open agency");
    let settings = Settings::default();
    let now = Utc::now();
    let today = Local::now().date_naive();
    let words = ["landlord", "eviction", "benefits", "school", "medication", "budget", "food", "transport"];
    let (search_med, search_p99) = in_process(80, |i| {
        store.search(words[i % words.len()], &SearchFilter::default(), 20).expect("search").len()
    });
    let (tl_med, tl_p99) = in_process(200, |i| {
        let client = 1 + (i as i64 * 97) % 20_000;
        store.timeline(client, TimelineFilter::All, 50, None).expect("timeline").len()
    });
    // the Today screen loads the most urgent items a page at a time (more as it scrolls)
    let (today_med, today_p99) = in_process(20, |_| {
        store
            .due_items_limited(&DueContext { now, today, settings: &settings, since: None }, Some(300))
            .expect("due")
            .0
            .len()
    });
    // the complete list, as `caseload due --json` prints it
    let (all_med, all_p99) = in_process(5, |_| {
        store.due_items(&DueContext { now, today, settings: &settings, since: None }).expect("due").len()
    });
    println!("\nagency scale (20,000 clients, 1,000,000 notes), in process:");
    let ctx = DueContext { now, today, settings: &settings, since: None };
    for (name, rule) in caseload::store::due::RULES {
        let (med, _) = in_process(10, |_| rule(&store, &ctx, 300).expect("rule").len());
        let (all, _) = in_process(3, |_| rule(&store, &ctx, -1).expect("rule").len());
        let n = rule(&store, &ctx, -1).expect("rule").len();
        println!(
            "  Today rule {name:<24} {n:>6} items  first 300 median {:>7.2} ms  all {:>7.2} ms",
            ms(med),
            ms(all)
        );
    }
    for (label, med, p99, limit) in [
        ("search, first page (20 hits)", search_med, search_p99, 50.0),
        ("client timeline, first page", tl_med, tl_p99, 50.0),
        ("Today screen (300 most urgent)", today_med, today_p99, 50.0),
        ("Today, every item (due --json)", all_med, all_p99, f64::INFINITY),
    ] {
        let flag = if ms(med) > limit { "  OVER TARGET" } else { "" };
        println!(
            "  {label:<32} median {:>7.2} ms  p99 {:>7.2} ms  (target < {limit} ms){flag}",
            ms(med),
            ms(p99)
        );
    }
    drop(store);
    let mut t = Vec::new();
    for args in [vec!["search", "landlord"], vec!["due"], vec!["client", "list"], vec!["time"]] {
        t.push((args.join(" "), run(Command::new(BIN).arg("--db").arg(&agency).args(&args))));
    }
    for (label, d) in t {
        println!("  caseload {label:<24} {:>8.2} ms (whole process)", ms(d));
    }
    let rss = children_max_rss_mb();
    let flag = if rss > 60.0 { "  OVER TARGET" } else { "" };
    println!("  max resident memory of any command above: {rss:.1} MB (target < 60 MB){flag}");
    let (first_frame, app_rss) = app_in_pty(&agency);
    let flag = if app_rss > 60.0 { "  OVER TARGET" } else { "" };
    println!(
        "  the app (pty, 80x24): first frame (Today) {:.1} ms; peak memory after Today, the client \
         list, a filter and a search: {app_rss:.1} MB (target < 60 MB){flag}",
        ms(first_frame)
    );
}

/// The app itself at agency scale: start to Today's first frame, and its peak resident memory
/// after Today, the client list, a filter and a search.
fn app_in_pty(db: &Path) -> (Duration, f64) {
    let mut app = PtyApp::start(db);
    app.wait("q quit", 30);
    let first_frame = app.started.elapsed();
    let steps: [(&[u8], &str); 5] = [
        (b"c", "Clients"),
        (b"/ma", "Filter: ma"),
        (b"\x1b", "Press / to filter"),
        (b"f", "Search all notes"),
        (b"landlord", "Find: landlord"),
    ];
    for (keys, text) in steps {
        app.send(keys);
        app.wait(text, 30);
    }
    std::thread::sleep(Duration::from_millis(300));
    let hwm = app.peak_mb();
    app.finish(b"\x03");
    (first_frame, hwm)
}
