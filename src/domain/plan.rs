//! The case plan around the goals of `goal.rs`: reading what a person typed (form or command
//! line) into goals, steps, progress entries, reviews and evaluations, with a message per field;
//! the SMART guidance the goal form shows part by part; refs; and the words for due steps,
//! goals past their target date and screener change over an episode.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::assessment::{make_ref, parse_ref};
use super::client::FieldError;
use super::dates::{format_date, parse_date};
use super::goal::{
    goal_term, validate_goal, Achievement, GoalDraft, GoalStatus, MeasureKind, MeasureSource, Outcome,
    Priority, StepOwner, Term, MSG_NO_AGREEMENT, MSG_NO_OWNER, MSG_NO_STEPS, MSG_NO_WHY,
};
use super::instruments::LIFE_DOMAINS;
use super::text::{clean_line, clean_multiline};

/// A plan is reviewed this many days after the last review unless the practitioner says otherwise.
pub const REVIEW_EVERY_DAYS: u64 = 90;
/// Longest goal statement, "what is counted" and one-line answers.
pub const STATEMENT_MAX: usize = 500;
pub const SHORT_MAX: usize = 200;
/// Longest note on a progress entry, review summary or feedback comment.
pub const NOTE_MAX: usize = 10_000;
/// Measured values stay within this size (a count, a score, a sum of money).
pub const VALUE_MAX: f64 = 1e12;

pub fn goal_ref(id: i64) -> String {
    make_ref("G", id)
}

pub fn step_ref(id: i64) -> String {
    make_ref("ST", id)
}

pub fn evaluation_ref(id: i64) -> String {
    make_ref("EV", id)
}

/// `G-12`, `g12` or `12`.
pub fn parse_goal_ref(s: &str) -> Option<i64> {
    parse_ref("G", s)
}

/// `ST-4`, `st4` or `4`.
pub fn parse_step_ref(s: &str) -> Option<i64> {
    parse_ref("ST", s)
}

/// A word that is not one of a list's values, quoted short (a long paste is not repeated back).
fn word_error(e: super::words::UnknownWord) -> String {
    e.to_string()
}

fn err(errors: &mut Vec<FieldError>, field: &'static str, message: impl Into<String>) {
    if !errors.iter().any(|e| e.field == field) {
        errors.push(FieldError { field, message: message.into() });
    }
}

fn one_line(errors: &mut Vec<FieldError>, field: &'static str, raw: &str, max: usize) -> String {
    let s = clean_line(raw);
    if s.chars().count() > max {
        err(errors, field, format!("Too long: at most {max} characters."));
    }
    s
}

fn long_text(errors: &mut Vec<FieldError>, field: &'static str, raw: &str) -> String {
    let s = clean_multiline(raw);
    if s.chars().count() > NOTE_MAX {
        err(errors, field, format!("Too long: at most {NOTE_MAX} characters."));
    }
    s
}

/// A measured value: digits with an optional decimal point, a minus sign allowed.
pub fn parse_value(raw: &str) -> Result<f64, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("Enter a number.");
    }
    if s.contains(',') {
        return Err("Enter a number with a decimal point, not a comma (3.5, not 3,5).");
    }
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() && n.abs() <= VALUE_MAX => Ok(n),
        Ok(n) if n.is_finite() => Err("That number is too large."),
        _ => Err("Enter a number (digits, optionally with a decimal point)."),
    }
}

/// Words that record a milestone as reached or not.
pub fn parse_milestone(raw: &str) -> Result<bool, &'static str> {
    match clean_line(raw).to_lowercase().as_str() {
        "yes" | "y" | "1" | "reached" | "done" | "met" | "true" => Ok(true),
        "no" | "n" | "0" | "not yet" | "not-yet" | "false" => Ok(false),
        _ => Err("Say whether the milestone is reached: yes or no."),
    }
}

fn day(errors: &mut Vec<FieldError>, field: &'static str, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = clean_line(raw);
    if s.is_empty() {
        return None;
    }
    match parse_date(&s, today) {
        Ok(d) => Some(d),
        Err(m) => {
            err(errors, field, m);
            None
        }
    }
}

fn not_future(errors: &mut Vec<FieldError>, field: &'static str, d: Option<NaiveDate>, today: NaiveDate) {
    if d.is_some_and(|d| d > today) {
        err(errors, field, "That date is in the future.");
    }
}

/// What the goal form (or `caseload goal add`) holds, as typed. Field names are the form's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GoalInput {
    pub statement: String,
    /// `numeric` (default) or `milestone`.
    pub measure: String,
    /// Empty for values typed in, or a screener id (`phq9`) whose totals are the measure.
    pub source: String,
    pub what: String,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub who_agreed: String,
    pub why_it_matters: String,
    /// Empty means today.
    pub start: String,
    pub target_date: String,
    /// Empty: from the dates; `short` or `long` to override.
    pub term: String,
    pub priority: String,
    pub life_domain: String,
    pub need: String,
    /// Where the need came from (an assessment's or screening's ref).
    pub need_source: String,
    /// New goals only: `active` (agreed and starting, the default) or `proposed`.
    pub status: String,
}

/// A goal ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewGoal {
    pub draft: GoalDraft,
    pub source: MeasureSource,
    pub need_source: String,
    pub status: GoalStatus,
}

impl NewGoal {
    pub fn term(&self) -> Term {
        goal_term(&self.draft).unwrap_or(Term::Short)
    }
}

/// What [`read_goal`] found: the goal when nothing refuses it, errors by field, and warnings
/// by field (shown, never refusing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoalReading {
    pub goal: Option<NewGoal>,
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

/// The form field a SMART finding belongs to.
fn form_field(issue_field: &'static str) -> &'static str {
    match issue_field {
        "measure" => "what",
        other => other,
    }
}

/// Reads a goal as typed. `screeners` are the (id, short name) of screeners with a total;
/// `has_steps` / `has_owner` say whether the goal has steps and someone responsible for one.
/// Refuses: no statement, a measure without what is counted or with a target equal to the
/// baseline, no target date or one not after the start, unknown words in the lists.
pub fn read_goal(
    input: &GoalInput,
    today: NaiveDate,
    screeners: &[(&str, &str)],
    has_steps: bool,
    has_owner: bool,
) -> GoalReading {
    let mut errors = Vec::new();
    let statement = one_line(&mut errors, "statement", &input.statement, STATEMENT_MAX);
    let milestone = match clean_line(&input.measure).to_lowercase().as_str() {
        "" | "numeric" | "number" | "count" => false,
        "milestone" | "yes/no" | "yes-no" => true,
        _ => {
            err(&mut errors, "measure", "Choose a number measure or a yes/no milestone.");
            false
        }
    };
    let source_raw = clean_line(&input.source);
    let source = if source_raw.is_empty() || source_raw.eq_ignore_ascii_case("manual") {
        MeasureSource::Manual
    } else {
        let key: String = source_raw.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        match screeners.iter().find(|(id, short)| {
            let norm = |s: &str| s.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            norm(id) == key || norm(short) == key
        }) {
            Some((id, _)) => MeasureSource::Screener { instrument: id.to_string() },
            None => {
                let names: Vec<&str> = screeners.iter().map(|s| s.1).collect();
                err(
                    &mut errors,
                    "source",
                    format!("Not a screener with a total. Use one of: {}.", names.join(", ")),
                );
                MeasureSource::Manual
            }
        }
    };
    if milestone && source != MeasureSource::Manual {
        err(&mut errors, "source", "A screener goal is measured by its total: choose a number measure.");
    }
    let mut what = one_line(&mut errors, "what", &input.what, SHORT_MAX);
    if what.is_empty() {
        if let MeasureSource::Screener { instrument } = &source {
            let short = screeners.iter().find(|s| s.0 == instrument).map(|s| s.1).unwrap_or(instrument);
            what = format!("{short} total");
        }
    }
    let unit = one_line(&mut errors, "unit", &input.unit, 50);
    let mut number = |field: &'static str, raw: &str, missing: &str| -> f64 {
        if raw.trim().is_empty() {
            err(&mut errors, field, missing.to_string());
            return f64::NAN;
        }
        parse_value(raw).unwrap_or_else(|m| {
            err(&mut errors, field, m);
            f64::NAN
        })
    };
    let measure = if milestone {
        MeasureKind::Milestone
    } else {
        let baseline =
            number("baseline", &input.baseline, "Give the baseline: where things stand now, as a number.");
        let target = number("target", &input.target, "Give the target: the number to reach.");
        MeasureKind::Numeric { what, unit, baseline, target }
    };
    let who_agreed = one_line(&mut errors, "who_agreed", &input.who_agreed, SHORT_MAX);
    let why_it_matters = one_line(&mut errors, "why_it_matters", &input.why_it_matters, STATEMENT_MAX);
    let start = day(&mut errors, "start", &input.start, today).unwrap_or(today);
    let target_date = day(&mut errors, "target_date", &input.target_date, today);
    let term = match clean_line(&input.term).to_lowercase().as_str() {
        "" | "auto" | "from the dates" => None,
        other => match other.parse::<Term>() {
            Ok(t) => Some(t),
            Err(e) => {
                err(&mut errors, "term", word_error(e));
                None
            }
        },
    };
    let priority = match clean_line(&input.priority) {
        p if p.is_empty() => Priority::default(),
        p => p.parse::<Priority>().unwrap_or_else(|e| {
            err(&mut errors, "priority", word_error(e));
            Priority::default()
        }),
    };
    let domain = clean_line(&input.life_domain).to_lowercase();
    if !domain.is_empty() && !LIFE_DOMAINS.contains(&domain.as_str()) {
        err(
            &mut errors,
            "life_domain",
            format!("Not a life domain. Use one of: {}.", LIFE_DOMAINS.join(", ")),
        );
    }
    let need = one_line(&mut errors, "need", &input.need, STATEMENT_MAX);
    let need_source = one_line(&mut errors, "need_source", &input.need_source, 50);
    let status = match clean_line(&input.status).to_lowercase().as_str() {
        "" | "active" => GoalStatus::Active,
        "proposed" => GoalStatus::Proposed,
        _ => {
            err(&mut errors, "status", "A new goal starts as active (agreed) or proposed.");
            GoalStatus::Active
        }
    };
    let draft = GoalDraft {
        statement,
        measure,
        who_agreed,
        why_it_matters,
        start,
        target_date,
        term,
        priority,
        domain: (!domain.is_empty()).then_some(domain),
        need: (!need.is_empty()).then_some(need),
        has_steps,
        has_owner,
    };
    let check = validate_goal(&draft);
    for issue in &check.errors {
        err(&mut errors, form_field(issue.field), issue.message);
    }
    let mut warnings = Vec::new();
    for issue in &check.warnings {
        if !warnings.iter().any(|w: &FieldError| w.field == form_field(issue.field)) {
            warnings.push(FieldError { field: form_field(issue.field), message: issue.message.into() });
        }
    }
    let goal = errors.is_empty().then_some(NewGoal { draft, source, need_source, status });
    GoalReading { goal, errors, warnings }
}

/// How one SMART part stands in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartState {
    Done,
    /// Worth fixing; does not refuse.
    Warning,
    /// Refuses the save.
    Missing,
}

impl PartState {
    /// A mark that carries the meaning without colour.
    pub fn mark(self) -> &'static str {
        match self {
            PartState::Done => "✓",
            PartState::Warning => "!",
            PartState::Missing => "✗",
        }
    }
}

/// One line of the goal form's SMART guide.
#[derive(Debug, Clone, PartialEq)]
pub struct SmartPart {
    pub name: &'static str,
    pub state: PartState,
    pub text: String,
}

/// "0 → 30 nights", "18 → 9".
pub fn measure_span(baseline: f64, target: f64, unit: &str) -> String {
    let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
    format!("{} → {}{unit}", number_text(baseline), number_text(target))
}

/// A number without a needless ".0".
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The SMART guide of the goal form, part by part, in plain words, from what was typed and what
/// [`read_goal`] made of it.
pub fn smart_parts(input: &GoalInput, reading: &GoalReading, today: NaiveDate) -> Vec<SmartPart> {
    // the first field in form order that has an error
    let error = |fields: &[&str]| {
        fields.iter().find_map(|f| reading.errors.iter().find(|e| e.field == *f)).map(|e| e.message.clone())
    };
    let warning = |field: &str| reading.warnings.iter().find(|e| e.field == field).map(|e| e.message.clone());
    let part = |name, state, text: String| SmartPart { name, state, text };
    let mut out = Vec::new();

    let statement = clean_line(&input.statement);
    out.push(match error(&["statement"]) {
        Some(m) => part("Specific", PartState::Missing, m),
        None => part("Specific", PartState::Done, format!("\"{statement}\"")),
    });

    let milestone = clean_line(&input.measure).eq_ignore_ascii_case("milestone");
    out.push(match error(&["measure", "source", "what", "unit", "baseline", "target"]) {
        Some(m) => part("Measurable", PartState::Missing, m),
        None if milestone => part("Measurable", PartState::Done, "a yes/no milestone".into()),
        None => {
            let text = match reading.goal.as_ref().map(|g| &g.draft.measure) {
                Some(MeasureKind::Numeric { what, unit, baseline, target }) => {
                    format!("{what}: {}", measure_span(*baseline, *target, unit))
                }
                // not readable as a whole yet: show what can be read of it
                _ => match (parse_value(&input.baseline), parse_value(&input.target)) {
                    (Ok(b), Ok(t)) => format!(
                        "{}: {}",
                        clean_line(&input.what),
                        measure_span(b, t, &clean_line(&input.unit))
                    ),
                    _ => clean_line(&input.what),
                },
            };
            part("Measurable", PartState::Done, text)
        }
    });

    out.push(match warning("who_agreed") {
        Some(m) => part("Achievable", PartState::Warning, m),
        None => part("Achievable", PartState::Done, format!("agreed by {}", clean_line(&input.who_agreed))),
    });

    let need = clean_line(&input.need);
    out.push(match warning("why_it_matters") {
        Some(m) => part("Relevant", PartState::Warning, m),
        None if need.is_empty() => part("Relevant", PartState::Done, clean_line(&input.why_it_matters)),
        None => part(
            "Relevant",
            PartState::Done,
            format!("{} (answers: {need})", clean_line(&input.why_it_matters)),
        ),
    });

    out.push(match (error(&["start", "target_date", "term"]), warning("term")) {
        (Some(m), _) => part("Time-bound", PartState::Missing, m),
        (None, Some(w)) => part("Time-bound", PartState::Warning, w),
        (None, None) => match reading.goal.as_ref() {
            Some(g) => part(
                "Time-bound",
                PartState::Done,
                format!(
                    "{} → {} ({})",
                    format_date(g.draft.start),
                    g.draft.target_date.map(format_date).unwrap_or_default(),
                    g.term().label().to_lowercase()
                ),
            ),
            None => {
                let start = parse_date(&input.start, today).unwrap_or(today);
                let target = parse_date(&input.target_date, today).ok();
                let term = target.map(|t| super::goal::derive_term(start, t).label().to_lowercase());
                part(
                    "Time-bound",
                    PartState::Done,
                    format!(
                        "{} → {}{}",
                        format_date(start),
                        target.map(format_date).unwrap_or_default(),
                        term.map(|t| format!(" ({t})")).unwrap_or_default()
                    ),
                )
            }
        },
    });

    let steps = reading
        .warnings
        .iter()
        .filter(|w| w.field == "steps" || w.field == "owner")
        .map(|w| w.message.as_str());
    let steps: Vec<&str> = steps.collect();
    out.push(if steps.is_empty() {
        part("Steps", PartState::Done, "at least one step, with someone responsible".into())
    } else {
        part("Steps", PartState::Warning, steps.join(" "))
    });
    out
}

/// The warnings the store keeps about a saved goal, for lists and the plan.
pub fn goal_warnings(has_steps: bool, has_owner: bool, who_agreed: &str, why: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !has_steps {
        out.push(MSG_NO_STEPS);
    } else if !has_owner {
        out.push(MSG_NO_OWNER);
    }
    if who_agreed.trim().is_empty() {
        out.push(MSG_NO_AGREEMENT);
    }
    if why.trim().is_empty() {
        out.push(MSG_NO_WHY);
    }
    out
}

/// A step as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    pub text: String,
    /// Empty when nobody is named yet, else a [`StepOwner`].
    pub owner: String,
    /// Who exactly (the sister, the housing officer...).
    pub owner_name: String,
    pub due: String,
    pub done: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewStep {
    pub text: String,
    pub owner: Option<StepOwner>,
    pub owner_name: String,
    pub due: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
}

pub fn read_step(input: &StepInput, today: NaiveDate) -> Result<NewStep, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = one_line(&mut errors, "text", &input.text, STATEMENT_MAX);
    if text.is_empty() {
        err(&mut errors, "text", "Say what the step is, for example \"call the housing office\".");
    }
    let owner = match clean_line(&input.owner) {
        o if o.is_empty() || o.eq_ignore_ascii_case("nobody") => None,
        o => match o.parse::<StepOwner>() {
            Ok(x) => Some(x),
            Err(e) => {
                err(&mut errors, "owner", word_error(e));
                None
            }
        },
    };
    let owner_name = one_line(&mut errors, "owner_name", &input.owner_name, SHORT_MAX);
    let due = day(&mut errors, "due", &input.due, today);
    let done = day(&mut errors, "done", &input.done, today);
    not_future(&mut errors, "done", done, today);
    if errors.is_empty() {
        Ok(NewStep { text, owner, owner_name, due, done })
    } else {
        Err(errors)
    }
}

/// A progress entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgressInput {
    /// Empty means today.
    pub on: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewProgress {
    pub on: NaiveDate,
    pub value: f64,
    pub note: String,
}

/// Reads a progress entry; a milestone's value is yes (1) or no (0).
pub fn read_progress(
    input: &ProgressInput,
    today: NaiveDate,
    milestone: bool,
) -> Result<NewProgress, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = day(&mut errors, "on", &input.on, today).unwrap_or(today);
    not_future(&mut errors, "on", Some(on), today);
    let value = if milestone {
        parse_milestone(&input.value).map(f64::from).map(|v| if v > 0.0 { 1.0 } else { 0.0 })
    } else {
        parse_value(&input.value)
    }
    .unwrap_or_else(|m| {
        err(&mut errors, "value", m);
        f64::NAN
    });
    let note = long_text(&mut errors, "note", &input.note);
    if errors.is_empty() {
        Ok(NewProgress { on, value, note })
    } else {
        Err(errors)
    }
}

/// A status or achievement change as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeInput {
    pub to: String,
    pub reason: String,
    /// Empty means today.
    pub on: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub to: GoalStatus,
    pub reason: String,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AchievementChange {
    pub to: Achievement,
    pub reason: String,
    pub on: NaiveDate,
}

fn read_change_parts(
    input: &ChangeInput,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> (String, NaiveDate) {
    let reason = one_line(errors, "reason", &input.reason, STATEMENT_MAX);
    let on = day(errors, "on", &input.on, today).unwrap_or(today);
    not_future(errors, "on", Some(on), today);
    (reason, on)
}

/// Reads a status change; whether the move is allowed is the lifecycle's business
/// ([`super::goal::check_transition`]), checked where the goal's current status is known.
pub fn read_status_change(input: &ChangeInput, today: NaiveDate) -> Result<StatusChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let to = clean_line(&input.to).parse::<GoalStatus>();
    let (reason, on) = read_change_parts(input, today, &mut errors);
    match to {
        Ok(to) if errors.is_empty() => Ok(StatusChange { to, reason, on }),
        Ok(_) => Err(errors),
        Err(e) => {
            err(&mut errors, "to", word_error(e));
            Err(errors)
        }
    }
}

pub fn read_achievement_change(
    input: &ChangeInput,
    today: NaiveDate,
) -> Result<AchievementChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let to = clean_line(&input.to).parse::<Achievement>();
    let (reason, on) = read_change_parts(input, today, &mut errors);
    match to {
        Ok(to) if errors.is_empty() => Ok(AchievementChange { to, reason, on }),
        Ok(_) => Err(errors),
        Err(e) => {
            err(&mut errors, "to", word_error(e));
            Err(errors)
        }
    }
}

/// A plan review as typed: when it was held (empty: only the next date is being set), what
/// was said, and when the next one is due.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewInput {
    pub held_on: String,
    pub summary: String,
    pub next_review: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    pub held_on: Option<NaiveDate>,
    pub summary: String,
    pub next_review: NaiveDate,
}

/// The default next review: [`REVIEW_EVERY_DAYS`] after `from`.
pub fn next_review_after(from: NaiveDate) -> NaiveDate {
    from.checked_add_days(Days::new(REVIEW_EVERY_DAYS)).unwrap_or(from)
}

pub fn read_review(input: &ReviewInput, today: NaiveDate) -> Result<NewReview, Vec<FieldError>> {
    let mut errors = Vec::new();
    let held_on = day(&mut errors, "held_on", &input.held_on, today);
    not_future(&mut errors, "held_on", held_on, today);
    let summary = long_text(&mut errors, "summary", &input.summary);
    if held_on.is_none() && !summary.is_empty() && clean_line(&input.held_on).is_empty() {
        err(&mut errors, "held_on", "Give the date the review was held, or clear the summary.");
    }
    let next = day(&mut errors, "next_review", &input.next_review, today);
    match next {
        None => err(&mut errors, "next_review", "Give the date of the next review."),
        Some(n) if n <= held_on.unwrap_or(today) && held_on.is_some() => {
            err(&mut errors, "next_review", "The next review must be after this one.")
        }
        Some(n) if n < today => err(&mut errors, "next_review", "The next review date is in the past."),
        _ => {}
    }
    match next {
        Some(next_review) if errors.is_empty() => Ok(NewReview { held_on, summary, next_review }),
        _ => Err(errors),
    }
}

/// Why an evaluation is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Occasion {
    Review,
    Closure,
}

impl Occasion {
    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::Review => "review",
            Occasion::Closure => "closure",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Occasion::Review => "at a review",
            Occasion::Closure => "at closure",
        }
    }
    pub fn parse(s: &str) -> Option<Occasion> {
        match s.trim().to_lowercase().as_str() {
            "review" | "" => Some(Occasion::Review),
            "closure" | "close" => Some(Occasion::Closure),
            _ => None,
        }
    }
}

/// An evaluation as typed: outcomes are (goal id, outcome word) pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvaluationInput {
    pub on: String,
    pub occasion: String,
    pub outcomes: Vec<(i64, String)>,
    /// Empty (not asked) or 1 to 5.
    pub satisfaction: String,
    pub feedback: String,
    /// Services that helped, or didn't.
    pub helped: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewEvaluation {
    pub on: NaiveDate,
    pub occasion: Occasion,
    pub outcomes: Vec<(i64, Outcome)>,
    pub satisfaction: Option<u8>,
    pub feedback: String,
    pub helped: String,
}

pub fn read_evaluation(input: &EvaluationInput, today: NaiveDate) -> Result<NewEvaluation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = day(&mut errors, "on", &input.on, today).unwrap_or(today);
    not_future(&mut errors, "on", Some(on), today);
    let occasion = Occasion::parse(&input.occasion).unwrap_or_else(|| {
        err(&mut errors, "occasion", "An evaluation is made at a review or at closure.");
        Occasion::Review
    });
    let mut outcomes = Vec::new();
    for (goal, word) in &input.outcomes {
        match clean_line(word).parse::<Outcome>() {
            Ok(o) => outcomes.push((*goal, o)),
            Err(e) => err(&mut errors, "outcomes", word_error(e)),
        }
    }
    let satisfaction = match clean_line(&input.satisfaction).as_str() {
        "" => None,
        s => match s.parse::<u8>() {
            Ok(n @ 1..=5) => Some(n),
            _ => {
                err(&mut errors, "satisfaction", "Satisfaction is a number from 1 (not at all) to 5 (very).");
                None
            }
        },
    };
    let feedback = long_text(&mut errors, "feedback", &input.feedback);
    let helped = long_text(&mut errors, "helped", &input.helped);
    if outcomes.is_empty() && satisfaction.is_none() && feedback.is_empty() && helped.is_empty() {
        err(&mut errors, "feedback", "Record at least one goal outcome or the client's feedback.");
    }
    if errors.is_empty() {
        Ok(NewEvaluation { on, occasion, outcomes, satisfaction, feedback, helped })
    } else {
        Err(errors)
    }
}

/// The word that marks a step on the plan (never colour alone): past its due date, or due today.
pub fn step_marker(
    due: Option<NaiveDate>,
    done: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<&'static str> {
    match (due, done) {
        (_, Some(_)) | (None, None) => None,
        (Some(d), None) if d < today => Some("OVERDUE"),
        (Some(d), None) if d == today => Some("DUE TODAY"),
        _ => None,
    }
}

/// An open goal whose target date has passed.
pub fn past_target(status: GoalStatus, target: NaiveDate, today: NaiveDate) -> bool {
    status.is_open() && target < today
}

/// Lower-cases the first letter of a band label ("Moderately severe" → "moderately severe").
fn band_words(band: &str) -> String {
    let mut c = band.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One screener's change over an episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenerChange {
    pub instrument: String,
    pub short_name: String,
    pub first_on: NaiveDate,
    pub first_total: i32,
    pub first_band: Option<String>,
    pub last_on: NaiveDate,
    pub last_total: i32,
    pub last_band: Option<String>,
    /// How many results the change is drawn from.
    pub results: usize,
}

impl ScreenerChange {
    /// "PHQ-9 18 → 11, moderately severe → moderate"; "GAD-7 7 → 6, mild"; one result:
    /// "PHQ-9 18, moderately severe (one result)".
    pub fn text(&self) -> String {
        if self.results < 2 {
            let band = self.first_band.as_deref().map(|b| format!(", {}", band_words(b))).unwrap_or_default();
            return format!("{} {}{band} (one result)", self.short_name, self.first_total);
        }
        let bands = match (&self.first_band, &self.last_band) {
            (Some(a), Some(b)) if a == b => format!(", {}", band_words(a)),
            (Some(a), Some(b)) => format!(", {} → {}", band_words(a), band_words(b)),
            _ => String::new(),
        };
        format!("{} {} → {}{bands}", self.short_name, self.first_total, self.last_total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::goal::{
        MSG_NO_STATEMENT, MSG_NO_TARGET_DATE, MSG_TARGET_DATE_NOT_AFTER_START, MSG_TARGET_IS_BASELINE,
    };

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    const TODAY: &str = "2026-11-23";
    const SCREENERS: &[(&str, &str)] = &[("phq9", "PHQ-9"), ("gad7", "GAD-7")];

    fn housing() -> GoalInput {
        GoalInput {
            statement: "I want my own place".into(),
            what: "nights in stable housing per month".into(),
            unit: "nights".into(),
            baseline: "0".into(),
            target: "30".into(),
            who_agreed: "client".into(),
            why_it_matters: "so the children can visit".into(),
            start: "2026-11-01".into(),
            target_date: "2027-03-01".into(),
            priority: "high".into(),
            life_domain: "housing".into(),
            ..Default::default()
        }
    }

    fn read(i: &GoalInput) -> GoalReading {
        read_goal(i, d(TODAY), SCREENERS, true, true)
    }

    fn error(r: &GoalReading, f: &str) -> Option<String> {
        r.errors.iter().find(|e| e.field == f).map(|e| e.message.clone())
    }

    #[test]
    fn refs_round_trip() {
        assert_eq!(goal_ref(3), "G-3");
        assert_eq!(parse_goal_ref("g-3"), Some(3));
        assert_eq!(parse_goal_ref("G3"), Some(3));
        assert_eq!(parse_goal_ref("C-3"), None);
        assert_eq!(step_ref(4), "ST-4");
        assert_eq!(parse_step_ref("st-4"), Some(4));
        assert_eq!(evaluation_ref(2), "EV-2");
    }

    #[test]
    fn a_good_goal_reads_clean() {
        let r = read(&housing());
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let g = r.goal.unwrap();
        assert_eq!(g.status, GoalStatus::Active);
        assert_eq!(g.draft.priority, Priority::High);
        assert_eq!(g.term(), Term::Long);
        assert_eq!(g.draft.domain.as_deref(), Some("housing"));
        assert_eq!(g.source, MeasureSource::Manual);
    }

    #[test]
    fn the_form_refuses_what_the_issue_says() {
        let mut i = housing();
        i.statement = "   ".into();
        assert_eq!(error(&read(&i), "statement").as_deref(), Some(MSG_NO_STATEMENT));
        let mut i = housing();
        i.target = "0".into();
        assert_eq!(error(&read(&i), "target").as_deref(), Some(MSG_TARGET_IS_BASELINE));
        let mut i = housing();
        i.target_date = "2026-10-01".into();
        assert_eq!(error(&read(&i), "target_date").as_deref(), Some(MSG_TARGET_DATE_NOT_AFTER_START));
        let mut i = housing();
        i.target_date = String::new();
        let r = read(&i);
        assert_eq!(error(&r, "target_date").as_deref(), Some(MSG_NO_TARGET_DATE));
        assert!(r.goal.is_none());
        // the measure's "what" is checked at its own field
        let mut i = housing();
        i.what = String::new();
        assert!(error(&read(&i), "what").is_some());
    }

    #[test]
    fn numbers_and_words_are_refused_with_field_messages() {
        for (bad, needle) in [
            ("3,5", "comma"),
            ("seven", "number"),
            ("99999999999999999999999", "too large"),
            ("", "baseline"),
        ] {
            let mut i = housing();
            i.baseline = bad.into();
            let m = error(&read(&i), "baseline").unwrap_or_default();
            assert!(m.contains(needle), "{bad}: {m}");
        }
        let mut i = housing();
        i.baseline = "-4".into();
        assert!(read(&i).errors.is_empty());
        let mut i = housing();
        i.priority = "urgent".into();
        assert!(error(&read(&i), "priority").unwrap().contains("high, medium, low"));
        let mut i = housing();
        i.life_domain = "space travel".into();
        assert!(error(&read(&i), "life_domain").is_some());
        let mut i = housing();
        i.start = "2026-02-30".into();
        assert!(error(&read(&i), "start").unwrap().contains("does not exist"));
        let mut i = housing();
        i.term = "medium".into();
        assert!(error(&read(&i), "term").is_some());
        let mut i = housing();
        i.status = "completed".into();
        assert!(error(&read(&i), "status").is_some());
    }

    #[test]
    fn warnings_never_refuse() {
        let r = read_goal(
            &GoalInput { who_agreed: String::new(), ..housing() },
            d(TODAY),
            SCREENERS,
            false,
            false,
        );
        assert!(r.goal.is_some());
        let fields: Vec<_> = r.warnings.iter().map(|w| w.field).collect();
        assert_eq!(fields, ["steps", "owner", "who_agreed"]);
        assert_eq!(r.warnings[0].message, MSG_NO_STEPS);
        let r = read_goal(&housing(), d(TODAY), SCREENERS, true, false);
        assert_eq!(r.warnings[0].message, MSG_NO_OWNER);
    }

    #[test]
    fn screener_and_milestone_measures() {
        let i = GoalInput {
            source: "PHQ-9".into(),
            what: String::new(),
            baseline: "18".into(),
            target: "9".into(),
            ..housing()
        };
        let g = read(&i).goal.unwrap();
        assert_eq!(g.source, MeasureSource::Screener { instrument: "phq9".into() });
        match g.draft.measure {
            MeasureKind::Numeric { what, .. } => assert_eq!(what, "PHQ-9 total"),
            m => panic!("{m:?}"),
        }
        let r = read(&GoalInput { source: "beck".into(), ..housing() });
        assert!(error(&r, "source").unwrap().contains("PHQ-9, GAD-7"));
        let m = GoalInput {
            measure: "milestone".into(),
            what: String::new(),
            baseline: String::new(),
            target: String::new(),
            ..housing()
        };
        let g = read(&m).goal.unwrap();
        assert_eq!(g.draft.measure, MeasureKind::Milestone);
        let r = read(&GoalInput { source: "phq9".into(), ..m });
        assert!(error(&r, "source").is_some());
    }

    #[test]
    fn smart_guide_names_every_part() {
        let r = read(&housing());
        let parts = smart_parts(&housing(), &r, d(TODAY));
        let names: Vec<_> = parts.iter().map(|p| p.name).collect();
        assert_eq!(names, ["Specific", "Measurable", "Achievable", "Relevant", "Time-bound", "Steps"]);
        assert!(parts.iter().all(|p| p.state == PartState::Done), "{parts:?}");
        assert_eq!(parts[1].text, "nights in stable housing per month: 0 → 30 nights");
        assert_eq!(parts[4].text, "2026-11-01 → 2027-03-01 (long-term)");

        let empty = GoalInput::default();
        let r = read_goal(&empty, d(TODAY), SCREENERS, false, false);
        let parts = smart_parts(&empty, &r, d(TODAY));
        assert_eq!(parts[0].state, PartState::Missing);
        assert_eq!(parts[0].text, MSG_NO_STATEMENT);
        assert_eq!(parts[1].state, PartState::Missing);
        assert_eq!(parts[2].state, PartState::Warning);
        assert_eq!(parts[4].text, MSG_NO_TARGET_DATE);
        assert_eq!(parts[5].state, PartState::Warning);
        assert_eq!(parts[5].text, format!("{MSG_NO_STEPS} {MSG_NO_OWNER}"));
        assert_eq!(PartState::Missing.mark(), "✗");
    }

    #[test]
    fn steps_progress_and_changes() {
        let today = d(TODAY);
        let s = read_step(
            &StepInput {
                text: " Call the housing office ".into(),
                owner: "family member".into(),
                due: "+3d".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(s.text, "Call the housing office");
        assert_eq!(s.owner, Some(StepOwner::FamilyMember));
        assert_eq!(s.due, Some(d("2026-11-26")));
        let e = read_step(
            &StepInput { owner: "dog".into(), done: "tomorrow".into(), ..Default::default() },
            today,
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["text", "owner", "done"]);

        let p = read_progress(
            &ProgressInput { value: "12.5".into(), note: "a\r\nb".into(), ..Default::default() },
            today,
            false,
        )
        .unwrap();
        assert_eq!((p.on, p.value, p.note.as_str()), (today, 12.5, "a\nb"));
        assert!(read_progress(&ProgressInput { value: "yes".into(), ..Default::default() }, today, false)
            .is_err());
        assert_eq!(
            read_progress(&ProgressInput { value: "yes".into(), ..Default::default() }, today, true)
                .unwrap()
                .value,
            1.0
        );
        assert_eq!(
            read_progress(&ProgressInput { value: "not yet".into(), ..Default::default() }, today, true)
                .unwrap()
                .value,
            0.0
        );
        let e = read_progress(
            &ProgressInput { value: "1".into(), on: "+1d".into(), ..Default::default() },
            today,
            false,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "on");

        let c = read_status_change(
            &ChangeInput { to: "on hold".into(), reason: "in hospital".into(), on: String::new() },
            today,
        )
        .unwrap();
        assert_eq!(c.to, GoalStatus::OnHold);
        assert!(
            read_status_change(&ChangeInput { to: "finished".into(), ..Default::default() }, today).is_err()
        );
        let a = read_achievement_change(&ChangeInput { to: "improving".into(), ..Default::default() }, today)
            .unwrap();
        assert_eq!(a.to, Achievement::Improving);
    }

    #[test]
    fn reviews_and_evaluations() {
        let today = d(TODAY);
        let r = read_review(
            &ReviewInput {
                held_on: "today".into(),
                summary: "All goals on track.".into(),
                next_review: "+12w".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!(r.held_on, Some(today));
        assert_eq!(r.next_review, d("2027-02-15"));
        let e = read_review(
            &ReviewInput { held_on: "today".into(), next_review: "today".into(), ..Default::default() },
            today,
        )
        .unwrap_err();
        assert_eq!(e[0].field, "next_review");
        let set_only =
            read_review(&ReviewInput { next_review: "2027-01-10".into(), ..Default::default() }, today)
                .unwrap();
        assert_eq!(set_only.held_on, None);
        assert!(read_review(&ReviewInput::default(), today).is_err());
        assert_eq!(next_review_after(today), d("2027-02-21"));

        let ev = read_evaluation(
            &EvaluationInput {
                outcomes: vec![(1, "partly".into()), (2, "achieved".into())],
                satisfaction: "4".into(),
                feedback: "It helped.".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(ev.outcomes, vec![(1, Outcome::Partly), (2, Outcome::Achieved)]);
        assert_eq!(ev.satisfaction, Some(4));
        assert_eq!(ev.occasion, Occasion::Review);
        for bad in ["0", "6", "four", "-1"] {
            let e = read_evaluation(
                &EvaluationInput { satisfaction: bad.into(), feedback: "x".into(), ..Default::default() },
                today,
            )
            .unwrap_err();
            assert_eq!(e[0].field, "satisfaction", "{bad}");
        }
        assert!(read_evaluation(&EvaluationInput::default(), today).is_err());
    }

    #[test]
    fn markers_and_screener_change_words() {
        let today = d(TODAY);
        assert_eq!(step_marker(Some(d("2026-11-20")), None, today), Some("OVERDUE"));
        assert_eq!(step_marker(Some(today), None, today), Some("DUE TODAY"));
        assert_eq!(step_marker(Some(d("2026-11-20")), Some(today), today), None);
        assert_eq!(step_marker(None, None, today), None);
        assert!(past_target(GoalStatus::Active, d("2026-11-22"), today));
        assert!(!past_target(GoalStatus::Completed, d("2026-11-22"), today));
        assert!(!past_target(GoalStatus::Active, today, today));

        let c = ScreenerChange {
            instrument: "phq9".into(),
            short_name: "PHQ-9".into(),
            first_on: d("2026-10-01"),
            first_total: 18,
            first_band: Some("Moderately severe".into()),
            last_on: d("2026-11-20"),
            last_total: 11,
            last_band: Some("Moderate".into()),
            results: 3,
        };
        assert_eq!(c.text(), "PHQ-9 18 → 11, moderately severe → moderate");
        let same =
            ScreenerChange { last_total: 16, last_band: Some("Moderately severe".into()), ..c.clone() };
        assert_eq!(same.text(), "PHQ-9 18 → 16, moderately severe");
        let one = ScreenerChange { results: 1, ..c };
        assert_eq!(one.text(), "PHQ-9 18, moderately severe (one result)");
        assert_eq!(number_text(30.0), "30");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(measure_span(6.0, 0.0, ""), "6 → 0");
    }

    #[test]
    fn nasty_text_is_cleaned_or_refused() {
        for nasty in [
            "\u{1b}[2J\u{1b}[H",
            "abc\u{202e}dcba",
            "Robert'); DROP TABLE clients;--",
            "王小明 さくら",
            "before\u{0}after",
        ] {
            let r = read(&GoalInput { statement: nasty.into(), why_it_matters: nasty.into(), ..housing() });
            let g = r.goal.unwrap();
            assert!(!g.draft.statement.chars().any(char::is_control), "{nasty:?}");
            assert!(!g.draft.statement.contains('\u{202e}'));
        }
        let r = read(&GoalInput { statement: "a".repeat(20_000), ..housing() });
        assert!(error(&r, "statement").unwrap().contains("Too long"));
    }
}
