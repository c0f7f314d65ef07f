//! A synthetic client with something in every phase and something still open, for the closure,
//! export and transfer tests. Every person here is made up.
#![allow(dead_code)]

use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::coordination::{
    validate_advocacy, validate_conference, validate_consent, validate_mandated, validate_transition,
    AdvocacyInput, ConferenceInput, ConsentInput, MandatedInput, TransitionInput,
};
use caseload::domain::instruments::{builtin, find, parse_answer_list};
use caseload::domain::note::{validate_note, NoteInput};
use caseload::domain::people::{validate_person, PersonInput};
use caseload::domain::plan::{read_goal, read_step, GoalInput, StepInput};
use caseload::store::people::Links;
use caseload::store::Store;
use chrono::Duration;

pub use crate::common::{d, fixed_now as now, today};

/// Sets the practitioner's name: closing summaries and notes are signed with it.
pub fn sign_as(store: &mut Store, name: &str) {
    let mut s = store.settings().unwrap();
    s.practitioner_name = name.into();
    store.save_settings(&s).unwrap();
}

pub fn add_client(store: &mut Store, given: &str, family: &str, intake: &str) -> i64 {
    let c = validate_intake(
        &IntakeInput {
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: "1980-04-02".into(),
            phone: "555-0100".into(),
            intake_date: intake.into(),
            referral_source: "GP".into(),
            referral_reason: "Rent arrears after losing work.\nTwo children at home.".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_client(&c, now() - Duration::days(60)).unwrap()
}

pub fn note(store: &mut Store, c: i64, at: &str, kind: &str, minutes: &str, body: &str) -> i64 {
    let n = validate_note(
        &NoteInput {
            contact_at: at.into(),
            contact_type: kind.into(),
            duration_minutes: minutes.into(),
            template: "free".into(),
            body: body.into(),
            ..Default::default()
        },
        now(),
        today(),
    )
    .unwrap();
    store.add_note(c, &n, now()).unwrap()
}

/// Ids of what the rich client has open.
pub struct Rich {
    pub client: i64,
    pub active_goal: i64,
    pub proposed_goal: i64,
    pub action_item: i64,
    pub advocacy: i64,
    pub alert: i64,
    pub unsigned_note: i64,
    pub signed_note: i64,
    pub error_note: i64,
}

/// A client with notes (signed, unsigned, one entered in error, one with an addendum), a
/// person, a consent, an assessment-free but screened record (PHQ-9 twice, the second raising
/// a safety alert), goals (active with a step and progress, proposed), a conference with an
/// action item, a transition, an advocacy item and a mandated report.
pub fn rich_client(store: &mut Store, given: &str) -> Rich {
    sign_as(store, "Sam Worker, MSW");
    let c = add_client(store, given, "Example", "2026-03-02");
    let signed_note =
        note(store, c, "2026-03-03 10:00", "home-visit", "60", "First visit. Rent arrears of two months.");
    store.sign_note(signed_note, "Sam Worker, MSW", now()).unwrap();
    store
        .add_addendum(signed_note, "The arrears are three months, not two.", "Sam Worker, MSW", now())
        .unwrap();
    let error_note =
        note(store, c, "2026-04-10 09:00", "phone", "10", "Wrong client: this call was about someone else.");
    store.mark_note_in_error(error_note, "Written on the wrong client", None, now()).unwrap();
    let unsigned_note = note(store, c, "2026-11-20 14:30", "phone", "20", "Called about the tenancy letter.");

    let p = validate_person(
        &PersonInput {
            name: "Dr Anika Rao".into(),
            relation: "professional".into(),
            role: "GP".into(),
            organisation: "Northside Surgery".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let gp = store.add_person(c, &p, &Links::default(), now()).unwrap();
    let consent = validate_consent(
        &ConsentInput {
            to_name: "Dr Anika Rao".into(),
            signed_on: "2026-03-03".into(),
            expires_on: "2027-03-03".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_consent(c, &consent, Some(gp), now()).unwrap();

    let all = builtin().unwrap();
    let phq9 = find(&all, "phq9").unwrap();
    store
        .add_screening(
            c,
            phq9,
            &parse_answer_list(phq9, "2,2,2,2,2,2,2,2,0").unwrap(),
            d("2026-03-05"),
            "",
            now(),
        )
        .unwrap();
    store
        .add_screening(
            c,
            phq9,
            &parse_answer_list(phq9, "1,1,1,1,1,0,0,0,1").unwrap(),
            d("2026-10-01"),
            "",
            now(),
        )
        .unwrap();
    let alert = store.alerts(c).unwrap().into_iter().find(|a| a.acknowledged_at.is_none()).unwrap().id;

    let goal = |statement: &str, status: &str| {
        let r = read_goal(
            &GoalInput {
                statement: statement.into(),
                what: "months of rent paid on time".into(),
                unit: "months".into(),
                baseline: "0".into(),
                target: "6".into(),
                who_agreed: "client".into(),
                why_it_matters: "to keep the flat".into(),
                start: "2026-03-10".into(),
                target_date: "2027-03-10".into(),
                status: status.into(),
                ..Default::default()
            },
            today(),
            &[("phq9", "PHQ-9")],
            true,
            true,
        );
        r.goal.unwrap()
    };
    let step = read_step(
        &StepInput {
            text: "Ask the landlord for a payment plan".into(),
            owner: "client".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let active_goal = store
        .add_goal(c, &goal("Pay the rent on time", "active"), &[step], "Sam Worker, MSW", now())
        .unwrap();
    let progress = caseload::domain::plan::read_progress(
        &caseload::domain::plan::ProgressInput {
            on: "2026-09-01".into(),
            value: "3".into(),
            note: "Three months paid".into(),
        },
        today(),
        false,
    )
    .unwrap();
    store.add_progress(active_goal, &progress, now()).unwrap();
    let proposed_goal =
        store.add_goal(c, &goal("Find work near home", "proposed"), &[], "Sam Worker, MSW", now()).unwrap();

    let conf = validate_conference(
        &ConferenceInput {
            held_at: "2026-11-10 10:00".into(),
            purpose: "Tenancy planning".into(),
            attendees: "Dr Anika Rao\nLee (housing)".into(),
            minutes: "Agreed to write to the landlord.".into(),
            actions: "Lee: send the tenancy letter by 2026-11-30".into(),
            ..Default::default()
        },
        now(),
        today(),
    )
    .unwrap();
    let conf_id = store.add_conference(c, &conf, now()).unwrap();
    let action_item = store.conference(conf_id).unwrap().actions[0].id;
    let t = validate_transition(
        &TransitionInput {
            kind: "hospital-discharge".into(),
            on_date: "2026-06-01".into(),
            from_service: "City Hospital".into(),
            to_service: "home".into(),
            handed_over: "Medication list".into(),
            follow_up_on: String::new(),
        },
        today(),
    )
    .unwrap();
    store.add_transition(c, &t, now()).unwrap();
    let a = validate_advocacy(
        &AdvocacyInput {
            barrier: "Housing benefit stopped".into(),
            target: "benefits office".into(),
            deadline: "2026-12-15".into(),
            first_action: "Asked for a reconsideration.".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let advocacy = store.add_advocacy(c, &a, now()).unwrap();
    let m = validate_mandated(
        &MandatedInput {
            kind: "child-protection".into(),
            agency: "Children's Services".into(),
            reported_at: "2026-05-02 09:30".into(),
            reference_number: "CS-12345".into(),
            what_reported: "Children left alone overnight.".into(),
            reported_by: "Sam Worker".into(),
        },
        now(),
    )
    .unwrap();
    let mid = store.add_mandated_report(c, &m, now()).unwrap();
    store.add_mandated_addendum(mid, "Duty social worker called back.", "Sam Worker", now()).unwrap();
    Rich {
        client: c,
        active_goal,
        proposed_goal,
        action_item,
        advocacy,
        alert,
        unsigned_note,
        signed_note,
        error_note,
    }
}
