//! One directory service: who runs it, where and when, who it is for, how to refer, and
//! whether its details were checked in the last year.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::Message;
use crate::domain::text::{display_safe, wrap};
use crate::keymap::{lookup, Action, Context};
use crate::store::directory::Service;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct ServiceScreen {
    pub service_id: i64,
    pub service: Option<Service>,
    scroll: u16,
    stale: bool,
}

impl ServiceScreen {
    pub fn new(service_id: i64) -> Self {
        ServiceScreen { service_id, service: None, scroll: 0, stale: true }
    }
}

impl View for ServiceScreen {
    fn title(&self) -> &'static str {
        "Service"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Service, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[Action::Refer, Action::Edit, Action::Down, Action::Up, Action::Back, Action::Help]
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let store = ctx.store;
        if self.stale {
            self.service = Some(store.service(self.service_id)?);
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Service], &ev) else { return Handled::No };
        match action {
            Action::Edit => Handled::Yes(vec![Message::EditService(self.service_id)]),
            Action::Refer => Handled::Yes(vec![Message::ReferToService(self.service_id)]),
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Handled::Yes(vec![])
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(1_000);
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let Some(s) = &self.service else { return };
        let title = format!(" {} {} ", s.reference, display_safe(&s.name));
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let mut lines: Vec<Line<'static>> = Vec::new();
        let v = s.verification(today);
        lines.push(Line::from(Span::styled(
            v.sentence(s.last_verified_on),
            if v.needs_check() { theme::warn() } else { theme::dim() },
        )));
        if s.status != "active" && !s.status.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("Status: {}", s.status.to_uppercase()),
                theme::warn(),
            )));
        }
        // values wrap under themselves, not under the labels
        let value_w = (area.width as usize).saturating_sub(2 + 18);
        let field = |lines: &mut Vec<Line<'static>>, label: &str, value: &str| {
            let mut first = true;
            for l in value.lines() {
                for part in wrap(&display_safe(l), value_w) {
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {:<16}", if first { label } else { "" }), theme::dim()),
                        Span::raw(part),
                    ]));
                    first = false;
                }
            }
        };
        let org = &s.organisation;
        field(&mut lines, "Organisation", &format!("{} {}", org.reference, org.name));
        if org.placeholder {
            field(&mut lines, "", &org.placeholder_note());
        }
        field(&mut lines, "Need categories", &s.categories.join(", "));
        field(&mut lines, "Description", &s.description);
        for p in &s.phones {
            field(&mut lines, "Phone", &p.display());
        }
        field(&mut lines, "Email", &s.email);
        field(&mut lines, "Website", &s.website);
        field(&mut lines, "Hours", &s.hours);
        field(&mut lines, "Eligibility", &s.eligibility);
        field(&mut lines, "Fees", &s.fees);
        field(&mut lines, "Languages", &s.languages);
        field(&mut lines, "How to refer", &s.how_to_refer);
        for l in &s.locations {
            let r = &l.record;
            field(&mut lines, "Where", &r.place_line());
            field(&mut lines, "  getting there", &r.transport);
            field(&mut lines, "  hours there", &r.hours);
            for p in &r.phones {
                field(&mut lines, "  phone there", &p.display());
            }
        }
        for p in &org.phones {
            field(&mut lines, "Org. phone", &p.display());
        }
        for l in &org.places_without_service {
            field(&mut lines, "Org. place", &format!("{} (no service linked to it)", l.record.place_line()));
            field(&mut lines, "  hours there", &l.record.hours);
            for p in &l.record.phones {
                field(&mut lines, "  phone there", &p.display());
            }
        }
        field(&mut lines, "Org. email", &org.email);
        field(&mut lines, "Org. website", &org.website);
        field(&mut lines, "Your notes", &s.notes);
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
