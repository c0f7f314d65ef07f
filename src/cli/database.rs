//! Commands on the database file as a whole: fill a new one with a synthetic caseload, back it
//! up, check its integrity.

use crate::domain::text::quote_path;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Args;

use super::common::{db_path, open, open_existing};
use crate::store::{Store, StoreError};

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

pub fn demo(db: Option<PathBuf>, a: DemoArgs) -> anyhow::Result<()> {
    let mut store = open(db)?;
    let report = crate::demo::generate(
        &mut store,
        &crate::demo::DemoOptions { clients: a.clients, seed: a.seed, notes_per_client: a.notes_per_client },
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
        quote_path(store.path())
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

pub fn backup(db: Option<PathBuf>, path: &Path) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    store.backup_to(path)?;
    println!("Backup written to {}", quote_path(path));
    Ok(())
}

pub fn check(db: Option<PathBuf>) -> anyhow::Result<()> {
    let problems = match Store::open_existing(&db_path(db)?) {
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
