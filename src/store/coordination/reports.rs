//! Mandated reports (made to an authority, kept unchanged) and their addenda.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::domain::coordination::{mandated_ref, MandatedDraft};
use crate::domain::dates::to_db;
use crate::domain::record::RecordKind;
use crate::domain::text::clean_multiline;
use crate::store::clients::{current_episode_id, log_record_event, require_client};
use crate::store::{now_db, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportAddendum {
    pub written_at: DateTime<Utc>,
    pub written_by: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MandatedReport {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub kind: String,
    pub agency: String,
    pub reported_at: DateTime<Utc>,
    pub reference_number: String,
    pub what_reported: String,
    pub reported_by: String,
    pub created_at: DateTime<Utc>,
    pub addenda: Vec<ReportAddendum>,
}

impl Store {
    pub fn add_mandated_report(
        &mut self,
        client_id: i64,
        d: &MandatedDraft,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let now_s = now_db(now);
        self.write(|tx| {
            require_client(tx, client_id)?;
            let episode = current_episode_id(tx, client_id)?;
            tx.execute(
                "INSERT INTO mandated_reports (client_id, episode_id, kind, agency, reported_at, reference_number, \
                 what_reported, reported_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                params![
                    client_id,
                    episode,
                    d.kind,
                    d.agency,
                    to_db(d.reported_at),
                    d.reference_number,
                    d.what_reported,
                    d.reported_by,
                    now_s
                ],
            )?;
            let id = tx.last_insert_rowid();
            let kind = crate::domain::coordination::MANDATED_KINDS
                .iter()
                .find(|(k, _)| *k == d.kind)
                .map(|(_, l)| *l)
                .unwrap_or("protection");
            log_record_event(
                tx,
                client_id,
                &to_db(d.reported_at),
                &now_s,
                "report",
                &format!(
                    "Mandated {kind} report to {}{}",
                    d.agency,
                    if d.reference_number.is_empty() { String::new() } else { format!(" (ref {})", d.reference_number) }
                ),
                Some((RecordKind::MandatedReport, id)),
            )?;
            Ok(id)
        })
    }

    pub fn mandated_report(&self, id: i64) -> Result<MandatedReport> {
        let mut m = self
            .conn
            .query_row(
                "SELECT id, client_id, kind, agency, reported_at, reference_number, what_reported, reported_by, created_at \
                 FROM mandated_reports WHERE id = ?1",
                [id],
                |r| {
                    let id: i64 = r.get(0)?;
                    Ok(MandatedReport {
                        reference: mandated_ref(id),
                        id,
                        client_id: r.get(1)?,
                        kind: r.get(2)?,
                        agency: r.get(3)?,
                        reported_at: crate::store::moment_col(r, 4)?.unwrap_or_default(),
                        reference_number: r.get(5)?,
                        what_reported: r.get(6)?,
                        reported_by: r.get(7)?,
                        created_at: crate::store::moment_col(r, 8)?.unwrap_or_default(),
                        addenda: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no mandated report {}.", mandated_ref(id))))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT written_at, written_by, body FROM mandated_report_addenda WHERE report_id = ?1 ORDER BY written_at, id",
        )?;
        m.addenda = stmt
            .query_map([id], |r| {
                Ok(ReportAddendum {
                    written_at: crate::store::moment_col(r, 0)?.unwrap_or_default(),
                    written_by: r.get(1)?,
                    body: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(m)
    }

    pub fn mandated_reports(&self, client_id: i64) -> Result<Vec<MandatedReport>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM mandated_reports WHERE client_id = ?1 ORDER BY reported_at DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt.query_map([client_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.mandated_report(id)).collect()
    }

    /// A correction or addition to a mandated report, which itself never changes.
    pub fn add_mandated_addendum(&mut self, id: i64, body: &str, by: &str, now: DateTime<Utc>) -> Result<()> {
        let m = self.mandated_report(id)?;
        let body = clean_multiline(body);
        if body.trim().is_empty() {
            return Err(StoreError::invalid("body", "Write the addendum: what is corrected or added."));
        }
        if body.chars().count() > 100_000 {
            return Err(StoreError::invalid("body", "Too long: at most 100,000 characters."));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO mandated_report_addenda (report_id, written_at, written_by, body) VALUES (?1, ?2, ?3, ?4)",
                params![id, now_s, by, body],
            )?;
            log_record_event(
                tx,
                m.client_id,
                &now_s,
                &now_s,
                "report",
                &format!("Addendum to mandated report {}", m.reference),
                Some((RecordKind::MandatedReport, id)),
            )
        })
    }
}
