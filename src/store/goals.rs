//! Goals with their steps, progress entries and the history of every change. Each save is one
//! transaction; the lifecycle is the domain's (`domain::goal::check_transition`), so a move the
//! screens never offer is refused here too. A goal measured by a screener's total takes a
//! progress entry from each new screening of that screener (see `progress_from_screening`).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Serialize, Serializer};

use super::clients::{current_episode_id, log_record_event, require_client};
use super::{day_col, now_db, Result, Store, StoreError};
use crate::domain::client::{client_ref, FieldError};
use crate::domain::dates::{format_date, moment_of_day, parse_ymd};
use crate::domain::goal::{
    check_transition, progress_percent, validate_goal, Achievement, GoalDraft, GoalStatus, MeasureKind,
    MeasureSource, Outcome, Priority, StepOwner, Term, TransitionError,
};
use crate::domain::plan::{
    goal_ref, measure_span, number_text, step_ref, AchievementChange, NewGoal, NewProgress, NewStep,
    StatusChange,
};
use crate::domain::record::RecordKind;

/// A goal as stored, with its latest progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    #[serde(skip)]
    pub episode_id: Option<i64>,
    pub statement: String,
    pub measure: MeasureKind,
    /// `manual`, or the screener whose totals are the measure (`phq9`).
    #[serde(rename = "measured_by", serialize_with = "source_text")]
    pub source: MeasureSource,
    pub who_agreed: String,
    pub why_it_matters: String,
    pub start: NaiveDate,
    pub target_date: NaiveDate,
    pub term: Term,
    pub term_overridden: bool,
    pub priority: Priority,
    pub life_domain: String,
    pub need: String,
    pub need_source: String,
    pub status: GoalStatus,
    pub achievement: Achievement,
    pub outcome: Option<Outcome>,
    /// The newest progress entry (by day), if any.
    pub latest: Option<Progress>,
    /// Progress from baseline to target of the latest entry, unclamped (see `progress_percent`).
    pub progress_percent: Option<f64>,
    pub created_at: String,
    pub updated_at: String,
}

fn source_text<S: Serializer>(s: &MeasureSource, ser: S) -> std::result::Result<S::Ok, S::Error> {
    match s {
        MeasureSource::Manual => ser.serialize_str("manual"),
        MeasureSource::Screener { instrument } => ser.serialize_str(instrument),
    }
}

impl Goal {
    pub fn is_milestone(&self) -> bool {
        self.measure == MeasureKind::Milestone
    }

    /// Baseline and target for the progress maths: a milestone goes from 0 (not yet) to 1.
    pub fn span(&self) -> (f64, f64) {
        match &self.measure {
            MeasureKind::Numeric { baseline, target, .. } => (*baseline, *target),
            MeasureKind::Milestone => (0.0, 1.0),
        }
    }

    /// "nights in stable housing per month: 0 → 30 nights", or "yes/no milestone".
    pub fn measure_text(&self) -> String {
        match &self.measure {
            MeasureKind::Numeric { what, unit, baseline, target } => {
                format!("{what}: {}", measure_span(*baseline, *target, unit))
            }
            MeasureKind::Milestone => "yes/no milestone".into(),
        }
    }

    /// A measured value in words: "12 nights", "reached", "not yet reached".
    pub fn value_text(&self, value: f64) -> String {
        match &self.measure {
            MeasureKind::Milestone => if value > 0.0 { "reached" } else { "not yet reached" }.into(),
            MeasureKind::Numeric { unit, .. } if unit.is_empty() => number_text(value),
            MeasureKind::Numeric { unit, .. } => format!("{} {unit}", number_text(value)),
        }
    }

    /// Past its target date while still open.
    pub fn past_target(&self, today: NaiveDate) -> bool {
        crate::domain::plan::past_target(self.status, self.target_date, today)
    }

    /// The domain's draft of this goal, for checks.
    pub fn draft(&self, has_steps: bool, has_owner: bool) -> GoalDraft {
        GoalDraft {
            statement: self.statement.clone(),
            measure: self.measure.clone(),
            who_agreed: self.who_agreed.clone(),
            why_it_matters: self.why_it_matters.clone(),
            start: self.start,
            target_date: Some(self.target_date),
            term: self.term_overridden.then_some(self.term),
            priority: self.priority,
            domain: (!self.life_domain.is_empty()).then(|| self.life_domain.clone()),
            need: (!self.need.is_empty()).then(|| self.need.clone()),
            has_steps,
            has_owner,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub goal_id: i64,
    pub goal: String,
    pub position: i64,
    pub text: String,
    pub owner: Option<StepOwner>,
    pub owner_name: String,
    pub due: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
}

impl Step {
    /// "Client (Ada)", "Provider", "nobody named yet".
    pub fn owner_text(&self) -> String {
        match (self.owner, self.owner_name.is_empty()) {
            (Some(o), true) => o.label().to_string(),
            (Some(o), false) => format!("{} ({})", o.label(), self.owner_name),
            (None, false) => self.owner_name.clone(),
            (None, true) => "nobody named yet".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub goal_id: i64,
    pub on: NaiveDate,
    pub value: f64,
    pub note: String,
    /// `manual` or `screening`.
    pub source: String,
    /// The screening it came from (`SC-4`).
    pub screening: Option<String>,
    pub recorded_at: String,
}

/// One line of a goal's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalChange {
    pub on: NaiveDate,
    pub recorded_at: String,
    /// `created`, `status`, `achievement` or `edited`.
    pub what: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    pub by: String,
}

impl GoalChange {
    /// "Status: Proposed → Active", "Achievement: In progress → Improving", "Created as Active".
    pub fn describe(&self) -> String {
        let label = |v: &str| match self.what.as_str() {
            "achievement" => v.parse::<Achievement>().map(|a| a.label().to_string()).unwrap_or(v.into()),
            _ => v.parse::<GoalStatus>().map(|s| s.label().to_string()).unwrap_or(v.into()),
        };
        match self.what.as_str() {
            "created" => format!("Created as {}", label(&self.to)),
            "edited" => format!("Edited: {}", self.to),
            what => {
                let name = if what == "achievement" { "Achievement" } else { "Status" };
                match &self.from {
                    Some(f) => format!("{name}: {} → {}", label(f), label(&self.to)),
                    None => format!("{name}: {}", label(&self.to)),
                }
            }
        }
    }
}

const GOAL_COLUMNS: &str = "id, client_id, episode_id, statement, measure_kind, measure_what, measure_unit, \
    baseline, target, measure_source, instrument_id, who_agreed, why_it_matters, start_on, target_on, term, \
    term_overridden, priority, life_domain, need_text, need_source, status, achievement, outcome, created_at, updated_at";

fn goal_from_row(r: &Row<'_>) -> rusqlite::Result<Goal> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let kind: String = r.get(4)?;
    let measure = if kind == "milestone" {
        MeasureKind::Milestone
    } else {
        MeasureKind::Numeric {
            what: r.get(5)?,
            unit: r.get(6)?,
            baseline: r.get::<_, Option<f64>>(7)?.unwrap_or(0.0),
            target: r.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
        }
    };
    let source = match (r.get::<_, String>(9)?.as_str(), r.get::<_, Option<String>>(10)?) {
        ("screener", Some(instrument)) => MeasureSource::Screener { instrument },
        _ => MeasureSource::Manual,
    };
    let day = |i: usize| -> rusqlite::Result<NaiveDate> {
        Ok(parse_ymd(&r.get::<_, String>(i)?).unwrap_or_default())
    };
    let word = |i: usize| -> rusqlite::Result<String> { r.get::<_, String>(i) };
    Ok(Goal {
        reference: goal_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        episode_id: r.get(2)?,
        statement: r.get(3)?,
        measure,
        source,
        who_agreed: r.get(11)?,
        why_it_matters: r.get(12)?,
        start: day(13)?,
        target_date: day(14)?,
        term: word(15)?.parse().unwrap_or(Term::Short),
        term_overridden: r.get(16)?,
        priority: word(17)?.parse().unwrap_or_default(),
        life_domain: r.get(18)?,
        need: r.get(19)?,
        need_source: r.get(20)?,
        status: word(21)?.parse().unwrap_or_default(),
        achievement: word(22)?.parse().unwrap_or_default(),
        outcome: r.get::<_, Option<String>>(23)?.and_then(|o| o.parse().ok()),
        latest: None,
        progress_percent: None,
        created_at: r.get(24)?,
        updated_at: r.get(25)?,
    })
}

const STEP_COLUMNS: &str = "id, goal_id, position, text, owner_kind, owner_name, due_on, done_on";

fn step_from_row(r: &Row<'_>) -> rusqlite::Result<Step> {
    let id: i64 = r.get(0)?;
    let goal_id: i64 = r.get(1)?;
    let day = |i: usize| day_col(r, i);
    Ok(Step {
        reference: step_ref(id),
        id,
        goal_id,
        goal: goal_ref(goal_id),
        position: r.get(2)?,
        text: r.get(3)?,
        owner: r.get::<_, Option<String>>(4)?.and_then(|o| o.parse().ok()),
        owner_name: r.get(5)?,
        due: day(6)?,
        done: day(7)?,
    })
}

const PROGRESS_COLUMNS: &str = "id, goal_id, on_day, value, note, source, screening_id, recorded_at";

fn progress_from_row(r: &Row<'_>) -> rusqlite::Result<Progress> {
    Ok(Progress {
        id: r.get(0)?,
        goal_id: r.get(1)?,
        on: parse_ymd(&r.get::<_, String>(2)?).unwrap_or_default(),
        value: r.get(3)?,
        note: r.get(4)?,
        source: r.get(5)?,
        screening: r.get::<_, Option<i64>>(6)?.map(crate::domain::assessment::screening_ref),
        recorded_at: r.get(7)?,
    })
}

/// The store's own check of a goal before it is written: the domain's SMART refusals, mapped
/// to the form's fields. Screens and the command line check first; this is the last word.
fn refuse_unsmart(draft: &GoalDraft) -> Result<()> {
    let check = validate_goal(draft);
    if check.is_ok() {
        return Ok(());
    }
    Err(StoreError::Invalid(
        check
            .errors
            .iter()
            .map(|i| FieldError {
                field: if i.field == "measure" { "what" } else { i.field },
                message: i.message.into(),
            })
            .collect(),
    ))
}

/// The goal columns that `add_goal` and `update_goal` write, in order.
fn goal_values(g: &NewGoal) -> Result<Vec<Box<dyn rusqlite::ToSql>>> {
    let d = &g.draft;
    let target = d
        .target_date
        .ok_or_else(|| StoreError::invalid("target_date", crate::domain::goal::MSG_NO_TARGET_DATE))?;
    let (kind, what, unit, baseline, target_value) = match &d.measure {
        MeasureKind::Numeric { what, unit, baseline, target } => {
            ("numeric", what.clone(), unit.clone(), Some(*baseline), Some(*target))
        }
        MeasureKind::Milestone => ("milestone", String::new(), String::new(), None, None),
    };
    let (source, instrument) = match &g.source {
        MeasureSource::Manual => ("manual", None),
        MeasureSource::Screener { instrument } => ("screener", Some(instrument.clone())),
    };
    Ok(vec![
        Box::new(d.statement.clone()),
        Box::new(kind),
        Box::new(what),
        Box::new(unit),
        Box::new(baseline),
        Box::new(target_value),
        Box::new(source),
        Box::new(instrument),
        Box::new(d.who_agreed.clone()),
        Box::new(d.why_it_matters.clone()),
        Box::new(format_date(d.start)),
        Box::new(format_date(target)),
        Box::new(g.term().as_str()),
        Box::new(d.term.is_some()),
        Box::new(d.priority.as_str()),
        Box::new(d.domain.clone().unwrap_or_default()),
        Box::new(d.need.clone().unwrap_or_default()),
        Box::new(g.need_source.clone()),
    ])
}

const WRITTEN_COLUMNS: [&str; 18] = [
    "statement",
    "measure_kind",
    "measure_what",
    "measure_unit",
    "baseline",
    "target",
    "measure_source",
    "instrument_id",
    "who_agreed",
    "why_it_matters",
    "start_on",
    "target_on",
    "term",
    "term_overridden",
    "priority",
    "life_domain",
    "need_text",
    "need_source",
];

fn insert_step(tx: &Transaction<'_>, goal_id: i64, client_id: i64, s: &NewStep, now: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO goal_steps (goal_id, client_id, position, text, owner_kind, owner_name, due_on, done_on, \
         created_at, updated_at) VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM goal_steps \
         WHERE goal_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            goal_id,
            client_id,
            s.text,
            s.owner.map(StepOwner::as_str),
            s.owner_name,
            s.due.map(format_date),
            s.done.map(format_date),
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// One line for a goal's history.
struct Change<'a> {
    on: NaiveDate,
    what: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    reason: &'a str,
    by: &'a str,
}

fn record_change(tx: &Transaction<'_>, goal_id: i64, now: &str, c: &Change<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO goal_changes (goal_id, on_day, recorded_at, what, from_value, to_value, reason, by_whom) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![goal_id, format_date(c.on), now, c.what, c.from, c.to, c.reason, c.by],
    )?;
    Ok(())
}

/// Rewrites a goal's two search rows: its own words (rowid id*16+6) and the words of its steps
/// and progress notes (id*16+7), so a search finds the goal by any of them.
pub(crate) fn reindex_goal(tx: &Connection, goal_id: i64) -> Result<()> {
    tx.execute(
        "DELETE FROM search_index WHERE rowid IN (?1, ?2)",
        params![goal_id * 16 + 6, goal_id * 16 + 7],
    )?;
    tx.execute(
        "INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at) \
         SELECT id * 16 + 6, statement || ' ' || measure_what || ' ' || who_agreed || ' ' || why_it_matters \
         || ' ' || life_domain || ' ' || need_text, 'goal', id, client_id, start_on FROM goals WHERE id = ?1",
        [goal_id],
    )?;
    tx.execute(
        "INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at) \
         SELECT g.id * 16 + 7, w.body, 'goal-notes', g.id, g.client_id, substr(g.updated_at, 1, 10) FROM goals g, \
         (SELECT group_concat(t, ' ') AS body FROM (SELECT text || ' ' || owner_name AS t FROM goal_steps \
          WHERE goal_id = ?1 UNION ALL SELECT note FROM goal_progress WHERE goal_id = ?1 AND note != '')) w \
         WHERE g.id = ?1 AND w.body IS NOT NULL",
        [goal_id],
    )?;
    Ok(())
}

fn touch(tx: &Transaction<'_>, goal_id: i64, now: &str) -> Result<()> {
    tx.execute("UPDATE goals SET updated_at = ?2 WHERE id = ?1", params![goal_id, now])?;
    Ok(())
}

/// The goal a step belongs to: (goal id, client id, goal status).
fn step_owner_goal(conn: &Connection, step_id: i64) -> Result<(i64, i64, GoalStatus)> {
    conn.query_row(
        "SELECT s.goal_id, g.client_id, g.status FROM goal_steps s JOIN goals g ON g.id = s.goal_id WHERE s.id = ?1",
        [step_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)),
    )
    .optional()?
    .map(|(g, c, s)| (g, c, s.parse().unwrap_or_default()))
    .ok_or_else(|| StoreError::NotFound(format!("There is no step {}.", step_ref(step_id))))
}

fn require_open(status: GoalStatus, what: &str) -> Result<()> {
    if status.is_open() {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "This goal is {}: {what} only on open goals (proposed, active or on hold).",
            status.label().to_lowercase()
        )))
    }
}

/// Writes a new goal with its first steps, its history's first line, its search rows and a
/// timeline line (the body of `add_goal`, also used by the demo inside its one transaction).
pub(crate) fn insert_goal(
    tx: &Transaction<'_>,
    client_id: i64,
    goal: &NewGoal,
    steps: &[NewStep],
    by: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    refuse_unsmart(&goal.draft)?;
    if !matches!(goal.status, GoalStatus::Active | GoalStatus::Proposed) {
        return Err(StoreError::invalid("status", "A new goal starts as active (agreed) or proposed."));
    }
    let values = goal_values(goal)?;
    let now_s = now_db(now);
    require_client(tx, client_id)?;
    let episode = current_episode_id(tx, client_id)?;
    let mut all: Vec<&dyn rusqlite::ToSql> = vec![&client_id, &episode];
    all.extend(values.iter().map(|b| b.as_ref()));
    let status = goal.status.as_str();
    all.push(&status);
    all.push(&now_s);
    let placeholders = (1..=all.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(",");
    tx.execute(
        &format!(
            "INSERT INTO goals (client_id, episode_id, {}, status, created_at, updated_at) \
             VALUES ({placeholders}, ?{})",
            WRITTEN_COLUMNS.join(", "),
            all.len()
        ),
        all.as_slice(),
    )?;
    let id = tx.last_insert_rowid();
    for s in steps {
        insert_step(tx, id, client_id, s, &now_s)?;
    }
    let on = now.date_naive();
    record_change(tx, id, &now_s, &Change { on, what: "created", from: None, to: status, reason: "", by })?;
    reindex_goal(tx, id)?;
    log_record_event(
        tx,
        client_id,
        &now_s,
        &now_s,
        "goal",
        &format!(
            "Goal {} added ({}): {}",
            goal_ref(id),
            goal.status.label().to_lowercase(),
            goal.draft.statement
        ),
        Some((RecordKind::Goal, id)),
    )?;
    Ok(id)
}

/// Writes a typed-in progress entry (the body of `add_progress`, also used by the demo).
pub(crate) fn insert_progress(
    tx: &Transaction<'_>,
    goal_id: i64,
    p: &NewProgress,
    now: DateTime<Utc>,
) -> Result<i64> {
    let g = load_goal(tx, goal_id)?;
    require_open(g.status, "progress is recorded")?;
    if !p.value.is_finite() {
        return Err(StoreError::invalid("value", "Enter a number."));
    }
    if g.is_milestone() && p.value != 0.0 && p.value != 1.0 {
        return Err(StoreError::invalid("value", "Say whether the milestone is reached: yes or no."));
    }
    let now_s = now_db(now);
    tx.execute(
        "INSERT INTO goal_progress (goal_id, on_day, value, note, source, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, 'manual', ?5)",
        params![goal_id, format_date(p.on), p.value, p.note, now_s],
    )?;
    let id = tx.last_insert_rowid();
    touch(tx, goal_id, &now_s)?;
    reindex_goal(tx, goal_id)?;
    log_progress(tx, &g, p.value, p.on, now, &now_s)?;
    Ok(id)
}

/// A goal read inside a transaction.
/// A goal with its latest progress and how far along it is.
pub(crate) fn with_latest_in(conn: &Connection, mut g: Goal) -> Result<Goal> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROGRESS_COLUMNS} FROM goal_progress WHERE goal_id = ?1 ORDER BY on_day DESC, id DESC LIMIT 1"
    ))?;
    g.latest = stmt.query_row([g.id], progress_from_row).optional()?;
    let (b, t) = g.span();
    g.progress_percent = g.latest.as_ref().and_then(|p| progress_percent(b, t, p.value));
    Ok(g)
}

pub(crate) fn load_goal(tx: &Connection, goal_id: i64) -> Result<Goal> {
    tx.query_row(&format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = ?1"), [goal_id], goal_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("There is no goal {}.", goal_ref(goal_id))))
}

/// The body of `set_goal_status` (also used by the demo): the lifecycle is checked against the
/// status read in the same transaction.
pub(crate) fn change_status(
    tx: &Transaction<'_>,
    goal_id: i64,
    change: &StatusChange,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let g = load_goal(tx, goal_id)?;
    check_transition(g.status, change.to, Some(&change.reason)).map_err(|e| match e {
        TransitionError::ReasonRequired(_) => StoreError::invalid("reason", e.to_string()),
        other => StoreError::Refused(other.to_string()),
    })?;
    let now_s = now_db(now);
    tx.execute(
        "UPDATE goals SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![goal_id, change.to.as_str(), now_s],
    )?;
    record_change(
        tx,
        goal_id,
        &now_s,
        &Change {
            on: change.on,
            what: "status",
            from: Some(g.status.as_str()),
            to: change.to.as_str(),
            reason: &change.reason,
            by,
        },
    )?;
    let why = if change.reason.is_empty() { String::new() } else { format!(" ({})", change.reason) };
    log_record_event(
        tx,
        g.client_id,
        &moment_of_day(change.on, now),
        &now_s,
        "goal",
        &format!(
            "Goal {} {} → {}{why}",
            g.reference,
            g.status.label().to_lowercase(),
            change.to.label().to_lowercase()
        ),
        Some((RecordKind::Goal, goal_id)),
    )
}

/// The body of `set_achievement` (also used by the demo).
pub(crate) fn change_achievement(
    tx: &Transaction<'_>,
    goal_id: i64,
    change: &AchievementChange,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let g = load_goal(tx, goal_id)?;
    if g.status == GoalStatus::EnteredInError {
        return Err(StoreError::Refused(
            "This goal was entered in error; it is kept only as a record.".into(),
        ));
    }
    if g.achievement == change.to {
        return Err(StoreError::Refused(format!("The achievement is already \"{}\".", change.to.label())));
    }
    let now_s = now_db(now);
    tx.execute(
        "UPDATE goals SET achievement = ?2, updated_at = ?3 WHERE id = ?1",
        params![goal_id, change.to.as_str(), now_s],
    )?;
    record_change(
        tx,
        goal_id,
        &now_s,
        &Change {
            on: change.on,
            what: "achievement",
            from: Some(g.achievement.as_str()),
            to: change.to.as_str(),
            reason: &change.reason,
            by,
        },
    )?;
    log_record_event(
        tx,
        g.client_id,
        &moment_of_day(change.on, now),
        &now_s,
        "goal",
        &format!("Goal {}: {}", g.reference, change.to.label().to_lowercase()),
        Some((RecordKind::Goal, goal_id)),
    )
}

impl Store {
    /// Saves a new goal with its first steps. The status is where it starts: active (agreed)
    /// or proposed.
    pub fn add_goal(
        &mut self,
        client_id: i64,
        goal: &NewGoal,
        steps: &[NewStep],
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| insert_goal(tx, client_id, goal, steps, by, now))
    }

    /// Saves changes to a goal's SMART parts (status and achievement change through their own
    /// calls). Closed goals stay as they were.
    pub fn update_goal(&mut self, id: i64, goal: &NewGoal, by: &str, now: DateTime<Utc>) -> Result<()> {
        let old = self.goal(id)?;
        require_open(old.status, "editing is possible")?;
        refuse_unsmart(&goal.draft)?;
        let values = goal_values(goal)?;
        let now_s = now_db(now);
        let mut changed = Vec::new();
        let mut note = |name: &'static str, same: bool| {
            if !same {
                changed.push(name);
            }
        };
        note("statement", old.statement == goal.draft.statement);
        note("measure", old.measure == goal.draft.measure && old.source == goal.source);
        note(
            "agreement",
            old.who_agreed == goal.draft.who_agreed && old.why_it_matters == goal.draft.why_it_matters,
        );
        note(
            "dates",
            old.start == goal.draft.start
                && Some(old.target_date) == goal.draft.target_date
                && old.term == goal.term()
                && old.term_overridden == goal.draft.term.is_some(),
        );
        note("priority", old.priority == goal.draft.priority);
        note(
            "need",
            old.life_domain == goal.draft.domain.clone().unwrap_or_default()
                && old.need == goal.draft.need.clone().unwrap_or_default(),
        );
        self.write(|tx| {
            let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
            all.extend(values.iter().map(|b| b.as_ref()));
            all.push(&now_s);
            let sets: Vec<String> =
                WRITTEN_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
            tx.execute(
                &format!("UPDATE goals SET {}, updated_at = ?{} WHERE id = ?1", sets.join(", "), all.len()),
                all.as_slice(),
            )?;
            if !changed.is_empty() {
                let what = changed.join(", ");
                let on = now.date_naive();
                record_change(
                    tx,
                    id,
                    &now_s,
                    &Change { on, what: "edited", from: None, to: &what, reason: "", by },
                )?;
                log_record_event(
                    tx,
                    old.client_id,
                    &now_s,
                    &now_s,
                    "goal",
                    &format!("Goal {} edited: {what}", goal_ref(id)),
                    Some((RecordKind::Goal, id)),
                )?;
            }
            reindex_goal(tx, id)?;
            Ok(())
        })
    }

    /// One goal with its latest progress.
    pub fn goal(&self, id: i64) -> Result<Goal> {
        let g = self
            .conn
            .query_row(&format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = ?1"), [id], goal_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no goal {}.", goal_ref(id))))?;
        self.with_latest(g)
    }

    fn with_latest(&self, g: Goal) -> Result<Goal> {
        with_latest_in(&self.conn, g)
    }

    /// A client's goals: open ones first (active, on hold, proposed), by priority and target
    /// date; closed ones (completed, cancelled, entered in error) only when asked.
    pub fn goals(&self, client_id: i64, include_closed: bool) -> Result<Vec<Goal>> {
        let filter = if include_closed { "" } else { "AND status IN ('proposed', 'active', 'on-hold')" };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {GOAL_COLUMNS} FROM goals WHERE client_id = ?1 {filter} ORDER BY \
             CASE status WHEN 'active' THEN 0 WHEN 'on-hold' THEN 1 WHEN 'proposed' THEN 2 WHEN 'completed' THEN 3 \
             WHEN 'cancelled' THEN 4 ELSE 5 END, \
             CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, target_on, id"
        ))?;
        let rows: Vec<Goal> = stmt.query_map([client_id], goal_from_row)?.collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(|g| self.with_latest(g)).collect()
    }

    /// A goal's steps in their order.
    pub fn steps(&self, goal_id: i64) -> Result<Vec<Step>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {STEP_COLUMNS} FROM goal_steps WHERE goal_id = ?1 ORDER BY position, id"
        ))?;
        let rows = stmt.query_map([goal_id], step_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn step(&self, step_id: i64) -> Result<Step> {
        self.conn
            .query_row(
                &format!("SELECT {STEP_COLUMNS} FROM goal_steps WHERE id = ?1"),
                [step_id],
                step_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no step {}.", step_ref(step_id))))
    }

    /// A goal's progress entries, newest first.
    pub fn progress(&self, goal_id: i64) -> Result<Vec<Progress>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PROGRESS_COLUMNS} FROM goal_progress WHERE goal_id = ?1 ORDER BY on_day DESC, id DESC"
        ))?;
        let rows = stmt.query_map([goal_id], progress_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A goal's history, newest first.
    pub fn goal_history(&self, goal_id: i64) -> Result<Vec<GoalChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT on_day, recorded_at, what, from_value, to_value, reason, by_whom FROM goal_changes \
             WHERE goal_id = ?1 ORDER BY recorded_at DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([goal_id], |r| {
                Ok(GoalChange {
                    on: parse_ymd(&r.get::<_, String>(0)?).unwrap_or_default(),
                    recorded_at: r.get(1)?,
                    what: r.get(2)?,
                    from: r.get(3)?,
                    to: r.get(4)?,
                    reason: r.get(5)?,
                    by: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Moves a goal along its lifecycle. A move the lifecycle does not allow, or one without a
    /// reason where it needs one, is refused and nothing changes.
    pub fn set_goal_status(
        &mut self,
        goal_id: i64,
        change: &StatusChange,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| change_status(tx, goal_id, change, by, now))
    }

    /// Records how the goal is going (set at review).
    pub fn set_achievement(
        &mut self,
        goal_id: i64,
        change: &AchievementChange,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| change_achievement(tx, goal_id, change, by, now))
    }

    /// Adds a step at the end of a goal's list.
    pub fn add_step(&mut self, goal_id: i64, step: &NewStep, now: DateTime<Utc>) -> Result<i64> {
        let g = self.goal(goal_id)?;
        require_open(g.status, "steps are added")?;
        let now_s = now_db(now);
        self.write(|tx| {
            let id = insert_step(tx, goal_id, g.client_id, step, &now_s)?;
            touch(tx, goal_id, &now_s)?;
            reindex_goal(tx, goal_id)?;
            log_record_event(
                tx,
                g.client_id,
                &now_s,
                &now_s,
                "goal",
                &format!("Step added to goal {}: {}", g.reference, step.text),
                Some((RecordKind::Goal, goal_id)),
            )?;
            Ok(id)
        })
    }

    /// Saves changes to a step (its place in the list is kept).
    pub fn update_step(&mut self, step_id: i64, step: &NewStep, now: DateTime<Utc>) -> Result<()> {
        let (goal_id, _, status) = step_owner_goal(&self.conn, step_id)?;
        require_open(status, "steps are changed")?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE goal_steps SET text = ?2, owner_kind = ?3, owner_name = ?4, due_on = ?5, done_on = ?6, \
                 updated_at = ?7 WHERE id = ?1",
                params![
                    step_id,
                    step.text,
                    step.owner.map(StepOwner::as_str),
                    step.owner_name,
                    step.due.map(format_date),
                    step.done.map(format_date),
                    now_s
                ],
            )?;
            touch(tx, goal_id, &now_s)?;
            reindex_goal(tx, goal_id)
        })
    }

    /// Ticks a step done on `done` (or not done with None).
    pub fn set_step_done(&mut self, step_id: i64, done: Option<NaiveDate>, now: DateTime<Utc>) -> Result<()> {
        let (goal_id, client_id, status) = step_owner_goal(&self.conn, step_id)?;
        require_open(status, "steps are ticked off")?;
        if done.is_some_and(|d| d > now.date_naive().succ_opt().unwrap_or(d)) {
            return Err(StoreError::invalid("done", "That date is in the future."));
        }
        let step = self.step(step_id)?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE goal_steps SET done_on = ?2, updated_at = ?3 WHERE id = ?1",
                params![step_id, done.map(format_date), now_s],
            )?;
            touch(tx, goal_id, &now_s)?;
            let summary = match done {
                Some(_) => format!("Step done on goal {}: {}", goal_ref(goal_id), step.text),
                None => format!("Step reopened on goal {}: {}", goal_ref(goal_id), step.text),
            };
            let at = done.map(|d| moment_of_day(d, now)).unwrap_or_else(|| now_s.clone());
            log_record_event(tx, client_id, &at, &now_s, "goal", &summary, Some((RecordKind::Goal, goal_id)))
        })
    }

    /// Moves a step one place up (`-1`) or down (`1`) in its goal's list; at either end nothing
    /// moves.
    pub fn move_step(&mut self, step_id: i64, delta: i32, now: DateTime<Utc>) -> Result<()> {
        let (goal_id, _, status) = step_owner_goal(&self.conn, step_id)?;
        require_open(status, "steps are reordered")?;
        let steps = self.steps(goal_id)?;
        let Some(i) = steps.iter().position(|s| s.id == step_id) else { return Ok(()) };
        let j = i as i64 + i64::from(delta.signum());
        if j < 0 || j as usize >= steps.len() {
            return Ok(());
        }
        let other = &steps[j as usize];
        let now_s = now_db(now);
        self.write(|tx| {
            // positions are rewritten 1..n so that equal or missing positions sort out too
            for (k, s) in steps.iter().enumerate() {
                let pos = if k == i {
                    j + 1
                } else if s.id == other.id {
                    i as i64 + 1
                } else {
                    k as i64 + 1
                };
                tx.execute("UPDATE goal_steps SET position = ?2 WHERE id = ?1", params![s.id, pos])?;
            }
            touch(tx, goal_id, &now_s)
        })
    }

    /// Records a measured value. A milestone takes 1 (reached) or 0 (not yet).
    pub fn add_progress(&mut self, goal_id: i64, p: &NewProgress, now: DateTime<Utc>) -> Result<i64> {
        self.write(|tx| insert_progress(tx, goal_id, p, now))
    }
}

fn log_progress(
    tx: &Transaction<'_>,
    g: &Goal,
    value: f64,
    on: NaiveDate,
    now: DateTime<Utc>,
    now_s: &str,
) -> Result<()> {
    let (b, t) = g.span();
    let pct = progress_percent(b, t, value).map(|p| format!(" ({} %)", p.round() as i64)).unwrap_or_default();
    log_record_event(
        tx,
        g.client_id,
        &moment_of_day(on, now),
        now_s,
        "goal-progress",
        &format!("Progress on goal {}: {}{pct}", g.reference, g.value_text(value)),
        Some((RecordKind::Goal, g.id)),
    )
}

/// Called inside the transaction that saves a screening: each open goal of the client measured
/// by this screener's total gets a progress entry with that total. Returns how many.
pub(crate) fn progress_from_screening(
    tx: &Transaction<'_>,
    client_id: i64,
    instrument_id: &str,
    screening_id: i64,
    on: NaiveDate,
    total: Option<i32>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let Some(total) = total else { return Ok(0) };
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id FROM goals INDEXED BY goals_by_screener WHERE client_id = ?1 AND instrument_id = ?2 \
             AND measure_source = 'screener' AND status IN ('proposed', 'active', 'on-hold')",
        )?;
        let rows = stmt.query_map(params![client_id, instrument_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let now_s = now_db(now);
    for id in &ids {
        tx.execute(
            "INSERT INTO goal_progress (goal_id, on_day, value, note, source, screening_id, recorded_at) \
             VALUES (?1, ?2, ?3, '', 'screening', ?4, ?5)",
            params![id, format_date(on), f64::from(total), screening_id, now_s],
        )?;
        touch(tx, *id, &now_s)?;
        let g =
            tx.query_row(&format!("SELECT {GOAL_COLUMNS} FROM goals WHERE id = ?1"), [id], goal_from_row)?;
        log_progress(tx, &g, f64::from(total), on, now, &now_s)?;
    }
    Ok(ids.len())
}

/// A screening marked entered in error no longer counts as progress.
pub(crate) fn forget_screening_progress(tx: &Transaction<'_>, screening_id: i64) -> Result<()> {
    tx.execute("DELETE FROM goal_progress WHERE screening_id = ?1", [screening_id])?;
    Ok(())
}
