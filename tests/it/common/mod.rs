//! Helpers shared by the integration tests. Every person in a test is synthetic.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use caseload::app::App;
use caseload::store::Store;
use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc)
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    (dir, path)
}

pub fn open(path: &Path) -> Store {
    Store::open(path).unwrap()
}

pub fn app(path: &Path) -> App {
    let mut app = App::with_clock(open(path), fixed_now()).unwrap();
    app.size = (80, 24);
    app.sync();
    app
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// Renders the app into a test terminal and returns the screen as text.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.size = (w, h);
    app.sync();
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| caseload::ui::render(f, app)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            // a wide character covers the next cell too
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// An app on the client list (it opens on Today).
pub fn clients(path: &Path) -> App {
    let mut app = app(path);
    key(&mut app, KeyCode::Char('c'));
    app
}
