//! SQLite storage: opening safely, numbered migrations, and one module per aggregate.

pub mod assessments;
pub mod caseload;
pub mod clients;
pub mod closure;
pub mod coordination;
pub mod directory;
pub mod drafts;
pub mod due;
pub mod goals;
pub mod meta;
pub mod notes;
pub mod people;
pub mod plan;
pub mod referrals;
pub mod safety;
pub mod screenings;
pub mod search;
pub mod sections;
pub mod time;

use std::fs::{self, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::domain::client::FieldError;
use crate::domain::dates::to_db;

/// `PRAGMA application_id` of a caseload database ("CSLD").
pub const APPLICATION_ID: i32 = 0x4353_4C44;

/// Numbered migrations, applied in order, each in its own transaction.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_init.sql")),
    (2, include_str!("migrations/0002_notes.sql")),
    (3, include_str!("migrations/0003_today_indexes.sql")),
    (4, include_str!("migrations/0004_assessment.sql")),
    (5, include_str!("migrations/0005_coordination.sql")),
    (6, include_str!("migrations/0006_directory.sql")),
    (7, include_str!("migrations/0007_plan.sql")),
    (8, include_str!("migrations/0008_referrals.sql")),
    (9, include_str!("migrations/0009_rescreen.sql")),
    (10, include_str!("migrations/0010_closure.sql")),
    (11, include_str!("migrations/0011_open_case_indexes.sql")),
    (12, include_str!("migrations/0012_time_report_index.sql")),
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// What can go wrong with the database, in words a practitioner can act on.
/// Messages never contain client data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is not a caseload database (or it is damaged). Nothing was changed. Point caseload at another file with --db.")]
    NotCaseload(PathBuf),
    #[error("This database was made by a newer caseload (schema {found}; this version knows up to {supported}). Nothing was changed. Update caseload to open it.")]
    Newer { found: u32, supported: u32 },
    #[error("Cannot write to {}: the file or its folder is read-only. Check the permissions, or copy the file somewhere writable.", .0.display())]
    ReadOnly(PathBuf),
    #[error("The database is busy: another caseload is writing to it. Wait a moment and try again.")]
    Busy,
    #[error(
        "The database file is damaged ({0}). Run `caseload check`, and restore from a backup if needed."
    )]
    Corrupt(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Refused(String),
    // not a #[source]: `{:#}` on the CLI would print the OS message twice
    #[error("Could not use the database file: {0}")]
    Io(std::io::Error),
    #[error("Database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(PathBuf::from("the database file")),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt("corrupt pages".into()),
            Some(ErrorCode::NotADatabase) => StoreError::NotCaseload(PathBuf::from("The file")),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError { field, message: message.into() }])
    }
    /// True for refusals caused by what the user asked (exit code 2 on the CLI).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Refused(_))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    // Private to store: the rest of the app asks the store, never the database.
    pub(in crate::store) conn: Connection,
    path: PathBuf,
}

/// Creates the default data directory owner-only; `directories` gives the platform's place.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "caseload", "caseload").map(|d| d.data_dir().join("caseload.db"))
}

impl Store {
    /// Opens (creating if absent) a caseload database. Refuses, without writing anything,
    /// files that are not caseload databases or come from a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    /// Opens an existing database without creating it.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store> {
        let exists = path.exists();
        if exists {
            check_header(path)?;
        } else if create {
            create_owner_only(path)?;
        } else {
            return Err(StoreError::NotFound(format!("There is no database at {}.", path.display())));
        }
        if exists && is_read_only(path) {
            return Err(StoreError::ReadOnly(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_open_error(e, path))?;
        conn.busy_timeout(Duration::from_millis(2_500)).map_err(|e| map_open_error(e, path))?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.check_identity()?;
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads identity from the header only (no writes) and refuses foreign or newer files.
    fn check_identity(&self) -> Result<()> {
        let q = |sql: &str| -> Result<i64> {
            self.conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(|e| map_open_error(e, &self.path))
        };
        let app_id = q("PRAGMA application_id")?;
        let version = q("PRAGMA user_version")?;
        if app_id == i64::from(APPLICATION_ID) {
            if version > i64::from(latest_version()) {
                return Err(StoreError::Newer { found: version as u32, supported: latest_version() });
            }
            return Ok(());
        }
        let objects = q("SELECT count(*) FROM sqlite_master")?;
        if app_id != 0 || objects > 0 || version != 0 {
            return Err(StoreError::NotCaseload(self.path.clone()));
        }
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| map_open_error(e, &self.path))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Busy);
        }
        // FULL: a committed note survives power loss, not just a crash.
        // A 16 MB page cache keeps Today's and the lists' pages in memory between redraws.
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000;",
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let current: u32 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                rusqlite::params![version, to_db(Utc::now())],
            )?;
            tx.execute_batch(&format!(
                "PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"
            ))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// (synchronous, foreign_keys) as SQLite reports them for this connection.
    pub fn pragmas(&self) -> Result<(i64, i64)> {
        let sync = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let fk = self.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        Ok((sync, fk))
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// A consistent copy made with SQLite's online backup, safe while the app is open.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::Refused(format!(
                "{} already exists; choose another file name (caseload never overwrites a backup).",
                dest.display()
            )));
        }
        create_owner_only(dest)?;
        let result = (|| -> Result<()> {
            let mut out = Connection::open(dest)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(dest);
        }
        result
    }

    /// Full integrity check: slow on a big file, so only on request. Damage that stops SQLite
    /// from reading on is itself reported as a problem, not as an error.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let damaged = |e: rusqlite::Error, problems: &mut Vec<String>| -> Result<()> {
            match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                    problems.push(format!("the file is damaged and cannot be read to the end ({e})"));
                    Ok(())
                }
                _ => Err(e.into()),
            }
        };
        let integrity = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match integrity {
            Ok(rows) => problems.extend(rows.into_iter().filter(|r| r != "ok")),
            Err(e) => damaged(e, &mut problems)?,
        }
        let fk = (|| -> rusqlite::Result<usize> {
            let mut fk = self.conn.prepare("PRAGMA foreign_key_check")?;
            let n = fk.query_map([], |r| r.get::<_, String>(0))?.count();
            Ok(n)
        })();
        match fk {
            Ok(0) => {}
            Ok(n) => problems.push(format!("{n} records point at missing records")),
            Err(e) if problems.is_empty() => damaged(e, &mut problems)?,
            Err(_) => {}
        }
        Ok(problems)
    }

    /// Runs `f` in one IMMEDIATE transaction: everything or nothing.
    pub fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

pub fn now_db(now: DateTime<Utc>) -> String {
    to_db(now)
}

/// A stored day column (`YYYY-MM-DD`, or a timestamp's day); None when empty or unreadable.
pub(crate) fn day_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(crate::domain::dates::parse_ymd))
}

fn map_open_error(e: rusqlite::Error, path: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotCaseload(path.to_path_buf()),
        // a writable file in a read-only folder fails too: WAL needs its -wal and -shm files there
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path.to_path_buf()),
        Some(ErrorCode::CannotOpen) if is_read_only(path) || folder_is_read_only(path) => {
            StoreError::ReadOnly(path.to_path_buf())
        }
        _ => StoreError::from(e),
    }
}

fn is_read_only(path: &Path) -> bool {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default();
    // access(2) answers for this user, including root's exemptions.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) != 0 }
}

fn folder_is_read_only(path: &Path) -> bool {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => is_read_only(dir),
        _ => is_read_only(Path::new(".")),
    }
}

/// A non-empty file must start with SQLite's magic header.
fn check_header(path: &Path) -> Result<()> {
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(StoreError::NotCaseload(path.to_path_buf()));
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut header = [0u8; 16];
    let mut f = fs::File::open(path)?;
    if f.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotCaseload(path.to_path_buf()));
    }
    Ok(())
}

/// Creates a file readable and writable by its owner only (and its directory, if new, 0700).
pub fn create_owner_only(path: &Path) -> std::io::Result<fs::File> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() && !dir.exists() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
    }
    let f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// Makes the app's own data directory owner-only (never a directory the user chose).
pub fn secure_data_dir(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.exists() {
            fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        }
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_refusals_name_the_file_and_its_folder() {
        let failure = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let path = Path::new("/srv/shared/caseload.db");
        let msg = map_open_error(failure(rusqlite::ffi::SQLITE_READONLY), path).to_string();
        assert!(msg.contains("/srv/shared/caseload.db") && msg.contains("folder"), "{msg}");
        let msg = StoreError::from(failure(rusqlite::ffi::SQLITE_READONLY)).to_string();
        assert!(!msg.contains('('), "no placeholder in the message: {msg}");
        // the CLI prints errors with their chain: the OS reason must appear once
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let msg = format!("{:#}", anyhow::Error::from(StoreError::from(io)));
        assert_eq!(msg.matches("permission denied").count(), 1, "{msg}");
    }
}
