//! What the benchmarks share: the real binary started in a pseudo-terminal, read through a
//! terminal emulator, and its peak resident memory.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, PtySize};

pub const BIN: &str = env!("CARGO_BIN_EXE_caseload");

/// The app running on a database in an 80x24 pseudo-terminal.
pub struct PtyApp {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    pub started: Instant,
}

impl PtyApp {
    pub fn start(db: &Path) -> PtyApp {
        let pair = native_pty_system()
            .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
            .expect("pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(24).expect("rows"),
            std::num::NonZero::new(80).expect("cols"),
            0,
        )));
        let p = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().expect("screen").process(&buf[..n]);
            }
        });
        PtyApp { child, writer, screen, started }
    }

    /// Waits until `text` is on screen (panics after `secs` seconds).
    pub fn wait(&self, text: &str, secs: u64) {
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(secs) {
            if self.screen.lock().expect("screen").screen().contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        panic!("no {text:?} on screen");
    }

    pub fn send(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).expect("write");
    }

    /// Peak resident memory of the app so far, in MB.
    pub fn peak_mb(&self) -> f64 {
        self.child.process_id().map(vm_hwm_mb).unwrap_or(f64::NAN)
    }

    /// Sends `keys` (a quit or an interrupt) and waits for the app to end.
    pub fn finish(mut self, keys: &[u8]) {
        self.send(keys);
        let _ = self.child.wait();
    }
}

/// Peak resident memory (VmHWM) of a process, in MB.
pub fn vm_hwm_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}
