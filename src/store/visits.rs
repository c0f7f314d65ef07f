//! Planned contacts (the diary, issue 19 point 1): a client's home visits, calls and court dates
//! planned at a day and time. Each is planned, then done, missed (an attempted contact) or
//! cancelled with a reason; every change is a row in `visit_events` and a line on the timeline.

use chrono::{DateTime, Local, NaiveDate, NaiveTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::clients::log_record_event;
use super::{now_db, Result, Store, StoreError};
use crate::domain::assessment::{make_ref, parse_ref};
use crate::domain::dates::{format_local, local_to_utc, to_db};
use crate::domain::text::fit;
use crate::domain::visit::{check_reason, validate, VisitDetails, VisitKind, VisitState};

/// `V-7`: how a planned contact is named on the command line.
pub fn visit_ref(id: i64) -> String {
    make_ref("V", id)
}

pub fn parse_visit_ref(s: &str) -> Option<i64> {
    parse_ref("V", s)
}

/// A planned contact as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    /// The client's reference (C-0007).
    pub client: String,
    pub at: DateTime<Utc>,
    pub minutes: i64,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub place: String,
    #[serde(rename = "with")]
    pub with_whom: String,
    pub purpose: String,
    pub travel: String,
    pub state: &'static str,
    pub reason: String,
    pub history: Vec<VisitEvent>,
}

/// One change of a planned contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitEvent {
    pub recorded_at: DateTime<Utc>,
    pub from: String,
    pub to: String,
    pub note: String,
    pub by: String,
}

impl Visit {
    /// When, in local time ("2026-11-27 10:00").
    pub fn when(&self) -> String {
        format_local(self.at)
    }

    pub fn kind(&self) -> VisitKind {
        VisitKind::parse(self.kind).unwrap_or(VisitKind::Other)
    }

    pub fn state(&self) -> VisitState {
        VisitState::parse(self.state).unwrap_or(VisitState::Planned)
    }
}

const COLUMNS: &str = "v.id, v.client_id, c.id, v.at, v.minutes, v.kind, v.place, v.with_whom, v.purpose, v.travel, v.state, v.reason";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Visit> {
    let id: i64 = r.get(0)?;
    let kind: String = r.get(5)?;
    let state: String = r.get(10)?;
    Ok(Visit {
        reference: visit_ref(id),
        id,
        client_id: r.get(1)?,
        client: crate::domain::client::client_ref(r.get(2)?),
        at: super::moment_col(r, 3)?.unwrap_or_default(),
        minutes: r.get(4)?,
        kind: VisitKind::parse(&kind).unwrap_or(VisitKind::Other).as_str(),
        place: r.get(6)?,
        with_whom: r.get(7)?,
        purpose: r.get(8)?,
        travel: r.get(9)?,
        state: VisitState::parse(&state).unwrap_or(VisitState::Planned).as_str(),
        reason: r.get(11)?,
        history: Vec::new(),
    })
}

fn history_of(conn: &rusqlite::Connection, id: i64) -> Result<Vec<VisitEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT recorded_at, from_state, to_state, note, by_whom FROM visit_events WHERE visit_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(VisitEvent {
                recorded_at: super::moment_col(r, 0)?.unwrap_or_default(),
                from: r.get(1)?,
                to: r.get(2)?,
                note: r.get(3)?,
                by: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn event(
    tx: &Transaction<'_>,
    id: i64,
    from: &str,
    to: VisitState,
    note: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO visit_events (visit_id, recorded_at, from_state, to_state, note, by_whom) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, now_db(now), from, to.as_str(), note, by],
    )?;
    Ok(())
}

/// "home visit 2026-11-27 10:00 at Flat 3".
fn said(kind: VisitKind, at: DateTime<Utc>, place: &str) -> String {
    let place = if place.is_empty() { String::new() } else { format!(" at {}", fit(place, 40)) };
    format!("{} {}{place}", kind.label(), format_local(at))
}

/// The local day's bounds in UTC, from the start of `from` to the end of `to`.
fn bounds(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (String, String) {
    let start =
        from.and_then(|d| local_to_utc(d.and_time(NaiveTime::MIN)).ok()).map(to_db).unwrap_or_default();
    let end = to
        .and_then(|d| d.succ_opt())
        .and_then(|d| local_to_utc(d.and_time(NaiveTime::MIN)).ok())
        .map(to_db)
        .unwrap_or_else(|| "9999".into());
    (start, end)
}

impl Store {
    /// One planned contact with its history.
    pub fn visit(&self, id: i64) -> Result<Visit> {
        let v = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM visits v JOIN clients c ON c.id = v.client_id WHERE v.id = ?1"
                ),
                [id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no planned contact {}.", visit_ref(id))))?;
        Ok(Visit { history: history_of(&self.conn, id)?, ..v })
    }

    /// Planned contacts in time order, of one client or all, between two local days (inclusive).
    pub fn visits(
        &self,
        client: Option<i64>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Visit>> {
        let (start, end) = bounds(from, to);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM visits v JOIN clients c ON c.id = v.client_id \
             WHERE (?1 IS NULL OR v.client_id = ?1) AND v.at >= ?2 AND v.at < ?3 ORDER BY v.at, v.id"
        ))?;
        let rows: Vec<Visit> =
            stmt.query_map(params![client, start, end], from_row)?.collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(|v| Ok(Visit { history: history_of(&self.conn, v.id)?, ..v })).collect()
    }

    /// Plans a contact with a client; its id. A time already past is allowed (recorded late)
    /// and the history says so.
    pub fn add_visit(&mut self, client: i64, d: &VisitDetails, by: &str, now: DateTime<Utc>) -> Result<i64> {
        let c = self.client(client)?;
        let d = validate(d).map_err(StoreError::Invalid)?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO visits (client_id, at, minutes, kind, place, with_whom, purpose, travel, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9)",
                params![c.id, to_db(d.at), d.minutes, d.kind.as_str(), d.place, d.with_whom, d.purpose, d.travel, now_s],
            )?;
            let id = tx.last_insert_rowid();
            let late = if d.is_late(now) { " (recorded late)" } else { "" };
            let what = format!("Planned: {}{late}", said(d.kind, d.at, &d.place));
            event(tx, id, "", VisitState::Planned, &what, by, now)?;
            // on the timeline when it was planned: a contact to come is not yet history
            let line = format!("{} planned{late}", said(d.kind, d.at, &d.place));
            log_record_event(tx, c.id, &now_s, &now_s, "visit", &line, None)?;
            Ok(id)
        })
    }

    /// Ends a planned contact: done, missed (the client was not there) or cancelled (with a
    /// reason). An ended one is refused and stays as it was.
    pub fn set_visit_state(
        &mut self,
        id: i64,
        to: VisitState,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let v = self.visit(id)?;
        if !v.state().can_become(to) {
            return Err(StoreError::Refused(format!(
                "Planned contact {} is already {}; it stays as it was.",
                v.reference, v.state
            )));
        }
        let reason = check_reason(to, reason).map_err(|e| StoreError::Invalid(vec![e]))?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE visits SET state = ?2, reason = ?3 WHERE id = ?1",
                params![id, to.as_str(), reason],
            )?;
            let because = if reason.is_empty() { String::new() } else { format!(": {}", fit(&reason, 80)) };
            let what = match to {
                VisitState::Missed => "missed (client not there: an attempted contact)",
                other => other.as_str(),
            };
            let line = format!("{} {what}{because}", said(v.kind(), v.at, &v.place));
            event(tx, id, v.state, to, &line, by, now)?;
            log_record_event(tx, v.client_id, &now_s, &now_s, "visit", &line, None)
        })
    }
}

/// The local day a moment falls on.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}
