//! One client's whole file as a document: every table of `store::sections`, with a header
//! saying what it is, which version wrote it and what was left out. Written as JSON (to keep
//! or move to another caseload) or rendered as Markdown (`file_md`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, to_db};
use crate::store::sections::{FileTables, NoteFilter, Row};
use crate::store::{latest_version, Result, Store, StoreError};

/// What the file says it is.
pub const FORMAT: &str = "caseload-client-file";
/// Raised when a change would make older caseloads misread the file. A file with a higher
/// version, or from a newer database schema, is refused on import.
pub const FORMAT_VERSION: u32 = 1;

/// Which notes the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotesIncluded {
    pub entered_in_error: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// How many of the client's notes the choices above left out.
    #[serde(default)]
    pub left_out: usize,
}

impl NotesIncluded {
    /// Every note is in the file.
    pub fn complete(&self) -> bool {
        self.left_out == 0
    }

    /// "all notes", "notes entered in error left out; only notes from 2026-01-01 to 2026-06-30".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.entered_in_error {
            parts.push("notes entered in error left out".to_string());
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => {
                parts.push(format!("only notes from {} to {}", format_date(f), format_date(t)))
            }
            (Some(f), None) => parts.push(format!("only notes from {} on", format_date(f))),
            (None, Some(t)) => parts.push(format!("only notes up to {}", format_date(t))),
            (None, None) => {}
        }
        if parts.is_empty() {
            "all notes, including those entered in error".into()
        } else {
            parts.join("; ")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientFileDoc {
    pub format: String,
    pub format_version: u32,
    /// The database schema the rows come from.
    pub schema_version: u32,
    pub app_version: String,
    pub exported_at: String,
    /// The practitioner's signature (Settings), if set.
    pub exported_by: String,
    /// The client's reference in the caseload it was exported from.
    pub client: String,
    pub notes: NotesIncluded,
    /// Table name → rows (every column as stored).
    pub tables: BTreeMap<String, Vec<Row>>,
}

impl ClientFileDoc {
    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The client's own row.
    pub fn client_row(&self) -> Option<&Row> {
        self.rows("clients").first()
    }
}

/// Which part of a file an export takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub include_errors: bool,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ExportOptions {
    /// Refuses a range that ends before it starts.
    pub fn check(&self) -> std::result::Result<(), String> {
        match (self.from, self.to) {
            (Some(f), Some(t)) if t < f => {
                Err(format!("The range ends ({}) before it starts ({}).", format_date(t), format_date(f)))
            }
            _ => Ok(()),
        }
    }
}

impl Store {
    /// A client's whole file as a document (read in one transaction-free pass; the app is the
    /// only writer while it runs).
    pub fn client_file(
        &self,
        client_id: i64,
        opts: &ExportOptions,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ClientFileDoc> {
        opts.check().map_err(|m| StoreError::invalid("to", m))?;
        let filter = NoteFilter { include_errors: opts.include_errors, from: opts.from, to: opts.to };
        let FileTables { tables, notes_left_out: left_out } = self.file_tables(client_id, &filter)?;
        Ok(ClientFileDoc {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            schema_version: latest_version(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            exported_at: to_db(now),
            exported_by: by.trim().to_string(),
            client: client_ref(client_id),
            notes: NotesIncluded {
                entered_in_error: opts.include_errors,
                from: opts.from,
                to: opts.to,
                left_out,
            },
            tables,
        })
    }
}

/// The first fields of a file, read before anything else so a newer file is refused with a
/// clear message rather than a parse error.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    format_version: Option<u32>,
    schema_version: Option<u32>,
}

/// Reads a JSON client file, refusing other files and files from a newer caseload.
pub fn read_json(bytes: &[u8]) -> Result<ClientFileDoc> {
    let not_ours = || {
        StoreError::Refused(
            "This is not a caseload client file (make one with `caseload export REF --format json`). Nothing was imported."
                .into(),
        )
    };
    let header: Header = serde_json::from_slice(bytes).map_err(|_| not_ours())?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(not_ours());
    }
    let (version, schema) = (header.format_version.unwrap_or(0), header.schema_version.unwrap_or(0));
    if version > FORMAT_VERSION || schema > latest_version() {
        return Err(StoreError::Refused(format!(
            "This file was written by a newer caseload (file format {version}, database {schema}; this version reads up to {FORMAT_VERSION} and {}). \
             Nothing was imported. Update caseload, then import it again.",
            latest_version()
        )));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        StoreError::Refused(format!(
            "The file is damaged (at line {}, column {}). Nothing was imported.",
            e.line(),
            e.column()
        ))
    })
}

pub fn to_json(doc: &ClientFileDoc) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
