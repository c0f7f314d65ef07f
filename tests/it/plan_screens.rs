//! The plan's screens from key scripts: the plan, a goal, the goal form with its SMART check
//! and refusals, the evaluation summary (snapshots at 80x24 and wide), and what the keys do:
//! steps ticked and reordered, only allowed status changes offered, drafts offered back,
//! Today, search and the timeline opening the goal.

use crate::common;

use crate::common::*;
use caseload::domain::assessment::{validate_assessment, AssessmentInput};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::goal::{allowed_next, GoalStatus};
use caseload::domain::instruments::{builtin, find, parse_answer_list};
use caseload::domain::plan::{
    read_goal, read_progress, read_review, read_status_change, read_step, ChangeInput, GoalInput,
    ProgressInput, ReviewInput, StepInput,
};
use caseload::store::Store;
use chrono::{Duration, NaiveDate};
use crossterm::event::{Event, KeyCode};

const SCREENERS: &[(&str, &str)] = &[("phq9", "PHQ-9"), ("gad7", "GAD-7")];

fn goal_input(statement: &str) -> GoalInput {
    GoalInput {
        statement: statement.into(),
        what: "nights in stable housing per month".into(),
        unit: "nights".into(),
        baseline: "0".into(),
        target: "30".into(),
        who_agreed: "client and her sister".into(),
        why_it_matters: "so the children can visit".into(),
        start: "2026-09-15".into(),
        target_date: "2027-03-01".into(),
        priority: "high".into(),
        life_domain: "housing".into(),
        need: "a flat near her mother".into(),
        need_source: "A-1".into(),
        ..Default::default()
    }
}

fn step(text: &str, owner: &str, due: &str) -> caseload::domain::plan::NewStep {
    read_step(
        &StepInput { text: text.into(), owner: owner.into(), due: due.into(), ..Default::default() },
        today(),
    )
    .unwrap()
}

fn phq9(store: &mut Store, c: i64, total: u32, on: &str) {
    let instruments = builtin().unwrap();
    let phq9 = find(&instruments, "phq9").unwrap();
    let mut left = total;
    let mut items = Vec::new();
    for _ in 0..8 {
        let v = left.min(3);
        items.push(v.to_string());
        left -= v;
    }
    items.push("0".into());
    let answers = parse_answer_list(phq9, &items.join(",")).unwrap();
    let on = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
    store.add_screening(c, phq9, &answers, on, "", fixed_now()).unwrap();
}

/// A client with an assessment, three goals (one past its target date with an overdue step,
/// one measured by PHQ-9 results, one on hold), progress and the next review.
fn seed(path: &std::path::Path) -> (i64, i64, i64) {
    let mut store = open(path);
    let c = validate_intake(
        &IntakeInput {
            given_name: "Zoë".into(),
            family_name: "Bélanger".into(),
            intake_date: "2026-09-01".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    let c = store.add_client(&c, fixed_now()).unwrap();
    let a = validate_assessment(
        &AssessmentInput {
            assessed_on: "2026-09-10".into(),
            needs: "housing: a flat near her mother\nmental health: feeling low most days".into(),
            ..Default::default()
        },
        today(),
    )
    .unwrap();
    store.add_assessment(c, &a, None, fixed_now()).unwrap();
    phq9(&mut store, c, 18, "2026-09-12");
    let r = read_goal(&goal_input("I want my own place"), today(), SCREENERS, true, true).goal.unwrap();
    let housing = store
        .add_goal(
            c,
            &r,
            &[
                step("Call the housing office", "client", "2026-11-20"),
                step("Visit the flat together", "practitioner", "+5d"),
            ],
            "Sam Worker",
            fixed_now(),
        )
        .unwrap();
    store
        .add_progress(
            housing,
            &read_progress(
                &ProgressInput {
                    value: "12".into(),
                    note: "staying with her sister".into(),
                    on: "2026-11-20".into(),
                },
                today(),
                false,
            )
            .unwrap(),
            fixed_now(),
        )
        .unwrap();
    let mood = GoalInput {
        statement: "Feel less low".into(),
        source: "phq9".into(),
        what: String::new(),
        unit: String::new(),
        baseline: "18".into(),
        target: "9".into(),
        start: "2026-09-15".into(),
        target_date: "2026-11-15".into(),
        priority: "medium".into(),
        life_domain: "mental health".into(),
        need: "feeling low most days".into(),
        ..goal_input("")
    };
    let mood = store
        .add_goal(
            c,
            &read_goal(&mood, today(), SCREENERS, true, true).goal.unwrap(),
            &[step("Walk twice a week", "client", "")],
            "Sam Worker",
            fixed_now(),
        )
        .unwrap();
    phq9(&mut store, c, 11, "2026-11-18");
    let job = GoalInput {
        statement: "Start the job training course".into(),
        measure: "milestone".into(),
        what: String::new(),
        baseline: String::new(),
        target: String::new(),
        priority: "low".into(),
        life_domain: "income".into(),
        need: String::new(),
        ..goal_input("")
    };
    let job = store
        .add_goal(
            c,
            &read_goal(&job, today(), SCREENERS, false, false).goal.unwrap(),
            &[],
            "Sam Worker",
            fixed_now(),
        )
        .unwrap();
    let hold = read_status_change(
        &ChangeInput { to: "on-hold".into(), reason: "course starts in spring".into(), on: String::new() },
        today(),
    )
    .unwrap();
    store.set_goal_status(job, &hold, "Sam Worker", fixed_now()).unwrap();
    store
        .record_review(
            c,
            &read_review(&ReviewInput { next_review: "2026-11-28".into(), ..Default::default() }, today())
                .unwrap(),
            "Sam Worker",
            fixed_now(),
        )
        .unwrap();
    (c, housing, mood)
}

fn open_plan(path: &std::path::Path) -> caseload::app::App {
    let mut app = clients(path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('g'));
    app
}

#[test]
fn the_plan_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("next review 2026-11-28 (due in 5 days)"), "{s}");
    assert!(s.contains("OVERDUE") && s.contains("PAST TARGET"), "markers in words: {s}");
    insta::assert_snapshot!("plan_80x24", s);
    insta::assert_snapshot!("plan_140x40", screen(&mut app, 140, 40));
}

#[test]
fn a_goal_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-1") && s.contains("Call the housing office"), "{s}");
    insta::assert_snapshot!("goal_80x24", s);
    insta::assert_snapshot!("goal_140x40", screen(&mut app, 140, 40));
}

#[test]
fn the_goal_form_refuses_at_the_fields_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Char('n'));
    assert!(screen(&mut app, 80, 24).contains("SMART check"));
    // a statement, a target equal to the baseline, a target date before the start
    type_text(&mut app, "Pay the rent on time");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "months with rent paid on time");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "3");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "3");
    for _ in 0..7 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "2026-01-01");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("⚠ The target must differ from the baseline"), "{s}");
    assert!(s.contains("Nothing was saved"), "{s}");
    insta::assert_snapshot!("goal_form_errors_80x24", s);
    let wide = screen(&mut app, 140, 40);
    assert!(
        wide.contains("✗ Time-bound") && wide.contains("The target date must be after the start date"),
        "{wide}"
    );
    insta::assert_snapshot!("goal_form_errors_140x40", wide);
    assert_eq!(open(&path).goals(1, true).unwrap().len(), 3, "nothing saved");
}

/// Types a whole goal into the form, with or without a first step.
fn type_goal(app: &mut caseload::app::App, with_step: bool) {
    keys(
        app,
        "Keep the flat warm<tab><tab><tab>rooms heated<tab><tab>0<tab>3<tab>client<tab>the baby is cold",
    );
    // need (picks the first need, which fills the life domain), domain, priority, start
    keys(app, "<tab><right><tab><tab><tab><tab>+60d");
    keys(app, "<tab><tab><tab>"); // term, starts as, first step
    if with_step {
        keys(app, "Ask the landlord about the boiler<tab>c<tab><tab>+7d"); // c: the client does it
    }
}

#[test]
fn a_goal_typed_with_a_step_is_saved_with_its_need_and_step() {
    let (_d, path) = temp_db();
    let (c, _, _) = seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Char('n'));
    type_goal(&mut app, true);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("✓ Time-bound"), "{s}");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-4 saved"), "{s}");
    let store = open(&path);
    let g = store.goal(4).unwrap();
    assert_eq!(g.statement, "Keep the flat warm");
    assert_eq!(g.status, GoalStatus::Active);
    assert_eq!(
        (g.need.as_str(), g.need_source.as_str(), g.life_domain.as_str()),
        ("a flat near her mother", "A-1", "housing")
    );
    assert_eq!(g.target_date, today() + Duration::days(60));
    let steps = store.steps(4).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].owner_text(), "Client");
    assert_eq!(store.goals(c, false).unwrap().len(), 4);
}

#[test]
fn gaps_are_shown_once_and_a_second_save_keeps_the_goal() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Char('n'));
    type_goal(&mut app, false);
    ctrl(&mut app, 's');
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("! No steps yet"), "{s}");
    assert!(s.contains("Press Ctrl-S again to save it as it is"), "{s}");
    assert!(open(&path).goal(4).is_err(), "not saved yet");
    ctrl(&mut app, 's');
    assert!(screen(&mut app, 80, 24).contains("Goal G-4 saved"));
    assert!(open(&path).steps(4).unwrap().is_empty());
}

#[test]
fn steps_are_ticked_and_reordered_from_the_keyboard() {
    let (_d, path) = temp_db();
    let (_, housing, _) = seed(&path);
    let mut app = open_plan(&path);
    keys(&mut app, "<enter>x");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("[x] Call the housing office"), "{s}");
    assert_eq!(open(&path).steps(housing).unwrap()[0].done, Some(today()));
    keys(&mut app, " ");
    assert_eq!(open(&path).steps(housing).unwrap()[0].done, None, "space ticks it back");
    keys(&mut app, "J");
    let texts: Vec<String> = open(&path).steps(housing).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(texts, ["Visit the flat together", "Call the housing office"]);
    // the selection moved with the step: K brings it back up
    keys(&mut app, "K");
    let texts: Vec<String> = open(&path).steps(housing).unwrap().into_iter().map(|s| s.text).collect();
    assert_eq!(texts, ["Call the housing office", "Visit the flat together"]);
    // a new step from the keyboard
    keys(&mut app, "aBring the tenancy papers<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("3. [ ] Bring the tenancy papers"), "{s}");
}

#[test]
fn the_status_form_offers_only_the_allowed_changes() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    for (row, from) in [(0, GoalStatus::Active), (2, GoalStatus::OnHold)] {
        for _ in 0..row {
            key(&mut app, KeyCode::Char('j'));
        }
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Char('s'));
        let mut offered = Vec::new();
        for _ in 0..8 {
            let s = screen(&mut app, 80, 24);
            let label = s
                .lines()
                .find_map(|l| l.split('‹').nth(1))
                .and_then(|r| r.split('›').next())
                .unwrap()
                .trim()
                .to_string();
            if !offered.contains(&label) {
                offered.push(label);
            }
            key(&mut app, KeyCode::Right);
        }
        let want: Vec<String> = allowed_next(from).iter().map(|s| s.label().to_string()).collect();
        offered.sort();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(offered, want_sorted, "{from:?}");
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('d'));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('g')); // back to the top of the plan
    }
    // completing through the form is kept in the history with its date
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Right); // completed
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "has the keys");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-1 is now completed"), "{s}");
    let h = open(&path).goal_history(1).unwrap();
    assert_eq!(h[0].describe(), "Status: Active → Completed");
    assert_eq!(h[0].reason, "has the keys");
}

#[test]
fn progress_typed_on_a_goal_moves_its_gauge() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    type_text(&mut app, "24");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "a room of her own");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Progress on goal G-1: 24 nights (80 %)"), "{s}");
    assert!(s.contains("80 %  24 nights as of 2026-11-23"), "{s}");
}

#[test]
fn an_evaluation_summary_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    let (c, housing, mood) = seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("PHQ-9 18 → 11, moderately severe → moderate"), "the form shows the change: {s}");
    // outcomes are suggested; set satisfaction and a comment
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "The help with the council made a difference.");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Food bank helped; the job centre did not.");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Evaluation EV-1"), "{s}");
    assert!(s.contains("PHQ-9 18 → 11, moderately severe → moderate"), "{s}");
    assert!(s.contains("★★★★☆ 4 of 5"), "{s}");
    insta::assert_snapshot!("evaluation_80x24", s);
    insta::assert_snapshot!("evaluation_140x40", screen(&mut app, 140, 40));
    let e = open(&path).evaluations(c).unwrap();
    assert_eq!(e[0].outcomes.iter().map(|o| o.goal_id).collect::<Vec<_>>(), [housing, mood, 3]);
}

#[test]
fn a_goal_form_left_unsaved_is_offered_back() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Learn to drive");
    app.save_draft_now();
    drop(app);
    let mut app = common::app(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("New goal for C-0001"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Learn to drive") && s.contains("Restored"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Case plan"), "the plan was beneath the form: {s}");

    // a progress form too
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('p'));
    type_text(&mut app, "7");
    app.save_draft_now();
    drop(app);
    let mut app = common::app(&path);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Progress on goal G-1") && s.contains("Restored"), "{s}");
}

#[test]
fn today_search_and_the_timeline_open_the_goal() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = common::app(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Step of goal G-1 3 days overdue"), "{s}");
    assert!(s.contains("Goal G-2 is past its target date"), "{s}");
    assert!(s.contains("Plan review due in 5 days"), "{s}");
    let line = s.lines().position(|l| l.contains("Step of goal G-1")).unwrap();
    let first = s.lines().position(|l| l.contains('▶')).unwrap();
    // the cursor passes over the sections' headings (issue 19 point 6)
    let heading = |l: &str| {
        let l = l.trim_start_matches('│');
        ["Safety (", "Today's diary (", "Due now (", "Backlog ("].iter().any(|h| l.starts_with(h))
    };
    let moves = s.lines().skip(first).take(line - first).filter(|l| !heading(l)).count();
    for _ in 0..moves {
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-1 · ACTIVE"), "{s}");

    // search finds a step's words and opens its goal
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('f'));
    type_text(&mut app, "housing office");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-1 · ACTIVE"), "{s}");

    // the timeline's goal lines open the goal
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('h'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Next plan review set for 2026-11-28"), "{s}");
    assert!(s.contains("Goal G-3 active → on hold (course"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 24).contains("Case plan"), "the review line opens the plan");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-3 · ON HOLD"), "{s}");
}

/// A search hit in a goal's steps opens the goal with that step selected, not its first step
/// (issue 17 point 12).
#[test]
fn a_search_hit_on_a_step_selects_the_step() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = common::app(&path);
    keys(&mut app, "ftogether");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Search the whole record — 1 found"), "{s}");
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Goal G-1 · ACTIVE"), "{s}");
    let line = s.lines().find(|l| l.contains("Visit the flat together")).unwrap_or_default();
    assert!(line.contains('▶'), "the step found is selected: {s}");
    let first = s.lines().find(|l| l.contains("Call the housing office")).unwrap_or_default();
    assert!(!first.contains('▶'), "{s}");
}

#[test]
fn the_help_lists_the_plan_keys() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('?'));
    assert!(screen(&mut app, 100, 40).contains("plan (goals, steps, reviews, evaluations)"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 100, 40);
    assert!(s.contains("step up") && s.contains("status"), "{s}");
}

#[test]
fn nasty_text_pasted_into_the_goal_form_never_reaches_the_terminal_raw() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).unwrap();
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = open_plan(&path);
    for case in fixtures.as_array().unwrap() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        key(&mut app, KeyCode::Char('n'));
        // the statement, then the baseline, the target date and the first step
        app.handle_event(Event::Paste(text.clone()));
        for tabs in [5, 8, 3] {
            for _ in 0..tabs {
                key(&mut app, KeyCode::Tab);
            }
            app.handle_event(Event::Paste(text.clone()));
        }
        ctrl(&mut app, 's');
        for (w, h) in [(80, 24), (140, 40)] {
            let s = screen(&mut app, w, h);
            assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{}: {s}", case["label"]);
            assert!(!s.contains('\u{202e}'), "{}", case["label"]);
        }
        // leave the form whatever happened (saved, or refused with its messages)
        if screen(&mut app, 80, 24).contains("New goal") {
            key(&mut app, KeyCode::Esc);
            key(&mut app, KeyCode::Char('d'));
        }
        assert!(screen(&mut app, 80, 24).contains("Case plan"), "{}", case["label"]);
    }
}
