//! The advocacy log: a barrier, whom the practitioner is pressing, the actions taken, the
//! deadline and the outcome.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use crate::domain::client::client_ref;
use crate::domain::coordination::{advocacy_ref, AdvocacyDraft};
use crate::domain::dates::{format_date, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::text::{clean_multiline, fit};
use crate::store::clients::{current_episode_id, log_record_event, require_client};
use crate::store::{day_col, now_db, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdvocacyAction {
    pub on_date: NaiveDate,
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdvocacyItem {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub barrier: String,
    pub target: String,
    pub deadline: Option<NaiveDate>,
    pub opened_on: NaiveDate,
    pub outcome: String,
    pub closed_on: Option<NaiveDate>,
    pub actions: Vec<AdvocacyAction>,
}

impl Store {
    pub fn add_advocacy(&mut self, client_id: i64, d: &AdvocacyDraft, now: DateTime<Utc>) -> Result<i64> {
        self.write(|tx| {
            require_client(tx, client_id)?;
            insert_advocacy(tx, client_id, d, now)
        })
    }

    pub fn add_advocacy_action(
        &mut self,
        item: i64,
        on: NaiveDate,
        action: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let a = self.advocacy_item(item)?;
        let action = clean_multiline(action);
        if action.trim().is_empty() {
            return Err(StoreError::invalid(
                "action",
                "Say what was done (called, wrote, attended, appealed...).",
            ));
        }
        if action.chars().count() > 10_000 {
            return Err(StoreError::invalid("action", "Too long: at most 10,000 characters."));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO advocacy_actions (item_id, on_date, action, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![item, format_date(on), action, now_s],
            )?;
            log_record_event(
                tx,
                a.client_id,
                &moment_of_day(on, now),
                &now_s,
                "advocacy",
                &format!("Advocacy with {}: {}", a.target, fit(&action, 100)),
                Some((RecordKind::Advocacy, item)),
            )
        })
    }

    pub fn close_advocacy(&mut self, item: i64, outcome: &str, now: DateTime<Utc>) -> Result<()> {
        let a = self.advocacy_item(item)?;
        if a.closed_on.is_some() {
            return Err(StoreError::Refused(format!("Advocacy item {} is already closed.", a.reference)));
        }
        let outcome = clean_multiline(outcome);
        if outcome.trim().is_empty() {
            return Err(StoreError::invalid(
                "outcome",
                "Say how it ended (won the appeal, repairs done, withdrawn...).",
            ));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE advocacy_items SET outcome = ?2, closed_on = ?3 WHERE id = ?1",
                params![item, outcome, format_date(now.date_naive())],
            )?;
            log_record_event(
                tx,
                a.client_id,
                &now_s,
                &now_s,
                "advocacy",
                &format!("Advocacy with {} closed: {}", a.target, fit(&outcome, 100)),
                Some((RecordKind::Advocacy, item)),
            )
        })
    }

    pub fn advocacy_item(&self, id: i64) -> Result<AdvocacyItem> {
        let mut a = self
            .conn
            .query_row(
                "SELECT id, client_id, barrier, target, deadline, opened_on, outcome, closed_on FROM advocacy_items WHERE id = ?1",
                [id],
                |r| {
                    let id: i64 = r.get(0)?;
                    let client_id: i64 = r.get(1)?;
                    Ok(AdvocacyItem {
                        reference: advocacy_ref(id),
                        id,
                        client_id,
                        client: client_ref(client_id),
                        barrier: r.get(2)?,
                        target: r.get(3)?,
                        deadline: day_col(r, 4)?,
                        opened_on: day_col(r, 5)?.unwrap_or_default(),
                        outcome: r.get(6)?,
                        closed_on: day_col(r, 7)?,
                        actions: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no advocacy item {}.", advocacy_ref(id))))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT on_date, action FROM advocacy_actions WHERE item_id = ?1 ORDER BY on_date, id",
        )?;
        a.actions = stmt
            .query_map([id], |r| {
                Ok(AdvocacyAction { on_date: day_col(r, 0)?.unwrap_or_default(), action: r.get(1)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(a)
    }

    /// A client's advocacy items, open ones first.
    pub fn advocacy_items(&self, client_id: i64) -> Result<Vec<AdvocacyItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM advocacy_items WHERE client_id = ?1 ORDER BY closed_on IS NOT NULL, deadline IS NULL, deadline, id DESC",
        )?;
        let ids: Vec<i64> = stmt.query_map([client_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.advocacy_item(id)).collect()
    }
}

/// Inserts an advocacy item with its first action (also used by the demo).
pub(crate) fn insert_advocacy(
    tx: &Transaction<'_>,
    client_id: i64,
    d: &AdvocacyDraft,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let episode = current_episode_id(tx, client_id)?;
    tx.execute(
        "INSERT INTO advocacy_items (client_id, episode_id, barrier, target, deadline, opened_on, created_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7)",
        params![client_id, episode, d.barrier, d.target, d.deadline.map(format_date), format_date(d.opened_on), now_s],
    )?;
    let id = tx.last_insert_rowid();
    if !d.first_action.trim().is_empty() {
        tx.execute(
            "INSERT INTO advocacy_actions (item_id, on_date, action, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, format_date(d.opened_on), d.first_action, now_s],
        )?;
    }
    let deadline = d.deadline.map(|x| format!(", deadline {}", format_date(x))).unwrap_or_default();
    log_record_event(
        tx,
        client_id,
        &moment_of_day(d.opened_on, now),
        &now_s,
        "advocacy",
        &format!("Advocacy {} with {}: {}{deadline}", advocacy_ref(id), d.target, fit(&d.barrier, 80)),
        Some((RecordKind::Advocacy, id)),
    )?;
    Ok(id)
}
