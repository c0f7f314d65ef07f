//! A synthetic resource directory for `caseload demo` and the directory benchmark: made-up
//! organisations in made-up towns, with the variety a real directory has (several services per
//! organisation, shared places, many languages, entries checked recently, long ago or never).
//! Phone numbers are in the 555-01xx range reserved for fiction; web addresses use example.org.

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};
use serde::Deserialize;

use super::pick;

use crate::domain::directory::{
    DirectoryData, ImportedService, LocationRecord, OrganisationLink, OrganisationRecord, PhoneRecord,
    ServiceRecord,
};
use crate::store::Result;

/// Services in the directory `caseload demo` makes.
pub const DEMO_SERVICES: usize = 48;

/// HSDS service statuses, weighted: codes the app reads, not words (so they stay here).
const STATUSES: &[&str] =
    &["active", "active", "active", "active", "active", "active", "active", "temporarily closed"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    towns: Vec<Town>,
    streets: Vec<String>,
    /// "Springfield Advice Centre": the second half of an organisation's name.
    organisation_kinds: Vec<String>,
    needs: Vec<NeedServices>,
    /// Languages a service offers besides English.
    languages: Vec<String>,
    hours: Vec<String>,
    fees: Vec<String>,
    /// The second sentence of a service's description.
    descriptions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Town {
    town: String,
    /// The outward part of its postcodes.
    postcode: String,
}

/// A need category and the services that answer it, with who may use them and how to refer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedServices {
    category: String,
    services: Vec<String>,
    eligibility: String,
    how_to_refer: String,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "directory.json", include_str!("../../assets/demo/directory.json"))
}

fn slug(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_lowercase()
}

fn phone(rng: &mut StdRng, description: &str) -> PhoneRecord {
    PhoneRecord {
        number: format!("555-01{:02}", rng.random_range(0..100)),
        description: description.to_string(),
        kind: "voice".into(),
        ..Default::default()
    }
}

/// A synthetic directory of `services` services (about one organisation per two and a half),
/// the same for the same seed, with stable ids so that making it again updates nothing.
pub fn demo_directory(services: usize, seed: u64, today: NaiveDate) -> Result<DirectoryData> {
    let w = words()?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = DirectoryData { format: "synthetic demo directory".into(), ..Default::default() };
    let mut made = 0usize;
    let mut org_no = 0usize;
    while made < services {
        org_no += 1;
        let home = pick(&mut rng, &w.towns);
        let town = home.town.as_str();
        let kind = pick(&mut rng, &w.organisation_kinds).as_str();
        let name = if org_no <= w.towns.len() * w.organisation_kinds.len() / 2 {
            format!("{town} {kind}")
        } else {
            format!("{town} {kind} ({})", org_no)
        };
        let org_slug = slug(&name);
        let org_index = data.organisations.len();
        data.organisations.push(OrganisationRecord {
            source_id: Some(format!("demo-organisation-{org_no}")),
            name: name.clone(),
            description: format!("A made-up {} serving {town} and nearby.", kind.to_lowercase()),
            email: format!("info@{org_slug}.example.org"),
            website: format!("https://{org_slug}.example.org"),
            phones: vec![phone(&mut rng, "Reception")],
        });
        // one or two places
        let first_loc = data.locations.len();
        let places = if rng.random_bool(0.3) { 2 } else { 1 };
        for p in 0..places {
            let place = if p == 0 { home } else { pick(&mut rng, &w.towns) };
            let (t, pc) = (place.town.as_str(), place.postcode.as_str());
            data.locations.push((
                LocationRecord {
                    source_id: Some(format!("demo-location-{org_no}-{p}")),
                    name: if p == 0 { format!("{name} office") } else { format!("{t} outreach room") },
                    address: format!("{} {}", rng.random_range(1..200), pick(&mut rng, &w.streets)),
                    town: t.to_string(),
                    postcode: format!("{pc} {}{}", rng.random_range(1..10), ["AB", "CD", "EF", "GH"][p % 4]),
                    country: "UK".into(),
                    transport: if rng.random_bool(0.4) {
                        "Buses 12 and 41 stop outside.".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                },
                Some(org_index),
            ));
        }
        let count = rng.random_range(1..=4).min(services - made);
        for k in 0..count {
            made += 1;
            let need = pick(&mut rng, &w.needs);
            let category = need.category.as_str();
            let service_name = pick(&mut rng, &need.services).to_string();
            let mut languages = vec!["English".to_string()];
            for _ in 0..rng.random_range(0..3) {
                let l = pick(&mut rng, &w.languages).to_string();
                if !languages.contains(&l) {
                    languages.push(l);
                }
            }
            let mut categories = vec![category.to_string()];
            if rng.random_bool(0.25) {
                let other = pick(&mut rng, &w.needs).category.to_string();
                if other != category {
                    categories.push(other);
                }
            }
            // most entries were checked this year; some long ago; some never
            let roll: f64 = rng.random_range(0.0..1.0);
            let last_verified_on = if roll < 0.6 {
                today.checked_sub_days(Days::new(rng.random_range(0..330)))
            } else if roll < 0.85 {
                today.checked_sub_days(Days::new(rng.random_range(400..1_200)))
            } else {
                None
            };
            let wait = if rng.random_bool(0.3) {
                format!("\nWaiting time: about {} weeks.", rng.random_range(1..9))
            } else {
                String::new()
            };
            let mut locations = vec![first_loc + rng.random_range(0..places)];
            if places == 2 && rng.random_bool(0.3) {
                locations = vec![first_loc, first_loc + 1];
            }
            data.services.push(ImportedService {
                record: ServiceRecord {
                    source_id: Some(format!("demo-service-{made}")),
                    name: service_name.clone(),
                    description: format!(
                        "{service_name} run by {name}. {}{wait}",
                        pick(&mut rng, &w.descriptions)
                    ),
                    status: pick(&mut rng, STATUSES).to_string(),
                    email: format!("{}@{org_slug}.example.org", slug(&service_name)),
                    website: format!("https://{org_slug}.example.org/{}", slug(&service_name)),
                    hours: pick(&mut rng, &w.hours).to_string(),
                    eligibility: need.eligibility.clone(),
                    fees: pick(&mut rng, &w.fees).to_string(),
                    languages: languages.join(", "),
                    how_to_refer: need.how_to_refer.clone(),
                    categories,
                    last_verified_on,
                    phones: if k == 0 || rng.random_bool(0.5) {
                        vec![phone(&mut rng, "Referrals")]
                    } else {
                        Vec::new()
                    },
                    ..Default::default()
                },
                organisation: OrganisationLink::InFile(org_index),
                locations,
                origin: format!("demo service {made}"),
                aliases: Vec::new(),
            });
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_directory_is_varied_and_repeatable() -> Result<()> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = demo_directory(DEMO_SERVICES, 1, today)?;
        assert_eq!(a.services.len(), DEMO_SERVICES);
        assert_eq!(a, demo_directory(DEMO_SERVICES, 1, today)?);
        assert!(a.organisations.len() > 10);
        assert!(a.services.iter().any(|s| s.record.last_verified_on.is_none()));
        assert!(a.services.iter().any(|s| s.record.status != "active"));
        assert!(a.services.iter().all(|s| s.record.phones.iter().all(|p| p.number.starts_with("555-01"))));
        let big = demo_directory(10_000, 42, today)?;
        assert_eq!(big.services.len(), 10_000);
        Ok(())
    }
}
