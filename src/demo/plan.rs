//! The demo's case plans: SMART goals from a handful of realistic templates, with steps (some
//! overdue), progress, reviews, status changes, and afterwards PHQ-9 screenings that move the
//! mood goals and evaluations with outcomes and feedback. All people are synthetic.

use chrono::{DateTime, Days, NaiveDate, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::Transaction;

use crate::domain::goal::{suggested_outcome, Achievement, GoalStatus, MeasureKind, MeasureSource, Priority};
use crate::domain::plan::{
    AchievementChange, EvaluationInput, NewGoal, NewProgress, NewReview, NewStep, StatusChange,
};
use crate::store::goals::{change_achievement, change_status, insert_goal, insert_progress};
use crate::store::plan::insert_review;
use crate::store::{Result, Store};

/// A goal template: statement, what is counted (empty: a milestone), unit, baseline, target,
/// life domain, steps.
struct Template {
    statement: &'static str,
    what: &'static str,
    unit: &'static str,
    baseline: f64,
    target: f64,
    domain: &'static str,
    phq9: bool,
    steps: &'static [&'static str],
}

const TEMPLATES: &[Template] = &[
    Template {
        statement: "I want a place of my own",
        what: "nights in stable housing per month",
        unit: "nights",
        baseline: 0.0,
        target: 30.0,
        domain: "housing",
        phq9: false,
        steps: &["Fill in the housing application", "Call the tenancy team", "View the flat on Elm Road"],
    },
    Template {
        statement: "Stop missing my appointments",
        what: "missed appointments per month",
        unit: "",
        baseline: 6.0,
        target: 0.0,
        domain: "health",
        phq9: false,
        steps: &["Put appointments on the phone calendar", "Ask the GP surgery for text reminders"],
    },
    Template {
        statement: "Get my benefits sorted",
        what: "",
        unit: "",
        baseline: 0.0,
        target: 1.0,
        domain: "income",
        phq9: false,
        steps: &["Bring ID and bank letters", "Book the benefits appointment", "Send the signed form"],
    },
    Template {
        statement: "Have enough food every week",
        what: "days without enough food per week",
        unit: "days",
        baseline: 4.0,
        target: 0.0,
        domain: "food",
        phq9: false,
        steps: &["Register with the food bank", "Make a weekly shopping budget"],
    },
    Template {
        statement: "Feel less low",
        what: "PHQ-9 total",
        unit: "",
        baseline: 17.0,
        target: 9.0,
        domain: "mental health",
        phq9: true,
        steps: &["Go to the walking group on Tuesdays", "See the GP about the medication"],
    },
    Template {
        statement: "Get my son to school every day",
        what: "school days attended per week",
        unit: "days",
        baseline: 2.0,
        target: 5.0,
        domain: "education",
        phq9: false,
        steps: &["Meet the school nurse", "Set up the morning routine chart"],
    },
    Template {
        statement: "See my friends again",
        what: "social outings per month",
        unit: "",
        baseline: 0.0,
        target: 4.0,
        domain: "relationships",
        phq9: false,
        steps: &["Join the community centre group"],
    },
];

const AGREED: &[&str] =
    &["client", "client and her sister", "client and the GP", "client and the school", "client"];
const WHY: &[&str] = &[
    "so the children can stay with her",
    "to feel safe at night",
    "to keep the tenancy",
    "so he can go back to work",
    "to feel like herself again",
    "",
];
const FEEDBACK: &[&str] = &[
    "The help with the council made a difference.",
    "I felt listened to. The waiting was hard.",
    "Having someone to call when things went wrong helped.",
    "The food bank referral came at the right time.",
    "It was too slow at the start, better later.",
];
const HELPED: &[&str] = &[
    "Food bank helped; the job centre did not.",
    "The tenancy team helped; the debt line was hard to reach.",
    "The walking group helped.",
    "",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

/// One demo client, as far as the plan needs to know.
pub struct DemoClient {
    pub id: i64,
    pub intake: NaiveDate,
    /// Today for an open case, the closing day for a closed one.
    pub until: NaiveDate,
    pub closed: bool,
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
    if !rng.random_bool(if c.closed { 0.5 } else { 0.7 }) {
        return Ok(());
    }
    let today = now.date_naive();
    let n = rng.random_range(1..=3usize);
    let first = rng.random_range(0..TEMPLATES.len());
    let mut goal_ids = Vec::new();
    let mut mood: Option<(NaiveDate, f64)> = None;
    for k in 0..n {
        let t = &TEMPLATES[(first + k * 2) % TEMPLATES.len()];
        // an open case's plan is recent; a closed case's began near its intake
        let from =
            if c.closed { c.intake } else { add_days(c.until, -rng.random_range(20..200)).max(c.intake) };
        let span = (c.until - from).num_days().max(1);
        let start = add_days(from, rng.random_range(0..span.min(30)));
        let target_date = add_days(start, rng.random_range(45..240));
        let milestone = t.what.is_empty();
        let baseline = if t.phq9 { f64::from(rng.random_range(15..=20)) } else { t.baseline };
        let goal = NewGoal {
            draft: crate::domain::goal::GoalDraft {
                statement: t.statement.into(),
                measure: if milestone {
                    MeasureKind::Milestone
                } else {
                    MeasureKind::Numeric {
                        what: t.what.into(),
                        unit: t.unit.into(),
                        baseline,
                        target: t.target,
                    }
                },
                who_agreed: pick(rng, AGREED).to_string(),
                why_it_matters: pick(rng, WHY).to_string(),
                start,
                target_date: Some(target_date),
                term: None,
                priority: *pick(rng, Priority::ALL),
                domain: Some(t.domain.into()),
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
                let due = add_days(c.until, rng.random_range(-20..45));
                let done = (due < c.until && rng.random_bool(0.75)).then(|| due.min(today));
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
            feedback: pick(rng, FEEDBACK).to_string(),
            helped: pick(rng, HELPED).to_string(),
        };
        if let Ok(e) = crate::domain::plan::read_evaluation(&input, now.date_naive()) {
            store.add_evaluation(client, &e, &instruments, "Demo Practitioner", now)?;
            out.evaluations += 1;
        }
    }
    Ok(())
}
