//! The people around a client and the family links between them (parents, partnerships).
//! The client has their own row (`is_self`) so the family tree links to them like anyone else.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::clients::{log_record_event, require_client};
use super::{now_db, Result, Store, StoreError};
use crate::domain::client::client_ref;
use crate::domain::genogram::PartnerStatus;
use crate::domain::people::{person_ref, would_create_cycle, PersonDraft};
use crate::domain::record::RecordKind;
use crate::domain::text::name_key;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    pub is_self: bool,
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub birth_year: Option<i32>,
    pub deceased: bool,
    pub in_household: bool,
    pub family: bool,
    pub mother_id: Option<i64>,
    pub father_id: Option<i64>,
    pub role: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    pub tie_strength: Option<String>,
    pub support_flow: Option<String>,
    /// Close, conflict or cut-off: the emotional tie to the client the genogram marks.
    pub emotional_tie: Option<String>,
    /// The directory organisation they work for (`O-0003`), when it is in the directory.
    pub organisation_ref: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Partnership {
    pub a: i64,
    pub b: i64,
    pub current: bool,
    /// Married, living together, separated, divorced (or current / former, not said which).
    pub status: PartnerStatus,
}

/// Family links chosen on a person's form: ids of other people of the same client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Links {
    pub mother: Option<i64>,
    pub father: Option<i64>,
    /// A partner and what the partnership is (married, separated...).
    pub partner: Option<(i64, PartnerStatus)>,
}

const COLUMNS: &str =
    "id, client_id, is_self, name, relation, sex, birth_year, deceased, in_household, family, \
    mother_id, father_id, role, organisation, phone, email, notes, tie_strength, support_flow, organisation_id, emotional_tie";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    Ok(Person {
        reference: person_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        is_self: r.get(2)?,
        name: r.get(3)?,
        relation: r.get(4)?,
        sex: r.get(5)?,
        birth_year: r.get(6)?,
        deceased: r.get(7)?,
        in_household: r.get(8)?,
        family: r.get(9)?,
        mother_id: r.get(10)?,
        father_id: r.get(11)?,
        role: r.get(12)?,
        organisation: r.get(13)?,
        phone: r.get(14)?,
        email: r.get(15)?,
        notes: r.get(16)?,
        tie_strength: r.get(17)?,
        support_flow: r.get(18)?,
        organisation_ref: r.get::<_, Option<i64>>(19)?.map(crate::domain::directory::organisation_ref),
        emotional_tie: r.get(20)?,
    })
}

/// Links a person to the directory organisation their "organisation" names (its ref O-3, or
/// its name, accents and case ignored), or unlinks them when it names none.
fn link_organisation(tx: &Transaction<'_>, person: i64, organisation: &str) -> Result<()> {
    let org = organisation.trim();
    let id: Option<i64> = if org.is_empty() {
        None
    } else if let Some(id) = crate::domain::directory::parse_organisation_ref(org) {
        tx.query_row("SELECT id FROM organisations WHERE id = ?1", [id], |r| r.get(0)).optional()?
    } else {
        let key = name_key(org);
        let mut stmt = tx.prepare_cached("SELECT id FROM organisations WHERE name_key = ?1 LIMIT 2")?;
        let ids: Vec<i64> = stmt.query_map([key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        if ids.len() == 1 {
            Some(ids[0])
        } else {
            None
        }
    };
    tx.execute("UPDATE people SET organisation_id = ?2 WHERE id = ?1", params![person, id])?;
    Ok(())
}

/// The client's own row in the family tree, created on first use.
pub(crate) fn ensure_self(tx: &Transaction<'_>, client_id: i64, now: &str) -> Result<i64> {
    let found: Option<i64> = tx
        .query_row("SELECT id FROM people WHERE client_id = ?1 AND is_self = 1", [client_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let (name, year, sex): (String, Option<String>, String) = tx.query_row(
        "SELECT trim(coalesce(nullif(preferred_name, ''), given_name) || ' ' || family_name), date_of_birth, sex \
         FROM clients WHERE id = ?1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let year: Option<i32> = year.and_then(|d| d.get(..4).and_then(|y| y.parse().ok()));
    // the client's symbol on the genogram is the sex recorded at intake
    tx.execute(
        "INSERT INTO people (client_id, is_self, name, relation, sex, birth_year, in_household, family, created_at, updated_at) \
         VALUES (?1, 1, ?2, 'client', ?5, ?3, 1, 1, ?4, ?4)",
        params![client_id, name, year, now, sex],
    )?;
    Ok(tx.last_insert_rowid())
}

fn person_in(tx: &Transaction<'_>, id: i64) -> Result<Person> {
    tx.query_row(&format!("SELECT {COLUMNS} FROM people WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("There is no person {}.", person_ref(id))))
}

/// Checks that linked people belong to the same client and that no one becomes their own
/// ancestor, then writes the links.
fn write_links(tx: &Transaction<'_>, client_id: i64, id: i64, links: &Links) -> Result<()> {
    let belongs = |other: i64| -> Result<()> {
        let owner: Option<i64> =
            tx.query_row("SELECT client_id FROM people WHERE id = ?1", [other], |r| r.get(0)).optional()?;
        if owner != Some(client_id) {
            return Err(StoreError::Refused(format!(
                "{} is not one of this client's people.",
                person_ref(other)
            )));
        }
        Ok(())
    };
    let mut parent_links: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, mother_id FROM people WHERE client_id = ?1 AND mother_id IS NOT NULL AND id != ?2 \
             UNION ALL SELECT id, father_id FROM people WHERE client_id = ?1 AND father_id IS NOT NULL AND id != ?2",
        )?;
        let rows = stmt.query_map(params![client_id, id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (field, parent) in [("mother", links.mother), ("father", links.father)] {
        if let Some(p) = parent {
            belongs(p)?;
            if would_create_cycle(&parent_links, id, p) {
                return Err(StoreError::invalid(
                    field,
                    "That would make this person their own ancestor; check who is whose parent.",
                ));
            }
            parent_links.push((id, p));
        }
    }
    if links.mother.is_some() && links.mother == links.father {
        return Err(StoreError::invalid("father", "The same person cannot be both mother and father."));
    }
    tx.execute(
        "UPDATE people SET mother_id = ?2, father_id = ?3 WHERE id = ?1",
        params![id, links.mother, links.father],
    )?;
    if let Some((p, current)) = links.partner {
        belongs(p)?;
        if p == id {
            return Err(StoreError::invalid("partner", "A person cannot be their own partner."));
        }
        set_partnership(tx, client_id, id, p, current)?;
    }
    Ok(())
}

fn set_partnership(
    tx: &Transaction<'_>,
    client_id: i64,
    x: i64,
    y: i64,
    status: PartnerStatus,
) -> Result<()> {
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    tx.execute(
        "INSERT INTO partnerships (client_id, person_a, person_b, status) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (person_a, person_b) DO UPDATE SET status = excluded.status",
        params![client_id, a, b, status.as_str()],
    )?;
    Ok(())
}

/// Links a new relative to the client from what they are to the client, so the family tree
/// draws itself for the common cases (mother, father, partner, child, sibling).
fn link_by_relation(tx: &Transaction<'_>, client_id: i64, id: i64, p: &PersonDraft, now: &str) -> Result<()> {
    let me = ensure_self(tx, client_id, now)?;
    let self_row = person_in(tx, me)?;
    match p.relation.as_str() {
        "mother" if self_row.mother_id.is_none() => {
            tx.execute("UPDATE people SET mother_id = ?2 WHERE id = ?1", params![me, id])?;
        }
        "father" if self_row.father_id.is_none() => {
            tx.execute("UPDATE people SET father_id = ?2 WHERE id = ?1", params![me, id])?;
        }
        "parent" | "step-parent" | "adoptive parent" | "foster parent"
            if self_row.mother_id.is_none() || self_row.father_id.is_none() =>
        {
            let col = if p.sex == "male" && self_row.father_id.is_none() || self_row.mother_id.is_some() {
                "father_id"
            } else {
                "mother_id"
            };
            tx.execute(&format!("UPDATE people SET {col} = ?2 WHERE id = ?1"), params![me, id])?;
        }
        "partner / spouse" => set_partnership(tx, client_id, me, id, PartnerStatus::Current)?,
        "spouse (married)" => set_partnership(tx, client_id, me, id, PartnerStatus::Married)?,
        "cohabiting partner" => set_partnership(tx, client_id, me, id, PartnerStatus::Cohabiting)?,
        "former partner" => set_partnership(tx, client_id, me, id, PartnerStatus::Former)?,
        "separated partner" => set_partnership(tx, client_id, me, id, PartnerStatus::Separated)?,
        "divorced partner" => set_partnership(tx, client_id, me, id, PartnerStatus::Divorced)?,
        "child" | "adopted child" | "foster child" => {
            let me_male = self_row.sex == "male";
            let col = if me_male { "father_id" } else { "mother_id" };
            tx.execute(
                &format!("UPDATE people SET {col} = ?2 WHERE id = ?1 AND {col} IS NULL"),
                params![id, me],
            )?;
        }
        "sibling" | "twin" => {
            tx.execute(
                "UPDATE people SET mother_id = coalesce(mother_id, ?2), father_id = coalesce(father_id, ?3) WHERE id = ?1",
                params![id, self_row.mother_id, self_row.father_id],
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// Adds a person inside a transaction (the demo builds many in one).
pub(crate) fn insert_person(
    tx: &Transaction<'_>,
    client_id: i64,
    p: &PersonDraft,
    links: &Links,
    now_s: &str,
) -> Result<i64> {
    ensure_self(tx, client_id, now_s)?;
    tx.execute(
        "INSERT INTO people (client_id, name, relation, sex, birth_year, deceased, in_household, family, \
         role, organisation, phone, email, notes, created_at, updated_at, tie_strength, support_flow, emotional_tie) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14,?15,?16,?17)",
        params![
            client_id,
            p.name,
            p.relation,
            p.sex,
            p.birth_year,
            p.deceased,
            p.in_household,
            p.family,
            p.role,
            p.organisation,
            p.phone,
            p.email,
            p.notes,
            now_s,
            p.tie_strength,
            p.support_flow,
            p.emotional_tie
        ],
    )?;
    let id = tx.last_insert_rowid();
    link_organisation(tx, id, &p.organisation)?;
    write_links(tx, client_id, id, links)?;
    if links == &Links::default() {
        link_by_relation(tx, client_id, id, p, now_s)?;
    }
    let what = if p.relation.is_empty() { String::new() } else { format!(" ({})", p.relation) };
    log_record_event(
        tx,
        client_id,
        now_s,
        now_s,
        "person",
        &format!("Added {}{what} to the people around the client", p.name),
        Some((RecordKind::Person, id)),
    )?;
    Ok(id)
}

impl Store {
    /// Everyone recorded around a client (the client's own row first, then by name).
    pub fn people(&self, client_id: i64) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM people WHERE client_id = ?1 ORDER BY is_self DESC, family DESC, name, id"
        ))?;
        let rows = stmt.query_map([client_id], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM people WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no person {}.", person_ref(id))))
    }

    pub fn partnerships(&self, client_id: i64) -> Result<Vec<Partnership>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_a, person_b, status FROM partnerships WHERE client_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([client_id], |r| {
                let status = PartnerStatus::parse(&r.get::<_, String>(2)?).unwrap_or_default();
                Ok(Partnership { a: r.get(0)?, b: r.get(1)?, current: status.is_current(), status })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The client's own row (created if the family was never recorded).
    pub fn self_person(&mut self, client_id: i64, now: DateTime<Utc>) -> Result<i64> {
        let now = now_db(now);
        self.write(|tx| {
            require_client(tx, client_id)?;
            ensure_self(tx, client_id, &now)
        })
    }

    /// Adds a person around the client, with the links chosen on the form; a relative is also
    /// linked to the client by their relation when the form left that link empty.
    pub fn add_person(
        &mut self,
        client_id: i64,
        p: &PersonDraft,
        links: &Links,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let now_s = now_db(now);
        self.write(|tx| {
            require_client(tx, client_id)?;
            insert_person(tx, client_id, p, links, &now_s)
        })
    }

    /// Saves changes to a person and their links. `old_partner` is the partner the form showed,
    /// so choosing nobody (or someone else) ends that one link and no other.
    pub fn update_person(
        &mut self,
        id: i64,
        p: &PersonDraft,
        links: &Links,
        old_partner: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now_s = now_db(now);
        self.write(|tx| {
            let before = person_in(tx, id)?;
            // the client's own row keeps the client's name, which the intake owns
            let name = if before.is_self { before.name.clone() } else { p.name.clone() };
            tx.execute(
                "UPDATE people SET name=?2, relation=?3, sex=?4, birth_year=?5, deceased=?6, in_household=?7, family=?8, \
                 role=?9, organisation=?10, phone=?11, email=?12, notes=?13, updated_at=?14, tie_strength=?15, \
                 support_flow=?16, emotional_tie=?17 WHERE id=?1",
                params![
                    id,
                    name,
                    if before.is_self { "client".to_string() } else { p.relation.clone() },
                    p.sex,
                    p.birth_year,
                    p.deceased,
                    p.in_household || before.is_self,
                    p.family || before.is_self,
                    p.role,
                    p.organisation,
                    p.phone,
                    p.email,
                    p.notes,
                    now_s,
                    p.tie_strength,
                    p.support_flow,
                    p.emotional_tie
                ],
            )?;
            if let Some(old) = old_partner {
                if links.partner.map(|(x, _)| x) != Some(old) {
                    let (a, b) = if id < old { (id, old) } else { (old, id) };
                    tx.execute("DELETE FROM partnerships WHERE person_a = ?1 AND person_b = ?2", params![a, b])?;
                }
            }
            if before.is_self {
                // the client's own row and the intake say the same
                super::clients::write_sex(tx, before.client_id, &p.sex)?;
            }
            link_organisation(tx, id, &p.organisation)?;
            write_links(tx, before.client_id, id, links)?;
            log_record_event(
                tx,
                before.client_id,
                &now_s,
                &now_s,
                "person",
                &format!("Details of {} changed", name),
                Some((RecordKind::Person, id)),
            )?;
            Ok(())
        })
    }

    /// Removes someone recorded by mistake; links to them are cleared in the same transaction.
    pub fn remove_person(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let now_s = now_db(now);
        self.write(|tx| {
            let p = person_in(tx, id)?;
            if p.is_self {
                return Err(StoreError::Refused(
                    "The client's own place in the family tree cannot be removed.".into(),
                ));
            }
            tx.execute("UPDATE people SET mother_id = NULL WHERE mother_id = ?1", [id])?;
            tx.execute("UPDATE people SET father_id = NULL WHERE father_id = ?1", [id])?;
            tx.execute("DELETE FROM partnerships WHERE person_a = ?1 OR person_b = ?1", [id])?;
            tx.execute("DELETE FROM people WHERE id = ?1", [id])?;
            log_record_event(
                tx,
                p.client_id,
                &now_s,
                &now_s,
                "person",
                &format!("Removed {} from the people around the client", p.name),
                None,
            )
        })
    }
}

/// The person of the client's whose name matches (accents and case ignored), if exactly one.
pub(crate) fn person_named(tx: &rusqlite::Connection, client_id: i64, name: &str) -> Result<Option<i64>> {
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

impl Store {
    /// How strong a tie is and which way support flows (the ecomap), on the person's row.
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
}
