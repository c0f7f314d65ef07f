//! A small directory where "food" is not always in the name: a pantry found by its category, a
//! soup kitchen by the synonym list (its category says "Meals"), and an inactive training course
//! whose name starts with "Food" (the one a blind text field used to choose).

use caseload::domain::directory::{validate_service, ServiceInput};
use caseload::store::Store;

use super::fixed_now;

pub const PANTRY: &str = "Community Pantry";
pub const SOUP_KITCHEN: &str = "St Anne's Soup Kitchen";
pub const COURSE: &str = "Food hygiene training course";

fn add(store: &mut Store, input: ServiceInput) -> i64 {
    let e = validate_service(&input, fixed_now().date_naive()).unwrap();
    store.add_service(&e, fixed_now()).unwrap()
}

/// Adds the three services (S-0001 pantry, S-0002 soup kitchen, S-0003 course) in that order.
pub fn food_directory(store: &mut Store) -> (i64, i64, i64) {
    let pantry = add(
        store,
        ServiceInput {
            organisation: "Northside Partnership".into(),
            name: PANTRY.into(),
            description: "Groceries at low cost, weekly.".into(),
            town: "Riverside".into(),
            categories: "Food".into(),
            last_verified_on: "2026-09-01".into(),
            ..Default::default()
        },
    );
    let kitchen = add(
        store,
        ServiceInput {
            organisation: "St Anne's Church".into(),
            name: SOUP_KITCHEN.into(),
            description: "A hot lunch, no questions asked.".into(),
            town: "Lakeside".into(),
            categories: "Meals".into(),
            last_verified_on: "2026-10-15".into(),
            ..Default::default()
        },
    );
    let course = add(
        store,
        ServiceInput {
            organisation: "Westmoor College".into(),
            name: COURSE.into(),
            description: "A certificate for kitchen volunteers.".into(),
            status: "inactive".into(),
            town: "Westmoor".into(),
            categories: "Training".into(),
            last_verified_on: "2024-02-01".into(),
            ..Default::default()
        },
    );
    (pantry, kitchen, course)
}
