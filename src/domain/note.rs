//! Case notes: the contact they record, the templates they may follow, and their rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::client::FieldError;
use super::dates::{parse_date, parse_datetime};
use super::text::{clean_line, clean_multiline, MAX_FIELD_CHARS};

/// Kinds of contact a note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactType {
    HomeVisit,
    OfficeVisit,
    Phone,
    Video,
    TextEmail,
    Collateral,
    Attempted,
    CaseConference,
    Administrative,
}

impl ContactType {
    pub const ALL: &'static [ContactType] = &[
        ContactType::HomeVisit,
        ContactType::OfficeVisit,
        ContactType::Phone,
        ContactType::Video,
        ContactType::TextEmail,
        ContactType::Collateral,
        ContactType::Attempted,
        ContactType::CaseConference,
        ContactType::Administrative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactType::HomeVisit => "home-visit",
            ContactType::OfficeVisit => "office-visit",
            ContactType::Phone => "phone",
            ContactType::Video => "video",
            ContactType::TextEmail => "text-email",
            ContactType::Collateral => "collateral",
            ContactType::Attempted => "attempted",
            ContactType::CaseConference => "case-conference",
            ContactType::Administrative => "administrative",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactType::HomeVisit => "home visit",
            ContactType::OfficeVisit => "office visit",
            ContactType::Phone => "phone",
            ContactType::Video => "video",
            ContactType::TextEmail => "text/email",
            ContactType::Collateral => "collateral contact",
            ContactType::Attempted => "attempted contact",
            ContactType::CaseConference => "case conference",
            ContactType::Administrative => "administrative",
        }
    }

    /// Accepts the stored form, the label, and common short forms ("home", "email", "visit").
    pub fn parse(s: &str) -> Option<ContactType> {
        let k: String =
            s.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
        let k = k.trim_matches('-');
        ContactType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == k || t.label().replace([' ', '/'], "-") == k)
            .or(match k {
                "home" | "visit" | "hv" => Some(ContactType::HomeVisit),
                "office" => Some(ContactType::OfficeVisit),
                "call" | "telephone" | "tel" => Some(ContactType::Phone),
                "text" | "email" | "sms" | "text-email" | "e-mail" => Some(ContactType::TextEmail),
                "attempt" | "no-answer" => Some(ContactType::Attempted),
                "conference" | "meeting" => Some(ContactType::CaseConference),
                "admin" => Some(ContactType::Administrative),
                _ => None,
            })
    }

    /// Whether this kind of note counts as contact with the client (for "no contact for N days").
    pub fn is_client_contact(self) -> bool {
        !matches!(self, ContactType::Attempted | ContactType::Administrative | ContactType::Collateral)
    }

    pub fn help() -> String {
        ContactType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// A note's reference, e.g. `N-123`.
pub fn note_ref(id: i64) -> String {
    format!("N-{id}")
}

pub fn parse_note_ref(s: &str) -> Option<i64> {
    let s = s.trim();
    let rest = s.strip_prefix('N').or_else(|| s.strip_prefix('n')).unwrap_or(s);
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.parse().ok().filter(|n: &i64| *n > 0)
}

/// A note template loaded from `assets/templates`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub description: String,
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    pub title: String,
    pub prompt: String,
}

impl Template {
    /// The skeleton written into an empty note: each heading followed by a blank line.
    pub fn skeleton(&self) -> String {
        self.headings.iter().map(|h| format!("{}:\n", h.title)).collect::<Vec<_>>().join("\n")
    }
}

const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("soap.json", include_str!("../../assets/templates/soap.json")),
    ("dap.json", include_str!("../../assets/templates/dap.json")),
    ("birp.json", include_str!("../../assets/templates/birp.json")),
];

/// Parses and checks one template file; the message names the file and the problem.
pub fn parse_template(file: &str, json: &str) -> Result<Template, String> {
    let t: Template =
        serde_json::from_str(json).map_err(|e| format!("Note template {file} cannot be read: {e}"))?;
    if t.id.trim().is_empty() || t.name.trim().is_empty() {
        return Err(format!("Note template {file} needs an id and a name."));
    }
    if t.headings.is_empty() || t.headings.iter().any(|h| h.title.trim().is_empty()) {
        return Err(format!("Note template {file} needs headings, each with a title."));
    }
    Ok(t)
}

/// The templates shipped in `assets/templates`, validated.
pub fn templates() -> Result<Vec<Template>, String> {
    let mut out: Vec<Template> = Vec::new();
    for (file, json) in BUILTIN_TEMPLATES {
        let t = parse_template(file, json)?;
        if out.iter().any(|o| o.id == t.id) {
            return Err(format!("Two note templates have the id {}.", t.id));
        }
        out.push(t);
    }
    Ok(out)
}

/// What the note form (or `caseload note`) submits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteInput {
    pub contact_at: String,
    pub contact_type: String,
    pub participants: String,
    pub location: String,
    pub duration_minutes: String,
    pub follow_up_on: String,
    pub template: String,
    pub body: String,
}

/// A validated note, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNote {
    pub contact_at: DateTime<Utc>,
    pub contact_type: ContactType,
    pub participants: String,
    pub location: String,
    pub duration_minutes: Option<u32>,
    pub follow_up_on: Option<NaiveDate>,
    pub template: String,
    pub body: String,
}

pub const MAX_MINUTES: u32 = 24 * 60;

pub fn validate_note(
    input: &NoteInput,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<NewNote, Vec<FieldError>> {
    let mut e = Vec::new();
    let err = |f: &'static str, m: String| FieldError { field: f, message: m };
    let contact_at = match parse_datetime(&input.contact_at, now) {
        Ok(t) if t > now + chrono::Duration::minutes(5) => {
            e.push(err("contact_at", "The contact cannot be in the future.".into()));
            now
        }
        Ok(t) => t,
        Err(m) => {
            e.push(err("contact_at", m));
            now
        }
    };
    let contact_type = if input.contact_type.trim().is_empty() {
        ContactType::Phone
    } else {
        match ContactType::parse(&input.contact_type) {
            Some(t) => t,
            None => {
                e.push(err(
                    "contact_type",
                    format!("Unknown contact type. Use one of: {}.", ContactType::help()),
                ));
                ContactType::Phone
            }
        }
    };
    let participants = clean_line(&input.participants);
    let location = clean_line(&input.location);
    for (f, v) in [("participants", &participants), ("location", &location)] {
        if v.chars().count() > 1_000 {
            e.push(err(f, "Too long: at most 1000 characters.".into()));
        }
    }
    let minutes_raw = clean_line(&input.duration_minutes);
    let duration_minutes = if minutes_raw.is_empty() {
        None
    } else {
        match minutes_raw.parse::<u32>() {
            Ok(m) if m <= MAX_MINUTES => Some(m),
            Ok(_) => {
                e.push(err("duration_minutes", format!("At most {MAX_MINUTES} minutes (one day).")));
                None
            }
            Err(_) => {
                e.push(err("duration_minutes", "Enter whole minutes, e.g. 45.".into()));
                None
            }
        }
    };
    let fu_raw = clean_line(&input.follow_up_on);
    let follow_up_on = if fu_raw.is_empty() {
        None
    } else {
        match parse_date(&fu_raw, today) {
            Ok(d) => Some(d),
            Err(m) => {
                e.push(err("follow_up_on", m));
                None
            }
        }
    };
    let body = clean_multiline(&input.body);
    if body.trim().is_empty() {
        e.push(err("body", "Write what happened: a note cannot be empty.".into()));
    } else if body.chars().count() > MAX_FIELD_CHARS {
        e.push(err("body", format!("Too long: at most {MAX_FIELD_CHARS} characters.")));
    }
    let template = clean_line(&input.template);
    if !e.is_empty() {
        return Err(e);
    }
    Ok(NewNote {
        contact_at,
        contact_type,
        participants,
        location,
        duration_minutes,
        follow_up_on,
        template: if template.is_empty() { "free".into() } else { template },
        body,
    })
}

/// A body made only of a template's headings has nothing written in it yet.
pub fn is_only_headings(body: &str, t: &Template) -> bool {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(|l| t.headings.iter().any(|h| l.eq_ignore_ascii_case(&format!("{}:", h.title))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    #[test]
    fn templates_load_and_validate() {
        let ts = templates().unwrap();
        let ids: Vec<_> = ts.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["soap", "dap", "birp"]);
        assert!(ts[0].skeleton().starts_with("Subjective:\n\nObjective:"));
        assert!(is_only_headings(&ts[0].skeleton(), &ts[0]));
        assert!(parse_template("x.json", "{").unwrap_err().contains("x.json"));
        assert!(parse_template("y.json", r#"{"id":"y","name":"Y","description":"","headings":[]}"#).is_err());
        assert!(parse_template(
            "z.json",
            r#"{"id":"z","name":"Z","description":"","headings":[],"extra":1}"#
        )
        .is_err());
    }

    #[test]
    fn contact_types_parse_loosely() {
        assert_eq!(ContactType::parse("home visit"), Some(ContactType::HomeVisit));
        assert_eq!(ContactType::parse("Home-Visit"), Some(ContactType::HomeVisit));
        assert_eq!(ContactType::parse("text/email"), Some(ContactType::TextEmail));
        assert_eq!(ContactType::parse("email"), Some(ContactType::TextEmail));
        assert_eq!(ContactType::parse("carrier pigeon"), None);
        for t in ContactType::ALL {
            assert_eq!(ContactType::parse(t.as_str()), Some(*t));
            assert_eq!(ContactType::parse(t.label()), Some(*t));
        }
    }

    #[test]
    fn notes_validate_every_field() {
        let ok = NoteInput { body: "Visited; rent paid.".into(), ..Default::default() };
        let n = validate_note(&ok, now(), today()).unwrap();
        assert_eq!(n.contact_at, now());
        assert_eq!(n.contact_type, ContactType::Phone);
        let bad = NoteInput {
            contact_at: "tomorrow 10:00".into(),
            contact_type: "pigeon".into(),
            duration_minutes: "lots".into(),
            follow_up_on: "2026-13-01".into(),
            body: "   ".into(),
            ..Default::default()
        };
        let fields: Vec<_> =
            validate_note(&bad, now(), today()).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["contact_at", "contact_type", "duration_minutes", "follow_up_on", "body"]);
        let long = NoteInput { duration_minutes: "2000".into(), body: "x".into(), ..Default::default() };
        assert!(validate_note(&long, now(), today()).is_err());
    }

    #[test]
    fn note_refs() {
        assert_eq!(note_ref(12), "N-12");
        assert_eq!(parse_note_ref("N-12"), Some(12));
        assert_eq!(parse_note_ref("12"), Some(12));
        assert_eq!(parse_note_ref("N-"), None);
    }
}
