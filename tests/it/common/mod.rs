//! Helpers shared by the integration tests. Every person in a test is synthetic.
#![allow(dead_code)]

mod cli;
pub mod food;
mod keys;
pub mod pty;
pub use cli::*;
pub use keys::*;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use caseload::app::App;
use caseload::store::Store;
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

pub fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc)
}

/// The day of `fixed_now`.
pub fn today() -> NaiveDate {
    fixed_now().date_naive()
}

/// A date written `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    (dir, path)
}

pub fn open(path: &Path) -> Store {
    Store::open(path).unwrap()
}

/// A file in `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The permission bits of a file or folder (0o600: owner-only).
pub fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// How SQLite would run `sql` with `params` bound: the detail column of `EXPLAIN QUERY PLAN`.
pub fn query_plan(db: &Path, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows = stmt.query_map(params, |r| r.get::<_, String>(3)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// The app on an 80x24 terminal, its clock stopped at `fixed_now`.
pub fn app(path: &Path) -> App {
    app_at(path, fixed_now())
}

/// The app on an 80x24 terminal, its clock stopped at `at`.
pub fn app_at(path: &Path, at: DateTime<Utc>) -> App {
    let mut app = App::with_clock(open(path), at).unwrap();
    app.size = (80, 24);
    app.sync();
    app
}

/// Waits for the app's background jobs (an import, an export) to finish, its clock kept.
pub fn wait_for_jobs(app: &mut App) {
    let start = std::time::Instant::now();
    while app.busy() {
        assert!(start.elapsed() < std::time::Duration::from_secs(30), "a job never finished");
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.tick(app.now);
    }
    app.sync();
}

pub fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

/// A capital letter or symbol as a terminal sends it: with Shift.
pub fn shift(app: &mut App, c: char) {
    app.handle_event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)));
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

/// A caseload with enough records to span many pages, then 64 bytes flipped at the start of
/// the middle page of a table of filler rows.
pub fn damaged_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    {
        let mut s = open(&path);
        let input = caseload::domain::client::IntakeInput {
            given_name: "Ada".into(),
            family_name: "Test".into(),
            ..Default::default()
        };
        s.add_client(&caseload::domain::client::validate_intake(&input, today()).unwrap(), fixed_now())
            .unwrap();
        drop(s);
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..300 {
            tx.execute(
                "INSERT INTO drafts (key, kind, client_id, title, payload, updated_at) VALUES (?1, 'note-new', 1, 't', ?2, '2026-11-23T10:00:00Z')",
                rusqlite::params![format!("k{i}"), "x".repeat(1_000)],
            )
            .unwrap();
        }
        tx.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []).unwrap();
        for i in 0..300 {
            tx.execute("INSERT INTO filler (body) VALUES (?1)", [format!("{i} {}", "y".repeat(500))])
                .unwrap();
        }
        tx.commit().unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    // the middle page of a table nothing reads at start (so the app opens and the check finds
    // it), wherever the schema's own pages fall: a new migration must not move the damage
    let page: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT pageno FROM dbstat WHERE name = 'filler' AND pagetype = 'leaf' ORDER BY pageno \
             LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'filler' AND pagetype = 'leaf')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // the start of that page
    let mid = (page as usize - 1) * 4096;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xFF;
    }
    std::fs::write(&path, &bytes).unwrap();
    (d, path)
}

/// Today's full list, after checking that each rule's count (issue 19 point 8: counted by the
/// rule's own query, no rows loaded) is the count of the rule's full list.
pub fn due_checked(
    store: &Store,
    ctx: &caseload::store::due::DueContext<'_>,
) -> Vec<caseload::domain::due::DueItem> {
    use caseload::domain::due::DueCount;
    use caseload::store::due::{COUNTS, RULES};
    assert_eq!(
        RULES.iter().map(|r| r.0).collect::<Vec<_>>(),
        COUNTS.iter().map(|c| c.0).collect::<Vec<_>>(),
        "every rule has its count"
    );
    for ((name, rule), (_, count)) in RULES.iter().zip(COUNTS) {
        let full = rule(store, ctx, -1).unwrap();
        assert_eq!(count(store, ctx).unwrap(), DueCount::of(&full), "the count of rule {name}");
        // what is due now (on or after a day), as Today reads it besides the most overdue page:
        // every item of the full list due since then, and nothing not in it
        let since = ctx.today - chrono::Duration::days(30);
        let recent =
            rule(store, &caseload::store::due::DueContext { since: Some(since), ..*ctx }, -1).unwrap();
        assert!(recent.iter().all(|i| full.contains(i)), "rule {name} since {since}: {recent:?}");
        for i in full.iter().filter(|i| i.due_on.is_none_or(|d| d >= since)) {
            assert!(recent.contains(i), "rule {name} since {since} misses {i:?}");
        }
    }
    let all = store.due_items(ctx).unwrap();
    assert_eq!(store.due_count(ctx).unwrap(), DueCount::of(&all), "Today's count");
    all
}

/// The nasty-input corpus (tests/fixtures/nasty-input.json): (label, text), repeats expanded.
pub fn nasty_inputs() -> Vec<(String, String)> {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/nasty-input.json")).expect("fixture parses");
    cases
        .as_array()
        .expect("a list")
        .iter()
        .map(|case| {
            let mut text = case["text"].as_str().unwrap_or("").to_string();
            if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
                text = text.repeat(n as usize);
            }
            (case["label"].as_str().unwrap_or("").to_string(), text)
        })
        .collect()
}

/// No escape sequence, control character (but line breaks and tabs) or C1 byte on a screen.
pub fn assert_clean_screen(label: &str, s: &str) {
    let bad =
        s.chars().find(|c| (c.is_control() && *c != '\n' && *c != '\t') || ('\u{80}'..='\u{9f}').contains(c));
    assert!(bad.is_none(), "{label}: {bad:?} on screen:\n{s}");
}
