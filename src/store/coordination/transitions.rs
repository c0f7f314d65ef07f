//! Transitions between services (a hospital discharge, a new agency) and their follow-ups.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::domain::coordination::{transition_label, transition_ref, TransitionDraft};
use crate::domain::dates::{format_date, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::text::fit;
use crate::store::clients::{current_episode_id, log_record_event, require_client};
use crate::store::{day_col, now_db, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub kind: String,
    pub on_date: NaiveDate,
    pub from_service: String,
    pub to_service: String,
    pub handed_over: String,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: Option<NaiveDate>,
}

impl Store {
    pub fn add_transition(&mut self, client_id: i64, d: &TransitionDraft, now: DateTime<Utc>) -> Result<i64> {
        let now_s = now_db(now);
        self.write(|tx| {
            require_client(tx, client_id)?;
            let episode = current_episode_id(tx, client_id)?;
            tx.execute(
                "INSERT INTO transitions (client_id, episode_id, kind, on_date, from_service, to_service, handed_over, \
                 follow_up_on, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                params![
                    client_id,
                    episode,
                    d.kind,
                    format_date(d.on_date),
                    d.from_service,
                    d.to_service,
                    d.handed_over,
                    d.follow_up_on.map(format_date),
                    now_s
                ],
            )?;
            let id = tx.last_insert_rowid();
            let route = match (d.from_service.is_empty(), d.to_service.is_empty()) {
                (false, false) => format!("{} → {}", d.from_service, d.to_service),
                (true, _) => format!("to {}", d.to_service),
                (_, true) => format!("from {}", d.from_service),
            };
            log_record_event(
                tx,
                client_id,
                &moment_of_day(d.on_date, now),
                &now_s,
                "transition",
                &format!("{}: {}", transition_label(&d.kind), fit(&route, 120)),
                Some((RecordKind::Transition, id)),
            )?;
            Ok(id)
        })
    }

    /// The client a transition belongs to.
    pub fn transition_client_id(&self, id: i64) -> Result<i64> {
        Ok(self.conn.query_row("SELECT client_id FROM transitions WHERE id = ?1", [id], |r| r.get(0))?)
    }

    pub fn transitions(&self, client_id: i64) -> Result<Vec<Transition>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, client_id, kind, on_date, from_service, to_service, handed_over, follow_up_on, follow_up_done \
             FROM transitions WHERE client_id = ?1 ORDER BY on_date DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                let id: i64 = r.get(0)?;
                Ok(Transition {
                    reference: transition_ref(id),
                    id,
                    client_id: r.get(1)?,
                    kind: r.get(2)?,
                    on_date: day_col(r, 3)?.unwrap_or_default(),
                    from_service: r.get(4)?,
                    to_service: r.get(5)?,
                    handed_over: r.get(6)?,
                    follow_up_on: day_col(r, 7)?,
                    follow_up_done: day_col(r, 8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn complete_transition_follow_up(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let now_s = now_db(now);
        self.write(|tx| {
            let client_id: Option<i64> = tx
                .query_row("SELECT client_id FROM transitions WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            let Some(client_id) = client_id else {
                return Err(StoreError::NotFound(format!("There is no transition {}.", transition_ref(id))));
            };
            tx.execute(
                "UPDATE transitions SET follow_up_done = ?2 WHERE id = ?1",
                params![id, format_date(now.date_naive())],
            )?;
            log_record_event(
                tx,
                client_id,
                &now_s,
                &now_s,
                "transition",
                "Transition follow-up done",
                Some((RecordKind::Transition, id)),
            )
        })
    }
}
