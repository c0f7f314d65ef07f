//! The whole file from the command line: one client's file exported as Markdown or JSON, the
//! caseload as CSV, a JSON file imported from another caseload, and the closed files past
//! their retention date. Same contract as every command: refusals exit 2 with a plain message
//! and change nothing; exports are owner-only and never replace a file without --force.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::Utc;
use clap::Args;

use super::common::{
    bad, day, empty_list, open, open_if_exists, open_to_read, print_json, refuse_existing, today, Output,
};
use crate::domain::dates::{format_date, local_offset_secs};
use crate::domain::text::{display_safe, quote_path};
use crate::export::file::ExportOptions;
use crate::export::file_md::MdContext;
use crate::export::{write_streamed, ExportError, StreamError, WriteError};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Client reference (C-0042) or a unique part of a name (leave out with --caseload).
    pub reference: Option<String>,
    /// md or json for one client's whole file; csv for the caseload (with --caseload).
    #[arg(long, value_name = "md|json|csv")]
    pub format: String,
    /// One row per client (status, dates, counts, next due item) instead of one client's file.
    #[arg(long)]
    pub caseload: bool,
    /// File to write (owner-only); standard output when left out.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// Include notes marked entered in error.
    #[arg(long)]
    pub include_errors: bool,
    /// Only notes from this day (YYYY-MM-DD, -30d...).
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Only notes up to and including this day.
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A JSON file written by `caseload export REF --format json`.
    pub file: PathBuf,
    /// Import even when a client here is likely the same person.
    #[arg(long)]
    pub allow_duplicate: bool,
    #[command(flatten)]
    pub output: Output,
}

pub fn export(db: Option<PathBuf>, a: ExportArgs) -> anyhow::Result<()> {
    let format = a.format.trim().to_lowercase();
    match (&a.reference, a.caseload) {
        (Some(_), true) => return Err(bad("Give a client reference or --caseload, not both.")),
        (None, false) => return Err(bad(
            "Which client? caseload export C-0042 --format md (or the caseload: --caseload --format csv).",
        )),
        _ => {}
    }
    if a.caseload {
        if format != "csv" {
            return Err(bad("--format: the caseload is exported as csv."));
        }
        if a.include_errors || a.from.is_some() || a.to.is_some() {
            return Err(bad(
                "--include-errors, --from and --to are for one client's file, not the caseload.",
            ));
        }
    } else if format != "md" && format != "json" {
        return Err(bad(format!(
            "--format: use md (to read or print) or json (to keep or move); {} is not one of them{}.",
            crate::domain::text::quote(&a.format),
            if format == "csv" { " for one client (csv is for --caseload)" } else { "" }
        )));
    }
    let opts = ExportOptions {
        include_errors: a.include_errors,
        from: day("--from", a.from.as_deref(), today())?,
        to: day("--to", a.to.as_deref(), today())?,
    };
    opts.check().map_err(|m| bad(format!("--to: {m}")))?;
    refuse_existing(a.output.as_deref(), a.force)?;
    let store = open_to_read(db)?;
    let settings = store.settings()?;
    let now = Utc::now();
    let client = match (&a.reference, a.caseload) {
        (Some(r), false) => Some(store.resolve_client(r)?),
        _ => None,
    };
    let what = client
        .as_ref()
        .map(|c| format!("The file of {}", c.reference))
        .unwrap_or_else(|| "The caseload".into());
    let client_id = client.map(|c| c.id);
    // written as it is read: the file is never whole in memory
    let body = |out: &mut dyn Write| -> Result<(), StreamError> {
        let Some(id) = client_id else {
            return crate::export::caseload_csv::write_caseload_csv(&store, &settings, now, today(), out);
        };
        let by = settings.signature();
        if format == "json" {
            return crate::export::file::write_json(&store, id, &opts, &by, now, out, &mut |_, _| {});
        }
        let ctx =
            MdContext { retention_years: settings.retention_years, offset_secs: local_offset_secs(now) };
        crate::export::file_md::write_markdown(&store, id, &opts, &by, now, &ctx, out, &mut |_, _| {})
    };
    match &a.output {
        None => {
            let mut out = BufWriter::new(std::io::stdout().lock());
            body(&mut out).and_then(|()| Ok(out.flush()?)).map_err(|e| match e {
                StreamError::Output(e) => anyhow::anyhow!("Could not write to standard output: {e}"),
                StreamError::Store(e) => e.into(),
            })?;
        }
        Some(path) => {
            write_streamed(path, a.force, body).map_err(|e| match e {
                ExportError::Write(e @ (WriteError::Exists(_) | WriteError::BadName(_))) => {
                    bad(e.to_string())
                }
                ExportError::Write(e) => anyhow::anyhow!(e.to_string()),
                ExportError::Store(e) => e.into(),
            })?;
            eprintln!("{what} was written to {} (readable by you only).", quote_path(path));
        }
    }
    Ok(())
}

pub fn import(db: Option<PathBuf>, a: ImportArgs) -> anyhow::Result<()> {
    // what the file is, before a database is opened (or made); then read as it streams
    let look = crate::import::client_json::first_look(&a.file)?;
    let mut store = open(db)?;
    let done = crate::import::client_file::import_file(&mut store, look, a.allow_duplicate, Utc::now())?;
    if a.output.json {
        print_json(&done)?;
    } else {
        let records: Vec<String> = done.records.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        println!("{} {}", done.reference, display_safe(&done.name));
        println!(
            "  transferred from {} in another caseload: {}",
            display_safe(&done.from_ref),
            if records.is_empty() { "no other records".to_string() } else { records.join(", ") }
        );
    }
    for w in &done.warnings {
        eprintln!("caseload: note: {w}");
    }
    Ok(())
}

/// Closed files past their retention date.
pub fn retention(db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let Some(store) = open_if_exists(db)? else { return empty_list(json) };
    let settings = store.settings()?;
    let list = store.past_retention(settings.retention_years, today())?;
    if json {
        return print_json(&list);
    }
    for f in &list {
        println!(
            "{:<8} {} closed {}, kept until {}",
            f.reference,
            super::common::column(&f.name, 40),
            format_date(f.closed_on),
            format_date(f.retain_until)
        );
    }
    if list.is_empty() {
        println!(
            "No closed file is past its retention date ({} after closure).",
            crate::domain::words::count(settings.retention_years, "year", "years")
        );
    }
    Ok(())
}
