//! Commands on the database file as a whole: fill a new one with a synthetic caseload, back it
//! up, check its integrity.

use crate::domain::text::quote_path;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Args;

use super::common::{bad, db_path, open, open_to_read};
use crate::domain::text::display_safe;
use crate::domain::words::count;
use crate::store::{default_db_path, OpenMode, Store, StoreError};

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
    /// Add more synthetic clients to a database an earlier demo filled (else that is refused).
    #[arg(long)]
    pub add: bool,
}

pub fn demo(db: Option<PathBuf>, a: DemoArgs) -> anyhow::Result<()> {
    let mut store = open(db)?;
    // a file with real records is refused whatever is asked; a demo file only unless --add
    crate::demo::check_demo_allowed(&store)?;
    let earlier = crate::demo::demo_clients(&store)?;
    if earlier > 0 && !a.add {
        return Err(bad(format!(
            "{} already holds {} from an earlier demo; nothing was added. Run it again with --add to add \
             {} more, or use a new file for a fresh caseload: caseload --db demo2.db demo",
            quote_path(store.path()),
            count(earlier, "synthetic client", "synthetic clients"),
            a.clients
        )));
    }
    let report = crate::demo::generate(
        &mut store,
        &crate::demo::DemoOptions { clients: a.clients, seed: a.seed, notes_per_client: a.notes_per_client },
        Utc::now(),
    )?;
    println!(
        "Created {} ({} closed), {}, {}, {}, {} around them, {}, {}, {}, {} and {} in {}",
        count(report.clients, "synthetic client", "synthetic clients"),
        report.closed,
        count(report.notes, "note", "notes"),
        count(report.assessments, "assessment", "assessments"),
        count(report.screenings, "screener result", "screener results"),
        count(report.people, "person", "people"),
        count(report.coordination, "coordination record", "coordination records"),
        count(report.goals, "goal", "goals"),
        count(report.evaluations, "evaluation", "evaluations"),
        count(report.referrals, "referral", "referrals"),
        count(report.visits, "planned contact", "planned contacts"),
        quote_path(store.path())
    );
    if report.reopened + report.transferred > 0 {
        let files = if report.transferred == 1 { "was" } else { "were" };
        println!(
            "{} came back for a second episode; {} {files} transferred in from another caseload",
            count(report.reopened, "closed case", "closed cases"),
            count(report.transferred, "file", "files")
        );
    }
    if report.services > 0 {
        println!(
            "and a synthetic resource directory: {} of {}",
            count(report.services, "service", "services"),
            count(report.organisations, "organisation", "organisations")
        );
    }
    Ok(())
}

pub fn backup(db: Option<PathBuf>, path: &Path) -> anyhow::Result<()> {
    let store = open_to_read(db)?;
    store.backup_to(path)?;
    println!("Backup written to {}", quote_path(path));
    Ok(())
}

/// `caseload init`: the one way an empty file becomes a caseload database (any other command
/// refuses one, since an empty file is more often a mistake than a wish).
pub fn init(db: Option<PathBuf>) -> anyhow::Result<()> {
    let path = db_path(db)?;
    let existed = std::fs::metadata(&path).is_ok_and(|m| m.len() > 0);
    let mut store = Store::open_mode(&path, OpenMode::Init)?;
    for notice in store.take_notices() {
        eprintln!("caseload: note: {notice}");
    }
    if existed {
        println!("{} is already a caseload database; nothing was changed.", quote_path(&path));
    } else {
        println!("Made a new caseload database at {} (readable by you only).", quote_path(&path));
    }
    Ok(())
}

/// `caseload where`: the database the other commands would use, found as they find it, but
/// nothing is created (not even the data directory). Missing is said on standard error.
pub fn where_is(db: Option<PathBuf>) -> anyhow::Result<()> {
    let path = match db {
        Some(p) => p,
        None => default_db_path()
            .ok_or_else(|| anyhow::anyhow!("Could not find your data directory; use --db PATH"))?,
    };
    // as the other commands would find it from here: a relative --db is made absolute
    let path = std::path::absolute(&path).unwrap_or(path);
    println!("{}", display_safe(&path.display().to_string()));
    if !path.exists() {
        eprintln!(
            "caseload: note: there is no database there yet; the app, client add or caseload init makes one."
        );
    }
    Ok(())
}

pub fn check(db: Option<PathBuf>) -> anyhow::Result<()> {
    let shown = quote_path(&db_path(db.clone())?);
    let problems = match open_to_read(db).map_err(|e| e.downcast::<StoreError>()) {
        Ok(store) => {
            let problems = store.check()?;
            if problems.is_empty() {
                println!(
                    "ok: the database at {shown} is intact (schema version {}).",
                    store.schema_version()?
                );
                return Ok(());
            }
            problems
        }
        // too damaged to open: that is the check's finding, not a reason to run it again
        Err(Ok(StoreError::Corrupt(what))) => {
            vec![format!("damaged: the whole file ({what}): it cannot be opened, so no record can be read")]
        }
        Err(Ok(e)) => return Err(e.into()),
        Err(Err(e)) => return Err(e),
    };
    for p in &problems {
        println!("problem: {p}");
    }
    anyhow::bail!(
        "The integrity check of {shown} found damage. Nothing was changed. To restore: close caseload, keep this \
         file aside (rename it), and copy your latest backup in its place (caseload backup writes one; a backup of \
         a damaged file is refused, so your backups are whole). Records that can still be read can be saved \
         first: caseload export REF --format json."
    )
}
