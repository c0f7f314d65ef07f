//! The case plan: a client's open goals with their steps and gauges on one screen, the date of
//! the next review, and markers (words, not colour alone) on steps past due and goals past
//! their target date.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::Message;
use crate::app::message::PlanMsg;
use crate::domain::dates::format_date;
use crate::domain::due::due_phrase;
use crate::domain::goal::{GoalStatus, MSG_NO_STEPS};
use crate::domain::plan::step_marker;
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::goals::{Goal, Step};
use crate::store::plan::PlanOverview;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

/// A bar of `width` cells filled to `ratio` (0..=1), readable without colour: `█████░░░░░`.
pub fn gauge(ratio: f64, width: usize) -> String {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The status as a word in capitals, so it reads without colour.
pub fn status_word(s: GoalStatus) -> &'static str {
    match s {
        GoalStatus::Proposed => "PROPOSED",
        GoalStatus::Active => "ACTIVE",
        GoalStatus::OnHold => "ON HOLD",
        GoalStatus::Completed => "COMPLETED",
        GoalStatus::Cancelled => "CANCELLED",
        GoalStatus::EnteredInError => "IN ERROR",
    }
}

/// "[██████░░░░░░]  40 %  latest 12 nights on 2026-11-20", or why there is no gauge yet.
pub fn progress_text(g: &Goal, bar: usize) -> String {
    let (b, t) = g.span();
    match &g.latest {
        None => "no progress recorded yet".into(),
        Some(p) => {
            let ratio = crate::domain::goal::gauge_ratio(b, t, p.value).unwrap_or(0.0);
            let pct = g.progress_percent.map(|p| format!("{:>3} %", p.round() as i64)).unwrap_or_default();
            format!("[{}] {pct}  {} as of {}", gauge(ratio, bar), g.value_text(p.value), format_date(p.on))
        }
    }
}

/// One step as a line: a box ticked or not, the text, who, and its date with a marker.
pub fn step_line(s: &Step, today: NaiveDate) -> (String, Option<&'static str>) {
    let tick = if s.done.is_some() { "[x]" } else { "[ ]" };
    let when = match (s.done, s.due) {
        (Some(d), _) => format!(" · done {}", format_date(d)),
        (None, Some(d)) => format!(" · due {}", format_date(d)),
        (None, None) => String::new(),
    };
    (
        format!("{tick} {} — {}{when}", display_safe(&s.text), display_safe(&s.owner_text())),
        step_marker(s.due, s.done, today),
    )
}

pub struct PlanScreen {
    pub client_id: i64,
    plan: Option<PlanOverview>,
    cursor: ListCursor,
    show_closed: bool,
    stale: bool,
}

impl PlanScreen {
    pub fn new(client_id: i64) -> Self {
        PlanScreen { client_id, plan: None, cursor: ListCursor::default(), show_closed: false, stale: true }
    }

    fn goals(&self) -> &[(Goal, Vec<Step>)] {
        self.plan.as_ref().map(|p| p.goals.as_slice()).unwrap_or(&[])
    }

    /// The lines of the plan and, for each, the goal it belongs to.
    fn lines(&self, w: usize, today: NaiveDate) -> Vec<(Line<'static>, Option<usize>)> {
        let mut out: Vec<(Line<'static>, Option<usize>)> = Vec::new();
        let Some(plan) = &self.plan else { return out };
        if plan.goals.is_empty() {
            out.push((Line::from(""), None));
            out.push((
                Line::from(if self.show_closed {
                    format!(
                        "This client has no goals yet. Press {} to add the first goal of the plan.",
                        key_label(Context::Plan, Action::New)
                    )
                } else {
                    format!(
                        "No open goals. Press {} to add a goal, or {} to see closed goals too.",
                        key_label(Context::Plan, Action::New),
                        key_label(Context::Plan, Action::ToggleClosed)
                    )
                }),
                None,
            ));
        }
        let bar = if w >= 110 { 20 } else { 12 };
        for (i, (g, steps)) in plan.goals.iter().enumerate() {
            let selected = i == self.cursor.selected;
            let mark = if selected { "▶ " } else { "  " };
            let past = g.past_target(today).then_some("PAST TARGET");
            let head =
                format!("{mark}{} {:<9} {:<6} ", g.reference, status_word(g.status), g.priority.label());
            let tail = past.map(|p| format!("  {p}")).unwrap_or_default();
            let room = w.saturating_sub(width(&head) + width(&tail));
            let mut spans = vec![
                Span::styled(head, if selected { theme::selected() } else { theme::title() }),
                Span::styled(fit(&display_safe(&g.statement), room), theme::title()),
            ];
            if let Some(p) = past {
                spans.push(Span::styled(format!("  {p}"), theme::error()));
            }
            out.push((Line::from(spans), Some(i)));
            let measure = fit(&display_safe(&g.measure_text()), w.saturating_sub(6));
            out.push((
                Line::from(vec![
                    Span::raw("    "),
                    Span::styled(measure, theme::dim()),
                    Span::styled(format!("  by {}", format_date(g.target_date)), theme::dim()),
                ]),
                Some(i),
            ));
            out.push((Line::from(format!("    {}", progress_text(g, bar))), Some(i)));
            if steps.is_empty() {
                out.push((Line::from(Span::styled(format!("    ! {MSG_NO_STEPS}"), theme::warn())), Some(i)));
            }
            for s in steps {
                let (text, marker) = step_line(s, today);
                let tail = marker.map(|m| format!("  {m}")).unwrap_or_default();
                let text = fit(&text, w.saturating_sub(4 + width(&tail)));
                let mut spans = vec![Span::raw("    "), Span::raw(text)];
                if let Some(m) = marker {
                    spans.push(Span::styled(format!("  {m}"), theme::error()));
                }
                out.push((Line::from(spans), Some(i)));
            }
            out.push((Line::from(""), Some(i)));
        }
        if let Some(r) = &plan.last_review {
            let held = r.held_on.map(format_date).unwrap_or_default();
            let summary =
                if r.summary.is_empty() { String::new() } else { format!(": {}", display_safe(&r.summary)) };
            out.push((
                Line::from(Span::styled(fit(&format!("Last review {held}{summary}"), w), theme::dim())),
                None,
            ));
        }
        if let Some(e) = &plan.latest_evaluation {
            out.push((
                Line::from(Span::styled(
                    fit(
                        &format!("Latest evaluation {} on {} (V shows it)", e.reference, format_date(e.on)),
                        w,
                    ),
                    theme::dim(),
                )),
                None,
            ));
        }
        out
    }

    fn title(&self, today: NaiveDate) -> Vec<Span<'static>> {
        let mut spans = vec![Span::styled(" Case plan ", theme::title())];
        let Some(plan) = &self.plan else { return spans };
        match &plan.next_review {
            Some(r) => {
                let text =
                    format!("· next review {} ({}) ", format_date(r.due_on), due_phrase(r.due_on, today));
                // the words say it is overdue; the style only adds to them
                spans.push(Span::styled(
                    text,
                    if r.due_on < today { theme::error() } else { Style::default() },
                ));
            }
            None => spans.push(Span::raw("· no review date set (r sets one) ")),
        }
        if self.show_closed {
            spans.push(Span::raw("· all goals "));
        }
        spans
    }
}

impl View for PlanScreen {
    fn title(&self) -> &'static str {
        "Plan"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Plan, Context::Nav, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::New, Action::Open, Action::Review, Action::Evaluate, Action::OpenEvaluations, Action::Back]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn set_area(&mut self, body: Rect) {
        // a goal takes about six lines: PgUp/PgDn move by a screenful of goals
        self.cursor.height = (body.height / 6).max(1) as usize;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.plan = Some(ctx.store.plan(self.client_id, self.show_closed)?);
            self.cursor.clamp(self.goals().len());
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Plan, Context::Nav], &ev) else { return Handled::No };
        let n = self.goals().len();
        if self.cursor.apply(action, n) {
            return Handled::Yes(vec![]);
        }
        let selected = self.goals().get(self.cursor.selected).map(|(g, _)| g.id);
        let c = self.client_id;
        let msg = match action {
            Action::New => PlanMsg::NewGoal(c),
            Action::Open => match selected {
                Some(id) => PlanMsg::OpenGoal(id),
                None => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "No goal to open yet: press {} to add one.",
                        key_label(Context::Plan, Action::New)
                    ))])
                }
            },
            Action::Review => PlanMsg::Review(c),
            Action::Evaluate => PlanMsg::Evaluate(c),
            Action::OpenEvaluations => PlanMsg::OpenEvaluations(c),
            Action::ToggleClosed => {
                self.show_closed = !self.show_closed;
                self.stale = true;
                return Handled::Yes(vec![]);
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Plan(msg)])
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let block = Block::default().borders(Borders::ALL).title(Line::from(self.title(today)));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines = self.lines(inner.width as usize, today);
        // keep the selected goal's first lines in view
        let first = lines.iter().position(|(_, g)| *g == Some(self.cursor.selected)).unwrap_or(0);
        let last = lines.iter().rposition(|(_, g)| *g == Some(self.cursor.selected)).unwrap_or(0);
        let h = inner.height as usize;
        let top = if last + 1 > h { (last + 1 - h).min(first) } else { 0 };
        let shown: Vec<Line<'static>> = lines.into_iter().skip(top).map(|(l, _)| l).collect();
        frame.render_widget(Paragraph::new(shown).style(Style::default()), inner);
    }
}
