//! Safety: a client's risk flags (with their history) and safety alerts.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::dates::format_local;
use crate::domain::text::{display_safe, fit, width, wrap};
use crate::keymap::{lookup, Action, Context};
use crate::store::assessments::SafetyPlan;
use crate::store::safety::{alert_ref, flag_ref, Alert, RiskFlag};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

/// One selectable row of the safety screen.
enum Row {
    Flag(usize),
    Alert(usize),
}

pub struct FlagsScreen {
    pub client_id: i64,
    flags: Vec<RiskFlag>,
    alerts: Vec<Alert>,
    plans: Vec<SafetyPlan>,
    cursor: ListCursor,
    stale: bool,
}

impl FlagsScreen {
    pub fn new(client_id: i64) -> Self {
        FlagsScreen {
            client_id,
            flags: Vec::new(),
            alerts: Vec::new(),
            plans: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..self.alerts.len())
            .filter(|i| self.alerts[*i].acknowledged_at.is_none())
            .map(Row::Alert)
            .collect();
        rows.extend((0..self.flags.len()).map(Row::Flag));
        rows.extend(
            (0..self.alerts.len()).filter(|i| self.alerts[*i].acknowledged_at.is_some()).map(Row::Alert),
        );
        rows
    }

    /// The safety plan in force for an open flag's area, whole, wrapped to `w` cells.
    fn plan_lines(&self, f: &RiskFlag, w: usize) -> Vec<Line<'static>> {
        const INDENT: &str = "      ";
        let Some(p) = self.plans.iter().find(|p| p.area == f.area) else {
            return vec![Line::from(Span::styled(
                format!("{INDENT}safety plan: none recorded in an assessment"),
                theme::flag(),
            ))];
        };
        let head = format!("{INDENT}safety plan ({}, {}):", p.assessment, format_date(p.assessed_on));
        let mut lines = vec![Line::from(Span::styled(head, theme::key()))];
        let room = w.saturating_sub(INDENT.len() + 2);
        for para in display_safe(&p.text).lines() {
            for l in wrap(para, room) {
                lines.push(Line::from(format!("{INDENT}  {l}")));
            }
        }
        lines
    }
}

impl View for FlagsScreen {
    fn title(&self) -> &'static str {
        "Safety"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Flags, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Review, Action::Lower, Action::Acknowledge, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(2) as usize;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.flags = ctx.store.risk_flags(self.client_id)?;
            self.alerts = ctx.store.alerts(self.client_id)?;
            self.plans = ctx.store.safety_plans(self.client_id)?;
            self.stale = false;
        }
        self.cursor.clamp(self.rows().len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Flags, Context::Nav], &ev) else { return Handled::No };
        let rows = self.rows();
        if self.cursor.apply(action, rows.len()) {
            return Handled::Yes(vec![]);
        }
        let row = rows.get(self.cursor.selected);
        let msg = match (action, row) {
            (Action::Back, _) => return Handled::Yes(vec![Message::Back]),
            (Action::Review | Action::Lower, Some(Row::Flag(i))) => {
                let f = &self.flags[*i];
                if !f.is_open() {
                    Message::Status(format!("Flag {} was lowered already.", f.reference))
                } else {
                    Message::Assess(AssessMsg::ReviewFlag { id: f.id, lower: action == Action::Lower })
                }
            }
            (Action::Acknowledge | Action::Open, Some(Row::Alert(i))) => {
                let a = &self.alerts[*i];
                if a.acknowledged_at.is_some() {
                    Message::Assess(AssessMsg::OpenScreening(a.screening_id))
                } else {
                    Message::Assess(AssessMsg::AckAlert(a.id))
                }
            }
            (Action::Review | Action::Lower, _) => {
                Message::Status("Choose a flag (↑/↓) to review or lower.".into())
            }
            (Action::Acknowledge, _) => Message::Status("Choose an alert (↑/↓) to acknowledge.".into()),
            _ => return Handled::No,
        };
        Handled::Yes(vec![msg])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let open = self.flags.iter().filter(|f| f.is_open()).count()
            + self.alerts.iter().filter(|a| a.acknowledged_at.is_none()).count();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Safety — {open} open "), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines: Vec<Line<'static>> = Vec::new();
        if self.flags.is_empty() && self.alerts.is_empty() {
            lines.push(Line::from(Span::styled(
                "No risk flags or safety alerts. A medium or high risk in an assessment raises a flag; \
                 a PHQ-9 item 9 answer above 0 raises an alert.",
                theme::dim(),
            )));
        }
        for (n, row) in self.rows().iter().enumerate() {
            let selected = n == self.cursor.selected;
            let marker = if selected { "▶ " } else { "  " };
            let sel = if selected { theme::selected() } else { Style::default() };
            match row {
                Row::Alert(i) => lines.extend(alert_lines(&self.alerts[*i], marker, sel, w)),
                Row::Flag(i) => {
                    let f = &self.flags[*i];
                    let (state, style) = if f.is_open() {
                        (format!("FLAG {}", f.level.as_str().to_uppercase()), theme::flag())
                    } else {
                        ("lowered".to_string(), theme::dim())
                    };
                    lines.push(Line::from(vec![
                        Span::styled(marker, sel),
                        Span::styled(format!("{state} "), style),
                        Span::styled(
                            format!(
                                "{} {} — raised {}",
                                flag_ref(f.id),
                                f.area.label(),
                                format_local(f.raised_at)
                            ),
                            sel,
                        ),
                    ]));
                    if f.is_open() {
                        lines.extend(self.plan_lines(f, w));
                    }
                    for e in &f.history {
                        let level = e.level.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
                        let by = if e.by.is_empty() { String::new() } else { format!(" by {}", e.by) };
                        let why = if e.reason.is_empty() { String::new() } else { format!(": {}", e.reason) };
                        lines.push(Line::from(Span::styled(
                            fit(
                                &format!(
                                    "      {} {}{level} ({}){by}{}",
                                    format_local(e.at),
                                    e.action,
                                    e.source,
                                    display_safe(&why)
                                ),
                                w,
                            ),
                            theme::dim(),
                        )));
                    }
                }
            }
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// An alert's lines: an open one says all it says, wrapped; an acknowledged one is history,
/// one line and what was done.
fn alert_lines(a: &Alert, marker: &'static str, sel: Style, w: usize) -> Vec<Line<'static>> {
    let (state, style) = match &a.acknowledged_at {
        None => ("ALERT OPEN".to_string(), theme::flag()),
        Some(at) => (format!("acknowledged {}", format_local(*at)), theme::dim()),
    };
    let text = format!("{} ({}): {}", alert_ref(a.id), a.screening, display_safe(&a.message));
    let first_w = w.saturating_sub(width(marker) + width(&state) + 1);
    let mut lines = Vec::new();
    if a.acknowledged_at.is_some() {
        lines.push(Line::from(vec![
            Span::styled(marker, sel),
            Span::styled(format!("{state} "), style),
            Span::styled(fit(&text, first_w), sel),
        ]));
    } else {
        let mut parts = wrap(&text, first_w).into_iter();
        let first = parts.next().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(marker, sel),
            Span::styled(format!("{state} "), style),
            Span::styled(first, sel),
        ]));
        let rest: String = parts.collect::<Vec<_>>().join(" ");
        for l in wrap(&rest, w.saturating_sub(6)).into_iter().filter(|l| !l.is_empty()) {
            lines.push(Line::from(Span::styled(format!("      {l}"), sel)));
        }
    }
    if let Some(note) = &a.ack_note {
        lines.push(Line::from(Span::styled(
            fit(&format!("      what was done: {}", display_safe(note)), w),
            theme::dim(),
        )));
    }
    lines
}
