//! One referral, its history and appointments: tracked to a closed loop.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::list::follow_text;
use crate::app::message::{Message, RefMsg};
use crate::domain::dates::format_date;
use crate::domain::referral::is_reopening;
use crate::domain::text::display_safe;
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::referrals::{Appointment, EventKind, Referral};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

pub struct ReferralScreen {
    pub id: i64,
    r: Option<Referral>,
    consent: Option<String>,
    today: NaiveDate,
    scroll: u16,
    stale: bool,
    /// The appointment that changing and removing act on (an index into the list).
    selected: usize,
    /// Removing an appointment, waiting for yes (its id).
    confirm_remove: Option<i64>,
}

impl ReferralScreen {
    pub fn new(id: i64) -> Self {
        ReferralScreen {
            id,
            r: None,
            consent: None,
            today: NaiveDate::default(),
            scroll: 0,
            stale: true,
            selected: 0,
            confirm_remove: None,
        }
    }

    fn selected_appointment(&self) -> Option<&Appointment> {
        self.r.as_ref().and_then(|r| r.appointments.get(self.selected))
    }

    /// A key on an appointment: the next one, change it, remove it (asking first).
    fn appointment_key(&mut self, action: Action) -> Handled {
        let n = self.r.as_ref().map_or(0, |r| r.appointments.len());
        let Some(a) = self.selected_appointment() else {
            return Handled::Yes(vec![Message::Status(format!(
                "No appointment yet: {} adds one.",
                key_label(Context::ReferralView, Action::AddAppointment)
            ))]);
        };
        match action {
            Action::EditAppointment => Handled::Yes(vec![Message::Referral(RefMsg::EditAppointment(a.id))]),
            Action::Remove => {
                self.confirm_remove = Some(a.id);
                Handled::Yes(vec![])
            }
            _ => {
                self.selected = (self.selected + 1) % n.max(1);
                Handled::Yes(vec![])
            }
        }
    }
}

impl View for ReferralScreen {
    fn title(&self) -> &'static str {
        "Referral"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::ReferralView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[
            Action::NextStatus,
            Action::AddAppointment,
            Action::EditAppointment,
            Action::Edit,
            Action::Back,
            Action::Help,
        ]
    }
    fn client_id(&self) -> Option<i64> {
        self.r.as_ref().map(|r| r.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        self.today = ctx.today;
        if self.stale {
            let r = ctx.store.referral(self.id)?;
            self.consent = match ctx.store.referral_consent(&r, ctx.today)? {
                Some(c) => {
                    Some(format!("{} to {} — {}", c.reference, c.to, c.validity(ctx.today, 30).describe()))
                }
                None => None,
            };
            self.selected = self.selected.min(r.appointments.len().saturating_sub(1));
            self.r = Some(r);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(id) = self.confirm_remove.take() {
            if lookup(&[Context::ReferralView], &ev) == Some(Action::Yes) {
                return Handled::Act(Act::RemoveAppointment(id));
            }
            return Handled::Yes(vec![Message::Status("Kept.".into())]);
        }
        let Some(action) = lookup(&[Context::ReferralView], &ev) else { return Handled::No };
        let Some(r) = &self.r else { return Handled::Yes(vec![]) };
        let msg = match action {
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                return Handled::Yes(vec![]);
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(500);
                return Handled::Yes(vec![]);
            }
            Action::NextStatus if r.status.is_terminal() => {
                return Handled::Yes(vec![Message::Status(
                    "This referral is closed: make a new one instead.".into(),
                )])
            }
            Action::NextStatus => RefMsg::Status(r.id),
            Action::AddAppointment => RefMsg::Appointment(r.id),
            Action::NextTab | Action::EditAppointment | Action::Remove => {
                return self.appointment_key(action)
            }
            Action::Edit => RefMsg::Edit(r.id),
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Referral(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(r) = &self.r else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Referral {} — {} ", r.reference, r.status.label()),
            theme::title(),
        ));
        let kv = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<20}"), theme::dim()), Span::raw(v)])
        };
        let mut lines = vec![
            kv(
                "To",
                format!(
                    "{}{}",
                    display_safe(&r.provider),
                    r.service.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()
                ),
            ),
            kv(
                "Need",
                format!(
                    "{}{}",
                    display_safe(&r.need),
                    if r.need_domain.is_empty() { String::new() } else { format!(" [{}]", r.need_domain) }
                ),
            ),
            kv("Urgency", r.urgency.label().to_string()),
        ];
        let (follow, follow_style) = follow_text(r, self.today);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<20}", "Where it stands"), theme::dim()),
            Span::styled(r.age(self.today), theme::title()),
            Span::raw("  "),
            Span::styled(follow, follow_style),
        ]));
        if !r.method.is_empty() {
            lines.push(kv("Method", r.method.clone()));
        }
        if !r.contact_name.is_empty() {
            lines.push(kv("Contact person", display_safe(&r.contact_name).into_owned()));
        }
        lines.push(kv(
            "Information shared",
            if r.info_shared.is_empty() {
                "(not said)".into()
            } else {
                display_safe(&r.info_shared).into_owned()
            },
        ));
        match &self.consent {
            Some(c) => lines.push(kv("Consent", display_safe(c).into_owned())),
            None => lines.push(Line::from(vec![
                Span::styled(format!("{:<20}", "Consent"), theme::dim()),
                Span::styled(
                    format!(
                        "NONE VALID — it cannot be marked sent until one is recorded ({} on the file)",
                        key_label(Context::ClientFile, Action::OpenCoordination)
                    ),
                    theme::warn(),
                ),
            ])),
        }
        if !r.outcome.is_empty() {
            lines.push(kv("Outcome", display_safe(&r.outcome).into_owned()));
        }
        if !r.notes.is_empty() {
            lines.push(Line::from(""));
            for l in r.notes.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Appointments", theme::title())));
        if r.appointments.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "  none arranged — {} adds one",
                    key_label(Context::ReferralView, Action::AddAppointment)
                ),
                theme::dim(),
            )));
        }
        for (i, a) in r.appointments.iter().enumerate() {
            let transport = match a.transport.as_str() {
                "yes" => format!(
                    "transport arranged{}",
                    if a.transport_how.is_empty() { String::new() } else { format!(": {}", a.transport_how) }
                ),
                "no" => "no transport arranged".into(),
                _ => "transport not known".into(),
            };
            let mark = if i == self.selected { "▶ " } else { "  " };
            let line =
                format!("{mark}{}  {}  {}", a.when(), display_safe(&a.place), display_safe(&transport));
            lines.push(if i == self.selected {
                Line::from(Span::styled(line, theme::selected()))
            } else {
                Line::from(line)
            });
            if self.confirm_remove == Some(a.id) {
                lines.push(Line::from(Span::styled(
                    format!(
                        "  Remove the appointment of {}? {} removes, any other key keeps.",
                        a.when(),
                        key_label(Context::ReferralView, Action::Yes)
                    ),
                    theme::warn(),
                )));
            }
        }
        if r.appointments.len() > 1 {
            lines.push(Line::from(Span::styled(
                format!(
                    "  {} selects another; {} changes it, {} removes it",
                    key_label(Context::ReferralView, Action::NextTab),
                    key_label(Context::ReferralView, Action::EditAppointment),
                    key_label(Context::ReferralView, Action::Remove)
                ),
                theme::dim(),
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("History", theme::title())));
        for e in &r.history {
            if matches!(e.kind, EventKind::Appointment | EventKind::Consent) {
                let by = if e.by.is_empty() { String::new() } else { format!(" ({})", e.by) };
                lines.push(Line::from(format!("  {}  {}{by}", format_date(e.on), display_safe(&e.note))));
                continue;
            }
            let from = match e.from {
                Some(f) if is_reopening(f, e.to) => "reopened after no response → ".to_string(),
                Some(f) => format!("{} → ", f.label().to_lowercase()),
                None => String::new(),
            };
            let why = [e.reason.as_str(), e.note.as_str()]
                .iter()
                .filter(|x| !x.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("; ");
            let by = if e.by.is_empty() { String::new() } else { format!(" ({})", e.by) };
            lines.push(Line::from(format!(
                "  {}  {from}{}{by}{}",
                format_date(e.on),
                e.to.label().to_lowercase(),
                if why.is_empty() { String::new() } else { format!(": {}", display_safe(&why)) }
            )));
        }
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}
