//! `caseload demo`, the clients themselves: who they are at intake. The words come from
//! `assets/demo/clients.json`.

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};
use fake::faker::name::raw::{FirstName, LastName};
use fake::locales::{DE_DE, EN, FR_FR, PT_BR};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use fake::Fake;
use serde::Deserialize;

use super::pick;
use crate::domain::client::{CaseStatus, Client, REFERRAL_SOURCES};
use crate::store::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    pronouns: Vec<String>,
    programmes: Vec<String>,
    languages: Vec<Language>,
    reasons: Vec<String>,
    best_contact: Vec<String>,
    emergency_relations: Vec<String>,
}

/// A language some clients speak, and whether those who speak it may want an interpreter.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Language {
    language: String,
    interpreter: bool,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "clients.json", include_str!("../../assets/demo/clients.json"))
}

/// One synthetic client at intake: a name from one of four locales, a birth date, contact
/// details in the ranges reserved for fiction, and a reason for referral.
pub fn synthetic_client(rng: &mut StdRng, today: NaiveDate) -> Result<Client> {
    let w = words()?;
    let (given, family): (String, String) = match rng.random_range(0..10) {
        0..=4 => (FirstName(EN).fake_with_rng(rng), LastName(EN).fake_with_rng(rng)),
        5 | 6 => (FirstName(PT_BR).fake_with_rng(rng), LastName(PT_BR).fake_with_rng(rng)),
        7 | 8 => (FirstName(FR_FR).fake_with_rng(rng), LastName(FR_FR).fake_with_rng(rng)),
        _ => (FirstName(DE_DE).fake_with_rng(rng), LastName(DE_DE).fake_with_rng(rng)),
    };
    // one of the fake crate's family names is written with a double quote (D"ávila)
    let (given, family) = (given.replace('"', "'"), family.replace('"', "'"));
    let age: u64 = rng.random_range(16..90);
    let dob = today.checked_sub_days(Days::new(age * 365 + rng.random_range(0..365))).unwrap_or(today);
    let estimated = rng.random_bool(0.05);
    let intake = today.checked_sub_days(Days::new(rng.random_range(0..5 * 365))).unwrap_or(today);
    let language = pick(rng, &w.languages);
    let preferred = if rng.random_bool(0.15) { given.chars().take(3).collect() } else { String::new() };
    let pronouns = pick(rng, &w.pronouns).to_string();
    // the genogram's symbol for the client follows the pronouns (no draw of its own)
    let sex = match pronouns.as_str() {
        "she/her" => "female",
        "he/him" => "male",
        _ => "unknown",
    };
    Ok(Client {
        given_name: given.clone(),
        family_name: family.clone(),
        preferred_name: preferred,
        pronouns,
        sex: sex.into(),
        date_of_birth: if estimated { NaiveDate::from_ymd_opt(dob.year(), 7, 1) } else { Some(dob) },
        birth_date_estimated: estimated,
        // 555-01xx numbers are reserved for fiction
        phone: format!("555-01{:02}", rng.random_range(0..100)),
        email: if rng.random_bool(0.5) {
            format!("{}.{}@example.org", given.to_lowercase(), family.to_lowercase()).replace(' ', "")
        } else {
            String::new()
        },
        address: format!("{} Example Street, Springfield", rng.random_range(1..300)),
        language: language.language.clone(),
        interpreter_needed: language.interpreter && rng.random_bool(0.7),
        best_contact: pick(rng, &w.best_contact).to_string(),
        safe_to_leave_message: *pick(rng, &[Some(true), Some(true), Some(false), None]),
        referral_source: pick(rng, REFERRAL_SOURCES).to_string(),
        referral_reason: pick(rng, &w.reasons).to_string(),
        intake_date: intake,
        programme: pick(rng, &w.programmes).to_string(),
        emergency_contact_name: if rng.random_bool(0.6) {
            format!("{} {}", FirstName(EN).fake_with_rng::<String, _>(rng), family)
        } else {
            String::new()
        },
        emergency_contact_phone: format!("555-01{:02}", rng.random_range(0..100)),
        emergency_contact_relation: pick(rng, &w.emergency_relations).to_string(),
        external_id: if rng.random_bool(0.3) {
            format!("EXT-{}", rng.random_range(10000..99999))
        } else {
            String::new()
        },
        status: CaseStatus::Open,
        ..Default::default()
    })
}
