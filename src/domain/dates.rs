//! Dates as people type them. Days (birth dates, due dates) are `NaiveDate`; moments are UTC
//! timestamps shown in local time.

use chrono::{DateTime, Days, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The one date format caseload shows and stores.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// The one date-and-time format caseload shows (local time).
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M";

pub const DATE_HELP: &str = "Use YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2d or +2w.";

/// Parses a day: `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday`, `+3d`, `-3d`, `+2w`, `-2w`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err(format!("Enter a date. {DATE_HELP}"));
    }
    match s.as_str() {
        "today" | "t" => return Ok(today),
        "tomorrow" => return today.succ_opt().ok_or_else(out_of_range),
        "yesterday" => return today.pred_opt().ok_or_else(out_of_range),
        _ => {}
    }
    if let Some(rel) = parse_relative(&s) {
        let days = rel?;
        return if days >= 0 {
            today.checked_add_days(Days::new(days as u64))
        } else {
            today.checked_sub_days(Days::new(days.unsigned_abs()))
        }
        .ok_or_else(out_of_range);
    }
    NaiveDate::parse_from_str(&s, DATE_FORMAT).map_err(|_| {
        if looks_like_date(&s) {
            "That day does not exist in the calendar (check the month and day).".to_string()
        } else {
            format!("Not a date. {DATE_HELP}")
        }
    })
}

fn out_of_range() -> String {
    "That date is out of range.".to_string()
}

fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// `+3d`, `-2w` → Some(Ok(days)); not relative → None.
fn parse_relative(s: &str) -> Option<Result<i64, String>> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let body = &s[1..];
    let (num, unit) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
    let mult = match unit {
        "d" | "" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        _ => return Some(Err(format!("Not a date. {DATE_HELP}"))),
    };
    match num.parse::<i64>() {
        Ok(n) if n <= 36_500 => Some(Ok(sign * n * mult)),
        _ => Some(Err(format!("Not a date. {DATE_HELP}"))),
    }
}

/// Parses a local date and time: `now`, `YYYY-MM-DD HH:MM`, a date alone (noon is assumed),
/// `today 14:30`, `yesterday 9:05`, or a bare `HH:MM` (today). Returns UTC.
pub fn parse_datetime(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let s = input.trim().to_lowercase();
    let local_now = now.with_timezone(&Local);
    if s.is_empty() || s == "now" {
        return Ok(now);
    }
    let (date_part, time_part) = match s.rsplit_once(' ') {
        Some((d, t)) if t.contains(':') => (d.trim(), Some(t)),
        _ if s.contains(':') && !s.contains('-') => ("today", Some(s.as_str())),
        _ => (s.as_str(), None),
    };
    let date = parse_date(date_part, local_now.date_naive())?;
    let time = match time_part {
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .map_err(|_| "Not a time. Use HH:MM, 24-hour (e.g. 14:30).".to_string())?,
        None => NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(out_of_range)?,
    };
    local_to_utc(date.and_time(time))
}

/// Converts a local wall-clock time to UTC; a time skipped by a clock change is refused.
pub fn local_to_utc(naive: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| "That time does not exist here (the clocks changed).".to_string())
}

/// Reads the `YYYY-MM-DD` at the start of a stored date or timestamp, without a format parser
/// (Today reads thousands of them).
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// The local calendar day of a stored UTC timestamp, shifted by a fixed offset in seconds
/// (the local offset now; good enough to place a past contact on its day).
pub fn local_day(stored_utc: &str, offset_secs: i64) -> Option<NaiveDate> {
    Some(local_day_of(from_db(stored_utc)?, offset_secs))
}

/// The local calendar day of a moment, shifted by a fixed offset in seconds (as `local_day`).
pub fn local_day_of(t: DateTime<Utc>, offset_secs: i64) -> NaiveDate {
    (t + chrono::Duration::seconds(offset_secs)).date_naive()
}

/// Seconds the local time zone is ahead of UTC at `now`.
pub fn local_offset_secs(now: DateTime<Utc>) -> i64 {
    i64::from(Local.offset_from_utc_datetime(&now.naive_utc()).local_minus_utc())
}

pub fn format_date(d: NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

pub fn format_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format(DATETIME_FORMAT).to_string()
}

/// When something recorded for a day happened, for the timeline: now if the day is today
/// (local), otherwise local noon of that day.
pub fn moment_of_day(day: NaiveDate, now: DateTime<Utc>) -> String {
    if now.with_timezone(&Local).date_naive() == day {
        return to_db(now);
    }
    day.and_hms_opt(12, 0, 0)
        .and_then(|t| Local.from_local_datetime(&t).earliest())
        .map(|t| to_db(t.with_timezone(&Utc)))
        .unwrap_or_else(|| format!("{}T12:00:00Z", format_date(day)))
}

/// Storage form of a moment: RFC 3339 UTC with seconds, sortable as text.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

/// A stored moment shown in local time (as it was stored, if it does not read as one).
pub fn local_from_db(s: &str) -> String {
    from_db(s).map(format_local).unwrap_or_else(|| s.to_string())
}

/// Whole years between a birth date and a day.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> Option<u32> {
    on.years_since(dob)
}

/// "3 days ago", "today", "in 2 days" — relative wording for lists.
pub fn relative_days(d: NaiveDate, today: NaiveDate) -> String {
    let n = (d - today).num_days();
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n < 0 => format!("{} days ago", -n),
        n => format!("in {n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, DATE_FORMAT).unwrap()
    }

    #[test]
    fn accepts_the_documented_forms() {
        let today = d("2026-11-23");
        assert_eq!(parse_date("2026-01-31", today).unwrap(), d("2026-01-31"));
        assert_eq!(parse_date("today", today).unwrap(), today);
        assert_eq!(parse_date(" Tomorrow ", today).unwrap(), d("2026-11-24"));
        assert_eq!(parse_date("yesterday", today).unwrap(), d("2026-11-22"));
        assert_eq!(parse_date("+3d", today).unwrap(), d("2026-11-26"));
        assert_eq!(parse_date("+2w", today).unwrap(), d("2026-12-07"));
        assert_eq!(parse_date("-10d", today).unwrap(), d("2026-11-13"));
    }

    #[test]
    fn refuses_with_plain_words() {
        let today = d("2026-11-23");
        assert!(parse_date("2026-02-30", today).unwrap_err().contains("does not exist"));
        assert!(parse_date("next tuesday", today).unwrap_err().contains("Not a date"));
        assert!(parse_date("", today).unwrap_err().contains("Enter a date"));
        assert!(parse_date("+3y", today).is_err());
        assert!(parse_date("+99999999999999999999d", today).is_err());
        assert!(parse_date("\u{1b}[2J", today).is_err());
    }

    #[test]
    fn fast_day_parsing_agrees_with_chrono() {
        assert_eq!(parse_ymd("2026-11-23"), Some(d("2026-11-23")));
        assert_eq!(parse_ymd("2026-11-23T10:00:00Z"), Some(d("2026-11-23")));
        assert_eq!(parse_ymd("2026-02-30"), None);
        assert_eq!(parse_ymd("20261123"), None);
        assert_eq!(parse_ymd("2026-1a-01"), None);
        assert_eq!(local_day("2026-11-23T23:30:00Z", 3600), Some(d("2026-11-24")));
        assert_eq!(local_day("2026-11-23T00:30:00Z", -3600), Some(d("2026-11-22")));
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(d("2000-11-23"), d("2026-11-23")), Some(26));
        assert_eq!(age_on(d("2000-11-24"), d("2026-11-23")), Some(25));
        assert_eq!(age_on(d("2027-01-01"), d("2026-11-23")), None);
    }

    #[test]
    fn datetimes_round_trip_through_storage() {
        let now = from_db("2026-11-23T10:00:00Z").unwrap();
        assert_eq!(parse_datetime("now", now).unwrap(), now);
        let t = parse_datetime("2026-11-20 09:30", now).unwrap();
        assert_eq!(from_db(&to_db(t)), Some(t));
        assert!(parse_datetime("2026-11-20 25:99", now).is_err());
    }
}
