//! Risk flags (raised by assessments, lowered only by a review with a reason) and safety
//! alerts (raised by screener results, open until acknowledged with a note). Both are kept
//! with their history and summarised on the client row so every list can show them.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::clients::log_record_event;
use super::{moment_col, now_db, Result, Store, StoreError};
// The references are re-exported for the screens and commands that name them through here.
pub use crate::domain::assessment::{alert_ref, flag_ref};
use crate::domain::assessment::{RiskArea, RiskLevel};
use crate::domain::client::client_ref;
use crate::domain::record::RecordKind;
use crate::domain::text::clean_multiline;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagEvent {
    pub at: DateTime<Utc>,
    pub action: String,
    pub level: Option<String>,
    pub source: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskFlag {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub area: RiskArea,
    pub level: RiskLevel,
    pub raised_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub lowered_at: Option<DateTime<Utc>>,
    pub history: Vec<FlagEvent>,
}

impl RiskFlag {
    pub fn is_open(&self) -> bool {
        self.lowered_at.is_none()
    }
    /// "RISK HIGH: self"
    pub fn headline(&self) -> String {
        format!("{} risk: {}", self.level.as_str().to_uppercase(), self.area.short())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub screening: String,
    #[serde(skip)]
    pub screening_id: i64,
    pub flag: String,
    pub message: String,
    pub raised_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub ack_note: Option<String>,
    pub ack_by: Option<String>,
}

/// Raises or updates flags for the areas an assessment rates medium or high.
pub(crate) fn raise_flags(
    tx: &Transaction<'_>,
    client_id: i64,
    areas: &[(RiskArea, RiskLevel)],
    source: &str,
    occurred_at: &str,
    now: &str,
) -> Result<()> {
    for (area, level) in areas {
        let open: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, level FROM risk_flags WHERE client_id = ?1 AND area = ?2 AND lowered_at IS NULL",
                params![client_id, area.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match open {
            Some((_, l)) if l == level.as_str() => {}
            Some((id, l)) => {
                tx.execute("UPDATE risk_flags SET level = ?2 WHERE id = ?1", params![id, level.as_str()])?;
                tx.execute(
                    "INSERT INTO risk_flag_events (flag_id, at, action, level, source, reason) \
                     VALUES (?1, ?2, 'level-changed', ?3, ?4, ?5)",
                    params![id, occurred_at, level.as_str(), source, format!("was {l}")],
                )?;
                log_record_event(
                    tx,
                    client_id,
                    occurred_at,
                    now,
                    "flag",
                    &format!("{} flag now {} ({source})", area.label(), level.as_str()),
                    Some((RecordKind::Flag, id)),
                )?;
            }
            None => {
                // raised when the risk was assessed (an assessment may be typed up later)
                tx.execute(
                    "INSERT INTO risk_flags (client_id, area, level, raised_at) VALUES (?1, ?2, ?3, ?4)",
                    params![client_id, area.as_str(), level.as_str(), occurred_at],
                )?;
                let id = tx.last_insert_rowid();
                tx.execute(
                    "INSERT INTO risk_flag_events (flag_id, at, action, level, source) VALUES (?1, ?2, 'raised', ?3, ?4)",
                    params![id, occurred_at, level.as_str(), source],
                )?;
                log_record_event(
                    tx,
                    client_id,
                    occurred_at,
                    now,
                    "flag",
                    &format!("{} flag raised: {} ({source})", area.label(), level.as_str()),
                    Some((RecordKind::Flag, id)),
                )?;
            }
        }
    }
    refresh_safety(tx, client_id)
}

/// Recomputes the client row's summary of open flags and alerts.
pub(crate) fn refresh_safety(tx: &Transaction<'_>, client_id: i64) -> Result<()> {
    tx.execute(
        "UPDATE clients SET \
         risk_level = (SELECT CASE WHEN sum(level = 'high') > 0 THEN 'high' WHEN count(*) > 0 THEN 'medium' END \
                       FROM risk_flags WHERE client_id = ?1 AND lowered_at IS NULL), \
         open_alerts = (SELECT count(*) FROM alerts WHERE client_id = ?1 AND acknowledged_at IS NULL) \
         WHERE id = ?1",
        [client_id],
    )?;
    Ok(())
}

fn flag_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RiskFlag> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let area: String = r.get(2)?;
    let level: String = r.get(3)?;
    Ok(RiskFlag {
        reference: flag_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        area: RiskArea::parse(&area).unwrap_or(RiskArea::Safeguarding),
        level: RiskLevel::parse(&level).unwrap_or(RiskLevel::High),
        raised_at: moment_col(r, 4)?.unwrap_or_default(),
        reviewed_at: moment_col(r, 5)?,
        lowered_at: moment_col(r, 6)?,
        history: Vec::new(),
    })
}

const FLAG_COLUMNS: &str = "id, client_id, area, level, raised_at, reviewed_at, lowered_at";

fn alert_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let screening_id: i64 = r.get(2)?;
    Ok(Alert {
        reference: alert_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        screening: crate::domain::assessment::screening_ref(screening_id),
        screening_id,
        flag: r.get(3)?,
        message: r.get(4)?,
        raised_at: moment_col(r, 5)?.unwrap_or_default(),
        acknowledged_at: moment_col(r, 6)?,
        ack_note: r.get(7)?,
        ack_by: r.get(8)?,
    })
}

const ALERT_COLUMNS: &str =
    "id, client_id, screening_id, flag, message, raised_at, acknowledged_at, ack_note, ack_by";

impl Store {
    /// A client's flags, open ones first, each with its history.
    pub fn risk_flags(&self, client_id: i64) -> Result<Vec<RiskFlag>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FLAG_COLUMNS} FROM risk_flags WHERE client_id = ?1 \
             ORDER BY lowered_at IS NOT NULL, raised_at DESC, id DESC"
        ))?;
        let mut flags =
            stmt.query_map([client_id], flag_from_row)?.collect::<rusqlite::Result<Vec<RiskFlag>>>()?;
        for f in &mut flags {
            f.history = self.flag_history(f.id)?;
        }
        Ok(flags)
    }

    pub fn risk_flag(&self, id: i64) -> Result<RiskFlag> {
        let mut f = self
            .conn
            .query_row(&format!("SELECT {FLAG_COLUMNS} FROM risk_flags WHERE id = ?1"), [id], flag_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no flag {}.", flag_ref(id))))?;
        f.history = self.flag_history(id)?;
        Ok(f)
    }

    fn flag_history(&self, flag_id: i64) -> Result<Vec<FlagEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, action, level, source, reason, by_whom FROM risk_flag_events WHERE flag_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt
            .query_map([flag_id], |r| {
                Ok(FlagEvent {
                    at: moment_col(r, 0)?.unwrap_or_default(),
                    action: r.get(1)?,
                    level: r.get(2)?,
                    source: r.get(3)?,
                    reason: r.get(4)?,
                    by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a review of an open flag. With `lower`, the flag is lowered and leaves the
    /// client (a reason is required); with a `new_level`, the level changes and it stays open.
    pub fn review_flag(
        &mut self,
        id: i64,
        lower: bool,
        new_level: Option<RiskLevel>,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let flag = self.risk_flag(id)?;
        if !flag.is_open() {
            return Err(StoreError::Refused(format!("Flag {} was already lowered.", flag.reference)));
        }
        if by.trim().is_empty() {
            return Err(StoreError::Refused(
                "A change on a flag says who made it: set your name in Settings first.".into(),
            ));
        }
        let reason = clean_multiline(reason);
        if reason.trim().is_empty() {
            return Err(StoreError::invalid(
                "reason",
                if lower {
                    "Say why the risk can be lowered: what was reviewed and what changed."
                } else {
                    "Say what was reviewed."
                },
            ));
        }
        if reason.chars().count() > 10_000 {
            return Err(StoreError::invalid("reason", "Too long: at most 10,000 characters."));
        }
        if let Some(l) = new_level {
            if !l.raises_flag() && !lower {
                return Err(StoreError::invalid(
                    "level",
                    "A flag stays at medium or high; to go lower, lower the flag with a reason.",
                ));
            }
        }
        let now_s = now_db(now);
        self.write(|tx| {
            let (action, level) = if lower {
                ("lowered", new_level.map(RiskLevel::as_str))
            } else if let Some(l) = new_level.filter(|l| *l != flag.level) {
                tx.execute("UPDATE risk_flags SET level = ?2 WHERE id = ?1", params![id, l.as_str()])?;
                ("reviewed", Some(l.as_str()))
            } else {
                ("reviewed", Some(flag.level.as_str()))
            };
            if lower {
                tx.execute(
                    "UPDATE risk_flags SET lowered_at = ?2, reviewed_at = ?2 WHERE id = ?1",
                    params![id, now_s],
                )?;
            } else {
                tx.execute("UPDATE risk_flags SET reviewed_at = ?2 WHERE id = ?1", params![id, now_s])?;
            }
            tx.execute(
                "INSERT INTO risk_flag_events (flag_id, at, action, level, source, reason, by_whom) \
                 VALUES (?1, ?2, ?3, ?4, 'review', ?5, ?6)",
                params![id, now_s, action, level, reason, by],
            )?;
            let summary = if lower {
                format!("{} flag lowered: {}", flag.area.label(), crate::domain::text::fit(&reason, 120))
            } else {
                format!("{} flag reviewed: {}", flag.area.label(), crate::domain::text::fit(&reason, 120))
            };
            log_record_event(
                tx,
                flag.client_id,
                &now_s,
                &now_s,
                "flag",
                &summary,
                Some((RecordKind::Flag, id)),
            )?;
            refresh_safety(tx, flag.client_id)
        })
    }

    pub fn alerts(&self, client_id: i64) -> Result<Vec<Alert>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE client_id = ?1 \
             ORDER BY acknowledged_at IS NOT NULL, raised_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map([client_id], alert_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn alert(&self, id: i64) -> Result<Alert> {
        self.conn
            .query_row(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?1"), [id], alert_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no alert {}.", alert_ref(id))))
    }

    pub fn alerts_for_screening(&self, screening_id: i64) -> Result<Vec<Alert>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ALERT_COLUMNS} FROM alerts WHERE screening_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([screening_id], alert_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Acknowledges an open alert with a note of what was done.
    pub fn acknowledge_alert(&mut self, id: i64, note: &str, by: &str, now: DateTime<Utc>) -> Result<()> {
        self.acknowledge_alerts(&[id], note, by, now)
    }

    /// Acknowledges several open alerts with one note, all or none.
    pub fn acknowledge_alerts(
        &mut self,
        ids: &[i64],
        note: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut alerts = Vec::new();
        for id in ids {
            let alert = self.alert(*id)?;
            if alert.acknowledged_at.is_some() {
                return Err(StoreError::Refused(format!(
                    "Alert {} was already acknowledged.",
                    alert.reference
                )));
            }
            alerts.push(alert);
        }
        let note = clean_multiline(note);
        if note.trim().is_empty() {
            return Err(StoreError::invalid(
                "note",
                "Say what was done about the alert (e.g. risk assessed, safety plan made, crisis team called).",
            ));
        }
        if note.chars().count() > 10_000 {
            return Err(StoreError::invalid("note", "Too long: at most 10,000 characters."));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            for alert in &alerts {
                tx.execute(
                    "UPDATE alerts SET acknowledged_at = ?2, ack_note = ?3, ack_by = ?4 WHERE id = ?1",
                    params![alert.id, now_s, note, by],
                )?;
                log_record_event(
                    tx,
                    alert.client_id,
                    &now_s,
                    &now_s,
                    "alert",
                    &format!("Safety alert acknowledged: {}", crate::domain::text::fit(&note, 120)),
                    Some((RecordKind::Screening, alert.screening_id)),
                )?;
                refresh_safety(tx, alert.client_id)?;
            }
            Ok(())
        })
    }
}
