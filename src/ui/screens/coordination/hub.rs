//! A client's coordination and advocacy, in tabs: consents, conferences, transitions, advocacy
//! and mandated reports.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{CoordForm, CoordMsg, CoordTab, Message};
use crate::domain::coordination::transition_label;
use crate::domain::dates::format_date;
use crate::domain::dates::format_local;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::coordination::{AdvocacyItem, Conference, MandatedReport, StoredConsent, Transition};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct CoordinationScreen {
    pub client_id: i64,
    pub tab: CoordTab,
    consents: Vec<StoredConsent>,
    conferences: Vec<Conference>,
    transitions: Vec<Transition>,
    advocacy: Vec<AdvocacyItem>,
    reports: Vec<MandatedReport>,
    today: NaiveDate,
    warn_days: i64,
    cursor: ListCursor,
    stale: bool,
}

impl CoordinationScreen {
    pub fn new(client_id: i64, tab: CoordTab) -> Self {
        CoordinationScreen {
            client_id,
            tab,
            consents: Vec::new(),
            conferences: Vec::new(),
            transitions: Vec::new(),
            advocacy: Vec::new(),
            reports: Vec::new(),
            today: NaiveDate::default(),
            warn_days: 30,
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn len(&self) -> usize {
        match self.tab {
            CoordTab::Consents => self.consents.len(),
            CoordTab::Conferences => self.conferences.len(),
            CoordTab::Transitions => self.transitions.len(),
            CoordTab::Advocacy => self.advocacy.len(),
            CoordTab::Reports => self.reports.len(),
        }
    }

    fn rows(&self, width: usize) -> Vec<String> {
        let today = self.today;
        match self.tab {
            CoordTab::Consents => self
                .consents
                .iter()
                .map(|c| {
                    let v = c.validity(today, self.warn_days);
                    let state = if c.lapsed_on.is_some() { "not renewed".to_string() } else { v.describe() };
                    let covers =
                        if c.covers.is_empty() { "everything".to_string() } else { c.covers.clone() };
                    format!("{:<6} {:<24} {:<22} {}", c.reference, fit(&c.to, 24), fit(&covers, 22), state)
                })
                .collect(),
            CoordTab::Conferences => self
                .conferences
                .iter()
                .map(|c| {
                    let open = c.actions.iter().filter(|a| a.done_on.is_none()).count();
                    format!(
                        "{:<6} {:<16} {}  ({} attending, {})",
                        c.reference,
                        format_local(c.held_at),
                        fit(&c.purpose, width.saturating_sub(60).max(12)),
                        c.attendees.len(),
                        crate::domain::words::count(open, "open action", "open actions")
                    )
                })
                .collect(),
            CoordTab::Transitions => self
                .transitions
                .iter()
                .map(|t| {
                    let follow = match (t.follow_up_on, t.follow_up_done) {
                        (Some(_), Some(d)) => format!("followed up {}", format_date(d)),
                        (Some(f), None) => format!("FOLLOW UP {}", format_date(f)),
                        _ => String::new(),
                    };
                    format!(
                        "{:<6} {}  {:<22} {} → {}  {follow}",
                        t.reference,
                        format_date(t.on_date),
                        fit(transition_label(&t.kind), 22),
                        fit(&t.from_service, 16),
                        fit(&t.to_service, 16)
                    )
                })
                .collect(),
            CoordTab::Advocacy => self
                .advocacy
                .iter()
                .map(|a| {
                    let state = match (a.closed_on, a.deadline) {
                        (Some(d), _) => format!("closed {}", format_date(d)),
                        (None, Some(d)) if d < today => format!("DEADLINE PASSED {}", format_date(d)),
                        (None, Some(d)) => format!("deadline {}", format_date(d)),
                        (None, None) => "open".into(),
                    };
                    format!(
                        "{:<6} {:<18} {:<30} {state}",
                        a.reference,
                        fit(&a.target, 18),
                        fit(&a.barrier, 30)
                    )
                })
                .collect(),
            CoordTab::Reports => self
                .reports
                .iter()
                .map(|r| {
                    format!(
                        "{:<6} {}  {:<18} {:<22} ref {}",
                        r.reference,
                        format_local(r.reported_at),
                        fit(&r.kind.replace('-', " "), 18),
                        fit(&r.agency, 22),
                        if r.reference_number.is_empty() { "—" } else { &r.reference_number }
                    )
                })
                .collect(),
        }
    }
}

impl View for CoordinationScreen {
    fn title(&self) -> &'static str {
        "Coordination"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Coordination, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        match self.tab {
            CoordTab::Consents => {
                &[Action::New, Action::Withdraw, Action::Lapse, Action::NextTab, Action::Back]
            }
            CoordTab::Transitions => {
                &[Action::New, Action::Done, Action::NextTab, Action::Back, Action::Help]
            }
            _ => &[Action::Open, Action::New, Action::NextTab, Action::Back, Action::Help],
        }
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(5) as usize;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        self.today = ctx.today;
        self.warn_days = i64::from(ctx.settings.consent_warning_days);
        if self.stale {
            let s = ctx.store;
            self.consents = s.consents(self.client_id)?;
            self.conferences = s.conferences(self.client_id)?;
            self.transitions = s.transitions(self.client_id)?;
            self.advocacy = s.advocacy_items(self.client_id)?;
            self.reports = s.mandated_reports(self.client_id)?;
            self.stale = false;
        }
        self.cursor.clamp(self.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Coordination, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.len()) {
            return Handled::Yes(vec![]);
        }
        let i = self.cursor.selected;
        let c = self.client_id;
        let msg = match action {
            Action::NextTab | Action::PrevTab => {
                let at = CoordTab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let n = CoordTab::ALL.len();
                self.tab =
                    CoordTab::ALL[if action == Action::NextTab { (at + 1) % n } else { (at + n - 1) % n }];
                self.cursor.selected = 0;
                self.cursor.offset = 0;
                return Handled::Yes(vec![]);
            }
            Action::Answer => {
                if let crossterm::event::KeyCode::Char(ch) = ev.code {
                    if let Some(t) =
                        ch.to_digit(10).and_then(|d| CoordTab::ALL.get((d as usize).wrapping_sub(1)))
                    {
                        self.tab = *t;
                        self.cursor.selected = 0;
                        self.cursor.offset = 0;
                    }
                }
                return Handled::Yes(vec![]);
            }
            Action::New => CoordMsg::Form(match self.tab {
                CoordTab::Consents => CoordForm::Consent { client_id: c },
                CoordTab::Conferences => CoordForm::Conference { client_id: c, id: None },
                CoordTab::Transitions => CoordForm::Transition { client_id: c },
                CoordTab::Advocacy => CoordForm::Advocacy { client_id: c },
                CoordTab::Reports => CoordForm::Mandated { client_id: c },
            }),
            Action::Open => match self.tab {
                CoordTab::Conferences => match self.conferences.get(i) {
                    Some(x) => CoordMsg::OpenConference(x.id),
                    None => return Handled::Yes(vec![]),
                },
                CoordTab::Advocacy => match self.advocacy.get(i) {
                    Some(x) => CoordMsg::OpenAdvocacy(x.id),
                    None => return Handled::Yes(vec![]),
                },
                CoordTab::Reports => match self.reports.get(i) {
                    Some(x) => CoordMsg::OpenReport(x.id),
                    None => return Handled::Yes(vec![]),
                },
                _ => return Handled::Yes(vec![]),
            },
            Action::Withdraw if self.tab == CoordTab::Consents => match self.consents.get(i) {
                Some(x) => CoordMsg::Form(CoordForm::Withdraw { consent_id: x.id, client_id: c }),
                None => return Handled::Yes(vec![]),
            },
            Action::Lapse if self.tab == CoordTab::Consents => match self.consents.get(i) {
                Some(x) => return Handled::Act(Act::LapseConsent(x.id)),
                None => return Handled::Yes(vec![]),
            },
            Action::Done if self.tab == CoordTab::Transitions => match self.transitions.get(i) {
                Some(x) if x.follow_up_on.is_some() && x.follow_up_done.is_none() => {
                    return Handled::Act(Act::TransitionDone(x.id))
                }
                _ => {
                    return Handled::Yes(vec![Message::Status(
                        "No follow-up waiting on that transition.".into(),
                    )])
                }
            },
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Coord(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(" Coordination and advocacy ", theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut tabs = Vec::new();
        for (n, t) in CoordTab::ALL.iter().enumerate() {
            let style = if *t == self.tab { theme::selected() } else { theme::dim() };
            tabs.push(Span::styled(format!(" {} {} ", n + 1, t.label()), style));
            tabs.push(Span::raw(" "));
        }
        let mut lines = vec![Line::from(tabs), Line::from("")];
        let w = inner.width as usize;
        let rows = self.rows(w);
        if rows.is_empty() {
            let n = key_label(Context::Coordination, Action::New);
            let hint = match self.tab {
                CoordTab::Consents => {
                    format!("No consents recorded. Press {n} to record a release of information.")
                }
                CoordTab::Conferences => {
                    format!("No case conferences yet. Press {n} to record one, with its action items.")
                }
                CoordTab::Transitions => {
                    format!("No transitions yet (hospital discharge, move to another agency...). {n} records one.")
                }
                CoordTab::Advocacy => {
                    format!("No advocacy yet. Press {n} to log a barrier and whom you are pressing.")
                }
                CoordTab::Reports => format!(
                    "No mandated reports. {n} records a child or adult protection report (locked once saved)."
                ),
            };
            lines.push(Line::from(Span::styled(hint, theme::dim())));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(2) as usize;
        for i in cursor.visible(rows.len()) {
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            lines.push(Line::from(Span::styled(
                fit(&format!("{}{}", if selected { "▶ " } else { "  " }, display_safe(&rows[i])), w),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
