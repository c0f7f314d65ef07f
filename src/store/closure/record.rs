//! A closure as stored and read back, and the latest episode and status of a client that
//! closing, reopening and destroying check first.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::domain::client::client_ref;
use crate::domain::closure::{can_undo, closure_ref, ClosureReason, Disposition};
use crate::domain::dates::{local_offset_secs, parse_ymd};
use crate::store::{day_col, moment_col, Result, Store, StoreError};

/// A closure of an episode, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closure {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    #[serde(skip)]
    pub episode_id: i64,
    pub episode: i64,
    pub reason: ClosureReason,
    pub reason_note: String,
    pub closed_on: NaiveDate,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_plan: String,
    pub follow_up_done_on: Option<NaiveDate>,
    pub summary: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub recorded_at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_reason: String,
    pub undone_by: String,
}

impl Closure {
    pub fn in_force(&self) -> bool {
        self.undone_at.is_none()
    }
    /// "Goals met" or "Other: moved in with family".
    pub fn reason_text(&self) -> String {
        if self.reason_note.is_empty() {
            self.reason.label().to_string()
        } else {
            format!("{}: {}", self.reason.label(), self.reason_note)
        }
    }
}

/// What closing did with one open item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosureItem {
    pub kind: String,
    pub record_id: i64,
    pub label: String,
    pub action: Disposition,
    pub reason: String,
    pub undone: bool,
}

const CLOSURE_COLUMNS: &str = "cl.id, cl.client_id, cl.episode_id, e.number, cl.reason, cl.reason_note, cl.closed_on, \
    cl.follow_up_on, cl.follow_up_plan, cl.follow_up_done_on, cl.summary, cl.signed_by, cl.signed_at, cl.recorded_at, \
    cl.undone_at, cl.undone_reason, cl.undone_by";

fn closure_from_row(r: &Row<'_>) -> rusqlite::Result<Closure> {
    let id: i64 = r.get(0)?;
    let day = |i: usize| day_col(r, i);
    Ok(Closure {
        reference: closure_ref(id),
        id,
        client_id: r.get(1)?,
        episode_id: r.get(2)?,
        episode: r.get(3)?,
        reason: ClosureReason::parse(&r.get::<_, String>(4)?).unwrap_or(ClosureReason::Other),
        reason_note: r.get(5)?,
        closed_on: day(6)?.unwrap_or_default(),
        follow_up_on: day(7)?,
        follow_up_plan: r.get(8)?,
        follow_up_done_on: day(9)?,
        summary: r.get(10)?,
        signed_by: r.get(11)?,
        signed_at: moment_col(r, 12)?,
        recorded_at: moment_col(r, 13)?.unwrap_or_default(),
        undone_at: moment_col(r, 14)?,
        undone_reason: r.get(15)?,
        undone_by: r.get(16)?,
    })
}

pub(super) fn day_opt(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(parse_ymd)
}

/// (episode id, number, opened on, closed on) of the client's latest episode.
pub(super) fn latest_episode(
    conn: &Connection,
    client_id: i64,
) -> Result<(i64, i64, NaiveDate, Option<NaiveDate>)> {
    conn.query_row(
        "SELECT id, number, opened_on, closed_on FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?)),
    )
    .optional()?
    .map(|(id, n, opened, closed)| (id, n, parse_ymd(&opened).unwrap_or_default(), day_opt(closed)))
    .ok_or_else(|| StoreError::NotFound(format!("Client {} has no episode of service.", client_ref(client_id))))
}

/// The closure in force of the client's latest episode, if it is closed.
pub(super) fn closure_in_force(conn: &Connection, client_id: i64) -> Result<Option<Closure>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id \
                 WHERE cl.client_id = ?1 AND cl.undone_at IS NULL ORDER BY e.number DESC, cl.id DESC LIMIT 1"
            ),
            [client_id],
            closure_from_row,
        )
        .optional()?
        .filter(|c| latest_episode(conn, client_id).map(|e| e.0 == c.episode_id).unwrap_or(false)))
}

pub(super) fn client_status(conn: &Connection, client_id: i64) -> Result<String> {
    conn.query_row("SELECT status FROM clients WHERE id = ?1", [client_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("There is no client {}.", client_ref(client_id))))
}

impl Store {
    /// The closure of the client's current episode, if the case is closed.
    pub fn current_closure(&self, client_id: i64) -> Result<Option<Closure>> {
        closure_in_force(&self.conn, client_id)
    }

    /// True when the case was closed today and the closure may still be undone.
    pub fn closure_undoable(&self, client_id: i64, now: DateTime<Utc>) -> Result<bool> {
        Ok(self
            .current_closure(client_id)?
            .is_some_and(|c| can_undo(c.recorded_at, now, local_offset_secs(now))))
    }

    /// All closures of a client (undone ones too), oldest first.
    pub fn closures(&self, client_id: i64) -> Result<Vec<Closure>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id \
             WHERE cl.client_id = ?1 ORDER BY e.number, cl.id"
        ))?;
        let rows = stmt.query_map([client_id], closure_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn closure(&self, id: i64) -> Result<Closure> {
        self.conn
            .query_row(
                &format!("SELECT {CLOSURE_COLUMNS} FROM closures cl JOIN episodes e ON e.id = cl.episode_id WHERE cl.id = ?1"),
                [id],
                closure_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no closure {}.", closure_ref(id))))
    }

    pub fn closure_items(&self, closure_id: i64) -> Result<Vec<ClosureItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_kind, record_id, label, action, reason, undone FROM closure_items WHERE closure_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([closure_id], |r| {
                Ok(ClosureItem {
                    kind: r.get(0)?,
                    record_id: r.get(1)?,
                    label: r.get(2)?,
                    action: Disposition::parse(&r.get::<_, String>(3)?).unwrap_or(Disposition::Leave),
                    reason: r.get(4)?,
                    undone: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
