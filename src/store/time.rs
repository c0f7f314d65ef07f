//! Minutes recorded on notes, per client and contact type, for billing and supervision.

use chrono::{Datelike, NaiveDate, NaiveTime};
use rusqlite::params;
use serde::Serialize;

use super::{Result, Store};
use crate::domain::client::client_ref;
use crate::domain::dates::{local_to_utc, to_db};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeRow {
    #[serde(rename = "ref")]
    pub client: String,
    pub client_name: String,
    pub contact_type: String,
    pub notes: i64,
    pub minutes: i64,
}

/// A calendar month in local time: `2026-11`.
pub fn parse_month(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next))
}

/// The time report's query (from, to, client or NULL); a test checks it reads only the notes'
/// covering index.
pub const TIME_REPORT_SQL: &str =
    "SELECT n.client_id, c.given_name || ' ' || c.family_name, n.contact_type, count(*), \
     coalesce(sum(n.duration_minutes), 0) FROM notes n JOIN clients c ON c.id = n.client_id \
     WHERE n.contact_at >= ?1 AND n.contact_at < ?2 AND n.error_at IS NULL \
     AND (?3 IS NULL OR n.client_id = ?3) \
     GROUP BY n.client_id, n.contact_type ORDER BY c.sort_key, n.contact_type";

impl Store {
    /// Totals for contacts from `from` (inclusive) to `to` (exclusive), local days.
    pub fn time_report(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        client_id: Option<i64>,
    ) -> Result<Vec<TimeRow>> {
        let start = local_to_utc(from.and_time(NaiveTime::MIN)).map(to_db).unwrap_or_default();
        let end = local_to_utc(to.and_time(NaiveTime::MIN)).map(to_db).unwrap_or_else(|_| "9999".into());
        let mut stmt = self.conn.prepare_cached(TIME_REPORT_SQL)?;
        let rows = stmt
            .query_map(params![start, end, client_id], |r| {
                Ok(TimeRow {
                    client: client_ref(r.get(0)?),
                    client_name: r.get(1)?,
                    contact_type: r.get(2)?,
                    notes: r.get(3)?,
                    minutes: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse() {
        let (a, b) = parse_month("2026-12").unwrap();
        assert_eq!(a, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(b, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert!(parse_month("2026-13").is_none());
        assert!(parse_month("soon").is_none());
    }
}
