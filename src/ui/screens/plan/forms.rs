//! The plan's small forms: a step, a progress entry, a status or achievement change (offering
//! only what the lifecycle allows), a plan review, and an evaluation. Each shows, beside the
//! fields, what the practitioner needs to see while filling it in.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::message::Message;
use crate::app::message::PlanMsg;
use crate::domain::client::client_ref;
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::domain::goal::{Achievement, GoalStatus, Outcome, StepOwner};
use crate::domain::plan::{
    goal_ref, next_review_after, read_achievement_change, read_evaluation, read_progress, read_review,
    read_status_change, read_step, step_ref, ChangeInput, EvaluationInput, ProgressInput, ReviewInput,
    StepInput,
};
use crate::domain::text::display_safe;
use crate::keymap::Action;
use crate::store::goals::Step;
use crate::store::Result;
use crate::ui::form_screen::{Aside, FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

/// Field ids of the per-goal outcome choices of an evaluation (a form's ids are fixed names).
pub const OUTCOME_FIELDS: [&str; 24] = [
    "outcome_1",
    "outcome_2",
    "outcome_3",
    "outcome_4",
    "outcome_5",
    "outcome_6",
    "outcome_7",
    "outcome_8",
    "outcome_9",
    "outcome_10",
    "outcome_11",
    "outcome_12",
    "outcome_13",
    "outcome_14",
    "outcome_15",
    "outcome_16",
    "outcome_17",
    "outcome_18",
    "outcome_19",
    "outcome_20",
    "outcome_21",
    "outcome_22",
    "outcome_23",
    "outcome_24",
];

/// A goal offered for evaluation: its id, a short label and the outcome to offer first.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalToEvaluate {
    pub id: i64,
    pub label: String,
    pub suggested: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanFormKind {
    NewStep { goal_id: i64 },
    EditStep { goal_id: i64, step_id: i64 },
    Progress { goal_id: i64, milestone: bool },
    Status { goal_id: i64, from: GoalStatus },
    Achievement { goal_id: i64, current: Achievement },
    Review { client_id: i64 },
    Evaluation { client_id: i64, goals: Vec<GoalToEvaluate> },
}

pub struct PlanForm {
    pub kind: PlanFormKind,
    client_id: i64,
    /// What to read beside the fields (the goal's measure, the allowed changes, the screener
    /// change over the episode...).
    aside: Vec<String>,
}

pub type PlanFormScreen = FormScreen<PlanForm>;

fn owner_choices() -> Vec<(&'static str, &'static str)> {
    let mut owners: Vec<(&str, &str)> = vec![("", "(nobody named yet)")];
    owners.extend(StepOwner::ALL.iter().map(|o| (o.as_str(), o.label())));
    owners
}

fn step_fields(with_done: bool) -> Vec<Field> {
    let mut f = vec![
        Field::text("text", "Step")
            .max(500)
            .help("What is to be done, for example \"call the housing office\"."),
        Field::choice("owner", "Who does it", &owner_choices()),
        Field::text("owner_name", "Their name").max(200).help("Optional: the sister, the housing officer..."),
        Field::date("due", "Due"),
    ];
    if with_done {
        f.push(Field::date("done", "Done on").help("Leave empty while the step is still to do."));
    }
    f
}

impl PlanForm {
    /// `aside` lines are shown with the form; `step` fills an edit of that step.
    pub fn new(
        kind: PlanFormKind,
        client_id: i64,
        today: NaiveDate,
        aside: Vec<String>,
        step: Option<&Step>,
    ) -> PlanFormScreen {
        let (title, fields): (String, Vec<Field>) = match &kind {
            PlanFormKind::NewStep { goal_id } => {
                (format!("New step for goal {}", goal_ref(*goal_id)), step_fields(false))
            }
            PlanFormKind::EditStep { step_id, .. } => {
                (format!("Step {}", step_ref(*step_id)), step_fields(true))
            }
            PlanFormKind::Progress { goal_id, milestone } => {
                let value = if *milestone {
                    Field::choice("value", "Milestone reached", &[("yes", "Yes, reached"), ("no", "Not yet")])
                } else {
                    Field::number("value", "Measured value").help("The value measured on that day.")
                };
                (
                    format!("Progress on goal {}", goal_ref(*goal_id)),
                    vec![
                        Field::date("on", "Measured on"),
                        value,
                        Field::multiline("note", "Note", 3).help("What happened; optional."),
                    ],
                )
            }
            PlanFormKind::Status { goal_id, from } => {
                let allowed = crate::domain::goal::allowed_next(*from);
                let options: Vec<(&str, &str)> = allowed.iter().map(|s| (s.as_str(), s.label())).collect();
                (
                    format!("Status of goal {}", goal_ref(*goal_id)),
                    vec![
                        Field::choice("to", "Change to", &options)
                            .help("Only the changes the goal's lifecycle allows from here are offered."),
                        Field::text("reason", "Reason").max(500).help(
                            "Needed for on hold, cancelled and entered in error; kept in the goal's history.",
                        ),
                        Field::date("on", "Date"),
                    ],
                )
            }
            PlanFormKind::Achievement { goal_id, current } => {
                let options: Vec<(&str, &str)> = Achievement::ALL
                    .iter()
                    .filter(|a| *a != current)
                    .map(|a| (a.as_str(), a.label()))
                    .collect();
                (
                    format!("Achievement of goal {}", goal_ref(*goal_id)),
                    vec![
                        Field::choice("to", "How it is going", &options),
                        Field::text("reason", "Why").max(500).help("Kept in the goal's history."),
                        Field::date("on", "Date"),
                    ],
                )
            }
            PlanFormKind::Review { client_id } => (
                format!("Plan review for {}", client_ref(*client_id)),
                vec![
                    Field::date("held_on", "Review held on")
                        .help("Leave empty to only set the date of the next review."),
                    Field::multiline("summary", "What was agreed", 4),
                    Field::date("next_review", "Next review"),
                ],
            ),
            PlanFormKind::Evaluation { client_id, goals } => {
                let mut fields = vec![
                    Field::date("on", "Evaluated on"),
                    Field::choice(
                        "occasion",
                        "Made",
                        &[("review", "At a review"), ("closure", "At closure")],
                    ),
                ];
                for (g, id) in goals.iter().zip(OUTCOME_FIELDS) {
                    let v = |o: &str| format!("{}:{o}", g.id);
                    let opts = [
                        (v("achieved"), "Achieved".to_string()),
                        (v("partly"), "Partly achieved".to_string()),
                        (v("not-achieved"), "Not achieved".to_string()),
                        (v(""), "(not evaluated now)".to_string()),
                    ];
                    let opts: Vec<(&str, &str)> =
                        opts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                    let mut f = Field::choice(id, &g.label, &opts)
                        .help("Suggested from the goal's last achievement.");
                    f.set_value(&v(g.suggested.as_str()));
                    fields.push(f);
                }
                fields.push(Field::choice(
                    "satisfaction",
                    "Client's satisfaction",
                    &[
                        ("", "(not asked)"),
                        ("1", "1 of 5: not at all satisfied"),
                        ("2", "2 of 5"),
                        ("3", "3 of 5"),
                        ("4", "4 of 5"),
                        ("5", "5 of 5: very satisfied"),
                    ],
                ));
                fields
                    .push(Field::multiline("feedback", "Client's comment", 3).help("In the client's words."));
                fields.push(
                    Field::text("helped", "What helped, or didn't")
                        .help("Services that helped or did not, for the closing summary."),
                );
                (format!("Evaluation for {}", client_ref(*client_id)), fields)
            }
        };
        let mut form = Form::new(&title, fields, today);
        match &kind {
            PlanFormKind::Progress { .. }
            | PlanFormKind::Status { .. }
            | PlanFormKind::Achievement { .. } => {
                form.set_value("on", &format_date(today));
            }
            PlanFormKind::Review { .. } => {
                form.set_value("held_on", &format_date(today));
                form.set_value("next_review", &format_date(next_review_after(today)));
            }
            PlanFormKind::Evaluation { .. } => form.set_value("on", &format_date(today)),
            _ => {}
        }
        if matches!(kind, PlanFormKind::Progress { .. }) {
            // the value is what is typed most often; the day is usually today
            form.focus = 1;
        }
        if let Some(s) = step {
            form.set_value("text", &s.text);
            form.set_value("owner", s.owner.map(StepOwner::as_str).unwrap_or(""));
            form.set_value("owner_name", &s.owner_name);
            form.set_value("due", &s.due.map(format_date).unwrap_or_default());
            form.set_value("done", &s.done.map(format_date).unwrap_or_default());
        }
        form.dirty = false;
        FormScreen::new(form, PlanForm { kind, client_id, aside })
    }

    fn step_input(form: &Form) -> StepInput {
        StepInput {
            text: form.value("text"),
            owner: form.value("owner"),
            owner_name: form.value("owner_name"),
            due: form.value("due"),
            done: form.value("done"),
        }
    }

    fn change_input(form: &Form) -> ChangeInput {
        ChangeInput { to: form.value("to"), reason: form.value("reason"), on: form.value("on") }
    }

    fn evaluation_input(&self, form: &Form) -> EvaluationInput {
        let mut outcomes = Vec::new();
        if let PlanFormKind::Evaluation { goals, .. } = &self.kind {
            for (g, id) in goals.iter().zip(OUTCOME_FIELDS) {
                let v = form.value(id);
                // the value names its goal ("12:partly"), so a draft never puts one goal's
                // outcome on another
                if let Some((goal, word)) = v.split_once(':') {
                    if goal == g.id.to_string() && !word.is_empty() {
                        outcomes.push((g.id, word.to_string()));
                    }
                }
            }
        }
        EvaluationInput {
            on: form.value("on"),
            occasion: form.value("occasion"),
            outcomes,
            satisfaction: form.value("satisfaction"),
            feedback: form.value("feedback"),
            helped: form.value("helped"),
        }
    }

    fn aside_lines(&self) -> Vec<Line<'static>> {
        self.aside.iter().map(|l| Line::from(Span::raw(display_safe(l).into_owned()))).collect()
    }
}

impl FormSpec for PlanForm {
    fn title(&self) -> &'static str {
        match self.kind {
            PlanFormKind::NewStep { .. } | PlanFormKind::EditStep { .. } => "Step",
            PlanFormKind::Progress { .. } => "Progress",
            PlanFormKind::Status { .. } => "Goal status",
            PlanFormKind::Achievement { .. } => "Achievement",
            PlanFormKind::Review { .. } => "Plan review",
            PlanFormKind::Evaluation { .. } => "Evaluation",
        }
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn aside(&self, _form: &Form, area: Rect) -> Option<Aside> {
        if self.aside.is_empty() {
            return None;
        }
        let height = (self.aside.len() as u16 + 2).min(area.height / 3).max(3);
        Some(Aside { title: "For reference", lines: self.aside_lines(), width: 48, height })
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        let c = Some(self.client_id);
        let (key, kind, title) = match &self.kind {
            PlanFormKind::NewStep { goal_id } => (
                format!("goal-step:new:{goal_id}"),
                DraftKind::GoalStepNew,
                format!("New step for goal {}", goal_ref(*goal_id)),
            ),
            PlanFormKind::EditStep { step_id, .. } => (
                format!("goal-step:edit:{step_id}"),
                DraftKind::GoalStepEdit,
                format!("Edit of step {}", step_ref(*step_id)),
            ),
            PlanFormKind::Progress { goal_id, .. } => (
                format!("goal-progress:{goal_id}"),
                DraftKind::GoalProgress,
                format!("Progress on goal {}", goal_ref(*goal_id)),
            ),
            PlanFormKind::Status { goal_id, .. } => (
                format!("goal-status:{goal_id}"),
                DraftKind::GoalStatus,
                format!("Status change of goal {}", goal_ref(*goal_id)),
            ),
            PlanFormKind::Achievement { goal_id, .. } => (
                format!("goal-achievement:{goal_id}"),
                DraftKind::GoalAchievement,
                format!("Achievement of goal {}", goal_ref(*goal_id)),
            ),
            PlanFormKind::Review { client_id } => (
                format!("plan-review:{client_id}"),
                DraftKind::PlanReview,
                format!("Plan review for {}", client_ref(*client_id)),
            ),
            PlanFormKind::Evaluation { client_id, .. } => (
                format!("evaluation:new:{client_id}"),
                DraftKind::EvaluationNew,
                format!("Evaluation for {}", client_ref(*client_id)),
            ),
        };
        Some(DraftInfo { key, kind, client_id: c, title })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let today = ctx.today;
        let by = ctx.settings.signature();
        let result = match self.kind.clone() {
            PlanFormKind::NewStep { goal_id } => match read_step(&Self::step_input(form), today) {
                Err(e) => Err(e),
                Ok(s) => Ok(ctx.store.add_step(goal_id, &s, ctx.now).map(|id| {
                    (format!("Step {} added to goal {}.", step_ref(id), goal_ref(goal_id)), vec![])
                })),
            },
            PlanFormKind::EditStep { step_id, goal_id } => match read_step(&Self::step_input(form), today) {
                Err(e) => Err(e),
                Ok(s) => Ok(ctx
                    .store
                    .update_step(step_id, &s, ctx.now)
                    .map(|_| (format!("Step of goal {} saved.", goal_ref(goal_id)), vec![]))),
            },
            PlanFormKind::Progress { goal_id, milestone } => {
                let input = ProgressInput {
                    on: form.value("on"),
                    value: form.value("value"),
                    note: form.value("note"),
                };
                match read_progress(&input, today, milestone) {
                    Err(e) => Err(e),
                    Ok(p) => Ok(ctx.store.add_progress(goal_id, &p, ctx.now).and_then(|_| {
                        let g = ctx.store.goal(goal_id)?;
                        let pct = g
                            .progress_percent
                            .map(|p| format!(" ({} %)", p.round() as i64))
                            .unwrap_or_default();
                        Ok((
                            format!("Progress on goal {}: {}{pct}.", g.reference, g.value_text(p.value)),
                            vec![],
                        ))
                    })),
                }
            }
            PlanFormKind::Status { goal_id, .. } => {
                match read_status_change(&Self::change_input(form), today) {
                    Err(e) => Err(e),
                    Ok(c) => Ok(ctx.store.set_goal_status(goal_id, &c, &by, ctx.now).map(|_| {
                        (
                            format!("Goal {} is now {}.", goal_ref(goal_id), c.to.label().to_lowercase()),
                            vec![],
                        )
                    })),
                }
            }
            PlanFormKind::Achievement { goal_id, .. } => {
                match read_achievement_change(&Self::change_input(form), today) {
                    Err(e) => Err(e),
                    Ok(c) => Ok(ctx.store.set_achievement(goal_id, &c, &by, ctx.now).map(|_| {
                        (format!("Goal {}: {}.", goal_ref(goal_id), c.to.label().to_lowercase()), vec![])
                    })),
                }
            }
            PlanFormKind::Review { client_id } => {
                let input = ReviewInput {
                    held_on: form.value("held_on"),
                    summary: form.value("summary"),
                    next_review: form.value("next_review"),
                };
                match read_review(&input, today) {
                    Err(e) => Err(e),
                    Ok(r) => Ok(ctx.store.record_review(client_id, &r, &by, ctx.now).map(|_| {
                        let held = if r.held_on.is_some() { "Review recorded. " } else { "" };
                        (format!("{held}Next plan review {}.", format_date(r.next_review)), vec![])
                    })),
                }
            }
            PlanFormKind::Evaluation { client_id, .. } => {
                match read_evaluation(&self.evaluation_input(form), today) {
                    Err(e) => Err(e),
                    Ok(ev) => Ok(ctx
                        .store
                        .add_evaluation(client_id, &ev, ctx.instruments, &by, ctx.now)
                        .map(|id| {
                            (
                                format!("Evaluation {} saved.", crate::domain::plan::evaluation_ref(id)),
                                vec![Message::Plan(PlanMsg::OpenEvaluation(id))],
                            )
                        })),
                }
            }
        };
        match result {
            Err(errors) => {
                // the evaluation's outcomes are one message for all goal fields
                let errors: Vec<_> = errors
                    .into_iter()
                    .map(|mut e| {
                        if e.field == "outcomes" {
                            e.field = OUTCOME_FIELDS[0];
                        }
                        e
                    })
                    .collect();
                form.add_errors(&errors);
                if !errors.iter().any(|e| form.field(e.field).is_some()) {
                    form.notice = errors.first().map(|e| format!("Nothing was saved. {}", e.message));
                }
                Ok(Submitted::Stay)
            }
            Ok(Ok((status, then))) => Ok(Submitted::Done { status, then }),
            Ok(Err(e)) => refusal_to_form(form, e),
        }
    }
}
