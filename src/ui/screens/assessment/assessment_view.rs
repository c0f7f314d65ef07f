//! One assessment, with what changed since the previous one.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::assessment::{changes, rating_label, Change, RiskArea, RiskLevel, Section};
use crate::domain::dates::format_date;
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::assessments::StoredAssessment;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

fn level_text(l: Option<RiskLevel>) -> &'static str {
    l.map(RiskLevel::label).unwrap_or("not assessed")
}

// ---------------------------------------------------------------------------------------------
// One assessment
// ---------------------------------------------------------------------------------------------

pub struct AssessmentScreen {
    pub id: i64,
    a: Option<StoredAssessment>,
    previous: Option<StoredAssessment>,
    diff: Vec<Change>,
    scroll: u16,
    stale: bool,
}

impl AssessmentScreen {
    pub fn new(id: i64) -> Self {
        AssessmentScreen { id, a: None, previous: None, diff: Vec::new(), scroll: 0, stale: true }
    }

    fn lines(&self) -> Vec<Line<'static>> {
        let Some(s) = &self.a else { return Vec::new() };
        let a = &s.assessment;
        let mut lines = Vec::new();
        let head = |t: &str| Line::from(Span::styled(t.to_string(), theme::title()));
        let empty = a.empty_parts();
        if !empty.is_empty() {
            lines.push(Line::from(Span::styled(format!("Still empty: {}", empty.join(", ")), theme::warn())));
            lines.push(Line::from(""));
        }
        if let Some(p) = &self.previous {
            lines.push(head(&format!(
                "Changes since {} ({})",
                format_date(p.assessment.assessed_on),
                p.reference
            )));
            if self.diff.is_empty() {
                lines.push(Line::from(Span::styled("  nothing changed", theme::dim())));
            }
            for c in &self.diff {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}: ", c.part), theme::dim()),
                    Span::raw(display_safe(&c.what).into_owned()),
                ]));
            }
            lines.push(Line::from(""));
        }
        // strengths first ("before the problems"), then the needs listed, then the narratives
        for sec in Section::SHOWN {
            let text = a.section(sec);
            if sec == Section::Needs {
                lines.push(Line::from(""));
                lines.push(head("Presenting needs"));
                if a.needs.is_empty() {
                    lines.push(Line::from(Span::styled("  (none listed)", theme::dim())));
                }
                for n in &a.needs {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  • {:<14}", n.life_domain), theme::dim()),
                        Span::raw(display_safe(&n.text).into_owned()),
                    ]));
                }
            }
            if sec != Section::SHOWN[0] {
                lines.push(Line::from(""));
            }
            lines.push(head(sec.label()));
            if text.trim().is_empty() {
                lines.push(Line::from(Span::styled("  (empty)", theme::dim())));
            }
            for l in text.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        lines.push(Line::from(""));
        lines.push(head("Risk and safety"));
        for area in RiskArea::ALL {
            let r = a.risk(area);
            let style =
                if r.level.is_some_and(RiskLevel::raises_flag) { theme::flag() } else { Style::default() };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", area.label()), theme::dim()),
                Span::styled(level_text(r.level).to_string(), style),
            ]));
            for l in r.plan.lines() {
                lines.push(Line::from(format!("      {}", display_safe(l))));
            }
        }
        lines.push(Line::from(""));
        lines.push(head("Domain ratings"));
        if a.ratings.is_empty() {
            lines.push(Line::from(Span::styled("  (not rated)", theme::dim())));
        }
        for (d, r) in &a.ratings {
            lines.push(Line::from(format!("  {d:<14} {r} {}", rating_label(*r))));
        }
        lines
    }
}

impl View for AssessmentScreen {
    fn title(&self) -> &'static str {
        "Assessment"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::AssessmentView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Edit, Action::Reassess, Action::Down, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.a.as_ref().map(|a| a.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let a = ctx.store.assessment(self.id)?;
            self.previous = ctx.store.previous_assessment(self.id)?;
            self.diff =
                self.previous.as_ref().map(|p| changes(&p.assessment, &a.assessment)).unwrap_or_default();
            self.a = Some(a);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::AssessmentView], &ev) else { return Handled::No };
        let client_id = self.a.as_ref().map(|a| a.client_id).unwrap_or(0);
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(2_000),
            Action::Edit => return Handled::Yes(vec![Message::Assess(AssessMsg::EditAssessment(self.id))]),
            Action::Reassess => {
                return Handled::Yes(vec![Message::Assess(AssessMsg::NewAssessment {
                    client_id,
                    from: Some(self.id),
                })])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(a) = &self.a else { return };
        let title = format!(
            " {} {} — {} ",
            if a.based_on.is_some() { "Reassessment" } else { "Assessment" },
            a.reference,
            format_date(a.assessment.assessed_on)
        );
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        frame.render_widget(
            Paragraph::new(self.lines()).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
