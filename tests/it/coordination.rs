//! Coordination and advocacy against a real temporary database, and its screens.

use crate::common::*;
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::coordination::{
    validate_advocacy, validate_conference, validate_consent, validate_mandated, validate_transition,
    AdvocacyInput, ConferenceInput, ConsentInput, MandatedInput, TransitionInput,
};
use caseload::domain::people::{validate_person, PersonInput};
use caseload::store::due::DueContext;
use caseload::store::people::Links;
use caseload::store::{Store, StoreError};
use crossterm::event::KeyCode;

fn with_client(store: &mut Store) -> i64 {
    let c = validate_intake(
        &IntakeInput {
            given_name: "Ada".into(),
            family_name: "Example".into(),
            intake_date: "2026-11-20".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_client(&c, fixed_now()).unwrap()
}

fn gp(store: &mut Store, c: i64) -> i64 {
    let p = validate_person(
        &PersonInput {
            name: "Dr Anika Rao".into(),
            relation: "professional".into(),
            role: "GP".into(),
            organisation: "Northside Surgery".into(),
            tie_strength: "strong".into(),
            support_flow: "to-client".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_person(c, &p, &Links::default(), fixed_now()).unwrap()
}

fn due_rules(store: &Store) -> Vec<(String, String)> {
    let settings = store.settings().unwrap();
    store
        .due_items(&DueContext { now: fixed_now(), today: today(), settings: &settings })
        .unwrap()
        .into_iter()
        .map(|i| (i.rule.to_string(), i.title))
        .collect()
}

#[test]
fn consents_link_to_people_and_expire_onto_today() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let rao = gp(&mut store, c);
    assert!(store.usable_consent(c, Some(rao), "Dr Anika Rao", "", today()).unwrap().is_none());
    let d = validate_consent(
        &ConsentInput {
            to_name: "dr anika rao".into(),
            covers: "medical history".into(),
            signed_on: "2026-06-01".into(),
            expires_on: "2026-12-10".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let id = store.add_consent(c, &d, None, fixed_now()).unwrap();
    let saved = store.consent(id).unwrap();
    assert_eq!(saved.person_id, Some(rao), "the name typed links to the person recorded");
    assert!(store.usable_consent(c, Some(rao), "", "medical history", today()).unwrap().is_some());
    assert!(
        store.usable_consent(c, Some(rao), "", "housing", today()).unwrap().is_none(),
        "covers only what it says"
    );
    let due = due_rules(&store);
    assert!(due.iter().any(|(r, t)| r == "consent" && t.contains("valid until 2026-12-10")), "{due:?}");
    // withdrawn: nothing more may be shared and it leaves Today
    store.withdraw_consent(id, today(), "changed her mind", fixed_now()).unwrap();
    assert!(store.usable_consent(c, Some(rao), "", "", today()).unwrap().is_none());
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "consent"));
    assert!(store.withdraw_consent(id, today(), "", fixed_now()).is_err(), "only once");
    // an expired one shows until renewed or let lapse
    let old = validate_consent(
        &ConsentInput {
            to_name: "Northside Surgery".into(),
            signed_on: "2026-01-01".into(),
            expires_on: "2026-11-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let old = store.add_consent(c, &old, None, fixed_now()).unwrap();
    assert!(due_rules(&store)
        .iter()
        .any(|(r, t)| r == "consent" && t.contains("expired (last day 2026-11-01)")));
    store.let_consent_lapse(old, fixed_now()).unwrap();
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "consent"));
}

#[test]
fn a_conference_with_action_items_feeds_today_and_the_timeline() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let rao = gp(&mut store, c);
    let d = validate_conference(
        &ConferenceInput {
            held_at: "2026-11-22 10:00".into(),
            purpose: "Discharge planning".into(),
            attendees: "Dr Anika Rao\nSam (housing)".into(),
            minutes: "Agreed a plan for the first week home.".into(),
            actions: "Sam: book the home visit by 2026-11-25\nPractitioner: call the pharmacy by +30d".into(),
            ..Default::default()
        },
        fixed_now(),
        today(),
    )
    .unwrap();
    let id = store.add_conference(c, &d, fixed_now()).unwrap();
    let conf = store.conference(id).unwrap();
    assert_eq!(conf.attendees[0].person_id, Some(rao), "an attendee recorded as a person is linked");
    assert_eq!(conf.attendees[1].person_id, None);
    assert_eq!(conf.actions.len(), 2);
    let due = due_rules(&store);
    assert!(due.iter().any(|(r, t)| r == "action-item" && t.contains("Sam: book the home visit")), "{due:?}");
    assert!(!due.iter().any(|(_, t)| t.contains("pharmacy")), "not due within the week");
    let tl = store.timeline(c, Default::default(), 20, None).unwrap();
    assert!(tl
        .iter()
        .any(|e| e.kind == "conference" && e.record_kind.map(|k| k.as_str()) == Some("conference")));
    assert_eq!(
        store.search("pharmacy", &Default::default(), 5).unwrap().len(),
        0,
        "action items are not minutes"
    );
    assert_eq!(store.search("week home", &Default::default(), 5).unwrap()[0].kind.as_str(), "conference");
    store.complete_action(conf.actions[0].id, fixed_now()).unwrap();
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "action-item"));
    assert!(matches!(store.complete_action(conf.actions[0].id, fixed_now()), Err(StoreError::Refused(_))));
}

#[test]
fn transitions_advocacy_and_reports() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    let t = validate_transition(
        &TransitionInput {
            kind: "hospital-discharge".into(),
            on_date: "2026-11-20".into(),
            from_service: "City Hospital".into(),
            to_service: "home".into(),
            handed_over: "Medication list".into(),
            follow_up_on: "2026-11-24".into(),
        },
        today(),
    )
    .unwrap();
    let tid = store.add_transition(c, &t, fixed_now()).unwrap();
    assert!(due_rules(&store).iter().any(|(r, _)| r == "transition"));
    store.complete_transition_follow_up(tid, fixed_now()).unwrap();
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "transition"));

    let a = validate_advocacy(
        &AdvocacyInput {
            barrier: "Benefit stopped after a missed letter".into(),
            target: "benefits office".into(),
            deadline: "2026-11-26".into(),
            first_action: "Asked for a mandatory reconsideration.".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let aid = store.add_advocacy(c, &a, fixed_now()).unwrap();
    assert!(due_rules(&store).iter().any(|(r, t)| r == "advocacy" && t.contains("benefits office")));
    store.add_advocacy_action(aid, today(), "Phoned; appeal registered.", fixed_now()).unwrap();
    assert!(matches!(
        store.add_advocacy_action(aid, today(), "  ", fixed_now()),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.advocacy_item(aid).unwrap().actions.len(), 2);
    store.close_advocacy(aid, "Benefit restored with back pay.", fixed_now()).unwrap();
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "advocacy"));

    let m = validate_mandated(
        &MandatedInput {
            kind: "child-protection".into(),
            agency: "Children's Services".into(),
            reported_at: "2026-11-23 09:30".into(),
            reference_number: "CS-12345".into(),
            what_reported: "Children left alone overnight.".into(),
            reported_by: "Sam Worker".into(),
        },
        fixed_now(),
    )
    .unwrap();
    let mid = store.add_mandated_report(c, &m, fixed_now()).unwrap();
    // never editable after saving, not even with SQL: only addenda
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(conn.execute("UPDATE mandated_reports SET what_reported = 'x' WHERE id = ?1", [mid]).is_err());
    assert!(conn.execute("DELETE FROM mandated_reports WHERE id = ?1", [mid]).is_err());
    store.add_mandated_addendum(mid, "Duty social worker called back.", "Sam Worker", fixed_now()).unwrap();
    let r = store.mandated_report(mid).unwrap();
    assert_eq!(r.what_reported, "Children left alone overnight.");
    assert_eq!(r.addenda.len(), 1);
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    for kind in ["transition", "advocacy", "report"] {
        assert!(tl.iter().any(|e| e.kind == kind), "{kind} on the timeline");
    }
}

fn seed(path: &std::path::Path) {
    let mut store = open(path);
    let c = with_client(&mut store);
    gp(&mut store, c);
    let mum = validate_person(
        &PersonInput {
            name: "Rosa".into(),
            relation: "mother".into(),
            sex: "female".into(),
            in_household: "yes".into(),
            tie_strength: "stressful".into(),
            support_flow: "both".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_person(c, &mum, &Links::default(), fixed_now()).unwrap();
    for (name, relation, role) in [
        ("Lena", "sibling", ""),
        ("Max", "friend", ""),
        ("Ms Ortiz", "teacher / school", "class teacher"),
        ("Mr Price", "landlord", "landlord"),
        ("Jo Whitfield", "professional", "probation officer"),
        ("City Housing", "agency worker", "housing officer"),
    ] {
        let p = validate_person(
            &PersonInput {
                name: name.into(),
                relation: relation.into(),
                role: role.into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        store.add_person(c, &p, &Links::default(), fixed_now()).unwrap();
    }
}

#[test]
fn the_ecomap_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('m'));
    let s = screen(&mut app, 80, 24);
    for name in ["Ada", "Rosa", "Dr Anika", "strong", "stressful"] {
        assert!(s.contains(name), "{name}: {s}");
    }
    insta::assert_snapshot!("ecomap_80x24", s);
    insta::assert_snapshot!("ecomap_140x40", screen(&mut app, 140, 40));
}

#[test]
fn coordination_tabs_and_a_conference_warning_about_consent() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('C'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("1 Consents") && s.contains("No consents recorded"), "{s}");
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Discharge planning");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Dr Anika Rao");
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "Sam: book the home visit by tomorrow");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("No valid consent to share information with: Dr Anika Rao"), "{s}");
    assert_eq!(open(&path).conferences(1).unwrap().len(), 0, "warned, not saved yet");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Case conference CC-1"), "{s}");
    assert!(s.contains("no valid consent to share with them"), "{s}");
    insta::assert_snapshot!("conference_80x24", s);
    key(&mut app, KeyCode::Char('t'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Action Sam: book the home visit"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    assert!(open(&path).open_actions(1).unwrap().is_empty(), "x on Today marks it done");
}

fn nasty_cases() -> Vec<(String, String)> {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).expect("fixture parses");
    fixtures
        .as_array()
        .unwrap()
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

fn clean(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn nasty_input_in_every_coordination_and_referral_field_is_stored_clean_or_refused() {
    use caseload::domain::referral::{validate_referral, ReferralInput};
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = with_client(&mut store);
    for (label, text) in nasty_cases() {
        // consents
        for field in ["to_name", "covers", "expires_on"] {
            let mut i = ConsentInput {
                to_name: "Dr Rao".into(),
                expires_on: "2027-01-01".into(),
                ..Default::default()
            };
            match field {
                "to_name" => i.to_name = text.clone(),
                "covers" => i.covers = text.clone(),
                _ => i.expires_on = text.clone(),
            }
            let before = store.consents(c).unwrap().len();
            match validate_consent(&i, today()) {
                Ok(d) => {
                    let id = store.add_consent(c, &d, None, fixed_now()).unwrap();
                    let back = store.consent(id).unwrap();
                    assert!(clean(&back.to) && clean(&back.covers), "{label} in {field}");
                }
                Err(e) => {
                    assert!(e.iter().any(|e| e.field == field), "{label} in {field}: {e:?}");
                    assert_eq!(store.consents(c).unwrap().len(), before);
                }
            }
        }
        // conferences: purpose, attendees, minutes, action lines
        for field in ["purpose", "attendees", "minutes", "actions"] {
            let mut i = ConferenceInput {
                held_at: "2026-11-22 10:00".into(),
                purpose: "Review".into(),
                ..Default::default()
            };
            match field {
                "purpose" => i.purpose = text.clone(),
                "attendees" => i.attendees = text.clone(),
                "minutes" => i.minutes = text.clone(),
                _ => i.actions = text.clone(),
            }
            match validate_conference(&i, fixed_now(), today()) {
                Ok(d) => {
                    let id = store.add_conference(c, &d, fixed_now()).unwrap();
                    let back = store.conference(id).unwrap();
                    assert!(clean(&back.purpose) && clean(&back.minutes), "{label} in {field}");
                    assert!(back.attendees.iter().all(|a| clean(&a.name) && !a.name.is_empty()), "{label}");
                    assert!(back.actions.iter().all(|a| clean(&a.text) && clean(&a.owner)), "{label}");
                }
                Err(e) => assert!(e.iter().any(|e| e.field == field), "{label} in {field}: {e:?}"),
            }
        }
        // advocacy and mandated reports
        let a = AdvocacyInput { barrier: text.clone(), target: text.clone(), ..Default::default() };
        match validate_advocacy(&a, today()) {
            Ok(d) => {
                let id = store.add_advocacy(c, &d, fixed_now()).unwrap();
                let back = store.advocacy_item(id).unwrap();
                assert!(clean(&back.barrier) && clean(&back.target), "{label}");
            }
            Err(e) => assert!(!e.is_empty(), "{label}"),
        }
        let m = MandatedInput {
            kind: "adult-protection".into(),
            agency: "Adult Services".into(),
            reported_at: "2026-11-23 09:00".into(),
            what_reported: text.clone(),
            reported_by: "Sam".into(),
            ..Default::default()
        };
        if let Ok(d) = validate_mandated(&m, fixed_now()) {
            let id = store.add_mandated_report(c, &d, fixed_now()).unwrap();
            assert!(clean(&store.mandated_report(id).unwrap().what_reported), "{label}");
        }
        // referrals
        for field in ["provider", "need", "info_shared", "follow_up_on"] {
            let mut i =
                ReferralInput { provider: "Westside".into(), need: "food".into(), ..Default::default() };
            match field {
                "provider" => i.provider = text.clone(),
                "need" => i.need = text.clone(),
                "info_shared" => i.info_shared = text.clone(),
                _ => i.follow_up_on = text.clone(),
            }
            match validate_referral(&i, false, today()) {
                Ok(details) => {
                    let n = caseload::store::referrals::NewReferral { details, ..Default::default() };
                    let id = store.add_referral(c, &n, "Sam", fixed_now()).unwrap();
                    let back = store.referral(id).unwrap();
                    assert!(
                        clean(&back.provider) && clean(&back.need) && clean(&back.info_shared),
                        "{label} in {field}"
                    );
                }
                Err(e) => assert!(e.iter().any(|e| e.field == field), "{label} in {field}: {e:?}"),
            }
        }
    }
}

/// Issue 17 point 6: someone recorded as deceased is not drawn as a living tie on the ecomap;
/// they are named apart and stay on the genogram.
#[test]
fn a_deceased_relative_is_not_a_living_tie_on_the_ecomap() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut store = open(&path);
    let grandad = validate_person(
        &PersonInput {
            name: "Walter".into(),
            relation: "grandparent".into(),
            sex: "male".into(),
            deceased: "yes".into(),
            tie_strength: "strong".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_person(1, &grandad, &Links::default(), fixed_now()).unwrap();
    drop(store);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('m'));
    let s = screen(&mut app, 140, 40);
    let map: Vec<&str> = s.lines().take_while(|l| !l.contains("═══ strong")).collect();
    assert!(!map.join("\n").contains("Walter"), "not drawn as a tie: {s}");
    assert!(s.contains("✝ deceased, not drawn as ties (see the genogram): Walter (grandparent)"), "{s}");
    key(&mut app, KeyCode::Char('g'));
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("Walter"), "on the genogram: {s}");
}
