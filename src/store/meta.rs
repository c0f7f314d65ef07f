//! Settings and bookkeeping values (key/value).

use rusqlite::OptionalExtension;

use super::{Result, Store};
use crate::domain::settings::{Settings, SPECS};

impl Store {
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// (clients, notes, settings and drafts): what a database holds, for `demo` to tell a
    /// file it made itself from anyone else's.
    pub fn record_counts(&self) -> Result<(i64, i64, i64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM notes), \
             (SELECT count(*) FROM settings) + (SELECT count(*) FROM drafts)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// Settings with defaults for anything never set.
    pub fn settings(&self) -> Result<Settings> {
        let mut s = Settings::default();
        let mut stmt = self.conn.prepare_cached("SELECT key, value FROM settings")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (k, v) = row?;
            // A value that no longer validates keeps its default rather than failing the app.
            let _ = s.set(&k, &v);
        }
        Ok(s)
    }

    /// Saves all settings in one transaction.
    pub fn save_settings(&mut self, s: &Settings) -> Result<()> {
        self.write(|tx| {
            for spec in SPECS {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [spec.key, &s.get(spec.key)],
                )?;
            }
            Ok(())
        })
    }
}
