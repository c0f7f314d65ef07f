//! Reopening a case: undoing today's closure, or a new episode later.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::client::client_ref;
use crate::domain::closure::{read_reopen, reopen_modes, ReopenInput, ReopenMode};
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::keymap::{Action, Context};
use crate::store::closure::Reopened;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, View};
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

pub struct ReopenScreen {
    data: ReopenData,
    pub form: Form,
}

impl ReopenScreen {
    pub fn new(data: ReopenData, today: NaiveDate) -> Self {
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
        ReopenScreen { data, form }
    }

    fn aside(&self) -> Vec<Line<'static>> {
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

impl View for ReopenScreen {
    fn title(&self) -> &'static str {
        "Reopen case"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.data.client_id)
    }

    fn form(&self) -> Option<&Form> {
        Some(&self.form)
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        Handled::Form(self.form.handle_key(ev))
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(" The rule ", theme::title()));
        let aside = Paragraph::new(self.aside()).block(block).wrap(Wrap { trim: false });
        if area.width >= 120 {
            let [form, panel] = Layout::horizontal([Constraint::Min(70), Constraint::Length(46)]).areas(area);
            self.form.render(frame, form);
            frame.render_widget(aside, panel);
        } else {
            let [form, panel] = Layout::vertical([Constraint::Min(6), Constraint::Length(8)]).areas(area);
            self.form.render(frame, form);
            frame.render_widget(aside, panel);
        }
    }

    fn draft(&self) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: format!("reopen:{}", self.data.client_id),
            kind: DraftKind::Reopen,
            client_id: Some(self.data.client_id),
            title: format!("Reopening the case of {}", client_ref(self.data.client_id)),
        })
    }

    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let input = ReopenInput {
            mode: self.form.value("mode"),
            reason: self.form.value("reason"),
            opened_on: self.form.value("opened_on"),
        };
        let r = match read_reopen(&input, ctx.today, self.data.closed_on, self.data.undo_allowed) {
            Ok(r) => r,
            Err(errors) => {
                self.form.set_errors(&errors);
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
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}

/// The mode a reopen form starts with, for tests.
pub fn default_mode(undo_allowed: bool) -> ReopenMode {
    reopen_modes(undo_allowed)[0]
}
