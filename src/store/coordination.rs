//! Coordination and advocacy: consents to share, ties (the ecomap), case conferences with
//! action items, transitions, the advocacy log and mandated reports. Every save is one
//! transaction and leaves a line on the timeline.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::clients::{current_episode_id, log_record_event, require_client};
use super::{now_db, Result, Store, StoreError};
use crate::domain::client::client_ref;
use crate::domain::consent::{validity, Consent, Validity};
use crate::domain::coordination::{
    action_ref, advocacy_ref, conference_ref, consent_ref, mandated_ref, transition_label, transition_ref,
    AdvocacyDraft, ConferenceDraft, ConsentDraft, MandatedDraft, TransitionDraft,
};
use crate::domain::dates::{format_date, moment_of_day, parse_ymd, to_db};
use crate::domain::text::{clean_multiline, fit, name_key};

// ---------------------------------------------------------------------------------------------
// Consents
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredConsent {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    #[serde(skip)]
    pub person_id: Option<i64>,
    pub to: String,
    pub covers: String,
    pub signed_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    pub revoked_reason: String,
    pub lapsed_on: Option<NaiveDate>,
    pub notes: String,
}

impl StoredConsent {
    pub fn consent(&self) -> Consent {
        Consent {
            to_name: self.to.clone(),
            covers: if self.covers.trim().is_empty() { Vec::new() } else { vec![self.covers.clone()] },
            signed_on: self.signed_on,
            expires_on: self.expires_on,
            revoked_on: self.revoked_on,
        }
    }

    pub fn validity(&self, today: NaiveDate, warn_days: i64) -> Validity {
        validity(&self.consent(), today, warn_days)
    }

    /// Names the same recipient (the person, or the name typed, accents and case ignored).
    pub fn is_to(&self, person_id: Option<i64>, name: &str) -> bool {
        match (person_id, self.person_id) {
            (Some(a), Some(b)) if a == b => true,
            _ => !name.trim().is_empty() && name_key(&self.to) == name_key(name),
        }
    }
}

const CONSENT_COLUMNS: &str =
    "id, client_id, person_id, to_name, covers, signed_on, expires_on, revoked_on, \
    revoked_reason, lapsed_on, notes";

fn day_col(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_ymd))
}

fn consent_from_row(r: &Row<'_>) -> rusqlite::Result<StoredConsent> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    Ok(StoredConsent {
        reference: consent_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        person_id: r.get(2)?,
        to: r.get(3)?,
        covers: r.get(4)?,
        signed_on: day_col(r, 5)?,
        expires_on: day_col(r, 6)?,
        revoked_on: day_col(r, 7)?,
        revoked_reason: r.get(8)?,
        lapsed_on: day_col(r, 9)?,
        notes: r.get(10)?,
    })
}

// ---------------------------------------------------------------------------------------------
// Conferences
// ---------------------------------------------------------------------------------------------

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
    pub held_at: String,
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

// ---------------------------------------------------------------------------------------------
// Transitions, advocacy, mandated reports
// ---------------------------------------------------------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportAddendum {
    pub written_at: String,
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
    pub reported_at: String,
    pub reference_number: String,
    pub what_reported: String,
    pub reported_by: String,
    pub created_at: String,
    pub addenda: Vec<ReportAddendum>,
}

/// The person of the client's whose name matches (accents and case ignored), if exactly one.
fn person_named(tx: &rusqlite::Connection, client_id: i64, name: &str) -> Result<Option<i64>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    let mut stmt = tx.prepare_cached("SELECT id, name FROM people WHERE client_id = ?1 AND is_self = 0")?;
    let rows: Vec<(i64, String)> =
        stmt.query_map([client_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let hits: Vec<i64> = rows.iter().filter(|(_, n)| name_key(n) == key).map(|(id, _)| *id).collect();
    Ok(if hits.len() == 1 { Some(hits[0]) } else { None })
}

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

/// Inserts a consent inside a transaction (also used by the demo).
pub(crate) fn insert_consent(
    tx: &Transaction<'_>,
    client_id: i64,
    d: &ConsentDraft,
    person_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let person_id = match person_id {
        Some(p) => Some(p),
        None => person_named(tx, client_id, &d.consent.to_name)?,
    };
    tx.execute(
        "INSERT INTO consents (client_id, person_id, to_name, covers, signed_on, expires_on, notes, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            client_id,
            person_id,
            d.consent.to_name,
            d.consent.covers.join(", "),
            d.consent.signed_on.map(format_date),
            d.consent.expires_on.map(format_date),
            d.notes,
            now_s
        ],
    )?;
    let id = tx.last_insert_rowid();
    let until = d.consent.expires_on.map(|e| format!(" until {}", format_date(e))).unwrap_or_default();
    let covers =
        if d.consent.covers.is_empty() { "all information".to_string() } else { d.consent.covers.join(", ") };
    log_record_event(
        tx,
        client_id,
        &d.consent.signed_on.map(|s| moment_of_day(s, now)).unwrap_or_else(|| now_s.clone()),
        &now_s,
        "consent",
        &format!(
            "Consent {} to share {} with {}{until}",
            consent_ref(id),
            fit(&covers, 60),
            d.consent.to_name
        ),
        Some(("consent", id)),
    )?;
    Ok(id)
}

impl Store {
    // ---- consents ---------------------------------------------------------------------------

    pub fn add_consent(
        &mut self,
        client_id: i64,
        d: &ConsentDraft,
        person_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| {
            require_client(tx, client_id)?;
            if let Some(p) = person_id {
                let owner: Option<i64> = tx
                    .query_row("SELECT client_id FROM people WHERE id = ?1", [p], |r| r.get(0))
                    .optional()?;
                if owner != Some(client_id) {
                    return Err(StoreError::Refused("That person is not one of this client's.".into()));
                }
            }
            insert_consent(tx, client_id, d, person_id, now)
        })
    }

    pub fn consent(&self, id: i64) -> Result<StoredConsent> {
        self.conn
            .query_row(
                &format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE id = ?1"),
                [id],
                consent_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no consent {}.", consent_ref(id))))
    }

    /// A client's consents, newest first.
    pub fn consents(&self, client_id: i64) -> Result<Vec<StoredConsent>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE client_id = ?1 ORDER BY coalesce(signed_on, created_at) DESC, id DESC"
        ))?;
        let rows = stmt.query_map([client_id], consent_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A consent that lets information go to this recipient today (covering `what`), if any.
    pub fn usable_consent(
        &self,
        client_id: i64,
        person_id: Option<i64>,
        name: &str,
        what: &str,
        today: NaiveDate,
    ) -> Result<Option<StoredConsent>> {
        Ok(self.consents(client_id)?.into_iter().find(|c| {
            c.is_to(person_id, name)
                && c.lapsed_on.is_none()
                && crate::domain::consent::is_valid_for(&c.consent(), today, what).is_ok()
        }))
    }

    /// Records that the client withdrew a consent (from `on`).
    pub fn withdraw_consent(
        &mut self,
        id: i64,
        on: NaiveDate,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let c = self.consent(id)?;
        if c.revoked_on.is_some() {
            return Err(StoreError::Refused(format!("Consent {} was already withdrawn.", c.reference)));
        }
        crate::domain::consent::validate_revocation(c.signed_on, on)
            .map_err(|m| StoreError::invalid("revoked_on", m))?;
        let reason = crate::domain::text::clean_line(reason);
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE consents SET revoked_on = ?2, revoked_reason = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, format_date(on), reason, now_s],
            )?;
            log_record_event(
                tx,
                c.client_id,
                &moment_of_day(on, now),
                &now_s,
                "consent",
                &format!("Consent {} to {} withdrawn by the client", c.reference, c.to),
                Some(("consent", id)),
            )
        })
    }

    /// An expired consent that will not be renewed leaves Today.
    pub fn let_consent_lapse(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let c = self.consent(id)?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE consents SET lapsed_on = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, format_date(now.date_naive()), now_s],
            )?;
            log_record_event(
                tx,
                c.client_id,
                &now_s,
                &now_s,
                "consent",
                &format!("Consent {} to {} not renewed", c.reference, c.to),
                Some(("consent", id)),
            )
        })
    }

    // ---- ties (ecomap) ----------------------------------------------------------------------

    pub fn set_tie(&mut self, person_id: i64, strength: Option<&str>, flow: Option<&str>) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE people SET tie_strength = ?2, support_flow = ?3 WHERE id = ?1",
                params![person_id, strength, flow],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("That person is not recorded.".into()));
            }
            Ok(())
        })
    }

    // ---- conferences ------------------------------------------------------------------------

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
                Some(("conference", id)),
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
                        held_at: r.get(2)?,
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
                    .map(|c| ("conference", c)),
            )
        })
    }

    // ---- transitions ------------------------------------------------------------------------

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
                Some(("transition", id)),
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
                Some(("transition", id)),
            )
        })
    }

    // ---- advocacy ---------------------------------------------------------------------------

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
                Some(("advocacy", item)),
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
                Some(("advocacy", item)),
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

    // ---- mandated reports -------------------------------------------------------------------

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
                Some(("mandated-report", id)),
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
                        reported_at: r.get(4)?,
                        reference_number: r.get(5)?,
                        what_reported: r.get(6)?,
                        reported_by: r.get(7)?,
                        created_at: r.get(8)?,
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
                Ok(ReportAddendum { written_at: r.get(0)?, written_by: r.get(1)?, body: r.get(2)? })
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
                Some(("mandated-report", id)),
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
        Some(("conference", id)),
    )?;
    Ok(id)
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
        Some(("advocacy", id)),
    )?;
    Ok(id)
}
