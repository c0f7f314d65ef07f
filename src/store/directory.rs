//! The resource directory in SQLite: organisations, services, locations, phones and need
//! categories; adding and editing by hand; listing and ranked search; and importing what a file
//! held (see `crate::import`) in one transaction.
//!
//! Referrals point at `services.id` (shown as `S-0012`); contact people at `organisations.id`
//! (`O-0003`). Use `Store::service`, `Store::resolve_service` and `Store::organisation`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::{now_db, Result, Store, StoreError};
use crate::domain::dates::{format_date, parse_ymd};
use crate::domain::directory::{
    fingerprint, organisation_ref, parse_organisation_ref, parse_service_ref, plan_typed_search, service_ref,
    DirectoryData, Interpreted, LocationRecord, MergedService, OrganisationLink, OrganisationRecord,
    PhoneRecord, Reading, ServiceEntry, ServiceRecord, SkippedRow, TypedSearch, Verification,
};
use crate::domain::search::fts_query_with;
use crate::domain::synonyms::directory_synonyms;
use crate::domain::text::{display_safe, name_key, quote};
use crate::domain::words::count;

/// Characters of a search that are used; the rest is ignored.
pub const SEARCH_MAX_CHARS: usize = 300;

/// A service as lists and search results show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub organisation_ref: String,
    #[serde(skip)]
    pub organisation_id: i64,
    /// The town of its first location with one.
    pub town: String,
    pub status: String,
    /// Need categories, comma-separated.
    pub categories: String,
    pub last_verified_on: Option<NaiveDate>,
}

impl ServiceSummary {
    pub fn verification(&self, today: NaiveDate) -> Verification {
        Verification::of(self.last_verified_on, today)
    }
}

/// An organisation, as a service's detail and the CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub email: String,
    pub website: String,
    pub notes: String,
    /// Made by an import for services whose organisation the file did not contain.
    pub placeholder: bool,
    pub source_id: Option<String>,
    pub last_verified_on: Option<NaiveDate>,
    pub phones: Vec<PhoneRecord>,
    /// Its places that no service is linked to (the file listed them without saying which
    /// service is there), so they are not lost.
    pub places_without_service: Vec<Location>,
}

/// A place where a service is delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    #[serde(skip)]
    pub id: i64,
    #[serde(flatten)]
    pub record: LocationRecord,
}

/// Everything about one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    pub organisation: Organisation,
    pub name: String,
    pub alternate_name: String,
    pub description: String,
    pub status: String,
    pub email: String,
    pub website: String,
    pub hours: String,
    pub eligibility: String,
    pub fees: String,
    pub languages: String,
    pub how_to_refer: String,
    pub notes: String,
    pub categories: Vec<String>,
    pub last_verified_on: Option<NaiveDate>,
    pub phones: Vec<PhoneRecord>,
    pub locations: Vec<Location>,
    pub source_id: Option<String>,
    pub updated_at: String,
}

impl Organisation {
    /// What a placeholder organisation is, in words the practitioner can act on.
    pub fn placeholder_note(&self) -> String {
        match &self.source_id {
            Some(sid) => format!(
                "not in the file (id {}): the import filed services under an organisation the file did not \
                 contain. Import a file that holds it (it takes this one's place), or edit the service to \
                 choose its organisation.",
                display_safe(sid)
            ),
            None => "not named in the file: edit the service to choose its organisation.".to_string(),
        }
    }
}

impl Service {
    pub fn verification(&self, today: NaiveDate) -> Verification {
        Verification::of(self.last_verified_on, today)
    }

    /// The service as form input, for editing (the first location's address).
    pub fn input(&self) -> crate::domain::directory::ServiceInput {
        let loc = self.locations.first().map(|l| &l.record);
        crate::domain::directory::ServiceInput {
            organisation: self.organisation.name.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            status: self.status.clone(),
            phones: self.phones.iter().map(phone_as_typed).collect::<Vec<_>>().join("; "),
            email: self.email.clone(),
            website: self.website.clone(),
            address: loc.map(|l| l.address.clone()).unwrap_or_default(),
            town: loc.map(|l| l.town.clone()).unwrap_or_default(),
            postcode: loc.map(|l| l.postcode.clone()).unwrap_or_default(),
            hours: self.hours.clone(),
            eligibility: self.eligibility.clone(),
            fees: self.fees.clone(),
            languages: self.languages.clone(),
            how_to_refer: self.how_to_refer.clone(),
            categories: self.categories.join(", "),
            last_verified_on: self.last_verified_on.map(format_date).unwrap_or_default(),
            notes: self.notes.clone(),
        }
    }
}

fn phone_as_typed(p: &PhoneRecord) -> String {
    if p.extension.is_empty() {
        p.number.clone()
    } else {
        format!("{} ext {}", p.number, p.extension)
    }
}

/// How many records an import added, changed, or found as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// An organisation made up to hold services whose organisation the file did not contain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceholderOrganisation {
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    /// The organisation id the services named, if any.
    pub source_id: Option<String>,
    /// The services filed under it (refs).
    pub services: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub format: String,
    pub organisations: Counts,
    pub services: Counts,
    pub locations: Counts,
    pub duplicates_collapsed: usize,
    /// What the reader assumed about the files (no datapackage.json, a listed file absent).
    pub assumed: Vec<String>,
    /// What was read into values the file did not say plainly, each with where it was.
    pub interpreted: Vec<Interpreted>,
    pub skipped: Vec<SkippedRow>,
    pub placeholder_organisations: Vec<PlaceholderOrganisation>,
    /// Services merged into another as its duplicates (their ids kept as aliases).
    pub merged_services: Vec<MergedService>,
}

impl ImportReport {
    /// The report as plain lines, for the CLI and the TUI.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("Read as: {}", self.format)];
        for a in &self.assumed {
            out.push(format!("Assumed: {a}."));
        }
        for (what, c) in [
            ("organisations", self.organisations),
            ("services", self.services),
            ("locations", self.locations),
        ] {
            out.push(format!(
                "{what:<14} {} added, {} updated, {} unchanged",
                c.added, c.updated, c.unchanged
            ));
        }
        if self.duplicates_collapsed > 0 {
            let were = if self.duplicates_collapsed == 1 { "was" } else { "were" };
            out.push(format!(
                "{} {were} merged into the first.",
                count(self.duplicates_collapsed, "repeated row", "repeated rows")
            ));
        }
        if !self.merged_services.is_empty() {
            let into: BTreeSet<&str> = self.merged_services.iter().map(|m| m.into_origin.as_str()).collect();
            let n = self.merged_services.len();
            out.push(format!(
                "{} {} like {} of others: merged into {} (their ids are kept as aliases, so a re-import still \
                 matches):",
                count(n, "service", "services"),
                if n == 1 { "looks" } else { "look" },
                if n == 1 { "a duplicate" } else { "duplicates" },
                into.len()
            ));
            for m in &self.merged_services {
                let id = m.source_id.as_deref().map(|id| format!(" (id {})", quote(id))).unwrap_or_default();
                out.push(format!("  {}{id} into {} {}", m.origin, m.into_origin, quote(&m.name)));
            }
        }
        let mut readings: Vec<Reading> = self.interpreted.iter().map(|i| i.reading).collect();
        readings.sort_unstable();
        readings.dedup();
        for reading in readings {
            let origins: Vec<&str> =
                self.interpreted.iter().filter(|i| i.reading == reading).map(|i| i.origin.as_str()).collect();
            out.push(format!("{}:", reading.summary(origins.len())));
            out.push(format!("  {}", origins.join(", ")));
        }
        if self.skipped.is_empty() {
            out.push("No rows were skipped.".into());
        } else {
            out.push(format!("Skipped {}:", count(self.skipped.len(), "row", "rows")));
            out.extend(self.skipped.iter().map(|s| format!("  {}: {}", s.origin, s.reason)));
        }
        if !self.placeholder_organisations.is_empty() {
            out.push(
                "Services filed under a placeholder organisation, as the file names an organisation it does not \
                 contain (import a file that holds it and they move to it, or edit the services):"
                    .into(),
            );
            for p in &self.placeholder_organisations {
                out.push(format!("  {} {}: {}", p.reference, p.name, p.services.join(", ")));
            }
        }
        out
    }
}

/// How far an import has got: records written of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

const SUMMARY_SELECT: &str = "SELECT s.id, s.name, o.id, o.name, s.status, s.last_verified_on, \
    coalesce((SELECT l.town FROM service_locations sl JOIN locations l ON l.id = sl.location_id \
        WHERE sl.service_id = s.id AND l.town <> '' ORDER BY l.id LIMIT 1), ''), \
    coalesce((SELECT group_concat(c.name, ', ') FROM service_categories sc \
        JOIN need_categories c ON c.id = sc.category_id WHERE sc.service_id = s.id), '') \
    FROM services s JOIN organisations o ON o.id = s.organisation_id";

/// The columns `location_from_row` reads, of `locations l`.
const LOCATION_COLUMNS: &str =
    "l.id, l.name, l.description, l.address, l.town, l.region, l.postcode, l.country, \
     l.transport, l.hours, l.source_id, l.carried_by";

/// A location (without its phones) from a row of `LOCATION_COLUMNS`.
fn location_from_row(r: &Row<'_>) -> rusqlite::Result<Location> {
    Ok(Location {
        id: r.get(0)?,
        record: LocationRecord {
            name: r.get(1)?,
            description: r.get(2)?,
            address: r.get(3)?,
            town: r.get(4)?,
            region: r.get(5)?,
            postcode: r.get(6)?,
            country: r.get(7)?,
            transport: r.get(8)?,
            hours: r.get(9)?,
            source_id: r.get(10)?,
            phones: Vec::new(),
            carried_by: r.get(11)?,
        },
    })
}

fn day(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(parse_ymd)
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ServiceSummary> {
    let id: i64 = r.get(0)?;
    let org: i64 = r.get(2)?;
    Ok(ServiceSummary {
        reference: service_ref(id),
        id,
        name: r.get(1)?,
        organisation_id: org,
        organisation_ref: organisation_ref(org),
        organisation: r.get(3)?,
        status: r.get(4)?,
        last_verified_on: day(r.get(5)?),
        town: r.get(6)?,
        categories: r.get(7)?,
    })
}

/// Who a phone belongs to.
#[derive(Debug, Clone, Copy)]
enum Owner {
    Organisation(i64),
    Service(i64),
    Location(i64),
}

impl Owner {
    fn column(self) -> (&'static str, i64) {
        match self {
            Owner::Organisation(id) => ("organisation_id", id),
            Owner::Service(id) => ("service_id", id),
            Owner::Location(id) => ("location_id", id),
        }
    }
}

fn phones_of(conn: &Connection, owner: Owner) -> Result<Vec<PhoneRecord>> {
    let (col, id) = owner.column();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT number, extension, kind, description, languages FROM directory_phones WHERE {col} = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(PhoneRecord {
                number: r.get(0)?,
                extension: r.get(1)?,
                kind: r.get(2)?,
                description: r.get(3)?,
                languages: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Who gives a list of phones: the practitioner (a form, a command) or an import.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PhonesFrom {
    Hand,
    Import,
}

/// Writes an owner's phones. The practitioner's list replaces everything, and a number the
/// last import did not give is marked as added by hand; an import replaces only what imports
/// gave, so a local number added by hand survives a newer export (and is not doubled by it).
fn set_phones(tx: &Transaction<'_>, owner: Owner, phones: &[PhoneRecord], from: PhonesFrom) -> Result<()> {
    let (col, id) = owner.column();
    // the same line however it is written ("+44 1234 234567 ext 100" is +44 1234 234567, ext. 100)
    let digits = |number: &str, ext: &str| crate::domain::client::phone_digits(&format!("{number}{ext}"));
    let same = |a: &PhoneRecord, b: &(String, String)| {
        let key = digits(&a.number, &a.extension);
        !key.is_empty() && key == digits(&b.0, &b.1) || key.is_empty() && a.number.trim() == b.0.trim()
    };
    let listed = |by_hand: bool| -> Result<Vec<(String, String)>> {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT number, extension FROM directory_phones WHERE {col} = ?1 AND by_hand = ?2"
        ))?;
        let rows = stmt.query_map(params![id, by_hand], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut ins = tx.prepare_cached(&format!(
        "INSERT INTO directory_phones ({col}, number, extension, kind, description, languages, by_hand) \
         VALUES (?1,?2,?3,?4,?5,?6,?7)"
    ))?;
    match from {
        PhonesFrom::Hand => {
            let imported = listed(false)?;
            tx.prepare_cached(&format!("DELETE FROM directory_phones WHERE {col} = ?1"))?.execute([id])?;
            for p in phones {
                let by_hand = !imported.iter().any(|i| same(p, i));
                ins.execute(params![id, p.number, p.extension, p.kind, p.description, p.languages, by_hand])?;
            }
        }
        PhonesFrom::Import => {
            tx.prepare_cached(&format!("DELETE FROM directory_phones WHERE {col} = ?1 AND by_hand = 0"))?
                .execute([id])?;
            let kept = listed(true)?;
            for p in phones.iter().filter(|p| !kept.iter().any(|k| same(p, k))) {
                ins.execute(params![id, p.number, p.extension, p.kind, p.description, p.languages, false])?;
            }
        }
    }
    Ok(())
}

fn set_categories(tx: &Transaction<'_>, service_id: i64, names: &[String]) -> Result<()> {
    tx.prepare_cached("DELETE FROM service_categories WHERE service_id = ?1")?.execute([service_id])?;
    let mut find = tx.prepare_cached("SELECT id FROM need_categories WHERE name_key = ?1")?;
    let mut add = tx.prepare_cached("INSERT INTO need_categories (name, name_key) VALUES (?1, ?2)")?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO service_categories (service_id, category_id) VALUES (?1, ?2)",
    )?;
    for name in names {
        let key = name_key(name);
        if key.is_empty() {
            continue;
        }
        let id: i64 = match find.query_row([&key], |r| r.get(0)).optional()? {
            Some(id) => id,
            None => {
                add.execute(params![name, key])?;
                tx.last_insert_rowid()
            }
        };
        link.execute(params![service_id, id])?;
    }
    Ok(())
}

/// Rewrites a service's row in the directory's full-text index.
fn reindex(tx: &Transaction<'_>, service_id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM directory_index WHERE rowid = ?1")?.execute([service_id])?;
    tx.prepare_cached(
        "INSERT INTO directory_index (rowid, name, description, categories, languages, places) \
         SELECT s.id, s.name || ' ' || s.alternate_name || ' ' || o.name, \
         s.description || ' ' || s.eligibility || ' ' || s.how_to_refer, \
         coalesce((SELECT group_concat(c.name, ' ') FROM service_categories sc \
             JOIN need_categories c ON c.id = sc.category_id WHERE sc.service_id = s.id), ''), \
         s.languages, \
         coalesce((SELECT group_concat(l.name || ' ' || l.address || ' ' || l.town || ' ' || l.region || ' ' || l.postcode, ' ') \
             FROM service_locations sl JOIN locations l ON l.id = sl.location_id WHERE sl.service_id = s.id), '') \
         FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ?1",
    )?
    .execute([service_id])?;
    Ok(())
}

fn day_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(format_date)
}

/// Finds the organisation a form names (O-0003, or a name), or makes a new one.
fn organisation_for_entry(tx: &Transaction<'_>, text: &str, now: &str) -> Result<i64> {
    if let Some(id) = parse_organisation_ref(text) {
        let found: Option<i64> =
            tx.query_row("SELECT id FROM organisations WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        return found.ok_or_else(|| {
            StoreError::invalid("organisation", format!("There is no organisation {}.", organisation_ref(id)))
        });
    }
    let key = name_key(text);
    let found: Option<i64> = tx
        .query_row(
            "SELECT id FROM organisations WHERE name_key = ?1 ORDER BY placeholder, id LIMIT 1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO organisations (name, name_key, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![text, key, now],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Adds a service typed by hand (and its organisation, if new) in one transaction.
    pub fn add_service(&mut self, e: &ServiceEntry, now: DateTime<Utc>) -> Result<i64> {
        let now = now_db(now);
        self.write(|tx| {
            let org = organisation_for_entry(tx, &e.organisation, &now)?;
            let s = &e.service;
            execute_service(
                tx,
                "INSERT INTO services (organisation_id, name, alternate_name, description, status, email, website, \
                 hours, eligibility, fees, languages, how_to_refer, notes, last_verified_on, name_key, created_at, updated_at) \
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?16)",
                org,
                e,
                &now,
                None,
            )?;
            let id = tx.last_insert_rowid();
            set_phones(tx, Owner::Service(id), &s.phones, PhonesFrom::Hand)?;
            set_categories(tx, id, &s.categories)?;
            if !e.location.is_empty() {
                let loc = insert_location(tx, &e.location, Some(org), None, &now)?;
                tx.execute("INSERT INTO service_locations (service_id, location_id) VALUES (?1, ?2)", [id, loc])?;
            }
            reindex(tx, id)?;
            Ok(id)
        })
    }

    /// Saves edits to a service. The address edits its first location (made if it has none).
    pub fn update_service(&mut self, id: i64, e: &ServiceEntry, now: DateTime<Utc>) -> Result<()> {
        let now = now_db(now);
        self.write(|tx| {
            let org = organisation_for_entry(tx, &e.organisation, &now)?;
            let s = &e.service;
            // the form does not edit the alternate name (?3): an import's stays
            let n = execute_service(
                tx,
                "UPDATE services SET organisation_id=?1, name=?2, description=?4, status=?5, email=?6, website=?7, \
                 hours=?8, eligibility=?9, fees=?10, languages=?11, how_to_refer=?12, notes=?13, last_verified_on=?14, \
                 name_key=?15, updated_at=?16 WHERE id=?17",
                org,
                e,
                &now,
                Some(id),
            )?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("There is no service {}.", service_ref(id))));
            }
            set_phones(tx, Owner::Service(id), &s.phones, PhonesFrom::Hand)?;
            set_categories(tx, id, &s.categories)?;
            let first: Option<i64> = tx
                .query_row(
                    "SELECT location_id FROM service_locations WHERE service_id = ?1 ORDER BY location_id LIMIT 1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            match (first, e.location.is_empty()) {
                (Some(loc), true) => {
                    tx.execute("DELETE FROM service_locations WHERE service_id = ?1 AND location_id = ?2", [id, loc])?;
                }
                (Some(loc), false) => {
                    let affected: Vec<i64> = services_at(tx, loc)?;
                    tx.execute(
                        "UPDATE locations SET address=?2, town=?3, postcode=?4, updated_at=?5 WHERE id=?1",
                        params![loc, e.location.address, e.location.town, e.location.postcode, now],
                    )?;
                    for other in affected {
                        reindex(tx, other)?;
                    }
                }
                (None, false) => {
                    let loc = insert_location(tx, &e.location, Some(org), None, &now)?;
                    tx.execute("INSERT INTO service_locations (service_id, location_id) VALUES (?1, ?2)", [id, loc])?;
                }
                (None, true) => {}
            }
            reindex(tx, id)?;
            Ok(())
        })
    }

    pub fn service(&self, id: i64) -> Result<Service> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT organisation_id, name, alternate_name, description, status, email, website, hours, eligibility, \
                 fees, languages, how_to_refer, notes, last_verified_on, source_id, updated_at FROM services WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                        r.get(12)?,
                    ],
                    day(r.get(13)?),
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, String>(15)?,
                ))
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no service {}.", service_ref(id))))?;
        let (org, t, last_verified_on, source_id, updated_at) = row;
        let [name, alternate_name, description, status, email, website, hours, eligibility, fees, languages, how_to_refer, notes] =
            t;
        let mut cats = self.conn.prepare_cached(
            "SELECT c.name FROM service_categories sc JOIN need_categories c ON c.id = sc.category_id \
             WHERE sc.service_id = ?1 ORDER BY c.name_key",
        )?;
        let categories = cats.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut locs = self.conn.prepare_cached(&format!(
            "SELECT {LOCATION_COLUMNS} FROM service_locations sl JOIN locations l ON l.id = sl.location_id \
             WHERE sl.service_id = ?1 ORDER BY l.id"
        ))?;
        let mut locations: Vec<Location> =
            locs.query_map([id], location_from_row)?.collect::<rusqlite::Result<_>>()?;
        for l in &mut locations {
            l.record.phones = phones_of(&self.conn, Owner::Location(l.id))?;
        }
        Ok(Service {
            reference: service_ref(id),
            id,
            organisation: self.organisation(org)?,
            name,
            alternate_name,
            description,
            status,
            email,
            website,
            hours,
            eligibility,
            fees,
            languages,
            how_to_refer,
            notes,
            categories,
            last_verified_on,
            phones: phones_of(&self.conn, Owner::Service(id))?,
            locations,
            source_id,
            updated_at,
        })
    }

    pub fn organisation(&self, id: i64) -> Result<Organisation> {
        let mut o = self
            .conn
            .prepare_cached(
                "SELECT name, description, email, website, notes, placeholder, source_id, last_verified_on \
                 FROM organisations WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Organisation {
                    reference: organisation_ref(id),
                    id,
                    name: r.get(0)?,
                    description: r.get(1)?,
                    email: r.get(2)?,
                    website: r.get(3)?,
                    notes: r.get(4)?,
                    placeholder: r.get(5)?,
                    source_id: r.get(6)?,
                    last_verified_on: day(r.get(7)?),
                    phones: Vec::new(),
                    places_without_service: Vec::new(),
                })
            })
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("There is no organisation {}.", organisation_ref(id)))
            })?;
        o.phones = phones_of(&self.conn, Owner::Organisation(id))?;
        let mut places = self.conn.prepare_cached(&format!(
            "SELECT {LOCATION_COLUMNS} FROM locations l WHERE l.organisation_id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM service_locations sl WHERE sl.location_id = l.id) ORDER BY l.id"
        ))?;
        o.places_without_service =
            places.query_map([id], location_from_row)?.collect::<rusqlite::Result<_>>()?;
        for l in &mut o.places_without_service {
            l.record.phones = phones_of(&self.conn, Owner::Location(l.id))?;
        }
        Ok(o)
    }

    /// The services an organisation runs, by name.
    pub fn organisation_services(&self, organisation_id: i64) -> Result<Vec<ServiceSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SUMMARY_SELECT} WHERE s.organisation_id = ?1 ORDER BY s.name_key, s.id"
        ))?;
        let rows = stmt.query_map([organisation_id], summary_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Finds a service by reference (`S-0012`) or by a unique part of its name.
    pub fn resolve_service(&self, text: &str) -> Result<Service> {
        if let Some(id) = parse_service_ref(text) {
            return self.service(id);
        }
        let needle = name_key(text);
        if needle.is_empty() {
            return Err(StoreError::Refused("Give a service reference (S-0012) or part of its name.".into()));
        }
        // SQLite refuses a LIKE pattern over 50 KB; no service name is a tenth of that
        if needle.chars().count() > 1_000 {
            return Err(StoreError::NotFound(
                "No service matches that: a name is at most 1,000 characters.".into(),
            ));
        }
        let pattern = format!("%{}%", needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM services WHERE name_key LIKE ?1 ESCAPE '\\' ORDER BY name_key, id LIMIT 11",
            )?
            .query_map([pattern], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.len() {
            0 => Err(StoreError::NotFound("No service matches that name or reference.".into())),
            1 => self.service(ids[0]),
            _ => {
                let list: Vec<String> = self
                    .service_summaries(&ids[..ids.len().min(10)])?
                    .iter()
                    .map(|s| format!("  {}  {} ({})", s.reference, s.name, s.organisation))
                    .collect();
                Err(StoreError::Refused(format!(
                    "More than one service matches; use the reference:\n{}{}",
                    list.join("\n"),
                    if ids.len() > 10 { "\n  ..." } else { "" }
                )))
            }
        }
    }

    pub fn count_services(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM services", [], |r| r.get(0))?)
    }

    pub fn count_organisations(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM organisations", [], |r| r.get(0))?)
    }

    pub fn count_locations(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM locations", [], |r| r.get(0))?)
    }

    /// Service ids in list order (by name); ids only, so 10,000 services cost a few kilobytes.
    pub fn service_ids(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM services ORDER BY name_key, id")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// A page of the list, by name.
    pub fn services_page(&self, offset: usize, limit: usize) -> Result<Vec<ServiceSummary>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{SUMMARY_SELECT} ORDER BY s.name_key, s.id LIMIT ?1 OFFSET ?2"))?;
        let rows = stmt
            .query_map(params![limit as i64, offset as i64], summary_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Summaries of the given services, in the order given (the visible page of a list).
    pub fn service_summaries(&self, ids: &[i64]) -> Result<Vec<ServiceSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; ids.len()].join(",");
        let mut stmt = self.conn.prepare(&format!("{SUMMARY_SELECT} WHERE s.id IN ({placeholders})"))?;
        let mut found: Vec<ServiceSummary> = stmt
            .query_map(rusqlite::params_from_iter(ids.iter()), summary_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let order: BTreeMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        found.sort_by_key(|s| order.get(&s.id).copied().unwrap_or(usize::MAX));
        Ok(found)
    }

    /// Ranked service ids for what was typed: names weigh most, then need categories, languages
    /// and places (town, postcode, address), then descriptions. Nothing typed can cause an error.
    /// With `prefix_last` (search as you type) see `plan_typed_search`: one or two letters list
    /// the services whose names start with them.
    pub fn search_directory_ids(&self, text: &str, prefix_last: bool, limit: usize) -> Result<Vec<i64>> {
        // Every word must match, so a pasted page would only take FTS5 a long time to find
        // nothing: the first few hundred characters say what is being looked for.
        let text = match text.char_indices().nth(SEARCH_MAX_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let (text, prefix_last) = if prefix_last {
            match plan_typed_search(text) {
                TypedSearch::Nothing => return Ok(Vec::new()),
                TypedSearch::NameStartsWith(key) => {
                    let mut stmt = self.conn.prepare_cached(
                        "SELECT id FROM services WHERE name_key >= ?1 AND name_key < ?1 || char(1114111) \
                         ORDER BY name_key, id LIMIT ?2",
                    )?;
                    let ids = stmt
                        .query_map(params![key, limit as i64], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    return Ok(ids);
                }
                TypedSearch::Words { text, prefix_last } => (text, prefix_last),
            }
        } else {
            (text.to_string(), false)
        };
        // a word also finds what its synonyms say: "food" a soup kitchen (assets/directory)
        let synonyms = directory_synonyms();
        let Some(query) = fts_query_with(&text, prefix_last, |w| synonyms.alternatives(w)) else {
            return Ok(Vec::new());
        };
        // what a service offers first: every word (or a synonym of it) in its need categories,
        // then in its name, then in its town and address; then the rest, each tier by relevance
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.rowid FROM directory_index h WHERE h.directory_index MATCH ?1 ORDER BY \
             CASE WHEN h.rowid IN (SELECT rowid FROM directory_index WHERE directory_index MATCH ?2) THEN 0 \
                  WHEN h.rowid IN (SELECT rowid FROM directory_index WHERE directory_index MATCH ?3) THEN 1 \
                  WHEN h.rowid IN (SELECT rowid FROM directory_index WHERE directory_index MATCH ?4) THEN 2 \
                  ELSE 3 END, h.rank LIMIT ?5",
        )?;
        let column = |c: &str| format!("{c} : ({query})");
        let ids = stmt
            .query_map(
                params![query, column("categories"), column("name"), column("places"), limit as i64],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Of `ids`, in their order, the services that are active and were verified in the last
    /// year on `today` (the directory's "ready to refer" view).
    pub fn active_and_verified(&self, ids: &[i64], today: NaiveDate) -> Result<Vec<i64>> {
        let since = format_date(Verification::current_since(today));
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM services WHERE (status = 'active' OR status = '') AND last_verified_on >= ?1",
        )?;
        let ready: std::collections::HashSet<i64> =
            stmt.query_map([since], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().copied().filter(|id| ready.contains(id)).collect())
    }

    /// Ranked services for what was typed (best first), as summaries.
    pub fn search_directory(
        &self,
        text: &str,
        prefix_last: bool,
        limit: usize,
    ) -> Result<Vec<ServiceSummary>> {
        let ids = self.search_directory_ids(text, prefix_last, limit)?;
        self.service_summaries(&ids)
    }

    /// Writes what an import found, in one transaction: everything or nothing. Records with a
    /// source id update the row imported from the same id; records without one match on name
    /// (and, for services, organisation). An entry whose content in the file has not changed
    /// since the last import is left alone, hand edits included.
    pub fn import_directory(
        &mut self,
        data: &DirectoryData,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let now = now_db(now);
        self.write(|tx| import_in(tx, data, &now, progress))
    }

    /// What importing `data` would do, without doing it: the same import inside a
    /// transaction that is rolled back (`directory import --dry-run`).
    pub fn preview_directory_import(
        &mut self,
        data: &DirectoryData,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let now = now_db(now);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let report = import_in(&tx, data, &now, progress)?;
        tx.rollback()?;
        Ok(report)
    }
}

/// Writes an import inside a transaction someone else holds (`caseload demo` adds its
/// synthetic directory in the same transaction as its clients).
pub(crate) fn import_in(
    tx: &Transaction<'_>,
    data: &DirectoryData,
    now: &str,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport> {
    let now = now.to_string();
    let total = data.organisations.len() + data.locations.len() + data.services.len();
    let mut done = 0usize;
    progress(ImportProgress { done: 0, total });
    let mut tick = |done: &mut usize| {
        *done += 1;
        if (*done).is_multiple_of(250) || *done == total {
            progress(ImportProgress { done: *done, total });
        }
    };
    let mut report = ImportReport {
        format: data.format.clone(),
        duplicates_collapsed: data.duplicates_collapsed,
        interpreted: data.interpreted.clone(),
        assumed: data.assumed.clone(),
        skipped: data.skipped.clone(),
        merged_services: data.merged_services.clone(),
        ..Default::default()
    };
    let mut to_reindex: BTreeSet<i64> = BTreeSet::new();
    let mut org_ids = Vec::with_capacity(data.organisations.len());
    for o in &data.organisations {
        let (id, outcome) = upsert_organisation(tx, o, &now)?;
        if outcome == Outcome::Updated {
            to_reindex.extend(services_of_organisation(tx, id)?);
        }
        report.organisations.count(outcome);
        org_ids.push(id);
        tick(&mut done);
    }
    let mut loc_ids = Vec::with_capacity(data.locations.len());
    for (l, org) in &data.locations {
        let org_id = org.and_then(|i| org_ids.get(i).copied());
        let (id, outcome) = upsert_location(tx, l, org_id, &now)?;
        if outcome == Outcome::Updated {
            to_reindex.extend(services_at(tx, id)?);
        }
        report.locations.count(outcome);
        loc_ids.push(id);
        tick(&mut done);
    }
    let mut placeholders: BTreeMap<i64, PlaceholderOrganisation> = BTreeMap::new();
    for s in &data.services {
        let org_id = match &s.organisation {
            OrganisationLink::InFile(i) => org_ids.get(*i).copied().ok_or_else(|| {
                StoreError::Refused("The import refers to an organisation it does not hold.".into())
            })?,
            OrganisationLink::Missing { source_id } => {
                let (id, placeholder) = organisation_for_missing(tx, source_id.as_deref(), &now)?;
                if placeholder {
                    let name: String =
                        tx.query_row("SELECT name FROM organisations WHERE id = ?1", [id], |r| r.get(0))?;
                    placeholders.entry(id).or_insert_with(|| PlaceholderOrganisation {
                        reference: organisation_ref(id),
                        name,
                        source_id: source_id.clone(),
                        services: Vec::new(),
                    });
                }
                id
            }
        };
        let locations: Vec<i64> = s.locations.iter().filter_map(|i| loc_ids.get(*i).copied()).collect();
        let (id, outcome) = upsert_service(tx, &s.record, &s.aliases, org_id, &locations, &now)?;
        set_aliases(tx, id, &s.aliases)?;
        if let Some(p) = placeholders.get_mut(&org_id) {
            p.services.push(service_ref(id));
        }
        if outcome != Outcome::Unchanged {
            to_reindex.insert(id);
        }
        report.services.count(outcome);
        tick(&mut done);
    }
    for id in to_reindex {
        reindex(tx, id)?;
    }
    report.placeholder_organisations = placeholders.into_values().collect();
    Ok(report)
}

fn services_of_organisation(tx: &Transaction<'_>, org: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT id FROM services WHERE organisation_id = ?1")?;
    let ids = stmt.query_map([org], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn services_at(tx: &Transaction<'_>, location: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT service_id FROM service_locations WHERE location_id = ?1")?;
    let ids = stmt.query_map([location], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn json_fingerprint<T: Serialize>(parts: &T, extra: &str) -> String {
    let json = serde_json::to_string(parts).unwrap_or_default();
    fingerprint(&[&json, extra])
}

/// The row a record should update: the one imported from the same id, else (for records
/// without a known id) one with the same name that no other import claims.
fn existing(
    tx: &Transaction<'_>,
    table: &str,
    source_id: Option<&str>,
    by_name: &str,
    name_params: &[&dyn rusqlite::ToSql],
) -> Result<Option<(i64, Option<String>)>> {
    if let Some(sid) = source_id {
        let found = tx
            .prepare_cached(&format!("SELECT id, import_fingerprint FROM {table} WHERE source_id = ?1"))?
            .query_row([sid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(tx
        .prepare_cached(&format!(
            "SELECT id, import_fingerprint FROM {table} WHERE source_id IS NULL AND {by_name} ORDER BY id LIMIT 1"
        ))?
        .query_row(name_params, |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn upsert_organisation(tx: &Transaction<'_>, o: &OrganisationRecord, now: &str) -> Result<(i64, Outcome)> {
    let fp = json_fingerprint(o, "");
    let key = name_key(&o.name);
    let found =
        existing(tx, "organisations", o.source_id.as_deref(), "name_key = ?1 AND placeholder = 0", &[&key])?;
    let outcome = match found {
        Some((id, Some(old))) if old == fp => return Ok((id, Outcome::Unchanged)),
        Some((id, _)) => {
            tx.execute(
                "UPDATE organisations SET name=?2, description=?3, email=?4, website=?5, placeholder=0, source_id=?6, \
                 import_fingerprint=?7, name_key=?8, updated_at=?9 WHERE id=?1",
                params![id, o.name, o.description, o.email, o.website, o.source_id, fp, key, now],
            )?;
            (id, Outcome::Updated)
        }
        None => {
            tx.execute(
                "INSERT INTO organisations (name, description, email, website, source_id, import_fingerprint, name_key, \
                 created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8)",
                params![o.name, o.description, o.email, o.website, o.source_id, fp, key, now],
            )?;
            (tx.last_insert_rowid(), Outcome::Added)
        }
    };
    set_phones(tx, Owner::Organisation(outcome.0), &o.phones, PhonesFrom::Import)?;
    Ok(outcome)
}

/// The organisation for a service whose organisation the file did not contain: one imported
/// earlier under the same id, else a placeholder (true) that a later import can fill in.
fn organisation_for_missing(tx: &Transaction<'_>, source_id: Option<&str>, now: &str) -> Result<(i64, bool)> {
    let found: Option<(i64, bool)> = match source_id {
        Some(sid) => tx
            .query_row("SELECT id, placeholder FROM organisations WHERE source_id = ?1", [sid], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?,
        None => tx
            .query_row(
                "SELECT id, 1 FROM organisations WHERE placeholder = 1 AND source_id IS NULL ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    if let Some(f) = found {
        return Ok(f);
    }
    let (name, notes) = match source_id {
        Some(sid) => (
            format!("Organisation not in the file (id {sid})"),
            format!(
                "Made by an import: the file filed services under organisation id {sid}, which it does not \
                 contain. Import a file that holds that organisation (it takes this one's place), or give this \
                 one its real name."
            ),
        ),
        None => (
            "Organisation not named in the file".to_string(),
            "Made by an import: the file gave some services no organisation. Edit a service to give it \
             its organisation."
                .to_string(),
        ),
    };
    tx.execute(
        "INSERT INTO organisations (name, placeholder, source_id, name_key, notes, created_at, updated_at) \
         VALUES (?1, 1, ?2, ?3, ?4, ?5, ?5)",
        params![name, source_id, name_key(&name), notes, now],
    )?;
    Ok((tx.last_insert_rowid(), true))
}

fn insert_location(
    tx: &Transaction<'_>,
    l: &LocationRecord,
    org: Option<i64>,
    fp: Option<&str>,
    now: &str,
) -> Result<i64> {
    execute_location(
        tx,
        "INSERT INTO locations (organisation_id, name, description, address, town, region, postcode, country, \
         transport, hours, source_id, import_fingerprint, created_at, updated_at, carried_by) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?14)",
        l,
        org,
        fp,
        now,
        None,
    )?;
    let id = tx.last_insert_rowid();
    set_phones(tx, Owner::Location(id), &l.phones, PhonesFrom::Import)?;
    Ok(id)
}

fn upsert_location(
    tx: &Transaction<'_>,
    l: &LocationRecord,
    org: Option<i64>,
    now: &str,
) -> Result<(i64, Outcome)> {
    let fp = json_fingerprint(l, &org.map(|o| o.to_string()).unwrap_or_default());
    let found = existing(
        tx,
        "locations",
        l.source_id.as_deref(),
        "organisation_id IS ?1 AND name = ?2 AND address = ?3 AND town = ?4",
        &[&org, &l.name, &l.address, &l.town],
    )?;
    match found {
        Some((id, Some(old))) if old == fp => Ok((id, Outcome::Unchanged)),
        Some((id, _)) => {
            execute_location(
                tx,
                "UPDATE locations SET organisation_id=?1, name=?2, description=?3, address=?4, town=?5, region=?6, \
                 postcode=?7, country=?8, transport=?9, hours=?10, source_id=?11, import_fingerprint=?12, \
                 updated_at=?13, carried_by=?14 WHERE id=?15",
                l,
                org,
                Some(&fp),
                now,
                Some(id),
            )?;
            set_phones(tx, Owner::Location(id), &l.phones, PhonesFrom::Import)?;
            Ok((id, Outcome::Updated))
        }
        None => Ok((insert_location(tx, l, org, Some(&fp), now)?, Outcome::Added)),
    }
}

/// The service row an imported service updates: the one imported under its id or under one of
/// its aliases (the ids of duplicates merged into it), else one of the same name and
/// organisation that no other import claims.
fn existing_service(
    tx: &Transaction<'_>,
    s: &ServiceRecord,
    aliases: &[String],
    org: i64,
    key: &str,
) -> Result<Option<(i64, Option<String>)>> {
    for sid in s.source_id.iter().chain(aliases) {
        let found = tx
            .prepare_cached("SELECT id, import_fingerprint FROM services WHERE source_id = ?1")?
            .query_row([sid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
        let found = tx
            .prepare_cached(
                "SELECT s.id, s.import_fingerprint FROM service_aliases a JOIN services s ON s.id = a.service_id \
                 WHERE a.source_id = ?1",
            )?
            .query_row([sid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    existing(tx, "services", None, "organisation_id = ?1 AND name_key = ?2", &[&org, &key])
}

/// Keeps the ids of duplicates merged into a service, so a later import finds it under them.
fn set_aliases(tx: &Transaction<'_>, service_id: i64, aliases: &[String]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO service_aliases (source_id, service_id) VALUES (?1, ?2) \
         ON CONFLICT (source_id) DO UPDATE SET service_id = excluded.service_id",
    )?;
    for a in aliases {
        stmt.execute(params![a, service_id])?;
    }
    Ok(())
}

fn upsert_service(
    tx: &Transaction<'_>,
    s: &ServiceRecord,
    aliases: &[String],
    org: i64,
    locations: &[i64],
    now: &str,
) -> Result<(i64, Outcome)> {
    let mut links = format!("{org}:{locations:?}");
    if !aliases.is_empty() {
        links.push_str(&format!(":{aliases:?}"));
    }
    let fp = json_fingerprint(s, &links);
    let key = name_key(&s.name);
    let found = existing_service(tx, s, aliases, org, &key)?;
    let verified = day_text(s.last_verified_on);
    // ?1..?17 in the order of both statements; an update adds the id as ?18
    let mut values = service_columns(&org, s);
    values.extend([&verified as &dyn rusqlite::ToSql, &s.source_id, &fp, &key, &now]);
    let (id, outcome) = match found {
        Some((id, Some(old))) if old == fp => return Ok((id, Outcome::Unchanged)),
        Some((id, _)) => {
            let mut with_id = values.clone();
            with_id.push(&id);
            tx.execute(
                "UPDATE services SET organisation_id=?1, name=?2, alternate_name=?3, description=?4, status=?5, \
                 email=?6, website=?7, hours=?8, eligibility=?9, fees=?10, languages=?11, how_to_refer=?12, \
                 last_verified_on=CASE WHEN ?13 IS NULL THEN last_verified_on \
                 WHEN last_verified_on IS NULL OR ?13 > last_verified_on THEN ?13 ELSE last_verified_on END, source_id=?14, import_fingerprint=?15, \
                 name_key=?16, updated_at=?17 WHERE id=?18",
                &with_id[..],
            )?;
            tx.execute("DELETE FROM service_locations WHERE service_id = ?1", [id])?;
            (id, Outcome::Updated)
        }
        None => {
            tx.execute(
                "INSERT INTO services (organisation_id, name, alternate_name, description, status, email, website, hours, \
                 eligibility, fees, languages, how_to_refer, last_verified_on, source_id, import_fingerprint, name_key, \
                 created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?17)",
                &values[..],
            )?;
            (tx.last_insert_rowid(), Outcome::Added)
        }
    };
    set_phones(tx, Owner::Service(id), &s.phones, PhonesFrom::Import)?;
    set_categories(tx, id, &s.categories)?;
    let mut link = tx.prepare_cached(
        "INSERT OR IGNORE INTO service_locations (service_id, location_id) VALUES (?1, ?2)",
    )?;
    for l in locations {
        link.execute([id, *l])?;
    }
    Ok((id, outcome))
}

/// Runs `sql` with a location's fields as ?1..?13 (organisation, name, description, address,
/// town, region, postcode, country, transport, hours, source id, fingerprint, now) and, for an
/// update, the id as ?14.
fn execute_location(
    tx: &rusqlite::Connection,
    sql: &str,
    l: &LocationRecord,
    org: Option<i64>,
    fp: Option<&str>,
    now: &str,
    id: Option<i64>,
) -> Result<usize> {
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![
        &org,
        &l.name,
        &l.description,
        &l.address,
        &l.town,
        &l.region,
        &l.postcode,
        &l.country,
        &l.transport,
        &l.hours,
        &l.source_id,
        &fp,
        &now,
        &l.carried_by,
    ];
    if let Some(id) = &id {
        values.push(id);
    }
    Ok(tx.execute(sql, &values[..])?)
}

/// The first twelve columns of a service, as every statement that writes one binds them:
/// organisation, name, alternate name, description, status, email, website, hours,
/// eligibility, fees, languages, how to refer.
fn service_columns<'a>(org: &'a dyn rusqlite::ToSql, s: &'a ServiceRecord) -> Vec<&'a dyn rusqlite::ToSql> {
    vec![
        org,
        &s.name,
        &s.alternate_name,
        &s.description,
        &s.status,
        &s.email,
        &s.website,
        &s.hours,
        &s.eligibility,
        &s.fees,
        &s.languages,
        &s.how_to_refer,
    ]
}

/// Runs `sql` with a service entry's fields as ?1..?16 (organisation, name, alternate name,
/// description, status, email, website, hours, eligibility, fees, languages, how to refer,
/// notes, verified on, name key, now) and, for an update, the id as ?17.
fn execute_service(
    tx: &rusqlite::Connection,
    sql: &str,
    org: i64,
    e: &ServiceEntry,
    now: &str,
    id: Option<i64>,
) -> Result<usize> {
    let s = &e.service;
    let (verified, key) = (day_text(s.last_verified_on), name_key(&s.name));
    let mut values = service_columns(&org, s);
    values.extend([&e.notes as &dyn rusqlite::ToSql, &verified, &key, &now]);
    if let Some(id) = &id {
        values.push(id);
    }
    Ok(tx.execute(sql, &values[..])?)
}
