//! Taking in a client's file exported from another caseload (a client moving to a
//! colleague): every record of every phase, with new numbers, in one transaction. A file from
//! a newer caseload is refused; a likely duplicate of a client already here is listed and not
//! imported unless the practitioner says so.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::check::{check_record, known_table, Columns};
use super::client_json::{self, FirstLook, RowSink};
use crate::domain::client::{client_ref, search_key, sort_key, Client, DuplicateCandidate};
use crate::domain::dates::{format_date, parse_ymd, to_db};
use crate::export::file::{ClientFileDoc, FileHead};
use crate::store::clients::{log_event, next_client_id};
use crate::store::sections::{Inserter, Row, Spool, TABLES};
use crate::store::{Result, Store, StoreError};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    /// The new client's reference here.
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub client_id: i64,
    pub name: String,
    /// The reference the client had in the caseload the file came from.
    pub from_ref: String,
    /// (kind of record, how many), for the kinds with records.
    pub records: Vec<(String, usize)>,
    /// What the practitioner should know (notes left out of the export...).
    pub warnings: Vec<String>,
}

fn text(row: &Row, col: &str) -> String {
    row.get(col).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

/// The file's client as the duplicate check sees them.
pub fn candidate(doc: &ClientFileDoc) -> Result<Client> {
    candidate_of(doc.client_row())
}

fn candidate_of(row: Option<&Row>) -> Result<Client> {
    let row = row.ok_or_else(|| {
        StoreError::Refused("The file holds no client record. Nothing was imported.".into())
    })?;
    Ok(Client {
        given_name: text(row, "given_name"),
        family_name: text(row, "family_name"),
        preferred_name: text(row, "preferred_name"),
        date_of_birth: parse_ymd(&text(row, "date_of_birth")),
        birth_date_estimated: row.get("birth_date_estimated").and_then(|v| v.as_i64()).unwrap_or(0) != 0,
        intake_date: parse_ymd(&text(row, "intake_date")).unwrap_or_default(),
        ..Default::default()
    })
}

/// Clients already here who may be the person in the file (best match first).
pub fn likely_duplicates(store: &Store, doc: &ClientFileDoc) -> Result<Vec<(DuplicateCandidate, Client)>> {
    store.find_duplicates(&candidate(doc)?, None)
}

/// Imports a document held in memory as a new client. Refuses (changing nothing) when a
/// client here is likely the same person, unless `allow_duplicate`.
pub fn import(
    store: &mut Store,
    doc: &ClientFileDoc,
    allow_duplicate: bool,
    now: DateTime<Utc>,
) -> Result<Imported> {
    import_with(store, doc.client_row().cloned(), allow_duplicate, now, &mut |sink| {
        for (table, rows) in &doc.tables {
            sink.table(table)?;
            for (i, row) in rows.iter().enumerate() {
                sink.row(table, i, row.clone())?;
            }
        }
        Ok(doc.head.clone())
    })
}

/// Imports a JSON client file from disk as a new client, reading it as it streams: memory
/// stays flat in the size of the file. The same checks and refusals as `import`; a bad record
/// anywhere in the file imports nothing. `look` is `client_json::first_look` of the file.
pub fn import_file(
    store: &mut Store,
    look: FirstLook,
    allow_duplicate: bool,
    now: DateTime<Utc>,
) -> Result<Imported> {
    let FirstLook { path, client } = look;
    import_with(store, client, allow_duplicate, now, &mut |sink| client_json::read_rows(&path, sink))
}

/// Where the rows come from: each handed to the sink, then the file's head.
type ReadRows<'a> = &'a mut dyn FnMut(&mut dyn RowSink) -> Result<FileHead>;

fn import_with(
    store: &mut Store,
    client_row: Option<Row>,
    allow_duplicate: bool,
    now: DateTime<Utc>,
    read: ReadRows<'_>,
) -> Result<Imported> {
    let columns = store.file_columns()?;
    let who = admit(store, client_row, &columns, allow_duplicate)?;
    let now_s = to_db(now);
    let fix = |row: &mut Row| {
        let (g, f, p) = (text(row, "given_name"), text(row, "family_name"), text(row, "preferred_name"));
        row.insert("sort_key".into(), sort_key(&g, &f).into());
        row.insert("search_key".into(), search_key(&g, &f, &p).into());
        row.insert("updated_at".into(), now_s.clone().into());
    };
    let (client_id, map, head) = store.write(|tx| {
        // every value checked as it comes, kept aside, then written parents first
        let mut spool = Spool::new(tx)?;
        let head = read(&mut Checked { columns: &columns, spool: &mut spool })?;
        let client_id = next_client_id(tx)?;
        let mut ins = Inserter::new(tx, client_id, &fix);
        for s in TABLES {
            spool.each(s.table, &mut |row| ins.insert(s, row))?;
        }
        let map = ins.finish()?;
        // a file from before the intake recorded sex keeps what its family tree said
        tx.execute(
            "UPDATE clients SET sex = (SELECT p.sex FROM people p WHERE p.client_id = ?1 AND p.is_self = 1) \
             WHERE id = ?1 AND sex = 'unknown' AND EXISTS (SELECT 1 FROM people p WHERE p.client_id = ?1 AND p.is_self = 1)",
            [client_id],
        )?;
        log_transfer(tx, client_id, &head, &now_s)?;
        spool.close()?;
        Ok((client_id, map, head))
    })?;
    let records: Vec<(String, usize)> = TABLES
        .iter()
        .filter(|s| s.table != "clients")
        .filter_map(|s| map.get(s.table).map(|m| (s.table.replace('_', " "), m.len())))
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(Imported {
        reference: client_ref(client_id),
        client_id,
        name: crate::domain::client::joined_name(&who.given_name, &who.family_name),
        from_ref: crate::domain::text::fit(&head.client, 20),
        records,
        warnings: warnings(&head),
    })
}

/// Before anything is written: the file's client, checked, has a name and (unless
/// `allow_duplicate`) is not likely someone already here.
fn admit(store: &Store, client_row: Option<Row>, columns: &Columns, allow_duplicate: bool) -> Result<Client> {
    let mut row = client_row;
    if let Some(r) = row.as_mut() {
        check_record("clients", 0, r, columns)?;
    }
    let who = candidate_of(row.as_ref())?;
    if who.given_name.trim().is_empty() && who.family_name.trim().is_empty() {
        return Err(StoreError::Refused("The file's client has no name. Nothing was imported.".into()));
    }
    if allow_duplicate {
        return Ok(who);
    }
    let dups = store.find_duplicates(&who, None)?;
    if dups.is_empty() {
        return Ok(who);
    }
    let list: Vec<String> = dups
        .iter()
        .map(|(d, c)| {
            format!(
                "  {}  {}  ({})",
                c.reference,
                crate::domain::text::display_safe(&c.display_name()),
                d.reason
            )
        })
        .collect();
    Err(StoreError::Refused(format!(
        "This may be a client you already have; nothing was imported:\n{}\nCheck with `caseload client show REF`, or add --allow-duplicate to import the file as a new client anyway.",
        list.join("\n")
    )))
}

/// Each record checked and cleaned as it comes, then kept for writing.
struct Checked<'c, 's, 'a, 't> {
    columns: &'c Columns,
    spool: &'s mut Spool<'a, 't>,
}

impl RowSink for Checked<'_, '_, '_, '_> {
    fn table(&mut self, name: &str) -> Result<()> {
        known_table(name, self.columns).map(|_| ())
    }
    fn row(&mut self, table: &str, index: usize, mut row: Row) -> Result<()> {
        check_record(table, index, &mut row, self.columns)?;
        self.spool.push(table, &row)
    }
}

fn log_transfer(tx: &rusqlite::Transaction<'_>, client_id: i64, head: &FileHead, now_s: &str) -> Result<()> {
    let from_ref = crate::domain::text::fit(&head.client, 20);
    let exported = parse_ymd(&head.exported_at).map(format_date).unwrap_or_default();
    let exported_by = crate::domain::text::fit(&head.exported_by, 60);
    let by = if exported_by.is_empty() { String::new() } else { format!(" by {exported_by}") };
    log_event(
        tx,
        client_id,
        now_s,
        now_s,
        "transferred-in",
        &format!("Transferred in: file of {from_ref} from another caseload, exported {exported}{by}"),
    )
}

/// What the practitioner should know about the file (notes left out of the export).
fn warnings(head: &FileHead) -> Vec<String> {
    let notes = &head.notes;
    if notes.complete() {
        return Vec::new();
    }
    vec![format!(
        "The export left {} out ({}); ask for a full export (--include-errors, no date range) to have {}.",
        crate::domain::words::count(notes.left_out, "note", "notes"),
        notes.describe(),
        if notes.left_out == 1 { "it" } else { "them" }
    )]
}

/// The day a file was exported, for messages.
pub fn exported_on(doc: &ClientFileDoc) -> Option<NaiveDate> {
    parse_ymd(&doc.head.exported_at)
}
