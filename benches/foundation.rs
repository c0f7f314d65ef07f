//! Issue 3 figures on a `demo` database of 5,000 clients:
//! - process start to the first full frame (real binary in a pseudo-terminal), target < 100 ms;
//! - a key in the client list handled and drawn (move, page, filter one character), target < 5 ms;
//! - resident memory of the running app, target < 50 MB.
//!
//! Run with `cargo bench --bench foundation`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use caseload::app::App;
use caseload::demo::{generate, DemoOptions};
use caseload::store::Store;
use chrono::Utc;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

mod common;
use common::PtyApp;

fn dataset() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join("clients5000.db");
    // reused only when made by this version's demo (every phase's records, at this schema)
    let built_with = format!("{}/{}", env!("CARGO_PKG_VERSION"), caseload::store::latest_version());
    if let Ok(store) = Store::open_existing(&path) {
        if store.count_clients().ok() == Some(5_000)
            && store.meta("bench_built_with").ok().flatten().as_deref() == Some(built_with.as_str())
        {
            return path;
        }
    }
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).expect("open");
    generate(&mut store, &DemoOptions { clients: 5_000, seed: 3, notes_per_client: 12 }, Utc::now())
        .expect("demo");
    store.set_meta("bench_built_with", &built_with).expect("meta");
    path
}

/// Starts the app in a pty; returns the time to the first full frame and the peak RSS after
/// start-up and after filtering the client list.
fn startup_once(db: &Path) -> (Duration, f64, f64) {
    let mut app = PtyApp::start(db);
    // the footer is drawn last in the frame: when it shows, the whole frame is there
    app.wait("q quit", 10);
    let first_frame = app.started.elapsed();
    let rss_start = app.peak_mb();
    app.send(b"c");
    app.wait("Clients —", 10);
    app.send(b"/ma");
    std::thread::sleep(Duration::from_millis(300));
    let rss_filter = app.peak_mb();
    app.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    app.finish(b"q");
    (first_frame, rss_start, rss_filter)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(v[(v.len() * 99 / 100).min(v.len() - 1)]))
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("foundation bench: run with `cargo bench --bench foundation`");
        return;
    }
    let db = dataset();
    let mut frames = Vec::new();
    let mut rss = (0.0f64, 0.0f64);
    for _ in 0..10 {
        let (f, a, b) = startup_once(&db);
        frames.push(f);
        rss = (rss.0.max(a), rss.1.max(b));
    }
    let (start_med, start_p99) = stats(frames);

    // keys, in process: handle the key, load what the screen needs, draw a full 80x24 frame
    let mut app = App::new(Store::open(&db).expect("open")).expect("app");
    app.size = (80, 24);
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    key(&mut app, KeyCode::Char('c'));
    let mut measure = |app: &mut App, keys: &[KeyCode]| {
        let mut times = Vec::new();
        for k in keys {
            let t = Instant::now();
            key(app, *k);
            term.draw(|f| caseload::ui::render(f, app)).expect("draw");
            times.push(t.elapsed());
        }
        stats(times)
    };
    let moves: Vec<KeyCode> =
        (0..400).map(|i| if i % 3 == 2 { KeyCode::Char('k') } else { KeyCode::Char('j') }).collect();
    let (move_med, move_p99) = measure(&mut app, &moves);
    let pages: Vec<KeyCode> =
        (0..200).map(|i| if i < 150 { KeyCode::PageDown } else { KeyCode::PageUp }).collect();
    let (page_med, page_p99) = measure(&mut app, &pages);
    let mut filter_times = Vec::new();
    for word in ["maria", "jo", "nunez", "bel", "ann", "sil", "lu", "ob"] {
        key(&mut app, KeyCode::Char('/'));
        let chars: Vec<KeyCode> = word.chars().map(KeyCode::Char).collect();
        let (m, _) = measure(&mut app, &chars);
        filter_times.push(Duration::from_secs_f64(m / 1000.0));
        key(&mut app, KeyCode::Esc);
    }
    let (filter_med, filter_p99) = stats(filter_times);

    println!("\ncaseload on a demo database of 5,000 clients (60,000 notes)");
    let row = |label: &str, med: f64, p99: f64, target: f64, unit: &str| {
        let flag = if med > target { "  OVER TARGET" } else { "" };
        println!(
            "  {label:<44} median {med:>7.2} {unit}  p99 {p99:>7.2} {unit}  (target < {target} {unit}){flag}"
        );
    };
    row("start to first full frame (real binary, pty)", start_med, start_p99, 100.0, "ms");
    row("client list: j/k move, handled and drawn", move_med, move_p99, 5.0, "ms");
    row("client list: PgDn/PgUp, handled and drawn", page_med, page_p99, 5.0, "ms");
    row("client list: filter one more character", filter_med, filter_p99, 5.0, "ms");
    let flag = if rss.1 > 50.0 { "  OVER TARGET" } else { "" };
    println!(
        "  resident memory (VmHWM): {:.1} MB after start, {:.1} MB after filtering (target < 50 MB){flag}",
        rss.0, rss.1
    );
}
