//! Case notes in the store: saving, signing, addenda, moving, errors, search, timeline, Today.

use crate::common::{fixed_now, query_plan, temp_db, today};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::due::{Target, Urgency};
use caseload::domain::note::{validate_note, NoteInput};
use caseload::domain::settings::Settings;
use caseload::store::due::DueContext;
use caseload::store::search::{SearchFilter, TimelineFilter};
use caseload::store::time::TIME_REPORT_SQL;
use caseload::store::{Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};

fn add_client(store: &mut Store, given: &str, family: &str, intake: &str) -> i64 {
    let input = IntakeInput {
        given_name: given.into(),
        family_name: family.into(),
        intake_date: intake.into(),
        ..Default::default()
    };
    store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap()
}

fn note(store: &mut Store, client: i64, at: &str, kind: &str, body: &str, follow_up: &str) -> i64 {
    let input = NoteInput {
        contact_at: at.into(),
        contact_type: kind.into(),
        duration_minutes: "30".into(),
        follow_up_on: follow_up.into(),
        body: body.into(),
        ..Default::default()
    };
    let n = validate_note(&input, fixed_now(), today()).unwrap();
    store.add_note(client, &n, fixed_now()).unwrap()
}

fn setup() -> (tempfile::TempDir, Store, i64, i64) {
    let (d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let a = add_client(&mut store, "Ada", "Example", "2026-01-05");
    let b = add_client(&mut store, "Bea", "Sample", "2026-01-05");
    (d, store, a, b)
}

#[test]
fn a_note_sets_last_contact_but_an_attempt_does_not() {
    let (_d, mut store, a, _) = setup();
    note(&mut store, a, "2026-11-20 10:00", "attempted", "No answer.", "");
    assert_eq!(store.client(a).unwrap().last_contact_at, None);
    note(&mut store, a, "2026-11-21 10:00", "home visit", "Visited.", "");
    assert!(store.client(a).unwrap().last_contact_at.unwrap().starts_with("2026-11-21"));
    // an earlier note written later does not move last contact back
    note(&mut store, a, "2026-11-01 10:00", "phone", "Late entry.", "");
    assert!(store.client(a).unwrap().last_contact_at.unwrap().starts_with("2026-11-21"));
}

#[test]
fn signed_notes_are_locked_and_corrected_by_addenda() {
    let (_d, mut store, a, _) = setup();
    let id = note(&mut store, a, "2026-11-20 10:00", "phone", "Talked about rent.", "");
    assert!(store.sign_note(id, "", fixed_now()).unwrap_err().to_string().contains("Settings"));
    store.sign_note(id, "Sam Example, MSW", fixed_now()).unwrap();
    let n = store.note(id).unwrap();
    assert_eq!(n.signed_by.as_deref(), Some("Sam Example, MSW"));
    let edit =
        validate_note(&NoteInput { body: "changed".into(), ..Default::default() }, fixed_now(), today())
            .unwrap();
    let err = store.update_note(id, &edit, fixed_now()).unwrap_err();
    assert!(err.to_string().contains("addendum"), "{err}");
    assert_eq!(store.note(id).unwrap().body, "Talked about rent.");
    assert!(store.sign_note(id, "Sam", fixed_now()).is_err(), "signing twice is refused");
    store
        .add_addendum(
            id,
            "Correction: it was the water bill.",
            "Sam Example",
            fixed_now() + Duration::hours(1),
        )
        .unwrap();
    assert!(store.add_addendum(id, "   ", "Sam", fixed_now()).is_err());
    let n = store.note(id).unwrap();
    assert_eq!(n.addenda.len(), 1);
    assert!(n.addenda[0].written_at > n.signed_at.unwrap());
    assert_eq!(n.body, "Talked about rent.");
}

#[test]
fn unsigned_notes_move_signed_ones_are_marked_in_error_and_rewritten() {
    let (_d, mut store, a, b) = setup();
    let unsigned = note(&mut store, a, "2026-11-20 10:00", "phone", "Meant for Bea.", "");
    store.move_note(unsigned, b, fixed_now()).unwrap();
    assert_eq!(store.note(unsigned).unwrap().client_id, b);
    assert_eq!(store.client(a).unwrap().last_contact_at, None, "last contact recomputed");
    assert!(store.client(b).unwrap().last_contact_at.is_some());

    let signed = note(&mut store, a, "2026-11-21 10:00", "home visit", "Zebrafinch visit for Bea.", "");
    store.sign_note(signed, "Sam", fixed_now()).unwrap();
    assert!(store.move_note(signed, b, fixed_now()).unwrap_err().to_string().contains("entered in error"));
    assert!(matches!(
        store.mark_note_in_error(signed, " ", Some(b), fixed_now()),
        Err(StoreError::Invalid(_))
    ));
    let new = store.mark_note_in_error(signed, "wrong client", Some(b), fixed_now()).unwrap().unwrap();
    let old = store.note(signed).unwrap();
    assert!(old.entered_in_error);
    assert_eq!(old.error_reason.as_deref(), Some("wrong client"));
    assert_eq!(old.body, "Zebrafinch visit for Bea.", "kept as it was");
    let copy = store.note(new).unwrap();
    assert_eq!(copy.client_id, b);
    assert!(!copy.is_signed());
    // search finds the copy only
    let hits = store.search("zebrafinch", &SearchFilter::default(), 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].record_id, new);
}

#[test]
fn search_ranks_highlights_and_filters() {
    let (_d, mut store, a, b) = setup();
    note(&mut store, a, "2026-03-01 10:00", "phone", "Eviction notice arrived; eviction hearing set.", "");
    note(&mut store, a, "2026-06-01 10:00", "phone", "Talked about the garden.", "");
    note(&mut store, b, "2026-07-01 10:00", "phone", "Worried about eviction.", "");
    let hits = store.search("eviction", &SearchFilter::default(), 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits[0].snippet.contains("\u{2}Eviction\u{3}"), "{:?}", hits[0].snippet);
    let only_b =
        store.search("eviction", &SearchFilter { client_id: Some(b), ..Default::default() }, 10).unwrap();
    assert_eq!(only_b.len(), 1);
    let from = SearchFilter { from: NaiveDate::from_ymd_opt(2026, 6, 15), ..Default::default() };
    assert_eq!(store.search("eviction", &from, 10).unwrap().len(), 1);
    let to = SearchFilter { to: NaiveDate::from_ymd_opt(2026, 3, 1), ..Default::default() };
    assert_eq!(store.search("eviction", &to, 10).unwrap().len(), 1, "--to is inclusive");
    // accents and case are ignored
    note(&mut store, a, "2026-08-01 10:00", "phone", "Réunion à l'école.", "");
    assert_eq!(store.search("ecole", &SearchFilter::default(), 10).unwrap().len(), 1);
    // prefix search as you type
    let p = SearchFilter { prefix_last: true, ..Default::default() };
    assert_eq!(store.search("evic", &p, 10).unwrap().len(), 2);
}

#[test]
fn no_input_breaks_search() {
    let (_d, mut store, a, _) = setup();
    note(&mut store, a, "2026-03-01 10:00", "phone", "housing AND benefits", "");
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    for case in fixtures.as_array().unwrap() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat((n as usize).min(200));
        }
        let r = store.search(&text, &SearchFilter::default(), 10);
        assert!(r.is_ok(), "{}: {:?}", case["label"], r.err());
        let r = store.search(&text, &SearchFilter { prefix_last: true, ..Default::default() }, 10);
        assert!(r.is_ok(), "{}: {:?}", case["label"], r.err());
    }
    assert_eq!(
        store.search("housing AND (\"unclosed NEAR/3 * ^", &SearchFilter::default(), 10).unwrap().len(),
        0
    );
    assert_eq!(store.search("housing AND", &SearchFilter::default(), 10).unwrap().len(), 1);
}

#[test]
fn timeline_pages_through_everything_without_gaps() {
    let (_d, mut store, a, _) = setup();
    let start: DateTime<Utc> =
        DateTime::parse_from_rfc3339("2020-01-01T09:00:00Z").unwrap().with_timezone(&Utc);
    for i in 0..250 {
        let at = (start + Duration::days(i * 3)).format("%Y-%m-%d %H:%M").to_string();
        let id = note(&mut store, a, &at, "phone", &format!("Note number {i}"), "");
        if i % 50 == 0 {
            store.sign_note(id, "Sam", fixed_now()).unwrap();
            store.add_addendum(id, "Addendum", "Sam", fixed_now()).unwrap();
        }
    }
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store.timeline(a, TimelineFilter::All, 40, before.as_ref()).unwrap();
        if page.is_empty() {
            break;
        }
        before = page.last().map(|e| e.page_key());
        seen.extend(page);
    }
    let notes = seen.iter().filter(|e| e.kind == "note").count();
    let addenda = seen.iter().filter(|e| e.kind == "addendum").count();
    assert_eq!(notes, 250);
    assert_eq!(addenda, 5);
    assert!(seen.iter().any(|e| e.kind == "intake"));
    assert!(seen.windows(2).all(|w| (w[0].occurred_at, w[0].seq) > (w[1].occurred_at, w[1].seq)));
    let only_notes = store.timeline(a, TimelineFilter::Notes, 1000, None).unwrap();
    assert!(only_notes.iter().all(|e| e.kind == "note" || e.kind == "addendum"));
    let only_case = store.timeline(a, TimelineFilter::Case, 1000, None).unwrap();
    assert!(only_case.iter().all(|e| e.kind != "note" && e.kind != "addendum"));
}

fn due(store: &Store, settings: &Settings) -> Vec<caseload::domain::due::DueItem> {
    crate::common::due_checked(store, &DueContext { now: fixed_now(), today: today(), settings, since: None })
}

#[test]
fn today_lists_follow_ups_until_done_or_a_later_contact() {
    let (_d, mut store, a, b) = setup();
    let settings = Settings::default();
    let n1 = note(&mut store, a, "2026-11-10 10:00", "phone", "Call back.", "2026-11-20");
    let n2 = note(&mut store, b, "2026-11-22 10:00", "phone", "Check the letter.", "2026-11-26");
    note(&mut store, b, "2026-11-22 09:00", "phone", "Far away follow-up.", "2027-01-01");
    let items = due(&store, &settings);
    let fu: Vec<_> = items.iter().filter(|i| i.rule == "follow-up").collect();
    assert_eq!(fu.len(), 2, "{items:#?}");
    assert_eq!(fu[0].urgency, Urgency::Overdue);
    assert_eq!(fu[0].target, Target::Note(format!("N-{n1}")));
    assert!(fu[0].title.contains("3 days overdue: Call back."), "{}", fu[0].title);
    assert_eq!(fu[1].urgency, Urgency::DueSoon);
    // a later contact with the client clears a follow-up
    note(&mut store, a, "2026-11-21 10:00", "home visit", "Went round.", "");
    assert!(!due(&store, &settings).iter().any(|i| i.record_id == Some(n1)));
    store.complete_follow_up(n2, fixed_now()).unwrap();
    assert!(!due(&store, &settings).iter().any(|i| i.rule == "follow-up"));
    assert!(store.complete_follow_up(n2, fixed_now()).is_err());
}

#[test]
fn today_lists_unsigned_notes_quiet_cases_and_drafts_most_urgent_first() {
    let (_d, mut store, a, b) = setup();
    let settings = Settings { signing_window_days: 3, no_contact_days: 30, ..Default::default() };
    // written "now" (fixed_now): due for signing in 3 days, so listed as SOON, not overdue
    note(&mut store, a, "2026-11-20 10:00", "phone", "Fresh.", "");
    let soon: Vec<_> = due(&store, &settings).into_iter().filter(|i| i.rule == "unsigned-notes").collect();
    assert_eq!(soon.len(), 1);
    assert_eq!(soon[0].urgency, Urgency::DueSoon);
    assert!(soon[0].title.contains("due in 3 days"), "{}", soon[0].title);
    // four days later it is overdue
    let later = today() + Duration::days(4);
    let items = crate::common::due_checked(
        &store,
        &DueContext { now: fixed_now() + Duration::days(4), today: later, settings: &settings, since: None },
    );
    assert!(items.iter().any(|i| i.rule == "unsigned-notes" && i.urgency == Urgency::Overdue));
    // a narrow look-ahead leaves it out until it is due
    let narrow = Settings { due_soon_days: 1, ..settings.clone() };
    assert!(!due(&store, &narrow).iter().any(|i| i.rule == "unsigned-notes"));
    // b: intake in January, never contacted → quiet case
    let quiet: Vec<_> = due(&store, &settings).into_iter().filter(|i| i.rule == "no-contact").collect();
    assert_eq!(quiet.len(), 1);
    assert_eq!(quiet[0].client_id, Some(b));
    assert!(quiet[0].title.contains("since intake"));
    // a's last contact (Nov 20) reaches 30 days on Dec 20: SOON from Dec 13
    let dec14 = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
    let items = crate::common::due_checked(
        &store,
        &DueContext { now: fixed_now(), today: dec14, settings: &settings, since: None },
    );
    let a_soon = items.iter().find(|i| i.rule == "no-contact" && i.client_id == Some(a)).expect("soon");
    assert_eq!(a_soon.urgency, Urgency::DueSoon);
    assert!(a_soon.title.contains("due in 6 days"), "{}", a_soon.title);
    store
        .save_draft(
            &caseload::store::drafts::Draft {
                key: "note:new:1".into(),
                kind: "note-new".into(),
                client_id: Some(a),
                title: "Note for C-0001".into(),
                payload: "{}".into(),
                updated_at: None,
            },
            fixed_now(),
        )
        .unwrap();
    note(&mut store, b, "2026-11-10 10:00", "attempted", "No answer; try again.", "2026-11-15");
    let items = due(&store, &settings);
    let rules: Vec<_> = items.iter().map(|i| i.rule).collect();
    assert_eq!(rules.first(), Some(&"follow-up"), "{rules:?}");
    assert_eq!(rules.last(), Some(&"draft"), "{rules:?}");
}

#[test]
fn time_totals_per_client_and_type() {
    let (_d, mut store, a, b) = setup();
    note(&mut store, a, "2026-11-02 10:00", "phone", "x", "");
    note(&mut store, a, "2026-11-03 10:00", "phone", "y", "");
    note(&mut store, a, "2026-11-04 10:00", "home visit", "z", "");
    note(&mut store, b, "2026-10-31 10:00", "phone", "october", "");
    let (from, to) = caseload::store::time::parse_month("2026-11").unwrap();
    let rows = store.time_report(from, to, None).unwrap();
    assert_eq!(rows.len(), 2);
    let phone = rows.iter().find(|r| r.contact_type == "phone").unwrap();
    assert_eq!((phone.notes, phone.minutes), (2, 60));
    assert_eq!(store.time_report(from, to, Some(b)).unwrap().len(), 0);
}

#[test]
fn a_note_entered_in_error_stays_where_it_is_and_out_of_search() {
    let (_d, mut store, a, b) = setup();
    let id = note(&mut store, a, "2026-11-20 10:00", "phone", "Quokka budget talk.", "");
    store.mark_note_in_error(id, "duplicate entry", None, fixed_now()).unwrap();
    let err = store.move_note(id, b, fixed_now()).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains("entered in error"), "{err}");
    let n = store.note(id).unwrap();
    assert_eq!(n.client_id, a, "not moved");
    assert!(store.search("quokka", &SearchFilter::default(), 10).unwrap().is_empty(), "still out of search");
    assert_eq!(store.client(b).unwrap().last_contact_at, None);
}

#[test]
fn a_complete_search_returns_every_match_beyond_the_ranking_window() {
    let (d, mut store, a, _) = setup();
    note(&mut store, a, "2026-01-10 10:00", "phone", "The oldest kiwi note.", "");
    drop(store);
    let path = d.path().join("caseload.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    let tx = conn.transaction().unwrap();
    for i in 0..5_100 {
        tx.execute(
            "INSERT INTO notes (client_id, contact_at, written_at, updated_at, contact_type, body) \
             VALUES (?1, '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z', 'phone', ?2)",
            rusqlite::params![a, format!("kiwi follow-up number {i}")],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let all = store.search_all("kiwi", &SearchFilter::default()).unwrap();
    assert_eq!(all.len(), 5_101, "every match, the oldest too");
    assert!(all.iter().any(|h| h.snippet.contains("oldest")));
    assert_eq!(store.search("kiwi", &SearchFilter::default(), 10).unwrap().len(), 10);
}

#[test]
fn timeline_pages_keep_every_addendum_written_in_the_same_second() {
    let (_d, mut store, a, _) = setup();
    let id = note(&mut store, a, "2026-11-20 10:00", "phone", "Talked about rent.", "");
    for body in ["First correction.", "Second correction.", "Third correction."] {
        store.add_addendum(id, body, "Sam", fixed_now()).unwrap();
    }
    for page_size in [1, 2] {
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = store.timeline(a, TimelineFilter::Notes, page_size, before.as_ref()).unwrap();
            if page.is_empty() {
                break;
            }
            before = page.last().map(|e| e.page_key());
            seen.extend(page);
        }
        let addenda: Vec<_> =
            seen.iter().filter(|e| e.kind == "addendum").map(|e| e.summary.as_str()).collect();
        assert_eq!(addenda.len(), 3, "page size {page_size}: {addenda:?}");
    }
}

#[test]
fn today_loads_the_most_urgent_page_first_and_the_same_as_the_full_list() {
    let (_d, mut store, _a, _b) = setup();
    let settings = Settings { no_contact_days: 30, ..Default::default() };
    // 40 quiet clients, 40 overdue follow-ups on different days
    for i in 0..40 {
        let c = add_client(
            &mut store,
            &format!("Quiet{i}"),
            "Example",
            &format!("2026-0{}-1{}", 1 + i % 9, i % 10),
        );
        note(
            &mut store,
            c,
            &format!("2026-10-{:02} 09:00", 1 + i % 28),
            "phone",
            "Called.",
            &format!("2026-10-{:02}", 2 + i % 27),
        );
    }
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let all = crate::common::due_checked(&store, &ctx);
    assert!(all.len() > 60, "{}", all.len());
    let (page, more) = store.due_items_limited(&ctx, Some(25)).unwrap();
    assert!(more, "a rule had more than one page");
    assert_eq!(page.len(), 25);
    let key = |i: &caseload::domain::due::DueItem| (i.rule, i.client_id, i.title.clone());
    assert_eq!(page.iter().map(key).collect::<Vec<_>>(), all[..25].iter().map(key).collect::<Vec<_>>());
    let (everything, more) = store.due_items_limited(&ctx, Some(10_000)).unwrap();
    assert!(!more);
    assert_eq!(everything.len(), all.len());
}

/// Issue 19 point 8: the header's count is the true count of items, not the page size. 320
/// quiet cases are more than Today's first page of 300: no rule loads more than the page, and
/// the header (and `caseload due`) say 320.
#[test]
fn today_counts_every_item_while_loading_one_page() {
    let (d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    for i in 0..320 {
        add_client(&mut store, &format!("Quiet{i}"), "Example", "2026-01-05");
    }
    // and one quiet for two days past the 30: due now, though 320 older ones come first
    add_client(&mut store, "Recent", "Sample", "2026-10-22");
    let settings = store.settings().unwrap();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let all = crate::common::due_checked(&store, &ctx);
    assert_eq!(all.len(), 321);
    assert_eq!(store.due_count(&ctx).unwrap(), caseload::domain::due::DueCount { items: 321, urgent: 321 });
    for (name, rule) in caseload::store::due::RULES {
        let page = rule(&store, &ctx, 300).unwrap();
        assert!(page.len() <= 300, "rule {name} loaded {} for a page of 300", page.len());
    }
    let (page, more) = store.due_items_limited(&ctx, Some(300)).unwrap();
    assert_eq!(page.len(), 300);
    assert!(more);
    drop(store);
    let mut app = crate::common::app(&path);
    let screen = crate::common::screen(&mut app, 120, 30);
    let head = screen.lines().find(|l| l.contains("Today,")).unwrap_or_default();
    assert!(head.contains("321 items, 321 overdue or urgent"), "{screen}");
    // the quiet cases are long overdue: the backlog, of which one page is loaded
    assert!(screen.contains("│Backlog (300+)"), "{screen}");
    // the recent one is loaded too, in Due now, above the backlog
    let due_now = screen.lines().position(|l| l.contains("│Due now (1+)"));
    let recent = screen.lines().position(|l| l.contains("Recent Sample"));
    assert!(due_now.is_some() && recent == due_now.map(|p| p + 1), "{screen}");
    let out = crate::common::stdout(&crate::common::caseload(&path, &["due"]));
    assert!(out.starts_with("321 items, "), "{}", &out[..out.len().min(200)]);
    assert_eq!(out.lines().filter(|l| l.starts_with("OVERDUE")).count(), 321);
    drop(d);
}

/// The month's time report reads the notes' covering index, never the notes themselves (at
/// agency scale a month holds tens of thousands of notes).
#[test]
fn the_time_report_reads_a_covering_index() {
    let (_d, store, _a, _b) = setup();
    let plan =
        query_plan(store.path(), TIME_REPORT_SQL, rusqlite::params!["2026-11-01", "2026-12-01", None::<i64>]);
    assert!(plan.iter().any(|p| p.contains("COVERING INDEX notes_time")), "{plan:?}");
}

/// A note's moments are typed (issue 14 point 6): screens and exports read dates, not strings.
/// Its JSON keeps the stored text, and paging does not depend on reading the moment, so a
/// row with a moment that does not read (written by no caseload) never hides the rest.
#[test]
fn a_notes_moments_are_typed_and_a_bad_moment_never_hides_the_other_notes() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = add_client(&mut store, "Typed", "Moments", "2026-01-05");
    let first = note(&mut store, c, "2026-03-01 09:30", "phone", "First.", "2026-03-08");
    for (i, day) in ["2026-03-02", "2026-03-03", "2026-03-04"].iter().enumerate() {
        note(&mut store, c, &format!("{day} 10:00"), "phone", &format!("Note {i}."), "");
    }
    let n = store.note(first).unwrap();
    assert_eq!(n.follow_up_on, Some(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap()));
    let json = serde_json::to_value(&n).unwrap();
    let stored: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT contact_at FROM notes WHERE id = ?1", [first], |r| r.get(0))
        .unwrap();
    assert_eq!(json["contact_at"], stored.as_str(), "the JSON keeps the stored text");
    assert_eq!(json["follow_up_on"], "2026-03-08");
    assert!(json["signed_at"].is_null());
    drop(store);
    // a moment no caseload wrote, put in behind its back
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE notes SET contact_at = 'not a date' WHERE id = ?1", [first])
        .unwrap();
    let store = Store::open(&path).unwrap();
    let mut seen = Vec::new();
    let mut before = None;
    loop {
        let page = store.notes_page(c, 1, before.as_ref()).unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.page_key());
        seen.extend(page.iter().map(|n| n.id));
    }
    assert_eq!(seen.len(), 4, "every note is listed, page by page: {seen:?}");
    assert!(seen.contains(&first));
    // the timeline too
    let mut lines = 0;
    let mut before = None;
    loop {
        let page = store.timeline(c, TimelineFilter::Notes, 1, before.as_ref()).unwrap();
        let Some(last) = page.last() else { break };
        before = Some(last.page_key());
        lines += page.len();
    }
    assert_eq!(lines, 4, "every note is on the timeline");
}
