//! A client's file: the header, intake details, episodes of service and recent history.
//! Later phases add their sections here.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::Message;
use crate::domain::client::Client;
use crate::domain::dates::{format_date, format_local, from_db};
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::clients::{Episode, Event};
use crate::store::{Result, Store};
use crate::ui::theme;

pub struct ClientFileScreen {
    pub client_id: i64,
    pub client: Option<Client>,
    episodes: Vec<Episode>,
    events: Vec<Event>,
    scroll: u16,
    stale: bool,
}

impl ClientFileScreen {
    pub fn new(client_id: i64) -> Self {
        ClientFileScreen {
            client_id,
            client: None,
            episodes: Vec::new(),
            events: Vec::new(),
            scroll: 0,
            stale: true,
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        &[Context::ClientFile, Context::Global]
    }

    pub fn hints(&self) -> &'static [Action] {
        &[
            Action::WriteNote,
            Action::OpenNotes,
            Action::OpenTimeline,
            Action::Edit,
            Action::Back,
            Action::Help,
        ]
    }

    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    pub fn sync(&mut self, store: &Store) -> Result<()> {
        if self.stale {
            self.client = Some(store.client(self.client_id)?);
            self.episodes = store.episodes(self.client_id)?;
            self.events = store.events(self.client_id, 50, 0)?;
            self.stale = false;
        }
        Ok(())
    }

    pub fn handle_key(&mut self, ev: KeyEvent) -> Option<Vec<Message>> {
        match lookup(&[Context::ClientFile], &ev)? {
            Action::Edit => Some(vec![Message::EditIntake(self.client_id)]),
            Action::WriteNote => Some(vec![Message::WriteNote(self.client_id)]),
            Action::OpenNotes => Some(vec![Message::OpenNotes(self.client_id)]),
            Action::OpenTimeline => Some(vec![Message::OpenTimeline(self.client_id)]),
            Action::OpenPlan => {
                Some(vec![Message::Plan(crate::app::plan::PlanMsg::OpenPlan(self.client_id))])
            }
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Some(vec![])
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(500);
                Some(vec![])
            }
            Action::Back => Some(vec![Message::Back]),
            _ => None,
        }
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let Some(c) = &self.client else { return };
        let block =
            Block::default().borders(Borders::ALL).title(Span::styled(" Client file ", theme::title()));
        let mut lines: Vec<Line<'static>> = Vec::new();
        let section = |lines: &mut Vec<Line<'static>>, title: &str| {
            if !lines.is_empty() {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(title.to_string(), theme::title())));
        };
        let field = |lines: &mut Vec<Line<'static>>, label: &str, value: &str| {
            if !value.is_empty() {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {label:<22}"), theme::dim()),
                    Span::raw(display_safe(value).into_owned()),
                ]));
            }
        };
        section(&mut lines, "Identity");
        field(&mut lines, "Name", &c.full_name());
        field(&mut lines, "Preferred name", &c.preferred_name);
        field(&mut lines, "Pronouns", &c.pronouns);
        let dob = c
            .date_of_birth
            .map(|d| {
                if c.birth_date_estimated {
                    format!("about {} (estimated)", d.format("%Y"))
                } else {
                    format_date(d)
                }
            })
            .unwrap_or_default();
        field(&mut lines, "Date of birth", &dob);
        field(&mut lines, "External ID", &c.external_id);

        section(&mut lines, "Contact");
        field(&mut lines, "Phone", &c.phone);
        field(&mut lines, "Email", &c.email);
        field(&mut lines, "Address", &c.address);
        field(&mut lines, "Best way/time", &c.best_contact);
        let safe = match c.safe_to_leave_message {
            Some(true) => "yes",
            Some(false) => "NO — do not leave messages",
            None => "not asked",
        };
        field(&mut lines, "Safe to leave message", safe);
        let lang = if c.interpreter_needed {
            format!("{} (interpreter needed)", c.language)
        } else {
            c.language.clone()
        };
        field(&mut lines, "Language", lang.trim());

        section(&mut lines, "Referral");
        field(&mut lines, "Source", &c.referral_source);
        field(&mut lines, "Intake date", &format_date(c.intake_date));
        field(&mut lines, "Programme", &c.programme);
        if !c.referral_reason.is_empty() {
            lines.push(Line::from(Span::styled("  Reason for referral", theme::dim())));
            for l in c.referral_reason.lines() {
                lines.push(Line::from(format!("    {}", display_safe(l))));
            }
        }

        if !(c.emergency_contact_name.is_empty() && c.emergency_contact_phone.is_empty()) {
            section(&mut lines, "Emergency contact");
            field(&mut lines, "Name", &c.emergency_contact_name);
            field(&mut lines, "Relation", &c.emergency_contact_relation);
            field(&mut lines, "Phone", &c.emergency_contact_phone);
        }

        section(&mut lines, "Episodes of service");
        for e in &self.episodes {
            let state = match (e.closed_on, &e.closed_reason) {
                (Some(d), Some(r)) => format!("closed {} ({})", format_date(d), r),
                (Some(d), None) => format!("closed {}", format_date(d)),
                _ => "open".to_string(),
            };
            lines.push(Line::from(format!(
                "  #{}  opened {}  {}",
                e.number,
                format_date(e.opened_on),
                state
            )));
        }

        section(&mut lines, "History (newest first)");
        for ev in &self.events {
            let when = from_db(&ev.occurred_at).map(format_local).unwrap_or_else(|| ev.occurred_at.clone());
            lines.push(Line::from(vec![
                Span::styled(format!("  {when}  "), theme::dim()),
                Span::raw(display_safe(&ev.summary).into_owned()),
            ]));
        }
        let _ = today;
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
