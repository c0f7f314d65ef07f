//! What an imported client file may hold: every value is checked and cleaned as the form or
//! command that makes such a record would check it, before anything is written. A file with
//! one bad value is refused whole, naming the kind of record, which one, and the field.

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::dates::{from_db, parse_ymd};
use crate::domain::note::{ContactType, MAX_MINUTES};
use crate::domain::text::{display_safe, quote, strip_controls_multiline, MAX_FIELD_CHARS};
use crate::export::file::ClientFileDoc;
use crate::store::sections::{Row, TABLES};
use crate::store::{Result, StoreError};

/// The columns of each table as the database declares them: name → declared type.
pub type Columns = HashMap<String, Vec<(String, String)>>;

/// Names and other one-line labels are as long as the intake allows.
const NAME_COLUMNS: &[&str] =
    &["given_name", "family_name", "preferred_name", "name", "emergency_contact_name", "to_name"];
const NAME_MAX: usize = 200;

/// Why one value is refused, in words.
struct Bad {
    field: String,
    why: String,
}

/// Checks and cleans every row of a document in place; the first bad value refuses it all.
pub fn check(doc: &mut ClientFileDoc, columns: &Columns) -> Result<()> {
    for (table, rows) in doc.tables.iter_mut() {
        known_table(table, columns)?;
        for (i, row) in rows.iter_mut().enumerate() {
            check_record(table, i, row, columns)?;
        }
    }
    Ok(())
}

/// The columns of a kind of record this caseload knows; any other kind refuses the file.
pub fn known_table<'c>(table: &str, columns: &'c Columns) -> Result<&'c [(String, String)]> {
    match columns.get(table).filter(|_| TABLES.iter().any(|t| t.table == table)) {
        Some(cols) => Ok(cols),
        None => Err(StoreError::Refused(format!(
            "The file holds records of a kind this caseload does not know ({}). Nothing was imported.",
            quote(table)
        ))),
    }
}

/// Checks and cleans record `index` (from 0) of `table`, as it comes: a bad value refuses
/// the file, naming the kind of record, which one, and the field.
pub fn check_record(table: &str, index: usize, row: &mut Row, columns: &Columns) -> Result<()> {
    let cols = known_table(table, columns)?;
    check_row(table, row, cols).map_err(|b| {
        let what = table.replace('_', " ");
        let which = row
            .get("id")
            .and_then(Value::as_i64)
            .map(|id| format!(" (id {id} in the file)"))
            .unwrap_or_default();
        StoreError::Refused(format!(
            "The file's {what} record {}{which} has a bad {}: {}. Nothing was imported.",
            index + 1,
            b.field,
            b.why
        ))
    })
}

fn bad(field: &str, why: impl Into<String>) -> Bad {
    Bad { field: quote(field), why: why.into() }
}

fn check_row(table: &str, row: &mut Row, cols: &[(String, String)]) -> std::result::Result<(), Bad> {
    for (col, value) in row.iter_mut() {
        let Some((_, decl)) = cols.iter().find(|(c, _)| c == col) else {
            return Err(bad(
                col,
                "this version of caseload does not know that field (the file may come from a newer version)",
            ));
        };
        check_value(table, col, &decl.to_ascii_uppercase(), value)?;
    }
    Ok(())
}

fn check_value(table: &str, col: &str, decl: &str, value: &mut Value) -> std::result::Result<(), Bad> {
    match value {
        Value::Null => Ok(()),
        Value::Bool(_) if decl.contains("INT") => Ok(()),
        Value::Number(n) if decl.contains("INT") || decl.is_empty() => {
            let Some(n) = n.as_i64() else { return Err(bad(col, "not a whole number")) };
            if col == "duration_minutes" && !(0..=i64::from(MAX_MINUTES)).contains(&n) {
                return Err(bad(col, format!("{n} minutes is not between 0 and {MAX_MINUTES}")));
            }
            Ok(())
        }
        Value::Number(_) if decl.contains("REAL") || decl.contains("NUM") => Ok(()),
        Value::String(s) if decl.contains("TEXT") || decl.contains("CHAR") || decl.is_empty() => {
            let clean = strip_controls_multiline(s);
            let max = if NAME_COLUMNS.contains(&col) { NAME_MAX } else { MAX_FIELD_CHARS };
            let len = clean.chars().count();
            if len > max {
                return Err(bad(col, format!("{len} characters, more than the {max} this field holds")));
            }
            let shown = quote(&clean);
            if !clean.trim().is_empty() {
                if is_day_column(col) && parse_ymd(&clean).is_none() {
                    return Err(bad(col, format!("{shown} is not a date (YYYY-MM-DD)")));
                }
                if is_moment_column(col) && from_db(&clean).is_none() {
                    return Err(bad(col, format!("{shown} is not a date and time")));
                }
                if table == "notes" && col == "contact_type" && ContactType::parse(&clean).is_none() {
                    return Err(bad(col, format!("{shown} is not a kind of contact")));
                }
            }
            *s = clean;
            Ok(())
        }
        other => Err(bad(
            col,
            format!("{} where the field holds {}", kind_of(other), display_safe(&decl.to_lowercase())),
        )),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a group of fields",
        Value::Null => "nothing",
    }
}

/// Columns that hold a day (`YYYY-MM-DD`).
fn is_day_column(col: &str) -> bool {
    col.ends_with("_on") || col.ends_with("_date") || col == "date_of_birth" || col == "on_date"
}

/// Columns that hold a moment (a stored timestamp).
fn is_moment_column(col: &str) -> bool {
    col.ends_with("_at")
}
