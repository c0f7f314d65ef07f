//! Coordination and advocacy, pure rules: consents as typed, case conferences (attendees and
//! action items read from plain lines), transitions, advocacy items and mandated reports.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::assessment::make_ref;
use super::client::FieldError;
use super::consent::{validate_new, validate_revocation, Consent};
use super::dates::{parse_date, parse_datetime};
use super::text::{clean_line, clean_multiline};

pub fn consent_ref(id: i64) -> String {
    make_ref("RI", id)
}
pub fn conference_ref(id: i64) -> String {
    make_ref("CC", id)
}
pub fn action_ref(id: i64) -> String {
    make_ref("AI", id)
}
pub fn transition_ref(id: i64) -> String {
    make_ref("TR", id)
}
pub fn advocacy_ref(id: i64) -> String {
    make_ref("AD", id)
}
pub fn mandated_ref(id: i64) -> String {
    make_ref("MR", id)
}

const LINE_MAX: usize = 500;
const TEXT_MAX: usize = 100_000;

fn err(field: &'static str, m: impl Into<String>) -> FieldError {
    FieldError { field, message: m.into() }
}

fn line(field: &'static str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = clean_line(raw);
    if v.chars().count() > max {
        errors.push(err(field, format!("Too long: at most {max} characters.")));
    }
    v
}

fn text(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let v = clean_multiline(raw);
    if v.chars().count() > TEXT_MAX {
        errors.push(err(field, format!("Too long: at most {TEXT_MAX} characters.")));
    }
    v
}

fn day(field: &'static str, raw: &str, today: NaiveDate, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = clean_line(raw);
    if raw.is_empty() {
        return None;
    }
    match parse_date(&raw, today) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.push(err(field, m));
            None
        }
    }
}

fn past_day(
    field: &'static str,
    raw: &str,
    today: NaiveDate,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let d = day(field, raw, today, errors)?;
    if d > today {
        errors.push(err(field, format!("The {what} is in the future.")));
        return None;
    }
    Some(d)
}

// ---------------------------------------------------------------------------------------------
// Consent to share (release of information)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct ConsentInput {
    pub to_name: String,
    pub covers: String,
    pub signed_on: String,
    pub expires_on: String,
    pub notes: String,
}

/// A consent ready to store: the domain `Consent` plus notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDraft {
    pub consent: Consent,
    pub notes: String,
}

/// Checks a consent as typed. The signing date defaults to today; a consent that would expire
/// before it was signed is refused.
pub fn validate_consent(input: &ConsentInput, today: NaiveDate) -> Result<ConsentDraft, Vec<FieldError>> {
    let mut e = Vec::new();
    let to_name = line("to_name", &input.to_name, 200, &mut e);
    if to_name.is_empty() {
        e.push(err("to_name", "Say who may receive the information (a person or an organisation)."));
    }
    let covers_raw = line("covers", &input.covers, 1_000, &mut e);
    let signed = if clean_line(&input.signed_on).is_empty() {
        Some(today)
    } else {
        past_day("signed_on", &input.signed_on, today, "signing date", &mut e)
    };
    let expires = day("expires_on", &input.expires_on, today, &mut e);
    if let Err(m) = validate_new(signed, expires) {
        e.push(err("expires_on", m));
    }
    let notes = text("notes", &input.notes, &mut e);
    if !e.is_empty() {
        return Err(e);
    }
    let covers = if covers_raw.is_empty() { Vec::new() } else { vec![covers_raw] };
    Ok(ConsentDraft {
        consent: Consent { to_name, covers, signed_on: signed, expires_on: expires, revoked_on: None },
        notes,
    })
}

/// Checks a withdrawal: a date not in the future, not before the signing.
pub fn validate_withdrawal(
    signed: Option<NaiveDate>,
    raw: &str,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    let on = if clean_line(raw).is_empty() { today } else { parse_date(raw, today)? };
    if on > today {
        return Err("A withdrawal is recorded on or after the day it happened, not before.".into());
    }
    validate_revocation(signed, on).map_err(str::to_string)?;
    Ok(on)
}

// ---------------------------------------------------------------------------------------------
// Case conferences
// ---------------------------------------------------------------------------------------------

/// An action item read from a line such as `Sam: call the landlord by 2026-12-01`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub owner: String,
    pub text: String,
    pub due_on: Option<NaiveDate>,
}

/// Reads attendees, one per line or separated by commas or semicolons; repeats collapse.
pub fn parse_attendees(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(['\n', ',', ';']) {
        let name = clean_line(part.trim_start_matches(['-', '*', '•']));
        if !name.is_empty() && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}

/// Reads action items one per line: `owner: what needs doing by DATE`. The owner (before a
/// colon) and the due date (after a final "by" or "due") are optional; a date that cannot be
/// read is refused with the line's number, so nothing is guessed.
pub fn parse_action_items(text: &str, today: NaiveDate) -> Result<Vec<ActionDraft>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = clean_line(raw.trim_start_matches(['-', '*', '•', ' ']));
        if l.is_empty() {
            continue;
        }
        let (owner, rest) = match l.split_once(':') {
            Some((o, r)) if !o.trim().is_empty() && o.chars().count() <= 60 && !r.trim().is_empty() => {
                (o.trim().to_string(), r.trim().to_string())
            }
            _ => (String::new(), l.clone()),
        };
        let lower = rest.to_lowercase();
        let cut = [" by ", " due "].iter().filter_map(|k| lower.rfind(k).map(|p| (p, k.len()))).max();
        let (what, due_on) = match cut {
            Some((p, n)) => {
                let tail = rest[p + n..].trim().trim_end_matches(['.', ')']);
                match parse_date(tail, today) {
                    Ok(d) => (rest[..p].trim().to_string(), Some(d)),
                    // "by the housing officer": not a date, part of the task
                    Err(_) if tail.chars().any(|c| c.is_ascii_digit()) || tail.starts_with('+') => {
                        return Err(format!(
                            "Line {}: \"{}\" is not a date. Write it as YYYY-MM-DD, friday, +3d, +2w, +3m or tomorrow.",
                            i + 1,
                            crate::domain::text::fit(tail, 20)
                        ))
                    }
                    Err(_) => (rest.clone(), None),
                }
            }
            None => (rest.clone(), None),
        };
        if what.is_empty() {
            return Err(format!("Line {}: say what needs doing.", i + 1));
        }
        if what.chars().count() > LINE_MAX {
            return Err(format!("Line {}: keep an action item under {LINE_MAX} characters.", i + 1));
        }
        out.push(ActionDraft { owner, text: what, due_on });
    }
    if out.len() > 200 {
        return Err("At most 200 action items per conference.".into());
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct ConferenceInput {
    pub held_at: String,
    pub purpose: String,
    pub attendees: String,
    pub agenda: String,
    pub minutes: String,
    pub decisions: String,
    pub actions: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceDraft {
    pub held_at: DateTime<Utc>,
    pub purpose: String,
    pub attendees: Vec<String>,
    pub agenda: String,
    pub minutes: String,
    pub decisions: String,
    pub actions: Vec<ActionDraft>,
}

pub fn validate_conference(
    input: &ConferenceInput,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<ConferenceDraft, Vec<FieldError>> {
    let mut e = Vec::new();
    let held_at = match parse_datetime(&clean_line(&input.held_at), now) {
        Ok(t) => t,
        Err(m) => {
            e.push(err("held_at", m));
            now
        }
    };
    let purpose = line("purpose", &input.purpose, LINE_MAX, &mut e);
    if purpose.is_empty() {
        e.push(err("purpose", "Say what the conference was for (e.g. \"discharge planning\")."));
    }
    let attendees = parse_attendees(&input.attendees);
    if attendees.iter().any(|a| a.chars().count() > 200) {
        e.push(err("attendees", "An attendee's name is at most 200 characters."));
    }
    let agenda = text("agenda", &input.agenda, &mut e);
    let minutes = text("minutes", &input.minutes, &mut e);
    let decisions = text("decisions", &input.decisions, &mut e);
    let actions = match parse_action_items(&input.actions, today) {
        Ok(a) => a,
        Err(m) => {
            e.push(err("actions", m));
            Vec::new()
        }
    };
    if e.is_empty() {
        Ok(ConferenceDraft { held_at, purpose, attendees, agenda, minutes, decisions, actions })
    } else {
        Err(e)
    }
}

// ---------------------------------------------------------------------------------------------
// Transitions between services or levels of care
// ---------------------------------------------------------------------------------------------

pub const TRANSITION_KINDS: &[(&str, &str)] = &[
    ("hospital-discharge", "hospital discharge"),
    ("agency-move", "move to another agency"),
    ("step-down", "step down (less intensive care)"),
    ("step-up", "step up (more intensive care)"),
    ("custody-release", "release from custody"),
    ("school-move", "school or college move"),
    ("other", "other"),
];

pub fn transition_label(kind: &str) -> &str {
    TRANSITION_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or(kind)
}

#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    pub kind: String,
    pub on_date: String,
    pub from_service: String,
    pub to_service: String,
    pub handed_over: String,
    pub follow_up_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionDraft {
    pub kind: String,
    pub on_date: NaiveDate,
    pub from_service: String,
    pub to_service: String,
    pub handed_over: String,
    pub follow_up_on: Option<NaiveDate>,
}

pub fn validate_transition(
    input: &TransitionInput,
    today: NaiveDate,
) -> Result<TransitionDraft, Vec<FieldError>> {
    let mut e = Vec::new();
    let kind = clean_line(&input.kind);
    if !TRANSITION_KINDS.iter().any(|(k, _)| *k == kind) {
        e.push(err("kind", "Choose what kind of transition it is."));
    }
    let on_date = if clean_line(&input.on_date).is_empty() {
        e.push(err("on_date", "Enter the date of the transition."));
        today
    } else {
        day("on_date", &input.on_date, today, &mut e).unwrap_or(today)
    };
    let from_service = line("from_service", &input.from_service, LINE_MAX, &mut e);
    let to_service = line("to_service", &input.to_service, LINE_MAX, &mut e);
    if from_service.is_empty() && to_service.is_empty() {
        e.push(err("to_service", "Say where the client moves from or to."));
    }
    let handed_over = text("handed_over", &input.handed_over, &mut e);
    let follow_up_on = day("follow_up_on", &input.follow_up_on, today, &mut e);
    if let Some(f) = follow_up_on {
        if f < on_date {
            e.push(err("follow_up_on", "The follow-up comes after the transition, not before."));
        }
    }
    if e.is_empty() {
        Ok(TransitionDraft { kind, on_date, from_service, to_service, handed_over, follow_up_on })
    } else {
        Err(e)
    }
}

// ---------------------------------------------------------------------------------------------
// Advocacy
// ---------------------------------------------------------------------------------------------

/// Who advocacy is usually aimed at (the form offers these; anything may be typed).
pub const ADVOCACY_TARGETS: &[&str] = &[
    "benefits office",
    "housing office",
    "landlord",
    "school",
    "health service",
    "immigration office",
    "court",
    "utility company",
    "employer",
    "other agency",
];

#[derive(Debug, Clone, Default)]
pub struct AdvocacyInput {
    pub barrier: String,
    pub target: String,
    pub deadline: String,
    pub first_action: String,
    pub opened_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvocacyDraft {
    pub barrier: String,
    pub target: String,
    pub deadline: Option<NaiveDate>,
    pub opened_on: NaiveDate,
    /// An action taken when the item is opened, if any.
    pub first_action: String,
}

pub fn validate_advocacy(input: &AdvocacyInput, today: NaiveDate) -> Result<AdvocacyDraft, Vec<FieldError>> {
    let mut e = Vec::new();
    let barrier = line("barrier", &input.barrier, LINE_MAX, &mut e);
    if barrier.is_empty() {
        e.push(err(
            "barrier",
            "Say what stands in the client's way (e.g. \"benefit stopped after a missed letter\").",
        ));
    }
    let target = line("target", &input.target, 200, &mut e);
    if target.is_empty() {
        e.push(err("target", "Say who the advocacy is aimed at (agency, landlord, school...)."));
    }
    let deadline = day("deadline", &input.deadline, today, &mut e);
    let opened_on = if clean_line(&input.opened_on).is_empty() {
        today
    } else {
        past_day("opened_on", &input.opened_on, today, "date", &mut e).unwrap_or(today)
    };
    let first_action = text("first_action", &input.first_action, &mut e);
    if e.is_empty() {
        Ok(AdvocacyDraft { barrier, target, deadline, opened_on, first_action })
    } else {
        Err(e)
    }
}

// ---------------------------------------------------------------------------------------------
// Mandated reports
// ---------------------------------------------------------------------------------------------

pub const MANDATED_KINDS: &[(&str, &str)] =
    &[("child-protection", "child protection"), ("adult-protection", "adult protection")];

#[derive(Debug, Clone, Default)]
pub struct MandatedInput {
    pub kind: String,
    pub agency: String,
    pub reported_at: String,
    pub reference_number: String,
    pub what_reported: String,
    pub reported_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandatedDraft {
    pub kind: String,
    pub agency: String,
    pub reported_at: DateTime<Utc>,
    pub reference_number: String,
    pub what_reported: String,
    pub reported_by: String,
}

pub fn validate_mandated(
    input: &MandatedInput,
    now: DateTime<Utc>,
) -> Result<MandatedDraft, Vec<FieldError>> {
    let mut e = Vec::new();
    let kind = clean_line(&input.kind);
    if !MANDATED_KINDS.iter().any(|(k, _)| *k == kind) {
        e.push(err("kind", "Choose child protection or adult protection."));
    }
    let agency = line("agency", &input.agency, 200, &mut e);
    if agency.is_empty() {
        e.push(err("agency", "Name the agency the report was made to."));
    }
    let reported_at = match parse_datetime(&clean_line(&input.reported_at), now) {
        Ok(t) if t > now + chrono::Duration::minutes(5) => {
            e.push(err("reported_at", "A report is recorded after it was made, not before."));
            now
        }
        Ok(t) => t,
        Err(m) => {
            e.push(err("reported_at", m));
            now
        }
    };
    let reference_number = line("reference_number", &input.reference_number, 100, &mut e);
    let what_reported = text("what_reported", &input.what_reported, &mut e);
    if what_reported.trim().is_empty() {
        e.push(err("what_reported", "Write what was reported: the concern, as it was told to the agency."));
    }
    let reported_by = line("reported_by", &input.reported_by, 200, &mut e);
    if reported_by.is_empty() {
        e.push(err("reported_by", "Say who made the report."));
    }
    if e.is_empty() {
        Ok(MandatedDraft { kind, agency, reported_at, reference_number, what_reported, reported_by })
    } else {
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_consent_that_expires_before_it_was_signed_is_refused() {
        let e = validate_consent(
            &ConsentInput {
                to_name: "Dr Rao".into(),
                signed_on: "2026-11-01".into(),
                expires_on: "2026-10-01".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(e[0].field, "expires_on");
        assert!(e[0].message.contains("before it was signed"));
        let ok = validate_consent(
            &ConsentInput { to_name: " Dr Rao ".into(), expires_on: "+52w".into(), ..Default::default() },
            today(),
        )
        .unwrap();
        assert_eq!(ok.consent.signed_on, Some(today()), "signed today unless said");
        assert_eq!(ok.consent.to_name, "Dr Rao");
        assert!(ok.consent.covers.is_empty(), "empty covers everything");
        let e =
            validate_consent(&ConsentInput { signed_on: "2027-01-01".into(), ..Default::default() }, today())
                .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["to_name", "signed_on"]);
    }

    #[test]
    fn withdrawals_are_dated_sensibly() {
        let signed = NaiveDate::from_ymd_opt(2026, 6, 1);
        assert_eq!(validate_withdrawal(signed, "", today()), Ok(today()));
        assert!(validate_withdrawal(signed, "2026-05-01", today()).is_err());
        assert!(validate_withdrawal(signed, "tomorrow", today()).is_err());
    }

    #[test]
    fn attendees_are_read_one_per_line_or_by_commas() {
        assert_eq!(
            parse_attendees("Rosa, Dr Rao\n- Sam (housing)\nrosa;\n\n"),
            vec!["Rosa".to_string(), "Dr Rao".into(), "Sam (housing)".into()]
        );
    }

    #[test]
    fn action_items_have_an_owner_a_task_and_a_due_date() {
        let a = parse_action_items(
            "Sam: call the landlord by 2026-12-01\n- check the benefits letter due +1w\nRosa: lift to school by the bus stop\n\n",
            today(),
        )
        .unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(
            a[0],
            ActionDraft {
                owner: "Sam".into(),
                text: "call the landlord".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 12, 1)
            }
        );
        assert_eq!(a[1].owner, "");
        assert_eq!(a[1].due_on, NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(a[2].text, "lift to school by the bus stop", "words after 'by' that are no date stay");
        assert_eq!(a[2].due_on, None);
        let e = parse_action_items("ok\nSam: call by 2026-13-45", today()).unwrap_err();
        assert!(e.starts_with("Line 2"), "{e}");
        assert!(parse_action_items("Sam:  ", today()).unwrap()[0].text.contains("Sam"));
    }

    #[test]
    fn conferences_need_a_purpose_and_readable_actions() {
        let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc);
        let e = validate_conference(
            &ConferenceInput {
                held_at: "yesterday 14:00".into(),
                actions: "x by 99/99".into(),
                ..Default::default()
            },
            now,
            today(),
        )
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["purpose", "actions"]);
    }

    #[test]
    fn transitions_and_advocacy_and_reports_say_what_is_missing() {
        let e =
            validate_transition(&TransitionInput { kind: "teleport".into(), ..Default::default() }, today())
                .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["kind", "on_date", "to_service"]);
        let e = validate_transition(
            &TransitionInput {
                kind: "hospital-discharge".into(),
                on_date: "2026-11-20".into(),
                from_service: "Ward 7".into(),
                follow_up_on: "2026-11-01".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(e[0].field, "follow_up_on");
        let e = validate_advocacy(&AdvocacyInput::default(), today()).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["barrier", "target"]);
        let a = validate_advocacy(
            &AdvocacyInput {
                barrier: "Benefit stopped".into(),
                target: "benefits office".into(),
                deadline: "2026-12-15".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(a.opened_on, today());
        let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z").unwrap().with_timezone(&Utc);
        let e =
            validate_mandated(&MandatedInput { reported_at: "tomorrow".into(), ..Default::default() }, now)
                .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["kind", "agency", "reported_at", "what_reported", "reported_by"]);
    }
}
