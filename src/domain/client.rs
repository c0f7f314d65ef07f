//! The client and their intake: who they are, how to reach them safely, why they came.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::dates::{age_on, format_date, parse_date};
use super::text::{clean_line, clean_multiline, name_key, name_similarity, MAX_FIELD_CHARS};

/// Client references look like `C-0042`: short, stable, typed on the command line.
pub fn client_ref(id: i64) -> String {
    format!("C-{id:04}")
}

/// Reads `C-0042`, `c-42` or `C42`; anything else is not a reference.
pub fn parse_client_ref(s: &str) -> Option<i64> {
    let s = s.trim();
    let rest = s.strip_prefix('C').or_else(|| s.strip_prefix('c'))?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok().filter(|n| *n > 0)
}

/// "Maria López" from the stored given and family names (either may be empty).
pub fn joined_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    #[default]
    Open,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Self {
        if s == "closed" {
            CaseStatus::Closed
        } else {
            CaseStatus::Open
        }
    }
}

/// Where referrals come from; the practitioner can also type their own.
pub const REFERRAL_SOURCES: &[&str] = &[
    "self",
    "family or friend",
    "hospital",
    "GP / primary care",
    "mental health service",
    "school",
    "court / probation",
    "police",
    "child protection",
    "another agency",
    "other",
];

/// A client's intake record as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Client {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: String,
    pub pronouns: String,
    /// Sex (or gender) as the client's own genogram symbol: female, male, other or unknown.
    #[serde(default = "unknown_sex")]
    pub sex: String,
    pub date_of_birth: Option<NaiveDate>,
    /// True when the birth date was derived from an age estimate.
    pub birth_date_estimated: bool,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub language: String,
    pub interpreter_needed: bool,
    pub best_contact: String,
    /// None: not asked yet.
    pub safe_to_leave_message: Option<bool>,
    pub referral_source: String,
    pub referral_reason: String,
    pub intake_date: NaiveDate,
    pub programme: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relation: String,
    pub external_id: String,
    pub status: CaseStatus,
    pub last_contact_at: Option<String>,
    /// Highest open risk flag ("medium"/"high"), kept by the store.
    #[serde(default)]
    pub risk_level: Option<String>,
    /// Safety alerts not yet acknowledged, kept by the store.
    #[serde(default)]
    pub open_alerts: i64,
}

impl Client {
    pub fn full_name(&self) -> String {
        joined_name(&self.given_name, &self.family_name)
    }

    /// "Maria José López (Majo)" — how a client is named on screens.
    pub fn display_name(&self) -> String {
        if self.preferred_name.is_empty() || self.preferred_name == self.given_name {
            self.full_name()
        } else {
            format!("{} ({})", self.full_name(), self.preferred_name)
        }
    }

    pub fn age(&self, today: NaiveDate) -> Option<u32> {
        self.date_of_birth.and_then(|d| age_on(d, today))
    }

    /// Age as shown: "34", or "~34" when estimated.
    pub fn age_text(&self, today: NaiveDate) -> String {
        match self.age(today) {
            Some(a) if self.birth_date_estimated => format!("~{a}"),
            Some(a) => a.to_string(),
            None => String::new(),
        }
    }

    /// Short warnings the header shows on every screen of the file.
    pub fn flags(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        // safety first: these must never be missed
        match self.risk_level.as_deref() {
            Some("high") => f.push("RISK HIGH"),
            Some(_) => f.push("RISK MEDIUM"),
            None => {}
        }
        if self.open_alerts > 0 {
            f.push("SAFETY ALERT");
        }
        if self.safe_to_leave_message == Some(false) {
            f.push("NO MESSAGES");
        }
        if self.interpreter_needed {
            f.push("INTERPRETER");
        }
        f
    }

    /// Compact flags for list columns.
    pub fn short_flags(&self) -> String {
        let mut f = Vec::new();
        match self.risk_level.as_deref() {
            Some("high") => f.push("RISK-HIGH"),
            Some(_) => f.push("RISK-MED"),
            None => {}
        }
        if self.open_alerts > 0 {
            f.push("ALERT");
        }
        if self.safe_to_leave_message == Some(false) {
            f.push("no-msg");
        }
        if self.interpreter_needed {
            f.push("interp");
        }
        f.join(" ")
    }

    pub fn search_key(&self) -> String {
        search_key(&self.given_name, &self.family_name, &self.preferred_name)
    }
}

pub fn search_key(given: &str, family: &str, preferred: &str) -> String {
    name_key(&format!("{given} {family} {preferred}"))
}

pub fn sort_key(given: &str, family: &str) -> String {
    name_key(&format!("{family} {given}"))
}

/// What the intake form (or `client add`) submits: raw text, validated into a `Client`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntakeInput {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: String,
    pub pronouns: String,
    /// female, male, other, or empty / unknown (not recorded).
    #[serde(default)]
    pub sex: String,
    pub date_of_birth: String,
    pub age_estimate: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub language: String,
    pub interpreter_needed: String,
    pub best_contact: String,
    pub safe_to_leave_message: String,
    pub referral_source: String,
    pub referral_reason: String,
    pub intake_date: String,
    pub programme: String,
    pub emergency_contact_name: String,
    pub emergency_contact_phone: String,
    pub emergency_contact_relation: String,
    pub external_id: String,
}

/// A problem with one field, in words the practitioner can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.replace('_', " "), self.message)
    }
}

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

const NAME_MAX: usize = 200;
const LINE_MAX: usize = 1_000;

fn line(field: &'static str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = clean_line(raw);
    if v.chars().count() > max {
        errors.push(err(field, format!("Too long: at most {max} characters.")));
    }
    v
}

pub fn parse_yes_no(raw: &str) -> Result<Option<bool>, String> {
    match clean_line(raw).to_lowercase().as_str() {
        "" | "unknown" | "not asked" | "?" => Ok(None),
        "yes" | "y" | "true" | "1" => Ok(Some(true)),
        "no" | "n" | "false" | "0" => Ok(Some(false)),
        _ => Err("Answer yes or no (or leave it empty if not asked).".into()),
    }
}

pub fn yes_no_text(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

fn unknown_sex() -> String {
    "unknown".into()
}

/// Validates intake input. All problems are returned at once, each keyed by field.
pub fn validate_intake(input: &IntakeInput, today: NaiveDate) -> Result<Client, Vec<FieldError>> {
    let mut e = Vec::new();
    let given_name = line("given_name", &input.given_name, NAME_MAX, &mut e);
    let family_name = line("family_name", &input.family_name, NAME_MAX, &mut e);
    if given_name.is_empty() {
        e.push(err("given_name", "Enter the client's given (first) name."));
    }
    if family_name.is_empty() {
        e.push(err("family_name", "Enter the client's family name (or \"Unknown\")."));
    }
    let preferred_name = line("preferred_name", &input.preferred_name, NAME_MAX, &mut e);
    let pronouns = line("pronouns", &input.pronouns, 50, &mut e);
    let sex = match crate::domain::genogram::Sex::parse(&input.sex) {
        Some(s) => s.as_str().to_string(),
        None => {
            e.push(err("sex", "Choose female, male, other or not recorded."));
            String::new()
        }
    };

    let mut date_of_birth = None;
    let mut birth_date_estimated = false;
    let dob_raw = clean_line(&input.date_of_birth);
    if !dob_raw.is_empty() {
        match parse_date(&dob_raw, today) {
            Ok(d) if d > today => e.push(err("date_of_birth", "The date of birth is in the future.")),
            Ok(d) if today.year() - d.year() > 125 => {
                e.push(err("date_of_birth", "That is more than 125 years ago; check the year."))
            }
            Ok(d) => date_of_birth = Some(d),
            Err(m) => e.push(err("date_of_birth", m)),
        }
    }
    let age_raw = clean_line(&input.age_estimate);
    if !age_raw.is_empty() {
        match age_raw.parse::<u32>() {
            Ok(_) if date_of_birth.is_some() => {}
            Ok(a) if a <= 125 => {
                // Mid-year of the estimated birth year keeps the age right half the time either way.
                date_of_birth = NaiveDate::from_ymd_opt(today.year() - a as i32, 7, 1);
                birth_date_estimated = true;
            }
            _ => e.push(err("age_estimate", "Enter the age in whole years (0–125).")),
        }
    }

    let phone = line("phone", &input.phone, 100, &mut e);
    if let Some(m) = check_phone(&phone) {
        e.push(err("phone", m));
    }
    let email = line("email", &input.email, 254, &mut e);
    if !email.is_empty() && !looks_like_email(&email) {
        e.push(err("email", "That does not look like an email address (name@example.org)."));
    }
    let address = line("address", &input.address, LINE_MAX, &mut e);
    let language = line("language", &input.language, 100, &mut e);
    let interpreter_needed = match parse_yes_no(&input.interpreter_needed) {
        Ok(v) => v.unwrap_or(false),
        Err(m) => {
            e.push(err("interpreter_needed", m));
            false
        }
    };
    let best_contact = line("best_contact", &input.best_contact, LINE_MAX, &mut e);
    let safe_to_leave_message = match parse_yes_no(&input.safe_to_leave_message) {
        Ok(v) => v,
        Err(m) => {
            e.push(err("safe_to_leave_message", m));
            None
        }
    };
    let referral_source = line("referral_source", &input.referral_source, 200, &mut e);
    let referral_reason = clean_multiline(&input.referral_reason);
    if referral_reason.chars().count() > MAX_FIELD_CHARS {
        e.push(err("referral_reason", format!("Too long: at most {MAX_FIELD_CHARS} characters.")));
    }
    let intake_raw = clean_line(&input.intake_date);
    let intake_date = if intake_raw.is_empty() {
        today
    } else {
        match parse_date(&intake_raw, today) {
            Ok(d) if d > today => {
                e.push(err("intake_date", "The intake date cannot be in the future."));
                today
            }
            Ok(d) => d,
            Err(m) => {
                e.push(err("intake_date", m));
                today
            }
        }
    };
    if let (Some(dob), false) = (date_of_birth, birth_date_estimated) {
        if dob > intake_date && !e.iter().any(|x| x.field == "date_of_birth") {
            e.push(err("date_of_birth", "The date of birth is after the intake date."));
        }
    }
    let programme = line("programme", &input.programme, 200, &mut e);
    let emergency_contact_name =
        line("emergency_contact_name", &input.emergency_contact_name, NAME_MAX, &mut e);
    let emergency_contact_phone =
        line("emergency_contact_phone", &input.emergency_contact_phone, 100, &mut e);
    if let Some(m) = check_phone(&emergency_contact_phone) {
        e.push(err("emergency_contact_phone", m));
    }
    let emergency_contact_relation =
        line("emergency_contact_relation", &input.emergency_contact_relation, 100, &mut e);
    let external_id = line("external_id", &input.external_id, 100, &mut e);

    if !e.is_empty() {
        return Err(e);
    }
    Ok(Client {
        reference: String::new(),
        id: 0,
        given_name,
        family_name,
        preferred_name,
        pronouns,
        sex,
        date_of_birth,
        birth_date_estimated,
        phone,
        email,
        address,
        language,
        interpreter_needed,
        best_contact,
        safe_to_leave_message,
        referral_source,
        referral_reason,
        intake_date,
        programme,
        emergency_contact_name,
        emergency_contact_phone,
        emergency_contact_relation,
        external_id,
        status: CaseStatus::Open,
        last_contact_at: None,
        risk_level: None,
        open_alerts: 0,
    })
}

/// The inverse of validation: a stored client as form input, for editing.
pub fn intake_input_of(c: &Client) -> IntakeInput {
    IntakeInput {
        given_name: c.given_name.clone(),
        family_name: c.family_name.clone(),
        preferred_name: c.preferred_name.clone(),
        pronouns: c.pronouns.clone(),
        sex: if c.sex == "unknown" { String::new() } else { c.sex.clone() },
        date_of_birth: if c.birth_date_estimated {
            String::new()
        } else {
            c.date_of_birth.map(format_date).unwrap_or_default()
        },
        age_estimate: if c.birth_date_estimated {
            c.date_of_birth.and_then(|d| age_on(d, c.intake_date)).map(|a| a.to_string()).unwrap_or_default()
        } else {
            String::new()
        },
        phone: c.phone.clone(),
        email: c.email.clone(),
        address: c.address.clone(),
        language: c.language.clone(),
        interpreter_needed: if c.interpreter_needed { "yes" } else { "no" }.into(),
        best_contact: c.best_contact.clone(),
        safe_to_leave_message: yes_no_text(c.safe_to_leave_message).into(),
        referral_source: c.referral_source.clone(),
        referral_reason: c.referral_reason.clone(),
        intake_date: format_date(c.intake_date),
        programme: c.programme.clone(),
        emergency_contact_name: c.emergency_contact_name.clone(),
        emergency_contact_phone: c.emergency_contact_phone.clone(),
        emergency_contact_relation: c.emergency_contact_relation.clone(),
        external_id: c.external_id.clone(),
    }
}

pub(crate) fn check_phone(p: &str) -> Option<String> {
    if p.is_empty() {
        return None;
    }
    let ok = p.chars().all(|c| c.is_ascii_digit() || " +()-./xX#,;".contains(c) || c.is_alphabetic());
    let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
    if !ok || digits < 3 {
        Some("A phone number needs digits (spaces, + ( ) - . and \"ext\" are fine).".into())
    } else {
        None
    }
}

pub(crate) fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(' ')
        }
        None => false,
    }
}

/// An existing client who may be the same person as the one being taken in.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateCandidate {
    pub id: i64,
    pub similarity: f64,
    pub reason: String,
}

/// What the duplicate check needs to know about an existing client.
pub struct NameRecord<'a> {
    pub id: i64,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub preferred_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub birth_date_estimated: bool,
    pub phone: &'a str,
}

/// Name similarity at or above which two people are "likely the same".
const SAME_NAME: f64 = 0.82;

/// Compares a new intake with one existing client. Names are compared ignoring case,
/// accents and punctuation, and fuzzily; with birth dates when both have a real one. A name
/// shortened at intake ("Maria Nunez" for "María José Nuñez-O'Brien") is caught by the same
/// birth date with the first given name and a family name in common, and anyone by the same
/// phone number.
pub fn duplicate_of(new: &Client, existing: &NameRecord<'_>) -> Option<DuplicateCandidate> {
    let sim = name_match(new, existing);
    let both_dates = match (new.date_of_birth, existing.date_of_birth) {
        (Some(x), Some(y)) if !new.birth_date_estimated && !existing.birth_date_estimated => Some(x == y),
        _ => None,
    };
    let hit = |similarity: f64, reason: &str| {
        Some(DuplicateCandidate { id: existing.id, similarity, reason: reason.into() })
    };
    match both_dates {
        Some(true) if sim > 0.99 => hit(sim, "same name and date of birth"),
        Some(true) if sim >= 0.6 => hit(sim, "similar name, same date of birth"),
        Some(true) if shares_first_and_family_name(new, existing) => {
            hit(sim.max(0.6), "same first name, a family name in common, same date of birth")
        }
        None if sim > 0.99 => hit(sim, "same name"),
        None if sim >= SAME_NAME => hit(sim, "similar name"),
        _ if same_phone(&new.phone, existing.phone) => hit(sim.max(0.5), "same phone number"),
        _ => None,
    }
}

/// How alike the two names are (0–1), the preferred name standing in for the given name too
/// ("Majo López" vs "María José López").
fn name_match(new: &Client, existing: &NameRecord<'_>) -> f64 {
    let a = name_key(&format!("{} {}", new.given_name, new.family_name));
    let b = name_key(&format!("{} {}", existing.given_name, existing.family_name));
    let mut sim = name_similarity(&a, &b);
    for (x, y) in [
        (&new.preferred_name as &str, existing.given_name),
        (new.given_name.as_str(), existing.preferred_name),
    ] {
        if !x.is_empty() && !y.is_empty() {
            let alt_a = name_key(&format!("{} {}", x, new.family_name));
            let alt_b = name_key(&format!("{} {}", y, existing.family_name));
            sim = sim.max(name_similarity(&alt_a, &alt_b));
        }
    }
    sim
}

/// The same first given name, and a family name token in common ("Nunez" of
/// "Nuñez-O'Brien"), accents and case ignored.
fn shares_first_and_family_name(new: &Client, existing: &NameRecord<'_>) -> bool {
    let first = |g: &str| name_tokens(g).into_iter().next();
    let same_first =
        matches!((first(&new.given_name), first(existing.given_name)), (Some(a), Some(b)) if a == b);
    let theirs = name_tokens(existing.family_name);
    same_first && name_tokens(&new.family_name).iter().any(|t| t.chars().count() > 1 && theirs.contains(t))
}

/// A name's words for matching: accents and case folded, split at spaces, hyphens and
/// apostrophes, with the apostrophe-joined form too (O'Brien: "o", "brien" and "obrien").
pub fn name_tokens(name: &str) -> Vec<String> {
    let split = name.replace(['\'', '’', '‘', 'ʼ', '`'], " ");
    let mut out: Vec<String> = name_key(&split).split(' ').map(str::to_string).collect();
    for t in name_key(name).split(' ') {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// A phone number's digits, for comparing numbers written differently.
pub fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// The fewest digits a phone number has for two to be called the same.
const PHONE_MIN_DIGITS: usize = 6;

fn same_phone(a: &str, b: &str) -> bool {
    let a = phone_digits(a);
    a.len() >= PHONE_MIN_DIGITS && a == phone_digits(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn input(given: &str, family: &str) -> IntakeInput {
        IntakeInput { given_name: given.into(), family_name: family.into(), ..Default::default() }
    }

    #[test]
    fn refs_round_trip() {
        assert_eq!(client_ref(42), "C-0042");
        assert_eq!(client_ref(123456), "C-123456");
        assert_eq!(parse_client_ref("C-0042"), Some(42));
        assert_eq!(parse_client_ref("c42"), Some(42));
        assert_eq!(parse_client_ref("Carla"), None);
        assert_eq!(parse_client_ref("C-"), None);
        assert_eq!(parse_client_ref("C-0"), None);
    }

    #[test]
    fn empty_names_are_refused_at_their_field() {
        let errs = validate_intake(&input("  ", ""), today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["given_name", "family_name"]);
    }

    #[test]
    fn future_and_impossible_birth_dates_are_refused() {
        let mut i = input("Ada", "Lovelace");
        i.date_of_birth = "tomorrow".into();
        let e = validate_intake(&i, today()).unwrap_err();
        assert!(e[0].message.contains("future"));
        i.date_of_birth = "2001-02-29".into();
        let e = validate_intake(&i, today()).unwrap_err();
        assert_eq!(e[0].field, "date_of_birth");
        i.date_of_birth = "1990-05-01".into();
        let c = validate_intake(&i, today()).unwrap();
        assert_eq!(c.age(today()), Some(36));
        assert_eq!(c.intake_date, today());
    }

    #[test]
    fn age_estimates_become_estimated_birth_dates() {
        let mut i = input("Ada", "Lovelace");
        i.age_estimate = "40".into();
        let c = validate_intake(&i, today()).unwrap();
        assert!(c.birth_date_estimated);
        assert_eq!(c.age_text(today()), "~40");
        i.age_estimate = "forty".into();
        assert_eq!(validate_intake(&i, today()).unwrap_err()[0].field, "age_estimate");
    }

    #[test]
    fn contact_fields_are_checked() {
        let mut i = input("Ada", "Lovelace");
        i.phone = "call me".into();
        i.email = "nope".into();
        i.safe_to_leave_message = "maybe".into();
        let fields: Vec<_> = validate_intake(&i, today()).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["phone", "email", "safe_to_leave_message"]);
        i.phone = "+1 (555) 010-2030 ext 4".into();
        i.email = "ada@example.org".into();
        i.safe_to_leave_message = "no".into();
        let c = validate_intake(&i, today()).unwrap();
        assert_eq!(c.flags(), vec!["NO MESSAGES"]);
    }

    #[test]
    fn nasty_text_is_stored_clean_or_refused() {
        let mut i = input("\u{1b}[31mred\u{1b}[0m", "王小明");
        i.referral_reason = "line one\r\nline two\u{0}\r\n".into();
        let c = validate_intake(&i, today()).unwrap();
        assert_eq!(c.given_name, "[31mred[0m");
        assert_eq!(c.referral_reason, "line one\nline two");
        let huge = "a".repeat(20_000);
        let e = validate_intake(&input(&huge, "X"), today()).unwrap_err();
        assert!(e[0].message.contains("Too long"));
    }

    fn record<'a>(id: i64, g: &'a str, f: &'a str, dob: Option<NaiveDate>) -> NameRecord<'a> {
        NameRecord {
            id,
            given_name: g,
            family_name: f,
            preferred_name: "",
            date_of_birth: dob,
            birth_date_estimated: false,
            phone: "",
        }
    }

    #[test]
    fn duplicates_ignore_accents_and_punctuation() {
        let new = validate_intake(&input("Ana", "Nuñez-O'Brien"), today()).unwrap();
        let hit = duplicate_of(&new, &record(7, "ana", "Nunez OBrien", None)).unwrap();
        assert_eq!(hit.reason, "same name");
        assert!(duplicate_of(&new, &record(8, "Ana", "Nunes O Brian", None)).is_some());
        assert!(duplicate_of(&new, &record(9, "Peter", "Smith", None)).is_none());
    }

    #[test]
    fn birth_dates_decide_when_both_have_one() {
        let d1 = NaiveDate::from_ymd_opt(1990, 1, 1);
        let d2 = NaiveDate::from_ymd_opt(1985, 6, 6);
        let mut i = input("Jon", "Smith");
        i.date_of_birth = "1990-01-01".into();
        let new = validate_intake(&i, today()).unwrap();
        assert!(duplicate_of(&new, &record(1, "John", "Smith", d1)).is_some());
        assert!(duplicate_of(&new, &record(2, "John", "Smith", d2)).is_none());
        // only one has a date: the name alone decides
        assert!(duplicate_of(&new, &record(3, "John", "Smith", None)).is_some());
    }

    fn born(given: &str, family: &str, dob: &str) -> Client {
        let mut i = input(given, family);
        i.date_of_birth = dob.into();
        validate_intake(&i, today()).unwrap()
    }

    #[test]
    fn a_shortened_name_with_the_same_birth_date_is_a_likely_duplicate() {
        let dob = NaiveDate::from_ymd_opt(1988, 4, 30);
        let existing = record(4, "María José", "Nuñez-O'Brien", dob);
        let hit = duplicate_of(&born("Maria", "Nunez", "1988-04-30"), &existing).unwrap();
        assert_eq!(hit.reason, "same first name, a family name in common, same date of birth");
        // the other family name, in any case, with or without its apostrophe
        assert!(duplicate_of(&born("MARIA", "obrien", "1988-04-30"), &existing).is_some());
        assert!(duplicate_of(&born("maría", "Brien", "1988-04-30"), &existing).is_some());
        // and the other way round: the shortened name is the one on file
        let short = record(5, "Maria", "Nunez", dob);
        assert!(duplicate_of(&born("María José", "Nuñez-O'Brien", "1988-04-30"), &short).is_some());
    }

    #[test]
    fn a_shortened_name_needs_the_same_birth_date_and_both_names() {
        let existing = record(4, "María José", "Nuñez-O'Brien", NaiveDate::from_ymd_opt(1988, 4, 30));
        for (g, f, dob) in [
            ("Maria", "Nunez", "1988-04-29"), // another day
            ("Maria", "Nunez", ""),           // no birth date: the names are too far apart
            ("José", "Nunez", "1988-04-30"),  // not the first given name
            ("Maria", "Smith", "1988-04-30"), // no family name in common
            ("Maria", "O", "1988-04-30"),     // a lone letter is no family name
        ] {
            assert!(duplicate_of(&born(g, f, dob), &existing).is_none(), "{g} {f} {dob}");
        }
    }

    #[test]
    fn the_same_phone_number_is_a_likely_duplicate_however_it_is_written() {
        let mut existing = record(4, "Robin", "Ash", None);
        existing.phone = "+1 (555) 010-0199";
        let mut i = input("Sam", "Birch");
        i.phone = "1 555 0100199".into();
        let hit = duplicate_of(&validate_intake(&i, today()).unwrap(), &existing).unwrap();
        assert_eq!(hit.reason, "same phone number");
        i.phone = "555 0100 198".into();
        assert!(duplicate_of(&validate_intake(&i, today()).unwrap(), &existing).is_none());
        // too few digits to tell anyone apart
        existing.phone = "12-34";
        i.phone = "1234".into();
        assert!(duplicate_of(&validate_intake(&i, today()).unwrap(), &existing).is_none());
    }

    #[test]
    fn name_tokens_split_at_hyphens_and_apostrophes() {
        assert_eq!(name_tokens("Nuñez-O'Brien"), vec!["nunez", "o", "brien", "obrien"]);
        assert_eq!(name_tokens("  María   José "), vec!["maria", "jose"]);
        assert_eq!(phone_digits("+44 (0)20-7946 0958"), "4402079460958");
    }
}
