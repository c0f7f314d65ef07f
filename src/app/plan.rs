//! The plan phase's messages: opening the plan, goals and evaluations, the plan's forms (with
//! their drafts), and the quick actions that need no form (ticking and moving steps).

use super::message::PlanMsg;
use super::App;
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
                self.push_plan_form(Box::new(GoalFormScreen::new(
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
                self.push_plan_form(Box::new(GoalFormScreen::new(mode, today, data, Some(&g))))?;
            }
            PlanMsg::AddStep(goal_id) => {
                let g = self.store.goal(goal_id)?;
                if !g.status.is_open() {
                    return self.say(closed_goal(&g.reference, g.status));
                }
                let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
                let form =
                    PlanFormScreen::new(PlanForm::NewStep { goal_id }, g.client_id, today, aside, None);
                self.push_plan_form(Box::new(form))?;
            }
            PlanMsg::EditStep(step_id) => {
                let s = self.store.step(step_id)?;
                let g = self.store.goal(s.goal_id)?;
                if !g.status.is_open() {
                    return self.say(closed_goal(&g.reference, g.status));
                }
                let aside = vec![format!("Goal {}: {}", g.reference, g.statement)];
                let kind = PlanForm::EditStep { goal_id: g.id, step_id };
                self.push_plan_form(Box::new(PlanFormScreen::new(
                    kind,
                    g.client_id,
                    today,
                    aside,
                    Some(&s),
                )))?;
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
                self.push_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
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
                self.push_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
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
                self.push_plan_form(Box::new(PlanFormScreen::new(kind, g.client_id, today, aside, None)))?;
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
                self.push_plan_form(Box::new(form))?;
            }
            PlanMsg::Evaluate(c) => {
                self.store.client(c)?;
                let episode = crate::store::clients::current_episode_id(&self.store.conn, c)?;
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
                self.push_plan_form(Box::new(form))?;
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

    fn push_plan_form(&mut self, v: Box<dyn View>) -> Result<(), StoreError> {
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
}

fn closed_goal(reference: &str, status: GoalStatus) -> String {
    format!(
        "Goal {reference} is {}: steps and progress are kept as they were. A goal taken up again is a new goal.",
        status.label().to_lowercase()
    )
}
