//! The resource directory against real temporary SQLite files: hand entry, listing, search,
//! verification, and (below) imports of real and deliberately broken HSDS files.

use crate::common::*;
use caseload::domain::directory::{validate_service, ServiceInput, Verification};
use caseload::store::StoreError;

fn entry(org: &str, name: &str) -> ServiceInput {
    ServiceInput { organisation: org.into(), name: name.into(), ..Default::default() }
}

fn add(store: &mut caseload::store::Store, input: &ServiceInput) -> i64 {
    let e = validate_service(input, fixed_now().date_naive()).unwrap();
    store.add_service(&e, fixed_now()).unwrap()
}

#[test]
fn a_service_typed_by_hand_is_saved_with_its_organisation_place_and_phones() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let id = add(
        &mut store,
        &ServiceInput {
            phones: "555-0100; 555-0199 ext 4".into(),
            email: "food@example.org".into(),
            website: "example.org/food".into(),
            address: "12 Mill Lane".into(),
            town: "Riverside".into(),
            postcode: "RS1 2AB".into(),
            hours: "Mon–Fri 09:00–17:00\nSat by appointment".into(),
            languages: "English, Polish".into(),
            categories: "Food, Emergency help".into(),
            last_verified_on: "2026-03-01".into(),
            notes: "Ask for Sam.".into(),
            ..entry("Riverside Food Bank", "Emergency food parcels")
        },
    );
    let s = store.service(id).unwrap();
    assert_eq!(s.reference, "S-0001");
    assert_eq!(s.organisation.reference, "O-0001");
    assert_eq!(s.organisation.name, "Riverside Food Bank");
    assert_eq!(s.phones.len(), 2);
    assert_eq!(s.locations.len(), 1);
    assert_eq!(s.locations[0].record.town, "Riverside");
    assert_eq!(s.categories, vec!["Emergency help", "Food"]);
    assert_eq!(s.hours, "Mon–Fri 09:00–17:00\nSat by appointment");
    assert_eq!(s.verification(fixed_now().date_naive()), Verification::Current);

    // a second service of the same organisation, named by its ref or its name, shares it
    add(&mut store, &entry("O-0001", "Debt advice drop-in"));
    add(&mut store, &entry("riverside food bank", "Baby bank"));
    assert_eq!(store.count_organisations().unwrap(), 1);
    assert_eq!(store.organisation_services(1).unwrap().len(), 3);
}

#[test]
fn an_unknown_organisation_ref_is_refused_at_the_field_and_nothing_is_saved() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let e = validate_service(&entry("O-0042", "Anything"), fixed_now().date_naive()).unwrap();
    match store.add_service(&e, fixed_now()) {
        Err(StoreError::Invalid(errs)) => assert_eq!(errs[0].field, "organisation"),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.count_services().unwrap(), 0);
    assert_eq!(store.count_organisations().unwrap(), 0);
}

#[test]
fn editing_changes_the_service_its_place_and_the_search_index() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let id = add(&mut store, &ServiceInput { town: "Riverside".into(), ..entry("Hill Trust", "Warm space") });
    assert_eq!(store.search_directory("riverside", false, 10).unwrap().len(), 1);
    let mut input = store.service(id).unwrap().input();
    input.town = "Lakeside".into();
    input.name = "Warm space and soup".into();
    input.notes = "Dogs welcome.".into();
    let e = validate_service(&input, fixed_now().date_naive()).unwrap();
    store.update_service(id, &e, fixed_now()).unwrap();
    let s = store.service(id).unwrap();
    assert_eq!(s.name, "Warm space and soup");
    assert_eq!(s.locations[0].record.town, "Lakeside");
    assert_eq!(s.notes, "Dogs welcome.");
    assert!(store.search_directory("riverside", false, 10).unwrap().is_empty());
    assert_eq!(store.search_directory("soup lakeside", false, 10).unwrap()[0].id, id);
    assert!(matches!(store.update_service(99, &e, fixed_now()), Err(StoreError::NotFound(_))));
}

#[test]
fn search_finds_names_descriptions_categories_languages_and_towns_ranked() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let housing = add(
        &mut store,
        &ServiceInput {
            categories: "Housing".into(),
            town: "Lakeside".into(),
            ..entry("Shelter Co", "Housing advice")
        },
    );
    let mention = add(
        &mut store,
        &ServiceInput {
            description: "We can also point you to housing help.".into(),
            ..entry("Food Co", "Community café")
        },
    );
    let polish = add(
        &mut store,
        &ServiceInput {
            languages: "Polish, Urdu".into(),
            town: "Hillview".into(),
            ..entry("Talk Co", "Counselling")
        },
    );
    let hits = store.search_directory("housing", false, 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![housing, mention],
        "name before description"
    );
    assert_eq!(store.search_directory("urdu", false, 10).unwrap()[0].id, polish);
    assert_eq!(store.search_directory("hillv", true, 10).unwrap()[0].id, polish, "prefix as you type");
    assert_eq!(store.search_directory("cafe", false, 10).unwrap()[0].id, mention, "accents ignored");
    assert!(store.search_directory("\"unclosed AND (", true, 10).is_ok());
    assert!(store.search_directory("   ", true, 10).unwrap().is_empty());
}

#[test]
fn lists_page_by_name_and_entries_unchecked_for_a_year_are_flagged() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    add(
        &mut store,
        &ServiceInput { last_verified_on: "2024-01-01".into(), ..entry("B", "Zebra crossing club") },
    );
    add(&mut store, &ServiceInput { last_verified_on: "2026-06-01".into(), ..entry("A", "Allotment group") });
    add(&mut store, &entry("C", "Memory café"));
    let page = store.services_page(0, 2).unwrap();
    assert_eq!(
        page.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec!["Allotment group", "Memory café"]
    );
    let today = fixed_now().date_naive();
    assert_eq!(page[0].verification(today), Verification::Current);
    assert_eq!(page[1].verification(today), Verification::Never);
    let last = store.services_page(2, 2).unwrap();
    assert_eq!(last[0].verification(today), Verification::Stale);
    assert_eq!(store.service_ids().unwrap().len(), 3);
}

#[test]
fn services_resolve_by_ref_or_unique_name() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    add(&mut store, &entry("A", "Food parcels"));
    add(&mut store, &entry("A", "Food vouchers"));
    assert_eq!(store.resolve_service("S-0002").unwrap().name, "Food vouchers");
    assert_eq!(store.resolve_service("parcels").unwrap().reference, "S-0001");
    assert!(matches!(store.resolve_service("food"), Err(StoreError::Refused(m)) if m.contains("S-0001")));
    assert!(matches!(store.resolve_service("nothing like it"), Err(StoreError::NotFound(_))));
    assert!(matches!(store.resolve_service("S-0099"), Err(StoreError::NotFound(_))));
}

// ---- imports -------------------------------------------------------------------------------

use caseload::domain::directory::{DirectoryData, ImportedService, OrganisationLink, ServiceRecord};
use caseload::import::{import_path, ImportError};
use caseload::store::directory::{ImportProgress, ImportReport};

fn import(store: &mut caseload::store::Store, rel: &str) -> Result<ImportReport, ImportError> {
    import_path(store, &fixture(rel), fixed_now(), &mut |_| {})
}

fn totals(store: &caseload::store::Store) -> (i64, i64, i64) {
    (store.count_organisations().unwrap(), store.count_services().unwrap(), store.count_locations().unwrap())
}

#[test]
fn the_hsds_1_sample_datapackage_imports_with_every_count_checked() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let mut ticks: Vec<ImportProgress> = Vec::new();
    let r = import_path(&mut store, &fixture("hsds-sample"), fixed_now(), &mut |p| ticks.push(p)).unwrap();
    assert_eq!(r.format, "HSDS 1.x/2.x datapackage (CSV)");
    assert_eq!((r.organisations.added, r.services.added, r.locations.added), (10, 13, 10));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert!(r.placeholder_organisations.is_empty());
    assert_eq!(totals(&store), (10, 13, 10));
    assert_eq!(ticks.first(), Some(&ImportProgress { done: 0, total: 33 }));
    assert_eq!(ticks.last(), Some(&ImportProgress { done: 33, total: 33 }));

    let s = store.resolve_service("Never Homeless Helpline").unwrap();
    assert_eq!(s.organisation.name, "Sanctuary Example City");
    assert_eq!(s.hours, "Mon–Wed 09:00–17:00\nClosed 2019-12-24 to 2019-12-26");
    assert_eq!(s.languages, "English, Spanish; interpretation: over the phone");
    assert!(s.eligibility.starts_with("adult\nArea: Sample service area"), "{}", s.eligibility);
    assert_eq!(s.fees, "Payment accepted: cash, credit card");
    assert_eq!(s.how_to_refer, "Call for further information\nDocuments needed: Sample required document");
    assert_eq!(s.locations[0].record.town, "New York City");
    assert_eq!(s.locations[0].record.full_address(), "Address 1, Address 2, New York City, NY 10001, US");
    // multi-line HTML descriptions are kept as written
    let silvers = store.resolve_service("Dear Teacher").unwrap();
    assert!(silvers.description.contains("\n"), "{:?}", silvers.description);
    // phones: kept as given, found through the service-at-location, the location and the organisation
    let laundry = store.resolve_service("Bubbles at The Cross").unwrap();
    let numbers: Vec<&str> = laundry.phones.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, vec!["(223) 4567 12534", "(773) 2351 2461"]);
    assert_eq!(laundry.phones[0].languages, "en, es");
    let cross = &laundry.organisation;
    assert_eq!(cross.phones.len(), 2, "the trust's voice line and textphone");
    let phones: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM directory_phones", [], |r| r.get(0))
        .unwrap();
    assert_eq!(phones, 5);
    // three services share one location
    assert_eq!(store.search_directory("Example City", false, 50).unwrap().len(), 13);
    // nothing in the sample records a verification, so everything is flagged
    assert!(s.verification(fixed_now().date_naive()).needs_check());
}

#[test]
fn importing_the_same_file_again_updates_instead_of_duplicating() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    import(&mut store, "hsds-sample").unwrap();
    let id = store.resolve_service("Yound Minds").unwrap().id;
    // a hand edit survives a re-import of an unchanged file
    let mut input = store.service(id).unwrap().input();
    input.notes = "Spoke to the coordinator in May.".into();
    input.last_verified_on = "2026-11-01".into();
    store
        .update_service(id, &validate_service(&input, fixed_now().date_naive()).unwrap(), fixed_now())
        .unwrap();
    let again = import(&mut store, "hsds-sample").unwrap();
    assert_eq!((again.services.added, again.services.updated, again.services.unchanged), (0, 0, 13));
    assert_eq!((again.organisations.added, again.locations.added), (0, 0));
    assert_eq!(totals(&store), (10, 13, 10));
    let s = store.service(id).unwrap();
    assert_eq!(s.notes, "Spoke to the coordinator in May.");
    assert!(!s.verification(fixed_now().date_naive()).needs_check());
}

#[test]
fn hsds_3_json_records_arrays_pages_and_csv_packages_import() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds3/service_full.json").unwrap();
    assert_eq!(r.format, "HSDS 3.0 JSON");
    assert_eq!((r.organisations.added, r.services.added, r.locations.added), (1, 1, 1));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let s = store.resolve_service("Community Counselling").unwrap();
    assert_eq!(s.organisation.name, "Example Organization Inc.");
    assert_eq!(s.phones[0].number, "+44 1234 234567", "wrapping quotes tidied");
    assert_eq!(s.phones[0].extension, "100");
    assert_eq!(s.last_verified_on.map(|d| d.to_string()).as_deref(), Some("2005-01-01"), "assured_date");
    assert!(s.hours.starts_with("Thu, Fri 10:00–18:00"), "{}", s.hours);
    assert!(s.fees.contains("£50 per hour"));
    assert!(s.languages.starts_with("Urdu"));
    assert_eq!(s.locations[0].record.town, "MyCity");
    assert_eq!(s.categories, vec!["name"], "the example's taxonomy term is literally called \"name\"");

    // the same service and organisation from other shapes update what is there
    for file in ["hsds3/service_list.json", "hsds3/organization_full.json", "hsds3/organization_list.json"] {
        let r = import(&mut store, file).unwrap();
        assert_eq!(r.services.added + r.organisations.added, 0, "{file}: {r:?}");
    }
    let r = import(&mut store, "hsds3/service_at_location_full.json").unwrap();
    assert_eq!(r.services.added, 0);
    let r = import(&mut store, "hsds3/csv").unwrap();
    assert_eq!(r.format, "HSDS 3.0 datapackage (CSV)");
    assert_eq!(r.services.added, 0);
    assert_eq!(totals(&store), (1, 1, 1));
}

#[test]
fn a_messy_package_imports_with_a_clear_report() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-broken/messy").unwrap();
    assert_eq!((r.organisations.added, r.services.added, r.locations.added), (2, 4, 1), "{r:#?}");
    assert_eq!(r.duplicates_collapsed, 3);
    let reasons: Vec<String> = r.skipped.iter().map(|s| format!("{}: {}", s.origin, s.reason)).collect();
    assert_eq!(reasons.len(), 4, "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.starts_with("service.csv line 6: service has no name")), "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("service s2 appears again with a different name")));
    assert!(reasons.iter().any(|r| r.contains("refers to location l9")));
    assert!(reasons.iter().any(|r| r.contains("refers to service s9")));
    let names: Vec<&str> = r.placeholder_organisations.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Organisation not in the file (id o-missing)", "Organisation not named in the file"]
    );
    assert_eq!(r.placeholder_organisations[0].services, vec!["S-0002"]);

    let warm = store.resolve_service("Warm Space").unwrap();
    assert_eq!(warm.organisation.name, "Hillview Community Trust", "stray whitespace trimmed");
    assert_eq!(warm.description, "Tea, heating and company.\nBring a friend.");
    assert_eq!(warm.phones[0].number, "+44 (0)20 7946 0000");
    assert_eq!(warm.hours, "Mon 09:00–17:00\nTue 9am–noon", "unreadable hours kept as given");
    assert_eq!(warm.locations[0].record.address, "12 Mill Lane");
    assert_eq!(warm.organisation.description, "Runs the hall.\nVolunteers welcome.", "CRLF and BOM");
    assert_eq!(warm.organisation.phones[0].number, "ring the front desk", "kept as given");

    // a later file that contains the missing organisation fills in the placeholder
    let again = import(&mut store, "hsds-broken/messy").unwrap();
    assert_eq!((again.services.added, again.services.unchanged), (0, 4));
    assert_eq!(again.placeholder_organisations.len(), 2, "still reported while still in use");
}

#[test]
fn unreadable_files_refuse_the_whole_import_and_change_nothing() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    import(&mut store, "hsds-broken/messy").unwrap();
    let before = totals(&store);
    for (rel, says) in [
        ("hsds-broken/missing-columns", "services.csv has no \"name\" column"),
        ("hsds-broken/bad-utf8", "services.csv is not UTF-8"),
        ("hsds-broken/broken-quoting", "services.csv cannot be read: line 2: a quoted field"),
        ("hsds-messy/not-hsds-folder", "none of its CSV files is named as an HSDS table"),
        ("hsds-broken/not-hsds.json", "not HSDS"),
        ("hsds-broken/broken.json", "not valid JSON (line 2"),
        ("hsds-broken/no-such-folder", "There is nothing at"),
        ("hsds-sample/services.csv", "neither an HSDS datapackage folder nor"),
    ] {
        let e = import(&mut store, rel).unwrap_err();
        assert!(e.is_bad_input(), "{rel}");
        assert!(e.to_string().contains(says), "{rel}: {e}");
        assert!(e.to_string().contains("Nothing was imported"), "{rel}: {e}");
        assert_eq!(totals(&store), before, "{rel} changed nothing");
    }
}

#[test]
fn an_import_that_fails_half_way_leaves_nothing_behind() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let service = |name: &str, org| ImportedService {
        record: ServiceRecord { name: name.into(), ..Default::default() },
        organisation: org,
        locations: vec![],
        origin: "test".into(),
        aliases: vec![],
    };
    let data = DirectoryData {
        services: vec![
            service("First", OrganisationLink::Missing { source_id: None }),
            service("Second", OrganisationLink::InFile(7)),
        ],
        ..Default::default()
    };
    assert!(store.import_directory(&data, fixed_now(), &mut |_| {}).is_err());
    assert_eq!(totals(&store), (0, 0, 0));
}

// ---- demo ----------------------------------------------------------------------------------

#[test]
fn demo_makes_a_synthetic_directory_once_and_refuses_a_real_one() {
    use caseload::demo::directory::DEMO_SERVICES;
    use caseload::demo::{generate, DemoOptions};
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let opts = DemoOptions { clients: 3, seed: 1, notes_per_client: 1 };
    let r = generate(&mut store, &opts, fixed_now()).unwrap();
    assert_eq!(r.services, DEMO_SERVICES);
    assert_eq!(store.count_services().unwrap(), DEMO_SERVICES as i64);
    let today = fixed_now().date_naive();
    let all = store.services_page(0, 100).unwrap();
    assert!(all.iter().any(|s| s.verification(today).needs_check()));
    assert!(all.iter().any(|s| !s.verification(today).needs_check()));
    assert!(!store.search_directory("food", false, 10).unwrap().is_empty());
    // a second run adds clients but finds the directory already there
    let again = generate(&mut store, &opts, fixed_now()).unwrap();
    assert_eq!((again.clients, again.services), (3, 0));
    assert_eq!(store.count_services().unwrap(), DEMO_SERVICES as i64);

    // a database holding only a real directory is real records too
    let (_d2, real) = temp_db();
    let mut store = open(&real);
    import(&mut store, "hsds-sample").unwrap();
    assert!(matches!(generate(&mut store, &opts, fixed_now()), Err(StoreError::Refused(_))));
    assert_eq!(store.count_clients().unwrap(), 0);
    assert_eq!(store.count_services().unwrap(), 13);
}

// ---- nasty input ---------------------------------------------------------------------------

#[test]
fn nasty_input_is_stored_clean_or_refused_and_never_breaks_search() {
    let fixtures: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/nasty-input.json")).expect("fixture parses");
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let today = fixed_now().date_naive();
    for case in fixtures.as_array().unwrap() {
        let mut text = case["text"].as_str().unwrap_or("").to_string();
        if let Some(n) = case.get("repeat").and_then(|r| r.as_u64()) {
            text = text.repeat(n as usize);
        }
        let input = ServiceInput {
            organisation: text.clone(),
            name: text.clone(),
            description: text.clone(),
            phones: text.clone(),
            website: text.clone(),
            town: text.clone(),
            categories: text.clone(),
            last_verified_on: text.clone(),
            ..Default::default()
        };
        let before = store.count_services().unwrap();
        match validate_service(&input, today) {
            Ok(e) => {
                let id = store.add_service(&e, fixed_now()).unwrap();
                let s = store.service(id).unwrap();
                for v in [&s.name, &s.description, &s.organisation.name, &s.categories.join(",")] {
                    assert!(
                        !v.chars().any(|c| c.is_control() && c != '\n'),
                        "{}: control stored",
                        case["label"]
                    );
                }
            }
            Err(errors) => {
                assert!(errors.iter().all(|e| !e.message.is_empty()));
                assert_eq!(store.count_services().unwrap(), before, "nothing half-saved");
            }
        }
        // whatever is typed into search answers without an error
        store.search_directory(&text, true, 20).unwrap();
        store.search_directory(&text, false, 20).unwrap();
    }
}

#[test]
fn one_or_two_letters_list_names_that_start_with_them() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    for name in ["Counselling", "Community café", "Food bank", "Cookery club"] {
        add(&mut store, &ServiceInput { description: "co co co".into(), ..entry("Org", name) });
    }
    let names = |hits: Vec<caseload::store::directory::ServiceSummary>| {
        hits.into_iter().map(|s| s.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(store.search_directory("Co", true, 10).unwrap()),
        vec!["Community café", "Cookery club", "Counselling"]
    );
    assert_eq!(names(store.search_directory("f", true, 10).unwrap()), vec!["Food bank"]);
    // a short fragment after a word waits for its third letter
    assert_eq!(store.search_directory("food ba", true, 10).unwrap().len(), 1);
    assert_eq!(store.search_directory("food zz", true, 10).unwrap().len(), 1);
    assert_eq!(store.search_directory("food zzz", true, 10).unwrap().len(), 0);
}

/// A 20,000-character service name went in, though the form and the CLI stop at 300: a file
/// with a value longer than its field is refused whole, saying where, and nothing is imported.
#[test]
fn an_hsds_value_longer_than_its_field_is_refused_whole() {
    let (d, path) = temp_db();
    let mut store = open(&path);
    let text = std::fs::read_to_string(crate::common::fixture("hsds3/service_full.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["name"] = serde_json::Value::String("N".repeat(20_000));
    let file = d.path().join("long.json");
    std::fs::write(&file, json.to_string()).unwrap();
    let e = caseload::import::import_path(&mut store, &file, fixed_now(), &mut |_| {}).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("name is 20000 characters") && m.contains("at most 300"), "{m}");
    assert!(m.contains("Nothing was imported"), "{m}");
    assert_eq!(totals(&store), (0, 0, 0));
}

/// The search finds services by what they offer: "food" finds a pantry by its need category and
/// a soup kitchen whose entry never says "food" (its category "Meals" is a synonym); the other
/// way round, "meals" finds the pantry.
#[test]
fn search_finds_services_by_what_they_offer_through_categories_and_synonyms() {
    use crate::common::food::*;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let (pantry, kitchen, course) = food_directory(&mut store);
    for typed in [true, false] {
        let ids = store.search_directory_ids("food", typed, 50).unwrap();
        assert!(ids.contains(&pantry) && ids.contains(&kitchen), "typing {typed}: {ids:?}");
        assert!(ids.contains(&course), "its name says food");
    }
    let meals = store.search_directory_ids("meals", false, 50).unwrap();
    assert!(meals.contains(&pantry) && meals.contains(&kitchen), "{meals:?}");
    assert!(store.search_directory_ids("groceries lakeside", false, 50).unwrap() == vec![kitchen]);
    // the rest of a search still narrows: food in Riverside is the pantry only
    assert_eq!(store.search_directory_ids("food riverside", false, 50).unwrap(), vec![pantry]);
    assert!(store.search_directory_ids("training", false, 50).unwrap() == vec![course]);
    // nothing typed around a synonym can break the query
    for odd in ["food (", "food AND", "\"food\" meals*", "NOT food", "food OR meals", "food: ^", "meal* food"]
    {
        for typed in [true, false] {
            assert!(store.search_directory_ids(odd, typed, 50).is_ok(), "{odd}");
        }
    }
}

// ---- messy real directories (issue 20) -----------------------------------------------------

fn phones_of(s: &caseload::store::directory::Service) -> Vec<(String, String)> {
    s.phones.iter().map(|p| (p.number.clone(), p.extension.clone())).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, e)| (n.to_string(), e.to_string())).collect()
}

#[test]
fn phones_in_many_shapes_import_as_numbers_and_extensions_and_no_phone_as_none() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/phones").unwrap();
    let eviction = store.resolve_service("Eviction defence").unwrap();
    assert_eq!(
        phones_of(&eviction),
        pairs(&[("(312) 555-0106", ""), ("847-555-0100", "321"), ("618.555.0115", "")])
    );
    let benefits = store.resolve_service("Benefits appeals").unwrap();
    assert_eq!(
        phones_of(&benefits),
        pairs(&[("3125550100", ""), ("312-555-0107", "715"), ("312-555-0108", "331")])
    );
    let desk = store.resolve_service("Court help desk").unwrap();
    assert_eq!(
        phones_of(&desk),
        pairs(&[
            ("1-800-LAW-REP-4", ""),
            ("844-RIGHTS-9 (844-744-4879)", ""),
            ("312-555-0109", ""),
            ("312-555-0110", ""),
            ("312-555-0111", ""),
            ("312-555-0112", "9"),
        ])
    );
    // "none" and "n/a" are no phone; the extension column still reaches its number
    let org: Vec<(String, String)> =
        desk.organisation.phones.iter().map(|p| (p.number.clone(), p.extension.clone())).collect();
    assert_eq!(org, pairs(&[("312-555-0113", "44")]));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    let no_phone: Vec<&str> = r
        .interpreted
        .iter()
        .filter(|i| i.reading == caseload::domain::directory::Reading::NoPhone)
        .map(|i| i.origin.as_str())
        .collect();
    assert_eq!(no_phone, vec!["phones.csv line 12", "phones.csv line 13", "phones.csv line 14"]);
    let lines = r.lines().join("\n");
    assert!(lines.contains("3 phone fields say there is no phone"), "{lines}");
    assert!(lines.contains("2 phone fields hold several numbers"), "{lines}");
    assert!(!lines.contains("no phone ext"), "{lines}");
    // a second import changes nothing
    let again = import(&mut store, "hsds-messy/phones").unwrap();
    assert_eq!((again.services.unchanged, again.services.updated), (3, 0));
}

#[test]
fn addresses_given_to_the_organisation_or_the_service_say_where_and_whose_they_are() {
    use caseload::domain::directory::Reading;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/addresses").unwrap();
    // no location link at all: the organisation's address, marked as such
    let hotline = store.resolve_service("Tenant hotline").unwrap();
    assert_eq!(hotline.locations.len(), 1);
    let place = &hotline.locations[0].record;
    assert_eq!((place.address.as_str(), place.town.as_str()), ("150 Court Street", "Northfield"));
    assert_eq!(
        place.place_line(),
        "150 Court Street, Northfield, IL 60601, US (address of the organisation)"
    );
    // a location without an address: the location stays, the organisation's address is added
    let clinic = store.resolve_service("Family court clinic").unwrap();
    let lines: Vec<String> = clinic.locations.iter().map(|l| l.record.place_line()).collect();
    assert_eq!(
        lines,
        vec![
            "Northfield courthouse desk".to_string(),
            "150 Court Street, Northfield, IL 60601, US (address of the organisation)".to_string()
        ]
    );
    // the service's own address, with its leading zero
    let mobile = store.resolve_service("Mobile housing advice").unwrap();
    assert_eq!(mobile.locations.len(), 1);
    assert_eq!(
        mobile.locations[0].record.place_line(),
        "9 Harbour Road, Riverbend, CT 06010, US (address of the service)"
    );
    // a location's own address wins over the organisation's
    let repairs = store.resolve_service("Repairs advice").unwrap();
    let lines: Vec<String> = repairs.locations.iter().map(|l| l.record.place_line()).collect();
    assert_eq!(lines, vec!["Riverbend drop-in — 2 Mill Row, Riverbend, CT 06011, US".to_string()]);
    // the list shows the town
    let list = store.services_page(0, 10).unwrap();
    let hot = list.iter().find(|s| s.name == "Tenant hotline").unwrap();
    assert_eq!(hot.town, "Northfield");
    // the report says what was interpreted, and each skip names the file, the line and what was missing
    let count = |reading: Reading| r.interpreted.iter().filter(|i| i.reading == reading).count();
    assert_eq!(count(Reading::AddressOfOrganisation), 2);
    assert_eq!(count(Reading::AddressOfService), 1);
    let text = r.lines().join("\n");
    assert!(text.contains("2 addresses taken from their organisation"), "{text}");
    assert!(text.contains("1 address taken from the service's own record"), "{text}");
    let skips: Vec<String> = r.skipped.iter().map(|s| format!("{}: {}", s.origin, s.reason)).collect();
    assert_eq!(
        skips,
        vec![
            "physical_addresses.csv line 6: address names no location, service or organisation (its location_id, \
             service_id and organization_id are empty)",
            "physical_addresses.csv line 7: address refers to location loc9, which is not in the file",
            "physical_addresses.csv line 8: address refers to organisation org9, which is not in the file",
            "services_at_location.csv line 4: service-at-location names no location (its location_id is empty)",
        ]
    );
    // importing the same folder again changes nothing
    let again = import(&mut store, "hsds-messy/addresses").unwrap();
    assert_eq!((again.locations.added, again.locations.updated), (0, 0));
    assert_eq!((again.services.added, again.services.updated), (0, 0));
}

#[test]
fn schedules_with_day_names_short_times_closed_days_and_12_hour_times_read_in_words() {
    use caseload::domain::directory::Reading;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/schedules").unwrap();
    let walk_in = store.resolve_service("Walk-in advice").unwrap();
    assert_eq!(
        walk_in.hours,
        "Mon, Tue, Thu 09:00–17:00; Wed 10:00–16:00 (closing time read as pm — check); Fri 09:00–12:30; \
         Sat, Sun closed"
    );
    let phone = store.resolve_service("Phone advice").unwrap();
    assert_eq!(
        phone.hours,
        "Hours of the organisation: Mon, Tue 08:30–17:00 (closing time read as pm — check)"
    );
    let count = |reading: Reading| r.interpreted.iter().filter(|i| i.reading == reading).count();
    assert_eq!(count(Reading::Afternoon), 3);
    assert_eq!(count(Reading::HoursOfOrganisation), 1);
    let text = r.lines().join("\n");
    assert!(
        text.contains("3 opening times read as afternoon (12-hour times without am/pm) — check"),
        "{text}"
    );
    assert!(
        text.contains(
            "regular_schedules.csv line 4, regular_schedules.csv line 9, regular_schedules.csv line 10"
        ),
        "{text}"
    );
    let skips: Vec<String> = r.skipped.iter().map(|s| format!("{}: {}", s.origin, s.reason)).collect();
    assert_eq!(
        skips,
        vec![
            "regular_schedules.csv line 11: schedule refers to service svc9, which is not in the file",
            "regular_schedules.csv line 12: schedule names no service, location or organisation (its service_id, \
             location_id and organization_id are empty)",
        ]
    );
    let again = import(&mut store, "hsds-messy/schedules").unwrap();
    assert_eq!((again.services.unchanged, again.services.updated), (2, 0));
}

#[test]
fn a_folder_without_datapackage_json_is_read_by_file_names_and_says_so() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/no-package").unwrap();
    assert_eq!(r.format, "HSDS 1.x/2.x CSV tables (no datapackage.json)");
    assert_eq!((r.organisations.added, r.services.added), (1, 1));
    assert_eq!(
        r.assumed,
        vec![
            "there is no datapackage.json: the tables were read by their file names and headers \
             (organizations.csv as organization, phones.csv as phone, services.csv as service)"
        ]
    );
    assert!(
        r.lines().iter().any(|l| l.starts_with("Assumed: there is no datapackage.json")),
        "{:?}",
        r.lines()
    );
    let s = store.resolve_service("Debt clinic").unwrap();
    assert_eq!(s.organisation.name, "Westbrook Debt Advice");
    assert_eq!((s.phones[0].number.as_str(), s.phones[0].extension.as_str()), ("312-555-0120", "5"));
    // the one-table folder that used to be refused is read too
    let r = import(&mut store, "hsds-broken/not-a-package").unwrap();
    assert_eq!(r.services.added, 1);
}

#[test]
fn a_datapackage_that_does_not_match_its_files_is_read_from_what_is_there() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/package-mismatch").unwrap();
    assert_eq!(r.format, "HSDS 1.x/2.x datapackage (CSV)");
    assert_eq!(
        r.assumed,
        vec![
            "datapackage.json lists organizations.csv, which is not there; data/organizations.csv was read instead",
            "datapackage.json lists services.csv, which is not there; data/services.csv was read instead",
            "datapackage.json lists locations.csv, but there is no such file: read without it",
        ]
    );
    let s = store.resolve_service("Custody advice").unwrap();
    assert_eq!(s.organisation.name, "Southport Family Law Centre");
    assert!(!s.organisation.placeholder);
    let again = import(&mut store, "hsds-messy/package-mismatch").unwrap();
    assert_eq!((again.services.unchanged, again.organisations.unchanged), (1, 1));
}

/// No imported phone, address or schedule text holds a control character or starts or ends
/// with whitespace, whatever messy package it came from.
#[test]
fn no_imported_phone_address_or_schedule_text_holds_controls_or_stray_whitespace() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    for rel in [
        "hsds-messy/phones",
        "hsds-messy/addresses",
        "hsds-messy/schedules",
        "hsds-messy/no-package",
        "hsds-messy/package-mismatch",
        "hsds-messy/duplicates",
        "hsds-messy/glued-addresses",
        "hsds-messy/providers",
        "hsds-messy/text",
        "hsds-broken/messy",
        "hsds-sample",
    ] {
        import(&mut store, rel).unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut texts: Vec<(String, String)> = Vec::new();
    for (what, sql) in [
        ("phone", "SELECT number FROM directory_phones"),
        ("extension", "SELECT extension FROM directory_phones"),
        ("address", "SELECT address FROM locations"),
        ("town", "SELECT town FROM locations"),
        ("postcode", "SELECT postcode FROM locations"),
        ("location hours", "SELECT hours FROM locations"),
        ("service hours", "SELECT hours FROM services"),
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        texts.extend(rows.map(|v| (what.to_string(), v.unwrap())));
    }
    assert!(texts.len() > 60, "{}", texts.len());
    for (what, v) in &texts {
        assert!(!v.chars().any(|c| c.is_control() && c != '\n'), "{what}: {v:?}");
        assert_eq!(v.trim(), v.as_str(), "{what}: {v:?}");
        if what != "location hours" && what != "service hours" {
            assert!(!v.contains('\n'), "{what}: {v:?}");
        }
    }
}

/// The clean samples read exactly as before: nothing interpreted, nothing assumed.
#[test]
fn the_clean_samples_need_no_interpretation_and_no_assumption() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    for rel in ["hsds-sample", "hsds3/csv", "hsds3/service_full.json"] {
        let r = import(&mut store, rel).unwrap();
        assert!(r.interpreted.is_empty(), "{rel}: {:?}", r.interpreted);
        assert!(r.assumed.is_empty(), "{rel}: {:?}", r.assumed);
        assert!(!r.lines().iter().any(|l| l.starts_with("Assumed")), "{rel}");
    }
}

#[test]
fn services_repeated_under_another_id_are_merged_and_their_ids_kept_as_aliases() {
    let (d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/duplicates").unwrap();
    assert_eq!(r.services.added, 3, "{:?}", r.lines());
    assert_eq!(store.count_services().unwrap(), 3);
    let text = r.lines().join("\n");
    assert!(
        text.contains(
            "3 services look like duplicates of others: merged into 2 (their ids are kept as aliases, so a \
             re-import still matches):"
        ),
        "{text}"
    );
    assert!(
        text.contains("  services.csv line 3 (id \"svc2\") into services.csv line 2 \"Eviction defence\""),
        "{text}"
    );
    assert!(text.contains("  services.csv line 4 (id \"svc3\") into services.csv line 2"), "{text}");
    assert!(text.contains("  services.csv line 7 (id \"svc6\") into services.csv line 6"), "{text}");
    // what a duplicate added is kept: its phone and its place
    let page = store.services_page(0, 10).unwrap();
    let eviction: Vec<_> = page.iter().filter(|s| s.name == "Eviction defence").collect();
    assert_eq!(eviction.len(), 2, "another organisation's service of the same name stays its own");
    let ours = eviction.iter().find(|s| s.organisation == "Eastgate Legal Aid").unwrap();
    let s = store.service(ours.id).unwrap();
    let numbers: Vec<&str> = s.phones.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, vec!["312-555-0101", "312-555-0199"]);
    assert_eq!(s.locations.len(), 1);
    assert_eq!(s.locations[0].record.name, "Eastgate county court");
    // the same folder again changes nothing
    let again = import(&mut store, "hsds-messy/duplicates").unwrap();
    assert_eq!((again.services.added, again.services.updated, again.services.unchanged), (0, 0, 3));
    // a newer export that lists the service only under a merged id still finds it
    let newer = d.path().join("newer");
    std::fs::create_dir(&newer).unwrap();
    for f in ["organizations.csv", "locations.csv", "services_at_location.csv", "phones.csv"] {
        std::fs::copy(fixture("hsds-messy/duplicates").join(f), newer.join(f)).unwrap();
    }
    let services = std::fs::read_to_string(fixture("hsds-messy/duplicates/services.csv")).unwrap();
    let without_first: Vec<&str> = services.lines().filter(|l| !l.starts_with("svc1,")).collect();
    std::fs::write(newer.join("services.csv"), without_first.join("\n") + "\n").unwrap();
    let r = import_path(&mut store, &newer, fixed_now(), &mut |_| {}).unwrap();
    assert_eq!(r.services.added, 0, "{:?}", r.lines());
    assert_eq!(store.count_services().unwrap(), 3);
}

#[test]
fn street_suite_and_town_run_together_are_split_where_clearly_glued_and_reported() {
    use caseload::domain::directory::Reading;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/glued-addresses").unwrap();
    let place = |name: &str| {
        let s = store.resolve_service(name).unwrap();
        let l = &s.locations[0].record;
        (l.address.clone(), l.town.clone(), l.postcode.clone())
    };
    let owned = |a: &str, t: &str, p: &str| (a.to_string(), t.to_string(), p.to_string());
    assert_eq!(place("Housing court desk"), owned("150 Court Street, 2nd Floor", "Brooklyn", "02134"));
    assert_eq!(place("Debt advice"), owned("9 Mill Road, Suite 200", "Riverbend", "06010"));
    assert_eq!(place("Advice line"), owned("12 Quay Street", "Northfield", "60601"));
    assert_eq!(place("Outreach van"), owned("7 Floral Way", "", "06011"), "nothing glued: left as written");
    let list = store.services_page(0, 10).unwrap();
    assert_eq!(list.iter().find(|s| s.name == "Housing court desk").unwrap().town, "Brooklyn");
    let glued: Vec<&str> = r
        .interpreted
        .iter()
        .filter(|i| i.reading == Reading::GluedAddress)
        .map(|i| i.origin.as_str())
        .collect();
    assert_eq!(
        glued,
        vec![
            "physical_addresses.csv line 2",
            "physical_addresses.csv line 3",
            "physical_addresses.csv line 4"
        ]
    );
    let text = r.lines().join("\n");
    assert!(
        text.contains(
            "3 addresses had street, suite and town run together: split where one word was glued to the next — \
             check:\n  physical_addresses.csv line 2, physical_addresses.csv line 3, physical_addresses.csv line 4"
        ),
        "{text}"
    );
    let again = import(&mut store, "hsds-messy/glued-addresses").unwrap();
    assert_eq!((again.locations.added, again.locations.updated), (0, 0));
    assert_eq!((again.services.added, again.services.updated), (0, 0));
}

#[test]
fn a_placeholder_organisation_is_made_only_when_nothing_else_names_the_provider() {
    use caseload::domain::directory::Reading;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let r = import(&mut store, "hsds-messy/providers").unwrap();
    let org_of = |name: &str| store.resolve_service(name).unwrap().organisation;
    assert_eq!(org_of("Repairs clinic").name, "Greenfield Tenants Union", "the organisation of its place");
    assert_eq!(org_of("Deposit help").name, "Greenfield Tenants Union", "its organisation name column");
    let food = org_of("Food parcels");
    assert_eq!((food.name.as_str(), food.placeholder), ("Hillside Food Bank", false));
    let line = org_of("Legal line");
    assert!(line.placeholder);
    assert_eq!(line.name, "Organisation not in the file (id 91676)");
    assert!(line.placeholder_note().starts_with("not in the file (id 91676)"), "{}", line.placeholder_note());
    assert!(line.placeholder_note().contains("Import a file that holds it"));
    let names: Vec<&str> = r.placeholder_organisations.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["Organisation not in the file (id 91676)"]);
    let count = |reading: Reading| r.interpreted.iter().filter(|i| i.reading == reading).count();
    assert_eq!((count(Reading::ProviderOfLocation), count(Reading::ProviderByName)), (1, 2));
    // a place no service is linked to is shown under its organisation
    let rent = store.resolve_service("Rent advice").unwrap();
    let unlinked: Vec<String> =
        rent.organisation.places_without_service.iter().map(|l| l.record.place_line()).collect();
    assert_eq!(unlinked, vec!["Greenfield east office — 5 East Road, Greenfield, MA 01302, US".to_string()]);
    let again = import(&mut store, "hsds-messy/providers").unwrap();
    assert_eq!((again.services.added, again.services.updated), (0, 0));
    assert_eq!((again.organisations.added, again.organisations.updated), (0, 0));
    assert_eq!(store.count_organisations().unwrap(), 3);
}

#[test]
fn imported_text_loses_embedded_newlines_indentation_quoted_empties_and_zero_width_spaces() {
    let (_d, path) = temp_db();
    let mut store = open(&path);
    import(&mut store, "hsds-messy/text").unwrap();
    let s = store.resolve_service("safe haven").unwrap();
    assert_eq!(
        s.name, "The \u{201c}Safe Haven\u{201d} project",
        "curly quotes kept, runs of spaces collapsed"
    );
    assert_eq!(s.alternate_name, "", "the quoted empty string is empty");
    assert_eq!(s.description, "Advice on housing.\nDrop in\non Mondays.\nBring ID.");
    assert_eq!(s.how_to_refer, "Call first,\nthen visit.");
    assert_eq!(s.organisation.name, "St Anne\u{2019}s Advice", "zero-width spaces removed");
    assert_eq!(s.organisation.email, "");
    let l = &s.locations[0].record;
    assert_eq!(l.name, "Main hall");
    assert_eq!(
        (l.address.as_str(), l.town.as_str(), l.postcode.as_str()),
        ("12 Chapel Street", "Lowerton", "07102")
    );
    let again = import(&mut store, "hsds-messy/text").unwrap();
    assert_eq!((again.services.updated, again.services.unchanged), (0, 1));
}

/// Issue 20 point 6: what a service offers ranks first (its need categories and their
/// synonyms), then its name, then its town, then the rest.
#[test]
fn search_ranks_what_a_service_offers_then_its_name_then_its_town() {
    use crate::common::food::*;
    let (_d, path) = temp_db();
    let mut store = open(&path);
    let (pantry, kitchen, course) = food_directory(&mut store);
    let in_town = add(
        &mut store,
        &ServiceInput {
            description: "Meals on wheels for Food Town and around.".into(),
            town: "Food Town".into(),
            ..entry("Wheels Co", "Home visits")
        },
    );
    let in_text = add(
        &mut store,
        &ServiceInput {
            description: "Food, food and more food: ask us about food parcels.".into(),
            ..entry("Talk Co", "Advice desk")
        },
    );
    for typed in [false, true] {
        let ids = store.search_directory_ids("food", typed, 50).unwrap();
        assert_eq!(ids.len(), 5, "{ids:?}");
        let mut offers = ids[..2].to_vec();
        offers.sort_unstable();
        assert_eq!(offers, vec![pantry, kitchen], "categories and synonyms first (typing {typed}): {ids:?}");
        assert_eq!(ids[2..], [course, in_town, in_text], "then name, then town (typing {typed})");
    }
}

/// A newer export of the same directory updates what changed and keeps what the practitioner
/// added by hand: the notes, and a verified date later than the file's (issue 20 point 5).
#[test]
fn a_newer_export_updates_the_service_and_keeps_the_practitioners_notes_and_verification() {
    let (d, path) = temp_db();
    let mut store = open(&path);
    import(&mut store, "hsds3/service_full.json").unwrap();
    let id = store.resolve_service("Community Counselling").unwrap().id;
    let mut input = store.service(id).unwrap().input();
    input.notes = "Ask for Sam at the front desk.".into();
    input.last_verified_on = "2026-11-01".into();
    let imported_phones = store.service(id).unwrap().phones.len();
    assert!(imported_phones > 0, "the fixture gives the service a phone");
    input.phones = format!("{}; 01632 960000", input.phones);
    store
        .update_service(id, &validate_service(&input, fixed_now().date_naive()).unwrap(), fixed_now())
        .unwrap();
    // the agency's next export: one description changed, its assured date still 2005
    let text = std::fs::read_to_string(fixture("hsds3/service_full.json")).unwrap();
    let newer = text.replacen("\"description\": \"", "\"description\": \"Now also on Saturdays. ", 1);
    assert_ne!(newer, text, "the fixture has a description to change");
    let file = d.path().join("newer.json");
    std::fs::write(&file, newer).unwrap();
    let r = import_path(&mut store, &file, fixed_now(), &mut |_| {}).unwrap();
    assert_eq!((r.services.added, r.services.updated), (0, 1), "{:?}", r.lines());
    let s = store.service(id).unwrap();
    assert!(s.description.contains("Now also on Saturdays."), "{}", s.description);
    assert_eq!(s.notes, "Ask for Sam at the front desk.");
    assert_eq!(
        s.last_verified_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-01"),
        "the later check stays"
    );
    // the local number added by hand stays; the file's own are not doubled
    assert!(s.phones.iter().any(|p| p.number == "01632 960000"), "{:?}", s.phones);
    assert_eq!(s.phones.len(), imported_phones + 1, "{:?}", s.phones);
}
