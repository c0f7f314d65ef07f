//! Safety: a client's risk flags (with their history) and safety alerts, and the small forms
//! that review or lower a flag and acknowledge an alert.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::assessment::RiskLevel;
use crate::domain::dates::{format_local, from_db};
use crate::domain::draft::DraftKind;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{lookup, Action, Context};
use crate::store::safety::{alert_ref, flag_ref, Alert, RiskFlag};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Field, Form};
use crate::ui::widgets::list::ListCursor;

fn when(s: &str) -> String {
    from_db(s).map(format_local).unwrap_or_else(|| s.to_string())
}

/// One selectable row of the safety screen.
enum Row {
    Flag(usize),
    Alert(usize),
}

pub struct FlagsScreen {
    pub client_id: i64,
    flags: Vec<RiskFlag>,
    alerts: Vec<Alert>,
    cursor: ListCursor,
    stale: bool,
}

impl FlagsScreen {
    pub fn new(client_id: i64) -> Self {
        FlagsScreen {
            client_id,
            flags: Vec::new(),
            alerts: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = (0..self.alerts.len())
            .filter(|i| self.alerts[*i].acknowledged_at.is_none())
            .map(Row::Alert)
            .collect();
        rows.extend((0..self.flags.len()).map(Row::Flag));
        rows.extend(
            (0..self.alerts.len()).filter(|i| self.alerts[*i].acknowledged_at.is_some()).map(Row::Alert),
        );
        rows
    }
}

impl View for FlagsScreen {
    fn title(&self) -> &'static str {
        "Safety"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Flags, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Review, Action::Lower, Action::Acknowledge, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(2) as usize;
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.flags = ctx.store.risk_flags(self.client_id)?;
            self.alerts = ctx.store.alerts(self.client_id)?;
            self.stale = false;
        }
        self.cursor.clamp(self.rows().len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Flags, Context::Nav], &ev) else { return Handled::No };
        let rows = self.rows();
        if self.cursor.apply(action, rows.len()) {
            return Handled::Yes(vec![]);
        }
        let row = rows.get(self.cursor.selected);
        let msg = match (action, row) {
            (Action::Back, _) => return Handled::Yes(vec![Message::Back]),
            (Action::Review | Action::Lower, Some(Row::Flag(i))) => {
                let f = &self.flags[*i];
                if !f.is_open() {
                    Message::Status(format!("Flag {} was lowered already.", f.reference))
                } else {
                    Message::Assess(AssessMsg::ReviewFlag { id: f.id, lower: action == Action::Lower })
                }
            }
            (Action::Acknowledge | Action::Open, Some(Row::Alert(i))) => {
                let a = &self.alerts[*i];
                if a.acknowledged_at.is_some() {
                    Message::Assess(AssessMsg::OpenScreening(a.screening_id))
                } else {
                    Message::Assess(AssessMsg::AckAlert(a.id))
                }
            }
            (Action::Review | Action::Lower, _) => {
                Message::Status("Choose a flag (↑/↓) to review or lower.".into())
            }
            (Action::Acknowledge, _) => Message::Status("Choose an alert (↑/↓) to acknowledge.".into()),
            _ => return Handled::No,
        };
        Handled::Yes(vec![msg])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let open = self.flags.iter().filter(|f| f.is_open()).count()
            + self.alerts.iter().filter(|a| a.acknowledged_at.is_none()).count();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Safety — {open} open "), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines: Vec<Line<'static>> = Vec::new();
        if self.flags.is_empty() && self.alerts.is_empty() {
            lines.push(Line::from(Span::styled(
                "No risk flags or safety alerts. A medium or high risk in an assessment raises a flag; \
                 a PHQ-9 item 9 answer above 0 raises an alert.",
                theme::dim(),
            )));
        }
        for (n, row) in self.rows().iter().enumerate() {
            let selected = n == self.cursor.selected;
            let marker = if selected { "▶ " } else { "  " };
            let sel = if selected { theme::selected() } else { Style::default() };
            match row {
                Row::Alert(i) => {
                    let a = &self.alerts[*i];
                    let (state, style) = match &a.acknowledged_at {
                        None => ("ALERT OPEN".to_string(), theme::flag()),
                        Some(at) => (format!("acknowledged {}", when(at)), theme::dim()),
                    };
                    lines.push(Line::from(vec![
                        Span::styled(marker, sel),
                        Span::styled(format!("{state} "), style),
                        Span::styled(
                            fit(
                                &format!(
                                    "{} ({}): {}",
                                    alert_ref(a.id),
                                    a.screening,
                                    display_safe(&a.message)
                                ),
                                w.saturating_sub(30),
                            ),
                            sel,
                        ),
                    ]));
                    if let Some(note) = &a.ack_note {
                        lines.push(Line::from(Span::styled(
                            fit(&format!("      what was done: {}", display_safe(note)), w),
                            theme::dim(),
                        )));
                    }
                }
                Row::Flag(i) => {
                    let f = &self.flags[*i];
                    let (state, style) = if f.is_open() {
                        (format!("FLAG {}", f.level.as_str().to_uppercase()), theme::flag())
                    } else {
                        ("lowered".to_string(), theme::dim())
                    };
                    lines.push(Line::from(vec![
                        Span::styled(marker, sel),
                        Span::styled(format!("{state} "), style),
                        Span::styled(
                            format!("{} {} — raised {}", flag_ref(f.id), f.area.label(), when(&f.raised_at)),
                            sel,
                        ),
                    ]));
                    for e in &f.history {
                        let level = e.level.as_deref().map(|l| format!(" at {l}")).unwrap_or_default();
                        let by = if e.by.is_empty() { String::new() } else { format!(" by {}", e.by) };
                        let why = if e.reason.is_empty() { String::new() } else { format!(": {}", e.reason) };
                        lines.push(Line::from(Span::styled(
                            fit(
                                &format!(
                                    "      {} {}{level} ({}){by}{}",
                                    when(&e.at),
                                    e.action,
                                    e.source,
                                    display_safe(&why)
                                ),
                                w,
                            ),
                            theme::dim(),
                        )));
                    }
                }
            }
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

// ---------------------------------------------------------------------------------------------
// Reviewing a flag
// ---------------------------------------------------------------------------------------------

pub struct FlagReviewScreen {
    pub flag: RiskFlag,
    pub lower: bool,
    pub form: Form,
}

impl FlagReviewScreen {
    pub fn new(flag: RiskFlag, lower: bool, today: NaiveDate) -> Self {
        let title = if lower {
            format!("Lower flag {} ({} {})", flag.reference, flag.area.label(), flag.level.as_str())
        } else {
            format!("Review flag {} ({} {})", flag.reference, flag.area.label(), flag.level.as_str())
        };
        let levels: Vec<(&str, &str)> = if lower {
            vec![("low", "low"), ("none", "none")]
        } else {
            let current = flag.level.as_str();
            let mut v = vec![(current, current)];
            for l in ["medium", "high"] {
                if l != current {
                    v.push((l, l));
                }
            }
            v
        };
        let reason_help = if lower {
            "Why the risk is lower now: what was reviewed, what changed, who was consulted. Required."
        } else {
            "What was reviewed and what was decided (the flag stays). Required."
        };
        let form = Form::new(
            &title,
            vec![
                Field::choice("level", if lower { "Risk now" } else { "Level" }, &levels),
                Field::multiline("reason", if lower { "Reason" } else { "Review note" }, 6)
                    .required()
                    .help(reason_help),
            ],
            today,
        );
        FlagReviewScreen { flag, lower, form }
    }
}

impl View for FlagReviewScreen {
    fn title(&self) -> &'static str {
        "Review flag"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::Cancel]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.flag.client_id)
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
            key: format!("flag-review:{}:{}", self.flag.id, if self.lower { "lower" } else { "review" }),
            kind: DraftKind::FlagReview,
            client_id: Some(self.flag.client_id),
            title: format!("Review of flag {}", self.flag.reference),
        })
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let level = RiskLevel::parse(&self.form.value("level"));
        let by = ctx.settings.signature();
        match ctx.store.review_flag(self.flag.id, self.lower, level, &self.form.value("reason"), &by, ctx.now)
        {
            Ok(()) => Ok(Submitted::Done {
                status: if self.lower {
                    format!("Flag {} lowered; it stays in the history.", self.flag.reference)
                } else {
                    format!("Review of flag {} recorded; the flag stays.", self.flag.reference)
                },
                then: vec![],
            }),
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A note of what was done: acknowledging an alert, marking a screening entered in error
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    AckAlert { alert_id: i64, client_id: i64 },
    ScreeningError { screening_id: i64, client_id: i64 },
}

pub struct SafetyNoteScreen {
    pub kind: NoteKind,
    pub form: Form,
}

impl SafetyNoteScreen {
    pub fn new(kind: NoteKind, context: &str, today: NaiveDate) -> Self {
        let form = match kind {
            NoteKind::AckAlert { alert_id, .. } => Form::new(
                &format!("Acknowledge alert {}", alert_ref(alert_id)),
                vec![Field::multiline("note", "What was done", 6).required().help(&format!(
                    "{} — say what was done: risk assessed, safety plan made or reviewed, crisis team or GP contacted.",
                    fit(&display_safe(context), 120)
                ))],
                today,
            ),
            NoteKind::ScreeningError { screening_id, .. } => Form::new(
                &format!("Mark {} entered in error", crate::store::screenings::screening_ref(screening_id)),
                vec![Field::text("reason", "Reason").required().max(500).help("e.g. given to the wrong client")],
                today,
            ),
        };
        SafetyNoteScreen { kind, form }
    }

    fn client(&self) -> i64 {
        match self.kind {
            NoteKind::AckAlert { client_id, .. } | NoteKind::ScreeningError { client_id, .. } => client_id,
        }
    }
}

impl View for SafetyNoteScreen {
    fn title(&self) -> &'static str {
        "Safety"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::Cancel, Action::Undo]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client())
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
        match self.kind {
            NoteKind::AckAlert { alert_id, client_id } => Some(DraftInfo {
                key: format!("alert-ack:{alert_id}"),
                kind: DraftKind::AlertAck,
                client_id: Some(client_id),
                title: format!("Acknowledgement of alert {}", alert_ref(alert_id)),
            }),
            NoteKind::ScreeningError { .. } => None,
        }
    }
    fn is_form(&self) -> bool {
        true
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        if !self.form.check_fields() {
            return Ok(Submitted::Stay);
        }
        let by = ctx.settings.signature();
        let result = match self.kind {
            NoteKind::AckAlert { alert_id, .. } => ctx
                .store
                .acknowledge_alert(alert_id, &self.form.value("note"), &by, ctx.now)
                .map(|_| format!("Alert {} acknowledged.", alert_ref(alert_id))),
            NoteKind::ScreeningError { screening_id, .. } => ctx
                .store
                .mark_screening_in_error(screening_id, &self.form.value("reason"), ctx.now)
                .map(|_| "Marked entered in error; it stays in the record, out of trends.".to_string()),
        };
        match result {
            Ok(status) => Ok(Submitted::Done { status, then: vec![] }),
            Err(e) => refusal_to_form(&mut self.form, e),
        }
    }
}
