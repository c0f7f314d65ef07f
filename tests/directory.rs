//! The resource directory against real temporary SQLite files: hand entry, listing, search,
//! verification, and (below) imports of real and deliberately broken HSDS files.

mod common;

use caseload::domain::directory::{validate_service, ServiceInput, Verification};
use caseload::store::StoreError;
use common::*;

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
