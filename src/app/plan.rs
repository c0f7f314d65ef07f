//! The plan phase's messages: opening the plan, goals and evaluations, the plan's forms (with
//! their drafts), and the quick actions that need no form (ticking and moving steps).

use crate::app::{App, Message};
use crate::domain::dates::format_date;
use crate::domain::goal::{allowed_next, suggested_outcome, GoalStatus};
use crate::domain::instruments::Scoring;
use crate::domain::text::{display_safe, fit};
use crate::store::StoreError;
use crate::ui::screens::evaluation::EvaluationScreen;
use crate::ui::screens::goal::GoalScreen;
use crate::ui::screens::goal_form::{GoalFormData, GoalFormMode, GoalFormScreen};
use crate::ui::screens::plan::PlanScreen;
use crate::ui::screens::plan_forms::{GoalToEvaluate, PlanForm, PlanFormScreen, OUTCOME_FIELDS};
use crate::ui::view::View;

#[derive(Debug, Clone, PartialEq)]
pub enum PlanMsg {
    /// A client's case plan.
    OpenPlan(i64),
    OpenGoal(i64),
    /// The goal form for a client.
    NewGoal(i64),
    EditGoal(i64),
    AddStep(i64),
    EditStep(i64),
    /// Ticks a step done today, or back to not done.
    ToggleStep(i64),
    MoveStep {
        step: i64,
        delta: i32,
    },
    RecordProgress(i64),
    ChangeStatus(i64),
    SetAchievement(i64),
    /// Record a plan review / set the next date, for a client.
    Review(i64),
    /// The evaluation form, for a client.
    Evaluate(i64),
    /// A client's evaluations, newest first.
    OpenEvaluations(i64),
    OpenEvaluation(i64),
}

/// Draft kinds the plan's forms write (see `App::resume_plan_draft`).
pub fn is_plan_draft(kind: &str) -> bool {
    matches!(
        kind,
        "goal-new"
            | "goal-edit"
            | "goal-step-new"
            | "goal-step-edit"
            | "goal-progress"
            | "goal-status"
            | "goal-achievement"
            | "plan-review"
            | "evaluation-new"
    )
}

impl App {
    pub(crate) fn update_plan(&mut self, m: PlanMsg) -> Result<(), StoreError> {
        let today = self.today;
        match m {
            PlanMsg::OpenPlan(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(PlanScreen::new(c)));
            }
            PlanMsg::OpenGoal(id) => {
                let g = self.store.goal(id)?;
                self.push_view(Box::new(GoalScreen::new(id, g.client_id)));
            }
            PlanMsg::NewGoal(c) => {
                self.store.client(c)?;
                let data = self.goal_form_data(c, None)?;
                self.open_plan_form(Box::new(GoalFormScreen::new(
                    GoalFormMode::New { client_id: c },
                    today,
                    data,
                    None,
                )))?;
            }
            PlanMsg::EditGoal(id) => {
                let g = self.store.goal(id)?;
                if !g.status.is_open() {
                    return self.say(format!(
                        "Goal {} is {}: it is kept as it was. A goal taken up again is a new goal (n on the plan).",
                        g.reference,
                        g.status.label().to_lowercase()
                    ));
                }
                let data = self.goal_form_data(g.client_id, Some(id))?;
                let mode = GoalFormMode::Edit { goal_id: id, client_id: g.client_id };
                self.open_plan_form(Box::new(GoalFormScreen::new(mode, today, data, Some(&g))))?;
            }
            PlanMsg::AddStep(goal_id) => {
                let g = self.store.goal(goal_id)?;
                if !g.status.is_open() {
                    return self.say(closed_goal(&g.reference, g.status));
                }
                let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
                let form =
                    PlanFormScreen::new(PlanForm::NewStep { goal_id }, g.client_id, today, aside, None);
                self.open_plan_form(Box::new(form))?;
            }
            PlanMsg::EditStep(step_id) => {
                let s = self.store.step(step_id)?;
                let g = self.store.goal(s.goal_id)?;
                if !g.status.is_open() {
                    return self.say(closed_goal(&g.reference, g.status));
                }
                let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
                let kind = PlanForm::EditStep { goal_id: g.id, step_id };
                self.open_plan_form(Box::new(PlanFormScreen::new(
                    kind,
                    g.client_id,
                    today,
                    aside,
                    Some(&s),
                )))?;
            }
            PlanMsg::ToggleStep(step_id) => {
                let s = self.store.step(step_id)?;
                let done = if s.done.is_some() { None } else { Some(today) };
                self.store.set_step_done(step_id, done, self.now)?;
                self.invalidate_all();
                self.status = Some(match done {
                    Some(d) => format!("Step done on {}: {}", format_date(d), display_safe(&s.text)),
                    None => format!("Step back to do: {}", display_safe(&s.text)),
                });
            }
            PlanMsg::MoveStep { step, delta } => {
                self.store.move_step(step, delta, self.now)?;
                self.invalidate_all();
            }
            PlanMsg::RecordProgress(goal_id) => {
                let g = self.store.goal(goal_id)?;
                if !g.status.is_open() {
                    return self.say(closed_goal(&g.reference, g.status));
                }
                let mut aside = vec![format!("Goal {}: {}", g.reference, g.measure_text())];
                match &g.latest {
                    Some(p) => {
                        aside.push(format!("Latest: {} on {}", g.value_text(p.value), format_date(p.on)))
                    }
                    None => aside.push("No progress recorded yet.".into()),
                }
                let kind = PlanForm::Progress { goal_id, milestone: g.is_milestone() };
                self.open_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
            }
            PlanMsg::ChangeStatus(goal_id) => {
                let g = self.store.goal(goal_id)?;
                let allowed = allowed_next(g.status);
                if allowed.is_empty() {
                    return self.say(format!(
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
                let kind = PlanForm::Status { goal_id, from: g.status };
                self.open_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
            }
            PlanMsg::SetAchievement(goal_id) => {
                let g = self.store.goal(goal_id)?;
                if g.status == GoalStatus::EnteredInError {
                    return self
                        .say(format!("Goal {} was entered in error: it is kept as a record.", g.reference));
                }
                let aside = vec![format!(
                    "Goal {} is {} now; its last achievement is \"{}\".",
                    g.reference,
                    g.status.label().to_lowercase(),
                    g.achievement.label()
                )];
                let kind = PlanForm::Achievement { goal_id, current: g.achievement };
                self.open_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
            }
            PlanMsg::Review(c) => {
                self.store.client(c)?;
                let mut aside = Vec::new();
                match self.store.next_review(c)? {
                    Some(r) => aside.push(format!("The next review is due {}.", format_date(r.due_on))),
                    None => aside.push("No review date is set yet.".into()),
                }
                if let Some(r) = self.store.reviews(c)?.first() {
                    aside.push(format!(
                        "Last review held {}.",
                        r.held_on.map(format_date).unwrap_or_default()
                    ));
                }
                aside.push("Plans are usually reviewed every 90 days.".into());
                let form = PlanFormScreen::new(PlanForm::Review { client_id: c }, c, today, aside, None);
                self.open_plan_form(Box::new(form))?;
            }
            PlanMsg::Evaluate(c) => {
                self.store.client(c)?;
                let episode = self.store.current_episode(c)?;
                let goals: Vec<GoalToEvaluate> = self
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
                let since = self.store.episode_start(c)?;
                let changes = self.store.screener_changes(c, since, &self.instruments)?;
                let mut aside =
                    vec![format!("Screener change over this episode (since {}):", format_date(since))];
                if changes.is_empty() {
                    aside.push("  no screener results in this episode".into());
                }
                aside.extend(changes.iter().map(|ch| format!("  {}", ch.text())));
                aside.push("Outcomes are suggested from each goal's last achievement.".into());
                let form =
                    PlanFormScreen::new(PlanForm::Evaluation { client_id: c, goals }, c, today, aside, None);
                self.open_plan_form(Box::new(form))?;
            }
            PlanMsg::OpenEvaluations(c) => {
                self.store.client(c)?;
                self.push_view(Box::new(EvaluationScreen::new(c, None)));
            }
            PlanMsg::OpenEvaluation(id) => {
                let e = self.store.evaluation(id)?;
                self.push_view(Box::new(EvaluationScreen::new(e.client_id, Some(id))));
            }
        }
        Ok(())
    }

    fn say(&mut self, text: String) -> Result<(), StoreError> {
        self.status = Some(text);
        Ok(())
    }

    /// Pushes a plan form, offering back its draft if one was left.
    fn open_plan_form(&mut self, mut v: Box<dyn View>) -> Result<(), StoreError> {
        if let Some(key) = v.draft().map(|d| d.key) {
            if let Some(form) = v.form_mut() {
                self.restore_into(form, &key)?;
            }
        }
        self.push_view(v);
        Ok(())
    }

    fn goal_form_data(&self, client_id: i64, goal: Option<i64>) -> Result<GoalFormData, StoreError> {
        let screeners: Vec<(String, String)> = self
            .instruments
            .iter()
            .filter(|i| matches!(i.scoring, Scoring::Sum(_)))
            .map(|i| (i.id.clone(), i.short_name.clone()))
            .collect();
        let mut latest_totals = Vec::new();
        for (id, _) in &screeners {
            if let Some(p) = self.store.trend(client_id, id)?.last() {
                latest_totals.push((id.clone(), p.total));
            }
        }
        let (has_steps, has_owner) = match goal {
            Some(g) => {
                let steps = self.store.steps(g)?;
                (!steps.is_empty(), steps.iter().any(|s| s.owner.is_some() || !s.owner_name.is_empty()))
            }
            None => (false, false),
        };
        Ok(GoalFormData {
            screeners,
            latest_totals,
            needs: self.store.current_needs(client_id)?,
            has_steps,
            has_owner,
        })
    }

    /// Reopens a plan form from its draft, with the screens it was opened from beneath it.
    pub(crate) fn resume_plan_draft(
        &mut self,
        kind: &str,
        key: &str,
        client_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let id = key.rsplit(':').next().and_then(|s| s.parse::<i64>().ok());
        let Some(id) = id else { return Ok(()) };
        // the client's file and plan go beneath, as if the form had been opened from them
        let under_plan = |app: &mut App, c: i64| -> Result<(), StoreError> {
            app.update(Message::OpenClient(c))?;
            app.update_plan(PlanMsg::OpenPlan(c))
        };
        match kind {
            "goal-new" | "plan-review" | "evaluation-new" => {
                let c = client_id.unwrap_or(id);
                under_plan(self, c)?;
                self.update_plan(match kind {
                    "goal-new" => PlanMsg::NewGoal(c),
                    "plan-review" => PlanMsg::Review(c),
                    _ => PlanMsg::Evaluate(c),
                })
            }
            "goal-step-edit" => {
                let s = self.store.step(id)?;
                let g = self.store.goal(s.goal_id)?;
                under_plan(self, g.client_id)?;
                self.update_plan(PlanMsg::OpenGoal(g.id))?;
                self.update_plan(PlanMsg::EditStep(id))
            }
            _ => {
                let g = self.store.goal(id)?;
                under_plan(self, g.client_id)?;
                self.update_plan(PlanMsg::OpenGoal(id))?;
                self.update_plan(match kind {
                    "goal-edit" => PlanMsg::EditGoal(id),
                    "goal-step-new" => PlanMsg::AddStep(id),
                    "goal-progress" => PlanMsg::RecordProgress(id),
                    "goal-status" => PlanMsg::ChangeStatus(id),
                    _ => PlanMsg::SetAchievement(id),
                })
            }
        }
    }
}

fn closed_goal(reference: &str, status: GoalStatus) -> String {
    format!(
        "Goal {reference} is {}: steps and progress are kept as they were. A goal taken up again is a new goal.",
        status.label().to_lowercase()
    )
}
