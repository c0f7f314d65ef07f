//! The closing screens from key scripts (snapshots at 80x24 and wide): the three closing
//! steps from the client file, going back a step, the draft offered back after a crash,
//! reopening (same-day undo, later a new episode), the retention list with its confirmed
//! destruction, the export form, the post-closure follow-up on Today, and the help.

use std::os::unix::fs::PermissionsExt;

use crate::close_fixture::*;
use crate::common::{app_at, ctrl, key, keys, mode, screen, shift, temp_db, type_text, wait_for_jobs};
use caseload::app::{App, Message};
use caseload::domain::closure::{CloseDetails, ClosureReason};
use caseload::store::Store;
use chrono::Duration;
use crossterm::event::{Event, KeyCode};

fn seeded() -> (tempfile::TempDir, std::path::PathBuf, Rich) {
    let (d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let r = rich_client(&mut store, "Ada");
    (d, path, r)
}

fn closed(path: &std::path::Path, c: i64, follow: Option<&str>) {
    let mut store = Store::open(path).unwrap();
    let details = CloseDetails {
        reason: ClosureReason::GoalsMet,
        reason_note: String::new(),
        closed_on: today(),
        follow_up_on: follow.map(d),
        follow_up_plan: "A call in three months.".into(),
    };
    store.close_case(c, &details, &[], "Goals met; the tenancy is safe.", "Sam Worker, MSW", now()).unwrap();
}

/// Moves the focus to the field after `n` Tabs.
fn tabs(app: &mut App, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Tab);
    }
}

#[test]
fn closing_from_the_client_file_step_by_step() {
    let (_d, path, r) = seeded();
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    let file = screen(&mut app, 80, 24);
    assert!(file.contains("x Close the case") && file.contains("E Export"), "{file}");
    keys(&mut app, "x");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("close_checklist_80x24", s);
    insta::assert_snapshot!("close_checklist_140x40", screen(&mut app, 140, 40));

    // G-1 complete; G-2 cancel without a reason first: refused at its field
    keys(&mut app, "<right><tab><tab><right><c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 1 of 3") && s.contains("Say why it is cancelled."), "{s}");
    keys(&mut app, "Client moved away");
    // the alert: acknowledge with what was done; the note: sign it
    keys(&mut app, "<tab><tab><tab><tab><tab><right><tab>Phoned; safety plan checked<tab><right><c-s>");

    // step 2: the reason is needed; the follow-up date is read like any date
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Reason for closing is required."), "{s}");
    insta::assert_snapshot!("close_details_error_80x24", s);
    keys(&mut app, "m<tab><tab><tab>+90d<tab>Call to check the new tenancy.<c-s>");

    // step 3: the summary drafted from the record
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 3 of 3") && s.contains("Why the case opened"), "{s}");
    insta::assert_snapshot!("close_summary_80x24", s);
    let wide = screen(&mut app, 200, 50);
    for want in
        ["What was worked on", "Risk and safety", "Why it ends now", "Ctrl-S signs it as Sam Worker, MSW"]
    {
        assert!(wide.contains(want), "missing {want:?}:\n{wide}");
    }
    insta::assert_snapshot!("close_summary_140x50", screen(&mut app, 140, 50));
    // the practitioner adds a sentence (the cursor starts at the top), then signs
    keys(&mut app, "Supervisor informed. <c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Case of C-0001 closed (CL-1), summary signed"), "{s}");
    assert!(s.contains("O Reopen") && s.contains("kept until 2033-11-23"), "{s}");
    let store = Store::open(&path).unwrap();
    let c = store.current_closure(r.client).unwrap().unwrap();
    assert!(c.summary.starts_with("Supervisor informed. Why the case opened\n"), "{}", c.summary);
    // the summary as signed, in full sentences, saying what closing did with each item
    for want in [
        "G-1 \"Pay the rent on time\" was completed at closure; it got 50 % of the way",
        "G-2 \"Find work near home\" was cancelled at closure (Client moved away).",
        "PHQ-9 fell from 16 (moderately severe) on 2026-03-05 to 6 (mild) on 2026-10-01, 10 points lower.",
        "it was acknowledged at closure with the note: Phoned; safety plan checked.",
        "At closure note N-3 was signed.",
        "Still open after closure: action item AI-1 (due 2026-11-30, Lee): send the tenancy letter;",
        "A post-closure check is planned for 2027-02-21: Call to check the new tenancy.",
    ] {
        assert!(c.summary.contains(want), "missing {want:?}:\n{}", c.summary);
    }
    assert_eq!(c.reason, ClosureReason::MovedAway);
    assert_eq!(c.follow_up_plan, "Call to check the new tenancy.");
    assert!(store.note(r.unsigned_note).unwrap().is_signed());
    assert!(store.alert(r.alert).unwrap().acknowledged_at.is_some());
    assert!(store.drafts().unwrap().is_empty(), "the draft goes once it is signed");
    let file = screen(&mut app, 140, 60);
    assert!(file.contains("Closing summary (signed by Sam Worker, MSW on"), "{file}");
    assert!(file.contains("May be destroyed after  2033-11-23 (7 years after closure)"), "{file}");
    // x on a closed case says what to do instead
    key(&mut app, KeyCode::Char('x'));
    assert!(screen(&mut app, 140, 40).contains("is closed: O reopens it"));
}

#[test]
fn back_a_step_keeps_what_was_typed_and_the_practitioners_edits() {
    let (_d, path, r) = seeded();
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    key(&mut app, KeyCode::Char('x'));
    ctrl(&mut app, 's');
    type_text(&mut app, "g");
    ctrl(&mut app, 's');
    assert!(screen(&mut app, 80, 24).contains("step 3 of 3"));
    type_text(&mut app, "My own words. ");
    ctrl(&mut app, 'b');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 2 of 3") && s.contains("‹ Goals met ›"), "{s}");
    ctrl(&mut app, 'b');
    assert!(screen(&mut app, 80, 24).contains("step 1 of 3"));
    ctrl(&mut app, 'b');
    assert!(screen(&mut app, 80, 24).contains("step 1 of 3"), "no step before the first");
    ctrl(&mut app, 's');
    ctrl(&mut app, 's');
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("My own words. Why the case opened"), "an edited summary is not drafted over: {s}");
    assert!(s.contains("Your edits to the summary are kept."));
    // leaving asks first
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app, 80, 24).contains("Unsaved changes"));
}

#[test]
fn the_closing_draft_is_offered_back_after_a_crash() {
    let (_d, path, r) = seeded();
    {
        let mut app = app_at(&path, now());
        app.update(Message::OpenClient(r.client)).unwrap();
        key(&mut app, KeyCode::Char('x'));
        tabs(&mut app, 2);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        type_text(&mut app, "No longer wanted");
        ctrl(&mut app, 's');
        type_text(&mut app, "c");
        app.save_draft_now();
        // the terminal closes here: nothing was saved but the draft
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.client(r.client).unwrap().status.as_str(), "open");
    let drafts = store.drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].kind, "close-case");
    assert!(!drafts[0].title.contains("Ada"), "draft titles carry refs, not names");
    let mut app = app_at(&path, now() + Duration::minutes(5));
    assert!(screen(&mut app, 80, 24).contains("Closing the case of C-0001"));
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("step 2 of 3") && s.contains("‹ Client withdrew ›"), "{s}");
    assert!(s.contains("Restored what you had not saved."));
    ctrl(&mut app, 'b');
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("‹ Cancel (say why) ›") && s.contains("No longer wanted"), "{s}");
}

#[test]
fn reopening_the_same_day_undoes_and_later_starts_a_new_episode() {
    let (_d, path, r) = seeded();
    closed(&path, r.client, Some("2027-02-21"));
    let mut app = app_at(&path, now() + Duration::hours(2));
    app.update(Message::OpenClient(r.client)).unwrap();
    shift(&mut app, 'O');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("‹ Undo today's closure (same episode) ›"), "{s}");
    insta::assert_snapshot!("reopen_same_day_80x24", s);
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Closed the wrong client");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Closure undone: the case is open again."), "{s}");
    assert!(s.contains("x Close the case"));
    assert_eq!(Store::open(&path).unwrap().episodes(r.client).unwrap().len(), 1);

    // closed again, and a week later the client is back: only a new episode
    closed(&path, r.client, None);
    let mut app = app_at(&path, now() + Duration::days(7));
    app.update(Message::OpenClient(r.client)).unwrap();
    shift(&mut app, 'O');
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("‹ Start a new episode ›") && !s.contains("Undo today's"), "{s}");
    insta::assert_snapshot!("reopen_later_140x40", s);
    // the choice cannot be moved to an undo
    key(&mut app, KeyCode::Right);
    assert!(screen(&mut app, 140, 40).contains("‹ Start a new episode ›"));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "New referral from the GP");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("Case reopened: episode 2 started 2026-11-30."), "{s}");
    let eps = Store::open(&path).unwrap().episodes(r.client).unwrap();
    assert_eq!(eps.len(), 2);
    let s = screen(&mut app, 140, 70);
    assert!(
        s.contains("#1  opened 2026-03-02  closed 2026-11-23 (Goals met)")
            && s.contains("#2  opened 2026-11-30  open"),
        "{s}"
    );
    assert!(
        s.contains("Closure of episode 1 undone") || s.contains("UNDONE"),
        "the undone closure stays on record: {s}"
    );
}

#[test]
fn the_retention_list_destroys_only_what_is_confirmed() {
    let (_d, path, r) = seeded();
    closed(&path, r.client, None);
    let years_later = now() + Duration::days(7 * 366);
    let mut app = app_at(&path, years_later);
    let today_screen = screen(&mut app, 120, 30);
    assert!(today_screen.contains("1 closed file is past its retention date (C-0001)"), "{today_screen}");
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Char('r'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("C-0001") && s.contains("kept until 2033-11-23"), "{s}");
    insta::assert_snapshot!("retention_80x24", s);
    key(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "C-0002");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("DESTROY the whole file of C-0001?") && s.contains("C-0002"), "{s}");
    // the warning is read whole at 80 columns, not cut at the edge
    assert!(s.contains("reference and dates are kept."), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Type the client's reference, C-0001, to confirm. Nothing was destroyed."), "{s}");
    assert!(Store::open(&path).unwrap().client(r.client).is_ok());
    // Esc keeps it
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Esc);
    assert!(Store::open(&path).unwrap().client(r.client).is_ok());
    key(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "c-0001");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("The file of C-0001 was destroyed."), "{s}");
    assert!(s.contains("No closed file is past its retention date"));
    assert!(s.contains("itself."), "the whole sentence at 80 columns: {s}");
    assert!(s.contains("Destroyed files") && s.contains("C-0001   closed 2026-11-23"), "{s}");
    insta::assert_snapshot!("retention_after_destroy_140x30", screen(&mut app, 140, 30));
    assert!(Store::open(&path).unwrap().client(r.client).is_err());
}

#[test]
fn exporting_from_the_file_writes_an_owner_only_file_and_keeps_an_existing_one() {
    let (d, path, r) = seeded();
    let out = d.path().join("ada.json");
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    shift(&mut app, 'E');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("~/caseload-C-0001-2026-11-23.md"), "{s}");
    insta::assert_snapshot!("export_form_80x24", s);
    key(&mut app, KeyCode::Right); // JSON: the suggested name follows
    assert!(screen(&mut app, 80, 24).contains("~/caseload-C-0001-2026-11-23.json"));
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, out.to_str().unwrap());
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 140, 30);
    assert!(s.contains("was written to") && s.contains("readable by you only"), "{s}");
    assert_eq!(mode(&out), 0o600);
    let doc = caseload::export::file::read_json(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc.head.client, "C-0001");
    // again: the file is there, kept unless "replace" is chosen
    std::fs::write(&out, "mine").unwrap();
    shift(&mut app, 'E');
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, out.to_str().unwrap());
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 140, 30);
    assert!(s.contains("already exists; nothing was written"), "{s}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    tabs(&mut app, 4);
    key(&mut app, KeyCode::Right);
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    assert!(screen(&mut app, 140, 30).contains("was written to"));
    assert!(std::fs::read_to_string(&out).unwrap().contains("caseload-client-file"));
}

/// The file is written by a job, streamed: the form shows how far it has come, keys wait,
/// and the form closes with the status when the file is whole (issue 16 point 8).
#[test]
fn exporting_a_long_file_shows_progress_and_closes_when_the_file_is_whole() {
    use caseload::app::message::{JobEvent, JobKind, JobUpdate};
    let (d, path, r) = seeded();
    {
        let mut store = Store::open(&path).unwrap();
        for i in 0..1_500 {
            note(&mut store, r.client, "2026-11-01 10:00", "phone", "5", &format!("Check-in number {i}."));
        }
    }
    let out = d.path().join("long.md");
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    shift(&mut app, 'E');
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, out.to_str().unwrap());
    // the job waits until released: what the form shows while it runs is seen without a race
    app.jobs.hold = true;
    ctrl(&mut app, 's');
    assert!(app.busy(), "the file is written by a job");
    // what the job reports comes through the loop
    let progress =
        JobUpdate { job: JobKind::ClientExport, event: JobEvent::Progress { done: 1_000, total: 1_503 } };
    app.update(Message::JobUpdate(progress)).unwrap();
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Writing the file… 1000 of 1503 notes written."), "{s}");
    key(&mut app, KeyCode::Esc);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("still being written"), "a key waits for the file: {s}");
    assert!(s.contains("Export file"), "the form stays while it runs: {s}");
    app.jobs.release();
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("was written to"), "{s}");
    assert!(!s.contains("Export file"), "the form closed: {s}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Check-in number 0.") && text.contains("Check-in number 1499."));
    assert_eq!(mode(&out), 0o600);
    assert!(!app.busy());
}

/// A search hit on a record dated by a day (a goal) shows its day, as a note's hit shows its
/// moment (issue 14 point 6: the hit's date is typed; a day used to show as nothing).
#[test]
fn a_search_hit_on_a_goal_shows_its_day() {
    let (_d, path, _r) = seeded();
    let mut app = app_at(&path, now());
    keys(&mut app, "fPay the rent");
    let s = screen(&mut app, 120, 30);
    // a hit is two lines: reference, client, when, name; then the passage
    let lines: Vec<&str> = s.lines().collect();
    let at = lines.iter().position(|l| l.contains("Pay the rent on time")).unwrap_or_else(|| panic!("{s}"));
    let head = lines[at.saturating_sub(1)];
    assert!(head.contains("G-") && head.contains("2026-"), "the goal's day is shown: {head}");
}

/// A file that cannot be written says why at the path, and the form stays to try again.
#[test]
fn an_export_the_job_cannot_write_says_why_at_the_path() {
    let (d, path, r) = seeded();
    // a folder that is a file
    std::fs::write(d.path().join("plain"), "a file").unwrap();
    let out = d.path().join("plain").join("file.md");
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    shift(&mut app, 'E');
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, out.to_str().unwrap());
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Export file") && s.contains('⚠'), "{s}");
    assert!(s.contains("Could not write"), "{s}");
    assert!(!out.exists());
    // the form takes keys again
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 100, 30).contains("still being written"));
}

#[test]
fn the_post_closure_follow_up_comes_to_today_and_opens_the_closure() {
    let (_d, path, r) = seeded();
    closed(&path, r.client, Some("2026-12-01"));
    let mut app = app_at(&path, now() + Duration::days(9));
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Post-closure follow-up 1 day overdue"), "{s}");
    // move to the line and open it
    let row = {
        let store = Store::open(&path).unwrap();
        let settings = store.settings().unwrap();
        let items = crate::common::due_checked(
            &store,
            &caseload::store::due::DueContext {
                now: now() + Duration::days(8),
                today: d("2026-12-02"),
                settings: &settings,
                since: None,
            },
        );
        items.iter().position(|i| i.rule == "closure-follow-up").unwrap()
    };
    for _ in 0..row {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Closure CL-1 of episode 1") && s.contains("x marks it done"), "{s}");
    insta::assert_snapshot!("closure_view_80x24", s);
    key(&mut app, KeyCode::Char('x'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Post-closure follow-up marked done.") && s.contains("(done 2026-12-02)"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 120, 30).contains("Post-closure follow-up"));
    // the timeline line of the closure opens it too
    app.update(Message::OpenTimeline(r.client)).unwrap();
    let tl = screen(&mut app, 120, 30);
    assert!(tl.contains("Case closed (episode 1): Goals met"), "{tl}");
}

#[test]
fn help_lists_the_closing_keys() {
    let (_d, path, r) = seeded();
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 100, 60);
    for want in ["close the case", "reopen", "export"] {
        assert!(s.contains(want), "help lacks {want}: {s}");
    }
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 100, 40);
    assert!(s.contains("next step") && s.contains("back a step"), "{s}");
}

#[test]
fn nasty_input_in_the_closing_fields_is_kept_clean_or_refused() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    let clean = |s: &str| !s.chars().any(|ch| ch.is_control() && ch != '\n') && !s.contains('\u{202e}');
    for (i, case) in fixtures.as_array().unwrap().iter().enumerate() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        let label = case["label"].as_str().unwrap_or("");
        let (_d, path, r) = seeded();
        let mut app = app_at(&path, now());
        app.update(Message::OpenClient(r.client)).unwrap();
        key(&mut app, KeyCode::Char('x'));
        // the goal's cancellation reason, pasted
        tabs(&mut app, 2);
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Tab);
        app.handle_event(Event::Paste(text.clone()));
        ctrl(&mut app, 's');
        let stuck = screen(&mut app, 80, 24).contains("step 1 of 3");
        if stuck {
            // blank or too long: refused at the field, nothing saved
            let s = screen(&mut app, 80, 24);
            assert!(s.contains("Say why") || s.contains("Too long"), "{label}: {s}");
            key(&mut app, KeyCode::Left);
            key(&mut app, KeyCode::Left);
            ctrl(&mut app, 's');
        }
        // other, with the words pasted; the plan pasted too
        type_text(&mut app, "o");
        key(&mut app, KeyCode::Tab);
        app.handle_event(Event::Paste(text.clone()));
        tabs(&mut app, 3);
        app.handle_event(Event::Paste(text.clone()));
        ctrl(&mut app, 's');
        let s80 = screen(&mut app, 80, 24);
        let wide = screen(&mut app, 140, 40);
        assert!(!s80.contains('\u{1b}') && !wide.contains('\u{1b}'), "{label}: escape on screen");
        if s80.contains("step 3 of 3") {
            app.handle_event(Event::Paste(text.clone()));
            ctrl(&mut app, 's');
        }
        let store = Store::open(&path).unwrap();
        match store.current_closure(r.client).unwrap() {
            Some(c) => {
                for (what, v) in
                    [("reason", &c.reason_note), ("plan", &c.follow_up_plan), ("summary", &c.summary)]
                {
                    assert!(clean(v), "{label} ({i}): {what} not clean: {v:?}");
                }
                let items = store.closure_items(c.id).unwrap();
                assert!(items.iter().all(|it| clean(&it.reason)), "{label}");
            }
            None => {
                // refused: the case is open and nothing of it changed
                assert_eq!(store.client(r.client).unwrap().status.as_str(), "open", "{label}");
                assert!(store.closures(r.client).unwrap().is_empty(), "{label}");
            }
        }
        let _ = screen(&mut app, 80, 24);
    }
}

/// The reopening reason and the export path take the nasty inputs: refused at the field with
/// nothing changed, or kept clean; never an escape sequence on screen, never a control
/// character in a file name.
#[test]
fn nasty_input_in_the_reopen_reason_and_the_export_path() {
    let (mut reopened, mut refused, mut written_ok, mut not_written) = (0, 0, 0, 0);
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    for (i, case) in fixtures.as_array().unwrap().iter().enumerate() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        let label = case["label"].as_str().unwrap_or("");
        let (d, path, r) = seeded();
        closed(&path, r.client, None);
        let mut app = app_at(&path, now() + Duration::days(7));
        app.update(Message::OpenClient(r.client)).unwrap();
        shift(&mut app, 'O');
        key(&mut app, KeyCode::Tab);
        app.handle_event(Event::Paste(text.clone()));
        ctrl(&mut app, 's');
        let s = screen(&mut app, 80, 24);
        assert!(!s.contains('\u{1b}'), "{label}: escape on screen");
        let store = Store::open(&path).unwrap();
        let episodes = store.episodes(r.client).unwrap().len();
        if s.contains("Case reopened") {
            reopened += 1;
            assert_eq!(episodes, 2, "{label}");
            let tl = store.timeline(r.client, Default::default(), 50, None).unwrap();
            let line = tl.iter().find(|e| e.summary.starts_with("Case reopened")).expect("logged");
            assert!(!line.summary.chars().any(char::is_control), "{label} ({i}): {:?}", line.summary);
        } else {
            // refused at the field: still closed, no new episode
            refused += 1;
            assert!(s.contains("Why"), "{label}: {s}");
            assert_eq!((episodes, store.client(r.client).unwrap().status.as_str()), (1, "closed"), "{label}");
            key(&mut app, KeyCode::Esc);
            key(&mut app, KeyCode::Char('d'));
        }

        // the export path: the input as a file name in a folder of the test's own
        let mut app = app_at(&path, now() + Duration::days(7));
        app.update(Message::OpenClient(r.client)).unwrap();
        shift(&mut app, 'E');
        key(&mut app, KeyCode::Tab);
        ctrl(&mut app, 'u');
        let folder = d.path().join("out");
        std::fs::create_dir_all(&folder).unwrap();
        let name: String = text.replace('/', "_");
        app.handle_event(Event::Paste(format!("{}/{name}", folder.display())));
        ctrl(&mut app, 's');
        wait_for_jobs(&mut app);
        let s = screen(&mut app, 80, 24);
        assert!(!s.contains('\u{1b}'), "{label}: escape on screen");
        let written: Vec<std::fs::DirEntry> =
            std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap()).collect();
        if s.contains("was written to") {
            written_ok += 1;
            assert_eq!(written.len(), 1, "{label}");
            let file = &written[0];
            let fname = file.file_name().to_string_lossy().into_owned();
            assert!(!fname.chars().any(char::is_control), "{label} ({i}): {fname:?}");
            assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600, "{label}");
        } else {
            // refused at the field (blank name, too long, or no such file name): nothing written
            not_written += 1;
            assert!(written.is_empty(), "{label}: {s}");
            assert!(s.contains('⚠'), "{label}: no message at the field: {s}");
        }
    }
    // both outcomes were met: the inputs include blanks and ordinary-looking text
    assert!(reopened > 0 && refused > 0, "{reopened} reopened, {refused} refused");
    assert!(written_ok > 0 && not_written > 0, "{written_ok} written, {not_written} refused");
}

#[test]
fn a_closed_case_says_what_its_episode_held() {
    use caseload::domain::closure::{Decision, Disposition};
    use caseload::domain::record::RecordKind;
    let (_d, path, r) = seeded();
    {
        let mut store = Store::open(&path).unwrap();
        let details = CloseDetails {
            reason: ClosureReason::GoalsMet,
            reason_note: String::new(),
            closed_on: today(),
            follow_up_on: None,
            follow_up_plan: String::new(),
        };
        let decide =
            |kind, id, disposition, text: &str| Decision { kind, id, disposition, text: text.into() };
        let decisions = [
            decide(RecordKind::Goal, r.active_goal, Disposition::Complete, ""),
            decide(RecordKind::Goal, r.proposed_goal, Disposition::Cancel, "Client found work alone"),
        ];
        store.close_case(r.client, &details, &decisions, "Goals met.", "Sam Worker, MSW", now()).unwrap();
    }
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    let s = screen(&mut app, 120, 40);
    assert!(!s.contains("no goals yet"), "{s}");
    assert!(s.contains("2 goals: 1 completed, 1 cancelled"), "{s}");
    assert!(s.contains("Referrals           none were made"), "{s}");
    assert!(s.contains("Assessment          none recorded") && !s.contains(" yet"), "{s}");
}

#[test]
fn a_consent_kept_for_the_follow_up_asks_for_the_follow_up_date() {
    let (_d, path, r) = seeded();
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    keys(&mut app, "x");
    // the consent is the last item: its choice is the thirteenth field
    tabs(&mut app, 12);
    keys(&mut app, "<right><right>");
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("‹ Keep it for the post-closure follow-up ›"), "{s}");
    keys(&mut app, "<c-s>m<c-s>");
    let s = screen(&mut app, 140, 40);
    assert!(
        s.contains("step 2 of 3") && s.contains("A consent is kept for the post-closure follow-up"),
        "{s}"
    );
    // the focus is at the date: with one it goes on, and signing records the consent as kept
    keys(&mut app, "+90d<c-s>");
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("step 3 of 3"), "{s}");
    keys(&mut app, "<c-s>");
    let store = Store::open(&path).unwrap();
    let closure = store.current_closure(r.client).unwrap().expect("closed");
    assert!(closure.summary.contains("(kept for the post-closure follow-up)"), "{}", closure.summary);
    let items = store.closure_items(closure.id).unwrap();
    let consent = items.iter().find(|i| i.kind == "consent").expect("the consent's choice is recorded");
    assert_eq!(consent.action, caseload::domain::closure::Disposition::Complete);
}

/// Issue 17 point 2: three consents valid at closure, one given each choice in the checklist;
/// the closure screen afterwards says what became of each: RUNS ON, ENDED, KEPT.
#[test]
fn the_closure_view_says_what_became_of_each_consent() {
    use caseload::app::message::CloseMsg;
    use caseload::domain::coordination::{validate_consent, ConsentInput};
    let (_d, path, r) = seeded();
    {
        let mut store = Store::open(&path).unwrap();
        for to in ["Northside Housing", "Eastgate Food Bank"] {
            let consent = validate_consent(
                &ConsentInput {
                    to_name: to.into(),
                    signed_on: "2026-04-01".into(),
                    expires_on: "2027-04-01".into(),
                    ..Default::default()
                },
                today(),
            )
            .unwrap();
            store.add_consent(r.client, &consent, None, now()).unwrap();
        }
    }
    let mut app = app_at(&path, now());
    app.update(Message::OpenClient(r.client)).unwrap();
    keys(&mut app, "x");
    // the consents are the last three items: their choices are fields 13, 14 and 15
    tabs(&mut app, 12);
    // RI-1 ended at closure, RI-2 kept for the follow-up, RI-3 left to run to its end date
    keys(&mut app, "<right><tab><tab><right><right>");
    let s = screen(&mut app, 140, 60);
    assert!(s.contains("‹ End it at closure") || s.contains("‹ End"), "{s}");
    assert!(s.contains("‹ Keep it for the post-closure follow-up ›"), "{s}");
    keys(&mut app, "<c-s>m<c-s>+90d<c-s>");
    let s = screen(&mut app, 140, 60);
    assert!(s.contains("step 3 of 3"), "{s}");
    keys(&mut app, "<c-s>");
    let closure = Store::open(&path).unwrap().current_closure(r.client).unwrap().expect("closed");
    app.update(Message::Close(CloseMsg::OpenClosure(closure.id))).unwrap();
    let s = screen(&mut app, 140, 80);
    assert!(s.contains("ENDED     Consent RI-1 to Dr Anika Rao"), "{s}");
    assert!(s.contains("KEPT      Consent RI-2 to Northside Housing"), "{s}");
    assert!(s.contains("RUNS ON   Consent RI-3 to Eastgate Food Bank"), "{s}");
    // at 80x24 the list is below the summary: j scrolls down to it
    let mut s = screen(&mut app, 80, 24);
    for _ in 0..80 {
        if s.contains("RUNS ON   Consent RI-3") {
            break;
        }
        keys(&mut app, "j");
        s = screen(&mut app, 80, 24);
    }
    for word in ["ENDED     Consent RI-1", "KEPT      Consent RI-2", "RUNS ON   Consent RI-3"] {
        assert!(s.contains(word), "{word}: {s}");
    }
    insta::assert_snapshot!("closure_view_consents_80x24", s);
}
