//! The built binary run as a script would run it: its own database, no CASELOAD_DB from the
//! shell, nothing on standard input.

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_caseload");

/// `caseload --db DB ARGS…`, in UTC.
pub fn caseload(db: &Path, args: &[&str]) -> Output {
    caseload_in(Path::new("."), db, args)
}

/// As `caseload`, run in the folder `dir` (where a relative output file would go).
pub fn caseload_in(dir: &Path, db: &Path, args: &[impl AsRef<std::ffi::OsStr>]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CASELOAD_DB")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .expect("run caseload")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as JSON; a failure shows what was printed.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// A database with one synthetic client, C-0001 (Ada Example), made through the command line.
pub fn one_client() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, db) = super::temp_db();
    let o = caseload(&db, &["client", "add", "--given", "Ada", "--family", "Example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (d, db)
}
