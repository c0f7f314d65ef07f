//! Importing a directory from the TUI: a path, progress while it runs (a job on its own
//! thread, reporting through the message loop), then the report.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{Job, JobEvent, JobKind, JobReport, JobUpdate, Message};
use crate::domain::text::{display_safe, wrap};
use crate::keymap::{lookup, Action, Context};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SubmitCtx, Submitted, View};
use crate::ui::widgets::form::{expand_home, Field, Form};

pub enum ImportState {
    Asking,
    /// `done` of `total` records written (total 0: still reading the file).
    Running {
        done: usize,
        total: usize,
    },
    Finished(std::result::Result<JobReport, String>),
}

pub struct ImportScreen {
    pub form: Form,
    pub state: ImportState,
    pub path_shown: String,
    scroll: u16,
}

impl ImportScreen {
    pub fn new(today: NaiveDate) -> Self {
        let form = Form::new(
            "Import a resource directory (Open Referral HSDS)",
            vec![Field::text("path", "File or folder")
                .required()
                .max(4_096)
                .help("An HSDS folder of CSV tables (datapackage.json optional) or an HSDS 3.0 JSON file.")],
            today,
        );
        ImportScreen { form, state: ImportState::Asking, path_shown: String::new(), scroll: 0 }
    }

    pub fn asking(&self) -> bool {
        matches!(self.state, ImportState::Asking)
    }

    pub fn running(&self) -> bool {
        matches!(self.state, ImportState::Running { .. })
    }
}

impl View for ImportScreen {
    fn title(&self) -> &'static str {
        "Directory import"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.asking() {
            &[Context::Form]
        } else {
            &[Context::Import, Context::Global]
        }
    }

    fn hints(&self) -> &'static [Action] {
        if self.asking() {
            &[Action::Save, Action::Cancel]
        } else {
            &[Action::Back, Action::Down, Action::Up]
        }
    }

    fn form(&self) -> Option<&Form> {
        self.asking().then_some(&self.form)
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        if self.asking() {
            Some(&mut self.form)
        } else {
            None
        }
    }

    fn job_update(&mut self, update: &JobUpdate) -> Option<Submitted> {
        if update.job != JobKind::DirectoryImport || !self.running() {
            return None;
        }
        self.state = match &update.event {
            JobEvent::Progress { done, total } => ImportState::Running { done: *done, total: *total },
            JobEvent::Finished(r) => ImportState::Finished(r.clone()),
        };
        None
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.asking() {
            return Handled::Form(self.form.handle_key(ev));
        }
        let Some(action) = lookup(&[Context::Import], &ev) else { return Handled::No };
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(10_000),
            Action::Back if self.running() => {
                return Handled::Yes(vec![Message::Status(
                    "The import is still running; it takes effect all at once when it finishes.".into(),
                )])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }

    fn submit(&mut self, _ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.asking() || !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let path = expand_home(self.form.value("path").trim());
        self.path_shown = path.display().to_string();
        self.state = ImportState::Running { done: 0, total: 0 };
        Ok(Submitted::Then(vec![Message::StartJob(Job::DirectoryImport { path })]))
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        if self.asking() {
            self.form.render(frame, area);
            return;
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(" Import a resource directory ", theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = vec![Line::from(vec![
            Span::styled("From: ", theme::dim()),
            Span::raw(display_safe(&self.path_shown).into_owned()),
        ])];
        match &self.state {
            ImportState::Running { done, total } => {
                lines.push(Line::from("Importing… (all or nothing: it takes effect when it finishes)"));
                frame.render_widget(Paragraph::new(lines), inner);
                let ratio = if *total == 0 { 0.0 } else { *done as f64 / *total as f64 };
                let gauge = Gauge::default()
                    .ratio(ratio.clamp(0.0, 1.0))
                    .label(if *total == 0 {
                        "reading the file…".to_string()
                    } else {
                        format!("{done} of {total} records written")
                    })
                    .gauge_style(theme::selected());
                let bar = Rect { y: inner.y + 3, height: 1, ..inner };
                frame.render_widget(gauge, bar);
                return;
            }
            ImportState::Finished(Ok(report)) => {
                lines.push(Line::from(Span::styled("Imported.", theme::ok())));
                // a skipped row's reason wraps under itself
                let w = inner.width as usize;
                for l in &report.lines {
                    let indent = l.len() - l.trim_start().len();
                    let more = if indent > 0 { indent + 2 } else { 0 };
                    for (i, part) in
                        wrap(&display_safe(l.trim_start()), w.saturating_sub(more)).into_iter().enumerate()
                    {
                        let pad = " ".repeat(if i == 0 { indent } else { more });
                        lines.push(Line::from(format!("{pad}{part}")));
                    }
                }
            }
            ImportState::Finished(Err(why)) => {
                lines.push(Line::from(Span::styled("Not imported.", theme::error())));
                lines.push(Line::from(display_safe(why).into_owned()));
            }
            ImportState::Asking => {}
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((self.scroll, 0)), inner);
    }
}
