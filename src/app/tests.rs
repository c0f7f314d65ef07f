//! The app's own tests: routing between screens, the draft timer on an injected clock, and the
//! day rolling over at midnight. Every person here is synthetic.

use std::cell::Cell;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::{App, Message};
use crate::domain::client::{validate_intake, IntakeInput};
use crate::domain::note::{ContactType, NewNote};
use crate::domain::record::RecordKind;
use crate::store::Store;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

fn store(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("caseload.db")).expect("a new database")
}

fn client(store: &mut Store, given: &str, now: DateTime<Utc>) -> i64 {
    let input = IntakeInput {
        given_name: given.into(),
        family_name: "Example".into(),
        intake_date: "2026-11-01".into(),
        ..Default::default()
    };
    let c = validate_intake(&input, now.date_naive()).expect("a valid intake");
    store.add_client(&c, now).expect("saved")
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn text(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    term.draw(|f| crate::ui::render(f, app)).expect("drawn");
    let buf = term.backend().buffer().clone();
    (0..30).map(|y| (0..100).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect()
}

#[test]
fn routing_opens_screens_and_back_returns_to_where_they_were_opened() {
    let dir = tempfile::tempdir().expect("a folder");
    let now = at("2026-11-23T10:00:00Z");
    let mut s = store(&dir);
    let ada = client(&mut s, "Ada", now);
    let mut app = App::with_clock(s, now).expect("an app");
    assert_eq!(app.title(), "Today");
    app.run(vec![Message::GoClients, Message::OpenClient(ada), Message::OpenNotes(ada)]);
    assert_eq!(app.title(), "Notes");
    assert_eq!(app.current_client(), Some(ada));
    app.run(vec![Message::Back, Message::Back]);
    assert_eq!(app.title(), "Clients");
    // a file opened from deeper in goes back to the list it came from
    app.run(vec![Message::OpenClient(ada), Message::OpenTimeline(ada), Message::OpenClient(ada)]);
    assert_eq!(app.stack.len(), 3, "Today, the list and the file");
    app.run(vec![Message::GoToday]);
    assert_eq!((app.title(), app.stack.len()), ("Today", 1));
    // a record by its kind opens its screen; a kind nothing shows says so
    app.run(vec![Message::OpenRecord { kind: RecordKind::Plan, id: ada }]);
    assert_eq!(app.title(), "Plan");
    app.run(vec![Message::OpenRecord { kind: RecordKind::ActionItem, id: 1 }]);
    assert_eq!(app.status.as_deref(), Some("That record cannot be opened from here."));
    // a screen that cannot open says why and nothing is pushed
    let depth = app.stack.len();
    app.run(vec![Message::OpenClient(9_999)]);
    assert!(app.status.is_some(), "a missing client is reported");
    assert!(app.stack.len() <= depth + 1);
}

thread_local! {
    static NOW: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// A clock the test moves by hand (one per test thread).
fn fake_clock() -> Instant {
    NOW.with(|n| match n.get() {
        Some(t) => t,
        None => {
            let t = Instant::now();
            n.set(Some(t));
            t
        }
    })
}

fn advance(by: Duration) {
    let t = fake_clock() + by;
    NOW.with(|n| n.set(Some(t)));
}

#[test]
fn the_draft_is_written_after_a_pause_and_at_the_latest_after_the_longest_wait() {
    let dir = tempfile::tempdir().expect("a folder");
    let now = at("2026-11-23T10:00:00Z");
    let mut s = store(&dir);
    let ada = client(&mut s, "Ada", now);
    let mut app = App::with_clock(s, now).expect("an app");
    app.drafts.set_clock(fake_clock);
    app.run(vec![Message::WriteNote(ada)]);
    let key_of_draft = format!("note:new:{ada}");
    let draft = |app: &App| app.store.draft(&key_of_draft).expect("read").map(|d| d.payload);

    // typing without a pause: nothing yet, then written once the longest wait has passed
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    let step = app.drafts.delay / 2;
    let mut elapsed = Duration::ZERO;
    while elapsed + step < app.drafts.max_wait {
        text(&mut app, "ab");
        advance(step);
        elapsed += step;
        app.tick(now);
        assert!(draft(&app).is_none(), "written after {elapsed:?}, before the longest wait was up");
    }
    text(&mut app, "cd");
    advance(step);
    app.tick(now);
    let first = draft(&app).expect("written while typing, however fast");

    // a pause shorter than the delay writes nothing new; a longer one writes the rest
    text(&mut app, "ef");
    advance(app.drafts.delay / 2);
    app.tick(now);
    assert_eq!(draft(&app).as_deref(), Some(first.as_str()));
    advance(app.drafts.delay);
    app.tick(now);
    assert!(draft(&app).is_some_and(|d| d.contains("ef")), "the pause wrote the last letters");
}

#[test]
fn at_midnight_today_becomes_the_new_day_without_a_key() {
    let dir = tempfile::tempdir().expect("a folder");
    let evening = at("2026-11-23T23:59:00Z");
    let mut s = store(&dir);
    let ada = client(&mut s, "Ada", evening);
    let note = NewNote {
        contact_at: at("2026-11-23T15:00:00Z"),
        contact_type: ContactType::Phone,
        participants: String::new(),
        location: String::new(),
        duration_minutes: Some(10),
        follow_up_on: NaiveDate::from_ymd_opt(2026, 11, 24),
        template: "free".into(),
        body: "Call back about the rent statement.".into(),
    };
    s.add_note(ada, &note, evening).expect("saved");
    let mut app = App::with_clock(s, evening).expect("an app");
    app.size = (100, 30);
    app.sync();
    assert!(screen(&app).contains("due tomorrow"), "{}", screen(&app));
    // the clock passes midnight; no key is pressed
    app.tick(at("2026-11-24T00:00:30Z"));
    let after = screen(&app);
    assert!(after.contains("due today"), "Today was not reloaded at midnight:\n{after}");
    assert!(!after.contains("due tomorrow"), "{after}");
}
