//! A form screen is a field list plus a submit. `FormScreen<S>` does what every form does —
//! keys, paste, dirty tracking, drafts, the reference panel beside the fields — and its
//! `S: FormSpec` says only what this form is about: its title, footer keys, draft, and save.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{JobUpdate, Picked};
use crate::keymap::{Action, Context};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Form, FormEvent};

/// What one form is about. Everything else a form screen does is `FormScreen`'s.
pub trait FormSpec {
    /// The name shown in the top bar.
    fn title(&self) -> &'static str;
    /// The 4–6 keys the footer shows.
    fn hints(&self) -> &'static [Action];
    /// Where this form's keys are looked up.
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    /// The client the form is about (the header shows them).
    fn client_id(&self) -> Option<i64> {
        None
    }
    /// What it saves carries the practitioner's name (`View::signs`): opening it asks for the
    /// name first when Settings has none.
    fn signs(&self) -> bool {
        false
    }
    /// How the unsaved form is kept as a draft (None: it keeps none).
    fn draft(&self, _form: &Form) -> Option<DraftInfo> {
        None
    }
    /// What to read beside the fields while filling them in.
    fn aside(&self, _form: &Form, _area: Rect) -> Option<Aside> {
        None
    }
    /// A key the form itself does not take (e.g. a step back in a wizard); None: the form's.
    fn key(&mut self, _form: &mut Form, _ev: KeyEvent) -> Option<Handled> {
        None
    }
    /// A picker over the form chose something for a field; true when the form changed.
    fn picked(&mut self, _form: &mut Form, _picked: &Picked) -> bool {
        false
    }
    /// Called after every change to the fields.
    fn edited(&mut self, _form: &mut Form) {}
    /// Called after a draft was put back into the fields.
    fn restored(&mut self, _form: &Form) {}
    /// Loads what the next frame needs (most forms need nothing).
    fn sync(&mut self, _form: &mut Form, _ctx: &SyncCtx<'_>) -> Result<()> {
        Ok(())
    }
    /// A job this form's save started reports back; its end is the save's outcome.
    fn job_update(&mut self, _form: &mut Form, _update: &JobUpdate) -> Option<Submitted> {
        None
    }
    /// Saves. Errors the user can fix are shown at the fields and give `Stay`.
    fn submit(&mut self, form: &mut Form, ctx: &mut SubmitCtx<'_>, save_anyway: bool) -> Result<Submitted>;
}

/// A panel beside the fields: to the right on a wide terminal, below them on a narrow one.
pub struct Aside {
    pub title: &'static str,
    pub lines: Vec<Line<'static>>,
    /// Columns it takes on a terminal 120 wide or more.
    pub width: u16,
    /// Rows it takes below the form on a narrower terminal.
    pub height: u16,
}

impl Aside {
    /// Draws `draw` (the form) with the panel beside it.
    pub fn render_beside(&self, frame: &mut Frame<'_>, area: Rect, draw: impl FnOnce(&mut Frame<'_>, Rect)) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", self.title), theme::title()));
        let (form, panel) = if area.width >= 120 {
            let [form, panel] =
                Layout::horizontal([Constraint::Min(70), Constraint::Length(self.width)]).areas(area);
            (form, panel)
        } else {
            let [form, panel] =
                Layout::vertical([Constraint::Min(6), Constraint::Length(self.height)]).areas(area);
            (form, panel)
        };
        draw(frame, form);
        frame
            .render_widget(Paragraph::new(self.lines.clone()).block(block).wrap(Wrap { trim: false }), panel);
    }
}

pub struct FormScreen<S: FormSpec> {
    pub form: Form,
    pub spec: S,
}

impl<S: FormSpec> FormScreen<S> {
    pub fn new(form: Form, spec: S) -> Self {
        FormScreen { form, spec }
    }
}

impl<S: FormSpec> View for FormScreen<S> {
    fn title(&self) -> &'static str {
        self.spec.title()
    }
    fn contexts(&self) -> &'static [Context] {
        self.spec.contexts()
    }
    fn hints(&self) -> &'static [Action] {
        self.spec.hints()
    }
    fn client_id(&self) -> Option<i64> {
        self.spec.client_id()
    }
    fn form(&self) -> Option<&Form> {
        Some(&self.form)
    }
    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
    fn is_form(&self) -> bool {
        true
    }
    fn signs(&self) -> bool {
        self.spec.signs()
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        self.spec.sync(&mut self.form, ctx)
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(h) = self.spec.key(&mut self.form, ev) {
            return h;
        }
        let e = self.form.handle_key(ev);
        if e == FormEvent::Changed {
            self.spec.edited(&mut self.form);
        }
        Handled::Form(e)
    }
    fn paste(&mut self, text: &str) -> bool {
        let changed = self.form.paste(text) == FormEvent::Changed;
        if changed {
            self.spec.edited(&mut self.form);
        }
        changed
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        match self.spec.aside(&self.form, area) {
            Some(aside) => aside.render_beside(frame, area, |f, r| self.form.render(f, r)),
            None => self.form.render(frame, area),
        }
    }
    fn draft(&self) -> Option<DraftInfo> {
        self.spec.draft(&self.form)
    }
    fn restore_draft(&mut self, payload: &str) -> bool {
        if !self.form.restore_draft(payload) {
            return false;
        }
        self.form.notice = Some("Restored what you had not saved.".into());
        self.spec.restored(&self.form);
        true
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, save_anyway: bool) -> Result<Submitted> {
        self.spec.submit(&mut self.form, ctx, save_anyway)
    }
    fn job_update(&mut self, update: &JobUpdate) -> Option<Submitted> {
        self.spec.job_update(&mut self.form, update)
    }
    fn picked(&mut self, picked: &Picked) -> bool {
        self.spec.picked(&mut self.form, picked)
    }
}
