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
    crate::common::due_checked(
        store,
        &DueContext { now: fixed_now(), today: today(), settings: &settings, since: None },
    )
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
    store.withdraw_consent(id, today(), "changed her mind", "Sam Worker", fixed_now()).unwrap();
    assert!(store.usable_consent(c, Some(rao), "", "", today()).unwrap().is_none());
    assert!(!due_rules(&store).iter().any(|(r, _)| r == "consent"));
    assert!(store.withdraw_consent(id, today(), "", "Sam Worker", fixed_now()).is_err(), "only once");
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

/// A client's referral to the food bank, sent under the consent given with it; a worker there
/// recorded as a contact; a conference she attended with an action still open; and, apart, a
/// consent to the GP that nothing else relies on. Returns (client, referral, consent, worker).
fn shared_under_a_consent(store: &mut Store) -> (i64, i64, i64, i64) {
    use caseload::domain::consent::Consent;
    use caseload::domain::coordination::ConsentDraft;
    use caseload::domain::referral::{ReferralDetails, ReferralStatus};
    use caseload::store::referrals::NewReferral;
    let c = with_client(store);
    gp(store, c);
    let p = validate_person(
        &PersonInput {
            name: "Maya Lind".into(),
            relation: "professional".into(),
            role: "intake worker".into(),
            organisation: "Northside Food Bank".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let maya = store.add_person(c, &p, &Links::default(), fixed_now()).unwrap();
    let n = NewReferral {
        details: ReferralDetails {
            provider: "Northside Food Bank".into(),
            need: "food parcels".into(),
            info_shared: "name, address".into(),
            ..Default::default()
        },
        consent: Some(ConsentDraft {
            consent: Consent {
                to_name: "Northside Food Bank".into(),
                covers: vec!["name, address".into()],
                signed_on: Some(today()),
                expires_on: today().checked_add_days(chrono::Days::new(365)),
                revoked_on: None,
            },
            notes: "Given with a referral.".into(),
        }),
        ..Default::default()
    };
    let r = store.add_referral(c, &n, "Sam Worker", fixed_now()).unwrap();
    store
        .change_referral_status(
            r,
            ReferralStatus::Sent,
            today(),
            "",
            "",
            None,
            None,
            "Sam Worker",
            fixed_now(),
        )
        .unwrap();
    let consent = store.referral(r).unwrap().consent_id.unwrap();
    let d = validate_conference(
        &ConferenceInput {
            held_at: "2026-11-23 09:00".into(),
            purpose: "Food and housing".into(),
            attendees: "Maya Lind\nDr Anika Rao".into(),
            actions: "Maya: confirm the first parcel by +7d".into(),
            ..Default::default()
        },
        fixed_now(),
        today(),
    )
    .unwrap();
    store.add_conference(c, &d, fixed_now()).unwrap();
    let gp_consent = validate_consent(
        &ConsentInput {
            to_name: "Dr Anika Rao".into(),
            signed_on: "2026-11-20".into(),
            expires_on: "2027-11-20".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_consent(c, &gp_consent, None, fixed_now()).unwrap();
    (c, r, consent, maya)
}

/// Withdrawing a consent follows the information: every open referral sent under it, live
/// conference share and contact that relied on it is listed, put on Today until done, and the
/// referral's history records it (issue 17 point 4).
#[test]
fn withdrawing_a_consent_lists_what_relied_on_it_on_today_and_the_referral() {
    use caseload::domain::referral::ReferralStatus;
    use caseload::store::referrals::EventKind;
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, r, consent, maya) = shared_under_a_consent(&mut store);
    let rc = format!("RI-{consent}");
    let maya_ref = caseload::domain::people::person_ref(maya);
    assert!(!due_rules(&store).iter().any(|(rule, _)| rule == "consent-withdrawn"));
    let relied = store
        .withdraw_consent(consent, today(), "She wants to ask herself", "Sam Worker", fixed_now())
        .unwrap();
    let refs: Vec<&str> = relied.iter().map(|x| x.reference()).collect();
    assert_eq!(refs, [format!("R-{r}").as_str(), "CC-1", maya_ref.as_str()], "{relied:?}");
    let expected = [
        format!("Consent {rc} withdrawn: R-{r} was sent under it — tell the provider"),
        format!(
            "Consent {rc} withdrawn: Maya Lind shares in conference CC-1 under it — tell them, share no more"
        ),
        format!("Consent {rc} withdrawn: tell Maya Lind ({maya_ref}) nothing more will be shared"),
    ];
    let lines: Vec<String> = relied.iter().map(|x| x.line(&rc)).collect();
    assert_eq!(lines, expected);
    // each is on Today, overdue from the day of the withdrawal
    let mut on_today: Vec<String> = due_rules(&store)
        .into_iter()
        .filter(|(rule, _)| rule == "consent-withdrawn")
        .map(|(_, t)| t)
        .collect();
    on_today.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(on_today, want);
    // the referral is still sent, and its history says the consent went
    let referral = store.referral(r).unwrap();
    assert_eq!(referral.status, ReferralStatus::Sent);
    let last = referral.history.last().unwrap();
    assert_eq!(last.kind, EventKind::Consent);
    assert!(last.note.contains(&format!("Consent {rc} withdrawn by the client")), "{last:?}");
    assert_eq!((last.reason.as_str(), last.by.as_str()), ("She wants to ask herself", "Sam Worker"));
    // the timeline says what relied on it
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    assert!(tl.iter().any(|e| e.summary.contains("withdrawn by the client; relied on by")), "{tl:?}");
    // the GP's consent: no referral went under it, but she attended the live conference
    let gp_consent = store.consents(c).unwrap().into_iter().find(|x| x.to == "Dr Anika Rao").unwrap();
    let gp_relied = store.withdraw_consent(gp_consent.id, today(), "", "Sam Worker", fixed_now()).unwrap();
    let gp_refs: Vec<&str> = gp_relied.iter().map(|x| x.reference()).collect();
    assert_eq!(gp_refs.len(), 2, "{gp_refs:?}");
    assert_eq!(gp_refs[0], "CC-1");
    // done: it leaves Today
    let settings = store.settings().unwrap();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let item = crate::common::due_checked(&store, &ctx)
        .into_iter()
        .find(|i| i.rule == "consent-withdrawn" && i.title.contains("R-"))
        .unwrap();
    store.reliance_told(item.record_id.unwrap(), fixed_now()).unwrap();
    let left: Vec<String> = due_rules(&store)
        .into_iter()
        .filter(|(rule, _)| rule == "consent-withdrawn")
        .map(|(_, t)| t)
        .collect();
    assert!(!left.iter().any(|t| t.contains(&format!("R-{r} was sent"))), "{left:?}");
    assert!(store.reliance_told(item.record_id.unwrap(), fixed_now()).is_err(), "only once");
}

/// The Today rule reads a page that is the head of its full list.
#[test]
fn the_consent_withdrawal_rule_pages_as_its_full_list_begins() {
    let (_d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let (c, _, consent, _) = shared_under_a_consent(&mut store);
    // the GP's consent (signed 2026-11-20) withdrawn two days ago, the food bank's today
    let gp_consent = store.consents(c).unwrap().into_iter().find(|x| x.to == "Dr Anika Rao").unwrap();
    store
        .withdraw_consent(gp_consent.id, today() - chrono::Duration::days(2), "", "Sam Worker", fixed_now())
        .unwrap();
    store.withdraw_consent(consent, today(), "", "Sam Worker", fixed_now()).unwrap();
    let (_, _, consent2, _) = shared_under_a_consent(&mut store);
    store.withdraw_consent(consent2, today(), "", "Sam Worker", fixed_now()).unwrap();
    let settings = store.settings().unwrap();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let rule = caseload::store::due::RULES.iter().find(|(n, _)| *n == "consent-withdrawn").unwrap().1;
    let full = rule(&store, &ctx, -1).unwrap();
    assert!(full.len() >= 5, "{full:?}");
    for n in 1..full.len() {
        let page = rule(&store, &ctx, n as i64).unwrap();
        assert_eq!(page, full[..n].to_vec(), "page of {n}");
    }
    assert!(full[0].due_on < full[full.len() - 1].due_on, "oldest first");
}

/// `consent withdraw` says what relied on the consent; Today shows each, and `x` marks one
/// done (issue 17 point 4).
#[test]
fn the_command_line_lists_what_relied_on_a_withdrawn_consent_and_today_marks_it_done() {
    let (_d, path) = temp_db();
    let (r, consent) = {
        let mut store = Store::open(&path).unwrap();
        let (_, r, consent, _) = shared_under_a_consent(&mut store);
        (r, consent)
    };
    let rc = format!("RI-{consent}");
    let out =
        caseload(&path, &["consent", "withdraw", &rc, "--on", "2026-11-23", "--reason", "changed her mind"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains(&format!("{rc} withdrawn on 2026-11-23")), "{text}");
    assert!(text.contains("3 records relied on it; each is on Today"), "{text}");
    assert!(text.contains(&format!("R-{r} was sent under it — tell the provider")), "{text}");
    let mut app = app(&path);
    let s = screen(&mut app, 120, 30);
    assert!(s.contains(&format!("Consent {rc} withdrawn: R-{r} was sent under it")), "{s}");
    let line = s.lines().position(|l| l.contains(&format!("R-{r} was sent under it"))).unwrap();
    let first = s.lines().position(|l| l.contains('▶')).unwrap();
    for _ in first..line {
        keys(&mut app, "j");
    }
    keys(&mut app, "x");
    let s = screen(&mut app, 120, 30);
    assert!(!s.contains(&format!("R-{r} was sent under it")), "{s}");
    assert!(s.contains("they were told the consent is withdrawn"), "{s}");
    assert!(s.contains("Maya Lind"), "the others stay: {s}");
    // the exported file says what relied on it and what was done, and the referral's history
    let out = caseload(&path, &["export", "C-0001", "--format", "md"]);
    let md = stdout(&out);
    assert!(
        md.contains(&format!(
            "  - Consent {rc} withdrawn: R-{r} was sent under it — tell the provider (done "
        )),
        "{md}"
    );
    assert!(
        md.contains("shares in conference CC-1 under it — tell them, share no more (not yet done)"),
        "{md}"
    );
    assert!(
        md.contains(&format!("Consent {rc} withdrawn by the client: nothing more may be shared")),
        "{md}"
    );
    assert!(!md.contains("consent_reliances"), "not printed field by field: {md}");
}

/// The withdrawal form says what relied on the consent and that each is on Today (issue 17
/// point 4).
#[test]
fn the_withdrawal_form_names_what_relied_on_the_consent() {
    let (_d, path) = temp_db();
    let r = {
        let mut store = Store::open(&path).unwrap();
        shared_under_a_consent(&mut store).1
    };
    let mut app = clients(&path);
    keys(&mut app, "<enter>C");
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Northside Food Bank"), "{s}");
    keys(&mut app, "w");
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 160, 30);
    assert!(
        s.contains(&format!("nothing more may be shared under it. 3 records relied on it (R-{r}, CC-1, P-")),
        "{s}"
    );
    assert!(s.contains("each is on Today"), "{s}");
}
