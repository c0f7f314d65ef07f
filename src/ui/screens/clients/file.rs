//! A client's file: the header, intake details, episodes of service and recent history.
//! Later phases add their sections here.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::CloseMsg;
use crate::app::message::{AssessMsg, Message};
use crate::domain::client::Client;
use crate::domain::dates::{format_date, format_local};
use crate::domain::text::display_safe;
use crate::keymap::{lookup, Action, Context};
use crate::store::clients::{Episode, Event};
use crate::store::{Result, Store};
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};

/// What the later phases add to the file: one line each, with the key that opens it.
#[derive(Default)]
struct PhaseSummary {
    safety: Vec<String>,
    assessment: String,
    screeners: String,
    people: String,
    coordination: String,
    plan: String,
    referrals: String,
    /// Open advocacy items, one line each (they carry deadlines).
    advocacy: Vec<String>,
    /// The attribution lines of the screeners whose results the file shows (PHQ-9, GAD-7),
    /// verbatim: at the very end of the file, so they never push the case actions off screen.
    attribution: Vec<&'static str>,
}

pub struct ClientFileScreen {
    pub client_id: i64,
    pub client: Option<Client>,
    phases: PhaseSummary,
    episodes: Vec<Episode>,
    /// Closures of the episodes (undone ones too) and the retention period (Settings).
    closures: Vec<crate::store::closure::Closure>,
    retention_years: u32,
    events: Vec<Event>,
    scroll: u16,
    stale: bool,
}

impl ClientFileScreen {
    pub fn new(client_id: i64) -> Self {
        ClientFileScreen {
            client_id,
            client: None,
            phases: PhaseSummary::default(),
            episodes: Vec::new(),
            closures: Vec::new(),
            retention_years: 7,
            events: Vec::new(),
            scroll: 0,
            stale: true,
        }
    }
}

impl View for ClientFileScreen {
    fn title(&self) -> &'static str {
        "Client file"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::ClientFile, Context::Global]
    }

    fn hints(&self) -> &'static [Action] {
        &[
            Action::WriteNote,
            Action::OpenNotes,
            Action::OpenTimeline,
            Action::Edit,
            Action::Back,
            Action::Help,
        ]
    }

    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }

    fn invalidate(&mut self) {
        self.stale = true;
    }

    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        let (store, today, retention_years) = (ctx.store, ctx.today, ctx.settings.retention_years);
        if self.stale {
            self.client = Some(store.client(self.client_id)?);
            self.episodes = store.episodes(self.client_id)?;
            self.closures = store.closures(self.client_id)?;
            self.retention_years = retention_years;
            self.events = store.events(self.client_id, 50, 0)?;
            self.phases = phase_summary(store, self.client_id, today)?;
            self.stale = false;
        }
        Ok(())
    }

    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::ClientFile], &ev) else { return Handled::No };
        match action {
            Action::Edit => Handled::Yes(vec![Message::EditIntake(self.client_id)]),
            Action::WriteNote => Handled::Yes(vec![Message::WriteNote(self.client_id)]),
            Action::OpenNotes => Handled::Yes(vec![Message::OpenNotes(self.client_id)]),
            Action::OpenTimeline => Handled::Yes(vec![Message::OpenTimeline(self.client_id)]),
            Action::OpenAssessments => {
                Handled::Yes(vec![Message::Assess(AssessMsg::OpenAssessments(self.client_id))])
            }
            Action::OpenScreeners => {
                Handled::Yes(vec![Message::Assess(AssessMsg::OpenScreeners(self.client_id))])
            }
            Action::OpenPeople => Handled::Yes(vec![Message::Assess(AssessMsg::OpenPeople(self.client_id))]),
            Action::OpenFlags => Handled::Yes(vec![Message::Assess(AssessMsg::OpenFlags(self.client_id))]),
            Action::OpenCoordination => {
                Handled::Yes(vec![Message::Coord(crate::app::message::CoordMsg::Open {
                    client_id: self.client_id,
                    tab: crate::app::message::CoordTab::Consents,
                })])
            }
            Action::OpenReferrals => {
                Handled::Yes(vec![Message::Referral(crate::app::message::RefMsg::List(self.client_id))])
            }
            Action::OpenPlan => {
                Handled::Yes(vec![Message::Plan(crate::app::message::PlanMsg::OpenPlan(self.client_id))])
            }
            Action::CloseCase => Handled::Yes(vec![Message::Close(CloseMsg::Start(self.client_id))]),
            Action::Reopen => Handled::Yes(vec![Message::Close(CloseMsg::Reopen(self.client_id))]),
            Action::ExportFile => Handled::Yes(vec![Message::Close(CloseMsg::Export(self.client_id))]),
            Action::PlanVisit => Handled::Yes(vec![Message::PlanVisit(self.client_id)]),
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Handled::Yes(vec![])
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1).min(500);
                Handled::Yes(vec![])
            }
            Action::Back => Handled::Yes(vec![Message::Back]),
            _ => Handled::No,
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
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
        if !self.phases.safety.is_empty() {
            for s in &self.phases.safety {
                lines.push(Line::from(Span::styled(format!(" ⚑ {s} "), theme::flag())));
            }
            lines.push(Line::from(Span::styled(
                "   ! opens safety: review or lower flags, acknowledge alerts",
                theme::dim(),
            )));
        }
        section(&mut lines, "Case record");
        // a long summary continues under itself, not under the keys
        let inner = usize::from(area.width.saturating_sub(2));
        let phase = |lines: &mut Vec<Line<'static>>, key: &str, label: &str, value: &str| {
            let value = display_safe(value).into_owned();
            let parts = crate::domain::text::wrap(&value, inner.saturating_sub(24).max(20));
            let mut parts = parts.into_iter();
            lines.push(Line::from(vec![
                Span::styled(format!("  {key} "), theme::key()),
                Span::styled(format!("{label:<20}"), theme::dim()),
                Span::raw(parts.next().unwrap_or_default()),
            ]));
            for more in parts {
                lines.push(Line::from(format!("{:24}{more}", "")));
            }
        };
        phase(&mut lines, "a", "Assessment", &self.phases.assessment);
        phase(&mut lines, "s", "Screeners", &self.phases.screeners);
        phase(&mut lines, "p", "People and family", &self.phases.people);
        phase(&mut lines, "g", "Plan", &self.phases.plan);
        phase(&mut lines, "r", "Referrals", &self.phases.referrals);
        phase(&mut lines, "C", "Coordination", &self.phases.coordination);
        for a in &self.phases.advocacy {
            for part in crate::domain::text::wrap(&display_safe(a), inner.saturating_sub(24).max(20)) {
                lines.push(Line::from(vec![
                    Span::raw(format!("{:24}", "")),
                    Span::styled(part, theme::warn()),
                ]));
            }
        }
        phase(&mut lines, "o", "Notes", "all case notes (w writes one)");
        phase(&mut lines, "h", "History", "the timeline of everything dated");
        let current = self.closures.iter().rev().find(|cl| cl.in_force());
        match (c.status.as_str(), current) {
            ("closed", Some(cl)) => {
                let until = crate::domain::closure::retain_until(cl.closed_on, self.retention_years);
                let text = format!(
                    "closed {} ({}), kept until {}",
                    format_date(cl.closed_on),
                    cl.reason.label().to_lowercase(),
                    format_date(until)
                );
                phase(&mut lines, "O", "Reopen", &text);
            }
            _ => phase(&mut lines, "x", "Close the case", "what is open, reason, signed summary"),
        }
        phase(&mut lines, "E", "Export", "the whole file as Markdown or JSON");
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
                (Some(d), Some(r)) => format!("closed {} ({})", format_date(d), display_safe(r)),
                (Some(d), None) => format!("closed {}", format_date(d)),
                _ => "open".to_string(),
            };
            lines.push(Line::from(format!(
                "  #{}  opened {}  {}",
                e.number,
                format_date(e.opened_on),
                state
            )));
            let latest = self.episodes.last().is_some_and(|l| l.id == e.id);
            for cl in self.closures.iter().filter(|cl| cl.episode_id == e.id) {
                let in_force = cl.in_force() && latest && c.status.as_str() == "closed";
                for l in crate::ui::screens::close::closure::closure_lines(
                    cl,
                    &[],
                    in_force,
                    self.retention_years,
                    false,
                )
                .into_iter()
                .skip(1)
                {
                    let mut spans = vec![Span::raw("    ")];
                    spans.extend(l.spans);
                    lines.push(Line::from(spans));
                }
            }
        }

        section(&mut lines, "History (newest first)");
        for ev in &self.events {
            let when = format_local(ev.occurred_at);
            lines.push(Line::from(vec![
                Span::styled(format!("  {when}  "), theme::dim()),
                Span::raw(display_safe(&ev.summary).into_owned()),
            ]));
        }
        // the screeners' attribution, verbatim, after everything else: with the results, and
        // scrolling with the file
        if !self.phases.attribution.is_empty() {
            lines.push(Line::from(""));
            for a in &self.phases.attribution {
                lines.push(Line::from(Span::styled(format!("  {a}"), theme::dim())));
            }
        }
        let _ = today;
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }
}

fn phase_summary(store: &Store, client_id: i64, today: NaiveDate) -> Result<PhaseSummary> {
    let mut p = PhaseSummary::default();
    // a closed case says what its episodes held, never "yet"
    let closed = store.client(client_id)?.status.as_str() == "closed";
    for f in store.risk_flags(client_id)?.iter().filter(|f| f.is_open()) {
        p.safety.push(format!(
            "{} — open since {}",
            f.headline(),
            format_date(f.raised_at.with_timezone(&chrono::Local).date_naive())
        ));
    }
    for a in store.alerts(client_id)?.iter().filter(|a| a.acknowledged_at.is_none()) {
        p.safety.push(format!("SAFETY ALERT from {} — acknowledge it with a note", a.screening));
    }
    let list = store.assessments(client_id)?;
    p.assessment = match list.first() {
        None if closed => "none recorded".into(),
        None => "none yet".into(),
        Some(a) => {
            let empty = if a.empty_parts == 0 {
                "complete".to_string()
            } else {
                format!("{} empty", crate::domain::words::count(a.empty_parts, "part", "parts"))
            };
            let earlier =
                if list.len() > 1 { format!(" (+{} earlier)", list.len() - 1) } else { String::new() };
            let needs = crate::domain::words::count(a.needs, "need", "needs");
            format!("{} {}: {needs}, {empty}{earlier}", a.reference, format_date(a.assessed_on))
        }
    };
    let screenings = store.screenings(client_id)?;
    let mut latest: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for s in screenings.iter().filter(|s| !s.entered_in_error) {
        if !seen.contains(&s.instrument.as_str()) {
            seen.push(&s.instrument);
            latest.push(crate::store::screenings::compact(
                crate::domain::instruments::short_name_of(&s.instrument),
                &s.result,
            ));
        }
    }
    p.attribution = crate::domain::instruments::attribution_for(seen.iter().copied());
    p.screeners = match (latest.is_empty(), closed) {
        (true, true) => "none given".into(),
        (true, false) => "none given yet".into(),
        _ => latest.join(" · "),
    };
    let people = store.people(client_id)?;
    let others = people.iter().filter(|x| !x.is_self).count();
    let home = people.iter().filter(|x| !x.is_self && x.in_household).count();
    p.people = if others == 0 && closed {
        "nobody recorded".into()
    } else if others == 0 {
        "nobody recorded yet".into()
    } else {
        format!("{others} recorded, {home} living with the client")
    };
    let goals = store.goals(client_id, false)?;
    let past = goals.iter().filter(|g| g.target_date < today && g.status.is_open()).count();
    let review = store.next_review(client_id)?.map(|r| r.due_on);
    p.plan = match (goals.len(), review) {
        // a closed case says what its last episode held, not that there is nothing
        (0, _) if closed => closed_plan(store, client_id)?,
        (0, _) => "no goals yet".into(),
        (n, r) => format!(
            "{}{}{}",
            crate::domain::words::count(n, "open goal", "open goals"),
            if past > 0 { format!(", {past} PAST TARGET") } else { String::new() },
            r.map(|d| format!(", review {}", format_date(d))).unwrap_or_default()
        ),
    };
    let referrals = store.referrals(client_id)?;
    let open: Vec<_> = referrals.iter().filter(|r| r.status.is_open()).collect();
    let overdue = open.iter().filter(|r| r.follow_up_on.is_some_and(|d| d < today)).count();
    p.referrals = match (referrals.len(), open.len()) {
        (0, _) if closed => "none were made".into(),
        (0, _) => "none yet".into(),
        (_, 0) if closed => {
            let states: Vec<String> = referrals.iter().map(|r| r.status.label().to_lowercase()).collect();
            let states: Vec<&str> = states.iter().map(String::as_str).collect();
            format!("none open; {}", crate::domain::words::tally(&states, "referral", "referrals"))
        }
        (n, o) => format!(
            "{o} open of {n}{}",
            if overdue > 0 {
                format!(", {} OVERDUE", crate::domain::words::count(overdue, "follow-up", "follow-ups"))
            } else {
                String::new()
            }
        ),
    };
    let consents = store.consents(client_id)?;
    let usable =
        consents.iter().filter(|c| c.lapsed_on.is_none() && c.validity(today, 0).is_usable()).count();
    let actions = store.open_actions(client_id)?.len();
    let advocacy = store.advocacy_items(client_id)?;
    let open_advocacy: Vec<_> = advocacy.iter().filter(|a| a.closed_on.is_none()).collect();
    p.coordination = format!(
        "{}, {}, {}",
        crate::domain::words::count(usable, "valid consent", "valid consents"),
        crate::domain::words::count(actions, "open action item", "open action items"),
        crate::domain::words::count(open_advocacy.len(), "open advocacy item", "open advocacy items")
    );
    for a in open_advocacy {
        let deadline = a.deadline.map(|d| format!(", deadline {}", format_date(d))).unwrap_or_default();
        p.advocacy.push(format!("advocacy {}: {} ({}){deadline}", a.reference, a.barrier, a.target));
    }
    Ok(p)
}

/// The Plan line of a closed case with no open goal: the goals of its last episode and how
/// each ended ("2 goals, both completed"), or that none were set.
fn closed_plan(store: &Store, client_id: i64) -> Result<String> {
    let last = store.episodes(client_id)?.last().map(|e| e.id);
    let held: Vec<String> = store
        .goals(client_id, true)?
        .iter()
        .filter(|g| g.status != crate::domain::goal::GoalStatus::EnteredInError)
        .filter(|g| g.episode_id.is_none() || g.episode_id == last)
        .map(|g| g.status.label().to_lowercase())
        .collect();
    if held.is_empty() {
        return Ok("no goals were set in the episode".into());
    }
    let states: Vec<&str> = held.iter().map(String::as_str).collect();
    Ok(crate::domain::words::tally(&states, "goal", "goals"))
}
