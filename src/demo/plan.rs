//! The demo's case plans: SMART goals from a handful of realistic templates, with steps (some
//! overdue), progress, reviews, status changes, and afterwards PHQ-9 screenings that move the
//! mood goals and evaluations with outcomes and feedback. All people are synthetic.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::Transaction;
use serde::Deserialize;

use super::{add_days, pick, DemoClient};

use crate::domain::goal::{suggested_outcome, Achievement, GoalStatus, MeasureKind, MeasureSource, Priority};
use crate::domain::plan::{
    AchievementChange, EvaluationInput, NewGoal, NewProgress, NewReview, NewStep, StatusChange,
};
use crate::store::goals::{change_achievement, change_status, insert_goal, insert_progress};
use crate::store::plan::insert_review;
use crate::store::{Result, Store};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    goals: Vec<Template>,
    /// Who agreed a goal.
    agreed_by: Vec<String>,
    /// Why a goal matters to the client ("" for unsaid).
    why: Vec<String>,
    /// What clients said at an evaluation.
    feedback: Vec<String>,
    helped: Vec<String>,
}

/// A goal template: statement, what is counted (empty: a milestone), unit, baseline, target,
/// life domain, measured by the PHQ-9 or not, steps.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    statement: String,
    what: String,
    unit: String,
    baseline: f64,
    target: f64,
    domain: String,
    phq9: bool,
    steps: Vec<String>,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "plan.json", include_str!("../../assets/demo/plan.json"))
}

/// What the demo made, and the screenings and evaluations it adds after its transaction.
#[derive(Default)]
pub struct PlanDemo {
    pub goals: usize,
    pub evaluations: usize,
    screenings: Vec<(i64, Vec<(NaiveDate, u32)>)>,
    evaluate: Vec<(i64, NaiveDate, bool)>,
}

/// Goals, steps, progress and a review for one client, inside the demo's transaction.
pub fn plan_for_client(
    tx: &Transaction<'_>,
    rng: &mut StdRng,
    c: &DemoClient,
    now: DateTime<Utc>,
    out: &mut PlanDemo,
) -> Result<()> {
    let w = words()?;
    if !rng.random_bool(if c.closed { 0.5 } else { 0.7 }) {
        return Ok(());
    }
    let today = now.date_naive();
    let n = rng.random_range(1..=3usize);
    let first = rng.random_range(0..w.goals.len());
    let mut goal_ids = Vec::new();
    let mut mood: Option<(NaiveDate, f64)> = None;
    for k in 0..n {
        let t = &w.goals[(first + k * 2) % w.goals.len()];
        // an open case's plan is recent; a closed case's began near its intake
        let from =
            if c.closed { c.intake } else { add_days(c.until, -rng.random_range(20..200)).max(c.intake) };
        let span = (c.until - from).num_days().max(1);
        let start = add_days(from, rng.random_range(0..span.min(30)));
        let target_date = add_days(start, rng.random_range(if c.closed { 45..240 } else { 120..400 }));
        let milestone = t.what.is_empty();
        let baseline = if t.phq9 { f64::from(rng.random_range(15..=20)) } else { t.baseline };
        let goal = NewGoal {
            draft: crate::domain::goal::GoalDraft {
                statement: t.statement.clone(),
                measure: if milestone {
                    MeasureKind::Milestone
                } else {
                    MeasureKind::Numeric {
                        what: t.what.clone(),
                        unit: t.unit.clone(),
                        baseline,
                        target: t.target,
                    }
                },
                who_agreed: pick(rng, &w.agreed_by).to_string(),
                why_it_matters: pick(rng, &w.why).to_string(),
                start,
                target_date: Some(target_date),
                term: None,
                priority: *pick(rng, Priority::ALL),
                domain: Some(t.domain.clone()),
                need: None,
                has_steps: true,
                has_owner: true,
            },
            source: if t.phq9 {
                MeasureSource::Screener { instrument: "phq9".into() }
            } else {
                MeasureSource::Manual
            },
            need_source: String::new(),
            status: if rng.random_bool(0.1) { GoalStatus::Proposed } else { GoalStatus::Active },
        };
        let steps: Vec<NewStep> = t
            .steps
            .iter()
            .map(|text| {
                let due = add_days(c.until, rng.random_range(-20..120));
                let done = (due < c.until && rng.random_bool(0.95)).then(|| due.min(today));
                NewStep {
                    text: text.to_string(),
                    owner: Some(*pick(rng, crate::domain::goal::StepOwner::ALL)),
                    owner_name: String::new(),
                    due: Some(due),
                    done: if c.closed { Some(due.min(c.until)) } else { done },
                }
            })
            .collect();
        let id = insert_goal(tx, c.id, &goal, &steps, "Demo Practitioner", now)?;
        out.goals += 1;
        goal_ids.push(id);
        if t.phq9 {
            mood = Some((start, baseline));
        } else {
            // progress towards the target, with the odd step back
            let entries = rng.random_range(0..=4);
            let days = (c.until - start).num_days().max(1);
            let mut value = baseline;
            for e in 1..=entries {
                let on = add_days(start, days * e / (entries + 1));
                let value_now = if milestone {
                    f64::from(u8::from(e == entries && rng.random_bool(0.5)))
                } else {
                    value += (t.target - baseline) / 4.0 * rng.random_range(0.2..1.4);
                    value.round()
                };
                let note = if rng.random_bool(0.4) { "Reviewed together at the visit." } else { "" };
                insert_progress(tx, id, &NewProgress { on, value: value_now, note: note.into() }, now)?;
            }
        }
        if goal.status == GoalStatus::Active && rng.random_bool(0.5) {
            let to = *pick(
                rng,
                &[
                    Achievement::Improving,
                    Achievement::NoChange,
                    Achievement::Achieved,
                    Achievement::Worsening,
                ],
            );
            let change = AchievementChange { to, reason: "At the review.".into(), on: c.until.min(today) };
            change_achievement(tx, id, &change, "Demo Practitioner", now)?;
        }
    }
    if let Some((start, baseline)) = mood {
        // PHQ-9 every six weeks or so, coming down from the baseline
        let mut results = Vec::new();
        let mut on = start;
        let mut total = baseline as u32;
        while on <= c.until && results.len() < 4 {
            results.push((on, total));
            on = add_days(on, rng.random_range(30..50));
            total = total.saturating_sub(rng.random_range(0..5));
        }
        out.screenings.push((c.id, results));
    }
    if c.closed {
        for id in &goal_ids {
            let to = if rng.random_bool(0.7) { GoalStatus::Completed } else { GoalStatus::Cancelled };
            let mut path = vec![];
            if to == GoalStatus::Completed {
                path.push((GoalStatus::Active, ""));
            }
            path.push((to, if to == GoalStatus::Cancelled { "The case closed." } else { "" }));
            for (status, reason) in path {
                let change = StatusChange { to: status, reason: reason.into(), on: c.until };
                // a proposed goal is activated first; an active one is not activated again
                let _ = change_status(tx, *id, &change, "Demo Practitioner", now);
            }
        }
        out.evaluate.push((c.id, c.until, true));
    } else {
        let next = add_days(today, rng.random_range(-10..80));
        let held = rng.random_bool(0.5).then(|| add_days(today, -rng.random_range(20..60)));
        let review = NewReview {
            held_on: held,
            summary: if held.is_some() { "Plan reviewed with the client.".into() } else { String::new() },
            next_review: next.max(held.map(|h| add_days(h, 1)).unwrap_or(next)),
        };
        insert_review(tx, c.id, &review, "Demo Practitioner", now)?;
        if rng.random_bool(0.3) {
            out.evaluate.push((c.id, add_days(today, -rng.random_range(0..20)), false));
        }
    }
    Ok(())
}

/// After the demo's transaction: PHQ-9 screenings (which give the mood goals their progress,
/// as a real screening would) and evaluations, for at most a few dozen clients.
pub fn finish(store: &mut Store, rng: &mut StdRng, out: &mut PlanDemo, now: DateTime<Utc>) -> Result<()> {
    let w = words()?;
    let instruments = crate::domain::instruments::builtin()
        .map_err(|e| crate::store::StoreError::Refused(e.to_string()))?;
    let Some(phq9) = crate::domain::instruments::find(&instruments, "phq9") else { return Ok(()) };
    for (client, results) in std::mem::take(&mut out.screenings).into_iter().take(40) {
        for (on, total) in results {
            // nine items, the last (self-harm) always 0 so that the demo raises no alert
            let mut left = total.min(24);
            let mut items = Vec::new();
            for _ in 0..8 {
                let v = left.min(3);
                items.push(v.to_string());
                left -= v;
            }
            items.push("0".into());
            if let Ok(answers) = crate::domain::instruments::parse_answer_list(phq9, &items.join(",")) {
                store.add_screening(client, phq9, &answers, on, "", now)?;
            }
        }
    }
    for (client, on, closure) in std::mem::take(&mut out.evaluate).into_iter().take(60) {
        let goals = store.goals(client, true)?;
        let outcomes: Vec<(i64, String)> = goals
            .iter()
            .filter(|g| g.status != GoalStatus::EnteredInError)
            .map(|g| (g.id, suggested_outcome(g.achievement).as_str().to_string()))
            .collect();
        let input = EvaluationInput {
            on: crate::domain::dates::format_date(on),
            occasion: if closure { "closure".into() } else { "review".into() },
            outcomes,
            satisfaction: rng.random_range(2..=5u8).to_string(),
            feedback: pick(rng, &w.feedback).to_string(),
            helped: pick(rng, &w.helped).to_string(),
        };
        if let Ok(e) = crate::domain::plan::read_evaluation(&input, now.date_naive()) {
            store.add_evaluation(client, &e, &instruments, "Demo Practitioner", now)?;
            out.evaluations += 1;
        }
    }
    Ok(())
}
