//! Dates as people type them. Days (birth dates, due dates) are `NaiveDate`; moments are UTC
//! timestamps shown in local time.

use chrono::{
    DateTime, Datelike, Days, Local, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};

/// The one date format caseload shows and stores.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// The one date-and-time format caseload shows (local time).
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// How a day can be typed, in a sentence (a date field's help, a refusal).
pub const DATE_HELP: &str = "Use YYYY-MM-DD, today, tomorrow, yesterday, a weekday (friday: the next one; \
     next monday, last friday), +3d, -2d, +2w or +3m.";
/// The same, short, after a field's own help.
pub const DATE_FORMS: &str = "Dates: YYYY-MM-DD, today, friday, next monday, +3d, +2w, +3m.";
/// How a date and time can be typed.
pub const DATETIME_HELP: &str =
    "A date and a time: YYYY-MM-DD HH:MM, friday 10:00, tomorrow 14:30, +1w 9:30.";

/// Parses a day: `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday`, a weekday, `+3d`, `-3d`,
/// `+2w`, `-2w`, `+3m`, `-1m`.
///
/// A weekday is the next one after today, never today itself: on a Friday, `friday` is a week
/// later (today is `today`). `next friday` is the same day as `friday`; `last friday` is the
/// one before today. Months are calendar months, kept to the month's last day (31 January
/// `+1m` is 28 or 29 February).
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
    if let Some(day) = parse_weekday_phrase(&s, today) {
        return day;
    }
    if let Some(rel) = parse_relative(&s) {
        return match rel? {
            Offset::Days(days) if days >= 0 => today.checked_add_days(Days::new(days as u64)),
            Offset::Days(days) => today.checked_sub_days(Days::new(days.unsigned_abs())),
            Offset::Months(m) if m >= 0 => today.checked_add_months(Months::new(m as u32)),
            Offset::Months(m) => today.checked_sub_months(Months::new(m.unsigned_abs() as u32)),
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

/// A weekday's name in full or short (`fri`, `thurs`).
fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// `friday`, `next friday` (the next one after today), `last friday` (the one before today);
/// None when it is not a weekday phrase.
fn parse_weekday_phrase(s: &str, today: NaiveDate) -> Option<Result<NaiveDate, String>> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let (back, name) = match words[..] {
        [name] => (false, name),
        ["next", name] => (false, name),
        ["last", name] => (true, name),
        _ => return None,
    };
    let target = weekday(name)?;
    let from = today.weekday().num_days_from_monday() as i64;
    let to = target.num_days_from_monday() as i64;
    let day = if back {
        let ago = (from - to).rem_euclid(7);
        today.checked_sub_days(Days::new(if ago == 0 { 7 } else { ago } as u64))
    } else {
        let ahead = (to - from).rem_euclid(7);
        today.checked_add_days(Days::new(if ahead == 0 { 7 } else { ahead } as u64))
    };
    Some(day.ok_or_else(out_of_range))
}

/// How far a relative date moves.
enum Offset {
    Days(i64),
    Months(i64),
}

/// `+3d`, `-2w`, `+3m`, `+2 weeks` → Some(Ok(offset)); not relative → None.
fn parse_relative(s: &str) -> Option<Result<Offset, String>> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let body = &s[1..];
    let (num, unit) = body.split_at(body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len()));
    let not_a_date = || Some(Err(format!("Not a date. {DATE_HELP}")));
    let Ok(n) = num.parse::<i64>() else { return not_a_date() };
    let offset = match unit.trim() {
        "d" | "" | "day" | "days" if n <= 36_500 => Offset::Days(sign * n),
        "w" | "week" | "weeks" if n <= 5_200 => Offset::Days(sign * n * 7),
        "m" | "month" | "months" if n <= 1_200 => Offset::Months(sign * n),
        _ => return not_a_date(),
    };
    Some(Ok(offset))
}

/// A typed moment split into its day and its time of day (`friday 10:00` → `friday`,
/// `10:00`; `14:30` alone → today). "at" between them is allowed: `friday at 10:00`.
fn split_moment(s: &str) -> (&str, Option<&str>) {
    match s.rsplit_once(' ') {
        Some((d, t)) if looks_like_time(t) => {
            let d = d.trim_end();
            (d.strip_suffix(" at").unwrap_or(d).trim(), Some(t))
        }
        _ if looks_like_time(s) => ("today", Some(s)),
        _ => (s, None),
    }
}

fn looks_like_time(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit()) && (t.contains(':') || t.ends_with("am") || t.ends_with("pm"))
}

/// `14:30`, `9:05`, `9am`, `2:30pm` → a time of day.
fn parse_time(t: &str) -> Result<NaiveTime, String> {
    let bad = || "Not a time. Use HH:MM, 24-hour (e.g. 14:30), or 2:30pm.".to_string();
    let (clock, pm) = match (t.strip_suffix("am"), t.strip_suffix("pm")) {
        (Some(c), _) => (c, Some(false)),
        (_, Some(c)) => (c, Some(true)),
        _ => (t, None),
    };
    let (h, m) = clock.split_once(':').unwrap_or((clock, "00"));
    let digits = |x: &str, max_len: usize| {
        (!x.is_empty() && x.len() <= max_len && x.chars().all(|c| c.is_ascii_digit()))
            .then(|| x.parse::<u32>().ok())
            .flatten()
    };
    let (Some(mut h), Some(m)) = (digits(h, 2), digits(m, 2).filter(|_| m.len() == 2)) else {
        return Err(bad());
    };
    if let Some(pm) = pm {
        if !(1..=12).contains(&h) {
            return Err(bad());
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(bad)
}

/// Parses a local date and time: `now`, `YYYY-MM-DD HH:MM`, `friday 10:00`, `today 14:30`,
/// `yesterday 9:05`, a bare `HH:MM` (today), or a date alone (noon is assumed: a note's
/// contact on a day). Returns UTC. Appointments use `parse_datetime_with_time`.
pub fn parse_datetime(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let s = input.trim().to_lowercase();
    if s.is_empty() || s == "now" {
        return Ok(now);
    }
    let (date_part, time_part) = split_moment(&s);
    let date = parse_date(date_part, now.with_timezone(&Local).date_naive())?;
    let time = match time_part {
        Some(t) => parse_time(t)?,
        None => NaiveTime::from_hms_opt(12, 0, 0).ok_or_else(out_of_range)?,
    };
    local_to_utc(date.and_time(time))
}

/// Parses a local date and time that must say the time (an appointment): the forms of
/// `parse_datetime`, but a day without a time is refused, never given an invented hour.
pub fn parse_datetime_with_time(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err(format!("Enter the day and the time. {DATETIME_HELP}"));
    }
    let (date_part, time_part) = split_moment(&s);
    let date = parse_date(date_part, now.with_timezone(&Local).date_naive())?;
    let Some(t) = time_part else {
        return Err(format!(
            "Add the time too, e.g. \"{} 10:00\": an appointment is kept at the time it is, never a made-up one.",
            format_date(date)
        ));
    };
    local_to_utc(date.and_time(parse_time(t)?))
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

/// When a record happened, as stored: a moment (a note, an event) or a day (a goal, a
/// consent). Search hits carry both kinds; a screen shows each as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stamp {
    Day(NaiveDate),
    Moment(DateTime<Utc>),
}

impl Stamp {
    /// A stored moment or day; None for text that is neither.
    pub fn parse(s: &str) -> Option<Stamp> {
        match from_db(s) {
            Some(t) => Some(Stamp::Moment(t)),
            None if s.len() == 10 => parse_ymd(s).map(Stamp::Day),
            None => None,
        }
    }

    /// As stored (and in JSON): `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DD`.
    pub fn to_db(self) -> String {
        match self {
            Stamp::Day(d) => format_date(d),
            Stamp::Moment(t) => to_db(t),
        }
    }

    /// For a person: a moment in local time, a day as a day.
    pub fn local(self) -> String {
        match self {
            Stamp::Day(d) => format_date(d),
            Stamp::Moment(t) => format_local(t),
        }
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&self.to_db())
    }
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
        assert!(parse_date("next tuesdays", today).unwrap_err().contains("Not a date"));
        assert!(parse_date("this friday", today).unwrap_err().contains("Not a date"));
        assert!(parse_date("", today).unwrap_err().contains("Enter a date"));
        assert!(parse_date("+3y", today).is_err());
        assert!(parse_date("+99999999999999999999d", today).is_err());
        assert!(parse_date("\u{1b}[2J", today).is_err());
    }

    #[test]
    fn weekdays_are_the_next_one_after_today() {
        let monday = d("2026-11-23");
        assert_eq!(parse_date("friday", monday).unwrap(), d("2026-11-27"));
        assert_eq!(parse_date("Fri", monday).unwrap(), d("2026-11-27"));
        assert_eq!(parse_date("tuesday", monday).unwrap(), d("2026-11-24"));
        assert_eq!(parse_date("sunday", monday).unwrap(), d("2026-11-29"));
        // today excluded: on a Monday, "monday" is a week later
        assert_eq!(parse_date("monday", monday).unwrap(), d("2026-11-30"));
        assert_eq!(parse_date("next monday", monday).unwrap(), d("2026-11-30"));
        assert_eq!(parse_date("next friday", monday).unwrap(), parse_date("friday", monday).unwrap());
        assert_eq!(parse_date("  NEXT   thurs ", monday).unwrap(), d("2026-11-26"));
        // the one before today
        assert_eq!(parse_date("last friday", monday).unwrap(), d("2026-11-20"));
        assert_eq!(parse_date("last monday", monday).unwrap(), d("2026-11-16"));
        assert_eq!(parse_date("last sunday", monday).unwrap(), d("2026-11-22"));
        // across a year's end
        assert_eq!(parse_date("friday", d("2026-12-30")).unwrap(), d("2027-01-01"));
    }

    #[test]
    fn months_are_calendar_months_kept_to_the_last_day() {
        let today = d("2026-11-23");
        assert_eq!(parse_date("+3m", today).unwrap(), d("2027-02-23"));
        assert_eq!(parse_date("-1m", today).unwrap(), d("2026-10-23"));
        assert_eq!(parse_date("+6 months", today).unwrap(), d("2027-05-23"));
        assert_eq!(parse_date("+1m", d("2027-01-31")).unwrap(), d("2027-02-28"));
        assert_eq!(parse_date("+1m", d("2028-01-31")).unwrap(), d("2028-02-29"));
        assert_eq!(parse_date("+2 weeks", today).unwrap(), d("2026-12-07"));
        assert!(parse_date("+99999m", today).is_err());
        assert!(parse_date("+m", today).is_err());
    }

    fn local(s: &str) -> DateTime<Utc> {
        local_to_utc(NaiveDateTime::parse_from_str(s, DATETIME_FORMAT).unwrap()).unwrap()
    }

    #[test]
    fn date_and_time_forms() {
        // noon UTC on Monday 23 November 2026 is Monday locally in any zone from -11 to +11
        let now = from_db("2026-11-23T12:00:00Z").unwrap();
        assert_eq!(parse_datetime("2026-11-27 10:00", now).unwrap(), local("2026-11-27 10:00"));
        assert_eq!(parse_datetime("friday 10:00", now).unwrap(), local("2026-11-27 10:00"));
        assert_eq!(parse_datetime("Friday at 10:00", now).unwrap(), local("2026-11-27 10:00"));
        assert_eq!(parse_datetime("next monday 9:30", now).unwrap(), local("2026-11-30 09:30"));
        assert_eq!(parse_datetime("tomorrow 14:30", now).unwrap(), local("2026-11-24 14:30"));
        assert_eq!(parse_datetime("tomorrow 2:30pm", now).unwrap(), local("2026-11-24 14:30"));
        assert_eq!(parse_datetime("+1w 9am", now).unwrap(), local("2026-11-30 09:00"));
        assert_eq!(parse_datetime("friday 12am", now).unwrap(), local("2026-11-27 00:00"));
        assert_eq!(parse_datetime("friday 12pm", now).unwrap(), local("2026-11-27 12:00"));
        // a note's contact on a day, without a time: noon
        assert_eq!(parse_datetime("friday", now).unwrap(), local("2026-11-27 12:00"));
        for bad in ["friday 25:00", "friday 10:5", "friday 13pm", "friday 10:00:00x", "fryday 10:00"] {
            assert!(parse_datetime(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_appointment_time_is_never_made_up() {
        let now = from_db("2026-11-23T12:00:00Z").unwrap();
        assert_eq!(parse_datetime_with_time("friday 10:00", now).unwrap(), local("2026-11-27 10:00"));
        assert_eq!(parse_datetime_with_time("2026-12-01 16:15", now).unwrap(), local("2026-12-01 16:15"));
        let e = parse_datetime_with_time("2026-11-27", now).unwrap_err();
        assert!(e.contains("Add the time") && e.contains("2026-11-27 10:00"), "{e}");
        let e = parse_datetime_with_time("friday", now).unwrap_err();
        assert!(e.contains("Add the time") && e.contains("2026-11-27"), "{e}");
        assert!(parse_datetime_with_time("", now).unwrap_err().contains("day and the time"));
        assert!(parse_datetime_with_time("now", now).is_err());
        assert!(parse_datetime_with_time("friday 9", now).is_err());
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

    #[test]
    fn a_stamp_is_a_moment_or_a_day_and_keeps_its_stored_text() {
        let m = Stamp::parse("2026-03-01T09:30:00Z").unwrap();
        assert!(matches!(m, Stamp::Moment(_)));
        assert_eq!(m.to_db(), "2026-03-01T09:30:00Z");
        let d = Stamp::parse("2026-03-01").unwrap();
        assert_eq!(d, Stamp::Day(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()));
        assert_eq!(d.local(), "2026-03-01");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-03-01\"");
        assert_eq!(Stamp::parse("not a date"), None);
        assert_eq!(Stamp::parse("2026-03-01 junk"), None);
    }
}
