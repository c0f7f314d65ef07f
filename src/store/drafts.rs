//! Drafts: unsaved forms written while typing, so a crash or a dead battery loses nothing.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use super::{now_db, Result, Store};

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub key: String,
    pub kind: String,
    pub client_id: Option<i64>,
    pub title: String,
    pub payload: String,
    /// When it was last written (None: not yet).
    pub updated_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Writes (or replaces) a draft in one statement.
    pub fn save_draft(&mut self, d: &Draft, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO drafts (key, kind, client_id, title, payload, updated_at) VALUES (?1,?2,?3,?4,?5,?6) \
             ON CONFLICT(key) DO UPDATE SET kind=excluded.kind, client_id=excluded.client_id, \
             title=excluded.title, payload=excluded.payload, updated_at=excluded.updated_at",
            params![d.key, d.kind, d.client_id, d.title, d.payload, now_db(now)],
        )?;
        Ok(())
    }

    pub fn delete_draft(&mut self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn draft(&self, key: &str) -> Result<Option<Draft>> {
        Ok(self
            .conn
            .query_row(
                "SELECT key, kind, client_id, title, payload, updated_at FROM drafts WHERE key = ?1",
                [key],
                draft_from_row,
            )
            .optional()?)
    }

    /// All drafts, newest first (there are only ever a few).
    pub fn drafts(&self) -> Result<Vec<Draft>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, kind, client_id, title, payload, updated_at FROM drafts ORDER BY updated_at DESC LIMIT 100",
        )?;
        let rows = stmt.query_map([], draft_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

fn draft_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Draft> {
    Ok(Draft {
        key: r.get(0)?,
        kind: r.get(1)?,
        client_id: r.get(2)?,
        title: r.get(3)?,
        payload: r.get(4)?,
        updated_at: super::moment_col(r, 5)?,
    })
}
