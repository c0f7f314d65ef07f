//! Planning: the case plan, SMART goals with steps and progress, reviews and evaluations.

pub mod case_plan;
pub mod evaluation;
pub mod forms;
pub mod goal;
pub mod goal_form;

use crate::app::message::PlanMsg;
use crate::domain::dates::format_date;
use crate::domain::goal::{allowed_next, suggested_outcome, GoalStatus};
use crate::domain::instruments::Scoring;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, Action, Context};
use crate::store::Result;
use crate::ui::view::{Opened, SubmitCtx};
use case_plan::PlanScreen;
use evaluation::EvaluationScreen;
use forms::{GoalToEvaluate, PlanForm, PlanFormKind, OUTCOME_FIELDS};
use goal::GoalScreen;
use goal_form::{GoalForm, GoalFormData, GoalFormMode};

/// Opens the screen a plan message asks for.
pub fn open(ctx: &mut SubmitCtx<'_>, m: PlanMsg) -> Result<Opened> {
    let today = ctx.today;
    match m {
        PlanMsg::OpenPlan(c) => {
            ctx.store.client(c)?;
            Opened::screen(PlanScreen::new(c))
        }
        PlanMsg::OpenGoal(id) => {
            let g = ctx.store.goal(id)?;
            Opened::screen(GoalScreen::new(id, g.client_id))
        }
        PlanMsg::OpenStep(step_id) => {
            let step = ctx.store.step(step_id)?;
            let g = ctx.store.goal(step.goal_id)?;
            Opened::screen(GoalScreen::new(g.id, g.client_id).selecting(step_id))
        }
        PlanMsg::NewGoal(c) => {
            ctx.store.client(c)?;
            let data = goal_form_data(ctx, c, None)?;
            Opened::screen(GoalForm::new(GoalFormMode::New { client_id: c }, today, data, None))
        }
        PlanMsg::EditGoal(id) => {
            let g = ctx.store.goal(id)?;
            if !g.status.is_open() {
                return Opened::refused(format!(
                    "Goal {} is {}: it is kept as it was. A goal taken up again is a new goal ({} on the plan).",
                    g.reference,
                    g.status.label().to_lowercase(),
                    key_label(Context::Plan, Action::New)
                ));
            }
            let data = goal_form_data(ctx, g.client_id, Some(id))?;
            let mode = GoalFormMode::Edit { goal_id: id, client_id: g.client_id };
            Opened::screen(GoalForm::new(mode, today, data, Some(&g)))
        }
        PlanMsg::AddStep(goal_id) => {
            let g = ctx.store.goal(goal_id)?;
            if !g.status.is_open() {
                return Opened::refused(closed_goal(&g.reference, g.status));
            }
            let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
            let form = PlanForm::new(PlanFormKind::NewStep { goal_id }, g.client_id, today, aside, None);
            Opened::screen(form)
        }
        PlanMsg::EditStep(step_id) => {
            let s = ctx.store.step(step_id)?;
            let g = ctx.store.goal(s.goal_id)?;
            if !g.status.is_open() {
                return Opened::refused(closed_goal(&g.reference, g.status));
            }
            let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
            let kind = PlanFormKind::EditStep { goal_id: g.id, step_id };
            Opened::screen(PlanForm::new(kind, g.client_id, today, aside, Some(&s)))
        }
        PlanMsg::RecordProgress(goal_id) => {
            let g = ctx.store.goal(goal_id)?;
            if !g.status.is_open() {
                return Opened::refused(closed_goal(&g.reference, g.status));
            }
            let mut aside = vec![format!("Goal {}: {}", g.reference, g.measure_text())];
            match &g.latest {
                Some(p) => aside.push(format!("Latest: {} on {}", g.value_text(p.value), format_date(p.on))),
                None => aside.push("No progress recorded yet.".into()),
            }
            let kind = PlanFormKind::Progress { goal_id, milestone: g.is_milestone() };
            Opened::screen(PlanForm::new(kind, g.client_id, today, aside, None))
        }
        PlanMsg::ChangeStatus(goal_id) => {
            let g = ctx.store.goal(goal_id)?;
            let allowed = allowed_next(g.status);
            if allowed.is_empty() {
                return Opened::refused(format!(
                    "Goal {} was entered in error: it is kept as a record and cannot change.",
                    g.reference
                ));
            }
            let aside = vec![
                format!("Goal {} is {} now.", g.reference, g.status.label().to_lowercase()),
                format!(
                    "It can become: {}.",
                    allowed.iter().map(|s| s.label().to_lowercase()).collect::<Vec<_>>().join(", ")
                ),
                "On hold, cancelled and entered in error need a reason.".into(),
            ];
            let kind = PlanFormKind::Status { goal_id, from: g.status };
            Opened::screen(PlanForm::new(kind, g.client_id, today, aside, None))
        }
        PlanMsg::SetAchievement(goal_id) => {
            let g = ctx.store.goal(goal_id)?;
            if g.status == GoalStatus::EnteredInError {
                return Opened::refused(format!(
                    "Goal {} was entered in error: it is kept as a record.",
                    g.reference
                ));
            }
            let aside = vec![format!(
                "Goal {} is {} now; its last achievement is \"{}\".",
                g.reference,
                g.status.label().to_lowercase(),
                g.achievement.label()
            )];
            let kind = PlanFormKind::Achievement { goal_id, current: g.achievement };
            Opened::screen(PlanForm::new(kind, g.client_id, today, aside, None))
        }
        PlanMsg::Review(c) => {
            ctx.store.client(c)?;
            let mut aside = Vec::new();
            match ctx.store.next_review(c)? {
                Some(r) => aside.push(format!("The next review is due {}.", format_date(r.due_on))),
                None => aside.push("No review date is set yet.".into()),
            }
            if let Some(r) = ctx.store.reviews(c)?.first() {
                aside.push(format!("Last review held {}.", r.held_on.map(format_date).unwrap_or_default()));
            }
            aside.push("Plans are usually reviewed every 90 days.".into());
            let form = PlanForm::new(PlanFormKind::Review { client_id: c }, c, today, aside, None);
            Opened::screen(form)
        }
        PlanMsg::Evaluate(c) => {
            ctx.store.client(c)?;
            let episode = ctx.store.current_episode(c)?;
            let goals: Vec<GoalToEvaluate> = ctx
                .store
                .goals(c, true)?
                .into_iter()
                .filter(|g| g.status != GoalStatus::EnteredInError)
                .filter(|g| g.status.is_open() || (g.episode_id == episode && g.outcome.is_none()))
                .take(OUTCOME_FIELDS.len())
                .map(|g| GoalToEvaluate {
                    id: g.id,
                    label: fit(&format!("{} {}", g.reference, display_safe(&g.statement)), 28),
                    suggested: suggested_outcome(g.achievement),
                })
                .collect();
            let since = ctx.store.episode_start(c)?;
            let changes = ctx.store.screener_changes(c, since, ctx.instruments)?;
            let mut aside =
                vec![format!("Screener change over this episode (since {}):", format_date(since))];
            if changes.is_empty() {
                aside.push("  no screener results in this episode".into());
            }
            aside.extend(changes.iter().map(|ch| format!("  {}", ch.text())));
            aside.push("Outcomes are suggested from each goal's last achievement.".into());
            let form = PlanForm::new(PlanFormKind::Evaluation { client_id: c, goals }, c, today, aside, None);
            Opened::screen(form)
        }
        PlanMsg::OpenEvaluations(c) => {
            ctx.store.client(c)?;
            Opened::screen(EvaluationScreen::new(c, None))
        }
        PlanMsg::OpenEvaluation(id) => {
            let e = ctx.store.evaluation(id)?;
            Opened::screen(EvaluationScreen::new(e.client_id, Some(id)))
        }
    }
}

/// What the goal form offers: the screeners to measure by, the client's needs.
fn goal_form_data(ctx: &SubmitCtx<'_>, client_id: i64, goal: Option<i64>) -> Result<GoalFormData> {
    let screeners: Vec<(String, String)> = ctx
        .instruments
        .iter()
        .filter(|i| matches!(i.scoring, Scoring::Sum(_)))
        .map(|i| (i.id.clone(), i.short_name.clone()))
        .collect();
    let mut latest_totals = Vec::new();
    for (id, _) in &screeners {
        if let Some(p) = ctx.store.trend(client_id, id)?.last() {
            latest_totals.push((id.clone(), p.total));
        }
    }
    let (has_steps, has_owner) = match goal {
        Some(g) => {
            let steps = ctx.store.steps(g)?;
            (!steps.is_empty(), steps.iter().any(|s| s.owner.is_some() || !s.owner_name.is_empty()))
        }
        None => (false, false),
    };
    Ok(GoalFormData {
        screeners,
        latest_totals,
        needs: ctx.store.current_needs(client_id)?,
        has_steps,
        has_owner,
    })
}

fn closed_goal(reference: &str, status: GoalStatus) -> String {
    format!(
        "Goal {reference} is {}: steps and progress are kept as they were. A goal taken up again is a new goal.",
        status.label().to_lowercase()
    )
}
