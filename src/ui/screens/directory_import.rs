//! Importing a directory from the TUI: a path, progress while it runs (on its own thread,
//! reporting through the message loop), then the report.

use std::sync::mpsc::Receiver;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::Message;
use crate::domain::text::{display_safe, wrap};
use crate::keymap::{lookup, Action, Context};
use crate::store::directory::{ImportProgress, ImportReport};
use crate::ui::theme;
use crate::ui::widgets::form::{Field, Form};

/// What the import thread sends back.
pub enum ImportEvent {
    Progress(ImportProgress),
    /// The report, or why nothing was imported.
    Done(Result<ImportReport, String>),
}

pub enum ImportState {
    Asking,
    Running { progress: ImportProgress, events: Receiver<ImportEvent> },
    Finished(Result<ImportReport, String>),
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
                .help("An HSDS datapackage folder (with datapackage.json) or an HSDS 3.0 JSON file.")],
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

    pub fn contexts(&self) -> &'static [Context] {
        if self.asking() {
            &[Context::Form]
        } else {
            &[Context::Import, Context::Global]
        }
    }

    pub fn hints(&self) -> &'static [Action] {
        if self.asking() {
            &[Action::Save, Action::Cancel]
        } else {
            &[Action::Back, Action::Down, Action::Up]
        }
    }

    /// Takes in what the import thread sent; true when it has just finished.
    pub fn poll(&mut self) -> bool {
        let ImportState::Running { progress, events } = &mut self.state else { return false };
        let mut finished = None;
        while let Ok(e) = events.try_recv() {
            match e {
                ImportEvent::Progress(p) => *progress = p,
                ImportEvent::Done(r) => finished = Some(r),
            }
        }
        if finished.is_none() && matches!(events.try_recv(), Err(std::sync::mpsc::TryRecvError::Disconnected))
        {
            finished = Some(Err("The import stopped unexpectedly; nothing was imported.".into()));
        }
        match finished {
            Some(r) => {
                self.state = ImportState::Finished(r);
                true
            }
            None => false,
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> Option<Vec<Message>> {
        match lookup(&[Context::Import], &ev)? {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(10_000),
            Action::Back if self.running() => {
                return Some(vec![Message::Status(
                    "The import is still running; it takes effect all at once when it finishes.".into(),
                )])
            }
            Action::Back => return Some(vec![Message::Back]),
            _ => return None,
        }
        Some(vec![])
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect) {
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
            ImportState::Running { progress, .. } => {
                lines.push(Line::from("Importing… (all or nothing: it takes effect when it finishes)"));
                frame.render_widget(Paragraph::new(lines), inner);
                let ratio =
                    if progress.total == 0 { 0.0 } else { progress.done as f64 / progress.total as f64 };
                let gauge = Gauge::default()
                    .ratio(ratio.clamp(0.0, 1.0))
                    .label(if progress.total == 0 {
                        "reading the file…".to_string()
                    } else {
                        format!("{} of {} records written", progress.done, progress.total)
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
                for l in report.lines() {
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
