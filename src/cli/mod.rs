//! Command-line interface: the clap definitions of the commands and where each one goes. The
//! commands live in one file per area; what they share is in `common`.
//!
//! Scripting contract: `--json` prints an array for lists and an object for one record; each
//! record carries `ref`; add commands print the new `ref` first; refusals exit non-zero (2 for
//! bad input) with a plain message on standard error and change nothing.

pub mod appointments;
pub mod assess;
pub mod clients;
pub mod close;
pub mod common;
pub mod coord;
pub mod database;
pub mod directory;
pub mod notes;
pub mod plan;
pub mod referrals;
pub mod visits;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::domain::text::{display_safe, safe_lines};
use crate::store::{default_db_path, StoreError};
use common::{bad, open, BadInput, ClientRef, Output};

#[derive(Parser, Debug)]
#[command(
    name = "caseload",
    version,
    about = "A keyboard-first caseload for independent social workers and case managers."
)]
pub struct Cli {
    /// Database file (default: caseload.db in your data directory; `caseload where` prints it).
    #[arg(long, global = true, env = "CASELOAD_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clients: add, list, show.
    #[command(subcommand)]
    Client(clients::ClientCommand),
    /// The resource directory: import HSDS files, list, search, show and add services.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Fill a new database with synthetic clients (never real people); --add puts more in a demo one.
    Demo(database::DemoArgs),
    /// Write a consistent copy of the database (safe while caseload is open).
    Backup {
        /// Where to write the copy; an existing file is never overwritten.
        path: PathBuf,
    },
    /// Run a full integrity check of the database (slow on big files).
    Check,
    /// Print the path of the database the other commands use (--db, CASELOAD_DB or the default).
    Where,
    /// Make a new, empty caseload database at PATH (or at --db): also turns an empty file into one.
    Init {
        /// Where to make it (default: --db, or caseload.db in your data directory).
        path: Option<PathBuf>,
    },
    /// Save a case note in one command: caseload note REF "text" (or the text on standard input).
    Note(notes::NoteArgs),
    /// List a client's notes, newest first.
    Notes {
        #[command(flatten)]
        client: ClientRef,
        /// Include notes marked entered in error.
        #[arg(long)]
        include_errors: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Find words across the whole record: notes, assessments, goals, referrals and more (ranked; matching words marked).
    Search(notes::SearchArgs),
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
    /// Planned contacts (the diary): plan a home visit, call or court date; list; done, missed, cancel.
    #[command(subcommand)]
    Visit(visits::VisitCommand),
    /// The advocacy log: barriers, whom you are pressing, deadlines.
    #[command(subcommand)]
    Advocacy(coord::AdvocacyCommand),
    /// What needs you now, in sections: safety, today's diary, due now, backlog (the true count first).
    Due {
        #[command(flatten)]
        output: Output,
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
        #[command(flatten)]
        output: Output,
    },
    /// Minutes recorded on notes per client and contact type.
    Time {
        /// Month, YYYY-MM (default: this month).
        #[arg(long)]
        month: Option<String>,
        /// Only this client.
        #[arg(long)]
        client: Option<String>,
        #[command(flatten)]
        output: Output,
    },
}

pub fn main() -> ExitCode {
    // Everything caseload creates (database, backups, exports) is private to its owner.
    // A closed pipe (`caseload client list | head`) ends the program quietly, as for any Unix tool.
    unsafe {
        libc::umask(0o077);
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    crate::tui::install_panic_hook();
    crate::ui::theme::init_from_env();
    let cli = match command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => return parse_refusal(e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let bad_input = e.downcast_ref::<BadInput>().is_some()
                || e.downcast_ref::<StoreError>().is_some_and(StoreError::is_bad_input);
            eprintln!("caseload: {}", safe_lines(&format!("{e:#}")));
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

/// The command line as `Cli` declares it, with what only the running program knows: the
/// default database path, in `--db`'s help line and after the top-level help.
pub fn command() -> clap::Command {
    let default = match default_db_path() {
        Some(p) => display_safe(&p.display().to_string()).into_owned(),
        None => "none here: no data directory was found, so give --db".into(),
    };
    Cli::command().mut_arg("db", |a| a.help(format!("Database file (default: {default})"))).after_help(
        format!(
        "Database: {default} unless --db or CASELOAD_DB names another; caseload where prints the one in use."
    ),
    )
}

/// Help and version as clap prints them; a refused command line with what the user typed made
/// safe to print (clap quotes the offending value as given, escape codes and all).
fn parse_refusal(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // a closed pipe (`caseload --help | head`) is not an error
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let shown = e.render().to_string();
    eprint!("{}", safe_lines(&shown));
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli.db;
    match cli.command {
        None => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                return Err(bad(
                    "The caseload screen needs a terminal. For scripts, use a command: caseload --help",
                ));
            }
            let store = open(db)?;
            let app = crate::app::App::new(store)?;
            crate::tui::run(app)
        }
        Some(Command::Client(c)) => clients::client(db, c),
        Some(Command::Directory(c)) => directory::run(db, c),
        Some(Command::Note(a)) => notes::note(db, a),
        Some(Command::Notes { client, include_errors, output }) => {
            notes::notes(db, &client, include_errors, output.json)
        }
        Some(Command::Search(a)) => notes::search(db, a),
        Some(Command::Screen(c)) => assess::screen(db, c),
        Some(Command::Contact(c)) => coord::contact(db, c),
        Some(Command::Consent(c)) => coord::consent(db, c),
        Some(Command::Advocacy(c)) => coord::advocacy(db, c),
        Some(Command::Referral(c)) => referrals::referral(db, c),
        Some(Command::Visit(c)) => visits::visit(db, c),
        Some(Command::Due { output }) => notes::due(db, output.json),
        Some(Command::Time { month, client, output }) => notes::time(db, month, client, output.json),
        Some(Command::Goal(c)) => plan::goal(db, c),
        Some(Command::Plan(c)) => plan::plan(db, c),
        Some(Command::Export(a)) => close::export(db, a),
        Some(Command::Import(a)) => close::import(db, a),
        Some(Command::Retention { output }) => close::retention(db, output.json),
        Some(Command::Demo(a)) => database::demo(db, a),
        Some(Command::Backup { path }) => database::backup(db, &path),
        Some(Command::Check) => database::check(db),
        Some(Command::Where) => database::where_is(db),
        Some(Command::Init { path }) => database::init(path.or(db)),
    }
}
