//! Taking in a client's file exported from another caseload (a client moving to a
//! colleague): every record of every phase, with new numbers, in one transaction. A file from
//! a newer caseload is refused; a likely duplicate of a client already here is listed and not
//! imported unless the practitioner says so.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::client::{client_ref, search_key, sort_key, Client, DuplicateCandidate};
use crate::domain::dates::{format_date, parse_ymd, to_db};
use crate::export::file::ClientFileDoc;
use crate::store::clients::{log_event, next_client_id};
use crate::store::sections::{insert_all, Row};
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
    let row = doc.client_row().ok_or_else(|| {
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

/// Imports the file as a new client. Refuses (changing nothing) when a client here is likely
/// the same person, unless `allow_duplicate`.
pub fn import(
    store: &mut Store,
    doc: &mut ClientFileDoc,
    allow_duplicate: bool,
    now: DateTime<Utc>,
) -> Result<Imported> {
    // every value as the forms would take it, before anything is written
    super::check::check(doc, &store.file_columns()?)?;
    let doc = &*doc;
    let who = candidate(doc)?;
    if who.given_name.trim().is_empty() && who.family_name.trim().is_empty() {
        return Err(StoreError::Refused("The file's client has no name. Nothing was imported.".into()));
    }
    if !allow_duplicate {
        let dups = likely_duplicates(store, doc)?;
        if !dups.is_empty() {
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
            return Err(StoreError::Refused(format!(
                "This may be a client you already have; nothing was imported:\n{}\nCheck with `caseload client show REF`, or add --allow-duplicate to import the file as a new client anyway.",
                list.join("\n")
            )));
        }
    }
    let mut warnings = Vec::new();
    if !doc.head.notes.complete() {
        warnings.push(format!(
            "The export left {} out ({}); ask for a full export (--include-errors, no date range) to have {}.",
            if doc.head.notes.left_out == 1 { "1 note".to_string() } else { format!("{} notes", doc.head.notes.left_out) },
            doc.head.notes.describe(),
            if doc.head.notes.left_out == 1 { "it" } else { "them" }
        ));
    }
    let now_s = to_db(now);
    let from_ref = crate::domain::text::fit(&doc.head.client, 20);
    let exported = parse_ymd(&doc.head.exported_at).map(format_date).unwrap_or_default();
    let exported_by = crate::domain::text::fit(&doc.head.exported_by, 60);
    let fix = |row: &mut Row| {
        let (g, f, p) = (text(row, "given_name"), text(row, "family_name"), text(row, "preferred_name"));
        row.insert("sort_key".into(), sort_key(&g, &f).into());
        row.insert("search_key".into(), search_key(&g, &f, &p).into());
        row.insert("updated_at".into(), now_s.clone().into());
    };
    let (client_id, map) = store.write(|tx| {
        let client_id = next_client_id(tx)?;
        let map = insert_all(tx, &doc.tables, client_id, &fix)?;
        let by = if exported_by.is_empty() { String::new() } else { format!(" by {exported_by}") };
        log_event(
            tx,
            client_id,
            &now_s,
            &now_s,
            "transferred-in",
            &format!("Transferred in: file of {from_ref} from another caseload, exported {exported}{by}"),
        )?;
        Ok((client_id, map))
    })?;
    let records: Vec<(String, usize)> = crate::store::sections::TABLES
        .iter()
        .filter(|s| s.table != "clients")
        .filter_map(|s| map.get(s.table).map(|m| (s.table.replace('_', " "), m.len())))
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(Imported {
        reference: client_ref(client_id),
        client_id,
        name: crate::domain::client::joined_name(&who.given_name, &who.family_name),
        from_ref,
        records,
        warnings,
    })
}

/// The day a file was exported, for messages.
pub fn exported_on(doc: &ClientFileDoc) -> Option<NaiveDate> {
    parse_ymd(&doc.head.exported_at)
}
