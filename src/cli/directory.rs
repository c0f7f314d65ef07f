//! Command-line resource directory: import HSDS files, list, search, show and add services.

use crate::domain::text::quote_path;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};

use super::common::{
    bad, column, empty_list, json_with, open, open_if_exists, open_to_read, print_json, refusal,
    store_refusal, today, Output,
};
use crate::domain::directory::{service_ref, validate_service, ServiceInput};
use crate::domain::text::display_safe;
use crate::import::read_directory;
use crate::store::directory::{ImportProgress, ImportReport, Service, ServiceSummary};

#[derive(Subcommand, Debug)]
pub enum DirectoryCommand {
    /// Import an Open Referral HSDS directory: a folder of CSV tables (with or without
    /// datapackage.json, HSDS 1.x/2.x/3.0) or HSDS 3.0 JSON. Importing the same directory again
    /// updates its services in place.
    Import {
        /// The folder of CSV tables, its datapackage.json, or an HSDS 3.0 JSON file.
        path: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Say what the import would add, update, merge and skip, and change nothing (no
        /// database is made either).
        #[arg(long)]
        dry_run: bool,
    },
    /// List services (each with its organisation), by name.
    List {
        #[command(flatten)]
        output: Output,
    },
    /// Find services by name, description, need category, language or town (best first).
    Search {
        /// Words to find (plain words; "quoted phrases"; word* for a prefix).
        text: String,
        /// At most this many results.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        output: Output,
    },
    /// Show one service: S-0012 or a unique part of its name.
    Show {
        /// Service reference (S-0012) or a unique part of its name.
        reference: String,
        #[command(flatten)]
        output: Output,
    },
    /// Add a service by hand; prints the new service's reference.
    Add(DirectoryAddArgs),
}

#[derive(Args, Debug)]
pub struct DirectoryAddArgs {
    /// The organisation that runs it: O-0003 or a name (a new name makes a new organisation).
    #[arg(long)]
    pub organisation: String,
    /// The service's name.
    #[arg(long)]
    pub name: String,
    /// What the service does, for whom.
    #[arg(long)]
    pub description: Option<String>,
    /// Phone numbers, separated by ";".
    #[arg(long)]
    pub phone: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Website address.
    #[arg(long)]
    pub website: Option<String>,
    /// Street address.
    #[arg(long)]
    pub address: Option<String>,
    /// Town or city.
    #[arg(long)]
    pub town: Option<String>,
    /// Postcode (ZIP code).
    #[arg(long)]
    pub postcode: Option<String>,
    /// Opening hours, as free text (Mon-Fri 9-5).
    #[arg(long)]
    pub hours: Option<String>,
    /// Who may use it (age, area, circumstances).
    #[arg(long)]
    pub eligibility: Option<String>,
    /// What it costs (free, sliding scale...).
    #[arg(long)]
    pub fees: Option<String>,
    /// Languages, separated by commas.
    #[arg(long)]
    pub languages: Option<String>,
    /// How to refer: phone, email, portal, form…
    #[arg(long)]
    pub how_to_refer: Option<String>,
    /// Need categories, separated by commas.
    #[arg(long)]
    pub categories: Option<String>,
    /// When the details were last checked (YYYY-MM-DD, today, -3d…).
    #[arg(long, allow_hyphen_values = true)]
    pub verified: Option<String>,
    /// active (default), inactive, temporarily closed or defunct.
    #[arg(long)]
    pub status: Option<String>,
    /// Your own notes on the service.
    #[arg(long)]
    pub notes: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

pub fn run(db: Option<PathBuf>, cmd: DirectoryCommand) -> anyhow::Result<()> {
    let today = today();
    match cmd {
        DirectoryCommand::Import { path, json, dry_run } => import(db, &path, json, dry_run),
        DirectoryCommand::List { output } => {
            // a database that does not exist yet holds no services (and is not made by looking)
            let Some(store) = open_if_exists(db)? else { return empty_list(output.json) };
            let total = store.count_services()? as usize;
            let mut rows = Vec::new();
            for offset in (0..total).step_by(1_000) {
                let page = store.services_page(offset, 1_000)?;
                if output.json {
                    rows.extend(page.iter().map(|s| summary_json(s, today)));
                } else {
                    print_summaries(&page, today);
                }
            }
            if output.json {
                print_json(&rows)?;
            }
            Ok(())
        }
        DirectoryCommand::Search { text, limit, output } => {
            let store = open_to_read(db)?;
            let hits = store.search_directory(&text, false, limit.clamp(1, 10_000))?;
            if output.json {
                let rows: Vec<_> = hits.iter().map(|s| summary_json(s, today)).collect();
                print_json(&rows)?;
            } else {
                print_summaries(&hits, today);
            }
            Ok(())
        }
        DirectoryCommand::Show { reference, output } => {
            let store = open_to_read(db)?;
            let s = store.resolve_service(&reference)?;
            if output.json {
                print_json(&service_json(&s, today))?;
            } else {
                print_service(&s, today);
            }
            Ok(())
        }
        DirectoryCommand::Add(a) => add(db, a, today),
    }
}

fn summary_json(s: &ServiceSummary, today: NaiveDate) -> serde_json::Value {
    json_with(s, vec![("unverified", s.verification(today).needs_check().into())])
}

fn service_json(s: &Service, today: NaiveDate) -> serde_json::Value {
    json_with(s, vec![("unverified", s.verification(today).needs_check().into())])
}

fn print_summaries(list: &[ServiceSummary], today: NaiveDate) {
    let mut out = std::io::stdout().lock();
    for s in list {
        let _ = writeln!(
            out,
            "{:<7} {} {} {} {}",
            s.reference,
            column(&s.name, 36),
            column(&s.organisation, 28),
            column(&s.town, 16),
            s.verification(today).word()
        );
    }
}

fn print_service(s: &Service, today: NaiveDate) {
    let line = |label: &str, v: &str| {
        for (i, l) in v.lines().enumerate() {
            println!("  {:<16}{}", if i == 0 { label } else { "" }, display_safe(l));
        }
    };
    println!("{}  {}", s.reference, display_safe(&s.name));
    line("Organisation", &format!("{} {}", s.organisation.reference, s.organisation.name));
    if s.organisation.placeholder {
        line("", &s.organisation.placeholder_note());
    }
    line("Verified", &s.verification(today).sentence(s.last_verified_on));
    if s.status != "active" {
        line("Status", &s.status.to_uppercase());
    }
    line("Description", &s.description);
    line("Need categories", &s.categories.join(", "));
    for p in s.phones.iter().chain(s.organisation.phones.iter()) {
        line("Phone", &p.display());
    }
    line("Email", &s.email);
    line("Website", &s.website);
    for l in &s.locations {
        line("Where", &l.record.place_line());
        for p in &l.record.phones {
            line("Phone (there)", &p.display());
        }
        line("Hours (there)", &l.record.hours);
    }
    for l in &s.organisation.places_without_service {
        line("Org. place", &format!("{} (no service linked to it)", l.record.place_line()));
        line("Hours (there)", &l.record.hours);
    }
    line("Hours", &s.hours);
    line("Eligibility", &s.eligibility);
    line("Fees", &s.fees);
    line("Languages", &s.languages);
    line("How to refer", &s.how_to_refer);
    line("Notes", &s.notes);
}

/// Reads the file first: a path that is wrong or a file that is refused leaves no database
/// behind; a good file makes one if there was none (a directory may come before any client).
fn import(db: Option<PathBuf>, path: &std::path::Path, json: bool, dry_run: bool) -> anyhow::Result<()> {
    let data = read_directory(path).map_err(|e| bad(e.to_string()))?;
    if dry_run {
        return preview(db, &data, path, json);
    }
    let mut store = open(db)?;
    let terminal = std::io::stderr().is_terminal();
    let mut last_shown = 0usize;
    // Large files show progress on standard error: a live line on a terminal, else every 10%.
    let mut progress = |p: ImportProgress| {
        if p.total < 1_000 {
            return;
        }
        if terminal {
            eprint!("\rImporting: {} of {} records…", p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        } else if p.done == p.total || p.done >= last_shown + p.total / 10 {
            last_shown = p.done;
            eprintln!("Importing: {} of {} records", p.done, p.total);
        }
    };
    let report = store.import_directory(&data, Utc::now(), &mut progress)?;
    if json {
        print_json(&report)?;
    } else {
        print_report(&report, path);
    }
    Ok(())
}

/// A dry run: the import in a transaction rolled back, on the database if there is one, else
/// on an empty one made for the purpose and removed again.
fn preview(
    db: Option<PathBuf>,
    data: &crate::domain::directory::DirectoryData,
    path: &std::path::Path,
    json: bool,
) -> anyhow::Result<()> {
    let (mut store, scratch) = match super::common::open_if_exists(db.clone())? {
        Some(_) => (open(db)?, None),
        None => {
            let dir = std::env::temp_dir().join(format!("caseload-dry-run-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let file = dir.join("preview.db");
            (crate::store::Store::open(&file)?, Some(dir))
        }
    };
    let report = store.preview_directory_import(data, Utc::now(), &mut |_| {});
    drop(store);
    if let Some(dir) = scratch {
        let _ = std::fs::remove_dir_all(dir);
    }
    let report = report?;
    if json {
        print_json(&report)?;
    } else {
        println!("Dry run of {}: nothing was changed.", quote_path(path));
        for l in report.lines() {
            println!("{}", display_safe(&l));
        }
    }
    Ok(())
}

fn print_report(r: &ImportReport, path: &std::path::Path) {
    println!("Imported {}", quote_path(path));
    for l in r.lines() {
        println!("{}", display_safe(&l));
    }
}

fn add(db: Option<PathBuf>, a: DirectoryAddArgs, today: NaiveDate) -> anyhow::Result<()> {
    let input = ServiceInput {
        organisation: a.organisation,
        name: a.name,
        description: a.description.unwrap_or_default(),
        status: a.status.unwrap_or_default(),
        phones: a.phone.unwrap_or_default(),
        email: a.email.unwrap_or_default(),
        website: a.website.unwrap_or_default(),
        address: a.address.unwrap_or_default(),
        town: a.town.unwrap_or_default(),
        postcode: a.postcode.unwrap_or_default(),
        hours: a.hours.unwrap_or_default(),
        eligibility: a.eligibility.unwrap_or_default(),
        fees: a.fees.unwrap_or_default(),
        languages: a.languages.unwrap_or_default(),
        how_to_refer: a.how_to_refer.unwrap_or_default(),
        categories: a.categories.unwrap_or_default(),
        last_verified_on: a.verified.unwrap_or_default(),
        notes: a.notes.unwrap_or_default(),
    };
    let entry = validate_service(&input, today).map_err(|e| refusal(&e, flag))?;
    let mut store = open(db)?;
    let id = store.add_service(&entry, Utc::now()).map_err(store_refusal(flag))?;
    if a.output.json {
        print_json(&service_json(&store.service(id)?, today))?;
    } else {
        println!("{} {}", service_ref(id), display_safe(&entry.service.name));
    }
    Ok(())
}

/// The flag a field of a service is given with.
fn flag(field: &str) -> String {
    let name = match field {
        "phones" => "phone",
        "last_verified_on" => "verified",
        "how_to_refer" => "how-to-refer",
        other => other,
    };
    format!("--{name}")
}
