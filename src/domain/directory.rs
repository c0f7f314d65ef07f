//! The resource directory: organisations, the services they run, and the places where those
//! services are delivered (see `case-record.md` §4). Plain types and rules; no I/O.
//!
//! Entries come from two sources: typed by hand (validated here, field by field) and imported
//! from Open Referral HSDS files (`crate::import`), which are kept as given wherever the file's
//! text cannot be understood. Both end up as the records below.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::client::{check_phone, looks_like_email, FieldError};
use super::dates::{format_date, parse_date};
use super::text::{clean_line, clean_multiline, name_key, MAX_FIELD_CHARS};

/// Service references look like `S-0012`: short, stable, typed on the command line, and what a
/// referral points at.
pub fn service_ref(id: i64) -> String {
    format!("S-{id:04}")
}

/// Organisation references look like `O-0003`.
pub fn organisation_ref(id: i64) -> String {
    format!("O-{id:04}")
}

/// Reads `S-0012`, `s-12` or `S12`.
pub fn parse_service_ref(s: &str) -> Option<i64> {
    parse_prefixed(s, 'S')
}

/// Reads `O-0003`, `o-3` or `O3`.
pub fn parse_organisation_ref(s: &str) -> Option<i64> {
    parse_prefixed(s, 'O')
}

fn parse_prefixed(s: &str, prefix: char) -> Option<i64> {
    let s = s.trim();
    let rest = s.strip_prefix(prefix).or_else(|| s.strip_prefix(prefix.to_ascii_lowercase()))?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok().filter(|n| *n > 0)
}

/// An entry whose details were last checked longer ago than this is marked unverified.
pub const VERIFY_EVERY_MONTHS: u32 = 12;

/// How much the details of an entry can be trusted today; derived from the date, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// Checked within the last year.
    Current,
    /// Last checked more than a year ago.
    Stale,
    /// Nobody recorded checking it.
    Never,
}

impl Verification {
    pub fn of(last_verified_on: Option<NaiveDate>, today: NaiveDate) -> Verification {
        match last_verified_on {
            None => Verification::Never,
            Some(d) => {
                let year_ago = Verification::current_since(today);
                if d < year_ago {
                    Verification::Stale
                } else {
                    Verification::Current
                }
            }
        }
    }

    /// True when the entry should carry the "unverified" word.
    /// The first day on which a check still counts as current on `today`.
    pub fn current_since(today: NaiveDate) -> NaiveDate {
        today.checked_sub_months(Months::new(VERIFY_EVERY_MONTHS)).unwrap_or(today)
    }

    pub fn needs_check(self) -> bool {
        self != Verification::Current
    }

    /// The word lists show (colour is never the only signal).
    pub fn word(self) -> &'static str {
        match self {
            Verification::Current => "",
            Verification::Stale | Verification::Never => "unverified",
        }
    }

    /// The sentence a detail view shows.
    pub fn sentence(self, last_verified_on: Option<NaiveDate>) -> String {
        match (self, last_verified_on) {
            (Verification::Current, Some(d)) => format!("Last verified {}.", format_date(d)),
            (Verification::Stale, Some(d)) => {
                format!(
                    "UNVERIFIED: last verified {}, over a year ago. Check before referring.",
                    format_date(d)
                )
            }
            _ => "UNVERIFIED: nobody has recorded checking these details. Check before referring.".into(),
        }
    }
}

/// A phone number of an organisation, service or location, kept as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneRecord {
    pub number: String,
    pub extension: String,
    /// voice, fax, text, cell, textphone… as the source says.
    pub kind: String,
    pub description: String,
    pub languages: String,
}

impl PhoneRecord {
    /// "(0123) 4567 8900 ext. 42 (fax) — Main office"
    pub fn display(&self) -> String {
        let mut s = self.number.clone();
        if !self.extension.is_empty() {
            s.push_str(&format!(" ext. {}", self.extension));
        }
        if !self.kind.is_empty() && !self.kind.eq_ignore_ascii_case("voice") {
            s.push_str(&format!(" ({})", self.kind));
        }
        if !self.description.is_empty() {
            s.push_str(&format!(" — {}", self.description));
        }
        if !self.languages.is_empty() {
            s.push_str(&format!(" [{}]", self.languages));
        }
        s
    }
}

/// Tidies a phone number without reformatting it: surrounding quotes and stray whitespace go,
/// the digits and their grouping stay exactly as given (formats differ between countries).
pub fn tidy_phone(raw: &str) -> String {
    let mut s = clean_line(raw);
    loop {
        let t = s.trim();
        let unwrapped = t
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
        match unwrapped {
            Some(inner) if !inner.is_empty() => s = inner.trim().to_string(),
            _ => break,
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One number read from a phone field: the number as written (vanity letters kept) and its
/// extension, if the field had one inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedPhone {
    pub number: String,
    pub extension: String,
}

/// Words a directory writes in a phone field when there is no phone.
const NO_PHONE_WORDS: &[&str] =
    &["no phone", "no phone number", "no number", "none", "n/a", "na", "not available", "-", "--", "\"\""];

/// True when a phone field says in words that there is no phone (`no phone`, `none`, `n/a`).
pub fn says_no_phone(raw: &str) -> bool {
    let s = tidy_phone(raw).to_lowercase();
    let s = s.trim_end_matches('.').trim();
    NO_PHONE_WORDS.contains(&s)
}

/// Reads a phone field as real directories write it: `(312) 938-2106`, `618.594.6615`,
/// `3125542000`, an extension inside (`ext. 321`, `x 715`, `x331`), a vanity number
/// (`1-800-LAW-REP-4`, `844-RIGHTS-9 (844-744-4879)`, kept as written), two numbers in one
/// field (`; ` or ` or `), each listed on its own, and words for no phone (`no phone`, `none`,
/// `n/a`): no numbers at all. The digits and their grouping are kept as given.
pub fn parse_phones(raw: &str) -> Vec<ParsedPhone> {
    // zero-width characters go, curly quotes are read as straight ones
    let raw: String = raw
        .chars()
        .filter(|c| !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2018}' | '\u{2019}' => '\'',
            c => c,
        })
        .collect();
    let s = tidy_phone(&raw);
    if s.is_empty() || says_no_phone(&s) {
        return Vec::new();
    }
    let mut out: Vec<ParsedPhone> = Vec::new();
    for part in split_numbers(&s) {
        if says_no_phone(&part) {
            continue;
        }
        let (number, extension) = split_extension(&part);
        let number = number.trim_end_matches([',', ';', '-', ' ']).trim().to_string();
        if number.is_empty() {
            continue;
        }
        let p = ParsedPhone { number, extension };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// `a; b`, `a or b`, `a / b` → `a`, `b`.
fn split_numbers(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for chunk in s.split(';') {
        let lower = chunk.to_lowercase();
        let mut rest = chunk;
        let mut rest_lower = lower.as_str();
        loop {
            let cut =
                [" or ", " / "].iter().filter_map(|sep| rest_lower.find(sep).map(|i| (i, sep.len()))).min();
            match cut {
                // byte offsets agree: lower-casing ASCII keeps lengths, and the separators are ASCII
                Some((i, n))
                    if rest.is_char_boundary(i)
                        && rest.is_char_boundary(i + n)
                        && rest.len() == rest_lower.len() =>
                {
                    parts.push(rest[..i].trim().to_string());
                    rest = &rest[i + n..];
                    rest_lower = &rest_lower[i + n..];
                }
                _ => break,
            }
        }
        parts.push(rest.trim().to_string());
    }
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// `847-564-4800 ext. 321`, `… x 715`, `…x331`, `… extension 4` → number and extension. The
/// marker must follow a digit, a space or a bracket, so the X of a vanity word stays.
fn split_extension(part: &str) -> (String, String) {
    let chars: Vec<char> = part.chars().collect();
    let lower: Vec<char> = part.to_lowercase().chars().collect();
    if chars.len() != lower.len() {
        return (part.to_string(), String::new());
    }
    for start in 1..chars.len() {
        let before = chars[start - 1];
        if !(before.is_ascii_digit() || before.is_whitespace() || before == ')' || before == ',') {
            continue;
        }
        let mut i = start;
        let mut matched = false;
        for marker in ["extension", "ext", "x"] {
            let m: Vec<char> = marker.chars().collect();
            if lower[start..].starts_with(&m) {
                i = start + m.len();
                matched = true;
                break;
            }
        }
        if !matched {
            continue;
        }
        while i < chars.len() && matches!(chars[i], '.' | ':' | '#' | ' ') {
            i += 1;
        }
        let digits_start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == digits_start || chars[i..].iter().any(|c| !c.is_whitespace() && *c != ')') {
            continue;
        }
        let number: String = chars[..start].iter().collect();
        if !number.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let ext: String = chars[digits_start..i].iter().collect();
        return (number.trim().to_string(), ext);
    }
    (part.to_string(), String::new())
}

/// An organisation as imported or typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganisationRecord {
    /// The organisation's id in the file it came from (re-imports match on it).
    pub source_id: Option<String>,
    pub name: String,
    pub description: String,
    pub email: String,
    pub website: String,
    pub phones: Vec<PhoneRecord>,
}

/// A place where services are delivered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationRecord {
    pub source_id: Option<String>,
    pub name: String,
    pub description: String,
    /// Street lines, as given.
    pub address: String,
    pub town: String,
    pub region: String,
    pub postcode: String,
    pub country: String,
    pub transport: String,
    pub hours: String,
    pub phones: Vec<PhoneRecord>,
    /// Whose record the address came from when the file gave it to the organisation or the
    /// service instead of a location (`CARRIED_BY_ORGANISATION`, `CARRIED_BY_SERVICE`); empty
    /// for a location of the file itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub carried_by: String,
}

/// `LocationRecord::carried_by` of an address the file gave to the organisation.
pub const CARRIED_BY_ORGANISATION: &str = "organisation";
/// `LocationRecord::carried_by` of an address the file gave to the service itself.
pub const CARRIED_BY_SERVICE: &str = "service";

impl LocationRecord {
    /// "address of the organisation" when the address came from another record than a location.
    pub fn carried_note(&self) -> Option<&'static str> {
        match self.carried_by.as_str() {
            CARRIED_BY_ORGANISATION => Some("address of the organisation"),
            CARRIED_BY_SERVICE => Some("address of the service"),
            _ => None,
        }
    }

    /// What a service's "Where" line says: name, address, and whose address it is.
    pub fn place_line(&self) -> String {
        let mut place = [self.name.clone(), self.full_address()]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        if let Some(note) = self.carried_note() {
            place.push_str(&format!(" ({note})"));
        }
        place
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.address.is_empty() && self.town.is_empty() && self.postcode.is_empty()
    }

    /// "Address 1, Address 2, New York City, NY 10001, US"
    pub fn full_address(&self) -> String {
        let region_post = [self.region.as_str(), self.postcode.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [self.address.as_str(), self.town.as_str(), region_post.as_str(), self.country.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A service as imported or typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub source_id: Option<String>,
    pub name: String,
    pub alternate_name: String,
    pub description: String,
    /// active, inactive, defunct, temporarily closed… as the source says.
    pub status: String,
    pub email: String,
    pub website: String,
    pub hours: String,
    pub eligibility: String,
    pub fees: String,
    pub languages: String,
    pub how_to_refer: String,
    /// Need categories (taxonomy terms), by name.
    pub categories: Vec<String>,
    pub last_verified_on: Option<NaiveDate>,
    pub phones: Vec<PhoneRecord>,
}

/// What the service form (or `directory add`) submits: raw text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceInput {
    /// An organisation reference (O-0003) or name; a new name makes a new organisation.
    pub organisation: String,
    pub name: String,
    pub description: String,
    pub status: String,
    /// One or more numbers, separated by `;` or new lines.
    pub phones: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub town: String,
    pub postcode: String,
    pub hours: String,
    pub eligibility: String,
    pub fees: String,
    pub languages: String,
    pub how_to_refer: String,
    /// Need categories, separated by commas.
    pub categories: String,
    pub last_verified_on: String,
    pub notes: String,
}

/// A service typed by hand, validated: the record, where it is, and the practitioner's notes.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEntry {
    pub organisation: String,
    pub service: ServiceRecord,
    pub location: LocationRecord,
    pub notes: String,
}

/// Statuses offered by the form; others from imports are kept as given.
pub const STATUSES: &[&str] = &["active", "inactive", "temporarily closed", "defunct"];

fn err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

fn line(field: &'static str, raw: &str, max: usize, e: &mut Vec<FieldError>) -> String {
    let v = clean_line(raw);
    if v.chars().count() > max {
        e.push(err(field, format!("Too long: at most {max} characters.")));
    }
    v
}

fn text(field: &'static str, raw: &str, e: &mut Vec<FieldError>) -> String {
    let v = clean_multiline(raw).trim().to_string();
    if v.chars().count() > MAX_FIELD_CHARS {
        e.push(err(field, format!("Too long: at most {MAX_FIELD_CHARS} characters.")));
    }
    v
}

/// A website as people type it: `example.org`, `www.example.org/help`, `https://…`.
pub fn looks_like_website(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).unwrap_or(&lower);
    if rest.contains("://") {
        return false;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Splits a list typed with commas or semicolons into trimmed, distinct items (first spelling wins).
pub fn split_list(raw: &str, separators: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(|c: char| separators.contains(&c) || c == '\n') {
        let v = clean_line(part);
        if !v.is_empty() && !out.iter().any(|o| name_key(o) == name_key(&v)) {
            out.push(v);
        }
    }
    out
}

/// Validates a service typed by hand. All problems are returned at once, each keyed by field.
pub fn validate_service(input: &ServiceInput, today: NaiveDate) -> Result<ServiceEntry, Vec<FieldError>> {
    let mut e = Vec::new();
    let organisation = line("organisation", &input.organisation, 300, &mut e);
    if organisation.is_empty() {
        e.push(err("organisation", "Enter the organisation that runs the service (a name, or O-0003)."));
    }
    let name = line("name", &input.name, 300, &mut e);
    if name.is_empty() {
        e.push(err("name", "Enter the service's name."));
    }
    let mut phones = Vec::new();
    for p in split_list(&input.phones, &[';']) {
        if let Some(m) = check_phone(&p) {
            e.push(err("phones", m));
            break;
        }
        phones.push(PhoneRecord { number: tidy_phone(&p), ..Default::default() });
    }
    let email = line("email", &input.email, 254, &mut e);
    if !email.is_empty() && !looks_like_email(&email) {
        e.push(err("email", "That does not look like an email address (name@example.org)."));
    }
    let website = line("website", &input.website, 1_000, &mut e);
    if !website.is_empty() && !looks_like_website(&website) {
        e.push(err(
            "website",
            "That does not look like a website (example.org or https://example.org/page).",
        ));
    }
    let verified_raw = clean_line(&input.last_verified_on);
    let mut last_verified_on = None;
    if !verified_raw.is_empty() {
        match parse_date(&verified_raw, today) {
            Ok(d) if d > today => e.push(err("last_verified_on", "The last check cannot be in the future.")),
            Ok(d) => last_verified_on = Some(d),
            Err(m) => e.push(err("last_verified_on", m)),
        }
    }
    let status = match line("status", &input.status, 50, &mut e) {
        s if s.is_empty() => "active".to_string(),
        s => match STATUSES.iter().find(|k| k.eq_ignore_ascii_case(&s)) {
            Some(k) => k.to_string(),
            None => {
                e.push(err(
                    "status",
                    format!(
                        "{} is not a service status. Use one of: {}.",
                        crate::domain::text::quote(&s),
                        STATUSES.join(", ")
                    ),
                ));
                String::new()
            }
        },
    };
    let languages = split_list(&input.languages, &[',', ';']).join(", ");
    if languages.chars().count() > limit("languages") {
        e.push(err(
            "languages",
            format!("Too long: the languages hold at most {} characters.", limit("languages")),
        ));
    }
    let service = ServiceRecord {
        source_id: None,
        name,
        alternate_name: String::new(),
        description: text("description", &input.description, &mut e),
        status,
        email,
        website,
        hours: text("hours", &input.hours, &mut e),
        eligibility: text("eligibility", &input.eligibility, &mut e),
        fees: text("fees", &input.fees, &mut e),
        languages,
        how_to_refer: text("how_to_refer", &input.how_to_refer, &mut e),
        categories: split_list(&input.categories, &[',', ';']),
        last_verified_on,
        phones,
    };
    let location = LocationRecord {
        address: line("address", &input.address, 1_000, &mut e),
        town: line("town", &input.town, 200, &mut e),
        postcode: line("postcode", &input.postcode, 50, &mut e),
        ..Default::default()
    };
    let notes = text("notes", &input.notes, &mut e);
    if e.is_empty() {
        Ok(ServiceEntry { organisation, service, location, notes })
    } else {
        Err(e)
    }
}

/// The longest value each field of the directory holds (the service form's limits): an
/// import refuses a file with a longer one, naming where it is.
const LIMITS: &[(&str, usize)] = &[
    ("name", 300),
    ("organisation", 300),
    ("alternate name", 300),
    ("email", 254),
    ("website", 1_000),
    ("address", 1_000),
    ("town", 200),
    ("region", 200),
    ("postcode", 50),
    ("country", 100),
    ("status", 50),
    ("languages", 1_000),
    ("phone", 100),
    ("phone extension", 50),
];

fn limit(field: &str) -> usize {
    LIMITS.iter().find(|(f, _)| *f == field).map(|(_, n)| *n).unwrap_or(crate::domain::text::MAX_FIELD_CHARS)
}

/// A value longer than its field holds, and where: "services.csv row 4: the name is 20000
/// characters; a service's name holds at most 300".
fn too_long(origin: &str, what: &str, field: &str, value: &str) -> Option<String> {
    let n = value.chars().count();
    (n > limit(field)).then(|| {
        format!("{origin}: the {what}'s {field} is {n} characters; it holds at most {}", limit(field))
    })
}

impl DirectoryData {
    /// Every value within what its field holds, as the service form checks it; the first that
    /// is not says where it is.
    pub fn check_limits(&self) -> Result<(), String> {
        let phones = |origin: &str, what: &str, ps: &[PhoneRecord]| {
            ps.iter().find_map(|p| {
                too_long(origin, what, "phone", &p.number)
                    .or_else(|| too_long(origin, what, "phone extension", &p.extension))
                    .or_else(|| too_long(origin, what, "phone description", &p.description))
            })
        };
        for (i, o) in self.organisations.iter().enumerate() {
            let origin = format!("organisation {}", i + 1);
            let found = too_long(&origin, "organisation", "name", &o.name)
                .or_else(|| too_long(&origin, "organisation", "description", &o.description))
                .or_else(|| too_long(&origin, "organisation", "email", &o.email))
                .or_else(|| too_long(&origin, "organisation", "website", &o.website))
                .or_else(|| phones(&origin, "organisation", &o.phones));
            if let Some(m) = found {
                return Err(m);
            }
        }
        for (i, (l, _)) in self.locations.iter().enumerate() {
            let origin = format!("location {}", i + 1);
            let fields = [
                ("name", &l.name),
                ("description", &l.description),
                ("address", &l.address),
                ("town", &l.town),
                ("region", &l.region),
                ("postcode", &l.postcode),
                ("country", &l.country),
                ("transport", &l.transport),
                ("hours", &l.hours),
            ];
            if let Some(m) = fields
                .iter()
                .find_map(|(f, v)| too_long(&origin, "location", f, v))
                .or_else(|| phones(&origin, "location", &l.phones))
            {
                return Err(m);
            }
        }
        for s in &self.services {
            let r = &s.record;
            let fields = [
                ("name", &r.name),
                ("alternate name", &r.alternate_name),
                ("description", &r.description),
                ("status", &r.status),
                ("email", &r.email),
                ("website", &r.website),
                ("hours", &r.hours),
                ("eligibility", &r.eligibility),
                ("fees", &r.fees),
                ("languages", &r.languages),
                ("how to refer", &r.how_to_refer),
            ];
            let found = fields
                .iter()
                .find_map(|(f, v)| too_long(&s.origin, "service", f, v))
                .or_else(|| r.categories.iter().find_map(|c| too_long(&s.origin, "service", "category", c)))
                .or_else(|| phones(&s.origin, "service", &r.phones));
            if let Some(m) = found {
                return Err(m);
            }
        }
        Ok(())
    }
}

/// The records an import found in a file, before they meet the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectoryData {
    /// What the file was ("HSDS datapackage (CSV)", "HSDS 3.0 JSON").
    pub format: String,
    pub organisations: Vec<OrganisationRecord>,
    /// Each location with the index of its organisation in `organisations`, if known.
    pub locations: Vec<(LocationRecord, Option<usize>)>,
    pub services: Vec<ImportedService>,
    /// Rows that could not be used, each with where it was and why.
    pub skipped: Vec<SkippedRow>,
    /// Rows that repeated an earlier row exactly and were merged into it.
    pub duplicates_collapsed: usize,
    /// Values read into something the file did not say plainly (see `Reading`).
    pub interpreted: Vec<Interpreted>,
    /// What the reader had to assume about the files (no datapackage.json, a listed file absent).
    pub assumed: Vec<String>,
    /// Services that repeated another's name and organisation (or all of it but the id), each
    /// merged into the first; their ids are kept as aliases of it.
    pub merged_services: Vec<MergedService>,
}

/// One service row merged into an earlier one that has the same name and organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergedService {
    /// Where the merged row was ("services.csv line 9").
    pub origin: String,
    /// Its id in the file, kept as an alias of the service it was merged into.
    pub source_id: Option<String>,
    /// Where the service it was merged into is, and its name.
    pub into_origin: String,
    pub name: String,
}

/// Who runs an imported service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrganisationLink {
    /// An organisation of the same file (index into `DirectoryData::organisations`).
    InFile(usize),
    /// The file names an organisation it does not contain (or none at all): the store looks
    /// for it among earlier imports, else files the service under a placeholder.
    Missing { source_id: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedService {
    pub record: ServiceRecord,
    pub organisation: OrganisationLink,
    /// Indexes into `DirectoryData::locations`.
    pub locations: Vec<usize>,
    /// Where it was in the file ("services.csv row 4"), for the report.
    pub origin: String,
    /// The ids of the rows merged into it as duplicates: a re-import that meets one of them
    /// (or finds this service under one of them) updates this service.
    pub aliases: Vec<String>,
}

/// What an import read into a value that the file did not say plainly, so the report can say
/// so and the practitioner can check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// A phone field said in words that there is no phone (`no phone`, `none`, `n/a`).
    NoPhone,
    /// A phone field held several numbers, listed separately.
    SeveralPhones,
    /// A service's address came from its organisation's record.
    AddressOfOrganisation,
    /// A service's address came from its own record (not a location).
    AddressOfService,
    /// A closing time before the opening time read as afternoon (12-hour times without am/pm).
    Afternoon,
    /// A service's opening hours came from its organisation's schedule.
    HoursOfOrganisation,
    /// An address line with street, suite and town run together, split where it was glued.
    GluedAddress,
    /// A service whose organisation is not in the file, filed under the organisation of the
    /// places it is at.
    ProviderOfLocation,
    /// A service whose organisation is not in the file, filed under the organisation its
    /// organisation name column names.
    ProviderByName,
}

impl Reading {
    /// The report's line for `n` of them: "33 addresses taken from their organisation".
    pub fn summary(self, n: usize) -> String {
        let (one, many, rest) = match self {
            Reading::NoPhone => (
                "phone field says",
                "phone fields say",
                "there is no phone (\"no phone\", \"none\", \"n/a\"): no number recorded",
            ),
            Reading::SeveralPhones => {
                ("phone field holds", "phone fields hold", "several numbers: each listed on its own")
            }
            Reading::AddressOfOrganisation => ("address", "addresses", "taken from their organisation"),
            Reading::AddressOfService => ("address", "addresses", "taken from the service's own record"),
            Reading::HoursOfOrganisation => {
                ("service's opening hours", "services' opening hours", "taken from their organisation")
            }
            Reading::GluedAddress => (
                "address",
                "addresses",
                "had street, suite and town run together: split where one word was glued to the next — check",
            ),
            Reading::ProviderOfLocation => (
                "service's organisation",
                "services' organisations",
                "not in the file: each filed under the organisation of the place it is at",
            ),
            Reading::ProviderByName => (
                "service's organisation",
                "services' organisations",
                "taken from its organisation name column, as its organisation id names none in the file",
            ),
            Reading::Afternoon => {
                ("opening time", "opening times", "read as afternoon (12-hour times without am/pm) — check")
            }
        };
        format!("{n} {} {rest}", if n == 1 { one } else { many })
    }
}

/// One value an import interpreted, and where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interpreted {
    pub reading: Reading,
    /// "phones.csv line 7".
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// "phones.csv row 7", "record 3".
    pub origin: String,
    pub reason: String,
}

/// How a search typed one key at a time is run. Ranking every service that has a word starting
/// with "f" costs tens of milliseconds at 10,000 services and says little, so the first one or
/// two letters list the services whose names start with them (alphabetically, from the name
/// index), and a short fragment after other words waits until it has three letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedSearch {
    Nothing,
    /// A name key prefix (see `name_key`).
    NameStartsWith(String),
    Words {
        text: String,
        prefix_last: bool,
    },
}

/// Letters the last word needs before it is searched as a prefix of any word.
pub const PREFIX_MIN_CHARS: usize = 3;

pub fn plan_typed_search(text: &str) -> TypedSearch {
    if text.trim().is_empty() {
        return TypedSearch::Nothing;
    }
    if text.contains(['"', '*']) {
        return TypedSearch::Words { text: text.to_string(), prefix_last: true };
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let last = words.last().map(|w| name_key(w)).unwrap_or_default();
    let still_typing = !text.ends_with(char::is_whitespace);
    match words.len() {
        1 if last.chars().count() < PREFIX_MIN_CHARS => {
            if last.is_empty() {
                TypedSearch::Nothing
            } else {
                TypedSearch::NameStartsWith(last)
            }
        }
        n if n > 1 && still_typing && last.chars().count() < PREFIX_MIN_CHARS => {
            TypedSearch::Words { text: words[..n - 1].join(" "), prefix_last: false }
        }
        _ => TypedSearch::Words { text: text.to_string(), prefix_last: true },
    }
}

/// A stable 64-bit fingerprint (FNV-1a) of what a record said when it was imported, so a
/// re-import can tell an unchanged entry from an updated one. Hand-written because std's
/// hasher is not promised to stay the same between Rust releases.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.as_bytes().iter().chain(std::iter::once(&0x1f)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn refs_round_trip() {
        assert_eq!(service_ref(12), "S-0012");
        assert_eq!(organisation_ref(3), "O-0003");
        assert_eq!(parse_service_ref("S-0012"), Some(12));
        assert_eq!(parse_service_ref("s12"), Some(12));
        assert_eq!(parse_service_ref("S-"), None);
        assert_eq!(parse_service_ref("C-0012"), None);
        assert_eq!(parse_organisation_ref("o-3"), Some(3));
        assert_eq!(parse_organisation_ref("Oxfam"), None);
        assert_eq!(parse_service_ref("S-0"), None);
    }

    #[test]
    fn verification_is_derived_from_the_date() {
        let today = d("2026-11-23");
        assert_eq!(Verification::of(None, today), Verification::Never);
        assert_eq!(Verification::of(Some(d("2025-11-23")), today), Verification::Current);
        assert_eq!(Verification::of(Some(d("2025-11-22")), today), Verification::Stale);
        assert!(Verification::Never.needs_check());
        assert_eq!(Verification::Stale.word(), "unverified");
        assert!(Verification::Stale.sentence(Some(d("2024-01-02"))).contains("2024-01-02"));
        assert!(!Verification::Current.needs_check());
    }

    #[test]
    fn phones_are_tidied_not_reformatted() {
        assert_eq!(tidy_phone("\"+44 1234 234567\""), "+44 1234 234567");
        assert_eq!(tidy_phone("  (0123)   4567 8900 "), "(0123) 4567 8900");
        assert_eq!(tidy_phone("call reception"), "call reception");
        assert_eq!(tidy_phone("\"\""), "\"\"");
    }

    #[test]
    fn phone_fields_in_every_shape_read_as_numbers_and_extensions() {
        let one = |raw: &str| -> Vec<(String, String)> {
            parse_phones(raw).into_iter().map(|p| (p.number, p.extension)).collect()
        };
        let n = |num: &str, ext: &str| vec![(num.to_string(), ext.to_string())];
        // the plain shapes keep their digits and grouping
        assert_eq!(one("(312) 938-2106"), n("(312) 938-2106", ""));
        assert_eq!(one("847-564-4800"), n("847-564-4800", ""));
        assert_eq!(one("618.594.6615"), n("618.594.6615", ""));
        assert_eq!(one("3125542000"), n("3125542000", ""));
        assert_eq!(one("  \"+44 20 7946 0000\" "), n("+44 20 7946 0000", ""));
        // extensions inside the number
        assert_eq!(one("847-564-4800 ext. 321"), n("847-564-4800", "321"));
        assert_eq!(one("(312) 938-2106 x 715"), n("(312) 938-2106", "715"));
        assert_eq!(one("312-938-2106x331"), n("312-938-2106", "331"));
        assert_eq!(one("312-938-2106 Ext 12"), n("312-938-2106", "12"));
        assert_eq!(one("312-938-2106, extension 4"), n("312-938-2106", "4"));
        // vanity numbers stay readable, the X of a word is not an extension
        assert_eq!(one("1-800-LAW-REP-4"), n("1-800-LAW-REP-4", ""));
        assert_eq!(one("844-RIGHTS-9 (844-744-4879)"), n("844-RIGHTS-9 (844-744-4879)", ""));
        assert_eq!(one("1-800-TAX-HELP"), n("1-800-TAX-HELP", ""));
        // two numbers in one field, each on its own
        assert_eq!(
            one("(312) 938-2106; 847-564-4800 x 12"),
            vec![("(312) 938-2106".into(), String::new()), ("847-564-4800".into(), "12".into())]
        );
        assert_eq!(
            one("618.594.6615 or 618.594.6616"),
            vec![("618.594.6615".into(), String::new()), ("618.594.6616".into(), String::new())]
        );
        assert_eq!(one("847-564-4800; 847-564-4800"), n("847-564-4800", ""));
        // words instead of a number: no phone
        for none in ["no phone", "None", "N/A", "n/a.", "  NO PHONE ", "\"\"", "", "-"] {
            assert!(parse_phones(none).is_empty(), "{none:?}");
            assert!(none.trim().is_empty() || says_no_phone(none), "{none:?}");
        }
        assert_eq!(one("847-564-4800 or none"), n("847-564-4800", ""));
        // text that is not a number is kept as given, never dropped
        assert_eq!(one("ring the front desk"), n("ring the front desk", ""));
        assert!(!says_no_phone("ring the front desk"));
    }

    /// Every phone read from any shape, with any decoration around it, is clean: no control or
    /// zero-width character, nothing empty, no whitespace at either end.
    #[test]
    fn no_parsed_phone_holds_a_control_character_or_stray_whitespace() {
        let shapes = [
            "(312) 938-2106",
            "847-564-4800 ext. 321",
            "618.594.6615 x 715",
            "3125542000x331",
            "1-800-LAW-REP-4",
            "844-RIGHTS-9 (844-744-4879)",
            "312-555-0109; 312-555-0110",
            "312-555-0111 or 312-555-0112 x 9",
            "no phone",
            "n/a",
            "ring the desk",
        ];
        let around = [
            ("", ""),
            ("  ", "\t"),
            ("\n", "\r\n"),
            ("\u{200B}", "\u{FEFF}"),
            ("\u{7}", "\u{0}"),
            ("\"", "\""),
            ("\u{201C}", "\u{201D}"),
            (" \u{200B} ", " ; "),
        ];
        let inside = ["", "\u{200B}", "\t", "\u{1b}"];
        let mut seen = 0;
        for shape in shapes {
            for (before, after) in around {
                for mark in inside {
                    let raw = format!("{before}{}{after}", shape.replacen(' ', &format!(" {mark}"), 1));
                    for p in parse_phones(&raw) {
                        for v in [&p.number, &p.extension] {
                            assert!(
                                !v.chars().any(|c| c.is_control() || matches!(c, '\u{200B}' | '\u{FEFF}')),
                                "{raw:?} → {v:?}"
                            );
                            assert_eq!(v.trim(), v.as_str(), "{raw:?} → {v:?}");
                        }
                        assert!(!p.number.is_empty(), "{raw:?}");
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 200, "{seen}");
        assert_eq!(parse_phones("\u{201C}847-564-4800 x 12\u{201D}")[0].extension, "12");
    }

    #[test]
    fn websites() {
        for ok in ["example.org", "https://example.org/help?x=1", "www.example.co.uk", "http://a.b:8080/x"] {
            assert!(looks_like_website(ok), "{ok}");
        }
        for bad in ["example", "http://", "ftp://example.org", "exa mple.org", ".org", "javascript:alert(1)"]
        {
            assert!(!looks_like_website(bad), "{bad}");
        }
    }

    #[test]
    fn a_hand_typed_service_is_validated_field_by_field() {
        let today = d("2026-11-23");
        let input = ServiceInput {
            organisation: " Riverside Food Bank ".into(),
            name: "Emergency food parcels".into(),
            phones: "555-0100; 555-0101 ext 2".into(),
            email: "help@example.org".into(),
            website: "example.org".into(),
            languages: "English, Polish, english".into(),
            categories: "Food; food bank, Food".into(),
            last_verified_on: "2026-01-10".into(),
            notes: "Ask for Sam.\nClosed on bank holidays.".into(),
            ..Default::default()
        };
        let e = validate_service(&input, today).unwrap();
        assert_eq!(e.organisation, "Riverside Food Bank");
        assert_eq!(e.service.phones.len(), 2);
        assert_eq!(e.service.languages, "English, Polish");
        assert_eq!(e.service.categories, vec!["Food", "food bank"]);
        assert_eq!(e.service.status, "active");
        assert_eq!(e.notes, "Ask for Sam.\nClosed on bank holidays.");

        let bad = ServiceInput {
            email: "nope".into(),
            website: "not a site".into(),
            phones: "call us".into(),
            last_verified_on: "+3d".into(),
            ..Default::default()
        };
        let errs = validate_service(&bad, today).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["organisation", "name", "phones", "email", "website", "last_verified_on"]);
    }

    #[test]
    fn locations_format_their_address() {
        let l = LocationRecord {
            address: "Address 1, Address 2".into(),
            town: "New York City".into(),
            region: "NY".into(),
            postcode: "10001".into(),
            country: "US".into(),
            ..Default::default()
        };
        assert_eq!(l.full_address(), "Address 1, Address 2, New York City, NY 10001, US");
        assert!(LocationRecord::default().is_empty());
    }

    #[test]
    fn typed_searches_start_with_names_and_wait_for_three_letters() {
        use TypedSearch::*;
        assert_eq!(plan_typed_search("  "), Nothing);
        assert_eq!(plan_typed_search("F"), NameStartsWith("f".into()));
        assert_eq!(plan_typed_search("fö"), NameStartsWith("fo".into()));
        assert_eq!(plan_typed_search("!!"), Nothing);
        assert_eq!(plan_typed_search("foo"), Words { text: "foo".into(), prefix_last: true });
        assert_eq!(plan_typed_search("food ri"), Words { text: "food".into(), prefix_last: false });
        assert_eq!(plan_typed_search("food riv"), Words { text: "food riv".into(), prefix_last: true });
        assert_eq!(plan_typed_search("food "), Words { text: "food ".into(), prefix_last: true });
        assert_eq!(plan_typed_search("\"a\""), Words { text: "\"a\"".into(), prefix_last: true });
    }

    #[test]
    fn fingerprints_are_stable_and_separate_fields() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&[]), "cbf29ce484222325");
    }
}
