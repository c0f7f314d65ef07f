//! One goal: its SMART parts, gauge, steps (added, reordered and ticked off from the keyboard),
//! progress entries and the history of every change. Lifecycle keys open forms that offer only
//! the changes the lifecycle allows.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::case_plan::{progress_text, status_word, step_line};
use crate::app::message::Message;
use crate::app::message::PlanMsg;
use crate::domain::dates::format_date;
use crate::domain::goal::{progress_percent, MeasureSource, MSG_NO_OWNER, MSG_NO_STEPS};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::goals::{Goal, GoalChange, Progress, Step};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

/// Body widths from which progress and history sit beside the goal.
const TWO_COLUMNS: u16 = 120;

pub struct GoalScreen {
    pub goal_id: i64,
    client_id: i64,
    goal: Option<Goal>,
    steps: Vec<Step>,
    progress: Vec<Progress>,
    history: Vec<GoalChange>,
    selected: usize,
    scroll: usize,
    follow_selection: bool,
    height: usize,
    stale: bool,
    /// A step to select once the steps are loaded (opened from a search hit on it).
    select_step: Option<i64>,
}

impl GoalScreen {
    pub fn new(goal_id: i64, client_id: i64) -> Self {
        GoalScreen {
            goal_id,
            client_id,
            goal: None,
            steps: Vec::new(),
            progress: Vec::new(),
            history: Vec::new(),
            selected: 0,
            scroll: 0,
            follow_selection: true,
            select_step: None,
            height: 20,
            stale: true,
        }
    }

    /// The same screen with `step_id` selected once it loads.
    pub fn selecting(mut self, step_id: i64) -> Self {
        self.select_step = Some(step_id);
        self
    }

    fn selected_step(&self) -> Option<&Step> {
        self.steps.get(self.selected)
    }

    /// The goal's parts and its steps; the index of the selected step's line.
    fn goal_lines(&self, g: &Goal, w: usize, today: NaiveDate) -> (Vec<Line<'static>>, usize) {
        let mut lines: Vec<Line<'static>> = Vec::new();
        let field = |lines: &mut Vec<Line<'static>>, label: &str, value: String| {
            if !value.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled(format!("{label:<13}"), theme::dim()),
                    Span::raw(fit(&display_safe(&value), w.saturating_sub(13))),
                ]));
            }
        };
        lines.push(Line::from(Span::styled(
            fit(&format!("“{}”", display_safe(&g.statement)), w),
            theme::title(),
        )));
        let source = match &g.source {
            MeasureSource::Screener { .. } => " (taken from each new screening)".to_string(),
            MeasureSource::Manual => String::new(),
        };
        field(&mut lines, "Measure", format!("{}{source}", g.measure_text()));
        field(&mut lines, "Progress", progress_text(g, if w >= 90 { 20 } else { 12 }));
        let mut dates = format!(
            "{} → {} ({})",
            format_date(g.start),
            format_date(g.target_date),
            g.term.label().to_lowercase()
        );
        if g.term_overridden {
            dates.push_str(", chosen");
        }
        field(&mut lines, "Dates", dates);
        if g.past_target(today) {
            lines.push(Line::from(Span::styled(
                "             PAST TARGET: review the goal or its date",
                theme::error(),
            )));
        }
        let domain = if g.life_domain.is_empty() { String::new() } else { format!(" · {}", g.life_domain) };
        field(&mut lines, "Priority", format!("{}{domain}", g.priority.label()));
        let need = match (g.need.is_empty(), g.need_source.is_empty()) {
            (true, _) => String::new(),
            (false, true) => g.need.clone(),
            (false, false) => format!("{} ({})", g.need, g.need_source),
        };
        field(&mut lines, "Need", need);
        field(&mut lines, "Agreed by", g.who_agreed.clone());
        field(&mut lines, "Why", g.why_it_matters.clone());
        field(&mut lines, "Achievement", g.achievement.label().to_string());
        field(&mut lines, "Outcome", g.outcome.map(|o| o.label().to_string()).unwrap_or_default());
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Steps", theme::title())));
        if self.steps.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  ! {MSG_NO_STEPS} ({} adds one)", key_label(Context::Goal, Action::AddStep)),
                theme::warn(),
            )));
        } else if self.steps.iter().all(|s| s.owner.is_none() && s.owner_name.is_empty()) {
            lines.push(Line::from(Span::styled(format!("  ! {MSG_NO_OWNER}"), theme::warn())));
        }
        let mut selected_line = lines.len();
        for (i, s) in self.steps.iter().enumerate() {
            let (text, marker) = step_line(s, today);
            let sel = i == self.selected;
            if sel {
                selected_line = lines.len();
            }
            let head = format!("{}{}. ", if sel { "▶ " } else { "  " }, i + 1);
            let tail = marker.map(|m| format!("  {m}")).unwrap_or_default();
            let text = fit(&text, w.saturating_sub(width(&head) + width(&tail)));
            let mut spans = vec![Span::styled(
                format!("{head}{text}"),
                if sel { theme::selected() } else { ratatui::style::Style::default() },
            )];
            if let Some(m) = marker {
                spans.push(Span::styled(format!("  {m}"), theme::error()));
            }
            lines.push(Line::from(spans));
        }
        (lines, selected_line)
    }

    fn record_lines(&self, g: &Goal, w: usize) -> Vec<Line<'static>> {
        let mut lines: Vec<Line<'static>> = Vec::new();
        lines.push(Line::from(Span::styled("Progress entries", theme::title())));
        if self.progress.is_empty() {
            lines.push(Line::from(Span::styled("  none yet (p records one)", theme::dim())));
        }
        let (b, t) = g.span();
        for p in &self.progress {
            let pct = progress_percent(b, t, p.value)
                .map(|x| format!("{:>4} %", x.round() as i64))
                .unwrap_or_default();
            let from = p.screening.as_ref().map(|s| format!(" (from {s})")).unwrap_or_default();
            let note = if p.note.is_empty() { String::new() } else { format!("  {}", display_safe(&p.note)) };
            lines.push(Line::from(fit(
                &format!("  {}  {}{pct}{from}{note}", format_date(p.on), g.value_text(p.value)),
                w,
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("History", theme::title())));
        for h in &self.history {
            let reason =
                if h.reason.is_empty() { String::new() } else { format!(" — {}", display_safe(&h.reason)) };
            let by = if h.by.is_empty() { String::new() } else { format!(" ({})", display_safe(&h.by)) };
            lines.push(Line::from(fit(&format!("  {}  {}{reason}{by}", format_date(h.on), h.describe()), w)));
        }
        lines
    }
}

impl View for GoalScreen {
    fn title(&self) -> &'static str {
        "Goal"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Goal, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::AddStep,
            Action::StepDone,
            Action::StepUp,
            Action::RecordProgress,
            Action::ChangeStatus,
            Action::Back,
        ]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn set_area(&mut self, body: Rect) {
        self.height = body.height.saturating_sub(2) as usize;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let g = ctx.store.goal(self.goal_id)?;
            self.client_id = g.client_id;
            self.steps = ctx.store.steps(self.goal_id)?;
            self.progress = ctx.store.progress(self.goal_id)?;
            self.history = ctx.store.goal_history(self.goal_id)?;
            self.goal = Some(g);
            if let Some(step) = self.select_step.take() {
                self.selected = self.steps.iter().position(|s| s.id == step).unwrap_or(0);
                self.follow_selection = true;
            }
            self.selected = self.selected.min(self.steps.len().saturating_sub(1));
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Goal], &ev) else { return Handled::No };
        let goal = self.goal_id;
        let step = self.selected_step().map(|s| s.id);
        let n = self.steps.len();
        let msg = match action {
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                self.follow_selection = true;
                return Handled::Yes(vec![]);
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
                self.follow_selection = true;
                return Handled::Yes(vec![]);
            }
            Action::PageUp | Action::PageDown => {
                let page = (self.height / 2).max(1);
                self.scroll = if action == Action::PageUp {
                    self.scroll.saturating_sub(page)
                } else {
                    (self.scroll + page).min(500)
                };
                self.follow_selection = false;
                return Handled::Yes(vec![]);
            }
            Action::AddStep => PlanMsg::AddStep(goal),
            Action::Open => match step {
                Some(s) => PlanMsg::EditStep(s),
                None => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "No step yet: press {} to add one.",
                        key_label(Context::Goal, Action::AddStep)
                    ))])
                }
            },
            Action::StepDone => match step {
                Some(s) => return Handled::Act(Act::ToggleStep(s)),
                None => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "No step yet: press {} to add one.",
                        key_label(Context::Goal, Action::AddStep)
                    ))])
                }
            },
            Action::StepUp | Action::StepDown => {
                let Some(s) = step else { return Handled::Yes(vec![]) };
                let delta = if action == Action::StepUp { -1 } else { 1 };
                let to = self.selected as i64 + i64::from(delta);
                if to < 0 || to as usize >= n {
                    return Handled::Yes(vec![]);
                }
                // the selection moves with the step
                self.selected = to as usize;
                return Handled::Act(Act::MoveStep { step: s, delta });
            }
            Action::RecordProgress => PlanMsg::RecordProgress(goal),
            Action::ChangeStatus => PlanMsg::ChangeStatus(goal),
            Action::SetAchievement => PlanMsg::SetAchievement(goal),
            Action::Edit => PlanMsg::EditGoal(goal),
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Plan(msg)])
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let Some(g) = &self.goal else { return };
        let mut title = vec![Span::styled(
            format!(" Goal {} · {} · {} ", g.reference, status_word(g.status), g.achievement.label()),
            theme::title(),
        )];
        if g.past_target(today) {
            title.push(Span::styled("PAST TARGET ", theme::error()));
        }
        let block = Block::default().borders(Borders::ALL).title(Line::from(title));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let h = inner.height as usize;
        if area.width >= TWO_COLUMNS {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(inner);
            let (lines, sel) = self.goal_lines(g, left.width.saturating_sub(1) as usize, today);
            let top = if sel >= h { sel + 1 - h } else { 0 };
            frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), left);
            let right_lines = self.record_lines(g, right.width.saturating_sub(1) as usize);
            frame.render_widget(Paragraph::new(right_lines).scroll((self.scroll.min(500) as u16, 0)), right);
            return;
        }
        let w = inner.width as usize;
        let (mut lines, sel) = self.goal_lines(g, w, today);
        lines.push(Line::from(""));
        lines.extend(self.record_lines(g, w));
        let mut top = self.scroll.min(lines.len().saturating_sub(1));
        if self.follow_selection {
            if sel < top {
                top = sel;
            } else if sel >= top + h {
                top = sel + 1 - h;
            }
        }
        frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), inner);
    }
}
