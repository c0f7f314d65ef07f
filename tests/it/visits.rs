//! Planned contacts (the diary, issue 19 points 1 and 5): the store keeps each with its history
//! and timeline line; the command line plans, lists and ends them under the scripting contract.

use chrono::{Duration, TimeZone, Utc};

use crate::common::{caseload, fixed_now, json, one_client, stderr, stdout, temp_db, today};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::visit::{VisitDetails, VisitKind, VisitState};
use caseload::store::{Store, StoreError};

fn ada(store: &mut Store) -> i64 {
    let input = IntakeInput { given_name: "Ada".into(), family_name: "Test".into(), ..Default::default() };
    store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap()
}

#[test]
fn a_planned_contact_is_kept_with_its_details_and_ends_once_with_history_and_timeline() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = ada(&mut store);
    let at = fixed_now() + Duration::days(2);
    let d = VisitDetails {
        minutes: 45,
        kind: VisitKind::School,
        place: "Hill School".into(),
        with_whom: "Class teacher".into(),
        purpose: "Review attendance".into(),
        travel: "Bus 12, 20 minutes".into(),
        ..VisitDetails::at(at)
    };
    let id = store.add_visit(c, &d, "Sam Worker", fixed_now()).unwrap();
    let v = store.visit(id).unwrap();
    assert_eq!(v.reference, format!("V-{id}"));
    assert_eq!((v.at, v.minutes, v.kind, v.state), (at, 45, "school", "planned"));
    assert_eq!((v.place.as_str(), v.with_whom.as_str()), ("Hill School", "Class teacher"));
    assert_eq!((v.purpose.as_str(), v.travel.as_str()), ("Review attendance", "Bus 12, 20 minutes"));
    assert_eq!(v.history.len(), 1);

    // A cancellation without a reason is refused at the field and nothing changes.
    match store.set_visit_state(id, VisitState::Cancelled, " ", "Sam Worker", fixed_now()) {
        Err(StoreError::Invalid(e)) => assert_eq!(e[0].field, "reason"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.visit(id).unwrap().state, "planned");
    store.set_visit_state(id, VisitState::Cancelled, "School closed", "Sam Worker", fixed_now()).unwrap();
    let v = store.visit(id).unwrap();
    assert_eq!((v.state, v.reason.as_str()), ("cancelled", "School closed"));
    assert_eq!(v.history.len(), 2);
    assert_eq!((v.history[1].from.as_str(), v.history[1].to.as_str()), ("planned", "cancelled"));
    assert_eq!(v.history[1].by, "Sam Worker");
    // An ended contact stays as it was.
    assert!(matches!(
        store.set_visit_state(id, VisitState::Done, "", "Sam Worker", fixed_now()),
        Err(StoreError::Refused(_))
    ));
    let events = store.events(c, 50, 0).unwrap();
    let visits: Vec<_> = events.iter().filter(|e| e.kind == "visit").map(|e| e.summary.as_str()).collect();
    assert_eq!(visits.len(), 2, "{visits:?}");
    assert!(visits.iter().any(|s| s.contains("school visit") && s.contains("planned")), "{visits:?}");
    assert!(visits.iter().any(|s| s.contains("cancelled: School closed")), "{visits:?}");
    // the timeline has it when it was planned: a contact two days away is not yet history
    assert!(events.iter().filter(|e| e.kind == "visit").all(|e| e.occurred_at <= fixed_now()), "{events:?}");
}

#[test]
fn a_missed_contact_is_an_attempted_one_and_a_past_plan_is_recorded_late() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = ada(&mut store);
    let past = VisitDetails::at(fixed_now() - Duration::hours(3));
    let id = store.add_visit(c, &past, "", fixed_now()).unwrap();
    assert!(store.visit(id).unwrap().history[0].note.contains("recorded late"));
    store.set_visit_state(id, VisitState::Missed, "No answer at the door", "", fixed_now()).unwrap();
    let v = store.visit(id).unwrap();
    assert_eq!(v.state, "missed");
    assert!(v.history[1].note.contains("attempted contact"), "{:?}", v.history);
}

#[test]
fn bad_details_are_refused_and_nothing_is_saved() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = ada(&mut store);
    let d = VisitDetails { minutes: 0, place: "p".repeat(501), ..VisitDetails::at(fixed_now()) };
    match store.add_visit(c, &d, "", fixed_now()) {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["minutes", "place"])
        }
        other => panic!("{other:?}"),
    }
    assert!(store.add_visit(999, &VisitDetails::at(fixed_now()), "", fixed_now()).is_err());
    assert!(store.visits(None, None, None).unwrap().is_empty());
}

#[test]
fn visits_list_in_time_order_by_client_and_by_day() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let a = ada(&mut store);
    let b = ada(&mut store);
    let t = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap();
    let v3 = store.add_visit(a, &VisitDetails::at(t(12, 9)), "", fixed_now()).unwrap();
    let v1 = store.add_visit(b, &VisitDetails::at(t(10, 14)), "", fixed_now()).unwrap();
    let v2 = store.add_visit(a, &VisitDetails::at(t(10, 15)), "", fixed_now()).unwrap();
    let ids = |v: Vec<caseload::store::visits::Visit>| v.into_iter().map(|v| v.id).collect::<Vec<_>>();
    assert_eq!(ids(store.visits(None, None, None).unwrap()), vec![v1, v2, v3]);
    assert_eq!(ids(store.visits(Some(a), None, None).unwrap()), vec![v2, v3]);
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    assert_eq!(ids(store.visits(None, Some(day(10)), Some(day(10))).unwrap()), vec![v1, v2]);
    assert_eq!(ids(store.visits(None, Some(day(11)), None).unwrap()), vec![v3]);
}

#[test]
fn the_command_line_plans_lists_and_ends_planned_contacts() {
    let (_d, db) = one_client();
    let o = caseload(
        &db,
        &[
            "visit",
            "add",
            "C-0001",
            "--at",
            "2030-01-10 10:00",
            "--minutes",
            "30",
            "--type",
            "phone",
            "--place",
            "Office",
            "--with",
            "Key worker",
            "--purpose",
            "Check-in",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().next().unwrap().split(' ').next(), Some("V-1"), "{}", stdout(&o));
    let o = caseload(&db, &["visit", "add", "C-0001", "--at", "2030-01-09 09:00", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        (v["ref"].as_str(), v["type"].as_str(), v["state"].as_str()),
        (Some("V-2"), Some("home"), Some("planned"))
    );

    let o = caseload(&db, &["visit", "list", "--json"]);
    let list = json(&o);
    let refs: Vec<_> =
        list.as_array().unwrap().iter().map(|v| v["ref"].as_str().unwrap().to_string()).collect();
    assert_eq!(refs, vec!["V-2", "V-1"], "time order");
    assert_eq!(list[1]["with"], "Key worker");
    assert_eq!(list[1]["minutes"], 30);
    let o = caseload(&db, &["visit", "list", "C-0001", "--from", "2030-01-10", "--to", "2030-01-10"]);
    let out = stdout(&o);
    assert!(out.starts_with("V-1 2030-01-10 10:00 C-0001 phone call (30 min) at Office [planned]"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");

    let o = caseload(&db, &["visit", "cancel", "V-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--reason"), "{}", stderr(&o));
    let o = caseload(&db, &["visit", "cancel", "V-1", "--reason", "Client moved it", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["state"], "cancelled");
    let o = caseload(&db, &["visit", "done", "V-1"]);
    assert_eq!(o.status.code(), Some(2), "an ended contact stays ended");
    let o = caseload(&db, &["visit", "missed", "V-2", "--json"]);
    assert_eq!(json(&o)["state"], "missed");
    let o = caseload(&db, &["visit", "done", "V-9"]);
    assert_eq!(o.status.code(), Some(2));
    let o = caseload(&db, &["visit", "done", "X-1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_input_on_the_command_line_names_the_flag_and_saves_nothing() {
    let (_d, db) = one_client();
    for (args, flag) in [
        (vec!["--at", "2030-01-10 25:00"], "--at"),
        (vec!["--at", "2030-01-10"], "--at"),
        (vec!["--at", "2030-01-10 10:00", "--minutes", "0"], "--minutes"),
        (vec!["--at", "2030-01-10 10:00", "--minutes", "ten"], "--minutes"),
        (vec!["--at", "2030-01-10 10:00", "--type", "pub"], "--type"),
        (vec!["--at", "2030-01-10 10:00", "--with", &"w".repeat(501)], "--with"),
    ] {
        let mut all = vec!["visit", "add", "C-0001"];
        all.extend(args.iter().copied());
        let o = caseload(&db, &all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(stderr(&o).contains(flag), "{flag}: {}", stderr(&o));
    }
    let o = caseload(&db, &["visit", "list", "--from", "someday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--from"), "{}", stderr(&o));
    let o = caseload(&db, &["visit", "list", "--json"]);
    assert_eq!(json(&o), serde_json::json!([]), "nothing half-saved");
}

fn local(s: &str) -> chrono::DateTime<Utc> {
    caseload::domain::dates::local_to_utc(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
}

/// Issue 19 point 3: today's planned contacts still to come are Today's diary in time order;
/// a planned contact whose time has passed, still 'planned', is due now ("has no note"); ended
/// ones and tomorrow's are not on Today. Each rule is counted like every rule.
#[test]
fn todays_planned_contacts_are_the_diary_and_past_ones_without_a_note_are_due() {
    use caseload::domain::due::{arrange, Section};
    use caseload::store::due::DueContext;
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = ada(&mut store);
    let plan = |store: &mut Store, at: &str, kind: VisitKind, place: &str| {
        let d = VisitDetails { kind, place: place.into(), ..VisitDetails::at(local(at)) };
        store.add_visit(c, &d, "", fixed_now()).unwrap()
    };
    // fixed_now is 2026-11-23 10:00
    plan(&mut store, "2026-11-23 14:00", VisitKind::Court, "");
    plan(&mut store, "2026-11-23 11:30", VisitKind::Home, "Flat 3");
    plan(&mut store, "2026-11-23 08:00", VisitKind::Phone, "");
    plan(&mut store, "2026-11-20 09:00", VisitKind::Home, "");
    plan(&mut store, "2026-11-24 09:00", VisitKind::Home, "");
    let gone = plan(&mut store, "2026-11-23 12:00", VisitKind::Office, "");
    store.set_visit_state(gone, VisitState::Cancelled, "Moved", "", fixed_now()).unwrap();
    let done = plan(&mut store, "2026-11-22 09:00", VisitKind::Video, "");
    store.set_visit_state(done, VisitState::Done, "", "", fixed_now()).unwrap();

    let settings = store.settings().unwrap();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let all = crate::common::due_checked(&store, &ctx);
    let arranged = arrange(all, today(), settings.overdue_horizon_days);
    let of = |section: Section| -> Vec<String> {
        arranged
            .iter()
            .filter(|(s, i)| *s == section && i.rule.starts_with("visit"))
            .map(|(_, i)| i.title.clone())
            .collect()
    };
    assert_eq!(of(Section::Diary), vec!["11:30 Home visit at Flat 3", "14:00 Court"]);
    let due = of(Section::Due);
    assert_eq!(due.len(), 2, "{due:?}");
    assert!(due.iter().any(|t| t.starts_with("Phone call 08:00 with C-0001 has no note")), "{due:?}");
    assert!(
        due.iter().any(|t| t.starts_with("Home visit 2026-11-20 09:00 with C-0001 has no note")),
        "{due:?}"
    );
    // the page of each rule is the head of its list, read through the partial index
    let rule = caseload::store::due::RULES.iter().find(|(n, _)| *n == "visit").unwrap().1;
    assert_eq!(rule(&store, &ctx, 1).unwrap()[0].title, "11:30 Home visit at Flat 3");
    let plan = crate::common::query_plan(
        &path,
        "SELECT v.id FROM visits v WHERE v.state = 'planned' AND v.at >= ?1 AND v.at < ?2 ORDER BY v.at",
        rusqlite::params!["2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"],
    );
    assert!(plan.iter().any(|p| p.contains("visits_planned_by_at")), "{plan:?}");

    // Today on screen: the diary heading counts the two, in time order
    drop(store);
    let mut app = crate::common::app_at(&path, fixed_now());
    let s = crate::common::screen(&mut app, 100, 30);
    assert!(s.contains("Today's diary (2)"), "{s}");
    let at = |t: &str| s.find(t).unwrap_or_else(|| panic!("{t} in {s}"));
    assert!(at("11:30 Home visit at Flat 3") < at("14:00 Court"), "{s}");
    assert!(s.contains("has no note"), "{s}");
}

/// Issue 19 point 1: `v` on the client file plans a contact; a day without a time is refused at
/// the field and nothing is saved; then the contact is planned as typed.
#[test]
fn v_on_the_client_file_plans_a_contact() {
    use crate::common::{clients, keys, screen};
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        ada(&mut store);
    }
    let mut app = clients(&path);
    keys(&mut app, "<enter>v");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Plan a contact with Ada Test"), "{s}");
    insta::assert_snapshot!("visit_form", s);
    keys(&mut app, "2026-11-27<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Plan a contact with"), "the form stays: {s}");
    assert!(Store::open(&path).unwrap().visits(None, None, None).unwrap().is_empty(), "nothing saved");
    keys(&mut app, " 15:00<tab><right><right><tab><tab>Office<tab>Key worker<tab>Check-in<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("V-1 planned: phone call on 2026-11-27 15:00"), "{s}");
    let v = Store::open(&path).unwrap().visits(None, None, None).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].kind, v[0].minutes, v[0].place.as_str()), ("phone", 60, "Office"));
    assert_eq!((v[0].with_whom.as_str(), v[0].purpose.as_str()), ("Key worker", "Check-in"));
    assert_eq!(v[0].when(), "2026-11-27 15:00");
}

/// Planned contacts are part of the client's file: a JSON export carries them with their
/// history, and an import into another caseload brings them back under the new client.
#[test]
fn planned_contacts_travel_with_the_clients_file() {
    let (d, db) = one_client();
    let o = caseload(&db, &["visit", "add", "C-0001", "--at", "2030-01-10 10:00", "--type", "court"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&db, &["visit", "cancel", "V-1", "--reason", "Hearing moved"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = d.path().join("ada.json");
    let o = caseload(&db, &["export", "C-0001", "--format", "json", "-o", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let other = d.path().join("other.db");
    let o = caseload(&other, &["client", "add", "--given", "Bea", "--family", "Sample"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = caseload(&other, &["import", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = json(&caseload(&other, &["visit", "list", "--json"]));
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["client"], "C-0002");
    assert_eq!((list[0]["type"].as_str(), list[0]["state"].as_str()), (Some("court"), Some("cancelled")));
    assert_eq!(list[0]["reason"], "Hearing moved");
    assert_eq!(list[0]["history"].as_array().map(Vec::len), Some(2));
}

/// Nasty text in every field is cleaned before it is kept (controls and line breaks out of a
/// line, escapes never stored) and printed safely.
#[test]
fn nasty_text_in_every_field_is_cleaned() {
    let (_d, db) = one_client();
    let nasty = "Robert'); DROP TABLE visits;--\u{1b}[31m\u{0007}\r\nnext\u{202e}";
    let o = caseload(
        &db,
        &[
            "visit",
            "add",
            "C-0001",
            "--at",
            "2030-01-10 10:00",
            "--place",
            nasty,
            "--with",
            nasty,
            "--purpose",
            nasty,
            "--travel",
            nasty,
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    for field in ["place", "with", "purpose", "travel"] {
        let s = v[field].as_str().unwrap();
        assert!(s.starts_with("Robert'); DROP TABLE visits;--"), "{field}: {s:?}");
        assert!(
            !s.chars().any(|c| c == '\u{1b}' || c == '\u{0007}' || c == '\u{202e}' || c == '\r'),
            "{field}: {s:?}"
        );
    }
    assert!(!v["place"].as_str().unwrap().contains('\n'), "one line: {v}");
    let o = caseload(&db, &["visit", "list"]);
    assert!(o.status.success());
    assert!(!stdout(&o).contains('\u{1b}'), "{}", stdout(&o));
    let o = caseload(&db, &["visit", "done", "V-1\u{1b}[31m"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains('\u{1b}'), "{}", stderr(&o));
}

/// Every nasty input in every text field of the plan-a-contact form: saved as one clean
/// line, or refused at the field with nothing saved; nothing raw on the screen.
#[test]
fn nasty_input_in_the_plan_a_contact_form() {
    use crate::common::{assert_clean_screen, clients, ctrl, keys, nasty_inputs, screen};
    use crossterm::event::Event;
    let (mut saved, mut refused) = (0, 0);
    for (label, text) in nasty_inputs() {
        let (_d, path) = temp_db();
        {
            let mut store = Store::open(&path).unwrap();
            ada(&mut store);
        }
        let mut app = clients(&path);
        keys(&mut app, "<enter>v2026-11-27 15:00<tab><tab><tab>");
        for _ in 0..3 {
            app.handle_event(Event::Paste(text.clone()));
            keys(&mut app, "<tab>");
        }
        app.handle_event(Event::Paste(text.clone()));
        ctrl(&mut app, 's');
        let s = screen(&mut app, 80, 24);
        assert_clean_screen(&label, &s);
        let visits = Store::open(&path).unwrap().visits(None, None, None).unwrap();
        match visits.as_slice() {
            [v] => {
                saved += 1;
                for f in [&v.place, &v.with_whom, &v.purpose] {
                    assert!(!f.chars().any(char::is_control), "{label}: {f:?}");
                    assert_eq!(f.trim(), f, "{label}: {f:?}");
                }
                assert!(!v.travel.chars().any(|c| c.is_control() && c != '\n'), "{label}: {:?}", v.travel);
            }
            [] => {
                refused += 1;
                assert!(s.contains('⚠'), "{label}: refused, so the field says why: {s}");
            }
            more => panic!("{label}: {} contacts saved", more.len()),
        }
    }
    assert!(saved > 0 && refused > 0, "{saved} saved, {refused} refused");
}
