//! Command-line interface: clap definitions and the non-interactive commands.
//!
//! Scripting contract: `--json` prints an array for lists and an object for one record; each
//! record carries `ref`; add commands print the new `ref` first; refusals exit non-zero (2 for
//! bad input) with a plain message on standard error and change nothing.

pub mod assess;
pub mod close;
pub mod coord;
pub mod directory;
pub mod notes;
pub mod plan;
pub mod referrals;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{Local, Utc};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::domain::client::{client_ref, validate_intake, Client, IntakeInput};
use crate::domain::dates::{format_date, from_db};
use crate::store::clients::ClientSort;
use crate::store::{default_db_path, secure_data_dir, Store, StoreError};

#[derive(Parser, Debug)]
#[command(
    name = "caseload",
    version,
    about = "A keyboard-first caseload for independent social workers and case managers."
)]
pub struct Cli {
    /// Database file (default: caseload.db in your data directory).
    #[arg(long, global = true, env = "CASELOAD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clients: add, list, show.
    #[command(subcommand)]
    Client(ClientCommand),
    /// The resource directory: import HSDS files, list, search, show and add services.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Fill a new database with synthetic clients (never real people).
    Demo(DemoArgs),
    /// Write a consistent copy of the database (safe while caseload is open).
    Backup {
        /// Where to write the copy; an existing file is never overwritten.
        path: PathBuf,
    },
    /// Run a full integrity check of the database (slow on big files).
    Check,
    /// Save a case note in one command: caseload note REF "text" (or the text on standard input).
    Note(NoteArgs),
    /// List a client's notes, newest first.
    Notes {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        /// Include notes marked entered in error.
        #[arg(long)]
        include_errors: bool,
        #[arg(long)]
        json: bool,
    },
    /// Find words across notes (ranked; matching words marked).
    Search(SearchArgs),
    /// Screeners (PHQ-9, GAD-7, AHC social needs): give one, list a client's, acknowledge alerts.
    #[command(subcommand)]
    Screen(assess::ScreenCommand),
    /// People around a client: contacts (GP, teacher, landlord...) and family.
    #[command(subcommand)]
    Contact(coord::ContactCommand),
    /// Consents to share information (releases): add, list, withdraw.
    #[command(subcommand)]
    Consent(coord::ConsentCommand),
    /// Referrals to services, tracked from draft to a closed loop.
    #[command(subcommand)]
    Referral(referrals::ReferralCommand),
    /// The advocacy log: barriers, whom you are pressing, deadlines.
    #[command(subcommand)]
    Advocacy(coord::AdvocacyCommand),
    /// What needs you now: overdue and due-soon items, most urgent first.
    Due {
        #[arg(long)]
        json: bool,
    },
    /// Goals of a client's plan: add, list, show, progress, status, achievement, steps.
    #[command(subcommand)]
    Goal(plan::GoalCommand),
    /// A client's case plan: export it to print and sign, record a review.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Write a client's whole file (md to read or print, json to keep or move), or the caseload
    /// as csv (--caseload). Owner-only files; an existing file is kept unless --force.
    Export(close::ExportArgs),
    /// Take in a client's file exported (json) from another caseload, with new references.
    Import(close::ImportArgs),
    /// Closed files past their retention date (they may be destroyed from the app).
    Retention {
        #[arg(long)]
        json: bool,
    },
    /// Minutes recorded on notes per client and contact type.
    Time {
        /// Month, YYYY-MM (default: this month).
        #[arg(long)]
        month: Option<String>,
        /// Only this client.
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct NoteArgs {
    /// Client reference (C-0042) or a unique part of a name or preferred name.
    pub reference: String,
    /// The note text; omit it (or give -) to read standard input.
    pub text: Option<String>,
    /// Contact type: home-visit, office-visit, phone, video, text-email, collateral, attempted,
    /// case-conference, administrative (default phone).
    #[arg(long = "type")]
    pub contact_type: Option<String>,
    /// When the contact happened: "YYYY-MM-DD HH:MM", a date, "yesterday 14:30" (default now).
    #[arg(long)]
    pub at: Option<String>,
    /// Duration in minutes.
    #[arg(long)]
    pub minutes: Option<String>,
    /// A follow-up date (YYYY-MM-DD, +3d, +2w...), shown on Today when due.
    #[arg(long)]
    pub follow_up: Option<String>,
    #[arg(long)]
    pub participants: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find (plain words; "quoted phrases"; word* for a prefix).
    pub text: String,
    #[arg(long)]
    pub client: Option<String>,
    /// From this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Up to and including this day.
    #[arg(long)]
    pub to: Option<String>,
    /// At most this many results (default 50; with --json, every match).
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Take in a new client; prints the new client's reference.
    Add(ClientAddArgs),
    /// List clients (open ones unless --all).
    List {
        /// Include closed cases.
        #[arg(long)]
        all: bool,
        /// Print JSON (an array; complete, not paged).
        #[arg(long)]
        json: bool,
    },
    /// Show one client's intake record.
    Show {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ClientAddArgs {
    #[arg(long)]
    pub given: String,
    #[arg(long)]
    pub family: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    pub dob: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub preferred: Option<String>,
    #[arg(long)]
    pub pronouns: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// Yes or no: may a message be left?
    #[arg(long)]
    pub safe_to_leave_message: Option<String>,
    #[arg(long)]
    pub language: Option<String>,
    #[arg(long = "source")]
    pub referral_source: Option<String>,
    #[arg(long = "reason")]
    pub referral_reason: Option<String>,
    /// Intake date (default today).
    #[arg(long)]
    pub intake_date: Option<String>,
    #[arg(long)]
    pub programme: Option<String>,
    #[arg(long)]
    pub external_id: Option<String>,
    /// Save even when a likely duplicate exists.
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Print the new record as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many synthetic clients to create.
    #[arg(long, default_value_t = 50)]
    pub clients: usize,
    /// Random seed, for a repeatable caseload.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Case notes per client, spread over the years of each case.
    #[arg(long, default_value_t = 12)]
    pub notes_per_client: usize,
}

/// A refusal caused by what the user typed: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

pub fn main() -> ExitCode {
    // Everything caseload creates (database, backups, exports) is private to its owner.
    // A closed pipe (`caseload client list | head`) ends the program quietly, as for any Unix tool.
    unsafe {
        libc::umask(0o077);
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    crate::tui::install_panic_hook();
    crate::ui::theme::init_from_env();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let bad_input = e.downcast_ref::<BadInput>().is_some()
                || e.downcast_ref::<StoreError>().is_some_and(StoreError::is_bad_input);
            eprintln!("caseload: {e:#}");
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
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
    Ok(Store::open(&path)?)
}

/// Opens an existing database; a missing one is a refusal (exit 2) and nothing is created.
pub fn open_existing(cli_db: Option<PathBuf>) -> anyhow::Result<Store> {
    Ok(Store::open_existing(&db_path(cli_db)?)?)
}

/// For lists: a database that does not exist yet holds nothing (and is not created by looking).
pub fn open_if_exists(cli_db: Option<PathBuf>) -> anyhow::Result<Option<Store>> {
    let path = db_path(cli_db)?;
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(Store::open(&path)?))
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                return Err(BadInput(
                    "The caseload screen needs a terminal. For scripts, use a command: caseload --help"
                        .into(),
                )
                .into());
            }
            let store = open(cli.db)?;
            let app = crate::app::App::new(store)?;
            crate::tui::run(app)
        }
        Some(Command::Client(c)) => client_command(cli.db, c),
        Some(Command::Directory(c)) => directory::run(cli.db, c),
        Some(Command::Note(a)) => notes::note(cli.db, a),
        Some(Command::Notes { reference, include_errors, json }) => {
            notes::notes(cli.db, &reference, include_errors, json)
        }
        Some(Command::Search(a)) => notes::search(cli.db, a),
        Some(Command::Screen(c)) => assess::screen(cli.db, c),
        Some(Command::Contact(c)) => coord::contact(cli.db, c),
        Some(Command::Consent(c)) => coord::consent(cli.db, c),
        Some(Command::Advocacy(c)) => coord::advocacy(cli.db, c),
        Some(Command::Referral(c)) => referrals::referral(cli.db, c),
        Some(Command::Due { json }) => notes::due(cli.db, json),
        Some(Command::Time { month, client, json }) => notes::time(cli.db, month, client, json),
        Some(Command::Goal(c)) => plan::goal(cli.db, c),
        Some(Command::Plan(c)) => plan::plan(cli.db, c),
        Some(Command::Export(a)) => close::export(cli.db, a),
        Some(Command::Import(a)) => close::import(cli.db, a),
        Some(Command::Retention { json }) => close::retention(cli.db, json),
        Some(Command::Demo(a)) => {
            let mut store = open(cli.db)?;
            let report = crate::demo::generate(
                &mut store,
                &crate::demo::DemoOptions {
                    clients: a.clients,
                    seed: a.seed,
                    notes_per_client: a.notes_per_client,
                },
                Utc::now(),
            )?;
            println!(
                "Created {} synthetic clients ({} closed), {} notes, {} assessments, {} screener results, {} people around them, {} coordination records, {} goals, {} evaluations and {} referrals in {}",
                report.clients,
                report.closed,
                report.notes,
                report.assessments,
                report.screenings,
                report.people,
                report.coordination,
                report.goals,
                report.evaluations,
                report.referrals,
                store.path().display()
            );
            if report.reopened + report.transferred > 0 {
                let cases = if report.reopened == 1 { "case" } else { "cases" };
                let files = if report.transferred == 1 { "file was" } else { "files were" };
                println!(
                    "{} closed {cases} came back for a second episode; {} {files} transferred in from another caseload",
                    report.reopened, report.transferred
                );
            }
            if report.services > 0 {
                println!(
                    "and a synthetic resource directory: {} services of {} organisations",
                    report.services, report.organisations
                );
            }
            Ok(())
        }
        Some(Command::Backup { path }) => {
            let store = Store::open_existing(&db_path(cli.db)?)?;
            store.backup_to(&path)?;
            println!("Backup written to {}", path.display());
            Ok(())
        }
        Some(Command::Check) => {
            let problems = match Store::open_existing(&db_path(cli.db)?) {
                Ok(store) => {
                    let problems = store.check()?;
                    if problems.is_empty() {
                        println!("ok: the database is intact (schema version {}).", store.schema_version()?);
                        return Ok(());
                    }
                    problems
                }
                // too damaged to open: that is the check's finding, not a reason to run it again
                Err(StoreError::Corrupt(what)) => {
                    vec![format!("the file is damaged ({what}) and cannot be opened")]
                }
                Err(e) => return Err(e.into()),
            };
            for p in &problems {
                println!("problem: {p}");
            }
            anyhow::bail!(
                "The integrity check found {} problem(s). Restore from a backup if data is missing.",
                problems.len()
            )
        }
    }
}

/// A client as listed by `client list`.
#[derive(Serialize)]
struct ClientRow<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    name: String,
    preferred_name: &'a str,
    date_of_birth: Option<String>,
    age: Option<u32>,
    status: &'a str,
    intake_date: String,
    last_contact: Option<String>,
}

fn row(c: &Client) -> ClientRow<'_> {
    let today = Local::now().date_naive();
    ClientRow {
        reference: &c.reference,
        name: c.full_name(),
        preferred_name: &c.preferred_name,
        date_of_birth: c.date_of_birth.map(format_date),
        age: c.age(today),
        status: c.status.as_str(),
        intake_date: format_date(c.intake_date),
        last_contact: c
            .last_contact_at
            .as_deref()
            .and_then(from_db)
            .map(|t| format_date(t.with_timezone(&Local).date_naive())),
    }
}

fn client_command(db: Option<PathBuf>, cmd: ClientCommand) -> anyhow::Result<()> {
    match cmd {
        ClientCommand::Add(a) => {
            let mut store = open(db)?;
            let today = Local::now().date_naive();
            let input = IntakeInput {
                given_name: a.given,
                family_name: a.family,
                preferred_name: a.preferred.unwrap_or_default(),
                pronouns: a.pronouns.unwrap_or_default(),
                date_of_birth: a.dob.unwrap_or_default(),
                phone: a.phone.unwrap_or_default(),
                email: a.email.unwrap_or_default(),
                safe_to_leave_message: a.safe_to_leave_message.unwrap_or_default(),
                language: a.language.unwrap_or_default(),
                referral_source: a.referral_source.unwrap_or_default(),
                referral_reason: a.referral_reason.unwrap_or_default(),
                intake_date: a.intake_date.unwrap_or_default(),
                programme: a.programme.unwrap_or_default(),
                external_id: a.external_id.unwrap_or_default(),
                ..Default::default()
            };
            let client = validate_intake(&input, today).map_err(|errs| {
                BadInput(
                    errs.iter()
                        .map(|e| format!("--{}: {}", cli_flag(e.field), e.message))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })?;
            if !a.allow_duplicate {
                let dups = store.find_duplicates(&client, None)?;
                if !dups.is_empty() {
                    let list: Vec<String> = dups
                        .iter()
                        .map(|(d, c)| format!("  {}  {}  ({})", c.reference, c.display_name(), d.reason))
                        .collect();
                    return Err(BadInput(format!(
                        "This may be a client you already have; nothing was saved:\n{}\nUse `caseload client show REF` to check, or add --allow-duplicate to save a new client anyway.",
                        list.join("\n")
                    ))
                    .into());
                }
            }
            let id = store.add_client(&client, Utc::now())?;
            if a.json {
                let c = store.client(id)?;
                println!("{}", serde_json::to_string_pretty(&c)?);
            } else {
                println!("{} {}", client_ref(id), client.display_name());
            }
            Ok(())
        }
        ClientCommand::List { all, json } => {
            let Some(store) = open_if_exists(db)? else {
                if json {
                    println!("[]");
                }
                return Ok(());
            };
            let ids = store.client_ids(all, ClientSort::Name)?;
            let mut rows_json = Vec::new();
            for chunk in ids.chunks(500) {
                for c in store.clients_by_ids(chunk)? {
                    if json {
                        rows_json.push(serde_json::to_value(row(&c))?);
                    } else {
                        let r = row(&c);
                        println!(
                            "{:<8} {} {:>4} {:<7} {}",
                            r.reference,
                            crate::domain::text::pad(
                                &crate::domain::text::display_safe(&c.display_name()),
                                40
                            ),
                            r.age.map(|a| a.to_string()).unwrap_or_default(),
                            r.status,
                            r.last_contact.unwrap_or_else(|| "no contact yet".into())
                        );
                    }
                }
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&rows_json)?);
            }
            Ok(())
        }
        ClientCommand::Show { reference, json } => {
            let store = open_existing(db)?;
            let c = store.resolve_client(&reference)?;
            if json {
                let mut v = serde_json::to_value(&c)?;
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("episodes".into(), serde_json::to_value(store.episodes(c.id)?)?);
                }
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                print_client(&c, &store)?;
            }
            Ok(())
        }
    }
}

fn cli_flag(field: &str) -> &str {
    match field {
        "given_name" => "given",
        "family_name" => "family",
        "date_of_birth" => "dob",
        "preferred_name" => "preferred",
        "referral_source" => "source",
        "referral_reason" => "reason",
        "intake_date" => "intake-date",
        "external_id" => "external-id",
        "safe_to_leave_message" => "safe-to-leave-message",
        other => other,
    }
}

fn print_client(c: &Client, store: &Store) -> anyhow::Result<()> {
    use crate::domain::text::display_safe as s;
    let today = Local::now().date_naive();
    println!("{}  {}", c.reference, s(&c.display_name()));
    let line = |label: &str, v: &str| {
        if !v.is_empty() {
            println!("  {label:<24}{}", s(v));
        }
    };
    line("Pronouns", &c.pronouns);
    line("Age", &c.age_text(today));
    line(
        "Date of birth",
        &c.date_of_birth.filter(|_| !c.birth_date_estimated).map(format_date).unwrap_or_default(),
    );
    line("Status", c.status.as_str());
    line("Flags", &c.flags().join(", "));
    line("Phone", &c.phone);
    line("Email", &c.email);
    line("Address", &c.address);
    line("Best way/time", &c.best_contact);
    line("Safe to leave message", crate::domain::client::yes_no_text(c.safe_to_leave_message));
    line("Language", &c.language);
    line("Referral source", &c.referral_source);
    line("Intake date", &format_date(c.intake_date));
    line("Programme", &c.programme);
    line(
        "Emergency contact",
        format!(
            "{} {} {}",
            c.emergency_contact_name, c.emergency_contact_relation, c.emergency_contact_phone
        )
        .trim(),
    );
    line("External ID", &c.external_id);
    for l in c.referral_reason.lines() {
        line("Reason", l);
    }
    for e in store.episodes(c.id)? {
        let closed = e.closed_on.map(|d| format!(", closed {}", format_date(d))).unwrap_or_default();
        println!("  Episode {}: opened {}{}", e.number, format_date(e.opened_on), closed);
    }
    Ok(())
}
