//! Open Referral HSDS → directory records. Pure: tables of text (read from a CSV datapackage,
//! or flattened from HSDS 3.0 JSON) in, `DirectoryData` out, with every row that could not be
//! used listed with its reason.
//!
//! One mapping serves HSDS 1.x/2.x and 3.0 alike: 3.0 JSON nests what the CSV form links by
//! `*_id` columns, so it is flattened into the same tables first (`flatten_json`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::ImportRefused;
use crate::domain::dates::parse_ymd;
use crate::domain::directory::{
    parse_phones, says_no_phone, DirectoryData, ImportedService, Interpreted, LocationRecord, MergedService,
    OrganisationLink, OrganisationRecord, PhoneRecord, Reading, ServiceRecord, SkippedRow,
    CARRIED_BY_ORGANISATION, CARRIED_BY_SERVICE,
};
use crate::domain::text::{clean_line, clean_multiline, name_key};

/// Ids made up for nested JSON records that have none; they link rows but are never stored
/// (a control character cannot survive `clean_line`, so no real id can look like this).
const GENERATED: char = '\u{1}';

/// One row: where it came from and its values by (lower-case) column name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub origin: String,
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// As the user knows it: the file name, or the JSON record kind.
    pub file: String,
    pub columns: BTreeSet<String>,
    pub rows: Vec<Row>,
}

/// The tables of one import, keyed by canonical name (`service`, `phone`, `service_at_location`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub tables: BTreeMap<String, Table>,
}

impl Tables {
    pub fn insert(&mut self, canonical: String, table: Table) {
        self.tables.insert(canonical, table);
    }

    fn push(&mut self, table: &str, origin: String, fields: BTreeMap<String, String>) {
        let t = self
            .tables
            .entry(table.to_string())
            .or_insert_with(|| Table { file: format!("{table} records"), ..Default::default() });
        t.columns.extend(fields.keys().cloned());
        t.rows.push(Row { origin, fields });
    }

    fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map(|t| t.rows.as_slice()).unwrap_or(&[])
    }
}

/// `services.csv`, `Services`, `service`, `organisations` → `service`, `organization`: tables
/// are found by resource or file name, singular or plural, either spelling.
pub fn canonical_table_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.strip_suffix(".csv").or_else(|| base.strip_suffix(".CSV")).unwrap_or(base);
    base.to_lowercase()
        .split(['_', '-', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = if let Some(stem) = w.strip_suffix("ies").filter(|s| s.len() > 1) {
                format!("{stem}y")
            } else if let Some(stem) = w.strip_suffix("sses") {
                format!("{stem}ss")
            } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w.to_string()
            };
            if w == "organisation" {
                "organization".to_string()
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join("_")
}

struct R<'a>(&'a Row);

impl R<'_> {
    fn raw(&self, col: &str) -> &str {
        self.0.fields.get(col).map(String::as_str).unwrap_or("")
    }
    /// The first non-empty of the columns, on one line (see `import_line`).
    fn get(&self, cols: &[&str]) -> String {
        cols.iter().map(|c| import_line(self.raw(c))).find(|v| !v.is_empty()).unwrap_or_default()
    }
    /// Multi-line text, its lines kept (see `import_text`).
    fn text(&self, cols: &[&str]) -> String {
        cols.iter().map(|c| import_text(self.raw(c))).find(|v| !v.is_empty()).unwrap_or_default()
    }
    fn id(&self) -> String {
        self.get(&["id"])
    }
    fn origin(&self) -> String {
        self.0.origin.clone()
    }
}

/// Zero-width characters that real exports leave in text (zero-width space and non-joiner,
/// word joiner, byte-order mark): never meant, so removed. A joiner inside an emoji is kept.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}')
}

/// The quoted empty string some exports write for "no value": `""` (or `''`, `“”`) alone.
fn is_quoted_empty(s: &str) -> bool {
    matches!(s.trim(), "\"\"" | "''" | "\u{201C}\u{201D}")
}

/// One line of imported text: controls and zero-width characters removed, embedded line
/// breaks and runs of spaces or indentation collapsed to one space, the quoted empty string as
/// empty. Curly quotes and every other character are kept.
pub fn import_line(raw: &str) -> String {
    if is_quoted_empty(raw) {
        return String::new();
    }
    let cleaned: String = clean_line(raw).chars().filter(|&c| !is_zero_width(c)).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Multi-line imported text: each line as `import_line` makes it (indentation and runs of
/// spaces collapsed), runs of blank lines collapsed to one line break, the quoted empty string
/// as empty.
pub fn import_text(raw: &str) -> String {
    if is_quoted_empty(raw) {
        return String::new();
    }
    clean_multiline(raw).split('\n').map(import_line).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn source_id(id: &str) -> Option<String> {
    (!id.is_empty() && !id.starts_with(GENERATED)).then(|| id.to_string())
}

fn skip(out: &mut Vec<SkippedRow>, r: &R<'_>, reason: impl Into<String>) {
    out.push(SkippedRow { origin: r.origin(), reason: reason.into() });
}

/// Why a row's link could not be followed, never with an empty id: "refers to service s7,
/// which is not in the file", or "names no service (its service_id is empty)".
fn unknown_ref(what: &str, column: &str, id: &str) -> String {
    if id.trim().is_empty() {
        format!("names no {what} (its {column} is empty)")
    } else {
        format!("refers to {what} {}, which is not in the file", short_id(id))
    }
}

fn short_id(id: &str) -> String {
    if id.starts_with(GENERATED) {
        "(no id)".into()
    } else {
        let id = clean_line(id);
        if id.chars().count() > 40 {
            format!("{}…", id.chars().take(40).collect::<String>())
        } else {
            id
        }
    }
}

/// Rows sharing an id are one record: exact (or compatible) repeats are merged and counted;
/// a repeat that contradicts the first is skipped with its reason. Rows without an id that
/// repeat another exactly are merged too.
fn dedupe(rows: &[Row], what: &str, skipped: &mut Vec<SkippedRow>, collapsed: &mut usize) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut seen_exact: BTreeSet<Vec<(String, String)>> = BTreeSet::new();
    for row in rows {
        let trimmed: BTreeMap<String, String> = row
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let id = trimmed.get("id").cloned().unwrap_or_default();
        if id.is_empty() {
            let key: Vec<(String, String)> = trimmed.clone().into_iter().collect();
            if !seen_exact.insert(key) {
                *collapsed += 1;
                continue;
            }
            out.push(Row { origin: row.origin.clone(), fields: trimmed });
            continue;
        }
        match by_id.get(&id) {
            None => {
                by_id.insert(id, out.len());
                out.push(Row { origin: row.origin.clone(), fields: trimmed });
            }
            Some(&i) => {
                let first = &mut out[i];
                let conflict = trimmed.iter().find(|(k, v)| first.fields.get(*k).is_some_and(|f| f != *v));
                match conflict {
                    None => {
                        for (k, v) in trimmed {
                            first.fields.entry(k).or_insert(v);
                        }
                        *collapsed += 1;
                    }
                    Some((col, _)) => skipped.push(SkippedRow {
                        origin: row.origin.clone(),
                        reason: format!(
                            "{what} {} appears again with a different {col}; the first ({}) was kept",
                            short_id(&id),
                            first.origin
                        ),
                    }),
                }
            }
        }
    }
    out
}

/// A weekday from HSDS: 1–7 (Monday first, as ISO 8601), a name, or an iCal code (MO, TU…).
fn weekday(s: &str) -> Option<usize> {
    let s = s.trim().to_lowercase();
    if let Ok(n) = s.parse::<usize>() {
        return (1..=7).contains(&n).then(|| n - 1);
    }
    const NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const CODES: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];
    if s.len() < 2 {
        return None;
    }
    // "Mondays", "Tues.", "Thurs"
    let s = s.trim_end_matches('.');
    let s = if s.len() > 6 && s.ends_with("days") { &s[..s.len() - 1] } else { s };
    NAMES.iter().position(|n| n.starts_with(s) && s.len() >= 3).or_else(|| CODES.iter().position(|c| *c == s))
}

/// One token of a weekday column: a day (`1`, `Mon`, `Tuesdays`) or a range (`Mon-Fri`).
fn days_of(token: &str) -> Option<Vec<usize>> {
    if let Some((a, b)) = token.split_once(['-', '–']) {
        let (a, b) = (weekday(a)?, weekday(b)?);
        return (a <= b).then(|| (a..=b).collect());
    }
    weekday(token).map(|d| vec![d])
}

/// A closing time before the opening time, as 12-hour times without am/pm are written
/// (`10:00`–`4:00`): the closing time read as afternoon (`16:00`). Midnight is left alone.
fn afternoon_closing(opens: &str, closes: &str) -> Option<String> {
    let hm = |t: &str| -> Option<(u32, u32)> {
        let (h, m) = t.split_once(':')?;
        Some((h.parse().ok()?, m.parse().ok()?))
    };
    let (o, (ch, cm)) = (hm(opens)?, hm(closes)?);
    ((1..12).contains(&ch) && (ch, cm) < o && (ch + 12, cm) > o).then(|| format!("{:02}:{cm:02}", ch + 12))
}

const DAY_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `09:00:00`, `9:00`, `09:00Z`, `17:30:00+01:00` → `09:00`, `17:30`.
fn clock(s: &str) -> Option<String> {
    let s = s.trim();
    let core = s.split(['Z', 'z', '+']).next().unwrap_or(s);
    let mut parts = core.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.trim().parse().ok()?;
    if let Some(sec) = parts.next() {
        sec.trim().parse::<u32>().ok()?;
    }
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// "Mon–Wed, Fri" from sorted day numbers.
fn day_ranges(days: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let start = days[i];
        let mut end = start;
        while i + 1 < days.len() && days[i + 1] == end + 1 {
            i += 1;
            end = days[i];
        }
        out.push(match end - start {
            0 => DAY_SHORT[start].to_string(),
            1 => format!("{}, {}", DAY_SHORT[start], DAY_SHORT[end]),
            _ => format!("{}–{}", DAY_SHORT[start], DAY_SHORT[end]),
        });
        i += 1;
    }
    out.join(", ")
}

/// Opening hours as one text: weekly times grouped by day ("Mon–Wed 09:00–17:00"), holiday
/// closures, and descriptions. Anything that cannot be read is kept as given.
pub fn hours_text(rows: &[&Row]) -> String {
    hours_noting(rows, &mut Vec::new())
}

/// `hours_text`, noting each time it read as afternoon (12-hour times without am/pm). A day
/// with both times empty is closed; a closing time before the opening time is read as pm and
/// marked "check".
fn hours_noting(rows: &[&Row], interpreted: &mut Vec<Interpreted>) -> String {
    let mut closed_days: Vec<usize> = Vec::new();
    let mut by_time: Vec<(String, Vec<usize>)> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let push_line = |lines: &mut Vec<String>, l: String| {
        if !l.is_empty() && !lines.contains(&l) {
            lines.push(l);
        }
    };
    for row in rows {
        let r = R(row);
        let (opens, closes) = (r.get(&["opens_at"]), r.get(&["closes_at"]));
        let readable_times = clock(&opens).is_some() && clock(&closes).is_some();
        let times = match (clock(&opens), clock(&closes)) {
            (Some(o), Some(c)) => match afternoon_closing(&o, &c) {
                Some(pm) => {
                    interpreted.push(Interpreted { reading: Reading::Afternoon, origin: row.origin.clone() });
                    Some(format!("{o}–{pm} (closing time read as pm — check)"))
                }
                None => Some(format!("{o}–{c}")),
            },
            _ if opens.is_empty() && closes.is_empty() => None,
            _ => Some(format!("{opens}–{closes}").trim_matches('–').to_string()),
        };
        let start = r.get(&["start_date"]);
        if !start.is_empty() {
            // a holiday schedule
            let end = r.get(&["end_date"]);
            let span = if end.is_empty() || end == start { start } else { format!("{start} to {end}") };
            let closed = matches!(r.get(&["closed"]).to_lowercase().as_str(), "true" | "yes" | "1");
            push_line(
                &mut lines,
                if closed || times.is_none() {
                    format!("Closed {span}")
                } else {
                    format!("{span}: {}", times.clone().unwrap_or_default())
                },
            );
            continue;
        }
        let day_text = r.get(&["weekday", "byday"]);
        let days: Option<Vec<usize>> = if day_text.is_empty() {
            None
        } else {
            day_text
                .split([',', ' ', ';'])
                .filter(|d| !d.is_empty())
                .map(days_of)
                .collect::<Option<Vec<Vec<usize>>>>()
                .map(|v| v.concat())
        };
        match (days, &times) {
            (Some(days), Some(t)) if readable_times && !days.is_empty() => {
                match by_time.iter_mut().find(|(tt, _)| tt == t) {
                    Some((_, d)) => d.extend(days),
                    None => by_time.push((t.clone(), days)),
                }
            }
            (Some(days), None) if !days.is_empty() && opens.is_empty() && closes.is_empty() => {
                closed_days.extend(days);
            }
            _ if day_text.is_empty() && times.is_none() => {}
            _ => {
                // not readable: kept as given
                let given = [day_text.as_str(), times.as_deref().unwrap_or("")]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                push_line(&mut lines, given);
            }
        }
        let desc = r.text(&["description"]);
        push_line(&mut lines, desc);
        let notes = r.text(&["notes"]);
        push_line(&mut lines, notes);
    }
    let open_days: BTreeSet<usize> = by_time.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    closed_days.retain(|d| !open_days.contains(d));
    if !closed_days.is_empty() {
        by_time.push(("closed".to_string(), closed_days));
    }
    let mut weekly: Vec<(usize, String)> = by_time
        .into_iter()
        .map(|(t, mut d)| {
            d.sort_unstable();
            d.dedup();
            (d[0], format!("{} {t}", day_ranges(&d)))
        })
        .collect();
    weekly.sort();
    let mut out: Vec<String> = Vec::new();
    if !weekly.is_empty() {
        out.push(weekly.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join("; "));
    }
    out.extend(lines);
    out.join("\n")
}

/// Words that begin the suite part of an address line.
const SUITE_WORDS: [&str; 6] = ["Floor", "Suite", "Room", "Unit", "Ste", "Fl"];

/// Words a street line ends with, after which a capitalised word glued on is the town.
const STREET_WORDS: &[&str] = &[
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Road",
    "Rd",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Way",
    "Place",
    "Pl",
    "Court",
    "Ct",
    "Plaza",
    "Highway",
    "Hwy",
    "Parkway",
    "Pkwy",
    "Square",
    "Sq",
    "Terrace",
    "Circle",
    "Row",
    "Floor",
    "Fl",
    "Suite",
    "Ste",
    "Room",
    "Unit",
];

/// Whether `s` starts with a suite word standing as a word of its own (`Floor`, `Fl 2`,
/// `FloorBrooklyn`), not as the start of another word (`Florida`, `Stevens`, `United`).
fn starts_with_suite_word(s: &str) -> bool {
    SUITE_WORDS
        .iter()
        .any(|w| s.strip_prefix(w).is_some_and(|rest| !rest.starts_with(|c: char| c.is_lowercase())))
}

/// `2nd`, `14th`: the ordinal a floor is numbered with, as the whole of `s`.
fn is_ordinal(s: &str) -> bool {
    let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &s[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(suffix.to_lowercase().as_str(), "st" | "nd" | "rd" | "th")
}

/// The word (letters and digits) that ends at byte `end` of `s`.
fn word_ending_at(s: &str, end: usize) -> &str {
    let start = s[..end].rfind(|c: char| !c.is_alphanumeric()).map(|i| i + 1).unwrap_or(0);
    &s[start..end]
}

/// An address line with street, suite and town run together (`150 Court Street2nd
/// FloorBrooklyn`), split where it is clearly glued: before a suite part that follows a
/// lower-case letter or digit with no space (`Street2nd Floor`, `StreetSuite 4`), and — only
/// when the town is not given — before a capitalised word glued to a street or suite word or a
/// number at the end (`FloorBrooklyn`, `200Brooklyn`). Anything less clear is left as written.
/// Returns the street (and suite) lines, and the town if one was split off.
pub fn split_glued_address(line: &str, town_given: bool) -> Option<(String, Option<String>)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut rest_from = 0usize;
    // the suite: "Street2nd Floor", "StreetSuite 200", "12Room 4"
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let prev = chars[k - 1].1;
        let tail = &line[i..];
        let suite = if c.is_ascii_digit() && prev.is_lowercase() {
            let ord_end = tail.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tail.len());
            let ord_end = (1..=ord_end).rev().find(|&e| is_ordinal(&tail[..e])).unwrap_or(0);
            ord_end > 0 && starts_with_suite_word(tail[ord_end..].trim_start())
        } else {
            c.is_uppercase()
                && (prev.is_lowercase() || prev.is_ascii_digit())
                && starts_with_suite_word(tail)
                && !is_ordinal(word_ending_at(line, i))
        };
        if suite {
            parts.push(line[..i].trim_end().to_string());
            rest_from = i;
            break;
        }
    }
    let mut rest = line[rest_from..].to_string();
    // "2ndFloor" → "2nd Floor"
    if !parts.is_empty() {
        if let Some(k) = rest.find(|c: char| c.is_uppercase()) {
            if k > 0 && is_ordinal(&rest[..k]) {
                rest = format!("{} {}", &rest[..k], &rest[k..]);
            }
        }
    }
    let mut town = None;
    if !town_given {
        let rc: Vec<(usize, char)> = rest.char_indices().collect();
        for k in 1..rc.len() {
            let (i, c) = rc[k];
            let prev = rc[k - 1].1;
            if !c.is_uppercase() || !(prev.is_lowercase() || prev.is_ascii_digit()) {
                continue;
            }
            let tail = &rest[i..];
            let words: Vec<&str> = tail.split(' ').collect();
            let capitalised = words.len() <= 3
                && words.iter().all(|w| {
                    let mut cs = w.chars();
                    cs.next().is_some_and(char::is_uppercase)
                        && w.chars().count() >= 3
                        && cs.all(|c| c.is_lowercase() || matches!(c, '\'' | '-' | '.'))
                });
            let before = word_ending_at(&rest, i);
            let after_street = STREET_WORDS.contains(&before)
                || before.chars().all(|c| c.is_ascii_digit())
                || is_ordinal(before);
            if capitalised && after_street && !starts_with_suite_word(tail) {
                town = Some(tail.to_string());
                rest.truncate(i);
                break;
            }
        }
    }
    if parts.is_empty() && town.is_none() {
        return None;
    }
    parts.push(rest.trim().to_string());
    parts.retain(|p| !p.is_empty());
    Some((parts.join(", "), town))
}

/// The address columns of an address row, into a location; true when a line with street,
/// suite and town run together was split (see `split_glued_address`).
fn fill_address(l: &mut LocationRecord, a: &Row) -> bool {
    let a = R(a);
    let mut lines =
        vec![a.get(&["address_1"]), a.get(&["address_2"]), a.get(&["address_3"]), a.get(&["address_4"])];
    let mut town = a.get(&["city"]);
    let mut split = false;
    let last = lines.iter().rposition(|x| !x.is_empty());
    for (n, line) in lines.iter_mut().enumerate() {
        let town_given = !town.is_empty() || Some(n) != last;
        if let Some((street, t)) = split_glued_address(line, town_given) {
            *line = street;
            if let Some(t) = t {
                town = t;
            }
            split = true;
        }
    }
    l.address = join_nonempty(&lines, ", ");
    l.town = town;
    l.region = a.get(&["state_province", "region"]);
    l.postcode = a.get(&["postal_code"]);
    l.country = a.get(&["country"]);
    split
}

fn join_nonempty(parts: &[String], sep: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for p in parts {
        if !p.is_empty() && !seen.contains(&p.as_str()) {
            seen.push(p);
        }
    }
    seen.join(sep)
}

/// Columns of a service row that name its provider in words (not an HSDS column, but real
/// files have them).
const PROVIDER_NAME_COLUMNS: [&str; 6] =
    ["organization_name", "organisation_name", "provider_name", "provider", "agency_name", "agency"];

/// Columns a table cannot do without; a file missing one is refused as a whole.
const REQUIRED: &[(&str, &[&str])] = &[
    ("organization", &["name"]),
    ("service", &["name"]),
    ("phone", &["number"]),
    ("service_at_location", &["service_id", "location_id"]),
];

/// Maps the tables of one HSDS import to directory records.
pub fn map_tables(tables: &Tables, format: &str) -> Result<DirectoryData, ImportRefused> {
    if !tables.tables.contains_key("service") && !tables.tables.contains_key("organization") {
        return Err(ImportRefused(
            "There is no services or organisations table in it, so there is nothing to import.".into(),
        ));
    }
    for (table, cols) in REQUIRED {
        if let Some(t) = tables.tables.get(*table) {
            for c in *cols {
                if !t.columns.contains(*c) {
                    return Err(ImportRefused(format!(
                        "{} has no \"{c}\" column, so none of its rows can be read. Nothing was imported.",
                        t.file
                    )));
                }
            }
        }
    }
    let mut data = DirectoryData { format: format.to_string(), ..Default::default() };
    let mut skipped = Vec::new();
    let mut collapsed = 0;
    let mut rows = |name: &str, what: &str| dedupe(tables.rows(name), what, &mut skipped, &mut collapsed);
    let org_rows = rows("organization", "organisation");
    let loc_rows = rows("location", "location");
    let svc_rows = rows("service", "service");
    let sal_rows = rows("service_at_location", "service-at-location");
    let phone_rows = rows("phone", "phone");
    let tax_rows = [rows("taxonomy", "taxonomy"), rows("taxonomy_term", "taxonomy term")].concat();
    let svc_tax_rows = rows("service_taxonomy", "service taxonomy");
    let attr_rows = rows("attribute", "attribute");
    let addr_rows = [
        rows("physical_address", "address"),
        rows("address", "address"),
        rows("postal_address", "postal address"),
    ]
    .concat();
    let sched_rows = [
        rows("regular_schedule", "schedule"),
        rows("holiday_schedule", "schedule"),
        rows("schedule", "schedule"),
    ]
    .concat();
    let lang_rows = rows("language", "language");
    let elig_rows = rows("eligibility", "eligibility");
    let area_rows = rows("service_area", "service area");
    let doc_rows = rows("required_document", "document");
    let cost_rows = rows("cost_option", "cost option");
    let pay_rows = rows("payment_accepted", "payment");

    // organisations
    let mut org_index: HashMap<String, usize> = HashMap::new();
    let mut org_by_name: HashMap<String, usize> = HashMap::new();
    for row in &org_rows {
        let r = R(row);
        let name = r.get(&["name"]);
        if name.is_empty() {
            skip(&mut skipped, &r, "organisation has no name");
            continue;
        }
        let id = r.id();
        if source_id(&id).is_none() {
            if let Some(&i) = org_by_name.get(&name_key(&name)) {
                collapsed += 1;
                if !id.is_empty() {
                    org_index.insert(id, i);
                }
                continue;
            }
        }
        let i = data.organisations.len();
        data.organisations.push(OrganisationRecord {
            source_id: source_id(&id),
            name: name.clone(),
            description: r.text(&["description"]),
            email: r.get(&["email"]),
            website: r.get(&["website", "url"]),
            phones: Vec::new(),
        });
        org_by_name.entry(name_key(&name)).or_insert(i);
        if !id.is_empty() {
            org_index.insert(id, i);
        }
    }

    // need categories
    let mut taxonomy: HashMap<String, String> = HashMap::new();
    for row in &tax_rows {
        let r = R(row);
        let name = r.get(&["name", "term", "code"]);
        if !name.is_empty() {
            taxonomy.entry(r.id()).or_insert(name);
        }
    }

    // addresses, by location, else by the service or the organisation the file gave them to
    let svc_ids: BTreeSet<String> = svc_rows.iter().map(|r| R(r).id()).filter(|id| !id.is_empty()).collect();
    let mut address_of: BTreeMap<String, (u8, &Row)> = BTreeMap::new();
    let mut svc_address: BTreeMap<String, (u8, &Row)> = BTreeMap::new();
    let mut org_address: BTreeMap<String, (u8, &Row)> = BTreeMap::new();
    let loc_ids: BTreeSet<String> = loc_rows.iter().map(|r| R(r).id()).filter(|id| !id.is_empty()).collect();
    for row in &addr_rows {
        let r = R(row);
        let loc = r.get(&["location_id"]);
        let svc = r.get(&["service_id"]);
        let org = r.get(&["organization_id", "organisation_id"]);
        let kind = r.get(&["address_type"]).to_lowercase();
        let rank = if row.origin.contains("postal") || kind == "postal" { 1 } else { 0 };
        let (by, key) = if loc_ids.contains(&loc) {
            (&mut address_of, loc)
        } else if svc_ids.contains(&svc) {
            (&mut svc_address, svc)
        } else if org_index.contains_key(&org) {
            (&mut org_address, org)
        } else {
            let named = [
                ("location", "location_id", &loc),
                ("service", "service_id", &svc),
                ("organisation", "organization_id", &org),
            ]
            .into_iter()
            .find(|(_, _, v)| !v.is_empty());
            let reason = match named {
                Some((what, col, id)) => format!("address {}", unknown_ref(what, col, id)),
                None => {
                    "address names no location, service or organisation (its location_id, service_id and \
                         organization_id are empty)"
                        .to_string()
                }
            };
            skip(&mut skipped, &r, reason);
            continue;
        };
        match by.get(&key) {
            Some((best, _)) if *best <= rank => {}
            _ => {
                by.insert(key, (rank, row));
            }
        }
    }

    // schedules, by who they are for
    let sal_service: HashMap<String, String> = sal_rows
        .iter()
        .map(|r| (R(r).id(), R(r).get(&["service_id"])))
        .filter(|(id, _)| !id.is_empty())
        .collect();
    let mut svc_hours: HashMap<String, Vec<&Row>> = HashMap::new();
    let mut loc_hours: HashMap<String, Vec<&Row>> = HashMap::new();
    let mut org_hours: HashMap<usize, Vec<&Row>> = HashMap::new();
    for row in &sched_rows {
        let r = R(row);
        let svc = r.get(&["service_id"]);
        let sal_id = r.get(&["service_at_location_id"]);
        let sal = sal_service.get(&sal_id).cloned().unwrap_or_default();
        let loc = r.get(&["location_id"]);
        let org = r.get(&["organization_id", "organisation_id"]);
        if svc_ids.contains(&svc) {
            svc_hours.entry(svc).or_default().push(row);
        } else if svc_ids.contains(&sal) {
            svc_hours.entry(sal).or_default().push(row);
        } else if loc_ids.contains(&loc) && svc.is_empty() {
            loc_hours.entry(loc).or_default().push(row);
        } else if let (Some(&o), true) = (org_index.get(&org), svc.is_empty() && loc.is_empty()) {
            org_hours.entry(o).or_default().push(row);
        } else {
            let named = [
                ("service", "service_id", &svc),
                ("service-at-location", "service_at_location_id", &sal_id),
                ("location", "location_id", &loc),
                ("organisation", "organization_id", &org),
            ]
            .into_iter()
            .find(|(_, _, v)| !v.is_empty());
            let reason = match named {
                Some((what, col, id)) => format!("schedule {}", unknown_ref(what, col, id)),
                None => {
                    "schedule names no service, location or organisation (its service_id, location_id and \
                         organization_id are empty)"
                        .to_string()
                }
            };
            skip(&mut skipped, &r, reason);
        }
    }

    // phones, by owner
    let phone_langs: HashMap<String, Vec<String>> = lang_rows.iter().fold(HashMap::new(), |mut m, row| {
        let r = R(row);
        let phone = r.get(&["phone_id"]);
        if !phone.is_empty() {
            m.entry(phone).or_default().push(r.get(&["language", "name"]));
        }
        m
    });
    let org_ids: BTreeSet<&String> = org_index.keys().collect();
    let mut svc_phones: HashMap<String, Vec<PhoneRecord>> = HashMap::new();
    let mut loc_phones: HashMap<String, Vec<PhoneRecord>> = HashMap::new();
    let mut interpreted: Vec<Interpreted> = Vec::new();
    for row in &phone_rows {
        let r = R(row);
        let parsed = parse_phones(r.raw("number"));
        if parsed.is_empty() {
            if says_no_phone(r.raw("number")) {
                interpreted.push(Interpreted { reading: Reading::NoPhone, origin: r.origin() });
            } else {
                skip(&mut skipped, &r, "phone has no number");
            }
            continue;
        }
        if parsed.len() > 1 {
            interpreted.push(Interpreted { reading: Reading::SeveralPhones, origin: r.origin() });
        }
        let mut langs = vec![r.get(&["language", "languages"])];
        langs.extend(phone_langs.get(&r.id()).cloned().unwrap_or_default());
        let languages = join_nonempty(&langs, ", ");
        let column_ext = r.get(&["extension"]);
        let phones: Vec<PhoneRecord> = parsed
            .into_iter()
            .enumerate()
            .map(|(i, p)| PhoneRecord {
                number: p.number,
                // the extension column belongs to the first number when the field had none inside
                extension: if p.extension.is_empty() && i == 0 { column_ext.clone() } else { p.extension },
                kind: r.get(&["type"]),
                description: r.get(&["description"]),
                languages: languages.clone(),
            })
            .collect();
        let (svc, sal, loc, org) = (
            r.get(&["service_id"]),
            r.get(&["service_at_location_id"]),
            r.get(&["location_id"]),
            r.get(&["organization_id", "organisation_id"]),
        );
        let sal_svc = sal_service.get(&sal).cloned().unwrap_or_default();
        if svc_ids.contains(&svc) {
            svc_phones.entry(svc).or_default().extend(phones);
        } else if svc_ids.contains(&sal_svc) {
            svc_phones.entry(sal_svc).or_default().extend(phones);
        } else if loc_ids.contains(&loc) {
            loc_phones.entry(loc).or_default().extend(phones);
        } else if org_ids.contains(&org) {
            if let Some(&i) = org_index.get(&org) {
                data.organisations[i].phones.extend(phones);
            }
        } else {
            let named = [
                ("service", &svc),
                ("service-at-location", &sal),
                ("location", &loc),
                ("organisation", &org),
            ]
            .into_iter()
            .find(|(_, v)| !v.is_empty());
            let reason = match named {
                Some((what, id)) => {
                    format!("phone refers to {what} {}, which is not in the file", short_id(id))
                }
                None if !r.get(&["contact_id"]).is_empty() => {
                    "phone belongs to a contact person (contacts are not imported)".to_string()
                }
                None => "phone is not linked to any organisation, service or location".to_string(),
            };
            skip(&mut skipped, &r, reason);
        }
    }

    // locations
    let mut loc_index: HashMap<String, usize> = HashMap::new();
    for row in &loc_rows {
        let r = R(row);
        let id = r.id();
        let org = r.get(&["organization_id", "organisation_id"]);
        let mut l = LocationRecord {
            source_id: source_id(&id),
            name: r.get(&["name"]),
            description: r.text(&["description"]),
            transport: r.text(&["transportation"]),
            hours: loc_hours.get(&id).map(|v| hours_noting(v, &mut interpreted)).unwrap_or_default(),
            phones: loc_phones.remove(&id).unwrap_or_default(),
            ..Default::default()
        };
        if let Some((_, a)) = address_of.get(&id) {
            if fill_address(&mut l, a) {
                interpreted.push(Interpreted { reading: Reading::GluedAddress, origin: a.origin.clone() });
            }
        }
        if !id.is_empty() {
            loc_index.insert(id, data.locations.len());
        }
        data.locations.push((l, org_index.get(&org).copied()));
    }

    // per-service details from the side tables
    let by_service = |rows: &[Row], what: &str, skipped: &mut Vec<SkippedRow>| -> HashMap<String, Vec<Row>> {
        let mut m: HashMap<String, Vec<Row>> = HashMap::new();
        for row in rows {
            let r = R(row);
            let svc = r.get(&["service_id"]);
            if svc_ids.contains(&svc) {
                m.entry(svc).or_default().push(row.clone());
            } else if svc.is_empty() {
                // languages of a location or a phone only: not a service detail
                if what != "language" {
                    skip(skipped, &r, format!("{what} is not linked to a service"));
                }
            } else {
                skip(
                    skipped,
                    &r,
                    format!("{what} refers to service {}, which is not in the file", short_id(&svc)),
                );
            }
        }
        m
    };
    let svc_langs = by_service(&lang_rows, "language", &mut skipped);
    let svc_elig = by_service(&elig_rows, "eligibility", &mut skipped);
    let svc_area = by_service(&area_rows, "service area", &mut skipped);
    let svc_docs = by_service(&doc_rows, "required document", &mut skipped);
    let svc_costs = by_service(&cost_rows, "cost option", &mut skipped);
    let svc_pay = by_service(&pay_rows, "payment", &mut skipped);
    let mut svc_cats: HashMap<String, Vec<String>> = HashMap::new();
    for row in &svc_tax_rows {
        let r = R(row);
        let (svc, tax) = (r.get(&["service_id"]), r.get(&["taxonomy_id"]));
        match (svc_ids.contains(&svc), taxonomy.get(&tax)) {
            (true, Some(name)) => svc_cats.entry(svc).or_default().push(name.clone()),
            (false, _) => skip(
                &mut skipped,
                &r,
                format!("category link {}", unknown_ref("service", "service_id", &svc)),
            ),
            (true, None) => skip(
                &mut skipped,
                &r,
                format!("category link {}", unknown_ref("taxonomy term", "taxonomy_id", &tax)),
            ),
        }
    }
    for row in &attr_rows {
        let r = R(row);
        let (link, term) = (r.get(&["link_id"]), r.get(&["taxonomy_term_id"]));
        if svc_ids.contains(&link) {
            match taxonomy.get(&term) {
                Some(name) => svc_cats.entry(link).or_default().push(name.clone()),
                None => skip(
                    &mut skipped,
                    &r,
                    format!("attribute {}", unknown_ref("taxonomy term", "taxonomy_term_id", &term)),
                ),
            }
        }
        // attributes of anything other than a service are not directory details
    }

    // an organisation's own schedule, read once, for its services that have none
    let mut org_hours_read: Vec<(usize, Vec<&Row>)> = org_hours.into_iter().collect();
    org_hours_read.sort_by_key(|(o, _)| *o);
    let org_hours: HashMap<usize, String> =
        org_hours_read.into_iter().map(|(o, rows)| (o, hours_noting(&rows, &mut interpreted))).collect();

    // the organisations of the locations each service is at, by service id: who provides a
    // service whose own organisation id is not in the file
    let loc_org: HashMap<String, usize> = loc_rows
        .iter()
        .filter_map(|row| {
            let r = R(row);
            org_index.get(&r.get(&["organization_id", "organisation_id"])).map(|&o| (r.id(), o))
        })
        .filter(|(id, _)| !id.is_empty())
        .collect();
    let mut svc_loc_orgs: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for row in &sal_rows {
        let r = R(row);
        if let Some(&o) = loc_org.get(&r.get(&["location_id"])) {
            svc_loc_orgs.entry(r.get(&["service_id"])).or_default().insert(o);
        }
    }

    // services
    let mut svc_index: HashMap<String, usize> = HashMap::new();
    let mut svc_by_name: HashMap<(String, String), usize> = HashMap::new();
    for row in &svc_rows {
        let r = R(row);
        let id = r.id();
        let name = r.get(&["name"]);
        if name.is_empty() {
            skip(&mut skipped, &r, "service has no name");
            continue;
        }
        let org_id = r.get(&["organization_id", "organisation_id"]);
        // a placeholder only when nothing else names the provider: the organisation of the
        // places it is at, else an organisation name column
        let provider_name = r.get(&PROVIDER_NAME_COLUMNS);
        let at_orgs = svc_loc_orgs.get(&id).filter(|o| o.len() == 1).and_then(|o| o.first().copied());
        let organisation = match (org_index.get(&org_id), at_orgs) {
            (Some(&i), _) => OrganisationLink::InFile(i),
            (None, Some(o)) => {
                interpreted.push(Interpreted { reading: Reading::ProviderOfLocation, origin: r.origin() });
                OrganisationLink::InFile(o)
            }
            (None, None) if !provider_name.is_empty() => {
                interpreted.push(Interpreted { reading: Reading::ProviderByName, origin: r.origin() });
                let i = match org_by_name.get(&name_key(&provider_name)) {
                    Some(&i) => i,
                    None => {
                        let i = data.organisations.len();
                        data.organisations.push(OrganisationRecord {
                            source_id: source_id(&org_id),
                            name: provider_name.clone(),
                            ..Default::default()
                        });
                        org_by_name.insert(name_key(&provider_name), i);
                        i
                    }
                };
                if !org_id.is_empty() {
                    org_index.insert(org_id.clone(), i);
                }
                OrganisationLink::InFile(i)
            }
            (None, None) => OrganisationLink::Missing { source_id: source_id(&org_id) },
        };
        let org_key = match &organisation {
            OrganisationLink::InFile(i) => i.to_string(),
            OrganisationLink::Missing { source_id } => source_id.clone().unwrap_or_default(),
        };
        if let Some(&i) = svc_by_name.get(&(org_key.clone(), name_key(&name))) {
            if source_id(&id).is_none() {
                collapsed += 1;
                if !id.is_empty() {
                    svc_index.insert(id, i);
                }
                continue;
            }
            // its own id, but another's name and organisation (or all of it but the id): merged
            // into the first, what it adds (phones, categories, places) kept, its id an alias
            let kept = &mut data.services[i];
            for p in svc_phones.remove(&id).unwrap_or_default() {
                if !kept.record.phones.contains(&p) {
                    kept.record.phones.push(p);
                }
            }
            for c in svc_cats.get(&id).cloned().unwrap_or_default() {
                if !kept.record.categories.iter().any(|x| name_key(x) == name_key(&c)) {
                    kept.record.categories.push(c);
                }
            }
            if kept.record.hours.is_empty() {
                if let Some(v) = svc_hours.get(&id) {
                    kept.record.hours = hours_noting(v, &mut interpreted);
                }
            }
            kept.aliases.push(id.clone());
            data.merged_services.push(MergedService {
                origin: r.origin(),
                source_id: source_id(&id),
                into_origin: kept.origin.clone(),
                name: kept.record.name.clone(),
            });
            svc_index.insert(id, i);
            continue;
        }
        let rows_of = |m: &HashMap<String, Vec<Row>>| m.get(&id).cloned().unwrap_or_default();
        let col_of = |m: &HashMap<String, Vec<Row>>, cols: &[&str]| -> Vec<String> {
            rows_of(m).iter().map(|x| R(x).get(cols)).collect()
        };
        let mut description = vec![r.text(&["description"])];
        let wait = r.text(&["wait_time"]);
        if !wait.is_empty() {
            description.push(format!("Waiting time: {wait}"));
        }
        let alert = r.text(&["alert"]);
        if !alert.is_empty() {
            description.push(format!("Alert: {alert}"));
        }
        let mut eligibility = vec![r.text(&["eligibility_description"])];
        eligibility.extend(col_of(&svc_elig, &["eligibility"]));
        let (min, max) = (r.get(&["minimum_age"]), r.get(&["maximum_age"]));
        match (min.is_empty(), max.is_empty()) {
            (false, false) => eligibility.push(format!("Ages {min} to {max}")),
            (false, true) => eligibility.push(format!("Ages {min} and over")),
            (true, false) => eligibility.push(format!("Ages up to {max}")),
            _ => {}
        }
        for a in rows_of(&svc_area) {
            let a = R(&a);
            let area = join_nonempty(&[a.get(&["service_area", "name"]), a.text(&["description"])], ": ");
            if !area.is_empty() {
                eligibility.push(format!("Area: {area}"));
            }
        }
        let docs = join_nonempty(&col_of(&svc_docs, &["document"]), "; ");
        let mut fees = vec![r.text(&["fees_description"]), r.text(&["fees"])];
        for c in rows_of(&svc_costs) {
            let c = R(&c);
            let amount = join_nonempty(&[c.get(&["amount"]), c.get(&["currency"]).to_uppercase()], " ");
            let line = join_nonempty(&[c.get(&["option"]), amount, c.get(&["amount_description"])], ", ");
            if !line.is_empty() {
                fees.push(line);
            }
        }
        let payments = join_nonempty(&col_of(&svc_pay, &["payment"]), ", ");
        if !payments.is_empty() {
            fees.push(format!("Payment accepted: {payments}"));
        }
        let mut languages = col_of(&svc_langs, &["language", "name"]);
        let interpretation = r.text(&["interpretation_services"]);
        let mut how_to_refer = vec![r.text(&["application_process"])];
        if !docs.is_empty() {
            how_to_refer.push(format!("Documents needed: {docs}"));
        }
        let mut categories: Vec<String> = Vec::new();
        for c in svc_cats.get(&id).cloned().unwrap_or_default().into_iter().chain(
            r.get(&["taxonomy_ids"])
                .split(',')
                .filter_map(|t| taxonomy.get(t.trim()).cloned())
                .collect::<Vec<_>>(),
        ) {
            if !categories.iter().any(|x| name_key(x) == name_key(&c)) {
                categories.push(c);
            }
        }
        languages.retain(|l| !l.is_empty());
        let mut languages = join_nonempty(&languages, ", ");
        if !interpretation.is_empty() {
            languages = join_nonempty(&[languages, format!("interpretation: {interpretation}")], "; ");
        }
        let status = r.get(&["status"]).to_lowercase();
        let record = ServiceRecord {
            source_id: source_id(&id),
            name: name.clone(),
            alternate_name: r.get(&["alternate_name"]),
            description: join_nonempty(&description, "\n"),
            status: if status.is_empty() { "active".into() } else { status },
            email: r.get(&["email"]),
            website: r.get(&["url", "website"]),
            hours: match (svc_hours.get(&id), &organisation) {
                (Some(v), _) => hours_noting(v, &mut interpreted),
                (None, OrganisationLink::InFile(o)) if org_hours.contains_key(o) => {
                    interpreted
                        .push(Interpreted { reading: Reading::HoursOfOrganisation, origin: r.origin() });
                    format!("Hours of the organisation: {}", org_hours[o])
                }
                _ => String::new(),
            },
            eligibility: join_nonempty(&eligibility, "\n"),
            fees: join_nonempty(&fees, "\n"),
            languages,
            how_to_refer: join_nonempty(&how_to_refer, "\n"),
            categories,
            last_verified_on: parse_ymd(&r.get(&["assured_date", "last_verified_on", "last_verified"])),
            phones: svc_phones.remove(&id).unwrap_or_default(),
        };
        let i = data.services.len();
        data.services.push(ImportedService {
            record,
            organisation,
            locations: Vec::new(),
            origin: r.origin(),
            aliases: Vec::new(),
        });
        svc_by_name.insert((org_key, name_key(&name)), i);
        if !id.is_empty() {
            svc_index.insert(id, i);
        }
    }

    // where each service is delivered
    for row in &sal_rows {
        let r = R(row);
        let (svc, loc) = (r.get(&["service_id"]), r.get(&["location_id"]));
        match (svc_index.get(&svc), loc_index.get(&loc)) {
            (Some(&s), Some(&l)) => {
                if !data.services[s].locations.contains(&l) {
                    data.services[s].locations.push(l);
                }
            }
            (None, _) => skip(
                &mut skipped,
                &r,
                format!("service-at-location {}", unknown_ref("service", "service_id", &svc)),
            ),
            (_, None) => skip(
                &mut skipped,
                &r,
                format!("service-at-location {}", unknown_ref("location", "location_id", &loc)),
            ),
        }
    }

    // addresses the file gave to a service itself, or to its organisation, instead of a location:
    // each becomes a place of the service, marked with whose address it is
    for (svc, (_, a)) in &svc_address {
        let Some(&s) = svc_index.get(svc) else { continue };
        let mut l = LocationRecord {
            source_id: source_id(svc).map(|id| format!("service {id} address")),
            carried_by: CARRIED_BY_SERVICE.into(),
            ..Default::default()
        };
        let split = fill_address(&mut l, a);
        // a duplicate merged into this service may carry the same address again
        if data.services[s].locations.iter().any(|&x| data.locations[x].0.full_address() == l.full_address())
        {
            continue;
        }
        if split {
            interpreted.push(Interpreted { reading: Reading::GluedAddress, origin: a.origin.clone() });
        }
        let org = match data.services[s].organisation {
            OrganisationLink::InFile(o) => Some(o),
            OrganisationLink::Missing { .. } => None,
        };
        data.services[s].locations.push(data.locations.len());
        data.locations.push((l, org));
        interpreted.push(Interpreted { reading: Reading::AddressOfService, origin: R(a).origin() });
    }
    let mut org_place: HashMap<usize, usize> = HashMap::new();
    let org_address: HashMap<usize, &Row> =
        org_address.iter().filter_map(|(id, (_, a))| org_index.get(id).map(|&i| (i, *a))).collect();
    for s in 0..data.services.len() {
        let OrganisationLink::InFile(o) = data.services[s].organisation else { continue };
        let Some(a) = org_address.get(&o) else { continue };
        let has_address = data.services[s]
            .locations
            .iter()
            .any(|&l| !data.locations[l].0.address.is_empty() || !data.locations[l].0.town.is_empty());
        if has_address {
            continue;
        }
        let place = match org_place.get(&o) {
            Some(&p) => p,
            None => {
                let mut l = LocationRecord {
                    source_id: data.organisations[o]
                        .source_id
                        .as_ref()
                        .map(|id| format!("organisation {id} address")),
                    carried_by: CARRIED_BY_ORGANISATION.into(),
                    ..Default::default()
                };
                if fill_address(&mut l, a) {
                    interpreted
                        .push(Interpreted { reading: Reading::GluedAddress, origin: a.origin.clone() });
                }
                data.locations.push((l, Some(o)));
                org_place.insert(o, data.locations.len() - 1);
                data.locations.len() - 1
            }
        };
        data.services[s].locations.push(place);
        interpreted.push(Interpreted {
            reading: Reading::AddressOfOrganisation,
            origin: data.services[s].origin.clone(),
        });
    }

    data.skipped = skipped;
    data.duplicates_collapsed = collapsed;
    // in the order of the file: by file, then by line
    interpreted.sort_by_key(|i| {
        let (file, line) = i.origin.rsplit_once(" line ").unwrap_or((i.origin.as_str(), ""));
        (i.reading, file.to_string(), line.parse::<usize>().unwrap_or(0), i.origin.clone())
    });
    data.interpreted = interpreted;
    Ok(data)
}

/// Flattens HSDS 3.0 JSON into tables: one service or organization record, an array of them,
/// or a paged API response (`{"contents": [...]}`); service-at-location records too.
pub fn flatten_json(root: &Value) -> Result<(Tables, Vec<SkippedRow>), ImportRefused> {
    let items: Vec<&Value> = match root {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) => match o.get("contents") {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![root],
        },
        _ => return Err(not_hsds()),
    };
    let mut f = Flattener::default();
    let mut skipped = Vec::new();
    let mut recognised = 0;
    for (i, item) in items.iter().enumerate() {
        let origin = format!("record {}", i + 1);
        let Some(obj) = item.as_object() else {
            skipped.push(SkippedRow { origin, reason: "is not a JSON object".into() });
            continue;
        };
        let has = |k: &str| obj.contains_key(k);
        if has("service") && has("location") {
            f.service_at_location(item, None, &origin);
        } else if has("services") || has("organization_identifiers") || has("legal_status") || has("website")
        {
            f.organisation(item, &origin);
        } else if has("status")
            || has("service_at_locations")
            || has("organization")
            || has("organization_id")
        {
            f.service(item, None, &origin);
        } else {
            skipped
                .push(SkippedRow { origin, reason: "is neither an HSDS service nor an organization".into() });
            continue;
        }
        recognised += 1;
    }
    if recognised == 0 {
        return Err(not_hsds());
    }
    Ok((f.tables, skipped))
}

fn not_hsds() -> ImportRefused {
    ImportRefused(
        "This JSON is not HSDS: give a service or organization record, an array of them, or an HSDS datapackage \
         folder. Nothing was imported."
            .into(),
    )
}

#[derive(Default)]
struct Flattener {
    tables: Tables,
    generated: usize,
}

impl Flattener {
    fn id_of(&mut self, v: &Value) -> String {
        match v.get("id").map(scalar) {
            Some(id) if !id.trim().is_empty() => id,
            _ => {
                self.generated += 1;
                format!("{GENERATED}{}", self.generated)
            }
        }
    }

    /// The scalar fields of an object, plus links to its parents.
    fn row(&mut self, table: &str, v: &Value, origin: &str, links: &[(&str, &str)]) -> String {
        let id = self.id_of(v);
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        if let Some(o) = v.as_object() {
            for (k, x) in o {
                if !x.is_object() && !x.is_array() {
                    fields.insert(k.to_lowercase(), scalar(x));
                }
            }
        }
        fields.insert("id".into(), id.clone());
        for (k, val) in links {
            fields.insert((*k).to_string(), (*val).to_string());
        }
        self.tables.push(table, format!("{origin} ({table})"), fields);
        id
    }

    fn each(v: &Value, key: &str) -> Vec<Value> {
        v.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
    }

    fn phones(&mut self, v: &Value, origin: &str, link: (&str, &str)) {
        for p in Self::each(v, "phones") {
            let pid = self.row("phone", &p, origin, &[link]);
            for l in Self::each(&p, "languages") {
                self.row("language", &l, origin, &[("phone_id", &pid)]);
            }
        }
    }

    fn schedules(&mut self, v: &Value, origin: &str, link: (&str, &str)) {
        for s in Self::each(v, "schedules") {
            self.row("schedule", &s, origin, &[link]);
        }
    }

    fn organisation(&mut self, v: &Value, origin: &str) -> String {
        let id = self.row("organization", v, origin, &[]);
        self.phones(v, origin, ("organization_id", &id));
        for l in Self::each(v, "locations") {
            self.location(&l, Some(&id), origin);
        }
        for s in Self::each(v, "services") {
            self.service(&s, Some(&id), origin);
        }
        id
    }

    fn location(&mut self, v: &Value, org: Option<&str>, origin: &str) -> String {
        let mut links = vec![];
        let org_owned;
        if let Some(o) = org.or_else(|| v.get("organization_id").and_then(Value::as_str)) {
            org_owned = o.to_string();
            links.push(("organization_id", org_owned.as_str()));
        }
        let id = self.row("location", v, origin, &links);
        for a in Self::each(v, "addresses") {
            self.row("address", &a, origin, &[("location_id", &id)]);
        }
        self.phones(v, origin, ("location_id", &id));
        self.schedules(v, origin, ("location_id", &id));
        id
    }

    fn service(&mut self, v: &Value, org: Option<&str>, origin: &str) -> String {
        let org_id = match v.get("organization") {
            Some(o) if o.is_object() => Some(self.organisation(o, origin)),
            _ => org.map(str::to_string).or_else(|| v.get("organization_id").map(scalar)),
        };
        let links: Vec<(&str, &str)> =
            org_id.as_deref().map(|o| vec![("organization_id", o)]).unwrap_or_default();
        let id = self.row("service", v, origin, &links);
        let link = ("service_id", id.as_str());
        self.phones(v, origin, link);
        self.schedules(v, origin, link);
        for (key, table) in [
            ("languages", "language"),
            ("service_areas", "service_area"),
            ("required_documents", "required_document"),
            ("cost_options", "cost_option"),
        ] {
            for x in Self::each(v, key) {
                self.row(table, &x, origin, &[link]);
            }
        }
        for a in Self::each(v, "attributes") {
            let term_id = match a.get("taxonomy_term") {
                Some(t) if t.is_object() => self.row("taxonomy_term", t, origin, &[]),
                _ => a.get("taxonomy_term_id").map(scalar).unwrap_or_default(),
            };
            self.row("attribute", &a, origin, &[("link_id", &id), ("taxonomy_term_id", &term_id)]);
        }
        for sal in Self::each(v, "service_at_locations") {
            self.service_at_location(&sal, Some(&id), origin);
        }
        id
    }

    fn service_at_location(&mut self, v: &Value, service: Option<&str>, origin: &str) {
        let svc = match (service, v.get("service")) {
            (Some(s), _) => s.to_string(),
            (None, Some(s)) if s.is_object() => self.service(s, None, origin),
            _ => v.get("service_id").map(scalar).unwrap_or_default(),
        };
        let loc = match v.get("location") {
            Some(l) if l.is_object() => self.location(l, None, origin),
            _ => v.get("location_id").map(scalar).unwrap_or_default(),
        };
        let id = self.row("service_at_location", v, origin, &[("service_id", &svc), ("location_id", &loc)]);
        self.phones(v, origin, ("service_at_location_id", &id));
        self.schedules(v, origin, ("service_at_location_id", &id));
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> Row {
        Row {
            origin: "test".into(),
            fields: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    fn table(name: &str, rows: Vec<Row>) -> (String, Table) {
        let columns = rows.iter().flat_map(|r| r.fields.keys().cloned()).collect();
        (name.to_string(), Table { file: format!("{name}s.csv"), columns, rows })
    }

    fn tables(list: Vec<(String, Table)>) -> Tables {
        Tables { tables: list.into_iter().collect() }
    }

    #[test]
    fn street_suite_and_town_run_together_are_split_only_where_clearly_glued() {
        let split = |l: &str, town_given: bool| split_glued_address(l, town_given);
        let some = |a: &str, t: Option<&str>| Some((a.to_string(), t.map(str::to_string)));
        assert_eq!(
            split("150 Court Street2nd FloorBrooklyn", false),
            some("150 Court Street, 2nd Floor", Some("Brooklyn"))
        );
        assert_eq!(
            split("150 Court Street2nd FloorBrooklyn", true),
            some("150 Court Street, 2nd FloorBrooklyn", None)
        );
        assert_eq!(split("9 Mill RoadSuite 200", true), some("9 Mill Road, Suite 200", None));
        assert_eq!(
            split("9 Mill RoadSuite 200New Haven", false),
            some("9 Mill Road, Suite 200", Some("New Haven"))
        );
        assert_eq!(split("12 Quay StreetRiverbend", false), some("12 Quay Street", Some("Riverbend")));
        assert_eq!(split("4 Elm AveFl 3", true), some("4 Elm Ave, Fl 3", None));
        assert_eq!(split("40 Main Street3rdFloor", true), some("40 Main Street, 3rd Floor", None));
        // not clearly glued: left as written
        assert_eq!(split("150 Court Street", false), None);
        assert_eq!(split("12 McDonald Avenue", false), None);
        assert_eq!(split("3 MainStreet", false), None);
        assert_eq!(split("7 Floral Way", false), None);
        assert_eq!(split("1 Stevens Road", true), None);
        assert_eq!(split("2 United Plaza", true), None);
        assert_eq!(split("Unit 4B", false), None);
        assert_eq!(split("2nd Floor", false), None);
    }

    #[test]
    fn table_names_singular_plural_and_spelling() {
        assert_eq!(canonical_table_name("services.csv"), "service");
        assert_eq!(canonical_table_name("Services"), "service");
        assert_eq!(canonical_table_name("services_at_location.csv"), "service_at_location");
        assert_eq!(canonical_table_name("physical_addresses.csv"), "physical_address");
        assert_eq!(canonical_table_name("taxonomies"), "taxonomy");
        assert_eq!(canonical_table_name("organisations.csv"), "organization");
        assert_eq!(canonical_table_name("payments_accepted.csv"), "payment_accepted");
        assert_eq!(canonical_table_name("data/eligibility.csv"), "eligibility");
        assert_eq!(canonical_table_name("accessibility"), "accessibility");
    }

    #[test]
    fn weekly_hours_are_grouped_and_the_unreadable_kept_as_given() {
        let rows = [
            row(&[("weekday", "1"), ("opens_at", "09:00:00"), ("closes_at", "17:00:00")]),
            row(&[("weekday", "2"), ("opens_at", "9:00"), ("closes_at", "17:00Z")]),
            row(&[("weekday", "3"), ("opens_at", "09:00"), ("closes_at", "17:00")]),
            row(&[("weekday", "Friday"), ("opens_at", "10:00"), ("closes_at", "12:00")]),
            row(&[("weekday", "9"), ("opens_at", "9am"), ("closes_at", "5pm")]),
            row(&[("closed", "true"), ("start_date", "2019-12-24"), ("end_date", "2019-12-26")]),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        assert_eq!(
            hours_text(&refs),
            "Mon–Wed 09:00–17:00; Fri 10:00–12:00\n9 9am–5pm\nClosed 2019-12-24 to 2019-12-26"
        );
        let byday = [row(&[
            ("byday", "TH,FR"),
            ("opens_at", "10:00:00"),
            ("closes_at", "18:00:00"),
            ("description", "Not on public holidays."),
        ])];
        assert_eq!(
            hours_text(&byday.iter().collect::<Vec<_>>()),
            "Thu, Fri 10:00–18:00\nNot on public holidays."
        );
        assert_eq!(day_ranges(&[0, 1, 2, 3, 4, 6]), "Mon–Fri, Sun");
    }

    #[test]
    fn closed_days_afternoon_times_names_and_ranges_read_as_a_person_would() {
        let rows = [
            row(&[("weekday", "Mondays"), ("opens_at", "9:00"), ("closes_at", "17:00")]),
            row(&[("weekday", "Tue-Thu"), ("opens_at", "10:00"), ("closes_at", "4:00")]),
            row(&[("weekday", "Fri"), ("opens_at", "9:00"), ("closes_at", "00:00")]),
            row(&[("weekday", "Saturday"), ("opens_at", ""), ("closes_at", "")]),
            row(&[("weekday", "7"), ("opens_at", ""), ("closes_at", "")]),
            // a day both open and listed empty is open
            row(&[("weekday", "1"), ("opens_at", ""), ("closes_at", "")]),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let mut noted = Vec::new();
        assert_eq!(
            hours_noting(&refs, &mut noted),
            "Mon 09:00–17:00; Tue–Thu 10:00–16:00 (closing time read as pm — check); Fri 09:00–00:00; Sat, Sun closed"
        );
        assert_eq!(noted.len(), 1);
        assert_eq!(noted[0].reading, Reading::Afternoon);
        assert_eq!(afternoon_closing("10:00", "04:00").as_deref(), Some("16:00"));
        assert_eq!(afternoon_closing("09:00", "17:00"), None);
        assert_eq!(afternoon_closing("18:00", "05:00"), None, "an evening to early morning stays as given");
        assert_eq!(days_of("Mon-Fri"), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(days_of("Fri-Mon"), None);
    }

    #[test]
    fn a_service_without_its_organisation_gets_a_missing_link_and_bad_rows_are_skipped() {
        let t = tables(vec![
            table("organization", vec![row(&[("id", "o1"), ("name", "Org One")])]),
            table(
                "service",
                vec![
                    row(&[
                        ("id", "s1"),
                        ("organization_id", "o1"),
                        ("name", " Food  "),
                        ("status", "Active"),
                    ]),
                    row(&[("id", "s2"), ("organization_id", "o9"), ("name", "Lost")]),
                    row(&[("id", "s3"), ("organization_id", "o1"), ("name", "")]),
                    row(&[("id", "s1"), ("organization_id", "o1"), ("name", "Food")]),
                    row(&[("id", "s1"), ("organization_id", "o1"), ("name", "Other")]),
                ],
            ),
            table(
                "phone",
                vec![
                    row(&[("id", "p1"), ("service_id", "s1"), ("number", "\"(0123) 4567\"")]),
                    row(&[("id", "p2"), ("service_id", "s7"), ("number", "1")]),
                    row(&[("id", "p3"), ("contact_id", "c1"), ("number", "2")]),
                    row(&[("id", "p4"), ("organization_id", "o1"), ("number", "")]),
                ],
            ),
        ]);
        let d = map_tables(&t, "test").unwrap();
        assert_eq!(d.organisations.len(), 1);
        assert_eq!(d.services.len(), 2);
        assert_eq!(d.services[0].record.name, "Food");
        assert_eq!(d.services[0].record.status, "active");
        assert_eq!(d.services[0].record.phones[0].number, "(0123) 4567");
        assert_eq!(d.services[1].organisation, OrganisationLink::Missing { source_id: Some("o9".into()) });
        assert_eq!(d.duplicates_collapsed, 1);
        let reasons: Vec<&str> = d.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 5, "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("different name")));
        assert!(reasons.iter().any(|r| r.contains("has no name")));
        assert!(reasons.iter().any(|r| r.contains("service s7, which is not in the file")));
        assert!(reasons.iter().any(|r| r.contains("contact person")));
        assert!(reasons.iter().any(|r| r.contains("no number")));
    }

    #[test]
    fn missing_required_columns_refuse_the_whole_file() {
        let t = tables(vec![table("service", vec![row(&[("id", "s1"), ("title", "x")])])]);
        let e = map_tables(&t, "test").unwrap_err();
        assert!(e.0.contains("\"name\" column"), "{e}");
        let t = tables(vec![table("location", vec![row(&[("id", "l1")])])]);
        assert!(map_tables(&t, "test").unwrap_err().0.contains("nothing to import"));
    }

    #[test]
    fn json_records_arrays_and_pages_flatten_to_the_same_tables() {
        let one = serde_json::json!({
            "id": "s1", "name": "Counselling", "status": "active",
            "organization": {"id": "o1", "name": "Org", "description": "d"},
            "phones": [{"id": "p1", "number": "123", "languages": [{"name": "Urdu"}]}],
            "service_at_locations": [{"id": "sal1", "location": {"id": "l1", "name": "Hall",
                "addresses": [{"id": "a1", "address_1": "1 Main St", "city": "MyCity", "address_type": "physical"}]}}]
        });
        let (t, skipped) = flatten_json(&one).unwrap();
        assert!(skipped.is_empty());
        let d = map_tables(&t, "HSDS 3.0 JSON").unwrap();
        assert_eq!(d.services.len(), 1);
        assert_eq!(d.services[0].organisation, OrganisationLink::InFile(0));
        assert_eq!(d.services[0].record.phones[0].languages, "Urdu");
        assert_eq!(d.locations[0].0.town, "MyCity");
        assert_eq!(d.services[0].locations, vec![0]);
        let page = serde_json::json!({"total_items": 1, "contents": [one.clone(), {"foo": 1}]});
        let (t2, skipped) = flatten_json(&page).unwrap();
        assert_eq!(skipped.len(), 1);
        assert_eq!(map_tables(&t2, "x").unwrap().services.len(), 1);
        assert!(flatten_json(&serde_json::json!({"hello": "world"})).is_err());
        assert!(flatten_json(&serde_json::json!(42)).is_err());
    }
}
