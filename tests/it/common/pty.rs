//! The real binary in a pseudo-terminal: start it, send the bytes a terminal sends, read the
//! screen back (vt100), signal it, and check the terminal is put back as it was.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, PtySize};

use super::BIN;

pub const TIMEOUT: Duration = Duration::from_secs(15);

pub struct Term {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Set by the reader once the terminal has nothing more to read (caseload has exited).
    pub read_all: Arc<AtomicBool>,
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Option<Box<dyn Write + Send>>,
    pub master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Term {
    /// From Today (as the app starts) to the file of Robin Example, the client of `seeded_db`.
    pub fn open_robins_file(&mut self) {
        self.wait_for("Today");
        self.send(b"c");
        self.wait_for("Robin Example");
        self.send(ENTER);
        self.wait_for("Client file");
    }

    /// From Today to a new quick note on Robin Example's file.
    pub fn open_quick_note(&mut self) {
        self.open_robins_file();
        self.send(b"W");
        self.wait_for("Quick note");
    }

    pub fn start(db: &Path, cols: u16, rows: u16) -> Term {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        Term::spawn(cmd, cols, rows)
    }

    pub fn spawn(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("openpty");
        cmd.env("TERM", "xterm-256color");
        cmd.env("TZ", "UTC");
        cmd.env_remove("CASELOAD_DB");
        let child = pair.slave.spawn_command(cmd).expect("spawn caseload");
        drop(pair.slave);
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(rows).unwrap(),
            std::num::NonZero::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let read_all = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        // its own copy of the terminal's side, read with a timeout so that the test can stop
        // reading and close the terminal (hang_up) as a closed window would
        // SAFETY: dup of a descriptor the pty owns; the copy is closed by the reader.
        let fd = unsafe { libc::dup(pair.master.as_raw_fd().expect("the pty's descriptor")) };
        let (p, r, done, halt) = (parser.clone(), raw.clone(), read_all.clone(), stop.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !halt.load(Ordering::SeqCst) {
                let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
                // SAFETY: one valid pollfd; read into our own buffer.
                if unsafe { libc::poll(&mut pfd, 1, 50) } <= 0 {
                    continue;
                }
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n as usize]);
                r.lock().unwrap().extend_from_slice(&buf[..n as usize]);
            }
            unsafe { libc::close(fd) };
            done.store(true, Ordering::SeqCst);
        });
        Term {
            parser,
            raw,
            read_all,
            child,
            writer: Some(writer),
            master: Some(pair.master),
            stop,
            reader: Some(reader),
        }
    }

    /// Closes the terminal, as closing its window does: caseload's reads end.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        self.writer = None;
        self.master = None;
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
        // let the app read and redraw between keys, as a person's typing would
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn type_text(&mut self, s: &str) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(s.as_bytes()).unwrap();
        w.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }

    pub fn signal(&self, sig: i32) {
        let pid = self.child.process_id().expect("pid") as i32;
        unsafe {
            libc::kill(pid, sig);
        }
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Some(status) = self.child.try_wait().unwrap() {
                // the last bytes (the terminal put back) are read once the pty reports its end;
                // a process started meanwhile by another test may hold the pty a little longer
                let end = Instant::now();
                while !self.read_all.load(Ordering::SeqCst) && end.elapsed() < Duration::from_secs(2) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("caseload did not exit; screen:\n{}", self.screen());
    }

    /// The terminal is back as it was: normal screen, cursor visible, alternate screen left last.
    pub fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        assert!(!parser.screen().alternate_screen(), "still on the alternate screen");
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
        let raw = self.raw.lock().unwrap();
        let enter = find_last(&raw, b"\x1b[?1049h").expect("entered the alternate screen");
        let leave = find_last(&raw, b"\x1b[?1049l").expect("left the alternate screen");
        assert!(leave > enter, "left the alternate screen after the last time it entered it");
        let paste_off = find_last(&raw, b"\x1b[?2004l").expect("bracketed paste turned off");
        assert!(paste_off > enter);
    }
}

pub fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Waits until caseload has written a draft of `kind` holding `text`, for at most `within`. It
/// reads through its own read-only connection, so a write under way never makes it wait.
pub fn wait_for_draft(db: &Path, kind: &str, text: &str, within: Duration) {
    let start = Instant::now();
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let found = || -> rusqlite::Result<bool> {
        rusqlite::Connection::open_with_flags(db, flags)?.query_row(
            "SELECT count(*) > 0 FROM drafts WHERE kind = ?1 AND instr(payload, ?2) > 0",
            [kind, text],
            |r| r.get(0),
        )
    };
    while !found().unwrap_or(false) {
        assert!(start.elapsed() < within, "no {kind} draft holding {text:?} after {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub const TAB: &[u8] = b"\t";
pub const ENTER: &[u8] = b"\r";
pub const CTRL_S: &[u8] = b"\x13";
pub const RIGHT: &[u8] = b"\x1b[C";

pub fn seeded_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = super::temp_db();
    let mut store = super::open(&path);
    let input = caseload::domain::client::IntakeInput {
        given_name: "Robin".into(),
        family_name: "Example".into(),
        ..Default::default()
    };
    let today = chrono::Local::now().date_naive();
    store
        .add_client(&caseload::domain::client::validate_intake(&input, today).unwrap(), chrono::Utc::now())
        .unwrap();
    (d, path)
}
