//! Importing a resource directory from Open Referral HSDS files: a datapackage folder of CSV
//! files with `datapackage.json` (HSDS 1.x/2.x, and 3.0's CSV form), or HSDS 3.0 JSON.
//!
//! The file system is touched only in this file; decoding (`decode`), CSV (`csv`) and the HSDS
//! mapping (`hsds`) are pure. A file that cannot be read at all refuses the whole import before
//! the database is touched; the store then writes everything in one transaction.

pub mod check;
pub mod client_file;
pub mod client_json;
pub mod csv;
pub mod hsds;

use crate::domain::text::quote_path;
use std::path::{Component, Path};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::domain::directory::DirectoryData;
use crate::store::directory::{ImportProgress, ImportReport};
use crate::store::{Store, StoreError};
use hsds::{canonical_table_name, Row, Table, Tables};

/// The whole import was refused: nothing was changed. The message says why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportRefused(pub String);

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Refused(#[from] ImportRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ImportError {
    /// True when the file (not the database) was the problem.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ImportError::Refused(_) => true,
            ImportError::Store(e) => e.is_bad_input(),
        }
    }
}

/// Tables the mapping reads; others in a package are left unread.
const TABLES_USED: &[&str] = &[
    "organization",
    "service",
    "location",
    "service_at_location",
    "phone",
    "physical_address",
    "postal_address",
    "address",
    "regular_schedule",
    "holiday_schedule",
    "schedule",
    "language",
    "eligibility",
    "service_area",
    "required_document",
    "cost_option",
    "payment_accepted",
    "taxonomy",
    "taxonomy_term",
    "service_taxonomy",
    "attribute",
];

/// Text from a file's bytes: UTF-8 (with or without a byte order mark), or UTF-16 with one.
/// Anything else is refused rather than guessed at: a wrong guess would garble every accent.
pub fn decode(bytes: &[u8], name: &str) -> Result<String, ImportRefused> {
    let utf16 = |le: bool| -> Result<String, ImportRefused> {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            ImportRefused(format!("{name} says it is UTF-16 but is damaged. Nothing was imported."))
        })
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            std::str::from_utf8(rest).map(str::to_string).map_err(|e| not_utf8(name, e))
        }
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => std::str::from_utf8(bytes).map(str::to_string).map_err(|e| not_utf8(name, e)),
    }
}

fn not_utf8(name: &str, e: std::str::Utf8Error) -> ImportRefused {
    let at = e.valid_up_to();
    ImportRefused(format!(
        "{name} is not UTF-8 text (the first bad byte is at position {at}). Save it as UTF-8 (in a spreadsheet: \
         \"CSV UTF-8\") and import it again. Nothing was imported."
    ))
}

fn read(path: &Path) -> Result<Vec<u8>, ImportRefused> {
    std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        ImportRefused(format!("Could not read {}: {why}. Nothing was imported.", quote_path(path)))
    })
}

fn parse_json(text: &str, name: &str) -> Result<Value, ImportRefused> {
    serde_json::from_str(text).map_err(|e| {
        ImportRefused(format!(
            "{name} is not valid JSON (line {}, column {}). Nothing was imported.",
            e.line(),
            e.column()
        ))
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| quote_path(path))
}

/// Reads what a path holds: a datapackage folder, its `datapackage.json`, or HSDS 3.0 JSON.
pub fn read_directory(path: &Path) -> Result<DirectoryData, ImportRefused> {
    let data = read_any(path)?;
    // refused whole, as the service form refuses a value too long for its field
    data.check_limits().map_err(|m| {
        ImportRefused(format!("{}. Nothing was imported.", crate::domain::text::display_safe(&m)))
    })?;
    Ok(data)
}

fn read_any(path: &Path) -> Result<DirectoryData, ImportRefused> {
    let meta = std::fs::metadata(path).map_err(|_| {
        ImportRefused(format!(
            "There is nothing at {}. Check the path. Nothing was imported.",
            quote_path(path)
        ))
    })?;
    if meta.is_dir() {
        let package = path.join("datapackage.json");
        if !package.is_file() {
            return read_folder(path, None);
        }
        let json = parse_json(&decode(&read(&package)?, "datapackage.json")?, "datapackage.json")?;
        return read_folder(path, Some(&json));
    }
    let name = file_name(path);
    let lower = name.to_lowercase();
    if !lower.ends_with(".json") {
        return Err(ImportRefused(format!(
            "{name} is neither an HSDS datapackage folder nor an HSDS JSON file. For CSV files, give the folder \
             that holds them with its datapackage.json. Nothing was imported."
        )));
    }
    let json = parse_json(&decode(&read(path)?, &name)?, &name)?;
    if json.get("resources").is_some_and(Value::is_array) {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        return read_folder(folder, Some(&json));
    }
    let (tables, mut skipped) = hsds::flatten_json(&json)?;
    let mut data = hsds::map_tables(&tables, "HSDS 3.0 JSON")?;
    skipped.append(&mut data.skipped);
    data.skipped = skipped;
    Ok(data)
}

/// The CSV files of a folder and of the folders directly in it ("services.csv",
/// "data/services.csv"), sorted, the folder's own first.
fn csv_files(folder: &Path) -> Vec<String> {
    let list = |dir: &Path| -> (Vec<String>, Vec<String>) {
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().into_owned();
                if e.path().is_dir() && !name.starts_with('.') {
                    dirs.push(name);
                } else if name.to_lowercase().ends_with(".csv") {
                    files.push(name);
                }
            }
        }
        files.sort();
        dirs.sort();
        (files, dirs)
    };
    let (mut out, dirs) = list(folder);
    for d in dirs {
        let (files, _) = list(&folder.join(&d));
        out.extend(files.into_iter().map(|f| format!("{d}/{f}")));
    }
    out
}

/// Reads the tables the mapping uses from a folder of CSV files, with its `datapackage.json`
/// or without one. Tables are found by resource name or file name, singular or plural; CSV
/// files the package does not list, or that sit in a folder inside it, are found by name too.
/// What had to be assumed (no package, a listed file absent or elsewhere) is said in the report.
fn read_folder(folder: &Path, package: Option<&Value>) -> Result<DirectoryData, ImportRefused> {
    let no_resources = Vec::new();
    let resources = match package {
        Some(p) => p.get("resources").and_then(Value::as_array).ok_or_else(|| {
            ImportRefused("datapackage.json lists no resources. Nothing was imported.".into())
        })?,
        None => &no_resources,
    };
    let files = csv_files(folder);
    let mut assumed: Vec<String> = Vec::new();
    // canonical table name → (relative path, delimiter)
    let mut found: Vec<(String, String, char)> = Vec::new();
    let mut add = |canonical: String, rel: &str, delimiter: char| {
        if !found.iter().any(|(c, _, _)| *c == canonical) {
            found.push((canonical, rel.to_string(), delimiter));
        }
    };
    for r in resources {
        let paths: Vec<&str> = match r.get("path") {
            Some(Value::String(p)) => vec![p.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        let delimiter = r
            .pointer("/dialect/delimiter")
            .and_then(Value::as_str)
            .and_then(|d| d.chars().next())
            .unwrap_or(',');
        for p in paths.iter().take(1) {
            let used = |n: &str| TABLES_USED.contains(&canonical_table_name(n).as_str());
            let name = r.get("name").and_then(Value::as_str);
            let mut rel = p.to_string();
            if !rel.contains("://") && !folder.join(&rel).is_file() && (used(p) || name.is_some_and(used)) {
                // listed but not there: the same file name elsewhere in the folder, else none
                let base = rel.rsplit(['/', '\\']).next().unwrap_or(&rel).to_lowercase();
                match files.iter().find(|f| f.rsplit('/').next().unwrap_or(f).to_lowercase() == base) {
                    Some(f) => {
                        assumed.push(format!(
                            "datapackage.json lists {rel}, which is not there; {f} was read instead"
                        ));
                        rel = f.clone();
                    }
                    None => {
                        assumed.push(format!(
                            "datapackage.json lists {rel}, but there is no such file: read without it"
                        ));
                        continue;
                    }
                }
            }
            if let Some(name) = name {
                add(canonical_table_name(name), &rel, delimiter);
            }
            add(canonical_table_name(&rel), &rel, delimiter);
        }
    }
    for f in &files {
        add(canonical_table_name(f), f, ',');
    }
    let mut tables = Tables::default();
    for (canonical, rel, delimiter) in found {
        if !TABLES_USED.contains(&canonical.as_str()) {
            continue;
        }
        if rel.contains("://") {
            return Err(ImportRefused(format!(
                "datapackage.json points {canonical} at a web address ({rel}); caseload imports only files in the \
                 package folder. Nothing was imported."
            )));
        }
        let relp = Path::new(&rel);
        if relp.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
            return Err(ImportRefused(format!(
                "datapackage.json points {canonical} outside the package folder ({rel}). Nothing was imported."
            )));
        }
        let full = folder.join(relp);
        if !full.is_file() {
            return Err(ImportRefused(format!(
                "datapackage.json lists {rel}, but there is no such file in the folder. Nothing was imported."
            )));
        }
        let display = if rel.contains('/') { rel.clone() } else { file_name(&full) };
        let text = decode(&read(&full)?, &display)?;
        let csv = csv::parse(&text, delimiter)
            .map_err(|e| ImportRefused(format!("{display} cannot be read: {e}. Nothing was imported.")))?;
        let rows = csv
            .rows
            .into_iter()
            .map(|(line, values)| Row {
                origin: format!("{display} line {line}"),
                fields: csv.headers.iter().cloned().zip(values).collect(),
            })
            .collect();
        tables.insert(canonical, Table { file: display, columns: csv.headers.into_iter().collect(), rows });
    }
    let v3 =
        package.and_then(|p| p.get("version")).and_then(Value::as_str).is_some_and(|v| v.starts_with('3'))
            || tables.tables.contains_key("schedule")
            || tables.tables.contains_key("address");
    if package.is_none() {
        if tables.tables.is_empty() {
            return Err(ImportRefused(format!(
                "{} has no datapackage.json, and none of its CSV files is named as an HSDS table (services.csv, \
                 organizations.csv, locations.csv…). Give an HSDS datapackage folder or an HSDS 3.0 JSON file. \
                 Nothing was imported.",
                quote_path(folder)
            )));
        }
        let read: Vec<String> =
            tables.tables.iter().map(|(canonical, t)| format!("{} as {canonical}", t.file)).collect();
        assumed.insert(
            0,
            format!(
                "there is no datapackage.json: the tables were read by their file names and headers ({})",
                read.join(", ")
            ),
        );
    }
    let format = match (package.is_some(), v3) {
        (true, true) => "HSDS 3.0 datapackage (CSV)",
        (true, false) => "HSDS 1.x/2.x datapackage (CSV)",
        (false, true) => "HSDS 3.0 CSV tables (no datapackage.json)",
        (false, false) => "HSDS 1.x/2.x CSV tables (no datapackage.json)",
    };
    let mut data = hsds::map_tables(&tables, format)?;
    data.assumed = assumed;
    Ok(data)
}

/// Reads a path and imports what it holds, in one transaction.
pub fn import_path(
    store: &mut Store,
    path: &Path,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportReport, ImportError> {
    let data = read_directory(path)?;
    Ok(store.import_directory(&data, now, progress)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_utf16_decode() {
        assert_eq!(decode(b"\xEF\xBB\xBFid,name", "x").unwrap(), "id,name");
        assert_eq!(decode("Zoë".as_bytes(), "x").unwrap(), "Zoë");
        let mut le = vec![0xFF, 0xFE];
        le.extend("aé".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le, "x").unwrap(), "aé");
        let mut be = vec![0xFE, 0xFF];
        be.extend("aé".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be, "x").unwrap(), "aé");
    }

    #[test]
    fn undecodable_bytes_are_refused_by_name() {
        let e = decode(b"id,name\n1,Caf\xe9\n", "services.csv").unwrap_err();
        assert!(e.0.contains("services.csv is not UTF-8"), "{e}");
        assert!(e.0.contains("position 13"), "{e}");
    }
}
