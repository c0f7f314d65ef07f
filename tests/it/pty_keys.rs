//! Every kind of key the keymap uses, sent to the real binary as the bytes a terminal sends,
//! and escape sequences cut short: the app never freezes on them, and a signal or a closed
//! terminal still ends it with what was typed kept as a draft.

use std::time::{Duration, Instant};

use caseload::domain::plan::{read_step, StepInput};

use crate::close_fixture::{rich_client, today};
use crate::common::pty::*;
use crate::common::{self};

const ESC: &[u8] = b"\x1b";
const SHIFT_TAB: &[u8] = b"\x1b[Z";
const BACKSPACE: &[u8] = b"\x7f";

/// Sends a key and waits for the text it should bring on screen.
fn press(t: &mut Term, bytes: &[u8], then: &str) {
    t.send(bytes);
    t.wait_for(then);
}

/// The row of the screen holding `text`.
fn row_with(t: &Term, text: &str) -> String {
    t.screen().lines().find(|l| l.contains(text)).unwrap_or_default().to_string()
}

#[test]
fn every_kind_of_binding_works_from_the_bytes_a_terminal_sends() {
    let (_d, path) = common::temp_db();
    let mut store = common::open(&path);
    let rich = rich_client(&mut store, "Robin");
    let second = read_step(
        &StepInput { text: "Ask the landlord for a statement".into(), ..Default::default() },
        today(),
    )
    .unwrap();
    store.add_step(rich.active_goal, &second, common::fixed_now()).unwrap();
    for given in ["Ada", "Blessing"] {
        crate::close_fixture::add_client(&mut store, given, "Sample", "2026-11-01");
    }
    drop(store);
    let mut t = Term::start(&path, 100, 30);
    t.wait_for("Today");

    // F1 (SS3 P), PgDn/PgUp, End/Home, Esc in the help overlay
    press(&mut t, b"\x1bOP", "Keys — Esc closes");
    let top = t.screen();
    t.send(b"\x1b[6~");
    assert_ne!(t.screen(), top, "PgDn scrolls the help");
    t.send(b"\x1b[5~");
    assert_eq!(t.screen(), top, "PgUp scrolls it back");
    t.send(b"\x1b[F");
    t.send(b"\x1b[H");
    assert_eq!(t.screen(), top, "End and Home go to its end and back to the top");
    t.send(ESC);
    std::thread::sleep(Duration::from_millis(150));
    assert!(!t.screen().contains("Keys — Esc closes"), "Esc alone closes it:\n{}", t.screen());

    // the client list: arrows, End/Home and Enter
    press(&mut t, b"c", "Clients");
    // sorted by family name: Robin Example, Ada Sample, Blessing Sample
    t.send(b"\x1b[F");
    assert!(row_with(&t, "▶").contains("Blessing"), "End selects the last: {}", t.screen());
    t.send(b"\x1b[H");
    assert!(row_with(&t, "▶").contains("Robin"), "Home selects the first: {}", t.screen());
    t.send(b"\x1b[B");
    assert!(row_with(&t, "▶").contains("Ada"), "Down moves down: {}", t.screen());
    t.send(b"\x1b[A");
    assert!(row_with(&t, "▶").contains("Robin"), "Up moves up: {}", t.screen());
    press(&mut t, ENTER, "Client file");

    // Shift-arrows move a plan step (the plan, Enter on the goal)
    press(&mut t, b"g", "Case plan");
    press(&mut t, ENTER, "Ask the landlord for a statement");
    let before = t.screen();
    let pos = |s: &str, text: &str| s.lines().position(|l| l.contains(text));
    t.send(b"\x1b[B"); // select the second step
    press(&mut t, b"\x1b[1;2A", "▶ 1. [ ] Ask the landlord for a statement");
    let after = t.screen();
    assert!(
        pos(&after, "for a statement") < pos(&before, "for a statement"),
        "Shift-Up moved the step up:\n{after}"
    );
    t.send(ESC);
    t.send(ESC);
    std::thread::sleep(Duration::from_millis(150));
    t.wait_for("Client file");

    // a form: text, Tab, Shift-Tab (ESC [ Z), Backspace, Ctrl-S, a bracketed paste
    press(&mut t, ESC, "Clients");
    press(&mut t, b"n", "intake");
    t.type_text("Sam");
    t.send(TAB);
    t.type_text("Example");
    t.send(SHIFT_TAB);
    t.type_text("uex");
    t.send(BACKSPACE);
    t.type_text("l");
    t.send(TAB);
    t.send(TAB);
    t.send(b"\x1b[200~Sammy\tthe\npaste\x1b[201~");
    t.wait_for("Sammy the paste");
    press(&mut t, CTRL_S, "is now on your caseload");
    let store = common::open(&path);
    let sam = store.client(4).expect("saved as the fourth client");
    assert_eq!(sam.given_name, "Samuel", "Shift-Tab went back a field and Backspace took one letter");
    assert_eq!(sam.preferred_name, "Sammy the paste");

    // Ctrl-letter and Esc in a modal: Ctrl-C quits from anywhere
    t.send(b"\x03");
    assert!(t.wait_exit().success());
    t.assert_restored();
}

/// Starts caseload on a quick note with `text` typed, ready for what a test sends next.
fn typing_a_note(text: &str) -> (tempfile::TempDir, std::path::PathBuf, Term) {
    let (d, path) = seeded_db();
    let mut t = Term::start(&path, 100, 30);
    t.open_quick_note();
    t.type_text(text);
    t.wait_for(text);
    (d, path, t)
}

/// CPU seconds the process has used (user + system), from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 =
        fields.get(11..13).map(|f| f.iter().filter_map(|x| x.parse::<f64>().ok()).sum()).unwrap_or(0.0);
    ticks / 100.0
}

#[test]
fn a_sequence_cut_short_never_freezes_and_sigterm_keeps_the_note() {
    for (i, partial) in [&b"\x1b["[..], b"\x1bO", b"\x1b[?"].into_iter().enumerate() {
        let text = format!("Partial sequence number {i} then a signal");
        let (_d, path, mut t) = typing_a_note(&text);
        t.send(partial);
        // still alive and drawing: a key typed after it arrives
        t.type_text(" and more");
        t.wait_for("and more");
        let pid = t.child.process_id().expect("pid");
        let cpu = cpu_seconds(pid);
        std::thread::sleep(Duration::from_millis(1_000));
        assert!(cpu_seconds(pid) - cpu < 0.3, "busy while idle after {partial:?}");
        t.send(partial);
        let sent = Instant::now();
        t.signal(libc::SIGTERM);
        assert!(t.wait_exit().success(), "SIGTERM after {partial:?} ends caseload");
        assert!(sent.elapsed() < Duration::from_secs(3), "it took {:?}", sent.elapsed());
        t.assert_restored();
        let drafts = common::open(&path).drafts().unwrap();
        assert!(
            drafts.iter().any(|d| d.payload.contains("and more")),
            "the note is kept as a draft after {partial:?}"
        );
    }
}

#[test]
fn a_sequence_cut_short_then_the_terminal_closing_ends_caseload_with_the_draft() {
    let (_d, path, mut t) = typing_a_note("Typed before a cut sequence and a closed window");
    t.send(b"\x1b[");
    let pid = t.child.process_id().expect("pid");
    t.hang_up();
    let start = Instant::now();
    while t.child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(5), "caseload kept running after its terminal closed");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(cpu_seconds(pid) < 5.0);
    let drafts = common::open(&path).drafts().unwrap();
    assert!(drafts.iter().any(|d| d.payload.contains("a closed window")), "the note is kept as a draft");
}

/// Issue 19 point 6, in the real binary: Enter on a collapsed backlog group opens it in place,
/// and Enter on its line again closes it.
#[test]
fn enter_opens_a_backlog_group_in_place_and_closes_it() {
    use caseload::domain::coordination::{validate_consent, ConsentInput};
    let (_d, path) = seeded_db();
    let mut store = common::open(&path);
    let today = chrono::Local::now().date_naive();
    for to in ["Northside Housing", "Dr Anika Rao"] {
        let input = ConsentInput {
            to_name: to.into(),
            covers: "housing".into(),
            signed_on: "2024-06-01".into(),
            expires_on: "2025-01-01".into(),
            ..Default::default()
        };
        let c = validate_consent(&input, today).unwrap();
        store.add_consent(1, &c, None, chrono::Utc::now()).unwrap();
    }
    drop(store);
    let mut t = Term::start(&path, 100, 30);
    t.wait_for("▸ 2 consents to renew");
    assert!(!t.screen().contains("Dr Anika Rao"), "collapsed:\n{}", t.screen());
    t.send(b"\x1b[F"); // End: the last line, the group
    press(&mut t, ENTER, "▾ 2 consents to renew");
    assert!(t.screen().contains("Dr Anika Rao") && t.screen().contains("Northside Housin"), "{}", t.screen());
    press(&mut t, ENTER, "▸ 2 consents to renew");
    assert!(!t.screen().contains("Dr Anika Rao"), "closed again:\n{}", t.screen());
}

/// Issue 19 point 7, in the real binary: `z` on a Today item opens the snooze form, typed by
/// the bytes a terminal sends; Ctrl-S without a reason is refused, with one the item leaves Today.
#[test]
fn z_snoozes_a_today_item_from_the_bytes_a_terminal_sends() {
    use caseload::domain::coordination::{validate_consent, ConsentInput};
    let (_d, path) = seeded_db();
    let mut store = common::open(&path);
    let today = chrono::Local::now().date_naive();
    let input = ConsentInput {
        to_name: "Northside Housing".into(),
        covers: "housing".into(),
        signed_on: "2024-06-01".into(),
        expires_on: "2025-01-01".into(),
        ..Default::default()
    };
    let c = validate_consent(&input, today).unwrap();
    store.add_consent(1, &c, None, chrono::Utc::now()).unwrap();
    drop(store);
    let mut t = Term::start(&path, 100, 30);
    t.wait_for("Northside Housin");
    press(&mut t, b"z", "Reason*");
    t.send(b"+1w");
    press(&mut t, b"\x13", "Reason is required");
    t.send(b"Renewal posted, waiting for the signature");
    press(&mut t, b"\x13", "Snoozed until");
    assert!(!t.screen().contains("Consent expired"), "{}", t.screen());
    let until = today + chrono::Duration::weeks(1);
    assert!(t.screen().contains(&until.format("%Y-%m-%d").to_string()), "{}", t.screen());
    assert_eq!(common::open(&path).snoozed(today).unwrap().len(), 1);
}
