//! Reopening a case: undoing today's closure, or a new episode later.

use chrono::NaiveDate;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::client::client_ref;
use crate::domain::closure::{read_reopen, reopen_modes, ReopenInput, ReopenMode};
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::keymap::Action;
use crate::store::closure::Reopened;
use crate::store::Result;
use crate::ui::form_screen::{Aside, FormScreen, FormSpec};
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, SubmitCtx, Submitted};
use crate::ui::widgets::form::{Field, Form};

/// What the reopen form needs to know about the closure in force.
pub struct ReopenData {
    pub client_id: i64,
    pub closed_on: NaiveDate,
    pub episode: i64,
    /// Recorded today: it may still be undone.
    pub undo_allowed: bool,
    /// When the closure was recorded, in words.
    pub recorded: String,
}

pub struct ReopenForm {
    data: ReopenData,
}

pub type ReopenScreen = FormScreen<ReopenForm>;

impl ReopenForm {
    pub fn new(data: ReopenData, today: NaiveDate) -> ReopenScreen {
        let modes = reopen_modes(data.undo_allowed);
        let options: Vec<(&str, &str)> = modes.iter().map(|m| (m.as_str(), m.label())).collect();
        let mut form = Form::new(
            &format!("Reopen the case of {}", client_ref(data.client_id)),
            vec![
                Field::choice("mode", "How", &options).help(if data.undo_allowed {
                    "Closed today by mistake? Undo it. Otherwise start a new episode."
                } else {
                    "The closure was recorded before today: the case reopens as a new episode."
                }),
                Field::text("reason", "Why").max(crate::domain::closure::TEXT_MAX).required(),
                Field::date("opened_on", "New episode starts")
                    .help("For a new episode: the day the client came back (not before the closing date)."),
            ],
            today,
        );
        form.set_value("opened_on", &format_date(today));
        form.dirty = false;
        FormScreen::new(form, ReopenForm { data })
    }

    fn rule_lines(&self) -> Vec<Line<'static>> {
        let dim = |s: String| Line::from(Span::styled(s, theme::dim()));
        let mut out = vec![Line::from(format!(
            "Episode {} closed {} (recorded {}).",
            self.data.episode,
            format_date(self.data.closed_on),
            self.data.recorded
        ))];
        if self.data.undo_allowed {
            out.push(Line::from("Undo (today only): the same episode goes on."));
            out.push(
                dim("What closing completed or cancelled is put back; signed notes stay signed.".into()),
            );
        }
        out.push(Line::from(format!("New episode: episode {} starts.", self.data.episode + 1)));
        out.push(dim(format!(
            "Episode {} stays closed and readable, with its records and summary.",
            self.data.episode
        )));
        out
    }
}

impl FormSpec for ReopenForm {
    fn title(&self) -> &'static str {
        "Reopen case"
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.data.client_id)
    }

    fn aside(&self, _form: &Form, _area: Rect) -> Option<Aside> {
        Some(Aside { title: "The rule", lines: self.rule_lines(), width: 46, height: 8 })
    }

    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("reopen:{}", self.data.client_id),
            kind: DraftKind::Reopen,
            client_id: Some(self.data.client_id),
            title: format!("Reopening the case of {}", client_ref(self.data.client_id)),
        })
    }

    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let input = ReopenInput {
            mode: form.value("mode"),
            reason: form.value("reason"),
            opened_on: form.value("opened_on"),
        };
        let r = match read_reopen(&input, ctx.today, self.data.closed_on, self.data.undo_allowed) {
            Ok(r) => r,
            Err(errors) => {
                form.set_errors(&errors);
                return Ok(Submitted::Stay);
            }
        };
        let by = ctx.settings.signature();
        match ctx.store.reopen_case(self.data.client_id, &r, &by, ctx.now) {
            Ok(Reopened::Undone(report)) => {
                let kept = if report.kept.is_empty() {
                    String::new()
                } else {
                    format!(" Kept: {}.", report.kept.join("; "))
                };
                Ok(Submitted::Done {
                    status: format!("Closure undone: the case is open again.{kept}"),
                    then: vec![],
                })
            }
            Ok(Reopened::NewEpisode(n)) => Ok(Submitted::Done {
                status: format!("Case reopened: episode {n} started {}.", format_date(r.opened_on)),
                then: vec![],
            }),
            Err(e) => refusal_to_form(form, e),
        }
    }
}

/// The mode a reopen form starts with, for tests.
pub fn default_mode(undo_allowed: bool) -> ReopenMode {
    reopen_modes(undo_allowed)[0]
}
