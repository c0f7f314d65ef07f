//! Clients, their episodes of service, and the name index the list filters on.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::{now_db, Result, Store, StoreError};
use crate::domain::client::{
    client_ref, duplicate_of, parse_client_ref, phone_digits, search_key, sort_key, CaseStatus, Client,
    DuplicateCandidate, NameRecord,
};
use crate::domain::dates::format_date;
use crate::domain::record::RecordKind;
use crate::domain::text::name_key;

/// The longest text a client is looked up by (names are at most 200 characters each).
const MAX_NAME_SEARCH: usize = 500;

const CLIENT_COLUMNS: &str = "id, given_name, family_name, preferred_name, pronouns, date_of_birth, \
    birth_date_estimated, phone, email, address, language, interpreter_needed, best_contact, \
    safe_to_leave_message, referral_source, referral_reason, intake_date, programme, \
    emergency_contact_name, emergency_contact_phone, emergency_contact_relation, external_id, status, \
    last_contact_at, risk_level, open_alerts, sex";

fn client_from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    let id: i64 = r.get(0)?;
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()))
    };
    Ok(Client {
        reference: client_ref(id),
        id,
        given_name: r.get(1)?,
        family_name: r.get(2)?,
        preferred_name: r.get(3)?,
        pronouns: r.get(4)?,
        date_of_birth: date(5)?,
        birth_date_estimated: r.get(6)?,
        phone: r.get(7)?,
        email: r.get(8)?,
        address: r.get(9)?,
        language: r.get(10)?,
        interpreter_needed: r.get(11)?,
        best_contact: r.get(12)?,
        safe_to_leave_message: r.get(13)?,
        referral_source: r.get(14)?,
        referral_reason: r.get(15)?,
        intake_date: date(16)?.unwrap_or_default(),
        programme: r.get(17)?,
        emergency_contact_name: r.get(18)?,
        emergency_contact_phone: r.get(19)?,
        emergency_contact_relation: r.get(20)?,
        external_id: r.get(21)?,
        status: CaseStatus::parse(&r.get::<_, String>(22)?),
        last_contact_at: r.get(23)?,
        risk_level: r.get(24)?,
        open_alerts: r.get(25)?,
        sex: r.get(26)?,
    })
}

/// How the client list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientSort {
    #[default]
    Name,
    /// Longest without contact first (never contacted at the top): who needs a call.
    LastContactOldest,
    LastContactNewest,
}

impl ClientSort {
    pub fn label(self) -> &'static str {
        match self {
            ClientSort::Name => "name",
            ClientSort::LastContactOldest => "last contact, oldest first",
            ClientSort::LastContactNewest => "last contact, newest first",
        }
    }
    pub fn next(self) -> Self {
        match self {
            ClientSort::Name => ClientSort::LastContactOldest,
            ClientSort::LastContactOldest => ClientSort::LastContactNewest,
            ClientSort::LastContactNewest => ClientSort::Name,
        }
    }
}

/// One entry of the in-memory name index: enough to filter and rank, nothing more.
#[derive(Debug, Clone)]
pub struct NameEntry {
    pub id: i64,
    pub key: String,
    pub open: bool,
    /// The phone number's digits only, so `/555 01` finds `(555) 0100`.
    pub phone_digits: String,
}

/// One open client offered by a client picker: the name to match and show, and the birth year
/// and age that tell two clients of the same name apart.
#[derive(Debug, Clone)]
pub struct PickerEntry {
    pub entry: NameEntry,
    pub name: String,
    pub born: Option<NaiveDate>,
    pub born_estimated: bool,
}

/// Summary of an episode of service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    #[serde(skip)]
    pub id: i64,
    pub number: i64,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closed_reason: Option<String>,
}

/// The number the next client gets: never one a destroyed file had, so a reference on paper
/// (C-0042) can never come to mean someone else.
pub(crate) fn next_client_id(tx: &rusqlite::Connection) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT max(coalesce((SELECT max(id) FROM clients), 0), \
         coalesce((SELECT max(client_id) FROM destroyed_clients), 0)) + 1",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn insert_client_row(tx: &Transaction<'_>, c: &Client, now: &str) -> Result<i64> {
    let id = next_client_id(tx)?;
    execute_client(
        tx,
        "INSERT INTO clients (id, given_name, family_name, preferred_name, pronouns, date_of_birth, \
         birth_date_estimated, phone, email, address, language, interpreter_needed, best_contact, \
         safe_to_leave_message, referral_source, referral_reason, intake_date, programme, \
         emergency_contact_name, emergency_contact_phone, emergency_contact_relation, external_id, \
         sort_key, search_key, status, created_at, updated_at) \
         VALUES (?25,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,'open',?24,?24)",
        c,
        now,
        id,
    )?;
    write_sex(tx, id, &c.sex)?;
    Ok(id)
}

/// The client's sex, in the intake and on their own row of the family tree (the genogram's
/// symbol for the client), which always agree.
pub(crate) fn write_sex(tx: &rusqlite::Connection, id: i64, sex: &str) -> Result<()> {
    let sex = if sex.is_empty() { "unknown" } else { sex };
    tx.execute("UPDATE clients SET sex = ?2 WHERE id = ?1", params![id, sex])?;
    tx.execute("UPDATE people SET sex = ?2 WHERE client_id = ?1 AND is_self = 1", params![id, sex])?;
    Ok(())
}

/// Runs `sql` with a client's intake fields as ?1..?23, `now` as ?24 and the id as ?25: the
/// INSERT and the UPDATE of a client bind the same values.
fn execute_client(tx: &rusqlite::Connection, sql: &str, c: &Client, now: &str, id: i64) -> Result<usize> {
    Ok(tx.execute(
        sql,
        params![
            c.given_name,
            c.family_name,
            c.preferred_name,
            c.pronouns,
            c.date_of_birth.map(format_date),
            c.birth_date_estimated,
            c.phone,
            c.email,
            c.address,
            c.language,
            c.interpreter_needed,
            c.best_contact,
            c.safe_to_leave_message,
            c.referral_source,
            c.referral_reason,
            format_date(c.intake_date),
            c.programme,
            c.emergency_contact_name,
            c.emergency_contact_phone,
            c.emergency_contact_relation,
            c.external_id,
            sort_key(&c.given_name, &c.family_name),
            search_key(&c.given_name, &c.family_name, &c.preferred_name),
            now,
            id,
        ],
    )?)
}

/// Records a dated event for the timeline.
pub fn log_event(
    tx: &Transaction<'_>,
    client_id: i64,
    occurred_at: &str,
    now: &str,
    kind: &str,
    summary: &str,
) -> Result<()> {
    log_record_event(tx, client_id, occurred_at, now, kind, summary, None)
}

/// Records a dated event about a record (`(RecordKind::Assessment, 12)`), which the timeline opens.
pub fn log_record_event(
    tx: &Transaction<'_>,
    client_id: i64,
    occurred_at: &str,
    now: &str,
    kind: &str,
    summary: &str,
    record: Option<(RecordKind, i64)>,
) -> Result<()> {
    let episode: Option<i64> = current_episode_id(tx, client_id)?;
    tx.execute(
        "INSERT INTO events (client_id, episode_id, occurred_at, recorded_at, kind, summary, record_kind, record_id) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        params![client_id, episode, occurred_at, now, kind, summary, record.map(|r| r.0.as_str()), record.map(|r| r.1)],
    )?;
    Ok(())
}

/// Fails with a plain message unless the client exists.
pub fn require_client(tx: &rusqlite::Connection, client_id: i64) -> Result<()> {
    let exists: Option<i64> =
        tx.query_row("SELECT id FROM clients WHERE id = ?1", [client_id], |r| r.get(0)).optional()?;
    match exists {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("There is no client {}.", client_ref(client_id)))),
    }
}

/// The episode that new records belong to: the latest one.
pub fn current_episode_id(conn: &rusqlite::Connection, client_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1",
            [client_id],
            |r| r.get(0),
        )
        .optional()?)
}

impl Store {
    /// The episode that new records of a client belong to (see `current_episode_id`).
    pub fn current_episode(&self, client_id: i64) -> Result<Option<i64>> {
        current_episode_id(&self.conn, client_id)
    }

    /// Takes in a client: the record and its first episode of service, in one transaction.
    pub fn add_client(&mut self, c: &Client, now: DateTime<Utc>) -> Result<i64> {
        // An intake typed on the day happened now; one typed later is placed at noon of its day.
        let intake_at = if c.intake_date == now.date_naive() {
            now_db(now)
        } else {
            format!("{}T12:00:00Z", format_date(c.intake_date))
        };
        let now = now_db(now);
        self.write(|tx| {
            let id = insert_client_row(tx, c, &now)?;
            tx.execute(
                "INSERT INTO episodes (client_id, number, opened_on, created_at) VALUES (?1, 1, ?2, ?3)",
                params![id, format_date(c.intake_date), now],
            )?;
            log_event(tx, id, &intake_at, &now, "intake", "Intake: case opened (episode 1)")?;
            Ok(id)
        })
    }

    /// Saves edits to the intake record; the change is logged (which fields, not their values).
    pub fn update_client(&mut self, id: i64, c: &Client, now: DateTime<Utc>) -> Result<()> {
        let before = self.client(id)?;
        let changed = changed_fields(&before, c);
        let now = now_db(now);
        self.write(|tx| {
            let n = execute_client(
                tx,
                "UPDATE clients SET given_name=?1, family_name=?2, preferred_name=?3, pronouns=?4, \
                 date_of_birth=?5, birth_date_estimated=?6, phone=?7, email=?8, address=?9, language=?10, \
                 interpreter_needed=?11, best_contact=?12, safe_to_leave_message=?13, referral_source=?14, \
                 referral_reason=?15, intake_date=?16, programme=?17, emergency_contact_name=?18, \
                 emergency_contact_phone=?19, emergency_contact_relation=?20, external_id=?21, sort_key=?22, \
                 search_key=?23, updated_at=?24 WHERE id=?25",
                c,
                &now,
                id,
            )?;
            if n == 0 {
                return Err(StoreError::NotFound("That client no longer exists.".into()));
            }
            write_sex(tx, id, &c.sex)?;
            if !changed.is_empty() {
                log_event(
                    tx,
                    id,
                    &now,
                    &now,
                    "intake-edited",
                    &format!("Intake edited: {}", changed.join(", ")),
                )?;
            }
            Ok(())
        })
    }

    pub fn client(&self, id: i64) -> Result<Client> {
        self.conn
            .query_row(&format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = ?1"), [id], client_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no client {}.", client_ref(id))))
    }

    /// Loads a handful of clients by id (the visible page of a list), in the order given.
    pub fn clients_by_ids(&self, ids: &[i64]) -> Result<Vec<Client>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; ids.len()].join(",");
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id IN ({placeholders})"))?;
        let mut found: Vec<Client> = stmt
            .query_map(rusqlite::params_from_iter(ids.iter()), client_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        found.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
        Ok(found)
    }

    /// Client ids in display order; ids only, so thousands of clients cost a few kilobytes.
    pub fn client_ids(&self, include_closed: bool, sort: ClientSort) -> Result<Vec<i64>> {
        let filter = if include_closed { "" } else { "WHERE status = 'open'" };
        let order = match sort {
            ClientSort::Name => "sort_key, id",
            ClientSort::LastContactOldest => "last_contact_at IS NOT NULL, last_contact_at, sort_key",
            ClientSort::LastContactNewest => "last_contact_at IS NULL, last_contact_at DESC, sort_key",
        };
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT id FROM clients {filter} ORDER BY {order}"))?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The compact index the list filters on as the user types.
    pub fn name_index(&self) -> Result<Vec<NameEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, search_key, status, phone FROM clients ORDER BY sort_key, id")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(NameEntry {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    open: r.get::<_, String>(2)? == "open",
                    phone_digits: phone_digits(&r.get::<_, String>(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn count_clients(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM clients", [], |r| r.get(0))?)
    }

    /// Existing clients who may be the person being taken in (best match first).
    pub fn find_duplicates(
        &self,
        candidate: &Client,
        except: Option<i64>,
    ) -> Result<Vec<(DuplicateCandidate, Client)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, given_name, family_name, preferred_name, date_of_birth, birth_date_estimated, phone FROM clients",
        )?;
        let mut rows = stmt.query([])?;
        let mut hits = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if Some(id) == except {
                continue;
            }
            let given: String = r.get(1)?;
            let family: String = r.get(2)?;
            let preferred: String = r.get(3)?;
            let dob: Option<String> = r.get(4)?;
            let phone: String = r.get(6)?;
            let rec = NameRecord {
                id,
                given_name: &given,
                family_name: &family,
                preferred_name: &preferred,
                date_of_birth: dob.and_then(|s: String| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
                birth_date_estimated: r.get(5)?,
                phone: &phone,
            };
            if let Some(hit) = duplicate_of(candidate, &rec) {
                hits.push(hit);
            }
        }
        hits.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        hits.truncate(5);
        let mut out = Vec::new();
        for h in hits {
            let c = self.client(h.id)?;
            out.push((h, c));
        }
        Ok(out)
    }

    /// Finds a client by reference (`C-0042`) or by a unique part of a name or preferred name,
    /// accents and case ignored. Ambiguity lists the candidates.
    pub fn resolve_client(&self, reference: &str) -> Result<Client> {
        if let Some(id) = parse_client_ref(reference) {
            return self.client(id);
        }
        let needle = name_key(reference);
        if needle.is_empty() {
            return Err(StoreError::Refused("Give a client reference (C-0042) or part of a name.".into()));
        }
        // no name is this long: not worth a search (and SQLite refuses a LIKE pattern over 50 KB)
        if needle.chars().count() > MAX_NAME_SEARCH {
            return Err(StoreError::NotFound(format!(
                "No client matches that: a name or reference is at most {MAX_NAME_SEARCH} characters."
            )));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM clients WHERE search_key LIKE ?1 ESCAPE '\\' ORDER BY sort_key LIMIT 11",
        )?;
        let pattern = format!("%{}%", needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let ids: Vec<i64> = stmt.query_map([pattern], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        match ids.len() {
            0 => Err(StoreError::NotFound("No client matches that name or reference.".into())),
            1 => self.client(ids[0]),
            _ => {
                let cands = self.clients_by_ids(&ids[..ids.len().min(10)])?;
                let list: Vec<String> =
                    cands.iter().map(|c| format!("  {}  {}", c.reference, c.display_name())).collect();
                Err(StoreError::Refused(format!(
                    "More than one client matches; use the reference:\n{}{}",
                    list.join("\n"),
                    if ids.len() > 10 { "\n  ..." } else { "" }
                )))
            }
        }
    }

    pub fn episodes(&self, client_id: i64) -> Result<Vec<Episode>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, number, opened_on, closed_on, closed_reason FROM episodes WHERE client_id = ?1 ORDER BY number",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                let d = |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
                Ok(Episode {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    opened_on: d(r.get(2)?).unwrap_or_default(),
                    closed_on: d(r.get(3)?),
                    closed_reason: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Names of the intake fields that differ (values are never logged).
fn changed_fields(a: &Client, b: &Client) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut cmp = |name: &'static str, same: bool| {
        if !same {
            out.push(name);
        }
    };
    cmp("name", a.given_name == b.given_name && a.family_name == b.family_name);
    cmp("preferred name", a.preferred_name == b.preferred_name);
    cmp("pronouns", a.pronouns == b.pronouns);
    cmp(
        "sex",
        a.sex == b.sex
            || (a.sex.is_empty() && b.sex == "unknown")
            || (b.sex.is_empty() && a.sex == "unknown"),
    );
    cmp(
        "date of birth",
        a.date_of_birth == b.date_of_birth && a.birth_date_estimated == b.birth_date_estimated,
    );
    cmp(
        "contact details",
        a.phone == b.phone
            && a.email == b.email
            && a.address == b.address
            && a.best_contact == b.best_contact,
    );
    cmp("messages", a.safe_to_leave_message == b.safe_to_leave_message);
    cmp("language", a.language == b.language && a.interpreter_needed == b.interpreter_needed);
    cmp("referral", a.referral_source == b.referral_source && a.referral_reason == b.referral_reason);
    cmp("intake date", a.intake_date == b.intake_date);
    cmp("programme", a.programme == b.programme);
    cmp(
        "emergency contact",
        a.emergency_contact_name == b.emergency_contact_name
            && a.emergency_contact_phone == b.emergency_contact_phone
            && a.emergency_contact_relation == b.emergency_contact_relation,
    );
    cmp("external ID", a.external_id == b.external_id);
    out
}

/// A dated entry of a client's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub summary: String,
}

impl Store {
    /// The newest events of a client, newest first, one page at a time.
    pub fn events(&self, client_id: i64, limit: usize, offset: usize) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT occurred_at, kind, summary FROM events WHERE client_id = ?1 \
             ORDER BY occurred_at DESC, id DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt
            .query_map(params![client_id, limit as i64, offset as i64], |r| {
                Ok(Event {
                    occurred_at: super::moment_col(r, 0)?.unwrap_or_default(),
                    kind: r.get(1)?,
                    summary: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

impl Store {
    /// Open clients for the client picker: name key for matching, display name, birth date.
    pub fn picker_entries(&self) -> Result<Vec<PickerEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, search_key, given_name, family_name, preferred_name, phone, date_of_birth, \
             birth_date_estimated FROM clients WHERE status = 'open' ORDER BY sort_key",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let given: String = r.get(2)?;
                let family: String = r.get(3)?;
                let preferred: String = r.get(4)?;
                let name = if preferred.is_empty() || preferred == given {
                    format!("{given} {family}")
                } else {
                    format!("{given} {family} ({preferred})")
                };
                let born: Option<String> = r.get(6)?;
                Ok(PickerEntry {
                    entry: NameEntry {
                        id: r.get(0)?,
                        key: r.get(1)?,
                        open: true,
                        phone_digits: phone_digits(&r.get::<_, String>(5)?),
                    },
                    name,
                    born: born.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                    born_estimated: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
