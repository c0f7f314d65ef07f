//! Case notes: saving, signing, addenda, moving, entered-in-error, follow-ups.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::clients::{current_episode_id, log_event};
use super::{day_col, moment_col, now_db, Result, Store, StoreError};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, to_db};
use crate::domain::note::{note_ref, ContactType, NewNote};
use crate::domain::text::clean_multiline;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addendum {
    pub written_at: DateTime<Utc>,
    pub written_by: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub contact_at: DateTime<Utc>,
    pub written_at: DateTime<Utc>,
    pub contact_type: String,
    pub participants: String,
    pub location: String,
    pub duration_minutes: Option<u32>,
    pub follow_up_on: Option<NaiveDate>,
    pub follow_up_done: bool,
    pub template: String,
    pub body: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<String>,
    pub entered_in_error: bool,
    pub error_reason: Option<String>,
    pub addenda: Vec<Addendum>,
    /// Where the next page of a client's notes starts: the moment as stored, so a page
    /// boundary never depends on reading it.
    #[serde(skip)]
    page_key: NotePageKey,
}

/// Sorts after any stored text (SQLite compares text byte by byte): the first page starts
/// above every note, even one whose moment is not a date.
const AFTER_ALL_TEXT: &str = "\u{10FFFF}";

/// The place of a note in its client's notes, newest first (`Store::notes_page`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NotePageKey {
    contact_at: String,
    id: i64,
}

impl Note {
    /// The page after this note starts below it.
    pub fn page_key(&self) -> NotePageKey {
        self.page_key.clone()
    }
    pub fn is_signed(&self) -> bool {
        self.signed_at.is_some()
    }
    pub fn contact_type_label(&self) -> &'static str {
        ContactType::parse(&self.contact_type).map(|t| t.label()).unwrap_or("contact")
    }
    /// The first line of the body, for lists.
    pub fn preview(&self) -> String {
        self.body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.ends_with(':'))
            .unwrap_or("")
            .to_string()
    }
}

const NOTE_COLUMNS: &str = "id, client_id, contact_at, written_at, contact_type, participants, location, \
    duration_minutes, follow_up_on, follow_up_done_at, template, body, signed_at, signed_by, error_at, error_reason";

fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    Ok(Note {
        reference: note_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        // a moment that does not read (never written by caseload, refused by import) shows as
        // the epoch rather than hiding the note
        contact_at: moment_col(r, 2)?.unwrap_or_default(),
        written_at: moment_col(r, 3)?.unwrap_or_default(),
        contact_type: r.get(4)?,
        participants: r.get(5)?,
        location: r.get(6)?,
        duration_minutes: r.get(7)?,
        follow_up_on: day_col(r, 8)?,
        follow_up_done: r.get::<_, Option<String>>(9)?.is_some(),
        template: r.get(10)?,
        body: r.get(11)?,
        signed_at: moment_col(r, 12)?,
        signed_by: r.get(13)?,
        entered_in_error: r.get::<_, Option<String>>(14)?.is_some(),
        error_reason: r.get(15)?,
        addenda: Vec::new(),
        page_key: NotePageKey { contact_at: r.get(2)?, id },
    })
}

/// Contact types that count as contact with the client, as SQL.
fn contact_types_sql() -> String {
    ContactType::ALL
        .iter()
        .filter(|t| t.is_client_contact())
        .map(|t| format!("'{}'", t.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Recomputes a client's last contact from their notes (the list sorts and Today reads it).
fn refresh_last_contact(tx: &Transaction<'_>, client_id: i64) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE clients SET last_contact_at = (SELECT max(contact_at) FROM notes WHERE client_id = ?1 \
             AND error_at IS NULL AND contact_type IN ({})) WHERE id = ?1",
            contact_types_sql()
        ),
        [client_id],
    )?;
    Ok(())
}

fn insert_note(tx: &Transaction<'_>, client_id: i64, n: &NewNote, now: &str) -> Result<i64> {
    let episode = current_episode_id(tx, client_id)?;
    tx.execute(
        "INSERT INTO notes (client_id, episode_id, contact_at, written_at, updated_at, contact_type, participants, \
         location, duration_minutes, follow_up_on, template, body) VALUES (?1,?2,?3,?4,?4,?5,?6,?7,?8,?9,?10,?11)",
        params![
            client_id,
            episode,
            to_db(n.contact_at),
            now,
            n.contact_type.as_str(),
            n.participants,
            n.location,
            n.duration_minutes,
            n.follow_up_on.map(format_date),
            n.template,
            n.body,
        ],
    )?;
    let id = tx.last_insert_rowid();
    if n.contact_type.is_client_contact() {
        // cheaper than a full recompute, and the common case: a new latest contact
        tx.execute(
            "UPDATE clients SET last_contact_at = ?2 WHERE id = ?1 AND (last_contact_at IS NULL OR last_contact_at < ?2)",
            params![client_id, to_db(n.contact_at)],
        )?;
    }
    Ok(id)
}

impl Store {
    /// Saves a new note in one transaction.
    pub fn add_note(&mut self, client_id: i64, n: &NewNote, now: DateTime<Utc>) -> Result<i64> {
        let now = now_db(now);
        self.write(|tx| {
            let exists: Option<i64> =
                tx.query_row("SELECT id FROM clients WHERE id = ?1", [client_id], |r| r.get(0)).optional()?;
            if exists.is_none() {
                return Err(StoreError::NotFound(format!("There is no client {}.", client_ref(client_id))));
            }
            insert_note(tx, client_id, n, &now)
        })
    }

    /// Edits an unsigned note. Signed notes are locked: corrections are addenda.
    pub fn update_note(&mut self, id: i64, n: &NewNote, now: DateTime<Utc>) -> Result<()> {
        let note = self.note(id)?;
        if note.is_signed() {
            return Err(StoreError::Refused(
                "This note is signed and locked. Add an addendum to correct or complete it.".into(),
            ));
        }
        if note.entered_in_error {
            return Err(StoreError::Refused(
                "This note was marked entered in error and cannot be edited.".into(),
            ));
        }
        let now = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE notes SET contact_at=?2, contact_type=?3, participants=?4, location=?5, duration_minutes=?6, \
                 follow_up_on=?7, template=?8, body=?9, updated_at=?10 WHERE id=?1",
                params![
                    id,
                    to_db(n.contact_at),
                    n.contact_type.as_str(),
                    n.participants,
                    n.location,
                    n.duration_minutes,
                    n.follow_up_on.map(format_date),
                    n.template,
                    n.body,
                    now,
                ],
            )?;
            refresh_last_contact(tx, note.client_id)
        })
    }

    pub fn note(&self, id: i64) -> Result<Note> {
        let mut note = self
            .conn
            .query_row(&format!("SELECT {NOTE_COLUMNS} FROM notes WHERE id = ?1"), [id], note_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no note {}.", note_ref(id))))?;
        note.addenda = self.addenda(id)?;
        Ok(note)
    }

    fn addenda(&self, note_id: i64) -> Result<Vec<Addendum>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT written_at, written_by, body FROM addenda WHERE note_id = ?1 ORDER BY written_at, id",
        )?;
        let rows = stmt
            .query_map([note_id], |r| {
                Ok(Addendum {
                    written_at: moment_col(r, 0)?.unwrap_or_default(),
                    written_by: r.get(1)?,
                    body: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A page of a client's notes, newest contact first; `before` continues after the last
    /// row of the previous page (keyset paging: as fast on page 500 as on page 1).
    pub fn notes_page(
        &self,
        client_id: i64,
        limit: usize,
        before: Option<&NotePageKey>,
    ) -> Result<Vec<Note>> {
        let (at, id) = before.map(|k| (k.contact_at.as_str(), k.id)).unwrap_or((AFTER_ALL_TEXT, i64::MAX));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {NOTE_COLUMNS} FROM notes WHERE client_id = ?1 AND (contact_at, id) < (?2, ?3) \
             ORDER BY contact_at DESC, id DESC LIMIT ?4"
        ))?;
        let mut notes: Vec<Note> = stmt
            .query_map(params![client_id, at, id, limit as i64], note_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        for n in &mut notes {
            n.addenda = self.addenda(n.id)?;
        }
        Ok(notes)
    }

    /// Every note of a client in a date range (exports, CLI).
    pub fn count_notes(&self, client_id: i64) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM notes WHERE client_id = ?1", [client_id], |r| r.get(0))?)
    }

    /// Signs and locks a note with the practitioner's name.
    pub fn sign_note(&mut self, id: i64, signer: &str, now: DateTime<Utc>) -> Result<()> {
        let signer = signer.trim();
        if signer.is_empty() {
            return Err(StoreError::Refused(
                "Add your name in Settings (press ,) before signing: a signature needs a name.".into(),
            ));
        }
        let note = self.note(id)?;
        if note.is_signed() {
            return Err(StoreError::Refused("This note is already signed.".into()));
        }
        if note.entered_in_error {
            return Err(StoreError::Refused("A note entered in error cannot be signed.".into()));
        }
        let now = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE notes SET signed_at = ?2, signed_by = ?3 WHERE id = ?1 AND signed_at IS NULL",
                params![id, now, signer],
            )?;
            log_event(tx, note.client_id, &now, &now, "note-signed", &format!("Note {} signed", note_ref(id)))
        })
    }

    /// Adds a dated correction or addition under a note.
    pub fn add_addendum(&mut self, note_id: i64, body: &str, by: &str, now: DateTime<Utc>) -> Result<()> {
        let body = clean_multiline(body);
        if body.trim().is_empty() {
            return Err(StoreError::invalid("body", "Write the addendum: it cannot be empty."));
        }
        if body.chars().count() > crate::domain::text::MAX_FIELD_CHARS {
            return Err(StoreError::invalid("body", "Too long: at most 100000 characters."));
        }
        let note = self.note(note_id)?;
        if note.entered_in_error {
            return Err(StoreError::Refused(
                "This note was marked entered in error; write a new note instead.".into(),
            ));
        }
        let now = now_db(now);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO addenda (note_id, written_at, written_by, body) VALUES (?1, ?2, ?3, ?4)",
                params![note_id, now, by.trim(), body],
            )?;
            Ok(())
        })
    }

    /// Moves an unsigned note written on the wrong client.
    pub fn move_note(&mut self, id: i64, to_client: i64, now: DateTime<Utc>) -> Result<()> {
        let note = self.note(id)?;
        if note.is_signed() {
            return Err(StoreError::Refused(
                "Signed notes cannot be moved. Mark it entered in error and write it again on the right client."
                    .into(),
            ));
        }
        if note.entered_in_error {
            // moving would also put it back into search (the index follows the note's client)
            return Err(StoreError::Refused(
                "This note was marked entered in error; it stays where it is. Write a new note on the right client."
                    .into(),
            ));
        }
        if note.client_id == to_client {
            return Err(StoreError::Refused("The note is already on that client.".into()));
        }
        self.client(to_client)?;
        let now = now_db(now);
        self.write(|tx| {
            let episode = current_episode_id(tx, to_client)?;
            tx.execute(
                "UPDATE notes SET client_id = ?2, episode_id = ?3, moved_from = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, to_client, episode, note.client_id, now],
            )?;
            tx.execute(
                "UPDATE search_index SET client_id = ?2 WHERE kind = 'addendum' AND record_id = ?1",
                params![id, to_client],
            )?;
            refresh_last_contact(tx, note.client_id)?;
            refresh_last_contact(tx, to_client)?;
            log_event(tx, note.client_id, &now, &now, "note-moved", &format!("Note {} moved to another client", note_ref(id)))?;
            log_event(tx, to_client, &now, &now, "note-moved", &format!("Note {} moved here from another client", note_ref(id)))
        })
    }

    /// Marks a note entered in error (kept, shown struck through, out of search and exports),
    /// optionally writing it again, unsigned, on the right client. Returns the new note's id.
    pub fn mark_note_in_error(
        &mut self,
        id: i64,
        reason: &str,
        rewrite_to: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        let reason = crate::domain::text::clean_line(reason);
        if reason.is_empty() {
            return Err(StoreError::invalid(
                "reason",
                "Say why the note is in error (e.g. written on the wrong client).",
            ));
        }
        let note = self.note(id)?;
        if note.entered_in_error {
            return Err(StoreError::Refused("This note is already marked entered in error.".into()));
        }
        if let Some(to) = rewrite_to {
            self.client(to)?;
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE notes SET error_at = ?2, error_reason = ?3, updated_at = ?2 WHERE id = ?1",
                params![id, now_s, reason],
            )?;
            tx.execute(
                "DELETE FROM search_index WHERE kind IN ('note', 'addendum') AND record_id = ?1",
                [id],
            )?;
            log_event(
                tx,
                note.client_id,
                &now_s,
                &now_s,
                "note-error",
                &format!("Note {} marked entered in error", note_ref(id)),
            )?;
            refresh_last_contact(tx, note.client_id)?;
            let new_id = match rewrite_to {
                Some(to) => {
                    let copy = NewNote {
                        contact_at: note.contact_at,
                        contact_type: ContactType::parse(&note.contact_type).unwrap_or(ContactType::Phone),
                        participants: note.participants.clone(),
                        location: note.location.clone(),
                        duration_minutes: note.duration_minutes,
                        follow_up_on: note.follow_up_on,
                        template: note.template.clone(),
                        body: note.body.clone(),
                    };
                    let new_id = insert_note(tx, to, &copy, &now_s)?;
                    tx.execute("UPDATE notes SET rewritten_as = ?2 WHERE id = ?1", params![id, new_id])?;
                    Some(new_id)
                }
                None => None,
            };
            Ok(new_id)
        })
    }

    /// Marks a note's follow-up as done.
    pub fn complete_follow_up(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE notes SET follow_up_done_at = ?2 WHERE id = ?1 AND follow_up_on IS NOT NULL AND follow_up_done_at IS NULL",
            params![id, now_db(now)],
        )?;
        if n == 0 {
            return Err(StoreError::Refused("That note has no open follow-up.".into()));
        }
        Ok(())
    }
}
