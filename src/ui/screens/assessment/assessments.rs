//! A client's assessments: the list, with the domain-rating grid across them.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::instruments::LIFE_DOMAINS;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::assessments::{AssessmentSummary, RatingColumn};
use crate::store::safety::RiskFlag;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct AssessmentsScreen {
    pub client_id: i64,
    list: Vec<AssessmentSummary>,
    grid: Vec<RatingColumn>,
    flags: Vec<RiskFlag>,
    needs: Vec<crate::store::assessments::CurrentNeed>,
    cursor: ListCursor,
    stale: bool,
}

impl AssessmentsScreen {
    pub fn new(client_id: i64) -> Self {
        AssessmentsScreen {
            client_id,
            list: Vec::new(),
            grid: Vec::new(),
            flags: Vec::new(),
            needs: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }
}

/// The domain-rating grid: one row per life domain, one column per assessment (oldest left).
pub fn rating_grid_lines(grid: &[RatingColumn], width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if grid.is_empty() {
        lines.push(Line::from(Span::styled("  No domain ratings yet.", theme::dim())));
        return lines;
    }
    // as many columns as fit, the newest kept
    let cols = ((width.saturating_sub(16)) / 7).clamp(1, 12);
    let shown = &grid[grid.len().saturating_sub(cols)..];
    let mut head = format!("  {:<14}", "Domain");
    for c in shown {
        head.push_str(&format!(" {:>6}", c.on.format("%b %y").to_string()));
    }
    lines.push(Line::from(Span::styled(head, theme::title())));
    for d in LIFE_DOMAINS {
        let mut spans = vec![Span::raw(format!("  {:<14}", fit(d, 14)))];
        let mut prev: Option<u8> = None;
        for c in shown {
            let r = c.ratings.iter().find(|(x, _)| x == d).map(|(_, r)| *r);
            // the number carries the meaning; an arrow shows the direction, colour only helps
            let (text, style) = match r {
                Some(v) => {
                    let arrow = match prev {
                        Some(p) if v > p => "↑",
                        Some(p) if v < p => "↓",
                        _ => " ",
                    };
                    let style = match v {
                        1 => theme::error(),
                        2 => theme::warn(),
                        _ => Style::default(),
                    };
                    (format!("{v}{arrow}"), style)
                }
                None => ("·".to_string(), theme::dim()),
            };
            if r.is_some() {
                prev = r;
            }
            spans.push(Span::styled(format!(" {text:>6}"), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "  1 critical · 2 has a problem · 3 not ideal · 4 good · ↑ better ↓ worse",
        theme::dim(),
    )));
    lines
}

impl View for AssessmentsScreen {
    fn title(&self) -> &'static str {
        "Assessments"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Assessments, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::New, Action::Reassess, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = (body.height.saturating_sub(2) as usize / 3).max(3);
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.list = ctx.store.assessments(self.client_id)?;
            self.grid = ctx.store.rating_grid(self.client_id, 12)?;
            self.needs = ctx.store.current_needs(self.client_id)?;
            self.flags =
                ctx.store.risk_flags(self.client_id)?.into_iter().filter(RiskFlag::is_open).collect();
            self.stale = false;
        }
        self.cursor.clamp(self.list.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Assessments, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.list.len()) {
            return Handled::Yes(vec![]);
        }
        let msg = match action {
            Action::Open => match self.list.get(self.cursor.selected) {
                Some(a) => AssessMsg::OpenAssessment(a.id),
                None => return Handled::Yes(vec![]),
            },
            Action::New => AssessMsg::NewAssessment { client_id: self.client_id, from: None },
            Action::Reassess => match self.list.first() {
                Some(a) => AssessMsg::NewAssessment { client_id: self.client_id, from: Some(a.id) },
                None => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "No assessment yet to start from: press {} for a new one.",
                        key_label(Context::Assessments, Action::New)
                    ))])
                }
            },
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Assess(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Assessments — {} ", self.list.len()), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        for f in &self.flags {
            lines.push(Line::from(Span::styled(
                format!(" ⚑ {} — review it with ! from the client file ", f.headline()),
                theme::flag(),
            )));
        }
        if self.list.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "No assessments yet. Press {} to start one; sections can be filled in any order.",
                    key_label(Context::Assessments, Action::New)
                ),
                theme::dim(),
            )));
        }
        for i in self.cursor.visible(self.list.len()) {
            let a = &self.list[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let risk = match a.highest_risk {
                Some(l) if l.raises_flag() => format!("risk {}", l.label()),
                Some(l) => format!("risk {}", l.label()),
                None => "risk not assessed".into(),
            };
            let empty = if a.empty_parts == 0 {
                "complete".to_string()
            } else {
                format!("{} empty", crate::domain::words::count(a.empty_parts, "part", "parts"))
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<7} {}  {:<13} {:>8}  {:<18} {}",
                    if selected { "▶ " } else { "  " },
                    a.reference,
                    format_date(a.assessed_on),
                    if a.reassessment { "reassessment" } else { "assessment" },
                    crate::domain::words::count(a.needs, "need ", "needs"),
                    risk,
                    empty
                ),
                style,
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Current needs (for the plan and referrals)", theme::title())));
        if self.needs.is_empty() {
            lines.push(Line::from(Span::styled("  none recorded yet", theme::dim())));
        }
        let w = inner.width as usize;
        for n in &self.needs {
            lines.push(Line::from(vec![
                Span::styled(format!("  • {:<14}", n.life_domain), theme::dim()),
                Span::raw(fit(&format!("{} ({})", display_safe(&n.text), n.source), w.saturating_sub(18))),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Domain ratings over time", theme::title())));
        lines.extend(rating_grid_lines(&self.grid, inner.width as usize));
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
