//! What the commands share: opening the store, the refusal that exits 2, the arguments several
//! commands repeat, and the few readers and printers every area uses.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{Local, NaiveDate};
use clap::Args;
use serde::Serialize;

use crate::domain::client::{Client, FieldError};
use crate::domain::dates::parse_date;
use crate::domain::text::{display_safe, pad, quote_path, width};
use crate::store::{default_db_path, secure_data_dir, Store, StoreError};

/// A refusal caused by what the user typed: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// A refusal (exit 2) with this message.
pub fn bad(msg: impl Into<String>) -> anyhow::Error {
    BadInput(msg.into()).into()
}

/// The field errors of a refused record, a line each, named by `label` (a flag, or the
/// argument's name) rather than by the field.
pub fn refusal<L: std::fmt::Display>(
    errors: &[FieldError],
    label: impl Fn(&'static str) -> L,
) -> anyhow::Error {
    bad(errors.iter().map(|e| format!("{}: {}", label(e.field), e.message)).collect::<Vec<_>>().join("\n"))
}

/// A store error with the same field errors as `refusal` when the store refused the values,
/// any other as it is.
pub fn store_refusal<L: std::fmt::Display>(
    label: impl Fn(&'static str) -> L,
) -> impl FnOnce(StoreError) -> anyhow::Error {
    move |e| match e {
        StoreError::Invalid(errors) => refusal(&errors, label),
        other => other.into(),
    }
}

/// A column of plain output, `cols` cells wide and made safe to print. On a terminal a longer
/// text is cut with "…" to keep the table in line; into a pipe or a file it is written whole, so
/// that a script reading the output gets every name as it is.
pub fn column(s: &str, cols: usize) -> String {
    static TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let safe = display_safe(s);
    if *TERMINAL.get_or_init(|| std::io::stdout().is_terminal()) {
        pad(&safe, cols)
    } else {
        let gap = cols.saturating_sub(width(&safe));
        format!("{safe}{}", " ".repeat(gap))
    }
}

/// `--json`, where a command says nothing more about it.
#[derive(Args, Debug, Clone, Copy)]
pub struct Output {
    /// Print JSON instead of text (an array for a list, an object for one record).
    #[arg(long)]
    pub json: bool,
}

/// The client a command is about.
#[derive(Args, Debug, Clone)]
pub struct ClientRef {
    /// Client reference (C-0042) or a unique part of a name.
    pub reference: String,
}

impl ClientRef {
    pub fn resolve(&self, store: &Store) -> anyhow::Result<Client> {
        Ok(store.resolve_client(&self.reference)?)
    }
}

pub fn db_path(cli_db: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match cli_db {
        Some(p) => Ok(p),
        None => {
            let p = default_db_path().context("Could not find your data directory; use --db PATH")?;
            secure_data_dir(&p).context("Could not create the data directory")?;
            Ok(p)
        }
    }
}

/// Opens the database, creating it if absent: for the app and for commands that add records.
pub fn open(cli_db: Option<PathBuf>) -> anyhow::Result<Store> {
    let path = db_path(cli_db)?;
    Ok(told(Store::open(&path)?))
}

/// Opens an existing database; a missing one is a refusal (exit 2) and nothing is created.
pub fn open_existing(cli_db: Option<PathBuf>) -> anyhow::Result<Store> {
    Ok(told(Store::open_existing(&db_path(cli_db)?)?))
}

/// For a command that only reads: an existing database, opened as usual (so it is upgraded and
/// its permissions made right), or read-only when the file or its folder cannot be written (an
/// archive, a copy on read-only media). A missing one is a refusal and nothing is created.
pub fn open_to_read(cli_db: Option<PathBuf>) -> anyhow::Result<Store> {
    let path = db_path(cli_db)?;
    match Store::open_existing(&path) {
        Ok(store) => Ok(told(store)),
        Err(StoreError::ReadOnly(_)) => Ok(Store::open_read_only(&path)?),
        Err(e) => Err(e.into()),
    }
}

/// For lists: a database that does not exist yet holds nothing (and is not created by looking).
pub fn open_if_exists(cli_db: Option<PathBuf>) -> anyhow::Result<Option<Store>> {
    let path = db_path(cli_db.clone())?;
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(open_to_read(cli_db)?))
}

/// What opening did that the user should hear about (a file made private), said once on
/// standard error so that standard output stays the command's own.
fn told(mut store: Store) -> Store {
    for notice in store.take_notices() {
        eprintln!("caseload: note: {notice}");
    }
    store
}

/// What a list prints when there is no database yet: nothing (an empty array with --json).
pub fn empty_list(json: bool) -> anyhow::Result<()> {
    if json {
        println!("[]");
    }
    Ok(())
}

/// Prints a record (an object) or a list (an array) for `--json`.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A record as JSON with a few fields that are worked out rather than stored (age, state...).
pub fn json_with(record: &impl Serialize, extra: Vec<(&str, serde_json::Value)>) -> serde_json::Value {
    let mut v = serde_json::to_value(record).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        for (key, value) in extra {
            o.insert(key.into(), value);
        }
    }
    v
}

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A day given to `flag` (YYYY-MM-DD, today, +3d, -2w...); a wrong one is refused naming it.
pub fn day(flag: &str, value: Option<&str>, today: NaiveDate) -> anyhow::Result<Option<NaiveDate>> {
    match value {
        None => Ok(None),
        Some(s) => parse_date(s, today).map(Some).map_err(|m| bad(format!("{flag}: {m}"))),
    }
}

/// A date and time given to `flag` that must say the time (an appointment): "friday 10:00",
/// "2026-11-27 14:30"; a day alone is refused naming the flag.
pub fn moment(flag: &str, value: Option<&str>) -> anyhow::Result<Option<chrono::DateTime<chrono::Utc>>> {
    match value {
        None => Ok(None),
        Some(s) => crate::domain::dates::parse_datetime_with_time(s, chrono::Utc::now())
            .map(Some)
            .map_err(|m| bad(format!("{flag}: {m}"))),
    }
}

/// Before any work: an output file that exists is kept unless `--force`.
pub fn refuse_existing(output: Option<&Path>, force: bool) -> anyhow::Result<()> {
    if let Some(path) = output {
        crate::export::check_name(path).map_err(|e| bad(e.to_string()))?;
    }
    match output {
        Some(path) if path.exists() && !force => Err(bad(format!(
            "{} already exists; nothing was written. Add --force to replace it.",
            quote_path(path)
        ))),
        _ => Ok(()),
    }
}

/// Writes an export to standard output, or to `output`: owner-only, and an existing file is
/// replaced only with `force` (see `export::write_owner_only`).
pub fn write_export(output: Option<&Path>, text: &str, force: bool) -> anyhow::Result<()> {
    match output {
        None => std::io::stdout().write_all(text.as_bytes())?,
        Some(path) => crate::export::write_owner_only(path, text.as_bytes(), force).map_err(|e| match e {
            crate::export::WriteError::Exists(_) | crate::export::WriteError::BadName(_) => {
                bad(e.to_string())
            }
            other => anyhow::anyhow!(other.to_string()),
        })?,
    }
    Ok(())
}
