//! Assessments: the client's list with the domain-rating grid, one assessment with what
//! changed since the previous one, and the form (sections in any order, saved incomplete).

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::assessment::{
    assessment_ref, changes, format_needs, rating_field, rating_label, validate_assessment, Assessment,
    AssessmentInput, Change, RiskArea, RiskLevel, Section,
};
use crate::domain::client::client_ref;
use crate::domain::dates::format_date;
use crate::domain::draft::DraftKind;
use crate::domain::instruments::LIFE_DOMAINS;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{lookup, Action, Context};
use crate::store::assessments::{AssessmentSummary, RatingColumn, StoredAssessment};
use crate::store::safety::RiskFlag;
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{refusal_to_form, DraftInfo, Handled, SubmitCtx, Submitted, SyncCtx, View};
use crate::ui::widgets::form::{Field, Form};
use crate::ui::widgets::list::ListCursor;

fn level_text(l: Option<RiskLevel>) -> &'static str {
    l.map(RiskLevel::label).unwrap_or("not assessed")
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

pub struct AssessmentsScreen {
    pub client_id: i64,
    list: Vec<AssessmentSummary>,
    grid: Vec<RatingColumn>,
    flags: Vec<RiskFlag>,
    needs: Vec<crate::store::assessments::CurrentNeed>,
    cursor: ListCursor,
    stale: bool,
}

impl AssessmentsScreen {
    pub fn new(client_id: i64) -> Self {
        AssessmentsScreen {
            client_id,
            list: Vec::new(),
            grid: Vec::new(),
            flags: Vec::new(),
            needs: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }
}

/// The domain-rating grid: one row per life domain, one column per assessment (oldest left).
pub fn rating_grid_lines(grid: &[RatingColumn], width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if grid.is_empty() {
        lines.push(Line::from(Span::styled("  No domain ratings yet.", theme::dim())));
        return lines;
    }
    // as many columns as fit, the newest kept
    let cols = ((width.saturating_sub(16)) / 7).clamp(1, 12);
    let shown = &grid[grid.len().saturating_sub(cols)..];
    let mut head = format!("  {:<14}", "Domain");
    for c in shown {
        head.push_str(&format!(" {:>6}", c.on.format("%b %y").to_string()));
    }
    lines.push(Line::from(Span::styled(head, theme::title())));
    for d in LIFE_DOMAINS {
        let mut spans = vec![Span::raw(format!("  {:<14}", fit(d, 14)))];
        let mut prev: Option<u8> = None;
        for c in shown {
            let r = c.ratings.iter().find(|(x, _)| x == d).map(|(_, r)| *r);
            // the number carries the meaning; an arrow shows the direction, colour only helps
            let (text, style) = match r {
                Some(v) => {
                    let arrow = match prev {
                        Some(p) if v > p => "↑",
                        Some(p) if v < p => "↓",
                        _ => " ",
                    };
                    let style = match v {
                        1 => theme::error(),
                        2 => theme::warn(),
                        _ => Style::default(),
                    };
                    (format!("{v}{arrow}"), style)
                }
                None => ("·".to_string(), theme::dim()),
            };
            if r.is_some() {
                prev = r;
            }
            spans.push(Span::styled(format!(" {text:>6}"), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "  1 critical · 2 has a problem · 3 not ideal · 4 good · ↑ better ↓ worse",
        theme::dim(),
    )));
    lines
}

impl View for AssessmentsScreen {
    fn title(&self) -> &'static str {
        "Assessments"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Assessments, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::New, Action::Reassess, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = (body.height.saturating_sub(2) as usize / 3).max(3);
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.list = ctx.store.assessments(self.client_id)?;
            self.grid = ctx.store.rating_grid(self.client_id, 12)?;
            self.needs = ctx.store.current_needs(self.client_id)?;
            self.flags =
                ctx.store.risk_flags(self.client_id)?.into_iter().filter(RiskFlag::is_open).collect();
            self.stale = false;
        }
        self.cursor.clamp(self.list.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        let Some(action) = lookup(&[Context::Assessments, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.list.len()) {
            return Handled::Yes(vec![]);
        }
        let msg = match action {
            Action::Open => match self.list.get(self.cursor.selected) {
                Some(a) => AssessMsg::OpenAssessment(a.id),
                None => return Handled::Yes(vec![]),
            },
            Action::New => AssessMsg::NewAssessment { client_id: self.client_id, from: None },
            Action::Reassess => match self.list.first() {
                Some(a) => AssessMsg::NewAssessment { client_id: self.client_id, from: Some(a.id) },
                None => {
                    return Handled::Yes(vec![Message::Status(
                        "No assessment yet to start from: press n for a new one.".into(),
                    )])
                }
            },
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        };
        Handled::Yes(vec![Message::Assess(msg)])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Assessments — {} ", self.list.len()), theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        for f in &self.flags {
            lines.push(Line::from(Span::styled(
                format!(" ⚑ {} — review it with ! from the client file ", f.headline()),
                theme::flag(),
            )));
        }
        if self.list.is_empty() {
            lines.push(Line::from(Span::styled(
                "No assessments yet. Press n to start one; sections can be filled in any order.",
                theme::dim(),
            )));
        }
        for i in self.cursor.visible(self.list.len()) {
            let a = &self.list[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let risk = match a.highest_risk {
                Some(l) if l.raises_flag() => format!("risk {}", l.label()),
                Some(l) => format!("risk {}", l.label()),
                None => "risk not assessed".into(),
            };
            let empty = if a.empty_parts == 0 {
                "complete".to_string()
            } else {
                format!("{} part{} empty", a.empty_parts, if a.empty_parts == 1 { "" } else { "s" })
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{:<7} {}  {:<13} {:>2} needs  {:<18} {}",
                    if selected { "▶ " } else { "  " },
                    a.reference,
                    format_date(a.assessed_on),
                    if a.reassessment { "reassessment" } else { "assessment" },
                    a.needs,
                    risk,
                    empty
                ),
                style,
            )));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Current needs (for the plan and referrals)", theme::title())));
        if self.needs.is_empty() {
            lines.push(Line::from(Span::styled("  none recorded yet", theme::dim())));
        }
        let w = inner.width as usize;
        for n in &self.needs {
            lines.push(Line::from(vec![
                Span::styled(format!("  • {:<14}", n.life_domain), theme::dim()),
                Span::raw(fit(&format!("{} ({})", display_safe(&n.text), n.source), w.saturating_sub(18))),
            ]));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled("Domain ratings over time", theme::title())));
        lines.extend(rating_grid_lines(&self.grid, inner.width as usize));
        frame.render_widget(Paragraph::new(lines), inner);
    }
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
        for sec in Section::ALL {
            let text = a.section(sec);
            lines.push(Line::from(""));
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

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentMode {
    /// A new assessment; `from` is the previous one it starts from (a reassessment).
    New {
        client_id: i64,
        from: Option<i64>,
    },
    Edit {
        id: i64,
        client_id: i64,
    },
}

pub struct AssessmentFormScreen {
    pub mode: AssessmentMode,
    pub form: Form,
}

const NEEDS_HELP: &str = "One need per line: its life domain, a colon, the need in the client's words, \
    e.g. \"housing: a flat near her mother\". Domains: housing, food, health, mental health, safety, \
    income, education, relationships, legal, transport.";

fn fields() -> Vec<Field> {
    let mut f = vec![
        Field::date("assessed_on", "Date of assessment").required(),
        Field::multiline("needs", "Presenting needs (domain: need)", 3).heading("Needs").help(NEEDS_HELP),
    ];
    for s in Section::ALL {
        let mut field = Field::multiline(s.field(), s.label(), 3).help(s.help());
        if s == Section::Strengths {
            field = field.heading("Strengths, barriers and history");
        }
        f.push(field);
    }
    let levels: Vec<(&str, &str)> = std::iter::once(("", "not assessed"))
        .chain(RiskLevel::ALL.iter().map(|l| (l.as_str(), l.as_str())))
        .collect();
    for (i, area) in RiskArea::ALL.into_iter().enumerate() {
        let mut level = Field::choice(area.level_field(), area.label(), &levels)
            .help("Medium or high raises a flag on the client until it is reviewed and lowered.");
        if i == 0 {
            level = level.heading("Risk and safety");
        }
        f.push(level);
        f.push(
            Field::multiline(area.plan_field(), "  Safety plan", 2)
                .help("What was agreed to keep the client (and others) safe; required for medium or high."),
        );
    }
    let ratings: Vec<(&str, &str)> = vec![
        ("", "not rated"),
        ("1", "1 critical"),
        ("2", "2 has a problem"),
        ("3", "3 not ideal"),
        ("4", "4 good"),
    ];
    for (i, d) in LIFE_DOMAINS.into_iter().enumerate() {
        let mut r = Field::choice(rating_field(d), &format!("Rating: {d}"), &ratings)
            .help("Optional. 1 critical, 2 has a problem, 3 not ideal, 4 good.");
        if i == 0 {
            r = r.heading("Domain ratings");
        }
        f.push(r);
    }
    f
}

impl AssessmentFormScreen {
    /// A new assessment, blank or filled from `from` (a reassessment starts from the last one).
    pub fn new(client_id: i64, from: Option<&Assessment>, from_id: Option<i64>, today: NaiveDate) -> Self {
        let title = match from_id {
            Some(p) => format!("Reassessment of {} (from {})", client_ref(client_id), assessment_ref(p)),
            None => format!("New assessment of {}", client_ref(client_id)),
        };
        let mut form = Form::new(&title, fields(), today);
        if let Some(a) = from {
            fill(&mut form, a);
        }
        form.set_value("assessed_on", &format_date(today));
        form.dirty = false;
        AssessmentFormScreen { mode: AssessmentMode::New { client_id, from: from_id }, form }
    }

    pub fn edit(stored: &StoredAssessment, today: NaiveDate) -> Self {
        let mut form = Form::new(&format!("Edit assessment {}", stored.reference), fields(), today);
        fill(&mut form, &stored.assessment);
        form.dirty = false;
        AssessmentFormScreen {
            mode: AssessmentMode::Edit { id: stored.id, client_id: stored.client_id },
            form,
        }
    }

    pub fn input(&self) -> AssessmentInput {
        let v = |id: &str| self.form.value(id);
        AssessmentInput {
            assessed_on: v("assessed_on"),
            needs: v("needs"),
            sections: Section::ALL.iter().map(|s| (s.field().to_string(), v(s.field()))).collect(),
            risks: RiskArea::ALL.iter().map(|a| (*a, v(a.level_field()), v(a.plan_field()))).collect(),
            ratings: LIFE_DOMAINS.iter().map(|d| (d.to_string(), v(rating_field(d)))).collect(),
        }
    }

    fn client(&self) -> i64 {
        match self.mode {
            AssessmentMode::New { client_id, .. } | AssessmentMode::Edit { client_id, .. } => client_id,
        }
    }
}

fn fill(form: &mut Form, a: &Assessment) {
    form.set_value("assessed_on", &format_date(a.assessed_on));
    form.set_value("needs", &format_needs(&a.needs));
    for s in Section::ALL {
        form.set_value(s.field(), a.section(s));
    }
    for area in RiskArea::ALL {
        let r = a.risk(area);
        form.set_value(area.level_field(), r.level.map(RiskLevel::as_str).unwrap_or(""));
        form.set_value(area.plan_field(), &r.plan);
    }
    for (d, r) in &a.ratings {
        form.set_value(rating_field(d), &r.to_string());
    }
}

impl View for AssessmentFormScreen {
    fn title(&self) -> &'static str {
        "Assessment"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Form]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Save, Action::NextField, Action::NextSection, Action::Cancel, Action::Undo]
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
        Some(match self.mode {
            AssessmentMode::New { client_id, from } => DraftInfo {
                key: match from {
                    Some(p) => format!("assessment:new:{client_id}:from:{p}"),
                    None => format!("assessment:new:{client_id}"),
                },
                kind: DraftKind::AssessmentNew,
                client_id: Some(client_id),
                title: format!("Assessment of {}", client_ref(client_id)),
            },
            AssessmentMode::Edit { id, client_id } => DraftInfo {
                key: format!("assessment:{id}"),
                kind: DraftKind::AssessmentEdit,
                client_id: Some(client_id),
                title: format!("Edit of assessment {}", assessment_ref(id)),
            },
        })
    }
    fn submit(&mut self, ctx: &mut SubmitCtx<'_>, _save_anyway: bool) -> Result<Submitted> {
        let fields_ok = self.form.check_fields();
        let a = match validate_assessment(&self.input(), ctx.today) {
            Err(errors) => {
                self.form.add_errors(&errors);
                return Ok(Submitted::Stay);
            }
            Ok(_) if !fields_ok => return Ok(Submitted::Stay),
            Ok(a) => a,
        };
        let flagged = a.flagged_areas();
        let empty = a.empty_parts().len();
        let (id, verb) = match self.mode {
            AssessmentMode::New { client_id, from } => {
                match ctx.store.add_assessment(client_id, &a, from, ctx.now) {
                    Ok(id) => (id, "Saved"),
                    Err(e) => return refusal_to_form(&mut self.form, e),
                }
            }
            AssessmentMode::Edit { id, .. } => match ctx.store.update_assessment(id, &a, ctx.now) {
                Ok(()) => (id, "Saved changes to"),
                Err(e) => return refusal_to_form(&mut self.form, e),
            },
        };
        let mut status = format!("{verb} assessment {}.", assessment_ref(id));
        if empty > 0 {
            status.push_str(&format!(" {empty} part(s) still empty: fill them in later with e."));
        }
        if !flagged.is_empty() {
            let what: Vec<String> =
                flagged.iter().map(|(a, l)| format!("{} {}", a.short(), l.as_str())).collect();
            status.push_str(&format!(" Risk flag on the client: {}.", what.join(", ")));
        }
        let then = match self.mode {
            AssessmentMode::New { .. } => vec![Message::Assess(AssessMsg::OpenAssessment(id))],
            AssessmentMode::Edit { .. } => vec![],
        };
        Ok(Submitted::Done { status, then })
    }
}
