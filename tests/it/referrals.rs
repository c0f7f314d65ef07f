//! Referrals against a real temporary database: the closed loop enforced by the store, consent
//! before sending, history, follow-ups, appointments, the board, Today; CLI and screens.

use crate::common::*;
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::consent::Consent;
use caseload::domain::coordination::ConsentDraft;
use caseload::domain::directory::{validate_service, ServiceInput};
use caseload::domain::record::RecordKind;
use caseload::domain::referral::{ReferralDetails, ReferralStatus, Urgency};
use caseload::store::due::DueContext;
use caseload::store::referrals::{EventKind, NewReferral};
use caseload::store::{Store, StoreError};
use crossterm::event::KeyCode;

fn setup(store: &mut Store) -> (i64, i64) {
    let c = validate_intake(
        &IntakeInput {
            given_name: "Ada".into(),
            family_name: "Example".into(),
            intake_date: "2026-10-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let client = store.add_client(&c, fixed_now()).unwrap();
    let service = validate_service(
        &ServiceInput {
            organisation: "Northside Food Bank".into(),
            name: "Emergency parcels".into(),
            phones: "555-0123".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let s = store.add_service(&service, fixed_now()).unwrap();
    (client, s)
}

fn referral(store: &mut Store, client: i64, service: i64, consent: bool) -> i64 {
    let n = NewReferral {
        service_id: Some(service),
        details: ReferralDetails {
            need: "food parcels".into(),
            urgency: Urgency::Urgent,
            info_shared: "name, address".into(),
            ..Default::default()
        },
        need_domain: "food".into(),
        consent: consent.then(|| ConsentDraft {
            consent: Consent {
                to_name: "Northside Food Bank".into(),
                covers: vec!["name, address".into()],
                signed_on: Some(today()),
                expires_on: Some(d("2027-11-23")),
                revoked_on: None,
            },
            notes: String::new(),
        }),
        ..Default::default()
    };
    store.add_referral(client, &n, "Sam Worker", fixed_now()).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn go(
    store: &mut Store,
    id: i64,
    to: ReferralStatus,
    on: &str,
    reason: &str,
    first: Option<&str>,
) -> Result<(), StoreError> {
    let first = first.map(|t| local(&format!("{t} 10:00")));
    store.change_referral_status(id, to, d(on), "", reason, None, first, "Sam Worker", fixed_now())
}

/// A local date and time (`2026-11-27 10:00`) as stored, in UTC.
fn local(s: &str) -> chrono::DateTime<chrono::Utc> {
    caseload::domain::dates::local_to_utc(chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
        .unwrap()
}

#[test]
fn a_referral_is_never_sent_without_a_valid_consent() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, s) = setup(&mut store);
    let id = referral(&mut store, c, s, false);
    let r = store.referral(id).unwrap();
    assert_eq!(r.provider, "Northside Food Bank — Emergency parcels");
    let refused = go(&mut store, id, ReferralStatus::Sent, "2026-11-23", "", None);
    assert!(matches!(&refused, Err(StoreError::Refused(m)) if m.contains("consent")), "{refused:?}");
    assert_eq!(store.referral(id).unwrap().status, ReferralStatus::Draft, "nothing changed");
    // a consent to the organisation that does not cover what is shared is not enough
    let narrow = caseload::domain::coordination::validate_consent(
        &caseload::domain::coordination::ConsentInput {
            to_name: "Northside Food Bank".into(),
            covers: "medical history".into(),
            expires_on: "2027-01-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_consent(c, &narrow, None, fixed_now()).unwrap();
    assert!(go(&mut store, id, ReferralStatus::Sent, "2026-11-23", "", None).is_err());
    // one that covers it, written to the organisation, is
    let id2 = referral(&mut store, c, s, true);
    go(&mut store, id2, ReferralStatus::Sent, "2026-11-23", "", None).unwrap();
    let r = store.referral(id2).unwrap();
    assert_eq!(r.status, ReferralStatus::Sent);
    assert!(r.consent.is_some(), "the release it was sent under is kept");
    assert_eq!(r.follow_up_on, Some(d("2026-11-30")), "a sent referral is chased a week later");
}

#[test]
fn the_store_refuses_illegal_moves_and_keeps_every_move_with_its_reason() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, s) = setup(&mut store);
    let id = referral(&mut store, c, s, true);
    assert!(matches!(
        go(&mut store, id, ReferralStatus::Completed, "2026-11-23", "", None),
        Err(StoreError::Refused(_))
    ));
    // recorded after the fact: drafted and sent a week ago
    go(&mut store, id, ReferralStatus::Sent, "2026-11-16", "", None).unwrap();
    go(&mut store, id, ReferralStatus::Accepted, "2026-11-20", "", Some("2026-11-27")).unwrap();
    let r = store.referral(id).unwrap();
    assert_eq!(r.follow_up_on, Some(d("2026-11-27")), "accepted: followed up on the first appointment");
    assert_eq!(r.appointments.len(), 1);
    assert_eq!(r.age(today()), "accepted 3 days ago");
    go(&mut store, id, ReferralStatus::OnHold, "2026-11-21", "", None).unwrap();
    // back from a hold only to where it was
    assert!(go(&mut store, id, ReferralStatus::InService, "2026-11-22", "", None).is_err());
    go(&mut store, id, ReferralStatus::Accepted, "2026-11-22", "", None).unwrap();
    assert!(
        matches!(
            go(&mut store, id, ReferralStatus::Declined, "2026-11-23", "", None),
            Err(StoreError::Invalid(_))
        ),
        "declined needs a reason"
    );
    go(&mut store, id, ReferralStatus::Declined, "2026-11-23", "Outside their area", None).unwrap();
    assert!(go(&mut store, id, ReferralStatus::Accepted, "2026-11-23", "", None).is_err(), "final");
    let r = store.referral(id).unwrap();
    let moves: Vec<String> = r
        .history
        .iter()
        .filter(|e| e.kind == EventKind::Status)
        .map(|e| format!("{} {}", e.on, e.to.as_str()))
        .collect();
    assert_eq!(
        moves,
        vec![
            "2026-11-16 draft",
            "2026-11-16 sent",
            "2026-11-20 accepted",
            "2026-11-21 on-hold",
            "2026-11-22 accepted",
            "2026-11-23 declined"
        ]
    );
    assert_eq!(r.history.last().unwrap().reason, "Outside their area");
    assert_eq!(r.history.last().unwrap().by, "Sam Worker");
    assert_eq!(r.outcome, "Outside their area");
    // the timeline has every move; search finds the referral
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    assert!(tl.iter().filter(|e| e.kind == "referral").count() >= 6);
    let hits = store.search("parcels", &Default::default(), 5).unwrap();
    assert_eq!(hits[0].reference, format!("R-{id}"));
}

#[test]
fn follow_ups_feed_today_and_the_board_is_most_overdue_first() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, s) = setup(&mut store);
    let a = referral(&mut store, c, s, true);
    let b = referral(&mut store, c, s, true);
    go(&mut store, a, ReferralStatus::Sent, "2026-11-02", "", None).unwrap();
    go(&mut store, b, ReferralStatus::Sent, "2026-11-20", "", None).unwrap();
    let board = store.open_referrals().unwrap();
    assert_eq!(board.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b], "oldest overdue first");
    let settings = store.settings().unwrap();
    let due = crate::common::due_checked(
        &store,
        &DueContext { now: fixed_now(), today: today(), settings: &settings, since: None },
    );
    let lines: Vec<&str> = due.iter().filter(|i| i.rule == "referral").map(|i| i.title.as_str()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("URGENT Referral to Northside Food Bank"), "{lines:?}");
    assert!(lines[0].contains("sent 21 days ago, no answer"), "{lines:?}");
    // an open referral shows on the client's ecomap
    let tie = caseload::ui::widgets::family::extra_ties(&store, c).unwrap();
    assert_eq!(tie.len(), 2);
    assert_eq!(tie[0].kind, caseload::domain::ecomap::TieKind::Referral);
}

/// The exit code, standard output and standard error of `caseload --db PATH ARGS…`.
fn cli(path: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = caseload(path, args);
    (out.status.code().unwrap_or(-1), stdout(&out), stderr(&out))
}

/// A method is one of the ways the help lists, not any text.
#[test]
fn a_referral_method_is_a_choice() {
    let (_d, path) = temp_db();
    setup(&mut Store::open(&path).unwrap());
    let add = |method: &str| {
        cli(&path, &["referral", "add", "Ada", "--service", "S-0001", "--need", "food", "--method", method])
    };
    let (code, _, err) = add("carrier pigeon");
    assert_eq!(code, 2);
    assert!(err.contains("not a way of making a referral") && err.contains("online form"), "{err}");
    assert_eq!(add("Email").0, 0, "a listed method, in any case");
}

#[test]
fn the_referral_commands_follow_the_scripting_contract() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        setup(&mut store);
    }
    let (code, out, _) = cli(&path, &["referral", "add", "Ada", "--service", "S-0001", "--need", "food"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("R-1 "), "{out}");
    let (code, _, err) = cli(&path, &["referral", "status", "R-1", "sent"]);
    assert_eq!(code, 2, "no consent yet");
    assert!(err.contains("consent"), "{err}");
    let (code, out, _) = cli(
        &path,
        &["referral", "add", "Ada", "--to", "Westside Legal Aid", "--need", "court letter", "--consent"],
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("R-2 "));
    let (code, _, _) = cli(&path, &["referral", "status", "R-2", "sent", "--on", "2026-11-20"]);
    assert_eq!(code, 0);
    let (code, _, err) = cli(&path, &["referral", "status", "R-2", "declined"]);
    assert_eq!(code, 2);
    assert!(err.contains("reason"), "{err}");
    let (code, _, err) = cli(&path, &["referral", "status", "R-2", "teleported"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a known referral status"), "{err}");
    let (code, _, _) = cli(&path, &["referral", "add", "Ada", "--need", "x"]);
    assert_eq!(code, 2, "a provider is needed");
    let (code, out, _) = cli(&path, &["referral", "list", "Ada", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert!(v[0]["ref"].is_string());
    let (code, out, _) = cli(&path, &["referral", "list", "--open", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap().as_array().unwrap().len(), 2);
}

#[test]
fn referral_screens_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        let (c, s) = setup(&mut store);
        let id = referral(&mut store, c, s, true);
        go(&mut store, id, ReferralStatus::Sent, "2026-11-10", "", None).unwrap();
        // a provider typed in, with no consent on file
        let n = NewReferral {
            details: ReferralDetails {
                provider: "Westside Legal Aid".into(),
                need: "advice on the court letter".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        store.add_referral(c, &n, "Sam Worker", fixed_now()).unwrap();
    }
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("sent 13 days ago, no answer") && s.contains("OVERDUE"), "{s}");
    insta::assert_snapshot!("referrals_80x24", s);
    // the draft without consent: the status form says why it cannot be sent
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("NONE VALID"), "{s}");
    insta::assert_snapshot!("referral_100x30", s);
    key(&mut app, KeyCode::Char('s'));
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("consent to share information is needed"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Char('B'));
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("Referral board — 2 open"), "{s}");
    insta::assert_snapshot!("board_140x40", s);
}

#[test]
fn a_contact_is_linked_to_a_directory_organisation_by_its_name() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, _s) = setup(&mut store);
    let p = caseload::domain::people::validate_person(
        &caseload::domain::people::PersonInput {
            name: "Jo Whitfield".into(),
            relation: "agency worker".into(),
            role: "volunteer coordinator".into(),
            organisation: "northside food bank".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let id = store.add_person(c, &p, &Default::default(), fixed_now()).unwrap();
    assert_eq!(store.person(id).unwrap().organisation_ref.as_deref(), Some("O-0001"));
    let mut other = p.clone();
    other.organisation = "Somewhere Else".into();
    store.update_person(id, &other, &Default::default(), None, fixed_now()).unwrap();
    assert_eq!(
        store.person(id).unwrap().organisation_ref,
        None,
        "an organisation not in the directory unlinks"
    );
}

/// Closing a case asks about each open referral: an in-service one may be completed, any open
/// one cancelled with the reason (through the closed loop, with its history); the summary tells
/// where each referral ended; a same-day undo puts the referral back as it was.
#[test]
fn closing_a_case_settles_open_referrals_and_an_undo_puts_them_back() {
    use caseload::domain::closure::{
        draft_summary, CloseDetails, ClosureReason, Decision, Disposition, Reopen, ReopenMode,
    };
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (client, service) = setup(&mut store);
    let in_service = referral(&mut store, client, service, true);
    go(&mut store, in_service, ReferralStatus::Sent, "2026-11-02", "", None).unwrap();
    go(&mut store, in_service, ReferralStatus::Accepted, "2026-11-05", "", Some("2026-11-10")).unwrap();
    go(&mut store, in_service, ReferralStatus::InService, "2026-11-10", "", None).unwrap();
    let sent = referral(&mut store, client, service, true);
    go(&mut store, sent, ReferralStatus::Sent, "2026-11-20", "", None).unwrap();
    let draft = referral(&mut store, client, service, false);
    let cancelled_follow_up = store.referral(sent).unwrap().follow_up_on;
    assert!(cancelled_follow_up.is_some());

    let items = store.open_items(client, today()).unwrap();
    let refs: Vec<_> = items.iter().filter(|i| i.kind == RecordKind::Referral).collect();
    assert_eq!(refs.iter().map(|i| i.id).collect::<Vec<_>>(), vec![in_service, sent, draft]);
    // only the one in service can be completed
    assert!(refs[0].choice(Disposition::Complete).is_some());
    assert!(refs[1].choice(Disposition::Complete).is_none());
    assert!(refs[1].choice(Disposition::Cancel).is_some_and(|c| c.needs_text));
    assert!(refs[0].label.contains("in service") && refs[0].label.contains("Northside"), "{}", refs[0].label);

    let details = CloseDetails {
        reason: ClosureReason::MovedAway,
        reason_note: String::new(),
        closed_on: today(),
        follow_up_on: None,
        follow_up_plan: String::new(),
    };
    let decisions = vec![
        Decision {
            kind: RecordKind::Referral,
            id: in_service,
            disposition: Disposition::Complete,
            text: String::new(),
        },
        Decision {
            kind: RecordKind::Referral,
            id: sent,
            disposition: Disposition::Cancel,
            text: "Client moved away".into(),
        },
        Decision {
            kind: RecordKind::Referral,
            id: draft,
            disposition: Disposition::Leave,
            text: String::new(),
        },
    ];
    // completing a referral that is not in service is refused and nothing changes
    let wrong = vec![Decision {
        kind: RecordKind::Referral,
        id: sent,
        disposition: Disposition::Complete,
        text: String::new(),
    }];
    assert!(store.close_case(client, &details, &wrong, "Summary.", "Sam Worker", fixed_now()).is_err());
    assert_eq!(store.referral(sent).unwrap().status, ReferralStatus::Sent);
    assert!(store.current_closure(client).unwrap().is_none());

    let instruments = caseload::domain::instruments::builtin().unwrap();
    let facts = store.closure_facts(client, &instruments, fixed_now()).unwrap();
    let summary = draft_summary(&facts, &decisions, &details);
    assert!(summary.contains("Referral R-"), "{summary}");
    assert!(summary.contains(&caseload::domain::referral::referral_ref(sent)), "{summary}");
    store.close_case(client, &details, &decisions, &summary, "Sam Worker", fixed_now()).unwrap();
    assert_eq!(store.referral(in_service).unwrap().status, ReferralStatus::Completed);
    let cancelled = store.referral(sent).unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert!(cancelled.outcome.contains("Client moved away"), "{}", cancelled.outcome);
    assert_eq!(store.referral(draft).unwrap().status, ReferralStatus::Draft);
    // the referral's own history has the move, with the reason
    let events = cancelled.history.clone();
    let last = events.last().unwrap();
    assert_eq!((last.from, last.to), (Some(ReferralStatus::Sent), ReferralStatus::Cancelled));
    assert!(last.reason.contains("Client moved away"));
    // the closed case's referrals are off Today and the board
    assert!(store.open_referrals().unwrap().iter().all(|r| r.id != sent && r.id != in_service));

    // undone the same day: each referral as it was
    let undo = Reopen { mode: ReopenMode::Undo, reason: "Closed the wrong file".into(), opened_on: today() };
    store.reopen_case(client, &undo, "Sam Worker", fixed_now()).unwrap();
    let back = store.referral(sent).unwrap();
    assert_eq!(back.status, ReferralStatus::Sent);
    assert_eq!(back.status_since, d("2026-11-20"));
    assert_eq!(store.referral(in_service).unwrap().status, ReferralStatus::InService);
    assert_eq!(back.history.last().unwrap().to, ReferralStatus::Sent);
    assert_eq!(back.follow_up_on, cancelled_follow_up);
}

/// An appointment is kept at the time given (never an invented 09:00), can be moved and
/// removed, and each change is a row in the referral's history that says what it was.
#[test]
fn an_appointment_keeps_its_time_and_is_changed_and_removed_with_a_history_row() {
    use caseload::store::referrals::AppointmentDetails;
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, s) = setup(&mut store);
    let id = referral(&mut store, c, s, true);
    go(&mut store, id, ReferralStatus::Sent, "2026-11-16", "", None).unwrap();
    go(&mut store, id, ReferralStatus::Accepted, "2026-11-20", "", Some("2026-11-27")).unwrap();
    let r = store.referral(id).unwrap();
    assert_eq!(r.appointments.iter().map(|a| a.when()).collect::<Vec<_>>(), vec!["2026-11-27 10:00"]);
    let arranged = r.history.last().unwrap();
    assert_eq!(arranged.kind, EventKind::Appointment);
    assert_eq!(
        (arranged.on, arranged.note.as_str()),
        (d("2026-11-20"), "Appointment arranged: 2026-11-27 10:00")
    );
    assert_eq!(r.follow_up_on, Some(d("2026-11-27")));
    let first = r.appointments[0].clone();
    assert_eq!(first.reference, format!("AP-{}", first.id));

    // moved within the day, then to the next day: the follow-up moves with it
    let mut change = first.details();
    change.at = local("2026-11-27 11:30");
    change.place = "Main hall".into();
    store.update_appointment(first.id, &change, "Sam Worker", fixed_now()).unwrap();
    change.at = local("2026-11-28 09:15");
    store.update_appointment(first.id, &change, "Sam Worker", fixed_now()).unwrap();
    let r = store.referral(id).unwrap();
    assert_eq!(r.appointments[0].when(), "2026-11-28 09:15");
    assert_eq!(r.appointments[0].place, "Main hall");
    assert_eq!(r.follow_up_on, Some(d("2026-11-28")), "followed up on the appointment's new day");
    let notes: Vec<&str> =
        r.history.iter().filter(|e| e.kind == EventKind::Appointment).map(|e| e.note.as_str()).collect();
    assert_eq!(
        notes[1..],
        [
            "Appointment moved from 2026-11-27 10:00 to 2026-11-27 11:30; place (none) → Main hall",
            "Appointment moved from 2026-11-27 11:30 to 2026-11-28 09:15",
        ]
    );
    assert_eq!(r.status, ReferralStatus::Accepted, "an appointment row does not move the referral");

    // a wrong value is refused at its field and changes nothing
    let bad = AppointmentDetails { transport: "maybe".into(), ..change.clone() };
    let refused = store.update_appointment(first.id, &bad, "Sam Worker", fixed_now());
    assert!(matches!(&refused, Err(StoreError::Invalid(e)) if e[0].field == "transport"), "{refused:?}");
    assert_eq!(store.referral(id).unwrap().history.len(), r.history.len());

    // removed: gone from the list, kept in the history
    let second = store
        .add_appointment(id, &AppointmentDetails::at(local("2026-12-04 14:00")), "Sam Worker", fixed_now())
        .unwrap();
    store.remove_appointment(first.id, "Sam Worker", fixed_now()).unwrap();
    let r = store.referral(id).unwrap();
    assert_eq!(r.appointments.iter().map(|a| a.id).collect::<Vec<_>>(), vec![second]);
    let removed = r.history.last().unwrap();
    assert_eq!(
        (removed.kind, removed.note.as_str()),
        (EventKind::Appointment, "Appointment removed: 2026-11-28 09:15 at Main hall")
    );
    assert_eq!((removed.on, removed.by.as_str()), (today(), "Sam Worker"));
    assert!(matches!(store.appointment(first.id), Err(StoreError::NotFound(_))));
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    assert!(
        tl.iter()
            .any(|e| e.summary.contains("Appointment with Northside Food Bank")
                && e.summary.contains("removed"))
    );

    // a closed referral's appointments stay as they were
    go(&mut store, id, ReferralStatus::Declined, "2026-11-23", "No places left", None).unwrap();
    assert!(matches!(
        store.remove_appointment(second, "Sam Worker", fixed_now()),
        Err(StoreError::Refused(_))
    ));
    assert!(store.update_appointment(second, &change, "Sam Worker", fixed_now()).is_err());
    assert_eq!(store.referral(id).unwrap().appointments.len(), 1);
}

/// The command line: the accept step and `referral appointment add` refuse a day without a
/// time; an appointment is changed and removed by its ref.
#[test]
fn the_command_line_arranges_changes_and_removes_appointments_at_the_time_given() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        let (c, s) = setup(&mut store);
        let id = referral(&mut store, c, s, true);
        go(&mut store, id, ReferralStatus::Sent, "2026-11-16", "", None).unwrap();
    }
    let (code, _, err) =
        cli(&path, &["referral", "status", "R-1", "accepted", "--appointment", "2026-12-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("--appointment") && err.contains("Add the time"), "{err}");
    assert_eq!(
        Store::open(&path).unwrap().referral(1).unwrap().status,
        ReferralStatus::Sent,
        "nothing changed"
    );
    let (code, _, err) =
        cli(&path, &["referral", "status", "R-1", "accepted", "--appointment", "2026-12-01 10:00"]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = cli(&path, &["referral", "list", "Ada", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["appointments"][0]["ref"], "AP-1");
    assert_eq!(v[0]["history"].as_array().unwrap().last().unwrap()["kind"], "appointment");
    let (code, out, err) = cli(
        &path,
        &["referral", "appointment", "edit", "AP-1", "--at", "2026-12-01 11:00", "--place", "Annex"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "AP-1 changed: 2026-12-01 11:00 at Annex");
    let (code, _, err) = cli(&path, &["referral", "appointment", "add", "R-1", "--at", "friday"]);
    assert_eq!(code, 2);
    assert!(err.contains("Add the time"), "{err}");
    let (code, out, err) = cli(&path, &["referral", "appointment", "add", "R-1", "--at", "2026-12-08 14:00"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("AP-2 arranged: 2026-12-08 14:00"), "{out}");
    let (code, out, _) = cli(&path, &["referral", "appointment", "remove", "AP-2"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("AP-2 removed"), "{out}");
    let (code, _, err) = cli(&path, &["referral", "appointment", "remove", "AP-2"]);
    assert_eq!(code, 2, "{err}");
    let r = Store::open(&path).unwrap().referral(1).unwrap();
    assert_eq!(r.appointments.len(), 1);
    assert!(r.history.iter().any(|e| e.note == "Appointment removed: 2026-12-08 14:00"), "{:?}", r.history);
}

/// The accept step asks for the first appointment's day and time: a day alone is refused at the
/// field; on the referral, `m` moves the appointment and `d` then `y` removes it, each a line in
/// the history.
#[test]
fn the_referral_screen_accepts_with_a_timed_appointment_then_moves_and_removes_it() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        let (c, s) = setup(&mut store);
        let id = referral(&mut store, c, s, true);
        go(&mut store, id, ReferralStatus::Sent, "2026-11-16", "", None).unwrap();
    }
    let mut app = clients(&path);
    keys(&mut app, "<enter>r<enter>s");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Referral R-1: sent"), "{s}");
    keys(&mut app, "<right>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Accepted"), "{s}");
    keys(&mut app, "<tab><tab><tab><tab>2026-11-27<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Add the time too"), "{s}");
    assert_eq!(open(&path).referral(1).unwrap().status, ReferralStatus::Sent, "nothing saved");
    keys(&mut app, " 10:00<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▶ 2026-11-27 10:00"), "{s}");
    assert!(!s.contains("09:00"), "{s}");
    keys(&mut app, "m");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Change the appointment of 2026-11-27 10:00"), "{s}");
    keys(&mut app, "friday 11:30<tab>Main hall<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Appointment on 2026-11-27 11:30 changed"), "{s}");
    assert!(s.contains("Appointment moved from 2026-11-27 10:00 to 2026-11-27 11:30"), "{s}");
    insta::assert_snapshot!("referral_appointment_moved_80x24", s);
    keys(&mut app, "d");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Remove the appointment of 2026-11-27 11:30? y removes"), "{s}");
    keys(&mut app, "y");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Appointment of 2026-11-27 11:30 removed"), "{s}");
    assert!(s.contains("none arranged"), "{s}");
    let r = open(&path).referral(1).unwrap();
    assert!(r.appointments.is_empty());
    assert_eq!(r.history.last().unwrap().note, "Appointment removed: 2026-11-27 11:30 at Main hall");
}

/// A referral closed as "no response" that hears back is reopened with a reason, its own
/// recorded move, never one jump to accepted; `referral list --json` carries each referral's
/// history (the reopening with its reason) and appointments (issue 17 point 10).
#[test]
fn a_no_response_referral_is_reopened_with_a_reason_and_the_json_list_shows_its_history() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        let (c, s) = setup(&mut store);
        let id = referral(&mut store, c, s, true);
        go(&mut store, id, ReferralStatus::Sent, "2026-11-02", "", None).unwrap();
        go(&mut store, id, ReferralStatus::NoResponse, "2026-11-16", "", None).unwrap();
    }
    let (code, _, err) = cli(&path, &["referral", "status", "R-1", "accepted"]);
    assert_eq!(code, 2, "no jump straight to accepted");
    assert!(err.contains("cannot be marked"), "{err}");
    let (code, _, err) = cli(&path, &["referral", "status", "R-1", "sent"]);
    assert_eq!(code, 2, "reopening needs a reason");
    assert!(err.contains("--reason") && err.contains("reopened"), "{err}");
    let (code, _, err) =
        cli(&path, &["referral", "status", "R-1", "sent", "--reason", "The intake worker rang back"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        cli(&path, &["referral", "status", "R-1", "accepted", "--appointment", "2026-12-01 10:00"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = cli(&path, &["referral", "list", "Ada", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let history = v[0]["history"].as_array().unwrap();
    let moves: Vec<String> = history
        .iter()
        .filter(|e| e["kind"] == "status")
        .map(|e| format!("{}→{}", e["from"].as_str().unwrap_or(""), e["to"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        moves,
        ["→draft", "draft→sent", "sent→no-response", "no-response→sent", "sent→accepted"],
        "{history:?}"
    );
    let reopened = history.iter().find(|e| e["from"] == "no-response").unwrap();
    assert_eq!(reopened["reason"], "The intake worker rang back");
    assert_eq!(v[0]["appointments"][0]["ref"], "AP-1");
    // the board's --json carries them too
    let (_, out, _) = cli(&path, &["referral", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["history"].as_array().unwrap().len(), history.len());
    assert_eq!(v[0]["appointments"].as_array().unwrap().len(), 1);
    // the referral's history and the timeline say it was reopened
    let store = Store::open(&path).unwrap();
    let tl = store.timeline(1, Default::default(), 50, None).unwrap();
    assert!(
        tl.iter().any(|e| e.summary.contains("reopened after no response: The intake worker rang back")),
        "{tl:?}"
    );
    let mut app = app(&path);
    app.update(caseload::app::message::Message::Referral(caseload::app::message::RefMsg::Open(1))).unwrap();
    let s = screen(&mut app, 100, 40);
    assert!(s.contains("reopened after no response → sent"), "{s}");
}

/// The status form of a no-response referral offers only the reopening, which asks for a
/// reason (issue 17 point 10).
#[test]
fn the_status_form_reopens_a_no_response_referral_with_a_reason() {
    let (_d, path) = temp_db();
    {
        let mut store = Store::open(&path).unwrap();
        let (c, s) = setup(&mut store);
        let id = referral(&mut store, c, s, true);
        go(&mut store, id, ReferralStatus::Sent, "2026-11-02", "", None).unwrap();
        go(&mut store, id, ReferralStatus::NoResponse, "2026-11-16", "", None).unwrap();
    }
    let mut app = app(&path);
    app.update(caseload::app::message::Message::Referral(caseload::app::message::RefMsg::Open(1))).unwrap();
    screen(&mut app, 100, 30);
    keys(&mut app, "s");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Reopened (heard back; sent again)"), "{s}");
    assert!(!s.contains("Accepted"), "{s}");
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Say why the referral is reopened"), "{s}");
    assert_eq!(Store::open(&path).unwrap().referral(1).unwrap().status, ReferralStatus::NoResponse);
    // the refusal put the cursor in the reason
    keys(&mut app, "She rang back on Monday<c-s>");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("reopened; it is sent again"), "{s}");
    let r = Store::open(&path).unwrap().referral(1).unwrap();
    assert_eq!(r.status, ReferralStatus::Sent);
    assert_eq!(r.history.last().unwrap().reason, "She rang back on Monday");
}

/// Issue 19 point 6: the day's referral appointments are Today's diary, in time order, read a
/// page at a time through their index and counted like every rule.
#[test]
fn todays_appointments_are_the_diary_in_time_order() {
    use caseload::domain::due::{arrange, Section};
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, s) = setup(&mut store);
    let id = referral(&mut store, c, s, true);
    go(&mut store, id, ReferralStatus::Sent, "2026-11-16", "", None).unwrap();
    go(&mut store, id, ReferralStatus::Accepted, "2026-11-20", "", Some("2026-11-23")).unwrap();
    let mut early = store.referral(id).unwrap().appointments[0].details();
    early.at = local("2026-11-23 08:30");
    early.place = "Room 2".into();
    store.add_appointment(id, &early, "Sam Worker", fixed_now()).unwrap();
    // tomorrow's is not today's diary
    early.at = local("2026-11-24 09:00");
    store.add_appointment(id, &early, "Sam Worker", fixed_now()).unwrap();
    let settings = store.settings().unwrap();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let all = crate::common::due_checked(&store, &ctx);
    let diary: Vec<String> = arrange(all, today(), settings.overdue_horizon_days)
        .into_iter()
        .filter(|(s, _)| *s == Section::Diary)
        .map(|(_, i)| i.title)
        .collect();
    assert_eq!(diary.len(), 2, "{diary:?}");
    assert!(diary[0].starts_with("08:30 Appointment with ") && diary[0].ends_with("(Room 2)"), "{diary:?}");
    assert!(diary[1].starts_with("10:00 Appointment with "), "{diary:?}");
    let rule = caseload::store::due::RULES.iter().find(|(n, _)| *n == "appointment").unwrap().1;
    let page = rule(&store, &ctx, 1).unwrap();
    assert_eq!(page.len(), 1);
    assert!(page[0].title.starts_with("08:30"), "{page:?}");
    let plan = crate::common::query_plan(
        &path,
        "SELECT a.id FROM appointments a WHERE a.at >= ?1 AND a.at < ?2 ORDER BY a.at",
        rusqlite::params!["2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"],
    );
    assert!(plan.iter().any(|p| p.contains("appointments_by_at")), "{plan:?}");
}
