//! The assessment form: sections in any order, saved incomplete.

use chrono::NaiveDate;

use crate::app::message::{AssessMsg, Message};
use crate::domain::assessment::{
    assessment_ref, format_needs, rating_field, validate_assessment, Assessment, AssessmentInput, RiskArea,
    RiskLevel, Section,
};
use crate::domain::client::client_ref;
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::domain::instruments::LIFE_DOMAINS;
use crate::keymap::Action;
use crate::store::assessments::StoredAssessment;
use crate::store::Result;
use crate::ui::form_screen::{FormScreen, FormSpec};
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentMode {
    /// A new assessment; `from` is the previous one it starts from (a reassessment).
    New {
        client_id: i64,
        from: Option<i64>,
    },
    Edit {
        id: i64,
        client_id: i64,
    },
}

pub struct AssessmentForm {
    pub mode: AssessmentMode,
}

pub type AssessmentFormScreen = FormScreen<AssessmentForm>;

const NEEDS_HELP: &str = "One need per line: its life domain, a colon, the need in the client's words, \
    e.g. \"housing: a flat near her mother\". Domains: housing, food, health, mental health, safety, \
    income, education, relationships, legal, transport.";

fn fields() -> Vec<Field> {
    let mut f = vec![Field::date("assessed_on", "Date of assessment").required()];
    // strengths come first, before the problems, as the field's own hint says
    for s in Section::SHOWN {
        let mut field = Field::multiline(s.field(), s.label(), 3).help(s.help());
        match s {
            Section::Strengths => field = field.heading("Strengths and needs"),
            Section::Barriers => field = field.heading("Barriers and history"),
            _ => {}
        }
        if s == Section::Needs {
            f.push(Field::multiline("needs", "Presenting needs (domain: need)", 3).help(NEEDS_HELP));
        }
        f.push(field);
    }
    let levels: Vec<(&str, &str)> = std::iter::once(("", "not assessed"))
        .chain(RiskLevel::ALL.iter().map(|l| (l.as_str(), l.as_str())))
        .collect();
    for (i, area) in RiskArea::ALL.into_iter().enumerate() {
        let mut level = Field::choice(area.level_field(), area.label(), &levels)
            .help("Medium or high raises a flag on the client until it is reviewed and lowered.");
        if i == 0 {
            level = level.heading("Risk and safety");
        }
        f.push(level);
        f.push(
            Field::multiline(area.plan_field(), "  Safety plan", 2)
                .help("What was agreed to keep the client (and others) safe; required for medium or high."),
        );
    }
    let ratings: Vec<(&str, &str)> = vec![
        ("", "not rated"),
        ("1", "1 critical"),
        ("2", "2 has a problem"),
        ("3", "3 not ideal"),
        ("4", "4 good"),
    ];
    for (i, d) in LIFE_DOMAINS.into_iter().enumerate() {
        let mut r = Field::choice(rating_field(d), &format!("Rating: {d}"), &ratings)
            .help("Optional. 1 critical, 2 has a problem, 3 not ideal, 4 good.");
        if i == 0 {
            r = r.heading("Domain ratings");
        }
        f.push(r);
    }
    f
}

impl AssessmentForm {
    /// A new assessment, blank or filled from `from` (a reassessment starts from the last one).
    pub fn new(
        client_id: i64,
        from: Option<&Assessment>,
        from_id: Option<i64>,
        today: NaiveDate,
    ) -> AssessmentFormScreen {
        let title = match from_id {
            Some(p) => format!("Reassessment of {} (from {})", client_ref(client_id), assessment_ref(p)),
            None => format!("New assessment of {}", client_ref(client_id)),
        };
        let mut form = Form::new(&title, fields(), today);
        if let Some(a) = from {
            fill(&mut form, a);
        }
        form.set_value("assessed_on", &format_date(today));
        form.dirty = false;
        FormScreen::new(form, AssessmentForm { mode: AssessmentMode::New { client_id, from: from_id } })
    }

    pub fn edit(stored: &StoredAssessment, today: NaiveDate) -> AssessmentFormScreen {
        let mut form = Form::new(&format!("Edit assessment {}", stored.reference), fields(), today);
        fill(&mut form, &stored.assessment);
        form.dirty = false;
        FormScreen::new(
            form,
            AssessmentForm { mode: AssessmentMode::Edit { id: stored.id, client_id: stored.client_id } },
        )
    }

    pub fn input(form: &Form) -> AssessmentInput {
        let v = |id: &str| form.value(id);
        AssessmentInput {
            assessed_on: v("assessed_on"),
            needs: v("needs"),
            sections: Section::ALL.iter().map(|s| (s.field().to_string(), v(s.field()))).collect(),
            risks: RiskArea::ALL.iter().map(|a| (*a, v(a.level_field()), v(a.plan_field()))).collect(),
            ratings: LIFE_DOMAINS.iter().map(|d| (d.to_string(), v(rating_field(d)))).collect(),
        }
    }

    fn client(&self) -> i64 {
        match self.mode {
            AssessmentMode::New { client_id, .. } | AssessmentMode::Edit { client_id, .. } => client_id,
        }
    }
}

fn fill(form: &mut Form, a: &Assessment) {
    form.set_value("assessed_on", &format_date(a.assessed_on));
    form.set_value("needs", &format_needs(&a.needs));
    for s in Section::ALL {
        form.set_value(s.field(), a.section(s));
    }
    for area in RiskArea::ALL {
        let r = a.risk(area);
        form.set_value(area.level_field(), r.level.map(RiskLevel::as_str).unwrap_or(""));
        form.set_value(area.plan_field(), &r.plan);
    }
    for (d, r) in &a.ratings {
        form.set_value(rating_field(d), &r.to_string());
    }
}

impl FormSpec for AssessmentForm {
    fn title(&self) -> &'static str {
        "Assessment"
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::NextSection, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client())
    }
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(match self.mode {
            AssessmentMode::New { client_id, from } => DraftInfo {
                key: match from {
                    Some(p) => format!("assessment:new:{client_id}:from:{p}"),
                    None => format!("assessment:new:{client_id}"),
                },
                kind: DraftKind::AssessmentNew,
                client_id: Some(client_id),
                title: format!("Assessment of {}", client_ref(client_id)),
            },
            AssessmentMode::Edit { id, client_id } => DraftInfo {
                key: format!("assessment:{id}"),
                kind: DraftKind::AssessmentEdit,
                client_id: Some(client_id),
                title: format!("Edit of assessment {}", assessment_ref(id)),
            },
        })
    }
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = form.check_fields();
        let a = match validate_assessment(&Self::input(form), ctx.today) {
            Err(errors) => {
                form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(_) if !fields_ok => return Ok(Submitted::Stay),
            Ok(a) => a,
        };
        let flagged = a.flagged_areas();
        let empty = a.empty_parts().len();
        let (id, verb) = match self.mode {
            AssessmentMode::New { client_id, from } => {
                match ctx.store.add_assessment(client_id, &a, from, ctx.now) {
                    Ok(id) => (id, "Saved"),
                    Err(e) => return refusal_to_form(form, e),
                }
            }
            AssessmentMode::Edit { id, .. } => match ctx.store.update_assessment(id, &a, ctx.now) {
                Ok(()) => (id, "Saved changes to"),
                Err(e) => return refusal_to_form(form, e),
            },
        };
        let mut status = format!("{verb} assessment {}.", assessment_ref(id));
        if empty > 0 {
            status.push_str(&format!(
                " {} still empty: fill them in later with {}.",
                crate::domain::words::count(empty, "part", "parts"),
                crate::keymap::key_label(crate::keymap::Context::AssessmentView, Action::Edit)
            ));
        }
        if !flagged.is_empty() {
            let what: Vec<String> =
                flagged.iter().map(|(a, l)| format!("{} {}", a.short(), l.as_str())).collect();
            status.push_str(&format!(" Risk flag on the client: {}.", what.join(", ")));
        }
        let then = match self.mode {
            AssessmentMode::New { .. } => vec![Message::Assess(AssessMsg::OpenAssessment(id))],
            AssessmentMode::Edit { .. } => vec![],
        };
        Ok(Submitted::Done { status, then })
    }
}
