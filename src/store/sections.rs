//! A client's whole file as a list of tables, one entry per kind of record: what the export
//! collects, what an import writes back (with new ids), and what destroying a file deletes.
//! A new kind of client record is one more entry in `TABLES` (a test refuses a client table
//! that is in neither `TABLES` nor `NOT_IN_THE_FILE`).
//!
//! Rows travel as JSON objects of column → value, so an export holds every column as stored.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params_from_iter, Connection, Transaction};

use super::{Result, Store, StoreError};
use crate::domain::record::RecordKind;

/// One stored row: column name → value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// How a table's rows belong to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The `clients` row itself.
    Itself,
    /// The table has a `client_id` column.
    Client,
    /// Rows hang off a row of another table in the file: (column, that table).
    Parent(&'static str, &'static str),
}

/// A column that points at another record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    /// (column, table). On import it follows the record's new id, or becomes NULL when the
    /// record is not in the file (a note rewritten on another client, a client moved from).
    To(&'static str, &'static str),
    /// (kind column, id column): the record named by a kind (`goal`, `note`...; see
    /// `RECORD_KINDS`), as on timeline lines.
    ByKind(&'static str, &'static str),
    /// (column, table) outside the client's file (the resource directory): kept in an export
    /// for reference, NULL on import, where the ids mean other entries (the provider's name
    /// is kept in the record itself).
    Outside(&'static str, &'static str),
}

/// Rows that an export can leave out when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFilter {
    /// Case notes: those entered in error, and those outside a date range.
    Notes,
}

pub struct TableSpec {
    pub table: &'static str,
    pub owner: Owner,
    /// The primary key column, or None for a table keyed by its parent (WITHOUT ROWID).
    pub id: Option<&'static str>,
    pub refs: &'static [Ref],
    /// Search rows written for it: rowid = id * 16 + k.
    pub search: &'static [i64],
    /// Search rows the store writes in code (not by a trigger): rebuilt after an import.
    pub reindex: Option<fn(&Connection, i64) -> Result<()>>,
    pub filter: Option<RowFilter>,
    /// The order rows are exported (and so imported) in.
    pub order_by: &'static str,
}

const fn t(table: &'static str, owner: Owner, refs: &'static [Ref], search: &'static [i64]) -> TableSpec {
    TableSpec { table, owner, id: Some("id"), refs, search, reindex: None, filter: None, order_by: "id" }
}

use Owner::{Client, Itself, Parent};
use Ref::{ByKind, Outside, To};

/// Every table of a client's file, parents before the rows that point at them.
///
pub const TABLES: &[TableSpec] = &[
    TableSpec { id: Some("id"), ..t("clients", Itself, &[], &[]) },
    t("episodes", Client, &[], &[]),
    t(
        "people",
        Client,
        &[To("mother_id", "people"), To("father_id", "people"), Outside("organisation_id", "organisations")],
        &[9],
    ),
    t("partnerships", Client, &[To("person_a", "people"), To("person_b", "people")], &[]),
    t("assessments", Client, &[To("episode_id", "episodes"), To("based_on", "assessments")], &[3]),
    t("assessment_needs", Parent("assessment_id", "assessments"), &[], &[4]),
    TableSpec {
        id: None,
        order_by: "life_domain",
        ..t("domain_ratings", Parent("assessment_id", "assessments"), &[], &[])
    },
    t("risk_flags", Client, &[], &[]),
    t("risk_flag_events", Parent("flag_id", "risk_flags"), &[], &[]),
    TableSpec {
        reindex: Some(super::screenings::reindex_screening),
        ..t("screenings", Client, &[To("episode_id", "episodes")], &[5])
    },
    t("alerts", Client, &[To("screening_id", "screenings")], &[]),
    TableSpec {
        filter: Some(RowFilter::Notes),
        ..t(
            "notes",
            Client,
            &[To("episode_id", "episodes"), To("rewritten_as", "notes"), To("moved_from", "clients")],
            &[1],
        )
    },
    t("addenda", Parent("note_id", "notes"), &[], &[2]),
    t("consents", Client, &[To("person_id", "people")], &[]),
    t("conferences", Client, &[To("episode_id", "episodes")], &[10]),
    TableSpec {
        id: None,
        order_by: "position",
        ..t("conference_attendees", Parent("conference_id", "conferences"), &[To("person_id", "people")], &[])
    },
    t("action_items", Client, &[To("conference_id", "conferences")], &[]),
    t("transitions", Client, &[To("episode_id", "episodes")], &[15]),
    t("advocacy_items", Client, &[To("episode_id", "episodes")], &[11]),
    t("advocacy_actions", Parent("item_id", "advocacy_items"), &[], &[]),
    t("mandated_reports", Client, &[To("episode_id", "episodes")], &[12]),
    t("mandated_report_addenda", Parent("report_id", "mandated_reports"), &[], &[]),
    TableSpec {
        reindex: Some(super::goals::reindex_goal),
        ..t("goals", Client, &[To("episode_id", "episodes")], &[6, 7])
    },
    t(
        "referrals",
        Client,
        &[
            To("episode_id", "episodes"),
            Outside("service_id", "services"),
            To("goal_id", "goals"),
            To("contact_person_id", "people"),
            To("consent_id", "consents"),
        ],
        &[8],
    ),
    t("referral_events", Parent("referral_id", "referrals"), &[], &[]),
    t("appointments", Parent("referral_id", "referrals"), &[], &[]),
    t("goal_changes", Parent("goal_id", "goals"), &[], &[]),
    t("goal_steps", Parent("goal_id", "goals"), &[], &[]),
    t("goal_progress", Parent("goal_id", "goals"), &[To("screening_id", "screenings")], &[]),
    t("plan_reviews", Client, &[To("episode_id", "episodes")], &[]),
    TableSpec {
        reindex: Some(super::plan::reindex_evaluation),
        ..t("evaluations", Client, &[To("episode_id", "episodes")], &[13])
    },
    TableSpec {
        id: None,
        order_by: "goal_id",
        ..t("evaluation_outcomes", Parent("evaluation_id", "evaluations"), &[To("goal_id", "goals")], &[])
    },
    t("consent_reliances", Client, &[To("consent_id", "consents"), ByKind("record_kind", "record_id")], &[]),
    t("closures", Client, &[To("episode_id", "episodes")], &[14]),
    t("closure_items", Parent("closure_id", "closures"), &[ByKind("record_kind", "record_id")], &[]),
    t("visits", Client, &[], &[]),
    t("visit_events", Parent("visit_id", "visits"), &[], &[]),
    t("events", Client, &[To("episode_id", "episodes"), ByKind("record_kind", "record_id")], &[]),
];

/// Tables that hold no client record (or only what is derived from one): never exported.
pub const NOT_IN_THE_FILE: &[&str] = &[
    "schema_migrations",
    "meta",
    "settings",
    // unsaved forms: destroyed with the file, never exported
    "drafts",
    // derived from the records; rebuilt on import
    "search_index",
    "destroyed_clients",
    // kept by triggers from the screenings (rebuilt as they are imported; deleted with the file)
    "screening_latest",
    "destroying",
    // Today's snoozes: a working state of the list, not a record (each is a line on the
    // timeline, `events`, which is in the file); deleted with the file
    "snoozes",
    // the resource directory is not client data
    "organisations",
    "services",
    "locations",
    "service_locations",
    "directory_phones",
    "need_categories",
    "service_categories",
    "directory_index",
    "service_aliases",
];

/// The table a record kind (as stored on timeline lines and closure items) lives in.
pub const RECORD_KINDS: &[(&str, &str)] = &[
    (RecordKind::Note.as_str(), "notes"),
    (RecordKind::Assessment.as_str(), "assessments"),
    (RecordKind::Screening.as_str(), "screenings"),
    (RecordKind::Alert.as_str(), "alerts"),
    (RecordKind::Flag.as_str(), "risk_flags"),
    (RecordKind::Person.as_str(), "people"),
    (RecordKind::Consent.as_str(), "consents"),
    (RecordKind::Conference.as_str(), "conferences"),
    (RecordKind::ActionItem.as_str(), "action_items"),
    (RecordKind::Transition.as_str(), "transitions"),
    (RecordKind::Advocacy.as_str(), "advocacy_items"),
    (RecordKind::MandatedReport.as_str(), "mandated_reports"),
    (RecordKind::Goal.as_str(), "goals"),
    (RecordKind::Referral.as_str(), "referrals"),
    (RecordKind::Evaluation.as_str(), "evaluations"),
    (RecordKind::Closure.as_str(), "closures"),
    // a client's plan is named by the client's id
    (RecordKind::Plan.as_str(), "clients"),
];

pub fn spec(table: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|s| s.table == table)
}

/// Which notes an export takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteFilter {
    pub include_errors: bool,
    /// Contact days, inclusive.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

fn to_json(v: ValueRef<'_>) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => serde_json::Value::from(i),
        ValueRef::Real(f) => {
            serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or_default()
        }
        ValueRef::Text(t) => serde_json::Value::String(String::from_utf8_lossy(t).into_owned()),
        // no column holds bytes; should one ever, it travels as its hex digits
        ValueRef::Blob(b) => serde_json::Value::String(b.iter().map(|x| format!("{x:02x}")).collect()),
    }
}

fn from_json(v: &serde_json::Value) -> std::result::Result<Value, String> {
    Ok(match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().ok_or("a number out of range")?),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        _ => return Err("a list or object where a value was expected".into()),
    })
}

/// Visits the rows a query gives, each as a `Row`, without keeping them.
fn visit_rows(
    conn: &Connection,
    sql: &str,
    args: &[Value],
    f: &mut dyn FnMut(Row) -> Result<()>,
) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let mut rows = stmt.query(params_from_iter(args.iter()))?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let mut row = Row::new();
        for (i, name) in names.iter().enumerate() {
            row.insert(name.clone(), to_json(r.get_ref(i)?));
        }
        f(row)?;
        n += 1;
    }
    Ok(n)
}

fn read_rows(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    visit_rows(conn, sql, args, &mut |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

fn row_id(row: &Row, col: &str) -> Option<i64> {
    row.get(col).and_then(serde_json::Value::as_i64)
}

/// The rows of table `s` that belong to a client's file, as a condition on that table
/// (`?1` is the client's id; the note filter adds its days to `args`). A parent's rows are
/// those the parent's own condition takes, so a note left out takes its addenda with it.
fn scope(s: &TableSpec, notes: &NoteFilter, args: &mut Vec<Value>) -> String {
    match s.owner {
        Itself => "id = ?1".to_string(),
        Client => {
            let mut sql = "client_id = ?1".to_string();
            if s.filter == Some(RowFilter::Notes) {
                if !notes.include_errors {
                    sql.push_str(" AND error_at IS NULL");
                }
                if let Some(from) = notes.from {
                    args.push(Value::Text(crate::domain::dates::format_date(from)));
                    sql.push_str(&format!(" AND contact_at >= ?{}", args.len()));
                }
                if let Some(to) = notes.to.and_then(|d| d.succ_opt()) {
                    args.push(Value::Text(crate::domain::dates::format_date(to)));
                    sql.push_str(&format!(" AND contact_at < ?{}", args.len()));
                }
            }
            sql
        }
        Parent(col, parent) => {
            let inner = spec(parent).map(|p| scope(p, notes, args)).unwrap_or_else(|| "0".into());
            format!("{col} IN (SELECT id FROM {parent} WHERE {inner})")
        }
    }
}

/// The order a table's rows are exported (and imported) in.
fn export_order(s: &TableSpec) -> String {
    match s.owner {
        Parent(col, _) => format!("{col}, {}", s.order_by),
        _ => s.order_by.to_string(),
    }
}

/// Every row of a client's file, table by table (tables with no rows are listed empty).
pub fn collect(conn: &Connection, client_id: i64, notes: &NoteFilter) -> Result<BTreeMap<String, Vec<Row>>> {
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for s in TABLES {
        let mut rows = Vec::new();
        visit_table(conn, client_id, notes, s, None, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        out.insert(s.table.to_string(), rows);
    }
    Ok(out)
}

/// Visits the rows of one table of a client's file, one at a time, in the export's order (or
/// `order`, columns of that table); gives how many there were.
fn visit_table(
    conn: &Connection,
    client_id: i64,
    notes: &NoteFilter,
    s: &TableSpec,
    order: Option<&str>,
    f: &mut dyn FnMut(Row) -> Result<()>,
) -> Result<usize> {
    let mut args = vec![Value::Integer(client_id)];
    let scope = scope(s, notes, &mut args);
    let order = order.map(str::to_string).unwrap_or_else(|| export_order(s));
    let sql = format!("SELECT * FROM {} WHERE {scope} ORDER BY {order}", s.table);
    visit_rows(conn, &sql, &args, f)
}

/// A client's file as the export takes it.
pub struct FileTables {
    /// Table name → rows, as `collect` gives them.
    pub tables: BTreeMap<String, Vec<Row>>,
    /// How many of the client's notes the note filter left out.
    pub notes_left_out: usize,
}

/// How many notes a client's file holds, and how many the note filter leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoteCounts {
    pub taken: usize,
    pub left_out: usize,
}

/// An order for `Store::visit_file_rows`: the export's, or one the Markdown reads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOrder {
    /// As the JSON file has them (and the import writes them).
    Export,
    /// By a moment, then by id: notes by contact, timeline lines by when they happened.
    Time,
}

impl Store {
    /// Every row of a client's file (notes as filtered), refusing a client that does not exist.
    pub fn file_tables(&self, client_id: i64, notes: &NoteFilter) -> Result<FileTables> {
        super::clients::require_client(&self.conn, client_id)?;
        let tables = collect(&self.conn, client_id, notes)?;
        let NoteCounts { left_out, .. } = self.file_note_counts(client_id, notes)?;
        Ok(FileTables { tables, notes_left_out: left_out })
    }

    /// How many of a client's notes the file takes and leaves out, refusing a client that
    /// does not exist.
    pub fn file_note_counts(&self, client_id: i64, notes: &NoteFilter) -> Result<NoteCounts> {
        super::clients::require_client(&self.conn, client_id)?;
        let Some(s) = spec("notes") else { return Ok(NoteCounts::default()) };
        let mut args = vec![Value::Integer(client_id)];
        let scope = scope(s, notes, &mut args);
        let count = |sql: &str, args: &[Value]| -> Result<usize> {
            let n: i64 = self.conn.query_row(sql, params_from_iter(args.iter()), |r| r.get(0))?;
            Ok(n as usize)
        };
        let taken = count(&format!("SELECT count(*) FROM notes WHERE {scope}"), &args)?;
        let all = count("SELECT count(*) FROM notes WHERE client_id = ?1", &[Value::Integer(client_id)])?;
        Ok(NoteCounts { taken, left_out: all.saturating_sub(taken) })
    }

    /// Visits the rows of one table of a client's file one at a time, never holding them all:
    /// what a streamed export reads. Gives how many rows there were.
    pub fn visit_file_rows(
        &self,
        client_id: i64,
        notes: &NoteFilter,
        table: &TableSpec,
        order: RowOrder,
        f: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        let order = match (order, table.table) {
            (RowOrder::Time, "notes") => Some("contact_at, id"),
            (RowOrder::Time, "events") => Some("occurred_at, id"),
            _ => None,
        };
        visit_table(&self.conn, client_id, notes, table, order, f)
    }

    /// The addenda of one note, oldest first.
    pub fn note_addenda_rows(&self, note_id: i64) -> Result<Vec<Row>> {
        read_rows(
            &self.conn,
            "SELECT * FROM addenda WHERE note_id = ?1 ORDER BY id",
            &[Value::Integer(note_id)],
        )
    }
}

/// Column names of a table, as this version has them.
fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt.query_map([], |r| r.get::<_, String>(1))?.collect::<rusqlite::Result<_>>()?;
    Ok(cols)
}

fn not_null_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(3)?)))?
        .filter_map(|r| r.ok())
        .filter(|(_, nn)| *nn != 0)
        .map(|(c, _)| c)
        .collect();
    Ok(cols)
}

/// Old id → new id, per table, while an import writes.
pub type IdMap = HashMap<&'static str, HashMap<i64, i64>>;

fn newer(what: String) -> StoreError {
    StoreError::Refused(format!(
        "This file has {what}, which this caseload does not know: it was made by a newer version. \
         Nothing was imported. Update caseload and try again."
    ))
}

fn damaged(what: &str) -> StoreError {
    StoreError::Refused(format!("The file is damaged ({what}). Nothing was imported."))
}

/// A reference to a row of the same table, written once the table is in: (table, column, new
/// row id, old target id).
type Deferred = (&'static str, &'static str, i64, Option<i64>);

/// Writes a file's rows one at a time, tables in the order of `TABLES` (parents before the
/// rows that point at them), remembering each record's new id; `finish` then sets the
/// references written later (a note rewritten as a later note) and rebuilds search rows.
pub struct Inserter<'a, 't> {
    tx: &'a Transaction<'t>,
    client_id: i64,
    fix_client: &'a dyn Fn(&mut Row),
    map: IdMap,
    /// self-references and records named by kind are written once everything is in
    later: Vec<Deferred>,
    /// (table, its columns, its NOT NULL columns), for the table being written
    columns: Option<(&'static str, Vec<String>, Vec<String>)>,
}

impl<'a, 't> Inserter<'a, 't> {
    pub fn new(tx: &'a Transaction<'t>, client_id: i64, fix_client: &'a dyn Fn(&mut Row)) -> Self {
        Inserter { tx, client_id, fix_client, map: HashMap::new(), later: Vec::new(), columns: None }
    }

    /// Writes one row of table `s`; every table it points at must be in already.
    pub fn insert(&mut self, s: &'static TableSpec, mut row: Row) -> Result<()> {
        if self.columns.as_ref().is_none_or(|(t, _, _)| *t != s.table) {
            self.columns = Some((s.table, columns(self.tx, s.table)?, not_null_columns(self.tx, s.table)?));
        }
        if s.owner == Itself {
            (self.fix_client)(&mut row);
        }
        let Some((_, known, not_null)) = self.columns.as_ref() else { return Ok(()) };
        if let Some(col) = row.keys().find(|c| !known.contains(c)) {
            return Err(newer(format!(
                "a field \"{}\" in its {}",
                crate::domain::text::fit(col, 40),
                s.table.replace('_', " ")
            )));
        }
        let old_id = match s.id {
            Some(id) => Some(row_id(&row, id).ok_or_else(|| damaged("a record without its number"))?),
            None => None,
        };
        let mut values: Vec<(&str, Value)> = Vec::new();
        let mut deferred: Vec<(&'static str, Option<i64>)> = Vec::new();
        for (col, v) in &row {
            if Some(col.as_str()) == s.id && s.owner != Itself {
                continue;
            }
            let value = self.value(s, &row, col, v, not_null, &mut deferred)?;
            values.push((col.as_str(), value));
        }
        let cols: Vec<&str> = values.iter().map(|(c, _)| *c).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO {} ({}) VALUES ({})", s.table, cols.join(", "), marks.join(", "));
        self.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(values.iter().map(|(_, v)| v)))
            .map_err(|e| refused_insert(e, s.table))?;
        if let Some(old) = old_id {
            let new = if s.owner == Itself { self.client_id } else { self.tx.last_insert_rowid() };
            self.map.entry(s.table).or_default().insert(old, new);
            for (col, target) in deferred {
                self.later.push((s.table, col, new, target));
            }
        }
        Ok(())
    }

    /// The value written for one column: the new client, a parent's or a record's new id.
    fn value(
        &self,
        s: &'static TableSpec,
        row: &Row,
        col: &str,
        v: &serde_json::Value,
        not_null: &[String],
        deferred: &mut Vec<(&'static str, Option<i64>)>,
    ) -> Result<Value> {
        let mut value = from_json(v).map_err(|m| damaged(&m))?;
        if col == "client_id" || (s.owner == Itself && Some(col) == s.id) {
            value = Value::Integer(self.client_id);
        }
        if let Parent(pcol, parent) = s.owner {
            if col == pcol {
                let old = v.as_i64().ok_or_else(|| damaged("a record without its parent"))?;
                let new = self
                    .map
                    .get(parent)
                    .and_then(|m| m.get(&old))
                    .ok_or_else(|| damaged("a record whose parent is missing"))?;
                value = Value::Integer(*new);
            }
        }
        for r in s.refs {
            match *r {
                To(rc, target) if rc == col => {
                    let old = v.as_i64();
                    if target == s.table && s.id.is_some() {
                        deferred.push((rc, old));
                        value = Value::Null;
                    } else {
                        value = match old.and_then(|o| self.new_id(target, o)) {
                            Some(n) => Value::Integer(n),
                            None => Value::Null,
                        };
                    }
                }
                Outside(oc, _) if oc == col => value = Value::Null,
                ByKind(kc, ic) if ic == col => {
                    // the tables named by kind all come earlier in TABLES
                    let kind = row.get(kc).and_then(|k| k.as_str()).unwrap_or_default();
                    let target = RECORD_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t);
                    let mapped = match (v.as_i64(), target) {
                        (Some(o), Some(t)) => self.new_id(t, o),
                        _ => None,
                    };
                    value = match mapped {
                        Some(n) => Value::Integer(n),
                        // not in this file (left out of a partial export)
                        None if not_null.iter().any(|c| c == col) => Value::Integer(0),
                        None => Value::Null,
                    };
                }
                _ => {}
            }
        }
        Ok(value)
    }

    fn new_id(&self, table: &str, old: i64) -> Option<i64> {
        self.map.get(table).and_then(|m| m.get(&old)).copied()
    }

    /// Sets the references that had to wait and rebuilds the search rows written in code.
    pub fn finish(self) -> Result<IdMap> {
        for (table, col, new_id, old_target) in &self.later {
            let mapped = old_target.and_then(|o| self.new_id(table, o));
            if mapped.is_some() {
                self.tx
                    .prepare_cached(&format!("UPDATE {table} SET {col} = ?2 WHERE id = ?1"))?
                    .execute(rusqlite::params![new_id, mapped])?;
            }
        }
        for s in TABLES {
            if let (Some(reindex), Some(m)) = (s.reindex, self.map.get(s.table)) {
                for new in m.values() {
                    reindex(self.tx, *new)?;
                }
            }
        }
        Ok(self.map)
    }
}

/// The rows of a file being imported, kept in SQLite's temporary storage (a scratch table of
/// this connection, on disk, never in the database file) until every table is in, so they are
/// written parents first whatever order the file lists its tables in. Lives inside the
/// import's transaction: rolled back with it, or dropped by `close`.
pub struct Spool<'a, 't> {
    tx: &'a Transaction<'t>,
    seq: i64,
}

impl<'a, 't> Spool<'a, 't> {
    pub fn new(tx: &'a Transaction<'t>) -> Result<Self> {
        tx.execute_batch(
            "CREATE TEMP TABLE import_spool (tbl TEXT NOT NULL, seq INTEGER NOT NULL, row TEXT NOT NULL, \
             PRIMARY KEY (tbl, seq)) WITHOUT ROWID",
        )?;
        Ok(Spool { tx, seq: 0 })
    }

    pub fn push(&mut self, table: &str, row: &Row) -> Result<()> {
        let text = serde_json::to_string(row).map_err(|_| damaged("a record that cannot be read"))?;
        self.seq += 1;
        self.tx
            .prepare_cached("INSERT INTO temp.import_spool (tbl, seq, row) VALUES (?1, ?2, ?3)")?
            .execute(rusqlite::params![table, self.seq, text])?;
        Ok(())
    }

    /// Each row kept for `table`, in the order it came.
    pub fn each(&self, table: &str, f: &mut dyn FnMut(Row) -> Result<()>) -> Result<()> {
        let mut stmt = self.tx.prepare("SELECT row FROM temp.import_spool WHERE tbl = ?1 ORDER BY seq")?;
        let mut rows = stmt.query([table])?;
        while let Some(r) = rows.next()? {
            let text: String = r.get(0)?;
            f(serde_json::from_str(&text).map_err(|_| damaged("a record that cannot be read"))?)?;
        }
        Ok(())
    }

    pub fn close(self) -> Result<()> {
        self.tx.execute_batch("DROP TABLE temp.import_spool")?;
        Ok(())
    }
}

/// A constraint the file's values break is the file's fault, said without its contents.
fn refused_insert(e: rusqlite::Error, table: &str) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Refused(format!(
            "The file is damaged or was changed by hand: a record in its {} breaks a rule of the \
             database. Nothing was imported.",
            table.replace('_', " ")
        )),
        _ => StoreError::from(e),
    }
}

/// Deletes every record of a client, children before parents, with their search rows, and
/// clears references to them from other clients' records (a note rewritten on this client).
pub fn delete_all(tx: &Transaction<'_>, client_id: i64) -> Result<()> {
    // references from other clients' notes into this file
    tx.execute("UPDATE notes SET moved_from = NULL WHERE moved_from = ?1 AND client_id != ?1", [client_id])?;
    tx.execute(
        "UPDATE notes SET rewritten_as = NULL WHERE client_id != ?1 \
         AND rewritten_as IN (SELECT id FROM notes WHERE client_id = ?1)",
        [client_id],
    )?;
    tx.execute(
        "DELETE FROM drafts WHERE client_id = ?1 OR (kind = 'addendum' AND key IN \
         (SELECT 'addendum:' || id FROM notes WHERE client_id = ?1))",
        [client_id],
    )?;
    tx.execute("DELETE FROM screening_latest WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM snoozes WHERE client_id = ?1", [client_id])?;
    for s in TABLES.iter().rev() {
        let rows = match s.owner {
            Itself => "id = ?1".to_string(),
            Client => "client_id = ?1".to_string(),
            Parent(col, parent) => format!("{col} IN (SELECT id FROM {parent} WHERE client_id = ?1)"),
        };
        if let Some(id) = s.id {
            for k in s.search {
                tx.execute(
                    &format!("DELETE FROM search_index WHERE rowid IN (SELECT {id} * 16 + {k} FROM {} WHERE {rows})", s.table),
                    [client_id],
                )?;
            }
        }
        tx.execute(&format!("DELETE FROM {} WHERE {rows}", s.table), [client_id])?;
    }
    Ok(())
}

impl Store {
    /// The columns of every table of a client's file, as the database declares them: what an
    /// import checks a file against.
    pub fn file_columns(&self) -> Result<HashMap<String, Vec<(String, String)>>> {
        let mut out = HashMap::new();
        for spec in TABLES {
            let mut stmt = self.conn.prepare(&format!("PRAGMA table_info(\"{}\")", spec.table))?;
            let cols = stmt
                .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.insert(spec.table.to_string(), cols);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table that holds a client's records is in `TABLES`, or deliberately left out.
    /// (A new kind of record — referrals — must be added to one of the lists.)
    #[test]
    fn every_client_table_is_in_the_file_or_named_as_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        let mut stmt = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .unwrap();
        let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
        for name in &names {
            // FTS5's own tables
            if name.starts_with("search_index_") || name.starts_with("directory_index_") {
                continue;
            }
            assert!(
                spec(name).is_some() || NOT_IN_THE_FILE.contains(&name.as_str()),
                "table {name} is neither in the client file (store::sections::TABLES) nor in NOT_IN_THE_FILE"
            );
        }
        for s in TABLES {
            assert!(names.contains(&s.table.to_string()), "{} is not a table", s.table);
            let cols = columns(&store.conn, s.table).unwrap();
            if s.owner == Client {
                assert!(cols.contains(&"client_id".to_string()), "{} has no client_id", s.table);
            }
            if let Parent(col, parent) = s.owner {
                assert!(cols.contains(&col.to_string()), "{}.{col}", s.table);
                let pos = |t: &str| TABLES.iter().position(|x| x.table == t).unwrap();
                assert!(pos(parent) < pos(s.table), "{parent} must come before {}", s.table);
            }
            for r in s.refs {
                let col = match r {
                    To(c, target) => {
                        assert!(spec(target).is_some(), "{target} is not in the file");
                        c
                    }
                    ByKind(k, c) => {
                        assert!(cols.contains(&k.to_string()));
                        c
                    }
                    Outside(c, target) => {
                        assert!(spec(target).is_none() && NOT_IN_THE_FILE.contains(target), "{target}");
                        c
                    }
                };
                assert!(cols.contains(&col.to_string()), "{}.{col}", s.table);
            }
        }
        for (_, table) in RECORD_KINDS {
            assert!(spec(table).is_some(), "{table}");
        }
    }

    /// Every column that references a table of the file (a foreign key) is remapped on import.
    #[test]
    fn every_foreign_key_is_remapped() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("t.db")).unwrap();
        for s in TABLES {
            let mut stmt = store.conn.prepare(&format!("PRAGMA foreign_key_list({})", s.table)).unwrap();
            let fks: Vec<(String, String)> =
                stmt.query_map([], |r| Ok((r.get(2)?, r.get(3)?))).unwrap().map(|r| r.unwrap()).collect();
            for (target, col) in fks {
                let covered = col == "client_id"
                    || matches!(s.owner, Parent(c, p) if c == col && p == target)
                    || s.refs
                        .iter()
                        .any(|r| matches!(r, To(c, t) | Outside(c, t) if *c == col && *t == target));
                assert!(covered, "{}.{col} → {target} is not remapped on import", s.table);
            }
        }
    }
}
