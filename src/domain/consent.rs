//! Consent to share information (release of information): who may receive what, and whether
//! the consent holds on a given day (see `case-record.md` §6).
//!
//! Dates are whole days:
//!
//! * a consent is valid from the day it was signed, up to **and including** its expiry day;
//! * a consent revoked on a day is no longer valid **on** that day; a revocation dated in the
//!   future does not count until that day comes.
//!
//! What a consent covers (`covers`) is a list of phrases such as "medical history",
//! "housing, income". A consent with no phrases, or with one of "all", "everything",
//! "anything", "all information", "any information", covers everything. Otherwise both the
//! consent's phrases and the description of what is shared are split into phrases at commas,
//! semicolons, slashes, "&", new lines and the word "and"; every shared phrase must contain one
//! of the consent's phrases as whole words, ignoring case, punctuation and a plural "s". So
//! "medical records" covers "Medical record" and "medical records summary", but not "records"
//! or "medical history"; "housing" does not cover "housing and income".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Consents that expire within this many days are flagged as expiring soon.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// Phrases that, alone, mean the consent covers everything.
const EVERYTHING: &[&str] = &["all", "everything", "anything", "all information", "any information"];

/// A signed release of information.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consent {
    /// Who may receive the information (a person or an organisation).
    pub to_name: String,
    /// What information may be shared; see the module notes for how it is matched.
    pub covers: Vec<String>,
    pub signed_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
}

/// Where a consent stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Validity {
    NotSigned,
    /// Signed with a date still to come.
    NotYetValid {
        from: NaiveDate,
    },
    /// Valid; `None` when it has no expiry date. `until` is its last valid day.
    Valid {
        expires_in_days: Option<i64>,
        until: Option<NaiveDate>,
    },
    /// Valid, but ends within the warning window (`days` = 0 means its last day is today);
    /// `on` is its last valid day.
    ExpiringSoon {
        days: i64,
        on: NaiveDate,
    },
    /// No longer valid; `on` was its last valid day (the expiry date as recorded).
    Expired {
        on: NaiveDate,
    },
    Revoked {
        on: NaiveDate,
    },
}

impl Validity {
    /// Information may be shared under it today.
    pub fn is_usable(self) -> bool {
        matches!(self, Self::Valid { .. } | Self::ExpiringSoon { .. })
    }

    /// A stable word for the kind of state, for storage and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSigned => "not-signed",
            Self::NotYetValid { .. } => "not-yet-valid",
            Self::Valid { .. } => "valid",
            Self::ExpiringSoon { .. } => "expiring-soon",
            Self::Expired { .. } => "expired",
            Self::Revoked { .. } => "revoked",
        }
    }

    /// A short badge for lists.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotSigned => "Not signed",
            Self::NotYetValid { .. } => "Not yet valid",
            Self::Valid { .. } => "Valid",
            Self::ExpiringSoon { .. } => "Expiring soon",
            Self::Expired { .. } => "Expired",
            Self::Revoked { .. } => "Withdrawn",
        }
    }

    /// One line in plain words: "Valid until 2026-05-01", "Expiring soon: valid until
    /// 2026-05-01 (3 days left)". The date named is
    /// always the consent's last valid day: "Expired: its last day was 2026-05-01".
    pub fn describe(self) -> String {
        match self {
            Self::NotSigned => "Not signed yet".to_string(),
            Self::NotYetValid { from } => format!("Valid from {from}"),
            Self::Valid { expires_in_days: None, .. } | Self::Valid { until: None, .. } => {
                "Valid, with no expiry date".to_string()
            }
            // far from its end the day is enough; the count of days left comes when it is soon
            Self::Valid { expires_in_days: Some(_), until: Some(on) } => format!("Valid until {on}"),
            Self::ExpiringSoon { days, on } => {
                format!("Expiring soon: valid until {on} ({})", days_left(days))
            }
            Self::Expired { on } => format!("Expired: its last day was {on}"),
            Self::Revoked { on } => format!("Withdrawn by the client on {on}"),
        }
    }
}

fn days_left(n: i64) -> String {
    match n {
        0 => "last day today".to_string(),
        1 => "1 day left".to_string(),
        n => format!("{n} days left"),
    }
}

/// Why information may not be shared under a consent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConsentProblem {
    #[error("This consent has not been signed, so nothing may be shared under it yet.")]
    NotSigned,
    #[error("This consent is dated {from}; nothing may be shared under it before then.")]
    NotYetValid { from: NaiveDate },
    #[error(
        "This consent has expired: its last day was {on}. Ask the client to sign a new one before sharing."
    )]
    Expired { on: NaiveDate },
    #[error("The client withdrew this consent on {on}; nothing more may be shared under it.")]
    Revoked { on: NaiveDate },
    #[error("This consent does not cover {}. Check what the client agreed to share, or ask for a wider consent.", quoted_list(.uncovered))]
    NotCovered { uncovered: Vec<String> },
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

/// Where the consent stands on `today`. A consent ending within `warn_within_days` (see
/// [`EXPIRY_WARNING_DAYS`]) is [`Validity::ExpiringSoon`]. Checked in this order: revoked,
/// not signed, signed in the future, expired.
pub fn validity(c: &Consent, today: NaiveDate, warn_within_days: i64) -> Validity {
    if let Some(on) = c.revoked_on.filter(|&r| r <= today) {
        return Validity::Revoked { on };
    }
    let Some(signed) = c.signed_on else {
        return Validity::NotSigned;
    };
    if signed > today {
        return Validity::NotYetValid { from: signed };
    }
    match c.expires_on {
        None => Validity::Valid { expires_in_days: None, until: None },
        Some(on) => {
            let days = (on - today).num_days();
            if days < 0 {
                Validity::Expired { on }
            } else if days <= warn_within_days {
                Validity::ExpiringSoon { days, on }
            } else {
                Validity::Valid { expires_in_days: Some(days), until: Some(on) }
            }
        }
    }
}

/// Whether `what_is_shared` may be shared under the consent on `today`: signed, in force, not
/// expired or withdrawn, and covering every phrase of what is shared (see the module notes).
/// An empty `what_is_shared` checks only that the consent is in force.
pub fn is_valid_for(c: &Consent, today: NaiveDate, what_is_shared: &str) -> Result<(), ConsentProblem> {
    match validity(c, today, 0) {
        Validity::NotSigned => return Err(ConsentProblem::NotSigned),
        Validity::NotYetValid { from } => return Err(ConsentProblem::NotYetValid { from }),
        Validity::Expired { on } => return Err(ConsentProblem::Expired { on }),
        Validity::Revoked { on } => return Err(ConsentProblem::Revoked { on }),
        Validity::Valid { .. } | Validity::ExpiringSoon { .. } => {}
    }
    let uncovered = uncovered(c, what_is_shared);
    if uncovered.is_empty() {
        Ok(())
    } else {
        Err(ConsentProblem::NotCovered { uncovered })
    }
}

/// The consent names no particular information, or says it covers everything.
pub fn covers_everything(c: &Consent) -> bool {
    let phrases: Vec<Vec<String>> = c.covers.iter().flat_map(|s| phrases(s)).collect();
    phrases.is_empty() || phrases.iter().any(|p| EVERYTHING.contains(&p.join(" ").as_str()))
}

/// The phrases of `what_is_shared` that the consent does not cover, as typed (trimmed).
pub fn uncovered(c: &Consent, what_is_shared: &str) -> Vec<String> {
    if covers_everything(c) {
        return Vec::new();
    }
    let allowed: Vec<Vec<String>> = c.covers.iter().flat_map(|s| phrases(s)).collect();
    split_phrases(what_is_shared)
        .into_iter()
        .filter(|part| {
            let words = words(part);
            !allowed.iter().any(|a| contains_run(&words, a))
        })
        .map(str::to_string)
        .collect()
}

/// Refuses a new consent whose expiry comes before its signing. Expiring on the day it was
/// signed is allowed (a one-day consent).
pub fn validate_new(signed: Option<NaiveDate>, expires: Option<NaiveDate>) -> Result<(), &'static str> {
    match (signed, expires) {
        (Some(s), Some(e)) if e < s => Err("The consent would expire before it was signed."),
        _ => Ok(()),
    }
}

/// Refuses recording a withdrawal dated before the consent was signed.
pub fn validate_revocation(signed: Option<NaiveDate>, revoked: NaiveDate) -> Result<(), &'static str> {
    match signed {
        Some(s) if revoked < s => Err("A consent cannot be withdrawn before it was signed."),
        _ => Ok(()),
    }
}

/// What relied on a consent when the client withdrew it: each is told (a Today item) and a
/// referral's history says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reliance {
    /// An open referral sent under it (`draft`: one that was to be sent under it).
    Referral {
        #[serde(rename = "ref")]
        reference: String,
        draft: bool,
    },
    /// A case conference the recipient attended that is still live (open action items, or not
    /// yet held).
    Conference {
        #[serde(rename = "ref")]
        reference: String,
        with: String,
    },
    /// The recipient, recorded as one of the client's contacts.
    Contact {
        #[serde(rename = "ref")]
        reference: String,
        name: String,
    },
}

impl Reliance {
    /// The Today line: "consent RI-8 withdrawn: R-9 was sent under it — tell the provider".
    pub fn line(&self, consent: &str) -> String {
        match self {
            Reliance::Referral { reference, draft: false } => {
                format!("Consent {consent} withdrawn: {reference} was sent under it — tell the provider")
            }
            Reliance::Referral { reference, draft: true } => format!(
                "Consent {consent} withdrawn: draft {reference} cannot be sent under it — cancel it or ask again"
            ),
            Reliance::Conference { reference, with } => format!(
                "Consent {consent} withdrawn: {with} shares in conference {reference} under it — tell them, share no more"
            ),
            Reliance::Contact { reference, name } => {
                format!("Consent {consent} withdrawn: tell {name} ({reference}) nothing more will be shared")
            }
        }
    }

    /// The reference of the record that relied on the consent.
    pub fn reference(&self) -> &str {
        match self {
            Reliance::Referral { reference, .. }
            | Reliance::Conference { reference, .. }
            | Reliance::Contact { reference, .. } => reference,
        }
    }
}

/// The text split at commas, semicolons, slashes, "&", new lines and the word "and", trimmed,
/// blanks dropped.
fn split_phrases(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for chunk in text.split([',', ';', '/', '&', '\n']) {
        let mut start = 0;
        for (i, _) in chunk.char_indices() {
            if i >= start && is_and_at(chunk, i) {
                out.push(&chunk[start..i]);
                start = i + 3;
            }
        }
        out.push(&chunk[start..]);
    }
    out.into_iter().map(str::trim).filter(|p| !words(p).is_empty()).collect()
}

/// The whole word "and", any case, starts at byte `i`.
fn is_and_at(s: &str, i: usize) -> bool {
    s.get(i..i + 3).is_some_and(|w| w.eq_ignore_ascii_case("and"))
        && !s[..i].chars().next_back().is_some_and(char::is_alphanumeric)
        && !s[i + 3..].chars().next().is_some_and(char::is_alphanumeric)
}

/// The phrases of a text, each as its normalised words.
fn phrases(text: &str) -> Vec<Vec<String>> {
    split_phrases(text).into_iter().map(words).collect()
}

/// Lower-case alphanumeric words, with a plural "s" dropped from words longer than three
/// letters.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            if w.chars().count() > 3 && w.ends_with('s') {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

/// `needle` appears in `hay` as a run of whole words.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn consent(covers: &[&str], signed: Option<&str>, expires: Option<&str>) -> Consent {
        Consent {
            to_name: "Riverside Housing".into(),
            covers: covers.iter().map(|s| s.to_string()).collect(),
            signed_on: signed.map(d),
            expires_on: expires.map(d),
            revoked_on: None,
        }
    }

    const TODAY: &str = "2026-05-10";

    fn v(c: &Consent) -> Validity {
        validity(c, d(TODAY), EXPIRY_WARNING_DAYS)
    }

    #[test]
    fn each_state() {
        assert_eq!(v(&consent(&[], None, None)), Validity::NotSigned);
        assert_eq!(v(&consent(&[], None, Some("2027-01-01"))), Validity::NotSigned);
        assert_eq!(
            v(&consent(&[], Some("2026-05-11"), None)),
            Validity::NotYetValid { from: d("2026-05-11") }
        );
        assert_eq!(
            v(&consent(&[], Some("2026-01-01"), None)),
            Validity::Valid { expires_in_days: None, until: None }
        );
        assert_eq!(
            v(&consent(&[], Some("2026-01-01"), Some("2026-07-01"))),
            Validity::Valid { expires_in_days: Some(52), until: Some(d("2026-07-01")) }
        );
        assert_eq!(
            v(&consent(&[], Some("2026-01-01"), Some("2026-05-20"))),
            Validity::ExpiringSoon { days: 10, on: d("2026-05-20") }
        );
        assert_eq!(
            v(&consent(&[], Some("2026-01-01"), Some("2026-05-09"))),
            Validity::Expired { on: d("2026-05-09") }
        );
        let mut c = consent(&[], Some("2026-01-01"), Some("2027-01-01"));
        c.revoked_on = Some(d("2026-03-01"));
        assert_eq!(v(&c), Validity::Revoked { on: d("2026-03-01") });
    }

    #[test]
    fn edges() {
        // Signed today: valid today.
        assert!(v(&consent(&[], Some(TODAY), None)).is_usable());
        // Expires today: still valid that day, the last one.
        let c = consent(&[], Some("2026-01-01"), Some(TODAY));
        assert_eq!(v(&c), Validity::ExpiringSoon { days: 0, on: d(TODAY) });
        assert!(is_valid_for(&c, d(TODAY), "housing").is_ok());
        assert_eq!(
            is_valid_for(&c, d("2026-05-11"), "housing"),
            Err(ConsentProblem::Expired { on: d(TODAY) })
        );
        // Warning window boundaries: 30 days is soon, 31 is not.
        let c = consent(&[], Some("2026-01-01"), Some("2026-06-09"));
        assert_eq!(v(&c), Validity::ExpiringSoon { days: 30, on: d("2026-06-09") });
        let c = consent(&[], Some("2026-01-01"), Some("2026-06-10"));
        assert_eq!(v(&c), Validity::Valid { expires_in_days: Some(31), until: Some(d("2026-06-10")) });
        // The window is an argument.
        assert_eq!(validity(&c, d(TODAY), 31), Validity::ExpiringSoon { days: 31, on: d("2026-06-10") });
        assert_eq!(
            validity(&c, d(TODAY), 0),
            Validity::Valid { expires_in_days: Some(31), until: Some(d("2026-06-10")) }
        );
        // Revoked today: not valid today.
        let mut c = consent(&[], Some("2026-01-01"), None);
        c.revoked_on = Some(d(TODAY));
        assert_eq!(v(&c), Validity::Revoked { on: d(TODAY) });
        assert_eq!(is_valid_for(&c, d(TODAY), ""), Err(ConsentProblem::Revoked { on: d(TODAY) }));
        // Revoked tomorrow: still valid today.
        c.revoked_on = Some(d("2026-05-11"));
        assert_eq!(v(&c), Validity::Valid { expires_in_days: None, until: None });
        // Revocation wins over everything else, even expiry.
        let mut c = consent(&[], Some("2026-01-01"), Some("2026-02-01"));
        c.revoked_on = Some(d("2026-03-01"));
        assert_eq!(v(&c), Validity::Revoked { on: d("2026-03-01") });
    }

    #[test]
    fn validity_words() {
        let all = [
            Validity::NotSigned,
            Validity::NotYetValid { from: d("2026-06-01") },
            Validity::Valid { expires_in_days: None, until: None },
            Validity::Valid { expires_in_days: Some(40), until: Some(d("2026-06-19")) },
            Validity::ExpiringSoon { days: 1, on: d("2026-05-11") },
            Validity::ExpiringSoon { days: 0, on: d("2026-05-10") },
            Validity::Expired { on: d("2026-05-01") },
            Validity::Revoked { on: d("2026-05-02") },
        ];
        let usable: Vec<bool> = all.iter().map(|v| v.is_usable()).collect();
        assert_eq!(usable, [false, false, true, true, true, true, false, false]);
        let strs: Vec<&str> = all.iter().map(|v| v.as_str()).collect();
        assert_eq!(
            strs,
            [
                "not-signed",
                "not-yet-valid",
                "valid",
                "valid",
                "expiring-soon",
                "expiring-soon",
                "expired",
                "revoked"
            ]
        );
        let described: Vec<String> = all.iter().map(|v| v.describe()).collect();
        assert_eq!(
            described,
            [
                "Not signed yet",
                "Valid from 2026-06-01",
                "Valid, with no expiry date",
                "Valid until 2026-06-19",
                "Expiring soon: valid until 2026-05-11 (1 day left)",
                "Expiring soon: valid until 2026-05-10 (last day today)",
                "Expired: its last day was 2026-05-01",
                "Withdrawn by the client on 2026-05-02",
            ]
        );
        assert_eq!(Validity::Revoked { on: d(TODAY) }.label(), "Withdrawn");
        assert_eq!(Validity::NotSigned.label(), "Not signed");
    }

    /// The date named is the consent's last valid day, before and after it passes (issue 17
    /// point 5): "expired on" the expiry day would read as if it was not valid that day.
    #[test]
    fn expiry_names_the_last_valid_day() {
        let c = consent(&[], Some("2026-01-01"), Some("2026-12-01"));
        let on = |day: &str| validity(&c, d(day), 0).describe();
        assert_eq!(on("2026-11-01"), "Valid until 2026-12-01");
        assert_eq!(on("2026-12-01"), "Expiring soon: valid until 2026-12-01 (last day today)");
        assert_eq!(on("2026-12-02"), "Expired: its last day was 2026-12-01");
        assert!(is_valid_for(&c, d("2026-12-01"), "").is_ok());
        assert_eq!(
            is_valid_for(&c, d("2026-12-02"), "").unwrap_err().to_string(),
            "This consent has expired: its last day was 2026-12-01. Ask the client to sign a new one before sharing."
        );
    }

    #[test]
    fn what_relied_on_a_withdrawn_consent_in_words() {
        let r = Reliance::Referral { reference: "R-9".into(), draft: false };
        assert_eq!(r.line("RI-8"), "Consent RI-8 withdrawn: R-9 was sent under it — tell the provider");
        let c = Reliance::Contact { reference: "P-3".into(), name: "Dr Anika Rao".into() };
        assert_eq!(
            c.line("RI-8"),
            "Consent RI-8 withdrawn: tell Dr Anika Rao (P-3) nothing more will be shared"
        );
        assert_eq!(c.reference(), "P-3");
    }

    #[test]
    fn problems_in_plain_words() {
        let today = d(TODAY);
        assert_eq!(
            is_valid_for(&consent(&[], None, None), today, "housing").unwrap_err().to_string(),
            "This consent has not been signed, so nothing may be shared under it yet."
        );
        assert_eq!(
            is_valid_for(&consent(&[], Some("2026-06-01"), None), today, "x").unwrap_err().to_string(),
            "This consent is dated 2026-06-01; nothing may be shared under it before then."
        );
        assert_eq!(
            is_valid_for(&consent(&[], Some("2025-01-01"), Some("2026-01-31")), today, "x")
                .unwrap_err()
                .to_string(),
            "This consent has expired: its last day was 2026-01-31. Ask the client to sign a new one before sharing."
        );
        let mut c = consent(&[], Some("2025-01-01"), None);
        c.revoked_on = Some(d("2026-04-01"));
        assert_eq!(
            is_valid_for(&c, today, "x").unwrap_err().to_string(),
            "The client withdrew this consent on 2026-04-01; nothing more may be shared under it."
        );
        let c = consent(&["medical history"], Some("2025-01-01"), None);
        assert_eq!(
            is_valid_for(&c, today, "income, medical history, debts").unwrap_err().to_string(),
            "This consent does not cover \"income\", \"debts\". Check what the client agreed \
             to share, or ask for a wider consent."
        );
        // A consent not in force is reported before what it covers.
        let c = consent(&["housing"], None, None);
        assert_eq!(is_valid_for(&c, today, "income"), Err(ConsentProblem::NotSigned));
    }

    #[test]
    fn what_it_covers() {
        let today = d(TODAY);
        let ok = |covers: &[&str], what: &str| {
            is_valid_for(&consent(covers, Some("2026-01-01"), None), today, what).is_ok()
        };
        // Everything.
        for covers in [
            &[][..],
            &[""],
            &["  "],
            &["All"],
            &["EVERYTHING"],
            &["all information."],
            &["Any information"],
            &["anything"],
            &["housing", "all"],
        ] {
            assert!(ok(covers, "medical history, income"), "{covers:?}");
            assert!(covers_everything(&consent(covers, None, None)), "{covers:?}");
        }
        assert!(!covers_everything(&consent(&["housing"], None, None)));
        assert!(!covers_everything(&consent(&["all records"], None, None)));

        // Whole words, any case, punctuation and plurals ignored.
        assert!(ok(&["medical history"], "Medical History"));
        assert!(ok(&["medical records"], "medical records summary"));
        assert!(!ok(&["medical records"], "records"));
        assert!(!ok(&["medical records"], "medical history"));
        assert!(ok(&["medical record"], "medical records"));
        assert!(ok(&["medical records"], "Medical record"));
        assert!(ok(&["mental-health"], "mental health assessment"));
        assert!(ok(&["medical history"], "medical history summary"));
        assert!(!ok(&["medical history"], "history"));
        assert!(!ok(&["medical history"], "medical"));
        assert!(!ok(&["housing"], "housekeeping"));
        assert!(!ok(&["income"], "incomes and debts"));
        // Every shared phrase must be covered.
        assert!(ok(&["housing", "income"], "housing and income"));
        assert!(ok(&["housing, income"], "income; housing"));
        assert!(ok(&["housing and income"], "income"));
        assert!(ok(&["housing & income"], "housing / income"));
        assert!(!ok(&["housing"], "housing and income"));
        assert!(!ok(&["housing"], "housing, income"));
        // "and" is split only as a word.
        assert!(ok(&["landlord letters"], "Landlord letter"));
        assert!(!ok(&["land"], "landlord"));
        // Nothing named as shared: only validity matters.
        assert!(ok(&["housing"], ""));
        assert!(ok(&["housing"], " , ; "));

        let c = consent(&["housing"], None, None);
        assert_eq!(uncovered(&c, "Housing, Income ,debts"), ["Income", "debts"]);
        assert!(uncovered(&c, "housing").is_empty());
        // Text outside ASCII splits safely.
        assert_eq!(uncovered(&c, "İncome AND housing"), ["İncome"]);
        assert_eq!(uncovered(&c, "and, And and"), Vec::<String>::new());
    }

    #[test]
    fn new_consent_dates() {
        assert_eq!(
            validate_new(Some(d("2026-05-10")), Some(d("2026-05-09"))),
            Err("The consent would expire before it was signed.")
        );
        assert!(validate_new(Some(d("2026-05-10")), Some(d("2026-05-10"))).is_ok());
        assert!(validate_new(Some(d("2026-05-10")), Some(d("2027-05-10"))).is_ok());
        assert!(validate_new(None, Some(d("2026-05-09"))).is_ok());
        assert!(validate_new(Some(d("2026-05-10")), None).is_ok());
        assert!(validate_new(None, None).is_ok());

        assert_eq!(
            validate_revocation(Some(d("2026-05-10")), d("2026-05-09")),
            Err("A consent cannot be withdrawn before it was signed.")
        );
        assert!(validate_revocation(Some(d("2026-05-10")), d("2026-05-10")).is_ok());
        assert!(validate_revocation(None, d("2026-05-10")).is_ok());
    }
}
