//! Reading a JSON client file as it streams from disk, never holding it whole: a first look
//! for what the file says it is (and its client, for the duplicate check), then every record
//! handed one at a time to a `RowSink` (which checks it and keeps it for the import).

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::domain::text::quote_path;
use crate::export::file::{check_header, FileHead};
use crate::store::sections::Row;
use crate::store::{Result, StoreError};

/// Takes the records of a file as they are read.
pub trait RowSink {
    /// A table begins (its rows follow).
    fn table(&mut self, name: &str) -> Result<()>;
    /// Record `index` (from 0) of `table`.
    fn row(&mut self, table: &str, index: usize, row: Row) -> Result<()>;
}

/// A file the first look found to be a client file this caseload reads, and its client's
/// record.
pub struct FirstLook {
    pub path: std::path::PathBuf,
    pub client: Option<Row>,
}

/// The first look, before a database is opened: refuses a file that cannot be read, is not
/// a client file or comes from a newer caseload.
pub fn first_look(path: &Path) -> Result<FirstLook> {
    #[derive(Deserialize)]
    struct Start {
        format: Option<String>,
        format_version: Option<u32>,
        schema_version: Option<u32>,
        #[serde(default)]
        tables: ClientOnly,
    }
    let start: Start = serde_json::from_reader(open(path)?).map_err(|e| {
        if e.is_io() {
            unreadable(path, &e.to_string())
        } else {
            crate::export::file::not_ours()
        }
    })?;
    check_header(start.format.as_deref(), start.format_version, start.schema_version)?;
    Ok(FirstLook { path: path.to_path_buf(), client: start.tables.0 })
}

/// Reads every record into `sink` and gives the file's head. An error of the sink (a bad
/// value) stops the reading and is given as it is.
pub fn read_rows(path: &Path, sink: &mut dyn RowSink) -> Result<FileHead> {
    let mut de = serde_json::Deserializer::from_reader(open(path)?);
    let mut failure = None;
    let head = Body { sink, failure: &mut failure }.deserialize(&mut de).and_then(|head| {
        de.end()?;
        Ok(head)
    });
    match (head, failure) {
        (_, Some(e)) => Err(e),
        (Ok(head), None) => serde_json::from_value(Value::Object(head)).map_err(|_| {
            StoreError::Refused(
                "The file is damaged (its first fields are missing or wrong). Nothing was imported.".into(),
            )
        }),
        (Err(e), None) if e.is_io() => Err(unreadable(path, &e.to_string())),
        (Err(e), None) => Err(StoreError::Refused(format!(
            "The file is damaged (at line {}, column {}). Nothing was imported.",
            e.line(),
            e.column()
        ))),
    }
}

fn open(path: &Path) -> Result<BufReader<File>> {
    let file = File::open(path).map_err(|e| unreadable(path, &e.to_string()))?;
    Ok(BufReader::with_capacity(256 * 1024, file))
}

fn unreadable(path: &Path, why: &str) -> StoreError {
    StoreError::Refused(format!("Could not read {}: {why}. Nothing was imported.", quote_path(path)))
}

/// The fields of the head, kept as they come (the tables are not kept).
const HEAD_FIELDS: &[&str] = &[
    "format",
    "format_version",
    "schema_version",
    "app_version",
    "exported_at",
    "exported_by",
    "client",
    "notes",
];

/// The whole document: the head's fields into a map, the tables into the sink.
struct Body<'a> {
    sink: &'a mut dyn RowSink,
    failure: &'a mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for Body<'_> {
    type Value = serde_json::Map<String, Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Body<'_> {
    type Value = serde_json::Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a caseload client file")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut head = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "tables" {
                map.next_value_seed(Tables { sink: &mut *self.sink, failure: &mut *self.failure })?;
            } else if HEAD_FIELDS.contains(&key.as_str()) {
                head.insert(key, map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(head)
    }
}

/// The map of tables: each table's rows handed to the sink as they are read.
struct Tables<'a> {
    sink: &'a mut dyn RowSink,
    failure: &'a mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for Tables<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Tables<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tables of records")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(table) = map.next_key::<String>()? {
            if let Err(e) = self.sink.table(&table) {
                return Err(stop(self.failure, e));
            }
            map.next_value_seed(Rows { table: &table, sink: &mut *self.sink, failure: &mut *self.failure })?;
        }
        Ok(())
    }
}

/// Keeps the sink's error and stops the reading.
fn stop<E: serde::de::Error>(failure: &mut Option<StoreError>, e: StoreError) -> E {
    *failure = Some(e);
    E::custom("stopped")
}

struct Rows<'a> {
    table: &'a str,
    sink: &'a mut dyn RowSink,
    failure: &'a mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Rows<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut index = 0;
        while let Some(row) = seq.next_element::<Row>()? {
            if let Err(e) = self.sink.row(self.table, index, row) {
                return Err(stop(self.failure, e));
            }
            index += 1;
        }
        Ok(())
    }
}

/// The first look at the tables: the client's record kept, everything else skipped, and
/// anything that is not a map of tables taken as no client (the full reading says why).
#[derive(Default)]
struct ClientOnly(Option<Row>);

impl<'de> Deserialize<'de> for ClientOnly {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ClientOnlyVisitor)
    }
}

struct ClientOnlyVisitor;

impl<'de> Visitor<'de> for ClientOnlyVisitor {
    type Value = ClientOnly;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<ClientOnly, A::Error> {
        let mut client = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "clients" && client.is_none() {
                let rows: Value = map.next_value()?;
                client = rows.as_array().and_then(|r| r.first()).and_then(Value::as_object).cloned();
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(ClientOnly(client))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<ClientOnly, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ClientOnly(None))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
    fn visit_unit<E>(self) -> std::result::Result<ClientOnly, E> {
        Ok(ClientOnly(None))
    }
}
