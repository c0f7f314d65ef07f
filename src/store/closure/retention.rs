//! The retention list of closed files, destroying a file past its date (leaving a minimal
//! record), and the Today line that says files are due for it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Serialize;

use super::record::{client_status, closure_in_force};
use crate::domain::client::client_ref;
use crate::domain::closure::{past_retention, retain_until};
use crate::domain::dates::{format_date, parse_ymd};
use crate::domain::due::{DueContext, DueItem, Target, Urgency};
use crate::store::{now_db, Result, Store, StoreError};

/// A closed file on the retention list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionEntry {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub client_id: i64,
    pub name: String,
    pub closed_on: NaiveDate,
    pub retain_until: NaiveDate,
}

/// The minimal record of a destroyed file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DestroyedFile {
    #[serde(rename = "ref")]
    pub reference: String,
    pub closed_on: NaiveDate,
    pub retention_years: u32,
    pub retain_until: NaiveDate,
    pub destroyed_at: DateTime<Utc>,
    pub destroyed_by: String,
}

/// Files whose latest closure (in force) is past the retention period, oldest first.
fn past_retention_in(conn: &Connection, years: u32, today: NaiveDate) -> Result<Vec<RetentionEntry>> {
    // closed on or before this day: past retention (checked again per row for 29 February)
    let cutoff = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&today) - years as i32,
        chrono::Datelike::month(&today),
        1,
    )
    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
    .unwrap_or(today);
    let mut stmt = conn.prepare_cached(
        "SELECT cl.client_id, cl.closed_on, c.given_name, c.family_name FROM closures cl INDEXED BY closures_retention \
         JOIN clients c ON c.id = cl.client_id \
         WHERE cl.undone_at IS NULL AND cl.closed_on < ?1 AND c.status = 'closed' \
         AND cl.episode_id = (SELECT e.id FROM episodes e WHERE e.client_id = cl.client_id ORDER BY e.number DESC LIMIT 1) \
         ORDER BY cl.closed_on, cl.client_id",
    )?;
    let rows = stmt.query_map([format_date(cutoff)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, closed, given, family) = row?;
        let Some(closed) = parse_ymd(&closed) else { continue };
        if !past_retention(closed, years, today) {
            continue;
        }
        out.push(RetentionEntry {
            reference: client_ref(id),
            client_id: id,
            name: crate::domain::client::joined_name(&given, &family),
            closed_on: closed,
            retain_until: retain_until(closed, years),
        });
    }
    Ok(out)
}

impl Store {
    /// Closed files past their retention date (Settings: years after closure), oldest first.
    /// Nothing is ever deleted by this list.
    pub fn past_retention(&self, years: u32, today: NaiveDate) -> Result<Vec<RetentionEntry>> {
        past_retention_in(&self.conn, years, today)
    }

    /// The minimal records of destroyed files, newest first.
    pub fn destroyed_files(&self) -> Result<Vec<DestroyedFile>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT reference, closed_on, retention_years, retain_until, destroyed_at, destroyed_by \
             FROM destroyed_clients ORDER BY destroyed_at DESC, client_id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DestroyedFile {
                    reference: r.get(0)?,
                    closed_on: parse_ymd(&r.get::<_, String>(1)?).unwrap_or_default(),
                    retention_years: r.get(2)?,
                    retain_until: parse_ymd(&r.get::<_, String>(3)?).unwrap_or_default(),
                    destroyed_at: crate::store::moment_col(r, 4)?.unwrap_or_default(),
                    destroyed_by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Destroys a closed file past its retention date: every record of the client, in one
    /// transaction, leaving only the minimal record. `confirm` must be the client's reference.
    pub fn destroy_file(
        &mut self,
        client_id: i64,
        confirm: &str,
        years: u32,
        by: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<DestroyedFile> {
        let reference = client_ref(client_id);
        if crate::domain::client::parse_client_ref(confirm) != Some(client_id) {
            return Err(StoreError::invalid(
                "confirm",
                format!("Type the client's reference, {reference}, to confirm. Nothing was destroyed."),
            ));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            if client_status(tx, client_id)? != "closed" {
                return Err(StoreError::Refused(format!("{reference} is an open case; only closed files are destroyed.")));
            }
            let Some(c) = closure_in_force(tx, client_id)? else {
                return Err(StoreError::Refused(format!("{reference} has no closure in force.")));
            };
            if !past_retention(c.closed_on, years, today) {
                return Err(StoreError::Refused(format!(
                    "{reference} must be kept until {} ({} after closure). Nothing was destroyed.",
                    format_date(retain_until(c.closed_on, years)),
                    crate::domain::words::count(years, "year", "years")
                )));
            }
            tx.execute("INSERT INTO destroying (client_id) VALUES (?1)", [client_id])?;
            crate::store::sections::delete_all(tx, client_id)?;
            tx.execute("DELETE FROM destroying WHERE client_id = ?1", [client_id])?;
            let file = DestroyedFile {
                reference: reference.clone(),
                closed_on: c.closed_on,
                retention_years: years,
                retain_until: retain_until(c.closed_on, years),
                destroyed_at: now,
                destroyed_by: by.trim().to_string(),
            };
            tx.execute(
                "INSERT INTO destroyed_clients (client_id, reference, closed_on, retention_years, retain_until, \
                 destroyed_at, destroyed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    client_id,
                    file.reference,
                    format_date(file.closed_on),
                    file.retention_years,
                    format_date(file.retain_until),
                    now_s,
                    file.destroyed_by
                ],
            )?;
            Ok(file)
        })
    }
}

/// One line when closed files are past their retention date (worth knowing; nothing is
/// deleted unless the practitioner does it).
pub(crate) fn due_retention(store: &Store, ctx: &DueContext<'_>, _limit: i64) -> Result<Vec<DueItem>> {
    let files = past_retention_in(&store.conn, ctx.settings.retention_years, ctx.today)?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let title = if files.len() == 1 {
        format!("1 closed file is past its retention date ({}): it may be destroyed", files[0].reference)
    } else {
        format!("{} closed files are past their retention date: they may be destroyed", files.len())
    };
    Ok(vec![DueItem {
        rule: "retention",
        urgency: Urgency::Info,
        due_on: None,
        client_ref: None,
        client_name: String::new(),
        title,
        target: Target::Retention(String::new()),
        client_id: None,
        record_id: None,
    }])
}
