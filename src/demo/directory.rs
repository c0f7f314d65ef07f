//! A synthetic resource directory for `caseload demo` and the directory benchmark: made-up
//! organisations in made-up towns, with the variety a real directory has (several services per
//! organisation, shared places, many languages, entries checked recently, long ago or never).
//! Phone numbers are in the 555-01xx range reserved for fiction; web addresses use example.org.

use chrono::{Days, NaiveDate};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};

use crate::domain::directory::{
    DirectoryData, ImportedService, LocationRecord, OrganisationLink, OrganisationRecord, PhoneRecord,
    ServiceRecord,
};

/// Services in the directory `caseload demo` makes.
pub const DEMO_SERVICES: usize = 48;

const TOWNS: &[(&str, &str)] = &[
    ("Springfield", "SP1"),
    ("Riverside", "RV2"),
    ("Lakeside", "LK3"),
    ("Hillview", "HV1"),
    ("Northgate", "NG4"),
    ("Eastbrook", "EB5"),
    ("Westmoor", "WM6"),
    ("Oakley", "OK7"),
    ("Millbrook", "MB8"),
    ("Southport Green", "SG9"),
];
const STREETS: &[&str] = &[
    "Mill Lane",
    "High Street",
    "Station Road",
    "Church Walk",
    "Market Square",
    "Victoria Road",
    "Canal Side",
    "Park Avenue",
    "Queen's Parade",
    "Albert Terrace",
];
const ORG_KINDS: &[&str] = &[
    "Community Trust",
    "Advice Centre",
    "Housing Association",
    "Mind",
    "Food Partnership",
    "Family Hub",
    "Refugee Network",
    "Carers' Centre",
    "Law Centre",
    "Age Concern",
    "Recovery Service",
    "Women's Aid",
    "Youth Project",
    "Credit Union",
    "Health Centre",
];

/// (need category, service names, eligibility, how to refer)
const NEEDS: &[(&str, &[&str], &str, &str)] = &[
    (
        "Food",
        &["Food bank", "Community pantry", "Lunch club", "Emergency food parcels", "Community fridge"],
        "Anyone in need; a voucher from a professional helps but is not required.",
        "Self-referral: drop in, or phone first if you need a delivery.",
    ),
    (
        "Housing",
        &[
            "Housing advice",
            "Homelessness prevention",
            "Tenancy sustainment",
            "Night shelter",
            "Rough sleeper outreach",
        ],
        "Adults 18+ who live or work locally.",
        "Phone the duty line; professionals can email the referral form.",
    ),
    (
        "Money and debt",
        &["Debt advice", "Benefits advice", "Money management course", "Crisis grants", "Energy bill help"],
        "Residents of the borough; bring recent letters and bills.",
        "Book online or phone; referral form for professionals.",
    ),
    (
        "Mental health",
        &["Counselling", "Talking therapies", "Peer support group", "Crisis line", "Wellbeing café"],
        "Adults 16+; not an emergency service.",
        "Self-referral by phone or the online form; GP referral also accepted.",
    ),
    (
        "Legal",
        &["Legal advice clinic", "Immigration advice", "Family law clinic", "Housing law surgery"],
        "Free to people on low incomes; means test at first appointment.",
        "Email the referral form; urgent court dates by phone.",
    ),
    (
        "Employment",
        &["Job club", "CV workshop", "Skills for work", "Volunteering hub"],
        "Unemployed or underemployed adults.",
        "Drop in during opening hours.",
    ),
    (
        "Children and families",
        &["Baby bank", "Parent and toddler group", "Family support service", "Holiday activities"],
        "Families with children under 18 (baby bank: under 5).",
        "Professional referral by email; families may phone to ask.",
    ),
    (
        "Domestic abuse",
        &[
            "Domestic abuse helpline",
            "Refuge",
            "Independent domestic violence advocacy",
            "Safety planning drop-in",
        ],
        "Anyone experiencing domestic abuse; women-only refuge spaces.",
        "Phone the helpline (24 hours); professionals use the secure portal.",
    ),
    (
        "Substance use",
        &["Drug and alcohol service", "Needle exchange", "Recovery café"],
        "Adults 18+; young people's service for under 18s.",
        "Self-referral by phone or drop in.",
    ),
    (
        "Older people",
        &["Befriending", "Day centre", "Handyperson service", "Memory café"],
        "People aged 60 and over, and their carers.",
        "Phone or fax the referral form (fax 555-0199).",
    ),
    (
        "Disability and carers",
        &["Disability advice", "Wheelchair loan", "Carers' support", "Blue Badge help"],
        "Disabled people and unpaid carers.",
        "Phone or email; home visits by arrangement.",
    ),
    (
        "Health",
        &["Sexual health clinic", "Emergency dental", "Stop smoking service", "Health visiting drop-in"],
        "Registered with a local GP, or no GP at all.",
        "Walk in, or book by phone.",
    ),
    (
        "Language and migration",
        &["English classes (ESOL)", "Refugee welcome", "Interpreting service", "Asylum support drop-in"],
        "Refugees, asylum seekers and migrants; no documents needed.",
        "Drop in; interpreters available on request.",
    ),
];
const LANGUAGES: &[&str] = &[
    "Polish",
    "Urdu",
    "Arabic",
    "Spanish",
    "Portuguese",
    "Romanian",
    "Somali",
    "Bengali",
    "Ukrainian",
    "Tigrinya",
    "French",
    "Punjabi",
];
const HOURS: &[&str] = &[
    "Mon–Fri 09:00–17:00",
    "Tue, Thu 10:00–14:00",
    "Open 24 hours",
    "By appointment",
    "Wed 18:00–20:00 (term time only)",
    "Mon–Wed 09:30–16:30; Fri 09:30–12:00",
    "Sat 10:00–13:00",
    "Mon, Wed, Fri 12:00–14:00",
];
const FEES: &[&str] =
    &["Free", "Free", "Free", "Free; donations welcome", "£2 per session", "Sliding scale by income"];
const STATUSES: &[&str] =
    &["active", "active", "active", "active", "active", "active", "active", "temporarily closed"];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
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
pub fn demo_directory(services: usize, seed: u64, today: NaiveDate) -> DirectoryData {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = DirectoryData { format: "synthetic demo directory".into(), ..Default::default() };
    let mut made = 0usize;
    let mut org_no = 0usize;
    while made < services {
        org_no += 1;
        let (town, post) = *pick(&mut rng, TOWNS);
        let kind = *pick(&mut rng, ORG_KINDS);
        let name = if org_no <= TOWNS.len() * ORG_KINDS.len() / 2 {
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
            let (t, pc) = if p == 0 { (town, post) } else { *pick(&mut rng, TOWNS) };
            data.locations.push((
                LocationRecord {
                    source_id: Some(format!("demo-location-{org_no}-{p}")),
                    name: if p == 0 { format!("{name} office") } else { format!("{t} outreach room") },
                    address: format!("{} {}", rng.random_range(1..200), pick(&mut rng, STREETS)),
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
            let (category, names, eligibility, how) = *pick(&mut rng, NEEDS);
            let service_name = (*pick(&mut rng, names)).to_string();
            let mut languages = vec!["English".to_string()];
            for _ in 0..rng.random_range(0..3) {
                let l = pick(&mut rng, LANGUAGES).to_string();
                if !languages.contains(&l) {
                    languages.push(l);
                }
            }
            let mut categories = vec![category.to_string()];
            if rng.random_bool(0.25) {
                let other = pick(&mut rng, NEEDS).0.to_string();
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
                        pick(
                            &mut rng,
                            &[
                                "Friendly, confidential and non-judgemental.",
                                "Staffed by trained volunteers and two paid workers.",
                                "Part of a local partnership; can refer on to other services.",
                                "Busy on Mondays; quieter later in the week.",
                            ]
                        )
                    ),
                    status: pick(&mut rng, STATUSES).to_string(),
                    email: format!("{}@{org_slug}.example.org", slug(&service_name)),
                    website: format!("https://{org_slug}.example.org/{}", slug(&service_name)),
                    hours: pick(&mut rng, HOURS).to_string(),
                    eligibility: eligibility.to_string(),
                    fees: pick(&mut rng, FEES).to_string(),
                    languages: languages.join(", "),
                    how_to_refer: how.to_string(),
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
            });
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_directory_is_varied_and_repeatable() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let a = demo_directory(DEMO_SERVICES, 1, today);
        assert_eq!(a.services.len(), DEMO_SERVICES);
        assert_eq!(a, demo_directory(DEMO_SERVICES, 1, today));
        assert!(a.organisations.len() > 10);
        assert!(a.services.iter().any(|s| s.record.last_verified_on.is_none()));
        assert!(a.services.iter().any(|s| s.record.status != "active"));
        assert!(a.services.iter().all(|s| s.record.phones.iter().all(|p| p.number.starts_with("555-01"))));
        let big = demo_directory(10_000, 42, today);
        assert_eq!(big.services.len(), 10_000);
    }
}
