//! Writers that turn records into documents (Markdown to print and sign, JSON to keep or
//! move, CSV for a spreadsheet), and the one way they are written to disk.

pub mod caseload_csv;
pub mod file;
pub mod file_md;
pub mod plan;

use std::io::{BufWriter, Write};

use crate::store::StoreError;
use std::path::Path;

use crate::domain::text::quote_path;

/// Why an export was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{} already exists; nothing was written. Choose another name, or replace it (--force).", quote_path(.0))]
    Exists(std::path::PathBuf),
    #[error("{} has a control character in its name; nothing was written. Choose a plain file name.", quote_path(.0))]
    BadName(std::path::PathBuf),
    #[error("Could not write {}: {}", quote_path(.0), .1)]
    Io(std::path::PathBuf, std::io::Error),
}

/// Why a streamed export stopped: the output would not take the text, or the database could
/// not be read.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("{0}")]
    Output(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> Self {
        StreamError::Output(e)
    }
}

/// Why a streamed export to a file was not written (and left nothing behind).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes an export readable by its owner only: every export (a client's file, the caseload
/// CSV, the case plan; from the app or a command) is written here. An existing file is never
/// replaced unless `force`; the text goes to a private temporary file first, so a reader never
/// sees half a file and a failed write leaves nothing behind.
pub fn write_owner_only(path: &Path, bytes: &[u8], force: bool) -> Result<(), WriteError> {
    write_via_temp(path, force, |w| w.write_all(bytes)).map_err(|e| match e {
        Failed::Write(e) => e,
        Failed::Body(e) => WriteError::Io(path.to_path_buf(), e),
    })
}

/// As `write_owner_only`, for text written piece by piece as `body` makes it: memory stays
/// flat in the size of the file. Whatever stops `body` (the disk, the database) leaves no file.
pub fn write_streamed(
    path: &Path,
    force: bool,
    body: impl FnOnce(&mut dyn Write) -> Result<(), StreamError>,
) -> Result<(), ExportError> {
    write_via_temp(path, force, |w| body(w)).map_err(|e| match e {
        Failed::Write(e) => ExportError::Write(e),
        Failed::Body(StreamError::Output(e)) => ExportError::Write(WriteError::Io(path.to_path_buf(), e)),
        Failed::Body(StreamError::Store(e)) => ExportError::Store(e),
    })
}

enum Failed<E> {
    Write(WriteError),
    Body(E),
}

fn write_via_temp<E>(
    path: &Path,
    force: bool,
    body: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failed<E>> {
    check_name(path).map_err(Failed::Write)?;
    if !force && path.exists() {
        return Err(Failed::Write(WriteError::Exists(path.to_path_buf())));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let io_failed = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Failed::Write(WriteError::Exists(path.to_path_buf()))
        } else {
            Failed::Write(WriteError::Io(path.to_path_buf(), e))
        }
    };
    let file = crate::store::create_owner_only(&tmp).map_err(io_failed)?;
    let result = (|| {
        let mut out = BufWriter::with_capacity(64 * 1024, file);
        body(&mut out).map_err(Failed::Body)?;
        let file = out.into_inner().map_err(|e| io_failed(e.into_error()))?;
        file.sync_all().map_err(io_failed)?;
        if force {
            std::fs::rename(&tmp, path).map_err(io_failed)
        } else {
            // a link fails if the name was taken meanwhile: never a silent overwrite
            std::fs::hard_link(&tmp, path).map_err(io_failed)?;
            std::fs::remove_file(&tmp).map_err(io_failed)
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file is never created with a control character in its name.
pub fn check_name(path: &Path) -> Result<(), WriteError> {
    match crate::domain::text::unsafe_file_name(path) {
        true => Err(WriteError::BadName(path.to_path_buf())),
        false => Ok(()),
    }
}

/// Text safe inside Markdown, on one line: controls and line breaks become spaces and the
/// characters Markdown would read as formatting (or a table's `|`) are escaped.
pub fn md_inline(s: &str) -> String {
    let safe = crate::domain::text::display_safe(s);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_replaced_only_with_force() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("plan.md");
        write_owner_only(&path, b"first", false)?;
        assert!(matches!(write_owner_only(&path, b"second", false), Err(WriteError::Exists(_))));
        assert_eq!(std::fs::read(&path)?, b"first");
        write_owner_only(&path, b"third", true)?;
        assert_eq!(std::fs::read(&path)?, b"third");
        assert_eq!(std::fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        // no temporary file is left beside it
        assert_eq!(std::fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn markdown_and_terminal_syntax_is_neutral() {
        assert_eq!(md_inline("a|b *c* [x](y) <b>"), "a\\|b \\*c\\* \\[x\\](y) \\<b\\>");
        assert_eq!(md_inline("line\none\u{1b}[2J"), "line one\\[2J");
        assert_eq!(md_inline("# not a heading"), "\\# not a heading");
    }
}
