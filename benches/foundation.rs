//! Issue 3 figures on a `demo` database of 5,000 clients:
//! - process start to the first full frame (real binary in a pseudo-terminal), target < 100 ms;
//! - a key in the client list handled and drawn (move, page, filter one character), target < 5 ms;
//! - resident memory of the running app, target < 50 MB.
//!
//! Run with `cargo bench --bench foundation`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caseload::app::App;
use caseload::demo::{generate, DemoOptions};
use caseload::store::Store;
use chrono::Utc;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

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

fn vm_hwm_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Starts the app in a pty; returns the time to the first full frame and the peak RSS after
/// start-up and after filtering the client list.
fn startup_once(db: &Path) -> (Duration, f64, f64) {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
        .expect("pty");
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZero::new(24).unwrap(),
        std::num::NonZero::new(80).unwrap(),
        0,
    )));
    let p = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    let wait = |text: &str| {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if parser.lock().unwrap().screen().contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        panic!("no {text:?} on screen");
    };
    // the footer is drawn last in the frame: when it shows, the whole frame is there
    wait("q quit");
    let first_frame = started.elapsed();
    let pid = child.process_id().expect("pid");
    let rss_start = vm_hwm_mb(pid);
    writer.write_all(b"c").unwrap();
    wait("Clients —");
    writer.write_all(b"/ma").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let rss_filter = vm_hwm_mb(pid);
    writer.write_all(b"\x1b").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    writer.write_all(b"q").unwrap();
    let _ = child.wait();
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
