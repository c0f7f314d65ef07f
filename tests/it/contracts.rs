//! Contracts that hold for every screen and every form: each footer hint is a key bound where
//! the screen looks keys up, and every kind of draft a form leaves can be resumed after a
//! crash with what was typed.

use std::collections::HashMap;

use caseload::app::message::{AssessMsg, CloseMsg, CoordForm, CoordMsg, Message, PlanMsg, RefMsg};
use caseload::app::App;
use caseload::domain::assessment::{validate_assessment, AssessmentInput, RiskArea};
use caseload::domain::closure::{CloseDetails, ClosureReason};
use caseload::domain::directory::{validate_service, ServiceInput};
use caseload::domain::draft::DraftKind;
use caseload::keymap::binding;
use caseload::store::Store;
use caseload::ui::widgets::form::FieldKind;
use crossterm::event::Event;

use crate::close_fixture::{add_client, d, now, rich_client, today};
use crate::common::temp_db;

/// What the fixture holds, by name.
struct Ids {
    client: i64,
    other: i64,
    closed: i64,
    goal: i64,
    step: i64,
    unsigned_note: i64,
    signed_note: i64,
    alert: i64,
    advocacy: i64,
    person: i64,
    flag: i64,
    assessment: i64,
    service: i64,
}

fn fixture(store: &mut Store) -> Ids {
    let r = rich_client(store, "Robin");
    let other = add_client(store, "Ada", "Sample", "2026-10-01");
    let closed = add_client(store, "Blessing", "Sample", "2026-09-01");
    let details = CloseDetails {
        reason: ClosureReason::GoalsMet,
        reason_note: String::new(),
        closed_on: d("2026-11-20"),
        follow_up_on: None,
        follow_up_plan: String::new(),
    };
    store.close_case(closed, &details, &[], "Summary of a short episode.", "Sam Worker, MSW", now()).unwrap();
    let input = AssessmentInput {
        assessed_on: "2026-11-01".into(),
        risks: vec![(RiskArea::ALL[0], "high".into(), "Safety plan agreed.".into())],
        ..Default::default()
    };
    let assessment =
        store.add_assessment(r.client, &validate_assessment(&input, today()).unwrap(), None, now()).unwrap();
    let flag = store.risk_flags(r.client).unwrap()[0].id;
    let service = store
        .add_service(
            &validate_service(
                &ServiceInput {
                    organisation: "Riverside Food Bank".into(),
                    name: "Emergency food parcels".into(),
                    ..Default::default()
                },
                today(),
            )
            .unwrap(),
            now(),
        )
        .unwrap();
    Ids {
        client: r.client,
        other,
        closed,
        goal: r.active_goal,
        step: store.steps(r.active_goal).unwrap()[0].id,
        unsigned_note: r.unsigned_note,
        signed_note: r.signed_note,
        alert: r.alert,
        advocacy: r.advocacy,
        person: store.people(r.client).unwrap()[0].id,
        flag,
        assessment,
        service,
    }
}

/// The messages that open a form of each draft kind, as a person gets there.
fn openers(i: &Ids) -> HashMap<DraftKind, Vec<Message>> {
    use DraftKind as K;
    let c = i.client;
    let file = |m: Message| vec![Message::OpenClient(c), m];
    let plan =
        |m: PlanMsg| vec![Message::OpenClient(c), Message::Plan(PlanMsg::OpenPlan(c)), Message::Plan(m)];
    HashMap::from([
        (K::IntakeNew, vec![Message::GoClients, Message::NewIntake]),
        (K::IntakeEdit, file(Message::EditIntake(c))),
        (K::Settings, vec![Message::GoSettings]),
        (K::VisitNew, file(Message::PlanVisit(c))),
        (K::NoteNew, file(Message::WriteNote(c))),
        (K::NoteEdit, vec![Message::OpenNote(i.unsigned_note), Message::EditNote(i.unsigned_note)]),
        (K::Addendum, vec![Message::OpenNote(i.signed_note), Message::WriteAddendum(i.signed_note)]),
        (K::ServiceNew, vec![Message::GoDirectory, Message::NewService]),
        (
            K::ServiceEdit,
            vec![Message::GoDirectory, Message::OpenService(i.service), Message::EditService(i.service)],
        ),
        (K::AssessmentNew, file(Message::Assess(AssessMsg::NewAssessment { client_id: c, from: None }))),
        (K::AssessmentEdit, file(Message::Assess(AssessMsg::EditAssessment(i.assessment)))),
        (
            K::ScreeningNew,
            file(Message::Assess(AssessMsg::Administer { client_id: c, instrument: "phq9".into() })),
        ),
        (K::FlagReview, file(Message::Assess(AssessMsg::ReviewFlag { id: i.flag, lower: true }))),
        (K::AlertAck, file(Message::Assess(AssessMsg::AckAlert(i.alert)))),
        (K::PersonNew, file(Message::Assess(AssessMsg::AddPerson(c)))),
        (K::PersonEdit, file(Message::Assess(AssessMsg::EditPerson(i.person)))),
        (K::Coordination, file(Message::Coord(CoordMsg::Form(CoordForm::Consent { client_id: c })))),
        (K::Referral, file(Message::Referral(RefMsg::New(c)))),
        (K::GoalNew, plan(PlanMsg::NewGoal(c))),
        (K::GoalEdit, plan(PlanMsg::EditGoal(i.goal))),
        (K::GoalStepNew, plan(PlanMsg::AddStep(i.goal))),
        (K::GoalStepEdit, plan(PlanMsg::EditStep(i.step))),
        (K::GoalProgress, plan(PlanMsg::RecordProgress(i.goal))),
        (K::GoalStatus, plan(PlanMsg::ChangeStatus(i.goal))),
        (K::GoalAchievement, plan(PlanMsg::SetAchievement(i.goal))),
        (K::PlanReview, plan(PlanMsg::Review(c))),
        (K::EvaluationNew, plan(PlanMsg::Evaluate(c))),
        (K::CloseCase, vec![Message::OpenClient(i.other), Message::Close(CloseMsg::Start(i.other))]),
        (K::Reopen, vec![Message::OpenClient(i.closed), Message::Close(CloseMsg::Reopen(i.closed))]),
    ])
}

/// Every other screen, for the footer contract.
fn screens(i: &Ids) -> Vec<Vec<Message>> {
    let c = i.client;
    let mut out: Vec<Vec<Message>> = vec![
        vec![Message::GoToday],
        vec![Message::GoClients],
        vec![Message::OpenClient(c)],
        vec![Message::GoTime],
        vec![Message::OpenNotes(c)],
        vec![Message::OpenNote(i.signed_note)],
        vec![Message::MoveNote(i.unsigned_note)],
        vec![Message::MarkNoteError(i.unsigned_note)],
        vec![Message::OpenTimeline(c)],
        vec![Message::OpenSearch(None)],
        vec![Message::GoDirectory],
        vec![Message::OpenService(i.service)],
        vec![Message::ImportDirectory],
        vec![Message::Assess(AssessMsg::OpenAssessments(c))],
        vec![Message::Assess(AssessMsg::OpenAssessment(i.assessment))],
        vec![Message::Assess(AssessMsg::OpenScreeners(c))],
        vec![Message::Assess(AssessMsg::OpenFlags(c))],
        vec![Message::Assess(AssessMsg::OpenPeople(c))],
        vec![Message::Coord(CoordMsg::OpenAdvocacy(i.advocacy))],
        vec![Message::Referral(RefMsg::List(c))],
        vec![Message::Referral(RefMsg::Board)],
        vec![Message::Plan(PlanMsg::OpenPlan(c))],
        vec![Message::Plan(PlanMsg::OpenGoal(i.goal))],
        vec![Message::Plan(PlanMsg::OpenEvaluations(c))],
        vec![Message::Close(CloseMsg::Export(c))],
        vec![Message::Close(CloseMsg::OpenRetention)],
    ];
    for tab in caseload::app::message::CoordTab::ALL {
        out.push(vec![Message::Coord(CoordMsg::Open { client_id: c, tab })]);
    }
    out.extend(openers(i).into_values());
    out
}

fn app(path: &std::path::Path) -> App {
    let mut app = App::with_clock(Store::open(path).unwrap(), now()).unwrap();
    app.modal = None;
    app.size = (100, 30);
    app.sync();
    app
}

fn open(app: &mut App, msgs: &[Message]) {
    app.run(vec![Message::GoToday]);
    app.run(msgs.to_vec());
    app.sync();
}

#[test]
fn every_footer_hint_is_a_key_of_its_screen() {
    let (_d, path) = temp_db();
    let ids = fixture(&mut Store::open(&path).unwrap());
    let mut app = app(&path);
    for msgs in screens(&ids) {
        open(&mut app, &msgs);
        assert!(app.status.is_none() || app.stack.len() > 1, "{msgs:?} did not open: {:?}", app.status);
        for hint in app.hints() {
            assert!(
                binding(app.contexts(), *hint).is_some(),
                "{}: the footer shows {hint:?}, which no key of {:?} does",
                app.title(),
                app.contexts()
            );
        }
    }
}

/// Puts `mark` into the first text field of the form on top (or answers a screener item).
fn type_into(app: &mut App, mark: &str) {
    let top = app.stack.last_mut().unwrap();
    match top.form_mut() {
        Some(form) => {
            let i = form
                .fields
                .iter()
                .position(|f| matches!(f.kind, FieldKind::Text { .. } | FieldKind::Multiline { .. }))
                .expect("a form with a text field");
            form.focus = i;
            app.handle_event(Event::Paste(mark.into()));
        }
        None => app
            .handle_event(Event::Key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('2')))),
    }
}

#[test]
fn every_kind_of_draft_is_resumed_with_what_was_typed() {
    let (_d, path) = temp_db();
    let ids = fixture(&mut Store::open(&path).unwrap());
    let openers = openers(&ids);
    for kind in DraftKind::ALL {
        let msgs =
            openers.get(&kind).unwrap_or_else(|| panic!("no way to open a {kind:?} form in this test"));
        let mut first = app(&path);
        open(&mut first, msgs);
        let draft = first.stack.last().and_then(|v| v.draft()).unwrap_or_else(|| {
            panic!("{kind:?}: {msgs:?} opened {} with no draft ({:?})", first.title(), first.status)
        });
        assert_eq!(draft.kind, kind, "{msgs:?}");
        let mark = format!("Draft mark {}", kind.as_str());
        type_into(&mut first, &mark);
        first.save_draft_now();
        let saved =
            first.store.draft(&draft.key).unwrap().unwrap_or_else(|| panic!("{kind:?}: no draft written"));
        drop(first);

        // caseload starts again (as after a crash) and the draft is resumed from its list
        let mut again = app(&path);
        again.run(vec![Message::ResumeDraft(draft.key.clone())]);
        let top = again.stack.last().unwrap();
        assert_eq!(
            top.draft().map(|d| d.key),
            Some(draft.key.clone()),
            "{kind:?} reopened {}",
            again.title()
        );
        let payload = top.draft_payload().map(|p| p.0).unwrap_or_default();
        let typed = if top.form().is_some() { mark.as_str() } else { "2" };
        assert!(
            payload.contains(typed),
            "{kind:?}: the resumed form lost what was typed:\n{payload}\nsaved: {}",
            saved.payload
        );
        again.store.delete_draft(&draft.key).unwrap();
    }
}

/// Every Today rule reads in words in the one-kind view (`v`), not as its internal name.
#[test]
fn every_today_rule_has_words_for_its_items() {
    for (rule, _) in caseload::store::due::RULES {
        let words = caseload::domain::due::rule_label(rule);
        assert_ne!(words, "items", "{rule} has no words in domain::due::kind_words");
    }
}
