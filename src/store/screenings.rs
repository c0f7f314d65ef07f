//! Screener administrations: answers kept as given, the result scored by the one engine at
//! save time, safety alerts raised in the same transaction (saving never waits for them).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::clients::{current_episode_id, log_record_event, require_client};
use super::safety::refresh_safety;
use super::{now_db, Result, Store, StoreError};
// Re-exported for the screens and commands that name it through here.
pub use crate::domain::assessment::screening_ref;
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, parse_ymd};
use crate::domain::instruments::{score, Answer, Instrument, ScoreResult};
use crate::domain::record::RecordKind;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub instrument: String,
    pub instrument_version: u32,
    pub administered_on: NaiveDate,
    pub answers: Vec<(String, Answer)>,
    pub total: Option<i32>,
    pub band: Option<String>,
    pub complete: bool,
    pub positive: Option<bool>,
    pub result: ScoreResult,
    pub note: String,
    pub entered_in_error: bool,
    pub created_at: String,
}

/// One point of a trend: a dated total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub on: NaiveDate,
    pub total: i32,
    pub band: Option<String>,
    #[serde(rename = "ref")]
    pub reference: String,
}

const COLUMNS: &str =
    "id, client_id, instrument_id, instrument_version, administered_on, answers, total, band, \
    complete, positive, result, note, error_at, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Screening> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let on: String = r.get(4)?;
    let answers: String = r.get(5)?;
    let result: String = r.get(10)?;
    let bad = |e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    };
    Ok(Screening {
        reference: screening_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        instrument: r.get(2)?,
        instrument_version: r.get(3)?,
        administered_on: parse_ymd(&on).unwrap_or_default(),
        answers: serde_json::from_str(&answers).map_err(bad)?,
        total: r.get(6)?,
        band: r.get(7)?,
        complete: r.get(8)?,
        positive: r.get(9)?,
        result: serde_json::from_str(&result).map_err(bad)?,
        note: r.get(11)?,
        entered_in_error: r.get::<_, Option<String>>(12)?.is_some(),
        created_at: r.get(13)?,
    })
}

impl Store {
    /// Scores and saves one administration. Safety flags in the result become alerts on the
    /// client, open until acknowledged. Returns the new id and the result.
    pub fn add_screening(
        &mut self,
        client_id: i64,
        instrument: &Instrument,
        answers: &[(String, Answer)],
        on: NaiveDate,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(i64, ScoreResult)> {
        crate::domain::instruments::validate_answers(instrument, answers)
            .map_err(|e| StoreError::invalid("answers", e.to_string()))?;
        let result = score(instrument, answers);
        let note = crate::domain::text::clean_multiline(note);
        if note.chars().count() > 10_000 {
            return Err(StoreError::invalid("note", "Too long: at most 10,000 characters."));
        }
        let id =
            self.write(|tx| insert_screening(tx, client_id, instrument, answers, &result, on, &note, now))?;
        Ok((id, result))
    }

    pub fn screening(&self, id: i64) -> Result<Screening> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM screenings WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no screening {}.", screening_ref(id))))
    }

    /// A client's administrations, newest first.
    pub fn screenings(&self, client_id: i64) -> Result<Vec<Screening>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM screenings WHERE client_id = ?1 ORDER BY administered_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([client_id], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Totals of one instrument over time, oldest first (incomplete results have no total).
    pub fn trend(&self, client_id: i64, instrument_id: &str) -> Result<Vec<TrendPoint>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT administered_on, total, band, id FROM screenings WHERE client_id = ?1 AND instrument_id = ?2 \
             AND total IS NOT NULL AND error_at IS NULL ORDER BY administered_on, id",
        )?;
        let rows = stmt
            .query_map(params![client_id, instrument_id], |r| {
                let on: String = r.get(0)?;
                Ok(TrendPoint {
                    on: parse_ymd(&on).unwrap_or_default(),
                    total: r.get(1)?,
                    band: r.get(2)?,
                    reference: screening_ref(r.get(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Positive domains of the client's latest social-needs screening: (screening ref,
    /// life domain, domain label).
    pub fn positive_need_domains(&self, client_id: i64) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, result FROM screenings WHERE client_id = ?1 AND error_at IS NULL \
             AND instrument_id = 'ahc_hrsn_core' ORDER BY administered_on DESC, id DESC LIMIT 1",
        )?;
        let row: Option<(i64, String)> =
            stmt.query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let Some((id, json)) = row else { return Ok(Vec::new()) };
        let Ok(result) = serde_json::from_str::<ScoreResult>(&json) else { return Ok(Vec::new()) };
        Ok(result
            .domains
            .iter()
            .filter(|d| d.positive == Some(true))
            .map(|d| (screening_ref(id), d.life_domain.clone(), format!("{} (social-needs screen)", d.label)))
            .collect())
    }

    /// Marks an administration entered in error (kept, left out of trends and rescreening).
    pub fn mark_screening_in_error(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<()> {
        let s = self.screening(id)?;
        let reason = crate::domain::text::clean_line(reason);
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", "Say why it was entered in error."));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE screenings SET error_at = ?2, error_reason = ?3 WHERE id = ?1 AND error_at IS NULL",
                params![id, now_s, reason],
            )?;
            super::goals::forget_screening_progress(tx, id)?;
            log_record_event(
                tx,
                s.client_id,
                &now_s,
                &now_s,
                "screening",
                &format!("{} marked entered in error: {reason}", s.reference),
                Some((RecordKind::Screening, id)),
            )
        })
    }
}

/// Saves a scored administration inside a transaction (the demo builds many in one).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_screening(
    tx: &rusqlite::Transaction<'_>,
    client_id: i64,
    instrument: &Instrument,
    answers: &[(String, Answer)],
    result: &ScoreResult,
    on: NaiveDate,
    note: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let answers_json = serde_json::to_string(answers).map_err(|e| StoreError::Refused(e.to_string()))?;
    let result_json = serde_json::to_string(result).map_err(|e| StoreError::Refused(e.to_string()))?;
    require_client(tx, client_id)?;
    let episode = current_episode_id(tx, client_id)?;
    tx.execute(
        "INSERT INTO screenings (client_id, episode_id, instrument_id, instrument_version, administered_on, \
         answers, total, band, complete, positive, result, note, created_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
        params![
            client_id,
            episode,
            instrument.id,
            instrument.version,
            format_date(on),
            answers_json,
            result.total,
            result.band,
            result.complete,
            result.positive,
            result_json,
            note,
            now_s,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let occurred = crate::domain::dates::moment_of_day(on, now);
    for flag in result.flags.iter().filter(|f| f.safety) {
        tx.execute(
            "INSERT INTO alerts (client_id, screening_id, flag, message, raised_at) VALUES (?1,?2,?3,?4,?5)",
            params![client_id, id, flag.id, flag.message, now_s],
        )?;
    }
    // the result's words are searchable with the notes (rowid = id * 16 + 5)
    tx.execute(
        "INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at) \
         VALUES (?1, ?2, 'screening', ?3, ?4, ?5)",
        params![
            id * 16 + 5,
            search_body(&instrument.name, &instrument.short_name, result, note),
            id,
            client_id,
            format_date(on)
        ],
    )?;
    log_record_event(
        tx,
        client_id,
        &occurred,
        &now_s,
        "screening",
        &format!("{} {}: {}", instrument.short_name, screening_ref(id), summary(result)),
        Some((RecordKind::Screening, id)),
    )?;
    if result.flags.iter().any(|f| f.safety) {
        refresh_safety(tx, client_id)?;
    }
    // goals measured by this screener's total take it as progress
    super::goals::progress_from_screening(tx, client_id, &instrument.id, id, on, result.total, now)?;
    Ok(id)
}

/// The words a screening is found by in search.
fn search_body(name: &str, short_name: &str, result: &ScoreResult, note: &str) -> String {
    format!("{name} {short_name} {} {note}", summary(result))
}

/// Writes a stored screening's search row again (after an import brought it in).
pub(crate) fn reindex_screening(conn: &rusqlite::Connection, id: i64) -> Result<()> {
    let all = crate::domain::instruments::shipped();
    let (instrument, result, note, on, client_id): (String, String, String, String, i64) = conn.query_row(
        "SELECT instrument_id, result, note, administered_on, client_id FROM screenings WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let result: ScoreResult = serde_json::from_str(&result)
        .map_err(|_| StoreError::Refused("A screener result could not be read.".into()))?;
    let (name, short) = match crate::domain::instruments::find(all, &instrument) {
        Some(i) => (i.name.clone(), i.short_name.clone()),
        None => (instrument.clone(), instrument.clone()),
    };
    conn.execute("DELETE FROM search_index WHERE rowid = ?1", [id * 16 + 5])?;
    conn.execute(
        "INSERT INTO search_index (rowid, body, kind, record_id, client_id, occurred_at) \
         VALUES (?1, ?2, 'screening', ?3, ?4, ?5)",
        params![id * 16 + 5, search_body(&name, &short, &result, &note), id, client_id, on],
    )?;
    Ok(())
}

/// "total 14, Moderate", "incomplete: not scored: 1 item missing", "positive: housing, food".
pub fn summary(result: &ScoreResult) -> String {
    if !result.domains.is_empty() {
        // a domain left open by a declined or skipped item is said to be open, never read as
        // negative; a domain the answered items already decide says it was decided on those
        let positive: Vec<String> = result
            .domains
            .iter()
            .filter(|d| d.positive == Some(true))
            .map(|d| {
                if d.positive_on_answered() {
                    format!("{} (positive on the items answered; {})", d.label, d.missing_words())
                } else {
                    d.label.clone()
                }
            })
            .collect();
        let open: Vec<String> = result
            .domains
            .iter()
            .filter(|d| d.positive.is_none())
            .map(|d| format!("{} not scored: {}", lower_first(&d.label), d.missing_words()))
            .collect();
        let mut parts = Vec::new();
        if !positive.is_empty() {
            parts.push(format!("positive: {}", positive.join(", ")));
        }
        if !open.is_empty() {
            parts.push(open.join(", "));
        }
        if positive.is_empty() {
            parts.push(
                if open.is_empty() { "no positive domains" } else { "no other domain positive" }.into(),
            );
        }
        return parts.join("; ");
    }
    match (result.total, &result.band) {
        (Some(t), Some(b)) => format!("total {t}, {b}"),
        (Some(t), None) => format!("total {t}"),
        _ => format!("incomplete — {}", result.missing_handling),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A few words for lists: "PHQ-9 14 Moderate", "GAD-7 incomplete", "AHC needs: housing, food".
pub fn compact(short_name: &str, result: &ScoreResult) -> String {
    if !result.domains.is_empty() {
        let mut positive: Vec<&str> = Vec::new();
        for d in result.domains.iter().filter(|d| d.positive == Some(true)) {
            if !positive.contains(&d.life_domain.as_str()) {
                positive.push(&d.life_domain);
            }
        }
        let mut open: Vec<&str> = Vec::new();
        for d in result.domains.iter().filter(|d| d.positive.is_none()) {
            if !open.contains(&d.life_domain.as_str()) {
                open.push(&d.life_domain);
            }
        }
        let open = if open.is_empty() { String::new() } else { format!(" ({} not scored)", open.join(", ")) };
        return if positive.is_empty() && open.is_empty() {
            format!("{short_name}: no needs")
        } else if positive.is_empty() {
            format!("{short_name}: no needs found{open}")
        } else {
            format!("{short_name} needs: {}{open}", positive.join(", "))
        };
    }
    match (result.total, &result.band) {
        (Some(t), Some(b)) => format!("{short_name} {t} {b}"),
        (Some(t), None) => format!("{short_name} {t}"),
        _ => format!("{short_name} incomplete"),
    }
}
