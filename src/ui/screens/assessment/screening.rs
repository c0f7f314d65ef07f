//! One screener result in full.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::administer::AdministerScreen;
use crate::app::message::{AssessMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::instruments::Instrument;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::safety::Alert;
use crate::store::screenings::Screening;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct ScreeningScreen {
    pub id: i64,
    s: Option<Screening>,
    alerts: Vec<Alert>,
    instrument: Option<Instrument>,
    scroll: u16,
    stale: bool,
}

impl ScreeningScreen {
    pub fn new(id: i64) -> Self {
        ScreeningScreen { id, s: None, alerts: Vec::new(), instrument: None, scroll: 0, stale: true }
    }
}

impl View for ScreeningScreen {
    fn title(&self) -> &'static str {
        "Screener result"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Screening, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        if self.alerts.iter().any(|a| a.acknowledged_at.is_none()) {
            &[Action::Acknowledge, Action::Down, Action::Back, Action::Help]
        } else {
            &[Action::Down, Action::MarkError, Action::Back, Action::Help]
        }
    }
    fn client_id(&self) -> Option<i64> {
        self.s.as_ref().map(|s| s.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let s = ctx.store.screening(self.id)?;
            self.alerts = ctx.store.alerts_for_screening(self.id)?;
            self.instrument = crate::domain::instruments::find(ctx.instruments, &s.instrument).cloned();
            self.s = Some(s);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Screening], &ev) else { return Handled::No };
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(500),
            Action::Acknowledge => {
                return Handled::Yes(match self.alerts.iter().find(|a| a.acknowledged_at.is_none()) {
                    Some(a) => vec![Message::Assess(AssessMsg::AckAlert(a.id))],
                    None => vec![Message::Status("No open alert on this result.".into())],
                })
            }
            Action::MarkError => {
                return Handled::Yes(vec![Message::Assess(AssessMsg::ScreeningError(self.id))])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(s) = &self.s else { return };
        let name =
            self.instrument.as_ref().map(|i| i.short_name.clone()).unwrap_or_else(|| s.instrument.clone());
        let title = format!(" {} {} — given {} ", name, s.reference, format_date(s.administered_on));
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let mut lines = Vec::new();
        if s.entered_in_error {
            lines.push(Line::from(Span::styled("ENTERED IN ERROR — left out of trends", theme::warn())));
        }
        for a in &self.alerts {
            match (&a.acknowledged_at, &a.ack_note) {
                (Some(at), note) => lines.push(Line::from(Span::styled(
                    format!(
                        "Alert acknowledged {}{}: {}",
                        crate::domain::dates::format_local(*at),
                        a.ack_by
                            .as_deref()
                            .filter(|b| !b.is_empty())
                            .map(|b| format!(" by {b}"))
                            .unwrap_or_default(),
                        display_safe(note.as_deref().unwrap_or(""))
                    ),
                    theme::ok(),
                ))),
                (None, _) => lines.push(Line::from(Span::styled(
                    format!(
                        "⚑ SAFETY ALERT OPEN — press {} to acknowledge it with a note of what was done",
                        key_label(Context::Screening, Action::Acknowledge)
                    ),
                    theme::flag(),
                ))),
            }
        }
        lines.extend(AdministerScreen::result_lines(&s.result));
        lines.push(Line::from(""));
        if let Some(inst) = &self.instrument {
            lines.push(Line::from(Span::styled("Answers", theme::title())));
            let text_w = (area.width as usize).saturating_sub(34).max(20);
            for item in &inst.items {
                let a = s.answers.iter().find(|(id, _)| *id == item.id).map(|(_, a)| a.clone());
                lines.push(Line::from(format!(
                    "  {:>2}. {:<text_w$} {}",
                    item.number,
                    fit(&display_safe(&item.text), text_w),
                    AdministerScreen::answer_text(inst, item, &a)
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!(
                    "LOINC panel {}{} · scored with {} version {}",
                    inst.loinc.panel,
                    inst.loinc.total.as_deref().map(|t| format!(", total {t}")).unwrap_or_default(),
                    inst.short_name,
                    s.instrument_version
                ),
                theme::dim(),
            )));
            if inst.licence.attribution.is_empty() {
                lines.push(Line::from(Span::styled(
                    display_safe(&inst.licence.terms).into_owned(),
                    theme::dim(),
                )));
            }
            for line in &inst.licence.attribution {
                lines.push(Line::from(Span::styled(display_safe(line).into_owned(), theme::dim())));
            }
        }
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
