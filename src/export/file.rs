//! One client's whole file as a document: every table of `store::sections`, with a header
//! saying what it is, which version wrote it and what was left out. Written as JSON (to keep
//! or move to another caseload) or rendered as Markdown (`file_md`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, to_db};
use std::cell::RefCell;

use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};

use super::StreamError;
use crate::store::sections::{FileTables, NoteFilter, Row, RowFilter, RowOrder, TableSpec, TABLES};
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
    /// What the file says about itself (written first, field by field, as before `tables`).
    #[serde(flatten)]
    pub head: FileHead,
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

/// What a file says about itself: every field of `ClientFileDoc` but its tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHead {
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
}

impl ClientFileDoc {
    pub fn new(head: FileHead, tables: BTreeMap<String, Vec<Row>>) -> ClientFileDoc {
        ClientFileDoc { head, tables }
    }
}

impl ExportOptions {
    pub fn note_filter(&self) -> NoteFilter {
        NoteFilter { include_errors: self.include_errors, from: self.from, to: self.to }
    }
}

impl Store {
    /// The head of a client's file and how many notes it takes, refusing a client that does
    /// not exist or a range that ends before it starts.
    pub fn client_file_head(
        &self,
        client_id: i64,
        opts: &ExportOptions,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(FileHead, usize)> {
        opts.check().map_err(|m| StoreError::invalid("to", m))?;
        let counts = self.file_note_counts(client_id, &opts.note_filter())?;
        let head = FileHead {
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
                left_out: counts.left_out,
            },
        };
        Ok((head, counts.taken))
    }

    /// A client's whole file as a document in memory (read in one transaction-free pass; the
    /// app is the only writer while it runs). A file of any size is better streamed:
    /// `write_json`, `file_md::write_markdown`.
    pub fn client_file(
        &self,
        client_id: i64,
        opts: &ExportOptions,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<ClientFileDoc> {
        let (head, _) = self.client_file_head(client_id, opts, by, now)?;
        let FileTables { tables, .. } = self.file_tables(client_id, &opts.note_filter())?;
        Ok(ClientFileDoc::new(head, tables))
    }
}

/// How far a streamed export has come: `done` of `total` notes written.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// Notes between two reports of progress.
pub const PROGRESS_EVERY: usize = 1_000;

/// Counts the notes written and says so every `PROGRESS_EVERY` notes and at the last.
pub struct NoteTicker<'a> {
    done: usize,
    total: usize,
    report: Progress<'a>,
}

impl<'a> NoteTicker<'a> {
    pub fn new(total: usize, report: Progress<'a>) -> Self {
        report(0, total);
        NoteTicker { done: 0, total, report }
    }

    pub fn tick(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(PROGRESS_EVERY) || self.done == self.total {
            (self.report)(self.done, self.total);
        }
    }
}

/// Writes a client's file as JSON to `out`, a row at a time: the same text as
/// `to_json(&store.client_file(...))`, without holding the file in memory.
pub fn write_json(
    store: &Store,
    client_id: i64,
    opts: &ExportOptions,
    by: &str,
    now: DateTime<Utc>,
    out: &mut dyn std::io::Write,
    progress: Progress<'_>,
) -> std::result::Result<(), StreamError> {
    let (head, total) = store.client_file_head(client_id, opts, by, now)?;
    let src = JsonSource {
        store,
        client_id,
        filter: opts.note_filter(),
        failure: RefCell::new(None),
        ticker: RefCell::new(NoteTicker::new(total, progress)),
    };
    let doc = JsonDoc { head: &head, tables: JsonTables(&src) };
    if let Err(e) = serde_json::to_writer_pretty(&mut *out, &doc) {
        if let Some(failure) = src.failure.take() {
            return Err(StreamError::Store(failure));
        }
        return Err(StreamError::Output(e.into()));
    }
    out.write_all(b"\n")?;
    Ok(())
}

/// Where the streamed JSON reads its rows; a database error is kept here while serde unwinds.
struct JsonSource<'a> {
    store: &'a Store,
    client_id: i64,
    filter: NoteFilter,
    failure: RefCell<Option<StoreError>>,
    ticker: RefCell<NoteTicker<'a>>,
}

/// A `ClientFileDoc` whose tables are read from the database as they are written.
#[derive(Serialize)]
struct JsonDoc<'a> {
    #[serde(flatten)]
    head: &'a FileHead,
    tables: JsonTables<'a>,
}

struct JsonTables<'a>(&'a JsonSource<'a>);

impl Serialize for JsonTables<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        // by name, as the document's map of tables has them
        let mut specs: Vec<&'static TableSpec> = TABLES.iter().collect();
        specs.sort_by_key(|s| s.table);
        let mut map = ser.serialize_map(Some(specs.len()))?;
        for s in specs {
            map.serialize_entry(s.table, &JsonRows(self.0, s))?;
        }
        map.end()
    }
}

struct JsonRows<'a>(&'a JsonSource<'a>, &'static TableSpec);

impl Serialize for JsonRows<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> std::result::Result<S::Ok, S::Error> {
        let JsonRows(src, spec) = *self;
        let mut seq = ser.serialize_seq(None)?;
        let mut written: Option<S::Error> = None;
        let notes = spec.filter == Some(RowFilter::Notes);
        let read =
            src.store.visit_file_rows(src.client_id, &src.filter, spec, RowOrder::Export, &mut |row| {
                seq.serialize_element(&row).map_err(|e| {
                    written = Some(e);
                    StoreError::Refused("the output stopped".into())
                })?;
                if notes {
                    src.ticker.borrow_mut().tick();
                }
                Ok(())
            });
        if let Some(e) = written {
            return Err(e);
        }
        if let Err(e) = read {
            src.failure.replace(Some(e));
            return Err(S::Error::custom("the database could not be read"));
        }
        seq.end()
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

/// The refusal of a file that is not a caseload client file.
pub fn not_ours() -> StoreError {
    StoreError::Refused(
        "This is not a caseload client file (make one with `caseload export REF --format json`). Nothing was imported."
            .into(),
    )
}

/// Refuses a file that does not say it is a client file, or says it is from a newer caseload.
pub fn check_header(format: Option<&str>, version: Option<u32>, schema: Option<u32>) -> Result<()> {
    if format != Some(FORMAT) {
        return Err(not_ours());
    }
    let (version, schema) = (version.unwrap_or(0), schema.unwrap_or(0));
    if version > FORMAT_VERSION || schema > latest_version() {
        return Err(StoreError::Refused(format!(
            "This file was written by a newer caseload (file format {version}, database {schema}; this version reads up to {FORMAT_VERSION} and {}). \
             Nothing was imported. Update caseload, then import it again.",
            latest_version()
        )));
    }
    Ok(())
}

/// Reads a JSON client file held in memory, refusing other files and files from a newer
/// caseload (a file on disk is read as it streams: `import::client_file::import_file`).
pub fn read_json(bytes: &[u8]) -> Result<ClientFileDoc> {
    let header: Header = serde_json::from_slice(bytes).map_err(|_| not_ours())?;
    check_header(header.format.as_deref(), header.format_version, header.schema_version)?;
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
