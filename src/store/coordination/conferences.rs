//! Case conferences with their attendees and action items, and completing an action item.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use crate::domain::client::client_ref;
use crate::domain::coordination::{action_ref, conference_ref, ConferenceDraft};
use crate::domain::dates::{format_date, to_db};
use crate::domain::record::RecordKind;
use crate::domain::text::fit;
use crate::store::clients::{current_episode_id, log_record_event, require_client};
use crate::store::people::person_named;
use crate::store::{day_col, now_db, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub conference: Option<String>,
    pub owner: String,
    pub text: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    pub name: String,
    #[serde(skip)]
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conference {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub held_at: DateTime<Utc>,
    pub purpose: String,
    pub agenda: String,
    pub minutes: String,
    pub decisions: String,
    pub attendees: Vec<Attendee>,
    pub actions: Vec<ActionItem>,
}

fn action_from_row(r: &Row<'_>) -> rusqlite::Result<ActionItem> {
    let id: i64 = r.get(0)?;
    Ok(ActionItem {
        reference: action_ref(id),
        id,
        client_id: r.get(1)?,
        conference: r.get::<_, Option<i64>>(2)?.map(conference_ref),
        owner: r.get(3)?,
        text: r.get(4)?,
        due_on: day_col(r, 5)?,
        done_on: day_col(r, 6)?,
    })
}

const ACTION_COLUMNS: &str = "id, client_id, conference_id, owner, text, due_on, done_on";

fn insert_action(
    tx: &Transaction<'_>,
    client_id: i64,
    conference: Option<i64>,
    pos: usize,
    a: &crate::domain::coordination::ActionDraft,
    now: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO action_items (client_id, conference_id, position, owner, text, due_on, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![client_id, conference, pos as i64, a.owner, a.text, a.due_on.map(format_date), now],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    pub fn add_conference(&mut self, client_id: i64, d: &ConferenceDraft, now: DateTime<Utc>) -> Result<i64> {
        self.write(|tx| {
            require_client(tx, client_id)?;
            insert_conference(tx, client_id, d, now)
        })
    }

    /// Saves the record of a conference; `more_actions` are added to the ones it has.
    pub fn update_conference(&mut self, id: i64, d: &ConferenceDraft, now: DateTime<Utc>) -> Result<()> {
        let before = self.conference(id)?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE conferences SET held_at=?2, purpose=?3, agenda=?4, minutes=?5, decisions=?6, updated_at=?7 WHERE id=?1",
                params![id, to_db(d.held_at), d.purpose, d.agenda, d.minutes, d.decisions, now_s],
            )?;
            tx.execute("DELETE FROM conference_attendees WHERE conference_id = ?1", [id])?;
            write_attendees(tx, before.client_id, id, &d.attendees)?;
            let start = before.actions.len();
            for (i, a) in d.actions.iter().enumerate() {
                insert_action(tx, before.client_id, Some(id), start + i, a, &now_s)?;
            }
            log_record_event(
                tx,
                before.client_id,
                &now_s,
                &now_s,
                "conference",
                &format!("Case conference {} record updated", conference_ref(id)),
                Some((RecordKind::Conference, id)),
            )
        })
    }

    pub fn conference(&self, id: i64) -> Result<Conference> {
        let mut c = self
            .conn
            .query_row(
                "SELECT id, client_id, held_at, purpose, agenda, minutes, decisions FROM conferences WHERE id = ?1",
                [id],
                |r| {
                    let id: i64 = r.get(0)?;
                    let client_id: i64 = r.get(1)?;
                    Ok(Conference {
                        reference: conference_ref(id),
                        id,
                        client_id,
                        client: client_ref(client_id),
                        held_at: crate::store::moment_col(r, 2)?.unwrap_or_default(),
                        purpose: r.get(3)?,
                        agenda: r.get(4)?,
                        minutes: r.get(5)?,
                        decisions: r.get(6)?,
                        attendees: Vec::new(),
                        actions: Vec::new(),
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no conference {}.", conference_ref(id))))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, person_id FROM conference_attendees WHERE conference_id = ?1 ORDER BY position",
        )?;
        c.attendees = stmt
            .query_map([id], |r| Ok(Attendee { name: r.get(0)?, person_id: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM action_items WHERE conference_id = ?1 ORDER BY position, id"
        ))?;
        c.actions = stmt.query_map([id], action_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(c)
    }

    /// A client's conferences, newest first.
    pub fn conferences(&self, client_id: i64) -> Result<Vec<Conference>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM conferences WHERE client_id = ?1 ORDER BY held_at DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt.query_map([client_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| self.conference(id)).collect()
    }

    pub fn action_item(&self, id: i64) -> Result<ActionItem> {
        self.conn
            .query_row(
                &format!("SELECT {ACTION_COLUMNS} FROM action_items WHERE id = ?1"),
                [id],
                action_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no action item {}.", action_ref(id))))
    }

    /// A client's action items not yet done, soonest due first.
    pub fn open_actions(&self, client_id: i64) -> Result<Vec<ActionItem>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM action_items WHERE client_id = ?1 AND done_on IS NULL \
             ORDER BY due_on IS NULL, due_on, id"
        ))?;
        let rows = stmt.query_map([client_id], action_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn complete_action(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let a = self.action_item(id)?;
        if a.done_on.is_some() {
            return Err(StoreError::Refused(format!("Action item {} is already done.", a.reference)));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE action_items SET done_on = ?2 WHERE id = ?1",
                params![id, format_date(now.date_naive())],
            )?;
            log_record_event(
                tx,
                a.client_id,
                &now_s,
                &now_s,
                "action",
                &format!("Action item done: {}", fit(&a.text, 100)),
                a.conference
                    .as_deref()
                    .and_then(|r| crate::domain::assessment::parse_ref("CC", r))
                    .map(|c| (RecordKind::Conference, c)),
            )
        })
    }
}

fn write_attendees(tx: &Transaction<'_>, client_id: i64, conference: i64, names: &[String]) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        let person = person_named(tx, client_id, name)?;
        tx.execute(
            "INSERT INTO conference_attendees (conference_id, position, person_id, name) VALUES (?1, ?2, ?3, ?4)",
            params![conference, i as i64, person, name],
        )?;
    }
    Ok(())
}

/// Inserts a conference with its attendees and action items (also used by the demo).
pub(crate) fn insert_conference(
    tx: &Transaction<'_>,
    client_id: i64,
    d: &ConferenceDraft,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let episode = current_episode_id(tx, client_id)?;
    tx.execute(
        "INSERT INTO conferences (client_id, episode_id, held_at, purpose, agenda, minutes, decisions, created_at, updated_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)",
        params![client_id, episode, to_db(d.held_at), d.purpose, d.agenda, d.minutes, d.decisions, now_s],
    )?;
    let id = tx.last_insert_rowid();
    write_attendees(tx, client_id, id, &d.attendees)?;
    for (i, a) in d.actions.iter().enumerate() {
        insert_action(tx, client_id, Some(id), i, a, &now_s)?;
    }
    log_record_event(
        tx,
        client_id,
        &to_db(d.held_at),
        &now_s,
        "conference",
        &format!(
            "Case conference {}: {} ({} attending, {} action item{})",
            conference_ref(id),
            fit(&d.purpose, 80),
            d.attendees.len(),
            d.actions.len(),
            if d.actions.len() == 1 { "" } else { "s" }
        ),
        Some((RecordKind::Conference, id)),
    )?;
    Ok(id)
}
