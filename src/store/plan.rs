//! The case plan as a whole: its reviews (the next one is what Today reminds of), evaluations
//! (per-goal outcome, screener change over the episode, the client's feedback), the plan as one
//! overview for the screen and the export, and the plan's Today rules.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::clients::{current_episode_id, log_record_event, require_client};
use super::goals::{Goal, Step};
use super::{now_db, Result, Store, StoreError};
use crate::domain::client::{client_ref, Client};
use crate::domain::dates::{format_date, moment_of_day, parse_ymd};
use crate::domain::due::{dated_item, due_phrase, DueContext, DueItem, Target};
use crate::domain::goal::Outcome;
use crate::domain::instruments::Instrument;
use crate::domain::plan::{evaluation_ref, goal_ref, NewEvaluation, NewReview, Occasion, ScreenerChange};
use crate::domain::record::RecordKind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReview {
    #[serde(skip)]
    pub id: i64,
    pub due_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub summary: String,
    pub by: String,
}

/// One goal's outcome in an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalOutcome {
    #[serde(rename = "goal")]
    pub goal_ref: String,
    #[serde(skip)]
    pub goal_id: i64,
    pub statement: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub on: NaiveDate,
    pub occasion: Occasion,
    pub outcomes: Vec<GoalOutcome>,
    /// The screener change over the episode, as it stood when the evaluation was made.
    pub screener_changes: Vec<ScreenerChange>,
    pub satisfaction: Option<u8>,
    pub feedback: String,
    pub helped: String,
    pub by: String,
    pub created_at: DateTime<Utc>,
}

/// Everything the plan screen and the export show.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOverview {
    pub client: Client,
    pub goals: Vec<(Goal, Vec<Step>)>,
    pub next_review: Option<PlanReview>,
    pub last_review: Option<PlanReview>,
    pub latest_evaluation: Option<Evaluation>,
}

fn review_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PlanReview> {
    Ok(PlanReview {
        id: r.get(0)?,
        due_on: parse_ymd(&r.get::<_, String>(1)?).unwrap_or_default(),
        held_on: r.get::<_, Option<String>>(2)?.as_deref().and_then(parse_ymd),
        summary: r.get(3)?,
        by: r.get(4)?,
    })
}

impl Store {
    /// The plan of a client: open goals (all goals with `include_closed`) with their steps,
    /// the next and last review, and the latest evaluation.
    pub fn plan(&self, client_id: i64, include_closed: bool) -> Result<PlanOverview> {
        let client = self.client(client_id)?;
        let mut goals = Vec::new();
        for g in self.goals(client_id, include_closed)? {
            let steps = self.steps(g.id)?;
            goals.push((g, steps));
        }
        Ok(PlanOverview {
            client,
            goals,
            next_review: self.next_review(client_id)?,
            last_review: self.reviews(client_id)?.into_iter().next(),
            latest_evaluation: self.evaluations(client_id)?.into_iter().next(),
        })
    }

    /// The review not yet held, if one is set.
    pub fn next_review(&self, client_id: i64) -> Result<Option<PlanReview>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, due_on, held_on, summary, by_whom FROM plan_reviews WHERE client_id = ?1 AND held_on IS NULL",
                [client_id],
                review_from_row,
            )
            .optional()?)
    }

    /// Reviews held, newest first.
    pub fn reviews(&self, client_id: i64) -> Result<Vec<PlanReview>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, due_on, held_on, summary, by_whom FROM plan_reviews WHERE client_id = ?1 \
             AND held_on IS NOT NULL ORDER BY held_on DESC, id DESC",
        )?;
        let rows = stmt.query_map([client_id], review_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a review held (when `held_on` is given) and sets the date of the next one.
    pub fn record_review(
        &mut self,
        client_id: i64,
        r: &NewReview,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| insert_review(tx, client_id, r, by, now))
    }

    /// The first day of the client's current episode of service.
    pub fn episode_start(&self, client_id: i64) -> Result<NaiveDate> {
        let day: Option<String> = self
            .conn
            .query_row(
                "SELECT opened_on FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1",
                [client_id],
                |r| r.get(0),
            )
            .optional()?;
        match day.as_deref().and_then(parse_ymd) {
            Some(d) => Ok(d),
            None => Ok(self.client(client_id)?.intake_date),
        }
    }

    /// How each screener with totals changed since `since`: first and last result (results
    /// entered in error left out), for the evaluation.
    pub fn screener_changes(
        &self,
        client_id: i64,
        since: NaiveDate,
        instruments: &[Instrument],
    ) -> Result<Vec<ScreenerChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT instrument_id FROM screenings WHERE client_id = ?1 AND total IS NOT NULL \
             AND error_at IS NULL AND administered_on >= ?2 ORDER BY instrument_id",
        )?;
        let ids: Vec<String> = stmt
            .query_map(params![client_id, format_date(since)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let points: Vec<_> = self.trend(client_id, &id)?.into_iter().filter(|p| p.on >= since).collect();
            let (Some(first), Some(last)) = (points.first(), points.last()) else { continue };
            let short = crate::domain::instruments::find(instruments, &id)
                .map(|i| i.short_name.clone())
                .unwrap_or_else(|| id.clone());
            out.push(ScreenerChange {
                instrument: id.clone(),
                short_name: short,
                first_on: first.on,
                first_total: first.total,
                first_band: first.band.clone(),
                last_on: last.on,
                last_total: last.total,
                last_band: last.band.clone(),
                results: points.len(),
            });
        }
        Ok(out)
    }

    /// Saves an evaluation: each goal's outcome (kept on the goal too), the screener change over
    /// the current episode as it stands now, and the client's feedback.
    pub fn add_evaluation(
        &mut self,
        client_id: i64,
        e: &NewEvaluation,
        instruments: &[Instrument],
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let since = self.episode_start(client_id)?;
        let changes = self.screener_changes(client_id, since, instruments)?;
        let changes_json = serde_json::to_string(&changes).map_err(|e| StoreError::Refused(e.to_string()))?;
        let now_s = now_db(now);
        self.write(|tx| {
            require_client(tx, client_id)?;
            for (goal, _) in &e.outcomes {
                let owner: Option<i64> =
                    tx.query_row("SELECT client_id FROM goals WHERE id = ?1", [goal], |r| r.get(0)).optional()?;
                if owner != Some(client_id) {
                    return Err(StoreError::Refused(format!("Goal {} is not one of this client's.", goal_ref(*goal))));
                }
            }
            let episode = current_episode_id(tx, client_id)?;
            tx.execute(
                "INSERT INTO evaluations (client_id, episode_id, evaluated_on, occasion, satisfaction, feedback, helped, \
                 screener_changes, by_whom, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    client_id,
                    episode,
                    format_date(e.on),
                    e.occasion.as_str(),
                    e.satisfaction,
                    e.feedback,
                    e.helped,
                    changes_json,
                    by,
                    now_s
                ],
            )?;
            let id = tx.last_insert_rowid();
            for (goal, outcome) in &e.outcomes {
                tx.execute(
                    "INSERT INTO evaluation_outcomes (evaluation_id, goal_id, outcome) VALUES (?1, ?2, ?3)",
                    params![id, goal, outcome.as_str()],
                )?;
                tx.execute(
                    "UPDATE goals SET outcome = ?2, updated_at = ?3 WHERE id = ?1",
                    params![goal, outcome.as_str(), now_s],
                )?;
            }
            reindex_evaluation(tx, id)?;
            let achieved = e.outcomes.iter().filter(|(_, o)| *o == Outcome::Achieved).count();
            log_record_event(
                tx,
                client_id,
                &moment_of_day(e.on, now),
                &now_s,
                "evaluation",
                &format!(
                    "Evaluation {} {}: {achieved} of {} achieved{}",
                    evaluation_ref(id),
                    e.occasion.label(),
                    crate::domain::words::count(e.outcomes.len(), "goal", "goals"),
                    e.satisfaction.map(|s| format!(", satisfaction {s} of 5")).unwrap_or_default()
                ),
                Some((RecordKind::Evaluation, id)),
            )?;
            Ok(id)
        })
    }

    pub fn evaluation(&self, id: i64) -> Result<Evaluation> {
        let row = self
            .conn
            .query_row(
                "SELECT id, client_id, evaluated_on, occasion, satisfaction, feedback, helped, screener_changes, by_whom, \
                 created_at FROM evaluations WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<u8>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        crate::store::moment_col(r, 9)?.unwrap_or_default(),
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no evaluation {}.", evaluation_ref(id))))?;
        let (client_id, on, occasion, satisfaction, feedback, helped, changes, by, created_at) = row;
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.goal_id, g.statement, o.outcome FROM evaluation_outcomes o JOIN goals g ON g.id = o.goal_id \
             WHERE o.evaluation_id = ?1 ORDER BY o.goal_id",
        )?;
        let outcomes = stmt
            .query_map([id], |r| {
                let goal_id: i64 = r.get(0)?;
                Ok(GoalOutcome {
                    goal_ref: goal_ref(goal_id),
                    goal_id,
                    statement: r.get(1)?,
                    outcome: r.get::<_, String>(2)?.parse().unwrap_or(Outcome::NotAchieved),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Evaluation {
            reference: evaluation_ref(id),
            id,
            client_id,
            client: client_ref(client_id),
            on: parse_ymd(&on).unwrap_or_default(),
            occasion: Occasion::parse(&occasion).unwrap_or(Occasion::Review),
            outcomes,
            // a snapshot that cannot be read shows as no change rather than failing the screen
            screener_changes: serde_json::from_str(&changes).unwrap_or_default(),
            satisfaction,
            feedback,
            helped,
            by,
            created_at,
        })
    }

    /// A client's evaluations, newest first.
    pub fn evaluations(&self, client_id: i64) -> Result<Vec<Evaluation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM evaluations WHERE client_id = ?1 ORDER BY evaluated_on DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt.query_map([client_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.evaluation(id)).collect()
    }
}

/// Writes a review (the body of `record_review`, also used by the demo).
/// An evaluation's feedback is searchable with the rest of the file (rowid = id * 16 + 13).
pub(crate) fn reindex_evaluation(conn: &rusqlite::Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM search_index WHERE rowid = ?1", [id * 16 + 13])?;
    conn.execute(
        "INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at) \
         SELECT id * 16 + 13, feedback || ' ' || helped, 'evaluation', id, client_id, evaluated_on \
         FROM evaluations WHERE id = ?1 AND trim(feedback || ' ' || helped) != ''",
        [id],
    )?;
    Ok(())
}

pub(crate) fn insert_review(
    tx: &rusqlite::Transaction<'_>,
    client_id: i64,
    r: &NewReview,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let now_s = now_db(now);
    require_client(tx, client_id)?;
    let episode = current_episode_id(tx, client_id)?;
    let open: Option<i64> = tx
        .query_row("SELECT id FROM plan_reviews WHERE client_id = ?1 AND held_on IS NULL", [client_id], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(held) = r.held_on {
        match open {
                Some(id) => tx.execute(
                    "UPDATE plan_reviews SET held_on = ?2, summary = ?3, by_whom = ?4, updated_at = ?5 WHERE id = ?1",
                    params![id, format_date(held), r.summary, by, now_s],
                )?,
                None => tx.execute(
                    "INSERT INTO plan_reviews (client_id, episode_id, due_on, held_on, summary, by_whom, created_at, \
                     updated_at) VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?6)",
                    params![client_id, episode, format_date(held), r.summary, by, now_s],
                )?,
            };
        log_record_event(
            tx,
            client_id,
            &moment_of_day(held, now),
            &now_s,
            "plan-review",
            &format!(
                "Plan reviewed{}",
                if r.summary.is_empty() { String::new() } else { format!(": {}", r.summary) }
            ),
            Some((RecordKind::Plan, client_id)),
        )?;
        tx.execute(
                "INSERT INTO plan_reviews (client_id, episode_id, due_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![client_id, episode, format_date(r.next_review), now_s],
            )?;
    } else {
        match open {
                Some(id) => tx.execute(
                    "UPDATE plan_reviews SET due_on = ?2, updated_at = ?3 WHERE id = ?1",
                    params![id, format_date(r.next_review), now_s],
                )?,
                None => tx.execute(
                    "INSERT INTO plan_reviews (client_id, episode_id, due_on, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![client_id, episode, format_date(r.next_review), now_s],
                )?,
            };
    }
    log_record_event(
        tx,
        client_id,
        &now_s,
        &now_s,
        "plan-review",
        &format!("Next plan review set for {}", format_date(r.next_review)),
        Some((RecordKind::Plan, client_id)),
    )
}

/// Today's due steps (horizon, limit); a test checks it reads its partial index.
pub const DUE_GOAL_STEPS_SQL: &str =
    "SELECT s.goal_id, s.client_id, s.due_on, s.text, c.given_name, c.family_name \
    FROM goal_steps s INDEXED BY goal_steps_open_due CROSS JOIN goals g ON g.id = s.goal_id \
    CROSS JOIN clients c ON c.id = s.client_id \
    WHERE s.done_on IS NULL AND s.due_on IS NOT NULL AND s.due_on <= ?1 \
    AND g.status IN ('proposed', 'active') AND c.status = 'open' ORDER BY s.due_on LIMIT ?2";

/// Today: steps of active and proposed goals not done by their due date, or due soon.
pub(crate) fn due_goal_steps(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let mut stmt =
        store.conn.prepare_cached(&crate::store::due::bounded_dated(DUE_GOAL_STEPS_SQL, "s.due_on", ctx))?;
    let rows = stmt.query_map(params![format_date(ctx.horizon()), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (goal_id, client_id, due, text, given, family) = row?;
        let target = Target::Goal(goal_ref(goal_id));
        out.extend(dated_item(
            ctx,
            "goal-step",
            (client_id, given, family),
            &due,
            Some(goal_id),
            target,
            |due| format!("Step of goal {} {}: {text}", goal_ref(goal_id), due_phrase(due, ctx.today)),
        ));
    }
    Ok(out)
}

/// Today's goals past their target date (horizon, limit); a test checks it reads its partial index.
pub const DUE_GOALS_PAST_TARGET_SQL: &str =
    "SELECT g.id, g.client_id, g.target_on, g.statement, c.given_name, c.family_name \
    FROM goals g INDEXED BY goals_open_by_target CROSS JOIN clients c ON c.id = g.client_id \
    WHERE g.status IN ('proposed', 'active', 'on-hold') AND g.target_on <= ?1 AND c.status = 'open' \
    ORDER BY g.target_on LIMIT ?2";

/// Today: open goals past their target date (and those reaching it soon).
pub(crate) fn due_goals_past_target(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let mut stmt = store.conn.prepare_cached(&crate::store::due::bounded_dated(
        DUE_GOALS_PAST_TARGET_SQL,
        "g.target_on",
        ctx,
    ))?;
    let rows = stmt.query_map(params![format_date(ctx.horizon()), limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, client_id, target_on, statement, given, family) = row?;
        let target = Target::Goal(goal_ref(id));
        out.extend(dated_item(
            ctx,
            "goal-target",
            (client_id, given, family),
            &target_on,
            Some(id),
            target,
            |on| {
                let when = if on < ctx.today {
                    format!("is past its target date ({})", format_date(on))
                } else {
                    format!("reaches its target date {}", due_phrase(on, ctx.today).replace("due ", ""))
                };
                format!("Goal {} {when}: {statement}", goal_ref(id))
            },
        ));
    }
    Ok(out)
}

/// Today's plan reviews (horizon, limit); a test checks it reads its partial index.
pub const DUE_PLAN_REVIEWS_SQL: &str =
    "SELECT r.client_id, r.due_on, c.given_name, c.family_name FROM plan_reviews r INDEXED BY plan_reviews_due \
    CROSS JOIN clients c ON c.id = r.client_id \
    WHERE r.held_on IS NULL AND r.due_on <= ?1 AND c.status = 'open' ORDER BY r.due_on LIMIT ?2";

/// Today: plan reviews due soon or overdue.
pub(crate) fn due_plan_reviews(store: &Store, ctx: &DueContext<'_>, limit: i64) -> Result<Vec<DueItem>> {
    let mut stmt = store.conn.prepare_cached(&crate::store::due::bounded_dated(
        DUE_PLAN_REVIEWS_SQL,
        "r.due_on",
        ctx,
    ))?;
    let rows = stmt.query_map(params![format_date(ctx.horizon()), limit], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (client_id, due, given, family) = row?;
        let target = Target::Plan(client_ref(client_id));
        out.extend(dated_item(ctx, "plan-review", (client_id, given, family), &due, None, target, |due| {
            format!("Plan review {}", due_phrase(due, ctx.today))
        }));
    }
    Ok(out)
}
