//! The evaluation summary: each goal's outcome, the screener change over the episode and the
//! client's feedback, shown together; ←/→ move between a client's evaluations.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::dates::{format_date, format_local};
use crate::domain::goal::Outcome;
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::plan::Evaluation;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct EvaluationScreen {
    pub client_id: i64,
    list: Vec<Evaluation>,
    index: usize,
    /// The evaluation to show first (once loaded).
    focus: Option<i64>,
    scroll: u16,
    stale: bool,
}

/// "★★★★☆ 4 of 5" reads as stars and as words.
fn satisfaction_text(s: Option<u8>) -> String {
    match s {
        Some(n) => {
            format!("{}{} {n} of 5", "★".repeat(n as usize), "☆".repeat(5usize.saturating_sub(n as usize)))
        }
        None => "not asked".into(),
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Achieved => "ACHIEVED",
        Outcome::Partly => "PARTLY ACHIEVED",
        Outcome::NotAchieved => "NOT ACHIEVED",
    }
}

impl EvaluationScreen {
    pub fn new(client_id: i64, focus: Option<i64>) -> Self {
        EvaluationScreen { client_id, list: Vec::new(), index: 0, focus, scroll: 0, stale: true }
    }

    fn lines(&self, e: &Evaluation) -> Vec<Line<'static>> {
        let mut lines: Vec<Line<'static>> = Vec::new();
        let head = |t: &str| Line::from(Span::styled(t.to_string(), theme::title()));
        lines.push(head("Goal outcomes"));
        if e.outcomes.is_empty() {
            lines.push(Line::from(Span::styled("  No goal was evaluated this time.", theme::dim())));
        }
        for o in &e.outcomes {
            lines.push(Line::from(vec![
                Span::raw(format!("  {:<6} ", o.goal_ref)),
                Span::styled(format!("{:<17}", outcome_word(o.outcome)), theme::title()),
                Span::raw(display_safe(&o.statement).into_owned()),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(head("Screener change over the episode"));
        if e.screener_changes.is_empty() {
            lines.push(Line::from(Span::styled("  No screener results in this episode.", theme::dim())));
        }
        for c in &e.screener_changes {
            lines.push(Line::from(vec![
                Span::raw(format!("  {}", c.text())),
                Span::styled(
                    format!(
                        "   ({} → {}, {})",
                        format_date(c.first_on),
                        format_date(c.last_on),
                        crate::domain::words::count(c.results, "result", "results")
                    ),
                    theme::dim(),
                ),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(head("Client feedback"));
        lines.push(Line::from(vec![
            Span::styled("  Satisfaction  ", theme::dim()),
            Span::raw(satisfaction_text(e.satisfaction)),
        ]));
        if !e.feedback.is_empty() {
            lines.push(Line::from(Span::styled("  In their words", theme::dim())));
            for l in e.feedback.lines() {
                lines.push(Line::from(format!("    {}", display_safe(l))));
            }
        }
        if !e.helped.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("  What helped   ", theme::dim()),
                Span::raw(display_safe(&e.helped).into_owned()),
            ]));
        }
        lines.push(Line::from(""));
        let by = if e.by.is_empty() { String::new() } else { format!(" by {}", display_safe(&e.by)) };
        let at = format_local(e.created_at);
        lines.push(Line::from(Span::styled(format!("Recorded {at}{by}."), theme::dim())));
        lines
    }
}

impl View for EvaluationScreen {
    fn title(&self) -> &'static str {
        "Evaluation"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Evaluation, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::PrevPeriod, Action::NextPeriod, Action::Down, Action::Back]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.list = ctx.store.evaluations(self.client_id)?;
            if let Some(id) = self.focus.take() {
                self.index = self.list.iter().position(|e| e.id == id).unwrap_or(0);
            }
            self.index = self.index.min(self.list.len().saturating_sub(1));
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Evaluation], &ev) else { return Handled::No };
        match action {
            Action::PrevPeriod => {
                if self.index + 1 < self.list.len() {
                    self.index += 1;
                    self.scroll = 0;
                }
            }
            Action::NextPeriod => {
                if self.index > 0 {
                    self.index -= 1;
                    self.scroll = 0;
                }
            }
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(500),
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(e) = self.list.get(self.index) else {
            let block =
                Block::default().borders(Borders::ALL).title(Span::styled(" Evaluations ", theme::title()));
            frame.render_widget(
                Paragraph::new("No evaluation yet. On the plan, v evaluates: each goal's outcome, the screener change and the client's feedback.")
                    .block(block)
                    .wrap(Wrap { trim: true }),
                area,
            );
            return;
        };
        let title = format!(
            " Evaluation {} · {} · {} · {} of {} ",
            e.reference,
            format_date(e.on),
            e.occasion.label(),
            self.index + 1,
            self.list.len()
        );
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        frame.render_widget(
            Paragraph::new(self.lines(e)).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
