//! SQLite storage: opening safely, numbered migrations, and one module per aggregate.

pub mod appointments;
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
pub mod visits;

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
    (13, include_str!("migrations/0013_appointment_history.sql")),
    (14, include_str!("migrations/0014_consent_withdrawal.sql")),
    (15, include_str!("migrations/0015_client_sex.sql")),
    (16, include_str!("migrations/0016_relations.sql")),
    (17, include_str!("migrations/0017_directory_address_carrier.sql")),
    (18, include_str!("migrations/0018_service_aliases.sql")),
    (19, include_str!("migrations/0019_appointments_by_day.sql")),
    (20, include_str!("migrations/0020_directory_phones_by_hand.sql")),
    (21, include_str!("migrations/0021_today_snoozes.sql")),
    (22, include_str!("migrations/0022_visits.sql")),
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
    #[error("The disk is full: nothing was saved. Free some space on the disk that holds {} and try again.", .0.display())]
    DiskFull(PathBuf),
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
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(PathBuf::from("the database")),
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
    /// Said once, by the CLI or the TUI, about what opening did (permissions made owner-only).
    notices: Vec<String>,
}

/// How a database is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create it if absent (a new caseload), migrate it, write to it.
    Create,
    /// Only an existing caseload database, migrated, written to.
    Existing,
    /// An existing database read as it is: nothing is written, not even a migration (an
    /// archive, a copy on read-only media, a command that only reads).
    ReadOnly,
    /// `caseload init`: an empty file (or none) becomes a caseload database.
    Init,
}

/// Creates the default data directory owner-only; `directories` gives the platform's place.
/// How many of SQLite's own findings a check repeats.
const CHECK_DETAILS: usize = 5;

pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "caseload", "caseload").map(|d| d.data_dir().join("caseload.db"))
}

impl Store {
    /// Opens (creating if absent) a caseload database. Refuses, without writing anything,
    /// files that are not caseload databases or come from a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_mode(path, OpenMode::Create)
    }

    /// Opens an existing database without creating it.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_mode(path, OpenMode::Existing)
    }

    /// Opens an existing database to read only: nothing is written to it or beside it.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Self::open_mode(path, OpenMode::ReadOnly)
    }

    pub fn open_mode(path: &Path, mode: OpenMode) -> Result<Store> {
        let link = fs::symlink_metadata(path).ok();
        let exists = path.exists();
        if link.is_some_and(|m| m.file_type().is_symlink()) && !exists {
            let to = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            return Err(StoreError::Refused(format!(
                "{} is a link to {}, which does not exist. Nothing was created. Point --db at the database file itself.",
                crate::domain::text::quote_path(path),
                crate::domain::text::quote(&to)
            )));
        }
        let mut notices = Vec::new();
        if exists {
            let meta = fs::metadata(path)?;
            if !meta.is_file() {
                return Err(StoreError::Refused(format!(
                    "{} is not a file (it is a {}): a caseload database is a file. Nothing was changed.",
                    crate::domain::text::quote_path(path),
                    kind_of_file(&meta)
                )));
            }
            if meta.len() == 0 && mode != OpenMode::Init {
                return Err(StoreError::Refused(format!(
                    "{} is an empty file, not a caseload database. Nothing was changed. To make a new caseload there, run: caseload init {}",
                    crate::domain::text::quote_path(path),
                    crate::domain::text::quote_path(path)
                )));
            }
            check_header(path)?;
            if mode != OpenMode::ReadOnly {
                if is_read_only(path) {
                    return Err(StoreError::ReadOnly(path.to_path_buf()));
                }
                if tighten(path)? {
                    notices.push(format!(
                        "{} could be read by other users of this computer; it is now readable by you only.",
                        crate::domain::text::quote_path(path)
                    ));
                }
            }
        } else {
            match mode {
                OpenMode::Create | OpenMode::Init => {
                    if crate::domain::text::unsafe_file_name(path) {
                        return Err(StoreError::Refused(format!(
                            "{} has a control character in its name; choose a plain file name. Nothing was created.",
                            crate::domain::text::quote_path(path)
                        )));
                    }
                    create_owner_only(path).map_err(|e| create_error(e, path))?
                }
                OpenMode::Existing | OpenMode::ReadOnly => {
                    return Err(StoreError::NotFound(format!(
                        "There is no database at {}.",
                        crate::domain::text::quote_path(path)
                    )))
                }
            };
        }
        let flags = if mode == OpenMode::ReadOnly {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = if mode == OpenMode::ReadOnly && folder_is_read_only(path) && !has_side_files(path) {
            // read-only media: SQLite cannot make the index file WAL reading needs beside it,
            // and no one can be writing there, so the file is read as unchanging
            Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| map_open_error(e, path))?;
        conn.busy_timeout(Duration::from_millis(2_500)).map_err(|e| map_open_error(e, path))?;
        let mut store = Store { conn, path: path.to_path_buf(), notices };
        store.check_identity()?;
        if mode == OpenMode::ReadOnly {
            store.conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000;")?;
            let version = store.schema_version()?;
            if version < latest_version() {
                return Err(StoreError::Refused(format!(
                    "{} was made by an older caseload (schema {version}) and is opened read-only, so it cannot be upgraded. Copy it somewhere writable and open the copy.",
                    crate::domain::text::quote_path(path)
                )));
            }
            return Ok(store);
        }
        store.configure()?;
        // the log and index files beside it are the database too
        for side in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(side);
            let _ = tighten(Path::new(&p));
        }
        store.migrate()?;
        Ok(store)
    }

    /// What opening the database did that the user should hear about once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
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

    /// A consistent copy made with SQLite's online backup, safe while the app is open. A
    /// damaged database is never copied: the last good backup must not be replaced by damage.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if crate::domain::text::unsafe_file_name(dest) {
            return Err(StoreError::Refused(format!(
                "{} has a control character in its name; choose a plain file name. No backup was made.",
                crate::domain::text::quote_path(dest)
            )));
        }
        if dest.exists() || fs::symlink_metadata(dest).is_ok() {
            return Err(StoreError::Refused(format!(
                "{} already exists; choose another file name (caseload never overwrites a backup).",
                crate::domain::text::quote_path(dest)
            )));
        }
        let damage = self.quick_check()?;
        if !damage.is_empty() {
            return Err(StoreError::Corrupt(format!(
                "damaged: {}; no backup was made, so your earlier backups are untouched",
                damage.join(", ")
            )));
        }
        create_owner_only(dest).map_err(|e| create_error(e, dest))?;
        let result = (|| -> Result<()> {
            let mut out = Connection::open(dest).map_err(|e| map_open_error(e, dest))?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut out).map_err(|e| about(e, dest))?;
            backup.run_to_completion(256, Duration::from_millis(5), None).map_err(|e| about(e, dest))?;
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(dest);
        }
        result
    }

    /// SQLite's quick check: what is damaged, by the kind of record (empty: nothing). Fast enough to run
    /// before every backup and in the background after the app starts.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        let rows = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match rows {
            Ok(rows) if rows.iter().all(|r| r == "ok") => Ok(Vec::new()),
            Ok(_) | Err(_) => Ok(self.damaged_tables()),
        }
    }

    /// The kinds of record that cannot be read to the end, in the practitioner's words.
    fn damaged_tables(&self) -> Vec<String> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
            .unwrap_or_default();
        let mut out: Vec<String> = Vec::new();
        for t in tables {
            let scan = self.conn.prepare(&format!("SELECT * FROM \"{t}\"")).and_then(|mut s| {
                let mut rows = s.query([])?;
                while rows.next()?.is_some() {}
                Ok(())
            });
            let corrupt = matches!(
                scan.as_ref().err().and_then(|e| e.sqlite_error_code()),
                Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase)
            );
            if corrupt {
                // the search index's own tables are one thing to the practitioner
                let what = if t.starts_with("search") {
                    "the search index".to_string()
                } else {
                    t.replace('_', " ")
                };
                if !out.contains(&what) {
                    out.push(what);
                }
            }
        }
        if out.is_empty() {
            out.push("the file's indexes or free pages".into());
        }
        out
    }

    /// Full integrity check: slow on a big file, so only on request. What is damaged comes first,
    /// by the kind of record ("damaged: clients, notes"), then a few of SQLite's own findings. Damage that stops SQLite
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
            Ok(rows) => {
                let faults: Vec<String> = rows.into_iter().filter(|r| r != "ok").collect();
                if !faults.is_empty() {
                    problems.push(format!("damaged: {}", self.damaged_tables().join(", ")));
                    let shown = faults.len().min(CHECK_DETAILS);
                    problems.extend(faults[..shown].iter().map(|f| format!("detail: {f}")));
                    if faults.len() > shown {
                        problems.push(format!("detail: and {} more of the same kind", faults.len() - shown));
                    }
                }
            }
            Err(e) => {
                damaged(e, &mut problems)?;
                problems.push(format!("damaged: {}", self.damaged_tables().join(", ")));
            }
        }
        let fk = (|| -> rusqlite::Result<usize> {
            let mut fk = self.conn.prepare("PRAGMA foreign_key_check")?;
            let n = fk.query_map([], |r| r.get::<_, String>(0))?.count();
            Ok(n)
        })();
        match fk {
            Ok(0) => {}
            Ok(n) => problems.push(format!(
                "{} at missing records",
                if n == 1 { "1 record points".to_string() } else { format!("{n} records point") }
            )),
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

/// The rows of a query as tuples (any type a row converts to), in order: one statement from
/// the cache, one conversion, no per-column `get` written out at each call.
pub(crate) fn rows_of<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>>
where
    T: for<'r> TryFrom<&'r rusqlite::Row<'r>, Error = rusqlite::Error>,
{
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| T::try_from(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A stored moment column (UTC, as `dates::to_db` writes it); None when empty or unreadable.
pub(crate) fn moment_col(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<chrono::DateTime<chrono::Utc>>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(crate::domain::dates::from_db))
}

/// A stored day column (`YYYY-MM-DD`, or a timestamp's day); None when empty or unreadable.
pub(crate) fn day_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(crate::domain::dates::parse_ymd))
}

fn map_open_error(e: rusqlite::Error, path: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotCaseload(path.to_path_buf()),
        Some(ErrorCode::DiskFull) => StoreError::DiskFull(path.to_path_buf()),
        // a writable file in a read-only folder fails too: WAL needs its -wal and -shm files there
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(path.to_path_buf()),
        Some(ErrorCode::CannotOpen) if is_read_only(path) || folder_is_read_only(path) => {
            StoreError::ReadOnly(path.to_path_buf())
        }
        _ => StoreError::from(e),
    }
}

/// An error from a backup, about the backup's file rather than the database.
fn about(e: rusqlite::Error, path: &Path) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::DiskFull(path.to_path_buf()),
        _ => map_open_error(e, path),
    }
}

/// Why a new file could not be made, in words.
fn create_error(e: std::io::Error, path: &Path) -> StoreError {
    match e.kind() {
        std::io::ErrorKind::AlreadyExists => StoreError::Refused(format!(
            "{} already exists (perhaps as a link to nothing). Nothing was created.",
            crate::domain::text::quote_path(path)
        )),
        std::io::ErrorKind::StorageFull => StoreError::DiskFull(path.to_path_buf()),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly(path.to_path_buf())
        }
        _ => StoreError::Io(e),
    }
}

/// What kind of thing a path that is not a file is.
fn kind_of_file(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "folder"
    } else if t.is_fifo() {
        "pipe"
    } else if t.is_char_device() || t.is_block_device() {
        "device"
    } else if t.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

/// Makes a file readable and writable by its owner only; true when it was not.
fn tighten(path: &Path) -> std::io::Result<bool> {
    let Ok(meta) = fs::metadata(path) else { return Ok(false) };
    if meta.permissions().mode() & 0o077 == 0 {
        return Ok(false);
    }
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(true)
}

fn is_read_only(path: &Path) -> bool {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default();
    // access(2) answers for this user, including root's exemptions.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) != 0 }
}

/// Whether the write-ahead log or its index is beside the database.
fn has_side_files(path: &Path) -> bool {
    ["-wal", "-shm"].iter().any(|side| {
        let mut p = path.as_os_str().to_owned();
        p.push(side);
        Path::new(&p).exists()
    })
}

/// `file:` URI of a database read as immutable (every byte but unreserved ones and `/` escaped).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(*b as char)
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
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
