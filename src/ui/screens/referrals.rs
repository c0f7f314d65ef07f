//! Referrals: a client's referrals, the referral board of every open one, one referral with
//! its history and appointments, and the forms (new/edit, next status, appointment).

use chrono::{Local, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{Message, RefMsg};
use crate::domain::client::FieldError;
use crate::domain::consent::Consent;
use crate::domain::coordination::ConsentDraft;
use crate::domain::dates::{format_date, format_local, from_db, parse_date, parse_datetime};
use crate::domain::draft::DraftKind;
use crate::domain::referral::{
    allowed_next, referral_ref, validate_referral, ReferralInput, ReferralStatus, Urgency, METHODS,
};
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{lookup, Action, Context};
use crate::store::assessments::CurrentNeed;
use crate::store::people::Person;
use crate::store::referrals::{NewReferral, Referral};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Field, Form};
use crate::ui::widgets::list::ListCursor;

fn follow_text(r: &Referral, today: NaiveDate) -> (String, Style) {
    match r.follow_up_on {
        Some(d) if r.status.is_open() && d < today => (format!("OVERDUE {}", format_date(d)), theme::error()),
        Some(d) if r.status.is_open() && d == today => ("follow up TODAY".into(), theme::warn()),
        Some(d) if r.status.is_open() => (format!("follow up {}", format_date(d)), Style::default()),
        _ => (String::new(), Style::default()),
    }
}

fn row_line(r: &Referral, today: NaiveDate, selected: bool, with_client: bool, w: usize) -> Line<'static> {
    let style = if selected { theme::selected() } else { Style::default() };
    let urgent = if r.urgency == Urgency::Urgent { "URGENT " } else { "" };
    let (follow, follow_style) = follow_text(r, today);
    let who = if with_client {
        let name = fit(&display_safe(&r.client_name), 18);
        let pad = 18usize.saturating_sub(width(&name));
        format!("{} {name}{} ", r.client, " ".repeat(pad))
    } else {
        String::new()
    };
    // the provider gives way first: where the referral stands must always show
    let age = r.age(today);
    let fixed = 2 + 7 + width(&who) + urgent.len() + 3 + width(&age) + 2 + width(&follow);
    let provider = fit(&display_safe(&r.provider), w.saturating_sub(fixed).max(10));
    let head = format!(
        "{}{:<6} {who}{urgent}{provider} — {age}  ",
        if selected { "▶ " } else { "  " },
        r.reference,
    );
    let head = fit(&head, w.saturating_sub(width(&follow)));
    Line::from(vec![Span::styled(head, style), Span::styled(follow, follow_style)])
}

// ---------------------------------------------------------------------------------------------
// A client's referrals, and the board of all open ones
// ---------------------------------------------------------------------------------------------

pub struct ReferralsScreen {
    /// `None`: the referral board across the caseload.
    pub client_id: Option<i64>,
    list: Vec<Referral>,
    /// The board's filter: words matched against client, provider, need and status.
    filter: String,
    filtering: bool,
    status_filter: Option<ReferralStatus>,
    today: NaiveDate,
    cursor: ListCursor,
    stale: bool,
}

impl ReferralsScreen {
    pub fn for_client(client_id: i64) -> Self {
        Self::new(Some(client_id))
    }
    pub fn board() -> Self {
        Self::new(None)
    }
    fn new(client_id: Option<i64>) -> Self {
        ReferralsScreen {
            client_id,
            list: Vec::new(),
            filter: String::new(),
            filtering: false,
            status_filter: None,
            today: NaiveDate::default(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn shown(&self) -> Vec<&Referral> {
        let words: Vec<String> = self.filter.split_whitespace().map(crate::domain::text::name_key).collect();
        self.list
            .iter()
            .filter(|r| self.status_filter.is_none_or(|s| r.status == s))
            .filter(|r| {
                let hay = crate::domain::text::name_key(&format!(
                    "{} {} {} {} {} {}",
                    r.client,
                    r.client_name,
                    r.provider,
                    r.need,
                    r.status.label(),
                    r.reference
                ));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }
}

impl View for ReferralsScreen {
    fn title(&self) -> &'static str {
        if self.client_id.is_some() {
            "Referrals"
        } else {
            "Referral board"
        }
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Referrals, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        if self.client_id.is_some() {
            &[Action::Open, Action::New, Action::NextStatus, Action::Back, Action::Help]
        } else {
            &[Action::Open, Action::NextStatus, Action::Filter, Action::CycleFilter, Action::Back]
        }
    }
    fn client_id(&self) -> Option<i64> {
        self.client_id
    }
    fn captures_text(&self) -> bool {
        self.filtering
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(4) as usize;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        self.today = ctx.today;
        if self.stale {
            self.list = match self.client_id {
                Some(c) => ctx.store.referrals(c)?,
                None => ctx.store.open_referrals()?,
            };
            self.stale = false;
        }
        self.cursor.clamp(self.shown().len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if self.filtering {
            match ev.code {
                KeyCode::Esc => {
                    self.filtering = false;
                    self.filter.clear();
                }
                KeyCode::Enter => self.filtering = false,
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) if !c.is_control() && self.filter.chars().count() < 100 => {
                    self.filter.push(c)
                }
                _ => {}
            }
            self.cursor.selected = 0;
            self.cursor.offset = 0;
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Referrals, Context::Nav], &ev) else { return Handled::No };
        let len = self.shown().len();
        if self.cursor.apply(action, len) {
            return Handled::Yes(vec![]);
        }
        let selected = self.shown().get(self.cursor.selected).map(|r| (r.id, r.status));
        let msg = match action {
            Action::Open => match selected {
                Some((id, _)) => RefMsg::Open(id),
                None => return Handled::Yes(vec![]),
            },
            Action::NextStatus => match selected {
                Some((_, s)) if s.is_terminal() => {
                    return Handled::Yes(vec![Message::Status(format!(
                        "This referral is {}: nothing follows. Make a new referral instead.",
                        s.label().to_lowercase()
                    ))])
                }
                Some((id, _)) => RefMsg::Status(id),
                None => return Handled::Yes(vec![]),
            },
            Action::New => match self.client_id {
                Some(c) => RefMsg::New(c),
                None => {
                    return Handled::Yes(vec![Message::Status(
                        "Open a client's file to make a referral (r there).".into(),
                    )])
                }
            },
            Action::Filter => {
                self.filtering = true;
                return Handled::Yes(vec![]);
            }
            Action::CycleFilter => {
                let open: Vec<ReferralStatus> =
                    ReferralStatus::ALL.iter().copied().filter(|s| s.is_open()).collect();
                self.status_filter = match self.status_filter {
                    None => open.first().copied(),
                    Some(s) => open.iter().position(|x| *x == s).and_then(|i| open.get(i + 1)).copied(),
                };
                self.cursor.selected = 0;
                return Handled::Yes(vec![]);
            }
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                return Handled::Yes(vec![]);
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Referral(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let shown = self.shown();
        let title = match self.client_id {
            Some(_) => format!(
                " Referrals — {} ({} open) ",
                self.list.len(),
                self.list.iter().filter(|r| r.status.is_open()).count()
            ),
            None => format!(
                " Referral board — {} open{} ",
                shown.len(),
                self.status_filter
                    .map(|s| format!(", {} only (v changes)", s.label().to_lowercase()))
                    .unwrap_or_default()
            ),
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines = Vec::new();
        if self.client_id.is_none() || self.filtering || !self.filter.is_empty() {
            lines.push(Line::from(vec![
                Span::styled("Filter: ", theme::dim()),
                Span::styled(
                    format!("{}{}", display_safe(&self.filter), if self.filtering { "▏" } else { "" }),
                    if self.filtering { theme::input_focused() } else { theme::input() },
                ),
                Span::styled("  (/ to type: client, provider, need or status)", theme::dim()),
            ]));
        }
        if shown.is_empty() {
            lines.push(Line::from(Span::styled(
                if self.client_id.is_some() {
                    "No referrals yet. Press n to refer to a directory service or a provider."
                } else {
                    "No open referrals match."
                },
                theme::dim(),
            )));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(lines.len() as u16) as usize;
        for i in cursor.visible(shown.len()) {
            lines.push(row_line(
                shown[i],
                self.today,
                i == self.cursor.selected,
                self.client_id.is_none(),
                w,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

// ---------------------------------------------------------------------------------------------
// One referral
// ---------------------------------------------------------------------------------------------

pub struct ReferralScreen {
    pub id: i64,
    r: Option<Referral>,
    consent: Option<String>,
    today: NaiveDate,
    scroll: u16,
    stale: bool,
}

impl ReferralScreen {
    pub fn new(id: i64) -> Self {
        ReferralScreen { id, r: None, consent: None, today: NaiveDate::default(), scroll: 0, stale: true }
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
        &[Action::NextStatus, Action::AddAppointment, Action::Edit, Action::Back, Action::Help]
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
            self.r = Some(r);
            self.stale = false;
        }
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
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
                    "NONE VALID — it cannot be marked sent until one is recorded (C on the file)",
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
            lines.push(Line::from(Span::styled("  none arranged — a adds one", theme::dim())));
        }
        for a in &r.appointments {
            let transport = match a.transport.as_str() {
                "yes" => format!(
                    "transport arranged{}",
                    if a.transport_how.is_empty() { String::new() } else { format!(": {}", a.transport_how) }
                ),
                "no" => "no transport arranged".into(),
                _ => "transport not known".into(),
            };
            lines.push(Line::from(format!(
                "  {}  {}  {}",
                from_db(&a.at).map(format_local).unwrap_or_default(),
                display_safe(&a.place),
                display_safe(&transport)
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("History", theme::title())));
        for e in &r.history {
            let from = e.from.map(|f| format!("{} → ", f.label().to_lowercase())).unwrap_or_default();
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

// ---------------------------------------------------------------------------------------------
// The referral form (new or edit)
// ---------------------------------------------------------------------------------------------

pub struct ReferralFormScreen {
    pub client_id: i64,
    /// None: a new referral.
    pub id: Option<i64>,
    needs: Vec<CurrentNeed>,
    goals: Vec<(i64, String, String)>,
    pub form: Form,
}

impl ReferralFormScreen {
    /// `goals`: open goals as (id, statement, life domain).
    pub fn new(
        client_id: i64,
        existing: Option<&Referral>,
        needs: Vec<CurrentNeed>,
        goals: Vec<(i64, String, String)>,
        people: Vec<Person>,
        today: NaiveDate,
    ) -> Self {
        let mut need_opts: Vec<(String, String)> = vec![("".into(), "(describe it below)".into())];
        for (i, n) in needs.iter().enumerate() {
            need_opts.push((format!("need:{i}"), fit(&format!("{}: {}", n.life_domain, n.text), 50)));
        }
        for (id, statement, _) in &goals {
            need_opts.push((format!("goal:{id}"), fit(&format!("goal G-{id}: {statement}"), 50)));
        }
        let need_refs: Vec<(&str, &str)> = need_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let mut people_opts: Vec<(String, String)> = vec![("".into(), "(none recorded)".into())];
        for p in people.iter().filter(|p| !p.is_self) {
            let what = if p.role.is_empty() { p.relation.clone() } else { p.role.clone() };
            people_opts
                .push((crate::domain::people::person_ref(p.id), fit(&format!("{} ({what})", p.name), 40)));
        }
        let people_refs: Vec<(&str, &str)> =
            people_opts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let urgencies: Vec<(&str, &str)> = Urgency::ALL.iter().map(|u| (u.as_str(), u.label())).collect();
        let mut fields = Vec::new();
        if existing.is_none() {
            fields.push(
                Field::text("service", "Directory service").max(200).help(
                    "A service's ref (S-12) or a unique part of its name (the directory, R, lists them); or type a provider below.",
                ),
            );
        }
        fields.extend([
            Field::text("provider", if existing.is_some() { "Provider" } else { "Or provider" })
                .max(300)
                .help("A provider not in the directory: name, and team if it helps."),
            Field::choice("need_choice", "Need it serves", &need_refs)
                .help("From the latest assessment, the social-needs screen and the open goals."),
            Field::text("need", "Or the need, in words").max(300),
            Field::choice("urgency", "Urgency", &urgencies),
            Field::choice("method", "How it is made", METHODS),
            Field::choice("contact_person", "Contact person", &people_refs)
                .help("Someone recorded under people (p)."),
            Field::text("contact_name", "Or contact name").max(200),
            Field::text("info_shared", "Information shared")
                .max(1000)
                .help("e.g. \"name, address, housing situation\"."),
        ]);
        if existing.is_none() {
            fields.push(
                Field::choice(
                    "consent",
                    "Consent to share",
                    &[
                        ("on-file", "on file already (checked when it is sent)"),
                        ("today", "the client agreed today: record it"),
                        ("not-yet", "not yet asked"),
                    ],
                )
                .heading("Consent")
                .help("A referral cannot be marked sent without a valid consent to share with the provider."),
            );
            fields.push(
                Field::date("consent_expires", "Consent expires")
                    .help("For a consent recorded today; default a year."),
            );
        }
        fields.push(
            Field::date("follow_up_on", "Follow-up date")
                .help("Set when it is sent (a week later); change it here."),
        );
        fields.push(Field::multiline("notes", "Notes", 3));
        let title = match existing {
            Some(r) => format!("Edit referral {}", r.reference),
            None => "New referral".to_string(),
        };
        let mut form = Form::new(&title, fields, today);
        if let Some(r) = existing {
            form.set_value("provider", &r.provider);
            form.set_value("need", &r.need);
            form.set_value("urgency", r.urgency.as_str());
            form.set_value("method", &r.method);
            form.set_value(
                "contact_person",
                &r.contact_person_id.map(crate::domain::people::person_ref).unwrap_or_default(),
            );
            form.set_value("contact_name", &r.contact_name);
            form.set_value("info_shared", &r.info_shared);
            form.set_value("follow_up_on", &r.follow_up_on.map(format_date).unwrap_or_default());
            form.set_value("notes", &r.notes);
        }
        form.dirty = false;
        ReferralFormScreen { client_id, id: existing.map(|r| r.id), needs, goals, form }
    }
}

impl View for ReferralFormScreen {
    fn title(&self) -> &'static str {
        "Referral"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::PrevField, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
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
            key: match self.id {
                Some(id) => format!("referral:{id}"),
                None => format!("referral:new:{}", self.client_id),
            },
            kind: DraftKind::Referral,
            client_id: Some(self.client_id),
            title: self.form.title.clone(),
        })
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = self.form.check_fields();
        let v = |f: &str| self.form.value(f);
        // the directory service, resolved now so the error shows at its field
        let service = if self.id.is_none() && !v("service").trim().is_empty() {
            match ctx.store.resolve_service(&v("service")) {
                Ok(s) => Some(s),
                Err(e) => {
                    // one line at the field: the first few matches, by ref
                    let ids = ctx.store.search_directory_ids(&v("service"), true, 4).unwrap_or_default();
                    let found = ctx.store.service_summaries(&ids).unwrap_or_default();
                    let message = if found.len() > 1 {
                        let list: Vec<String> = found
                            .iter()
                            .map(|s| format!("{} {} ({})", s.reference, s.name, s.organisation))
                            .collect();
                        format!("Several match — type one's ref: {}", list.join("; "))
                    } else {
                        e.to_string().lines().next().unwrap_or("").to_string()
                    };
                    self.form.set_errors(&[FieldError { field: "service", message }]);
                    return Ok(Submitted::Stay);
                }
            }
        } else {
            None
        };
        let (mut need, mut need_domain, mut goal_id) = (v("need"), String::new(), None);
        let choice = v("need_choice");
        if let Some(i) = choice.strip_prefix("need:").and_then(|i| i.parse::<usize>().ok()) {
            if let Some(n) = self.needs.get(i) {
                if need.trim().is_empty() {
                    need = n.text.clone();
                }
                need_domain = n.life_domain.clone();
            }
        } else if let Some(id) = choice.strip_prefix("goal:").and_then(|i| i.parse::<i64>().ok()) {
            if let Some((gid, statement, domain)) = self.goals.iter().find(|g| g.0 == id) {
                if need.trim().is_empty() {
                    need = statement.clone();
                }
                need_domain = domain.clone();
                goal_id = Some(*gid);
            }
        }
        let input = ReferralInput {
            provider: v("provider"),
            need,
            urgency: v("urgency"),
            method: v("method"),
            contact_name: v("contact_name"),
            info_shared: v("info_shared"),
            follow_up_on: v("follow_up_on"),
            notes: v("notes"),
        };
        let details = match validate_referral(&input, service.is_some() || self.id.is_some(), ctx.today) {
            Err(errors) => {
                self.form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(_) if !fields_ok => return Ok(Submitted::Stay),
            Ok(d) => d,
        };
        let contact = crate::domain::assessment::parse_ref("P", &v("contact_person"));
        let by = ctx.settings.signature();
        match self.id {
            Some(id) => match ctx.store.update_referral(id, &details, contact, ctx.now) {
                Ok(()) => Ok(Submitted::Done { status: "Referral saved.".into(), then: vec![] }),
                Err(e) => refusal_to_form(&mut self.form, e),
            },
            None => {
                let consent = if v("consent") == "today" {
                    let expires = match v("consent_expires").trim() {
                        "" => ctx.today.checked_add_days(chrono::Days::new(365)),
                        t => match parse_date(t, ctx.today) {
                            Ok(d) if d < ctx.today => {
                                self.form.set_errors(&[FieldError {
                                    field: "consent_expires",
                                    message: "The consent would expire before it was signed.".into(),
                                }]);
                                return Ok(Submitted::Stay);
                            }
                            Ok(d) => Some(d),
                            Err(m) => {
                                self.form.set_errors(&[FieldError { field: "consent_expires", message: m }]);
                                return Ok(Submitted::Stay);
                            }
                        },
                    };
                    let to = match &service {
                        Some(s) => s.organisation.name.clone(),
                        None => details.provider.clone(),
                    };
                    Some(ConsentDraft {
                        consent: Consent {
                            to_name: to,
                            covers: if details.info_shared.is_empty() {
                                Vec::new()
                            } else {
                                vec![details.info_shared.clone()]
                            },
                            signed_on: Some(ctx.today),
                            expires_on: expires,
                            revoked_on: None,
                        },
                        notes: "Given with a referral.".into(),
                    })
                } else {
                    None
                };
                let n = NewReferral {
                    service_id: service.as_ref().map(|s| s.id),
                    details,
                    need_domain,
                    goal_id,
                    contact_person_id: contact,
                    consent,
                };
                match ctx.store.add_referral(self.client_id, &n, &by, ctx.now) {
                    Ok(id) => Ok(Submitted::Done {
                        status: format!("Referral {} saved as a draft; s marks it sent.", referral_ref(id)),
                        then: vec![Message::Referral(RefMsg::Open(id))],
                    }),
                    Err(e) => refusal_to_form(&mut self.form, e),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Next status, appointment
// ---------------------------------------------------------------------------------------------

pub struct StatusFormScreen {
    pub referral: Referral,
    pub form: Form,
}

impl StatusFormScreen {
    pub fn new(referral: Referral, today: NaiveDate) -> Self {
        let next = allowed_next(referral.status, referral.held_from);
        let opts: Vec<(&str, &str)> = next.iter().map(|s| (s.as_str(), s.label())).collect();
        let form = Form::new(
            &format!("Referral {}: {} → ?", referral.reference, referral.status.label().to_lowercase()),
            vec![
                Field::choice("to", "Now", &opts).help("Only the moves a referral can make from here are offered."),
                Field::date("on", "On").help("The day it happened (default today; earlier is fine)."),
                Field::text("reason", "Reason").max(1000).help("Required when the provider declines."),
                Field::date("follow_up_on", "Follow-up date")
                    .help("Empty: a week after sending, the first appointment once accepted, a month into the service."),
                Field::date("first_appointment", "First appointment").help("When accepted: the first appointment's day."),
                Field::multiline("note", "Note", 3),
            ],
            today,
        );
        StatusFormScreen { referral, form }
    }
}

impl View for StatusFormScreen {
    fn title(&self) -> &'static str {
        "Referral status"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::ChoiceNext, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.referral.client_id)
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
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let v = |f: &str| self.form.value(f);
        let Ok(to) = v("to").parse::<ReferralStatus>() else {
            self.form.set_errors(&[FieldError { field: "to", message: "Choose what happened.".into() }]);
            return Ok(Submitted::Stay);
        };
        let day = |f: &str| -> std::result::Result<Option<NaiveDate>, String> {
            match v(f).trim() {
                "" => Ok(None),
                t => parse_date(t, ctx.today).map(Some),
            }
        };
        let mut errors = Vec::new();
        let mut get = |f: &'static str| match day(f) {
            Ok(d) => d,
            Err(m) => {
                errors.push(FieldError { field: f, message: m });
                None
            }
        };
        let on = get("on").unwrap_or(ctx.today);
        let follow = get("follow_up_on");
        let first = get("first_appointment");
        if !errors.is_empty() {
            self.form.set_errors(&errors);
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        match ctx.store.change_referral_status(
            self.referral.id,
            to,
            on,
            &v("note"),
            &v("reason"),
            follow,
            first,
            &by,
            ctx.now,
        ) {
            Ok(()) => Ok(Submitted::Done {
                status: format!("Referral {} is now {}.", self.referral.reference, to.label().to_lowercase()),
                then: vec![],
            }),
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}

pub struct AppointmentFormScreen {
    pub referral: Referral,
    pub form: Form,
}

impl AppointmentFormScreen {
    pub fn new(referral: Referral, today: NaiveDate) -> Self {
        let form = Form::new(
            &format!("Appointment with {}", fit(&referral.provider, 40)),
            vec![
                Field::text("at", "Date and time")
                    .required()
                    .max(40)
                    .help("YYYY-MM-DD HH:MM, tomorrow 10:00."),
                Field::text("place", "Where").max(500),
                Field::choice(
                    "transport",
                    "Transport arranged",
                    &[("unknown", "not known"), ("yes", "yes"), ("no", "no")],
                ),
                Field::text("how", "How")
                    .max(500)
                    .help("e.g. taxi booked by the clinic, bus pass, sister drives."),
                Field::multiline("notes", "Notes", 3),
            ],
            today,
        );
        AppointmentFormScreen { referral, form }
    }
}

impl View for AppointmentFormScreen {
    fn title(&self) -> &'static str {
        "Appointment"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.referral.client_id)
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
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let v = |f: &str| self.form.value(f);
        let at = match parse_datetime(&v("at"), ctx.now) {
            Ok(t) => t,
            Err(m) => {
                self.form.set_errors(&[FieldError { field: "at", message: m }]);
                return Ok(Submitted::Stay);
            }
        };
        match ctx.store.add_appointment(
            self.referral.id,
            at,
            &v("place"),
            &v("transport"),
            &v("how"),
            &v("notes"),
            ctx.now,
        ) {
            Ok(()) => Ok(Submitted::Done {
                status: format!(
                    "Appointment on {} recorded.",
                    at.with_timezone(&Local).format("%Y-%m-%d %H:%M")
                ),
                then: vec![],
            }),
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}
