//! The goal form: guides each SMART part in plain words as it is typed (a panel that names what
//! is done, what refuses the save and what is only worth fixing), refuses what the domain
//! refuses at the fields, and shows the gaps that do not refuse (no step, nobody responsible)
//! once before saving.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::client::{client_ref, FieldError};
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::domain::goal::{derive_term, MeasureKind, MeasureSource, Priority, StepOwner};
use crate::domain::instruments::LIFE_DOMAINS;
use crate::domain::plan::{
    goal_ref, read_goal, read_step, smart_parts, GoalInput, GoalReading, PartState, SmartPart, StepInput,
};
use crate::domain::text::{display_safe, fit};
use crate::keymap::Action;
use crate::store::assessments::CurrentNeed;
use crate::store::goals::Goal;
use crate::store::Result;
use crate::ui::form_screen::{Aside, FormScreen, FormSpec};
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted, SyncCtx};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalFormMode {
    New { client_id: i64 },
    Edit { goal_id: i64, client_id: i64 },
}

/// What the form is built from, loaded by the app.
pub struct GoalFormData {
    /// Screeners with a total: (id, short name).
    pub screeners: Vec<(String, String)>,
    /// The client's latest total of each screener, to offer as a baseline.
    pub latest_totals: Vec<(String, i32)>,
    pub needs: Vec<CurrentNeed>,
    /// Edit: does the goal have steps, and is someone named for one?
    pub has_steps: bool,
    pub has_owner: bool,
}

pub struct GoalForm {
    pub mode: GoalFormMode,
    data: GoalFormData,
    /// The need's source kept from the goal being edited, when its need is not a current one.
    kept_need: (String, String),
    reading: GoalReading,
    parts: Vec<SmartPart>,
    /// The edit count at which the gaps were shown: a second Ctrl-S with no change saves.
    warned_at: Option<u64>,
    /// What was typed before the last change (a change fills in what can be guessed).
    last: GoalInput,
}

pub type GoalFormScreen = FormScreen<GoalForm>;

/// Labels of the form's fields, also used by the command line's messages.
pub fn goal_fields(data: &GoalFormData, new: bool) -> Vec<Field> {
    let mut sources: Vec<(String, String)> = vec![(String::new(), "Typed in at each review".into())];
    sources.extend(
        data.screeners.iter().map(|(id, short)| (id.clone(), format!("{short} total, from each screening"))),
    );
    let sources: Vec<(&str, &str)> = sources.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut domains: Vec<(&str, &str)> = vec![("", "(none)")];
    domains.extend(LIFE_DOMAINS.iter().map(|d| (*d, *d)));
    let need_labels: Vec<(String, String)> = data
        .needs
        .iter()
        .map(|n| (n.text.clone(), format!("{}: {} ({})", n.life_domain, n.text, n.source)))
        .collect();
    let mut needs: Vec<(&str, &str)> = vec![("", "(none picked)")];
    needs.extend(need_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    let priorities: Vec<(&str, &str)> = Priority::ALL.iter().map(|p| (p.as_str(), p.label())).collect();
    let mut fields = vec![
        Field::text("statement", "Goal, in the client's words")
            .max(500)
            .help("Specific: what the client wants to achieve, as they say it."),
        Field::choice(
            "measure",
            "Measured by",
            &[("numeric", "A number, from a baseline to a target"), ("milestone", "A yes/no milestone")],
        )
        .help("Measurable: a count (nights housed, missed appointments) or a milestone reached or not."),
        Field::choice("source", "Values come from", &sources)
            .help("A screener goal takes its progress from each new screening of that screener."),
        Field::text("what", "What is counted")
            .max(200)
            .help("For example \"nights in stable housing per month\" or \"missed appointments\"."),
        Field::text("unit", "Unit").max(50).help("Optional: nights, appointments, points..."),
        Field::number("baseline", "Baseline (now)").help("Where things stand now."),
        Field::number("target", "Target")
            .help("The number to reach; below the baseline to reduce something (missed appointments 6 → 0)."),
        Field::text("who_agreed", "Who agreed")
            .max(200)
            .help("Achievable: the client, family, a provider..."),
        Field::text("why_it_matters", "Why it matters")
            .max(500)
            .help("Relevant: why this matters to the client."),
        Field::choice("need", "Need it answers", &needs)
            .help("From the latest assessment's needs and positive social-needs screening domains."),
        Field::choice("life_domain", "Life domain", &domains),
        Field::choice("priority", "Priority", &priorities),
        Field::date("start", "Start date"),
        Field::date("target_date", "Target date").help("Time-bound: when the goal should be reached."),
        Field::choice(
            "term",
            "Term",
            &[("", "From the dates"), ("short", "Short-term (chosen)"), ("long", "Long-term (chosen)")],
        ),
    ];
    if new {
        fields.push(Field::choice(
            "status",
            "Starts as",
            &[("active", "Active: agreed, starting now"), ("proposed", "Proposed: not yet agreed")],
        ));
        let mut owners: Vec<(&str, &str)> = vec![("", "(nobody named yet)")];
        owners.extend(StepOwner::ALL.iter().map(|o| (o.as_str(), o.label())));
        fields.push(
            Field::text("step_text", "First step")
                .max(500)
                .help("A first thing to do; more steps are added on the goal."),
        );
        fields.push(Field::choice("step_owner", "Who does it", &owners));
        fields.push(
            Field::text("step_owner_name", "Their name")
                .max(200)
                .help("Optional: the sister, the housing officer..."),
        );
        fields.push(Field::date("step_due", "Step due"));
    }
    fields
}

/// The form's values for an existing goal.
fn values_of(g: &Goal) -> Vec<(&'static str, String)> {
    let (measure, what, unit, baseline, target) = match &g.measure {
        MeasureKind::Numeric { what, unit, baseline, target } => (
            "numeric",
            what.clone(),
            unit.clone(),
            crate::domain::plan::number_text(*baseline),
            crate::domain::plan::number_text(*target),
        ),
        MeasureKind::Milestone => ("milestone", String::new(), String::new(), String::new(), String::new()),
    };
    let source = match &g.source {
        MeasureSource::Manual => String::new(),
        MeasureSource::Screener { instrument } => instrument.clone(),
    };
    vec![
        ("statement", g.statement.clone()),
        ("measure", measure.into()),
        ("source", source),
        ("what", what),
        ("unit", unit),
        ("baseline", baseline),
        ("target", target),
        ("who_agreed", g.who_agreed.clone()),
        ("why_it_matters", g.why_it_matters.clone()),
        ("need", g.need.clone()),
        ("life_domain", g.life_domain.clone()),
        ("priority", g.priority.as_str().into()),
        ("start", format_date(g.start)),
        ("target_date", format_date(g.target_date)),
        ("term", if g.term_overridden { g.term.as_str().into() } else { String::new() }),
    ]
}

impl GoalForm {
    pub fn new(
        mode: GoalFormMode,
        today: NaiveDate,
        data: GoalFormData,
        existing: Option<&Goal>,
    ) -> GoalFormScreen {
        let new = matches!(mode, GoalFormMode::New { .. });
        let title = match mode {
            GoalFormMode::New { .. } => "New goal".to_string(),
            GoalFormMode::Edit { goal_id, .. } => format!("Edit goal {}", goal_ref(goal_id)),
        };
        let mut form = Form::new(&title, goal_fields(&data, new), today);
        form.set_value("priority", "medium");
        form.set_value("start", &format_date(today));
        let mut kept_need = (String::new(), String::new());
        if let Some(g) = existing {
            for (id, v) in values_of(g) {
                form.set_value(id, &v);
            }
            kept_need = (g.need.clone(), g.need_source.clone());
        }
        form.dirty = false;
        let mut spec = GoalForm {
            mode,
            data,
            kept_need,
            reading: GoalReading::default(),
            parts: Vec::new(),
            warned_at: None,
            last: GoalInput::default(),
        };
        spec.recheck(&mut form, today);
        spec.last = spec.input(&form);
        FormScreen::new(form, spec)
    }

    fn client_id_of(&self) -> i64 {
        match self.mode {
            GoalFormMode::New { client_id } | GoalFormMode::Edit { client_id, .. } => client_id,
        }
    }

    /// What was typed, with the need's source filled in from the chosen need.
    pub fn input(&self, form: &Form) -> GoalInput {
        let value = serde_json::to_value(form.values()).unwrap_or_default();
        let mut input: GoalInput = serde_json::from_value(value).unwrap_or_default();
        input.need_source = match self.data.needs.iter().find(|n| n.text == input.need) {
            Some(n) => n.source.clone(),
            None if input.need == self.kept_need.0 => self.kept_need.1.clone(),
            None => String::new(),
        };
        if !matches!(self.mode, GoalFormMode::New { .. }) {
            input.status = String::new();
        }
        input
    }

    fn step_input(&self, form: &Form) -> Option<StepInput> {
        let v = |id: &str| form.value(id);
        let any = ["step_text", "step_owner", "step_owner_name", "step_due"]
            .iter()
            .any(|f| !v(f).trim().is_empty());
        (matches!(self.mode, GoalFormMode::New { .. }) && any).then(|| StepInput {
            text: v("step_text"),
            owner: v("step_owner"),
            owner_name: v("step_owner_name"),
            due: v("step_due"),
            done: String::new(),
        })
    }

    fn steps_and_owner(&self, form: &Form) -> (bool, bool) {
        match self.mode {
            GoalFormMode::Edit { .. } => (self.data.has_steps, self.data.has_owner),
            GoalFormMode::New { .. } => {
                let text = !form.value("step_text").trim().is_empty();
                let owner =
                    !form.value("step_owner").is_empty() || !form.value("step_owner_name").trim().is_empty();
                (text, text && owner)
            }
        }
    }

    fn screeners(&self) -> Vec<(&str, &str)> {
        self.data.screeners.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }

    /// Reads the form again for the SMART panel (pure: no store, no clock).
    fn recheck(&mut self, form: &mut Form, today: NaiveDate) {
        let input = self.input(form);
        let (steps, owner) = self.steps_and_owner(form);
        self.reading = read_goal(&input, today, &self.screeners(), steps, owner);
        self.parts = smart_parts(&input, &self.reading, today);
        // the term's help says what the dates make it
        let start = crate::domain::dates::parse_date(&input.start, today).unwrap_or(today);
        let derived =
            crate::domain::dates::parse_date(&input.target_date, today).ok().map(|t| derive_term(start, t));
        if let Some(f) = form.fields.iter_mut().find(|f| f.id == "term") {
            f.help = match derived {
                Some(t) => format!(
                    "From the dates this is {} (90 days or less is short-term).",
                    t.label().to_lowercase()
                ),
                None => "Short-term is 90 days or less from the start; set a target date first.".into(),
            };
        }
        if self.warned_at.is_some() {
            let w = self.field_warnings();
            form.set_warnings(&w);
        }
    }

    /// The gaps that do not refuse, at the fields of this form.
    fn field_warnings(&self) -> Vec<FieldError> {
        let new = matches!(self.mode, GoalFormMode::New { .. });
        self.reading
            .warnings
            .iter()
            .filter_map(|w| {
                let field = match w.field {
                    "steps" if new => "step_text",
                    "owner" if new => "step_owner",
                    "steps" | "owner" => return None,
                    other => other,
                };
                Some(FieldError { field, message: w.message.clone() })
            })
            .collect()
    }

    /// Fills what can be guessed after a change: a screener's latest total as the baseline,
    /// and the need's life domain.
    fn fill_in(&mut self, form: &mut Form, before: &GoalInput) {
        let now = self.input(form);
        if now.source != before.source && !now.source.is_empty() {
            if let Some((_, total)) = self.data.latest_totals.iter().find(|(id, _)| *id == now.source) {
                if now.baseline.trim().is_empty() {
                    form.set_value("baseline", &total.to_string());
                }
            }
            if let Some((_, short)) = self.data.screeners.iter().find(|(id, _)| *id == now.source) {
                if now.what.trim().is_empty() {
                    form.set_value("what", &format!("{short} total"));
                }
            }
        }
        if now.need != before.need && now.life_domain.is_empty() {
            if let Some(n) = self.data.needs.iter().find(|n| n.text == now.need) {
                form.set_value("life_domain", &n.life_domain);
            }
        }
    }

    /// The SMART check beside the form: wrapped when wide, each part on one line when narrow.
    fn smart_lines(&self, wrap: bool, w: usize) -> Vec<Line<'static>> {
        self.parts
            .iter()
            .map(|p| {
                let style = match p.state {
                    PartState::Done => theme::ok(),
                    PartState::Warning => theme::warn(),
                    PartState::Missing => theme::error(),
                };
                let head = format!("{} {:<11}", p.state.mark(), p.name);
                let text = display_safe(&p.text).into_owned();
                let text = if wrap { text } else { fit(&text, w.saturating_sub(head.chars().count())) };
                Line::from(vec![Span::styled(head, style), Span::raw(text)])
            })
            .collect()
    }
}

impl FormSpec for GoalForm {
    fn title(&self) -> &'static str {
        match self.mode {
            GoalFormMode::New { .. } => "New goal",
            GoalFormMode::Edit { .. } => "Edit goal",
        }
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id_of())
    }

    fn sync(&mut self, form: &mut Form, ctx: &SyncCtx<'_>) -> Result<()> {
        self.recheck(form, ctx.today);
        Ok(())
    }

    fn edited(&mut self, form: &mut Form) {
        let now = self.input(form);
        let before = std::mem::replace(&mut self.last, now);
        self.fill_in(form, &before);
        self.last = self.input(form);
    }

    fn restored(&mut self, form: &Form) {
        self.last = self.input(form);
    }

    fn aside(&self, _form: &Form, area: Rect) -> Option<Aside> {
        let wide = area.width >= 120;
        let (width, height) = (48, (self.parts.len() as u16 + 2).min(area.height / 2));
        let inner = if wide { width - 2 } else { area.width.saturating_sub(2) };
        Some(Aside { title: "SMART check", lines: self.smart_lines(wide, usize::from(inner)), width, height })
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(match self.mode {
            GoalFormMode::New { client_id } => DraftInfo {
                key: format!("goal:new:{client_id}"),
                kind: DraftKind::GoalNew,
                client_id: Some(client_id),
                title: format!("New goal for {}", client_ref(client_id)),
            },
            GoalFormMode::Edit { goal_id, client_id } => DraftInfo {
                key: format!("goal:edit:{goal_id}"),
                kind: DraftKind::GoalEdit,
                client_id: Some(client_id),
                title: format!("Edit of goal {}", goal_ref(goal_id)),
            },
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        self.recheck(form, ctx.today);
        let mut errors = self.reading.errors.clone();
        let step = match self.step_input(form).map(|s| read_step(&s, ctx.today)) {
            None => None,
            Some(Ok(s)) => Some(s),
            Some(Err(es)) => {
                for e in es {
                    let field = match e.field {
                        "text" => "step_text",
                        "owner" => "step_owner",
                        "owner_name" => "step_owner_name",
                        _ => "step_due",
                    };
                    errors.push(FieldError { field, message: e.message });
                }
                None
            }
        };
        if !errors.is_empty() {
            form.add_errors(&errors);
            return Ok(Submitted::Stay);
        }
        if !fields_ok {
            return Ok(Submitted::Stay);
        }
        let Some(goal) = self.reading.goal.clone() else { return Ok(Submitted::Stay) };
        let warnings = self.field_warnings();
        if !self.reading.warnings.is_empty() && !save_anyway && self.warned_at != Some(form.edits) {
            self.warned_at = Some(form.edits);
            form.set_warnings(&warnings);
            form.notice = Some(
                "Not saved yet: the goal has gaps (marked !). Press Ctrl-S again to save it as it is, or fill them in."
                    .into(),
            );
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        match self.mode {
            GoalFormMode::New { client_id } => {
                let steps: Vec<_> = step.into_iter().collect();
                match ctx.store.add_goal(client_id, &goal, &steps, &by, ctx.now) {
                    Ok(id) => Ok(Submitted::Done {
                        status: format!(
                            "Goal {} saved. Enter opens it: steps, progress, status.",
                            goal_ref(id)
                        ),
                        then: vec![],
                    }),
                    Err(e) => refusal_to_form(form, e),
                }
            }
            GoalFormMode::Edit { goal_id, .. } => match ctx.store.update_goal(goal_id, &goal, &by, ctx.now) {
                Ok(()) => {
                    Ok(Submitted::Done { status: format!("Goal {} saved.", goal_ref(goal_id)), then: vec![] })
                }
                Err(e) => refusal_to_form(form, e),
            },
        }
    }
}
