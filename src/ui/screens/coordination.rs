//! Coordination and advocacy: one screen with a tab for each — consents to share, case
//! conferences, transitions, advocacy, mandated reports — the detail views, and their forms.

use chrono::{Local, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{CoordForm, CoordMsg, CoordTab, Message};
use crate::domain::coordination::{
    mandated_ref, transition_label, validate_advocacy, validate_conference, validate_consent,
    validate_mandated, validate_transition, validate_withdrawal, AdvocacyInput, ConferenceInput,
    ConsentInput, MandatedInput, TransitionInput, ADVOCACY_TARGETS, MANDATED_KINDS, TRANSITION_KINDS,
};
use crate::domain::dates::{format_date, format_local, from_db, parse_date};
use crate::domain::draft::DraftKind;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{lookup, Action, Context};
use crate::store::coordination::{AdvocacyItem, Conference, MandatedReport, StoredConsent, Transition};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Field, Form};
use crate::ui::widgets::list::ListCursor;

fn when(s: &str) -> String {
    from_db(s).map(format_local).unwrap_or_else(|| s.to_string())
}

// ---------------------------------------------------------------------------------------------
// The hub
// ---------------------------------------------------------------------------------------------

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
                        "{:<6} {:<16} {}  ({} attending, {open} open action{})",
                        c.reference,
                        when(&c.held_at),
                        fit(&c.purpose, width.saturating_sub(60).max(12)),
                        c.attendees.len(),
                        if open == 1 { "" } else { "s" }
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
                        when(&r.reported_at),
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
            let hint = match self.tab {
                CoordTab::Consents => "No consents recorded. Press n to record a release of information.",
                CoordTab::Conferences => {
                    "No case conferences yet. Press n to record one, with its action items."
                }
                CoordTab::Transitions => {
                    "No transitions yet (hospital discharge, move to another agency...). n records one."
                }
                CoordTab::Advocacy => "No advocacy yet. Press n to log a barrier and whom you are pressing.",
                CoordTab::Reports => {
                    "No mandated reports. n records a child or adult protection report (locked once saved)."
                }
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

// ---------------------------------------------------------------------------------------------
// A conference, an advocacy item, a mandated report
// ---------------------------------------------------------------------------------------------

pub struct ConferenceScreen {
    pub id: i64,
    c: Option<Conference>,
    /// Attendees without a valid consent to receive information, by name.
    no_consent: Vec<String>,
    cursor: ListCursor,
    stale: bool,
}

impl ConferenceScreen {
    pub fn new(id: i64) -> Self {
        ConferenceScreen { id, c: None, no_consent: Vec::new(), cursor: ListCursor::default(), stale: true }
    }
}

impl View for ConferenceScreen {
    fn title(&self) -> &'static str {
        "Case conference"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::ConferenceView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Done, Action::Down, Action::Edit, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.c.as_ref().map(|c| c.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            let c = ctx.store.conference(self.id)?;
            self.no_consent.clear();
            for a in &c.attendees {
                if ctx.store.usable_consent(c.client_id, a.person_id, &a.name, "", ctx.today)?.is_none() {
                    self.no_consent.push(a.name.clone());
                }
            }
            self.cursor.clamp(c.actions.len());
            self.c = Some(c);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::ConferenceView], &ev) else { return Handled::No };
        let Some(c) = &self.c else { return Handled::Yes(vec![]) };
        match action {
            Action::Up => self.cursor.selected = self.cursor.selected.saturating_sub(1),
            Action::Down => {
                self.cursor.selected = (self.cursor.selected + 1).min(c.actions.len().saturating_sub(1))
            }
            Action::Done => {
                return Handled::Yes(match c.actions.get(self.cursor.selected) {
                    Some(a) if a.done_on.is_none() => return Handled::Act(Act::ActionDone(a.id)),
                    Some(_) => vec![Message::Status("That action item is already done.".into())],
                    None => vec![Message::Status("This conference has no action items.".into())],
                })
            }
            Action::Edit => {
                return Handled::Yes(vec![Message::Coord(CoordMsg::Form(CoordForm::Conference {
                    client_id: c.client_id,
                    id: Some(c.id),
                }))])
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(c) = &self.c else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Case conference {} — {} ", c.reference, when(&c.held_at)),
            theme::title(),
        ));
        let head = |t: &str| Line::from(Span::styled(t.to_string(), theme::title()));
        let mut lines = vec![Line::from(vec![
            Span::styled("Purpose  ", theme::dim()),
            Span::raw(display_safe(&c.purpose).into_owned()),
        ])];
        lines.push(head("Attendees"));
        if c.attendees.is_empty() {
            lines.push(Line::from(Span::styled("  (none recorded)", theme::dim())));
        }
        for a in &c.attendees {
            let warn = self.no_consent.iter().any(|n| n == &a.name);
            let mut spans = vec![Span::raw(format!("  • {}", display_safe(&a.name)))];
            if warn {
                spans.push(Span::styled("  ⚠ no valid consent to share with them", theme::warn()));
            }
            lines.push(Line::from(spans));
        }
        for (title, text) in [("Agenda", &c.agenda), ("Minutes", &c.minutes), ("Decisions", &c.decisions)] {
            lines.push(head(title));
            if text.trim().is_empty() {
                lines.push(Line::from(Span::styled("  (empty)", theme::dim())));
            }
            for l in text.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        lines.push(head("Action items (x marks the selected one done)"));
        if c.actions.is_empty() {
            lines.push(Line::from(Span::styled("  (none)", theme::dim())));
        }
        for (i, a) in c.actions.iter().enumerate() {
            let selected = i == self.cursor.selected;
            let mark = if a.done_on.is_some() { "[x]" } else { "[ ]" };
            let owner = if a.owner.is_empty() { String::new() } else { format!("{}: ", a.owner) };
            let due = match (a.due_on, a.done_on) {
                (_, Some(d)) => format!("  done {}", format_date(d)),
                (Some(d), None) => format!("  due {}", format_date(d)),
                _ => String::new(),
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{mark} {}{}{due}",
                    if selected { "▶ " } else { "  " },
                    display_safe(&owner),
                    display_safe(&a.text)
                ),
                if selected { theme::selected() } else { Style::default() },
            )));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}

pub struct AdvocacyScreen {
    pub id: i64,
    a: Option<AdvocacyItem>,
    stale: bool,
}

impl AdvocacyScreen {
    pub fn new(id: i64) -> Self {
        AdvocacyScreen { id, a: None, stale: true }
    }
}

impl View for AdvocacyScreen {
    fn title(&self) -> &'static str {
        "Advocacy"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::AdvocacyView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::AddAction, Action::CloseItem, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.a.as_ref().map(|a| a.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.a = Some(ctx.store.advocacy_item(self.id)?);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::AdvocacyView], &ev) else { return Handled::No };
        let Some(a) = &self.a else { return Handled::Yes(vec![]) };
        let kind = match action {
            Action::AddAction => CoordForm::AdvocacyAction { item: a.id, client_id: a.client_id },
            Action::CloseItem if a.closed_on.is_some() => {
                return Handled::Yes(vec![Message::Status("It is closed already.".into())])
            }
            Action::CloseItem => CoordForm::AdvocacyClose { item: a.id, client_id: a.client_id },
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Coord(CoordMsg::Form(kind))])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let Some(a) = &self.a else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Advocacy {} — {} ", a.reference, fit(&a.target, 40)),
            theme::title(),
        ));
        let kv = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<12}"), theme::dim()), Span::raw(v)])
        };
        let mut lines = vec![
            kv("Barrier", display_safe(&a.barrier).into_owned()),
            kv("Target", display_safe(&a.target).into_owned()),
            kv("Opened", format_date(a.opened_on)),
        ];
        if let Some(d) = a.deadline {
            let passed = a.closed_on.is_none() && d < today;
            lines.push(Line::from(vec![
                Span::styled(format!("{:<12}", "Deadline"), theme::dim()),
                Span::styled(
                    format!("{}{}", format_date(d), if passed { "  PASSED" } else { "" }),
                    if passed { theme::error() } else { Style::default() },
                ),
            ]));
        }
        match a.closed_on {
            Some(d) => lines.push(kv("Closed", format!("{} — {}", format_date(d), display_safe(&a.outcome)))),
            None => lines.push(kv("Status", "open".into())),
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Actions taken", theme::title())));
        if a.actions.is_empty() {
            lines.push(Line::from(Span::styled("  none yet — a adds one", theme::dim())));
        }
        for x in &a.actions {
            lines.push(Line::from(format!("  {}  {}", format_date(x.on_date), display_safe(&x.action))));
        }
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    }
}

pub struct ReportScreen {
    pub id: i64,
    r: Option<MandatedReport>,
    scroll: u16,
    stale: bool,
}

impl ReportScreen {
    pub fn new(id: i64) -> Self {
        ReportScreen { id, r: None, scroll: 0, stale: true }
    }
}

impl View for ReportScreen {
    fn title(&self) -> &'static str {
        "Mandated report"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::ReportView, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Addendum, Action::Down, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        self.r.as_ref().map(|r| r.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.r = Some(ctx.store.mandated_report(self.id)?);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::ReportView], &ev) else { return Handled::No };
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(500),
            Action::Addendum => {
                if let Some(r) = &self.r {
                    return Handled::Yes(vec![Message::Coord(CoordMsg::Form(CoordForm::ReportAddendum {
                        report: r.id,
                        client_id: r.client_id,
                    }))]);
                }
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let Some(r) = &self.r else { return };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Mandated report {} — locked; corrections are addenda ", r.reference),
            theme::title(),
        ));
        let kv = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<18}"), theme::dim()), Span::raw(v)])
        };
        let mut lines = vec![
            kv("Kind", r.kind.replace('-', " ")),
            kv("Reported to", display_safe(&r.agency).into_owned()),
            kv("Date and time", when(&r.reported_at)),
            kv("Reference number", display_safe(&r.reference_number).into_owned()),
            kv("Reported by", display_safe(&r.reported_by).into_owned()),
            kv("Recorded", when(&r.created_at)),
            Line::from(""),
            Line::from(Span::styled("What was reported", theme::title())),
        ];
        for l in r.what_reported.lines() {
            lines.push(Line::from(format!("  {}", display_safe(l))));
        }
        for a in &r.addenda {
            lines.push(Line::from(""));
            let by = if a.written_by.is_empty() { String::new() } else { format!(" by {}", a.written_by) };
            lines.push(Line::from(Span::styled(
                format!("Addendum, {}{by}:", when(&a.written_at)),
                theme::title(),
            )));
            for l in a.body.lines() {
                lines.push(Line::from(format!("  {}", display_safe(l))));
            }
        }
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

pub struct CoordFormScreen {
    pub kind: CoordForm,
    pub form: Form,
    /// Names the consent warning was already shown for (a second Ctrl-S saves).
    warned: bool,
}

fn choices(list: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    list.to_vec()
}

impl CoordFormScreen {
    /// `existing`: the conference being edited, whose record fills the form.
    pub fn new(
        kind: CoordForm,
        today: NaiveDate,
        now_text: &str,
        existing: Option<&Conference>,
        by: &str,
    ) -> Self {
        let (title, fields): (String, Vec<Field>) = match kind {
            CoordForm::Consent { .. } => (
                "Consent to share information".into(),
                vec![
                    Field::text("to_name", "May be shared with").required().max(200).help(
                        "A person or an organisation (GP practice, school, housing office); a name recorded under people links to them.",
                    ),
                    Field::text("covers", "What may be shared").max(1000).help(
                        "e.g. \"medical history, housing\"; leave empty for everything the client agreed to.",
                    ),
                    Field::date("signed_on", "Signed on").help("Default today. YYYY-MM-DD, yesterday, -3d."),
                    Field::date("expires_on", "Expires on").help("The last day it is valid, e.g. +52w."),
                    Field::multiline("notes", "Notes", 3),
                ],
            ),
            CoordForm::Withdraw { consent_id, .. } => (
                format!("Withdraw consent {}", crate::domain::coordination::consent_ref(consent_id)),
                vec![
                    Field::date("revoked_on", "Withdrawn on").help("Default today."),
                    Field::text("reason", "Reason").max(500).help("Optional: what the client said."),
                ],
            ),
            CoordForm::Conference { id, .. } => (
                if id.is_some() { "Case conference record".into() } else { "New case conference".into() },
                vec![
                    Field::text("held_at", "Date and time")
                        .required()
                        .max(40)
                        .help("YYYY-MM-DD HH:MM, now, yesterday 14:30."),
                    Field::text("purpose", "Purpose").required().max(500),
                    Field::multiline("attendees", "Attendees", 3).help(
                        "One per line (or commas). Names recorded under people are linked to them.",
                    ),
                    Field::multiline("agenda", "Agenda", 3),
                    Field::multiline("minutes", "Minutes", 5),
                    Field::multiline("decisions", "Decisions", 3),
                    Field::multiline(
                        "actions",
                        if id.is_some() { "More action items" } else { "Action items" },
                        3,
                    )
                    .help("One per line: owner: what needs doing by DATE — e.g. \"Sam: call the landlord by +1w\"."),
                ],
            ),
            CoordForm::Transition { .. } => (
                "Transition between services".into(),
                vec![
                    Field::choice("kind", "Kind", &choices(TRANSITION_KINDS)),
                    Field::date("on_date", "Date").required(),
                    Field::text("from_service", "From").max(500).help("e.g. St Mary's Hospital, ward 7"),
                    Field::text("to_service", "To").max(500).help("e.g. home with community nursing"),
                    Field::multiline("handed_over", "What was handed over", 4)
                        .help("Documents, medication lists, who now holds what."),
                    Field::date("follow_up_on", "Follow-up date").help("Shown on Today when due."),
                ],
            ),
            CoordForm::Advocacy { .. } => {
                let targets: Vec<(&str, &str)> = ADVOCACY_TARGETS.iter().map(|t| (*t, *t)).collect();
                (
                    "Advocacy: a barrier to take up".into(),
                    vec![
                        Field::text("barrier", "Barrier").required().max(500).help("What stands in the client's way."),
                        Field::choice("target", "Aimed at", &targets)
                            .help("Whom you are pressing; the name can go in the first action."),
                        Field::date("deadline", "Deadline").help("An appeal or response date; shown on Today."),
                        Field::multiline("first_action", "First action", 3).help("Optional: what you did today."),
                    ],
                )
            }
            CoordForm::AdvocacyAction { .. } => (
                "Action taken".into(),
                vec![
                    Field::date("on_date", "Date").required(),
                    Field::multiline("action", "What was done", 5).required(),
                ],
            ),
            CoordForm::AdvocacyClose { .. } => (
                "Close the advocacy item".into(),
                vec![Field::multiline("outcome", "Outcome", 5).required().help("How it ended.")],
            ),
            CoordForm::Mandated { .. } => (
                "Mandated report (cannot be changed after saving)".into(),
                vec![
                    Field::choice("kind", "Kind", &choices(MANDATED_KINDS)),
                    Field::text("agency", "Reported to (agency)").required().max(200),
                    Field::text("reported_at", "Date and time").required().max(40).help("When the report was made."),
                    Field::text("reference_number", "Reference number").max(100),
                    Field::text("reported_by", "Reported by").required().max(200),
                    Field::multiline("what_reported", "What was reported", 8).required(),
                ],
            ),
            CoordForm::ReportAddendum { report, .. } => (
                format!("Addendum to mandated report {}", mandated_ref(report)),
                vec![Field::multiline("body", "Addendum", 8).required()],
            ),
        };
        let mut form = Form::new(&title, fields, today);
        match kind {
            CoordForm::Conference { .. } => form.set_value("held_at", now_text),
            CoordForm::Mandated { .. } => {
                form.set_value("reported_at", now_text);
                form.set_value("reported_by", by);
            }
            CoordForm::Transition { .. } | CoordForm::AdvocacyAction { .. } => {
                form.set_value("on_date", &format_date(today));
            }
            _ => {}
        }
        if let Some(c) = existing {
            form.set_value(
                "held_at",
                &from_db(&c.held_at)
                    .map(|t| {
                        t.with_timezone(&Local).format(crate::domain::dates::DATETIME_FORMAT).to_string()
                    })
                    .unwrap_or_default(),
            );
            form.set_value("purpose", &c.purpose);
            form.set_value(
                "attendees",
                &c.attendees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("\n"),
            );
            form.set_value("agenda", &c.agenda);
            form.set_value("minutes", &c.minutes);
            form.set_value("decisions", &c.decisions);
        }
        form.dirty = false;
        CoordFormScreen { kind, form, warned: false }
    }

    fn v(&self, id: &str) -> String {
        self.form.value(id)
    }
}

impl View for CoordFormScreen {
    fn title(&self) -> &'static str {
        "Coordination"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.kind.client())
    }
    fn form(&self) -> Option<&Form> {
        Some(&self.form)
    }
    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        Handled::Form(self.form.handle_key(ev))
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        self.form.render(frame, area);
    }
    fn draft(&self) -> Option<DraftInfo> {
        Some(DraftInfo {
            key: self.kind.draft_key(),
            kind: DraftKind::Coordination,
            client_id: Some(self.kind.client()),
            title: self.form.title.clone(),
        })
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let (now, today) = (ctx.now, ctx.today);
        let client = self.kind.client();
        macro_rules! valid {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(errors) => {
                        self.form.add_errors(&errors);
                        return Ok(Submitted::Stay);
                    }
                }
            };
        }
        let result: Result<(String, Vec<Message>)> = match self.kind {
            CoordForm::Consent { client_id } => {
                let d = valid!(validate_consent(
                    &ConsentInput {
                        to_name: self.v("to_name"),
                        covers: self.v("covers"),
                        signed_on: self.v("signed_on"),
                        expires_on: self.v("expires_on"),
                        notes: self.v("notes"),
                    },
                    today
                ));
                ctx.store.add_consent(client_id, &d, None, now).map(|id| {
                    (format!("Consent {} recorded.", crate::domain::coordination::consent_ref(id)), vec![])
                })
            }
            CoordForm::Withdraw { consent_id, .. } => {
                let c = ctx.store.consent(consent_id)?;
                match validate_withdrawal(c.signed_on, &self.v("revoked_on"), today) {
                    Err(m) => {
                        self.form.set_errors(&[crate::domain::client::FieldError {
                            field: "revoked_on",
                            message: m,
                        }]);
                        return Ok(Submitted::Stay);
                    }
                    Ok(on) => ctx.store.withdraw_consent(consent_id, on, &self.v("reason"), now).map(|_| {
                        (
                            format!(
                                "Consent {} withdrawn; nothing more may be shared under it.",
                                c.reference
                            ),
                            vec![],
                        )
                    }),
                }
            }
            CoordForm::Conference { client_id, id } => {
                let d = valid!(validate_conference(
                    &ConferenceInput {
                        held_at: self.v("held_at"),
                        purpose: self.v("purpose"),
                        attendees: self.v("attendees"),
                        agenda: self.v("agenda"),
                        minutes: self.v("minutes"),
                        decisions: self.v("decisions"),
                        actions: self.v("actions"),
                    },
                    now,
                    today
                ));
                // adding attendees who may not receive information: warn now, save on a second Ctrl-S
                if !self.warned {
                    let mut missing = Vec::new();
                    for a in &d.attendees {
                        if ctx.store.usable_consent(client_id, None, a, "", today)?.is_none() {
                            missing.push(a.clone());
                        }
                    }
                    if !missing.is_empty() {
                        self.warned = true;
                        self.form.notice = Some(format!(
                            "No valid consent to share information with: {}. Ctrl-S again saves anyway.",
                            fit(&missing.join(", "), 60)
                        ));
                        return Ok(Submitted::Stay);
                    }
                }
                match id {
                    None => ctx.store.add_conference(client_id, &d, now).map(|id| {
                        (
                            format!(
                                "Conference saved with {} action item(s); open ones show on Today.",
                                d.actions.len()
                            ),
                            vec![Message::Coord(CoordMsg::OpenConference(id))],
                        )
                    }),
                    Some(id) => ctx
                        .store
                        .update_conference(id, &d, now)
                        .map(|_| ("Conference record saved.".into(), vec![])),
                }
            }
            CoordForm::Transition { client_id } => {
                let d = valid!(validate_transition(
                    &TransitionInput {
                        kind: self.v("kind"),
                        on_date: self.v("on_date"),
                        from_service: self.v("from_service"),
                        to_service: self.v("to_service"),
                        handed_over: self.v("handed_over"),
                        follow_up_on: self.v("follow_up_on"),
                    },
                    today
                ));
                ctx.store.add_transition(client_id, &d, now).map(|_| ("Transition recorded.".into(), vec![]))
            }
            CoordForm::Advocacy { client_id } => {
                let d = valid!(validate_advocacy(
                    &AdvocacyInput {
                        barrier: self.v("barrier"),
                        target: self.v("target"),
                        deadline: self.v("deadline"),
                        first_action: self.v("first_action"),
                        opened_on: String::new(),
                    },
                    today
                ));
                ctx.store.add_advocacy(client_id, &d, now).map(|id| {
                    ("Advocacy item opened.".into(), vec![Message::Coord(CoordMsg::OpenAdvocacy(id))])
                })
            }
            CoordForm::AdvocacyAction { item, .. } => {
                let on = match parse_date(&self.v("on_date"), today) {
                    Ok(d) if d <= today => d,
                    Ok(_) => {
                        self.form.set_errors(&[crate::domain::client::FieldError {
                            field: "on_date",
                            message: "An action is recorded on or after the day it was taken.".into(),
                        }]);
                        return Ok(Submitted::Stay);
                    }
                    Err(m) => {
                        self.form.set_errors(&[crate::domain::client::FieldError {
                            field: "on_date",
                            message: m,
                        }]);
                        return Ok(Submitted::Stay);
                    }
                };
                ctx.store
                    .add_advocacy_action(item, on, &self.v("action"), now)
                    .map(|_| ("Action recorded.".into(), vec![]))
            }
            CoordForm::AdvocacyClose { item, .. } => ctx
                .store
                .close_advocacy(item, &self.v("outcome"), now)
                .map(|_| ("Advocacy item closed.".into(), vec![])),
            CoordForm::Mandated { client_id } => {
                let d = valid!(validate_mandated(
                    &MandatedInput {
                        kind: self.v("kind"),
                        agency: self.v("agency"),
                        reported_at: self.v("reported_at"),
                        reference_number: self.v("reference_number"),
                        what_reported: self.v("what_reported"),
                        reported_by: self.v("reported_by"),
                    },
                    now
                ));
                ctx.store.add_mandated_report(client_id, &d, now).map(|id| {
                    (
                        format!("Mandated report {} saved and locked.", mandated_ref(id)),
                        vec![Message::Coord(CoordMsg::OpenReport(id))],
                    )
                })
            }
            CoordForm::ReportAddendum { report, .. } => ctx
                .store
                .add_mandated_addendum(report, &self.v("body"), &ctx.settings.signature(), now)
                .map(|_| ("Addendum saved.".into(), vec![])),
        };
        let _ = client;
        match result {
            Ok((status, then)) => Ok(Submitted::Done { status, then }),
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}
