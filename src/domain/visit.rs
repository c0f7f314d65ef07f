//! Planned contacts (the diary): a visit's type, its states and the checks on what is typed.
//! Pure: the store calls `validate` and `VisitState::can_become` before it writes.

use chrono::{DateTime, Utc};

use super::client::FieldError;
use super::text::{clean_line, clean_multiline};

/// The kinds of planned contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitKind {
    Home,
    Office,
    Phone,
    Video,
    School,
    Court,
    Hospital,
    Other,
}

impl VisitKind {
    pub const ALL: [VisitKind; 8] = [
        VisitKind::Home,
        VisitKind::Office,
        VisitKind::Phone,
        VisitKind::Video,
        VisitKind::School,
        VisitKind::Court,
        VisitKind::Hospital,
        VisitKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VisitKind::Home => "home",
            VisitKind::Office => "office",
            VisitKind::Phone => "phone",
            VisitKind::Video => "video",
            VisitKind::School => "school",
            VisitKind::Court => "court",
            VisitKind::Hospital => "hospital",
            VisitKind::Other => "other",
        }
    }

    /// In words: "home visit", "phone call", "court".
    pub fn label(self) -> &'static str {
        match self {
            VisitKind::Home => "home visit",
            VisitKind::Office => "office visit",
            VisitKind::Phone => "phone call",
            VisitKind::Video => "video call",
            VisitKind::School => "school visit",
            VisitKind::Court => "court",
            VisitKind::Hospital => "hospital visit",
            VisitKind::Other => "contact",
        }
    }

    /// Reads a kind as typed: "home", "home visit", "Phone"...
    pub fn parse(s: &str) -> Option<VisitKind> {
        let s = s.trim().to_lowercase();
        VisitKind::ALL.into_iter().find(|k| s == k.as_str() || s == k.label())
    }
}

/// Where a planned contact stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    Planned,
    Done,
    /// An attempted contact: the client was not there.
    Missed,
    Cancelled,
}

impl VisitState {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitState::Planned => "planned",
            VisitState::Done => "done",
            VisitState::Missed => "missed",
            VisitState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<VisitState> {
        [VisitState::Planned, VisitState::Done, VisitState::Missed, VisitState::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }

    /// A planned contact ends once: done, missed or cancelled; an ended one stays as it is.
    pub fn can_become(self, to: VisitState) -> bool {
        self == VisitState::Planned && to != VisitState::Planned
    }

    /// Whether the change needs a reason (a cancellation does).
    pub fn needs_reason(self) -> bool {
        self == VisitState::Cancelled
    }
}

/// A planned contact as a form or the command line gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitDetails {
    pub at: DateTime<Utc>,
    pub minutes: i64,
    pub kind: VisitKind,
    pub place: String,
    pub with_whom: String,
    pub purpose: String,
    pub travel: String,
}

impl VisitDetails {
    pub fn at(at: DateTime<Utc>) -> Self {
        VisitDetails {
            at,
            minutes: 60,
            kind: VisitKind::Home,
            place: String::new(),
            with_whom: String::new(),
            purpose: String::new(),
            travel: String::new(),
        }
    }

    /// Planned for a moment already past (recorded late): allowed, and said so.
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        self.at < now
    }
}

pub const MAX_MINUTES: i64 = 24 * 60;

/// Cleaned and checked: the details to store, or every field that is wrong.
pub fn validate(d: &VisitDetails) -> Result<VisitDetails, Vec<FieldError>> {
    let mut errors = Vec::new();
    let clean = VisitDetails {
        at: d.at,
        minutes: d.minutes,
        kind: d.kind,
        place: clean_line(&d.place),
        with_whom: clean_line(&d.with_whom),
        purpose: clean_line(&d.purpose),
        travel: clean_multiline(&d.travel),
    };
    if !(1..=MAX_MINUTES).contains(&d.minutes) {
        errors.push(FieldError {
            field: "minutes",
            message: format!("Give the expected length in minutes, 1 to {MAX_MINUTES}."),
        });
    }
    for (field, text, max) in [
        ("place", &clean.place, 500),
        ("with", &clean.with_whom, 500),
        ("purpose", &clean.purpose, 2_000),
        ("travel", &clean.travel, 2_000),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError { field, message: format!("Too long: at most {max} characters.") });
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// The reason given for a change to `to`: a cancellation needs one; cleaned, at most 500.
pub fn check_reason(to: VisitState, reason: &str) -> Result<String, FieldError> {
    let r = clean_line(reason);
    if to.needs_reason() && r.is_empty() {
        return Err(FieldError { field: "reason", message: "Say why it is cancelled.".into() });
    }
    if r.chars().count() > 500 {
        return Err(FieldError { field: "reason", message: "Too long: at most 500 characters.".into() });
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_datetime_with_time;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    #[test]
    fn kinds_read_as_typed_and_unknown_ones_are_refused() {
        assert_eq!(VisitKind::parse("Home"), Some(VisitKind::Home));
        assert_eq!(VisitKind::parse("phone call"), Some(VisitKind::Phone));
        assert_eq!(VisitKind::parse("court"), Some(VisitKind::Court));
        assert_eq!(VisitKind::parse("pub"), None);
        for k in VisitKind::ALL {
            assert_eq!(VisitKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn a_planned_contact_ends_once() {
        assert!(VisitState::Planned.can_become(VisitState::Done));
        assert!(VisitState::Planned.can_become(VisitState::Missed));
        assert!(VisitState::Planned.can_become(VisitState::Cancelled));
        assert!(!VisitState::Planned.can_become(VisitState::Planned));
        assert!(!VisitState::Done.can_become(VisitState::Missed));
        assert!(!VisitState::Cancelled.can_become(VisitState::Done));
    }

    #[test]
    fn a_cancellation_needs_a_reason() {
        assert_eq!(check_reason(VisitState::Cancelled, "  ").unwrap_err().field, "reason");
        assert_eq!(check_reason(VisitState::Cancelled, "Client unwell").unwrap(), "Client unwell");
        assert_eq!(check_reason(VisitState::Missed, "").unwrap(), "");
        assert!(check_reason(VisitState::Missed, &"x".repeat(501)).is_err());
    }

    #[test]
    fn details_are_cleaned_and_bad_ones_named() {
        let mut d = VisitDetails::at(now());
        d.place = "  Flat 3\u{0007}  ".into();
        let ok = validate(&d).unwrap();
        assert_eq!(ok.place, "Flat 3");
        d.minutes = 0;
        d.with_whom = "y".repeat(501);
        let fields: Vec<_> = validate(&d).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["minutes", "with"]);
        d.minutes = MAX_MINUTES + 1;
        assert!(validate(&VisitDetails { with_whom: String::new(), ..d }).is_err());
    }

    #[test]
    fn times_come_from_the_apps_parser_and_a_past_one_is_late() {
        let at = parse_datetime_with_time("friday 10:00", now()).unwrap();
        assert!(at > now());
        assert!(parse_datetime_with_time("2026-11-27 25:00", now()).is_err());
        assert!(parse_datetime_with_time("2026-11-27", now()).is_err(), "a day alone has no time");
        let past = VisitDetails::at(parse_datetime_with_time("2026-11-20 10:00", now()).unwrap());
        assert!(past.is_late(now()));
        assert!(!VisitDetails::at(at).is_late(now()));
    }
}
