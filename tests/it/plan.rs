//! The plan phase against a real temporary database: goals with steps and progress, the
//! lifecycle as the store enforces it, screener-measured goals, reviews, evaluations, Today,
//! timeline and search.

use crate::common::{d, fixed_now, query_plan, temp_db, today};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::due::{Target, Urgency};
use caseload::domain::goal::{allowed_next, Achievement, GoalStatus, MeasureKind, Outcome};
use caseload::domain::instruments::{builtin, find, parse_answer_list};
use caseload::domain::plan::{
    read_evaluation, read_goal, read_progress, read_review, read_status_change, read_step, AchievementChange,
    ChangeInput, EvaluationInput, GoalInput, NewGoal, ProgressInput, ReviewInput, StatusChange, StepInput,
};
use caseload::domain::settings::Settings;
use caseload::store::due::DueContext;
use caseload::store::plan::{DUE_GOALS_PAST_TARGET_SQL, DUE_GOAL_STEPS_SQL, DUE_PLAN_REVIEWS_SQL};
use caseload::store::{Store, StoreError};
use chrono::Duration;

fn client(store: &mut Store, given: &str) -> i64 {
    let c = validate_intake(
        &IntakeInput {
            given_name: given.into(),
            family_name: "Example".into(),
            intake_date: "2026-09-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_client(&c, fixed_now()).unwrap()
}

const SCREENERS: &[(&str, &str)] = &[("phq9", "PHQ-9"), ("gad7", "GAD-7")];

fn housing() -> GoalInput {
    GoalInput {
        statement: "I want my own place".into(),
        what: "nights in stable housing per month".into(),
        unit: "nights".into(),
        baseline: "0".into(),
        target: "30".into(),
        who_agreed: "client and her sister".into(),
        why_it_matters: "so the children can visit".into(),
        start: "2026-10-01".into(),
        target_date: "2027-03-01".into(),
        priority: "high".into(),
        life_domain: "housing".into(),
        need: "a flat near her mother".into(),
        need_source: "A-1".into(),
        ..Default::default()
    }
}

fn goal(input: &GoalInput) -> NewGoal {
    let r = read_goal(input, today(), SCREENERS, true, true);
    r.goal.unwrap_or_else(|| panic!("{:?}", r.errors))
}

fn step(text: &str, owner: &str, due: &str) -> caseload::domain::plan::NewStep {
    read_step(
        &StepInput { text: text.into(), owner: owner.into(), due: due.into(), ..Default::default() },
        today(),
    )
    .unwrap()
}

fn status(to: &str, reason: &str) -> StatusChange {
    read_status_change(&ChangeInput { to: to.into(), reason: reason.into(), on: String::new() }, today())
        .unwrap()
}

fn progress(value: &str, note: &str) -> caseload::domain::plan::NewProgress {
    read_progress(
        &ProgressInput { value: value.into(), note: note.into(), on: String::new() },
        today(),
        false,
    )
    .unwrap()
}

fn setup() -> (tempfile::TempDir, Store, i64) {
    let (dir, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let c = client(&mut store, "Ada");
    (dir, store, c)
}

/// Rows in a table, read through a connection of its own.
fn count(store: &Store, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_goal_round_trips_with_steps_history_search_and_timeline() {
    let (_d, mut store, c) = setup();
    let id = store
        .add_goal(
            c,
            &goal(&housing()),
            &[step("Call the housing office", "client", "2026-11-30")],
            "Sam",
            fixed_now(),
        )
        .unwrap();
    let g = store.goal(id).unwrap();
    assert_eq!(g.reference, format!("G-{id}"));
    assert_eq!(g.status, GoalStatus::Active);
    assert_eq!(g.achievement, Achievement::InProgress);
    assert_eq!(g.measure_text(), "nights in stable housing per month: 0 → 30 nights");
    assert_eq!(g.term, caseload::domain::goal::Term::Long);
    assert!(!g.term_overridden);
    assert_eq!((g.need.as_str(), g.need_source.as_str()), ("a flat near her mother", "A-1"));
    assert_eq!(g.latest, None);
    let steps = store.steps(id).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].owner_text(), "Client");
    let h = store.goal_history(id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].describe(), "Created as Active");
    assert_eq!(h[0].by, "Sam");

    store.add_progress(id, &progress("12", "moved in with her sister"), fixed_now()).unwrap();
    let g = store.goal(id).unwrap();
    assert_eq!(g.progress_percent, Some(40.0));
    assert_eq!(g.latest.as_ref().map(|p| p.value), Some(12.0));

    // the timeline shows the goal and its progress, and opens the goal
    let tl = store.timeline(c, Default::default(), 20, None).unwrap();
    let goal_lines: Vec<_> =
        tl.iter().filter(|e| e.record_kind.map(|k| k.as_str()) == Some("goal")).collect();
    assert!(
        goal_lines.iter().any(|e| e.summary.contains("Goal G-") && e.summary.contains("added")),
        "{tl:?}"
    );
    assert!(goal_lines.iter().any(|e| e.kind == "goal-progress" && e.summary.contains("12 nights (40 %)")));
    assert!(goal_lines.iter().all(|e| e.record_id == Some(id)));

    // search finds the statement, the step and the progress note, each pointing at the goal
    for word in ["children", "housing office", "sister"] {
        let hits = store.search(word, &Default::default(), 10).unwrap();
        assert!(!hits.is_empty(), "{word}");
        assert!(hits.iter().all(|h| h.reference == format!("G-{id}")), "{word}: {hits:?}");
    }
    let hits = store.search("housing office", &Default::default(), 10).unwrap();
    assert_eq!(hits[0].kind.as_str(), "goal-notes");
}

#[test]
fn the_store_refuses_what_the_form_refuses_and_keeps_nothing() {
    let (_d, mut store, c) = setup();
    let mut g = goal(&housing());
    if let MeasureKind::Numeric { target, .. } = &mut g.draft.measure {
        *target = 0.0;
    }
    let e = store.add_goal(c, &g, &[], "Sam", fixed_now()).unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(v) if v[0].field == "target"), "{e:?}");
    let mut g = goal(&housing());
    g.draft.target_date = Some(d("2026-09-01"));
    assert!(store.add_goal(c, &g, &[], "Sam", fixed_now()).is_err());
    let mut g = goal(&housing());
    g.draft.statement = " ".into();
    assert!(store.add_goal(c, &g, &[], "Sam", fixed_now()).is_err());
    let mut g = goal(&housing());
    g.status = GoalStatus::Completed;
    assert!(store.add_goal(c, &g, &[], "Sam", fixed_now()).is_err());
    assert!(store.add_goal(9999, &goal(&housing()), &[], "Sam", fixed_now()).is_err());
    assert_eq!(count(&store, "goals"), 0);
    assert_eq!(count(&store, "goal_changes"), 0);
    assert_eq!(store.timeline(c, Default::default(), 10, None).unwrap().len(), 1, "only the intake");
}

/// Puts a new goal in `state` by allowed moves only.
fn goal_in(store: &mut Store, c: i64, state: GoalStatus) -> i64 {
    let proposed = GoalInput { status: "proposed".into(), ..housing() };
    let id = store.add_goal(c, &goal(&proposed), &[], "Sam", fixed_now()).unwrap();
    let path: &[&str] = match state {
        GoalStatus::Proposed => &[],
        GoalStatus::Active => &["active"],
        GoalStatus::OnHold => &["active", "on-hold"],
        GoalStatus::Completed => &["active", "completed"],
        GoalStatus::Cancelled => &["cancelled"],
        GoalStatus::EnteredInError => &["entered-in-error"],
    };
    for to in path {
        store.set_goal_status(id, &status(to, "because"), "Sam", fixed_now()).unwrap();
    }
    assert_eq!(store.goal(id).unwrap().status, state);
    id
}

#[test]
fn every_allowed_move_is_kept_with_its_reason_and_every_other_is_refused() {
    let (_d, mut store, c) = setup();
    for &from in GoalStatus::ALL {
        for &to in GoalStatus::ALL {
            let id = goal_in(&mut store, c, from);
            let before = store.goal_history(id).unwrap().len();
            let r = store.set_goal_status(id, &status(to.as_str(), "a reason"), "Sam", fixed_now());
            let allowed = allowed_next(from).contains(&to);
            assert_eq!(r.is_ok(), allowed, "{from:?} -> {to:?}: {r:?}");
            let g = store.goal(id).unwrap();
            let h = store.goal_history(id).unwrap();
            if allowed {
                assert_eq!(g.status, to);
                assert_eq!(h.len(), before + 1);
                assert_eq!(h[0].reason, "a reason");
                assert_eq!(h[0].from.as_deref(), Some(from.as_str()));
                assert_eq!(h[0].on, today());
            } else {
                assert!(matches!(r, Err(StoreError::Refused(_))), "{from:?} -> {to:?}");
                assert_eq!(g.status, from, "nothing changed");
                assert_eq!(h.len(), before);
            }
        }
    }
}

#[test]
fn a_reason_is_required_where_the_lifecycle_says() {
    let (_d, mut store, c) = setup();
    let id = goal_in(&mut store, c, GoalStatus::Active);
    for to in ["on-hold", "cancelled", "entered-in-error"] {
        let e = store.set_goal_status(id, &status(to, "   "), "Sam", fixed_now()).unwrap_err();
        assert!(matches!(&e, StoreError::Invalid(v) if v[0].field == "reason"), "{to}: {e:?}");
    }
    assert_eq!(store.goal(id).unwrap().status, GoalStatus::Active);
    store.set_goal_status(id, &status("completed", ""), "Sam", fixed_now()).unwrap();
    let h = store.goal_history(id).unwrap();
    assert_eq!(h[0].describe(), "Status: Active → Completed");

    // achievement changes are kept too, with their reason
    let change = AchievementChange { to: Achievement::Achieved, reason: "has the keys".into(), on: today() };
    store.set_achievement(id, &change, "Sam", fixed_now()).unwrap();
    assert!(store.set_achievement(id, &change, "Sam", fixed_now()).is_err(), "already achieved");
    let h = store.goal_history(id).unwrap();
    assert_eq!(h[0].describe(), "Achievement: In progress → Achieved");
    assert_eq!(h[0].reason, "has the keys");
}

#[test]
fn steps_are_added_reordered_ticked_and_closed_goals_refuse_changes() {
    let (_d, mut store, c) = setup();
    let id = store.add_goal(c, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();
    let a = store.add_step(id, &step("First", "client", ""), fixed_now()).unwrap();
    let b = store.add_step(id, &step("Second", "practitioner", ""), fixed_now()).unwrap();
    let e = store.add_step(id, &step("Third", "", "+2d"), fixed_now()).unwrap();
    let texts = |s: &Store| s.steps(id).unwrap().into_iter().map(|s| s.text).collect::<Vec<_>>();
    assert_eq!(texts(&store), ["First", "Second", "Third"]);
    store.move_step(e, -1, fixed_now()).unwrap();
    assert_eq!(texts(&store), ["First", "Third", "Second"]);
    store.move_step(a, -1, fixed_now()).unwrap(); // already first
    store.move_step(b, 1, fixed_now()).unwrap(); // already last
    assert_eq!(texts(&store), ["First", "Third", "Second"]);
    store.move_step(a, 1, fixed_now()).unwrap();
    assert_eq!(texts(&store), ["Third", "First", "Second"]);

    store.set_step_done(b, Some(today()), fixed_now()).unwrap();
    assert_eq!(store.step(b).unwrap().done, Some(today()));
    store.set_step_done(b, None, fixed_now()).unwrap();
    assert_eq!(store.step(b).unwrap().done, None);
    assert_eq!(store.step(e).unwrap().owner_text(), "nobody named yet");
    store.update_step(e, &step("Third, changed", "provider", ""), fixed_now()).unwrap();
    assert_eq!(store.step(e).unwrap().owner_text(), "Provider");

    store.set_goal_status(id, &status("completed", ""), "Sam", fixed_now()).unwrap();
    assert!(matches!(store.add_step(id, &step("Late", "", ""), fixed_now()), Err(StoreError::Refused(_))));
    assert!(store.set_step_done(a, Some(today()), fixed_now()).is_err());
    assert!(store.move_step(a, 1, fixed_now()).is_err());
    assert!(store.add_progress(id, &progress("3", ""), fixed_now()).is_err());
    assert!(store.update_goal(id, &goal(&housing()), "Sam", fixed_now()).is_err());
    assert!(matches!(store.step(9999), Err(StoreError::NotFound(_))));
}

#[test]
fn progress_runs_towards_a_target_below_the_baseline() {
    let (_d, mut store, c) = setup();
    let input = GoalInput {
        statement: "Stop missing appointments".into(),
        what: "missed appointments per month".into(),
        unit: String::new(),
        baseline: "6".into(),
        target: "0".into(),
        ..housing()
    };
    let id = store.add_goal(c, &goal(&input), &[], "Sam", fixed_now()).unwrap();
    store.add_progress(id, &progress("3", ""), fixed_now()).unwrap();
    assert_eq!(store.goal(id).unwrap().progress_percent, Some(50.0));
    store.add_progress(id, &progress("0", "none missed"), fixed_now()).unwrap();
    assert_eq!(store.goal(id).unwrap().progress_percent, Some(100.0));
    // a later value going backwards is shown as it is
    let mut later = progress("9", "");
    later.on = today();
    store.add_progress(id, &later, fixed_now() + Duration::minutes(1)).unwrap();
    assert_eq!(store.goal(id).unwrap().progress_percent, Some(-50.0));
    assert_eq!(store.progress(id).unwrap().len(), 3);

    // a milestone takes yes or no
    let m = GoalInput {
        measure: "milestone".into(),
        what: String::new(),
        baseline: String::new(),
        target: String::new(),
        ..housing()
    };
    let mid = store.add_goal(c, &goal(&m), &[], "Sam", fixed_now()).unwrap();
    let yes =
        read_progress(&ProgressInput { value: "yes".into(), ..Default::default() }, today(), true).unwrap();
    store.add_progress(mid, &yes, fixed_now()).unwrap();
    let g = store.goal(mid).unwrap();
    assert_eq!(g.progress_percent, Some(100.0));
    assert_eq!(g.value_text(1.0), "reached");
    assert!(store.add_progress(mid, &progress("7", ""), fixed_now()).is_err());
}

fn phq9_answers(total: u32) -> String {
    // item 9 stays 0 so no safety alert is raised
    let mut left = total;
    let mut items = Vec::new();
    for _ in 0..8 {
        let v = left.min(3);
        items.push(v.to_string());
        left -= v;
    }
    items.push("0".into());
    items.join(",")
}

#[test]
fn a_goal_measured_by_a_screener_takes_its_progress_from_new_screenings() {
    let (_d, mut store, c) = setup();
    let other = client(&mut store, "Bo");
    let instruments = builtin().unwrap();
    let phq9 = find(&instruments, "phq9").unwrap();
    let gad7 = find(&instruments, "gad7").unwrap();
    let input = GoalInput {
        statement: "Feel less low".into(),
        source: "phq9".into(),
        what: String::new(),
        unit: String::new(),
        baseline: "17".into(),
        target: "9".into(),
        ..housing()
    };
    let id = store.add_goal(c, &goal(&input), &[], "Sam", fixed_now()).unwrap();
    let closed = store.add_goal(c, &goal(&input), &[], "Sam", fixed_now()).unwrap();
    store.set_goal_status(closed, &status("cancelled", "duplicate"), "Sam", fixed_now()).unwrap();
    let manual = store.add_goal(c, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();

    let answers = parse_answer_list(phq9, &phq9_answers(13)).unwrap();
    let (sc, result) = store.add_screening(c, phq9, &answers, d("2026-11-20"), "", fixed_now()).unwrap();
    assert_eq!(result.total, Some(13));
    let p = store.progress(id).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].value, p[0].on, p[0].source.as_str()), (13.0, d("2026-11-20"), "screening"));
    assert_eq!(p[0].screening.as_deref(), Some(format!("SC-{sc}").as_str()));
    assert_eq!(store.goal(id).unwrap().progress_percent, Some(50.0));
    assert!(store.progress(closed).unwrap().is_empty(), "closed goals take no progress");
    assert!(store.progress(manual).unwrap().is_empty(), "typed-in goals take no progress");

    // another screener, or another client's screening, gives nothing
    store
        .add_screening(c, gad7, &parse_answer_list(gad7, "1,1,1,1,1,1,1").unwrap(), today(), "", fixed_now())
        .unwrap();
    store.add_screening(other, phq9, &answers, today(), "", fixed_now()).unwrap();
    assert_eq!(store.progress(id).unwrap().len(), 1);
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    assert!(tl.iter().any(|e| e.kind == "goal-progress" && e.summary.contains("13")), "{tl:?}");

    // a screening marked entered in error no longer counts
    store.mark_screening_in_error(sc, "wrong client", fixed_now()).unwrap();
    assert!(store.progress(id).unwrap().is_empty());
}

fn due(store: &Store) -> Vec<caseload::domain::due::DueItem> {
    let settings = Settings::default();
    crate::common::due_checked(
        store,
        &DueContext { now: fixed_now(), today: today(), settings: &settings, since: None },
    )
}

#[test]
fn today_shows_due_steps_goals_past_target_and_reviews_due() {
    let (_d, mut store, c) = setup();
    let steps = [
        step("Overdue step", "client", "2026-11-20"),
        step("Due today step", "client", "today"),
        step("Soon step", "client", "+3d"),
        step("Far step", "client", "+40d"),
        step("Undated step", "client", ""),
    ];
    let id = store.add_goal(c, &goal(&housing()), &steps, "Sam", fixed_now()).unwrap();
    let past = GoalInput {
        statement: "Old goal".into(),
        start: "2026-09-01".into(),
        target_date: "2026-11-01".into(),
        ..housing()
    };
    let old = store
        .add_goal(c, &goal(&past), &[step("Step of an old goal", "", "2026-11-10")], "Sam", fixed_now())
        .unwrap();
    store
        .record_review(
            c,
            &read_review(&ReviewInput { next_review: "+2d".into(), ..Default::default() }, today()).unwrap(),
            "Sam",
            fixed_now(),
        )
        .unwrap();
    let items = due(&store);
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert!(titles.iter().any(|t| t.contains("3 days overdue: Overdue step")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("due today: Due today step")));
    assert!(titles.iter().any(|t| t.contains("due in 3 days: Soon step")));
    assert!(!titles.iter().any(|t| t.contains("Far step") || t.contains("Undated")));
    assert!(titles
        .iter()
        .any(|t| t.contains(&format!("Goal G-{old} is past its target date (2026-11-01): Old goal"))));
    assert!(titles.contains(&"Plan review due in 2 days"));
    let step_item = items.iter().find(|i| i.title.contains("Overdue step")).unwrap();
    assert_eq!(step_item.urgency, Urgency::Overdue);
    assert_eq!(step_item.target, Target::Goal(format!("G-{id}")));
    assert_eq!(step_item.target.record(), Some((caseload::domain::record::RecordKind::Goal, id)));
    let review = items.iter().find(|i| i.rule == "plan-review").unwrap();
    assert_eq!(review.target.record(), Some((caseload::domain::record::RecordKind::Plan, c)));

    // done steps, goals on hold (for steps) and closed goals drop out
    let first = store.steps(id).unwrap()[0].id;
    store.set_step_done(first, Some(today()), fixed_now()).unwrap();
    store.set_goal_status(old, &status("completed", ""), "Sam", fixed_now()).unwrap();
    let titles: Vec<String> = due(&store).into_iter().map(|i| i.title).collect();
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("Overdue step") || t.contains("Old goal") || t.contains("old goal")),
        "{titles:?}"
    );
    store.set_goal_status(id, &status("on-hold", "in hospital"), "Sam", fixed_now()).unwrap();
    assert!(!due(&store).iter().any(|i| i.rule == "goal-step"));

    // a held review moves the reminder to the next date
    store
        .record_review(
            c,
            &read_review(
                &ReviewInput {
                    held_on: "today".into(),
                    summary: "On track".into(),
                    next_review: "+90d".into(),
                },
                today(),
            )
            .unwrap(),
            "Sam",
            fixed_now(),
        )
        .unwrap();
    assert!(!due(&store).iter().any(|i| i.rule == "plan-review"));
    assert_eq!(store.next_review(c).unwrap().unwrap().due_on, d("2027-02-21"));
    let held = store.reviews(c).unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].held_on, held[0].summary.as_str(), held[0].by.as_str()),
        (Some(today()), "On track", "Sam")
    );
}

#[test]
fn today_rules_read_their_partial_indexes() {
    let (_d, store, _c) = setup();
    for (sql, index) in [
        (DUE_GOAL_STEPS_SQL, "goal_steps_open_due"),
        (DUE_GOALS_PAST_TARGET_SQL, "goals_open_by_target"),
        (DUE_PLAN_REVIEWS_SQL, "plan_reviews_due"),
    ] {
        let plan = query_plan(store.path(), sql, rusqlite::params!["2026-12-01", 100]);
        assert!(plan.iter().any(|p| p.contains(index)), "{index}: {plan:?}");
    }
}

#[test]
fn an_evaluation_keeps_outcomes_the_screener_change_and_the_feedback_together() {
    let (_d, mut store, c) = setup();
    let other = client(&mut store, "Bo");
    let instruments = builtin().unwrap();
    let phq9 = find(&instruments, "phq9").unwrap();
    for (total, on) in [(18, "2026-09-05"), (14, "2026-10-10"), (11, "2026-11-20")] {
        let answers = parse_answer_list(phq9, &phq9_answers(total)).unwrap();
        store.add_screening(c, phq9, &answers, d(on), "", fixed_now()).unwrap();
    }
    let a = store.add_goal(c, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();
    let b = store
        .add_goal(
            c,
            &goal(&GoalInput { statement: "Feel less low".into(), ..housing() }),
            &[],
            "Sam",
            fixed_now(),
        )
        .unwrap();
    let theirs = store.add_goal(other, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();

    let input = EvaluationInput {
        on: "today".into(),
        occasion: "review".into(),
        outcomes: vec![(a, "achieved".into()), (b, "partly".into())],
        satisfaction: "4".into(),
        feedback: "The help with the council made a difference.".into(),
        helped: "Food bank helped; the job centre did not.".into(),
    };
    let e = read_evaluation(&input, today()).unwrap();
    let id = store.add_evaluation(c, &e, &instruments, "Sam", fixed_now()).unwrap();
    let ev = store.evaluation(id).unwrap();
    assert_eq!(ev.reference, format!("EV-{id}"));
    assert_eq!(ev.outcomes.len(), 2);
    assert_eq!(ev.outcomes[0].outcome, Outcome::Achieved);
    assert_eq!(ev.screener_changes.len(), 1);
    assert_eq!(ev.screener_changes[0].text(), "PHQ-9 18 → 11, moderately severe → moderate");
    assert_eq!(ev.satisfaction, Some(4));
    assert_eq!(store.goal(b).unwrap().outcome, Some(Outcome::Partly));
    assert_eq!(store.evaluations(c).unwrap().len(), 1);
    let hits = store.search("council", &Default::default(), 10).unwrap();
    assert_eq!(hits[0].reference, format!("EV-{id}"));
    let tl = store.timeline(c, Default::default(), 50, None).unwrap();
    assert!(tl.iter().any(|t| t.record_kind.map(|k| k.as_str()) == Some("evaluation")
        && t.summary.contains("1 of 2 goals achieved")));

    // another client's goal is refused, and nothing is saved
    let bad =
        read_evaluation(&EvaluationInput { outcomes: vec![(theirs, "achieved".into())], ..input }, today())
            .unwrap();
    assert!(matches!(
        store.add_evaluation(c, &bad, &instruments, "Sam", fixed_now()),
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.evaluations(c).unwrap().len(), 1);
    assert_eq!(store.goal(theirs).unwrap().outcome, None);
}

#[test]
fn the_plan_overview_has_goals_steps_reviews_and_the_latest_evaluation() {
    let (_d, mut store, c) = setup();
    let a = store.add_goal(c, &goal(&housing()), &[step("One", "client", "")], "Sam", fixed_now()).unwrap();
    let low = GoalInput { statement: "Low priority".into(), priority: "low".into(), ..housing() };
    store.add_goal(c, &goal(&low), &[], "Sam", fixed_now()).unwrap();
    let gone = store.add_goal(c, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();
    store.set_goal_status(gone, &status("cancelled", "moved away"), "Sam", fixed_now()).unwrap();
    let plan = store.plan(c, false).unwrap();
    assert_eq!(plan.goals.len(), 2);
    assert_eq!(plan.goals[0].0.id, a, "high priority first");
    assert_eq!(plan.goals[0].1.len(), 1);
    assert_eq!(plan.next_review, None);
    assert_eq!(store.plan(c, true).unwrap().goals.len(), 3);
}

#[test]
fn nasty_input_in_every_plan_field_is_stored_clean_or_refused() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    let (_d, mut store, c) = setup();
    let instruments = builtin().unwrap();
    let clean = |s: &str| !s.chars().any(|ch| ch.is_control() && ch != '\n') && !s.contains('\u{202e}');
    for case in fixtures.as_array().unwrap() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        let label = case["label"].as_str().unwrap_or("");
        let goals_before = count(&store, "goals");
        // every text field of the goal at once, and each number and date field on its own
        let mut inputs = vec![GoalInput {
            statement: text.clone(),
            what: text.clone(),
            unit: text.chars().take(50).collect(),
            who_agreed: text.clone(),
            why_it_matters: text.clone(),
            need: text.clone(),
            ..housing()
        }];
        inputs.push(GoalInput { baseline: text.clone(), ..housing() });
        inputs.push(GoalInput { target: text.clone(), ..housing() });
        inputs.push(GoalInput { target_date: text.clone(), ..housing() });
        inputs.push(GoalInput { start: text.clone(), ..housing() });
        inputs.push(GoalInput { priority: text.clone(), ..housing() });
        inputs.push(GoalInput { life_domain: text.clone(), ..housing() });
        inputs.push(GoalInput { term: text.clone(), status: text.clone(), ..housing() });
        inputs.push(GoalInput {
            source: text.clone(),
            measure: text.clone(),
            need_source: text.clone(),
            ..housing()
        });
        for input in inputs {
            let r = read_goal(&input, today(), SCREENERS, false, false);
            match r.goal {
                Some(g) => {
                    let id = store.add_goal(c, &g, &[], "Sam", fixed_now()).unwrap();
                    let back = store.goal(id).unwrap();
                    assert!(
                        clean(&back.statement) && clean(&back.who_agreed) && clean(&back.need),
                        "{label}"
                    );
                    assert!(clean(&back.measure_text()), "{label}");
                }
                None => {
                    assert!(!r.errors.is_empty());
                    assert!(
                        r.errors.iter().all(|e| !e.message.is_empty() && e.message.chars().count() < 300),
                        "{label}: {:?}",
                        r.errors
                    );
                }
            }
        }
        assert!(count(&store, "goals") >= goals_before);
        let gid = store.add_goal(c, &goal(&housing()), &[], "Sam", fixed_now()).unwrap();
        let steps_before = count(&store, "goal_steps");
        match read_step(
            &StepInput {
                text: text.clone(),
                owner_name: text.clone(),
                due: text.clone(),
                ..Default::default()
            },
            today(),
        ) {
            Ok(s) => {
                let sid = store.add_step(gid, &s, fixed_now()).unwrap();
                let back = store.step(sid).unwrap();
                assert!(clean(&back.text) && clean(&back.owner_name), "{label}");
            }
            Err(e) => {
                assert!(!e.is_empty());
                assert_eq!(count(&store, "goal_steps"), steps_before, "{label}: nothing half-saved");
            }
        }
        match read_progress(
            &ProgressInput { value: text.clone(), note: text.clone(), on: String::new() },
            today(),
            false,
        ) {
            Ok(p) => {
                store.add_progress(gid, &p, fixed_now()).unwrap();
                assert!(clean(&store.progress(gid).unwrap()[0].note), "{label}");
            }
            Err(e) => assert!(e.iter().any(|e| e.field == "value" || e.field == "note"), "{label}"),
        }
        // notes are kept (cleaned) even when long; the value carries the refusal
        let p = read_progress(
            &ProgressInput { value: "3".into(), note: text.clone(), on: String::new() },
            today(),
            false,
        );
        if let Ok(p) = p {
            store.add_progress(gid, &p, fixed_now()).unwrap();
        }
        let r = read_review(
            &ReviewInput { held_on: "today".into(), summary: text.clone(), next_review: text.clone() },
            today(),
        );
        if let Ok(r) = r {
            store.record_review(c, &r, "Sam", fixed_now()).unwrap();
        }
        let e = read_evaluation(
            &EvaluationInput {
                outcomes: vec![(gid, text.clone())],
                satisfaction: text.clone(),
                feedback: text.clone(),
                helped: text.clone(),
                ..Default::default()
            },
            today(),
        );
        let e = e.or_else(|_| {
            read_evaluation(&EvaluationInput { feedback: text.clone(), ..Default::default() }, today())
        });
        if let Ok(e) = e {
            let id = store.add_evaluation(c, &e, &instruments, "Sam", fixed_now()).unwrap();
            assert!(clean(&store.evaluation(id).unwrap().feedback), "{label}");
        }
        // the remaining fields: refused with a message, or read clean
        let other = [
            read_step(
                &StepInput {
                    text: "x".into(),
                    owner: text.clone(),
                    done: text.clone(),
                    ..Default::default()
                },
                today(),
            )
            .err(),
            read_review(
                &ReviewInput { held_on: text.clone(), next_review: "+9d".into(), ..Default::default() },
                today(),
            )
            .err(),
            read_evaluation(
                &EvaluationInput {
                    on: text.clone(),
                    occasion: text.clone(),
                    feedback: "x".into(),
                    ..Default::default()
                },
                today(),
            )
            .err(),
        ];
        for errors in other.into_iter().flatten() {
            assert!(
                errors.iter().all(|e| !e.message.is_empty() && e.message.chars().count() < 300),
                "{label}"
            );
            assert!(errors.iter().all(|e| clean(&e.message)), "{label}: {errors:?}");
        }
        // a search is as long as a person types: the huge paste is cut as in the notes' test
        let r = store.search(&text.chars().take(10_000).collect::<String>(), &Default::default(), 5);
        assert!(r.is_ok(), "{label}");
        let _ = read_status_change(
            &ChangeInput { to: text.clone(), reason: text.clone(), on: text.clone() },
            today(),
        );
    }
    assert!(store.check().unwrap().is_empty());
}
