//! The resource directory's screens, from key scripts: list, search as you type, detail, add
//! and edit with the form, import with progress and a report. Snapshots at 80x24 and wide.

use crate::common::*;
use caseload::app::App;
use caseload::domain::directory::{validate_service, ServiceInput};
use crossterm::event::KeyCode;

/// The HSDS 1.1 sample plus one service typed by hand and checked this year.
fn seed(path: &std::path::Path) {
    let mut store = open(path);
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-sample");
    caseload::import::import_path(&mut store, &sample, fixed_now(), &mut |_| {}).unwrap();
    let input = ServiceInput {
        organisation: "Riverside Food Bank".into(),
        name: "Emergency food parcels".into(),
        description: "Three days of food for anyone in crisis.".into(),
        phones: "555-0100".into(),
        town: "Riverside".into(),
        address: "12 Mill Lane".into(),
        categories: "Food".into(),
        languages: "English, Polish".into(),
        how_to_refer: "Phone, or email the voucher form.".into(),
        last_verified_on: "2026-09-01".into(),
        ..Default::default()
    };
    store.add_service(&validate_service(&input, fixed_now().date_naive()).unwrap(), fixed_now()).unwrap();
}

fn directory(path: &std::path::Path) -> App {
    let mut app = app(path);
    key(&mut app, KeyCode::Char('R'));
    app
}

#[test]
fn the_directory_lists_services_with_organisations_and_marks_unverified_in_words() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = directory(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Resource directory — 14 services"), "{s}");
    assert!(s.contains("unverified"), "{s}");
    insta::assert_snapshot!("directory_80x24", s);
    insta::assert_snapshot!("directory_140x40", screen(&mut app, 140, 40));
}

#[test]
fn search_as_you_type_ranks_and_enter_opens_the_detail() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "polish");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("1 matching"), "{s}");
    assert!(s.contains("Emergency food parcels"), "{s}");
    for _ in 0..6 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "homel");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("directory_search_homel", s);
    assert!(s.contains("Never Homeless Helpline"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("service_detail_80x24", s);
    assert!(s.contains("UNVERIFIED"), "{s}");
    assert!(s.contains("Sanctuary Example City"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app, 80, 24).contains("Resource directory"));
}

#[test]
fn a_service_is_added_and_edited_with_the_form() {
    let (_d, path) = temp_db();
    let mut app = directory(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("The directory is empty"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    insta::assert_snapshot!("service_form_new", screen(&mut app, 80, 24));
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Organisation is required"), "{s}");
    assert_eq!(open(&path).count_services().unwrap(), 0);
    // a form field takes R as text, not as the directory key
    type_text(&mut app, "Riverside Trust");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Warm space");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "Heating, Older people");
    for _ in 0..2 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "not an email");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("does not look like an email"), "{s}");
    ctrl(&mut app, 'u');
    let f = app.stack.last().and_then(|s| s.form()).unwrap();
    assert!(f.value("email").is_empty(), "{:?}", f.value("email"));
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Saved S-0001"), "{s}");
    assert!(s.contains("Riverside Trust"), "{s}");
    assert!(s.contains("Heating, Older people"), "{s}");
    // edit from the detail
    key(&mut app, KeyCode::Char('e'));
    for _ in 0..16 {
        key(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "today");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Last verified 2026-11-23"), "{s}");
    assert!(!s.contains("UNVERIFIED"), "{s}");
}

#[test]
fn importing_from_the_tui_shows_the_report() {
    let (_d, path) = temp_db();
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('i'));
    insta::assert_snapshot!("import_prompt", screen(&mut app, 80, 24));
    type_text(&mut app, "tests/fixtures/hsds-broken/messy");
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("import_report", s);
    assert!(s.contains("services       4 added"), "{s}");
    assert!(s.contains("Import finished"), "{s}");
    key(&mut app, KeyCode::Esc);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("4 services"), "the list was refreshed: {s}");

    // an unreadable file: the reason, and nothing imported
    key(&mut app, KeyCode::Char('i'));
    type_text(&mut app, "tests/fixtures/hsds-broken/bad-utf8");
    ctrl(&mut app, 's');
    wait_for_jobs(&mut app);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Not imported"), "{s}");
    assert!(s.contains("not UTF-8"), "{s}");
    assert_eq!(open(&path).count_services().unwrap(), 4);
}

#[test]
fn the_directory_key_works_from_anywhere_outside_a_text_field() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "R");
    assert!(screen(&mut app, 80, 24).contains("Clients"), "R is text in the filter");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('R'));
    assert!(screen(&mut app, 80, 24).contains("Resource directory"));
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Resource directory"), "{s}");
}

#[test]
fn a_running_import_shows_progress_in_words() {
    use caseload::app::message::{JobEvent, JobKind};
    use caseload::ui::screens::directory::import::{ImportScreen, ImportState};
    let (_d, path) = temp_db();
    let mut app = directory(&path);
    let mut s = ImportScreen::new(fixed_now().date_naive());
    s.path_shown = "big-directory".into();
    s.state = ImportState::Running { done: 0, total: 0 };
    app.stack.push(Box::new(s));
    // the import thread's report arrives through the app's loop
    let tx = app.jobs.attach(JobKind::DirectoryImport);
    tx.send(JobEvent::Progress { done: 2_500, total: 10_000 }).unwrap();
    app.tick(fixed_now());
    assert!(app.busy());
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("2500 of 10000 records written"), "{shown}");
    assert!(shown.contains("Importing"), "{shown}");
}

/// Issue 20 point 1: the service screen lists each phone as number + extension.
#[test]
fn the_service_screen_shows_each_phone_with_its_extension() {
    let (_d, path) = temp_db();
    {
        let mut store = open(&path);
        let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-messy/phones");
        caseload::import::import_path(&mut store, &pkg, fixed_now(), &mut |_| {}).unwrap();
    }
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "benefits");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("312-555-0107 ext. 715"), "{s}");
    assert!(s.contains("312-555-0108 ext. 331"), "{s}");
    assert!(s.contains("3125550100"), "{s}");
}

/// Issue 20 point 2: the service screen says where, marking an address of the organisation.
#[test]
fn the_service_screen_marks_an_address_of_the_organisation() {
    let (_d, path) = temp_db();
    {
        let mut store = open(&path);
        let pkg =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-messy/addresses");
        caseload::import::import_path(&mut store, &pkg, fixed_now(), &mut |_| {}).unwrap();
    }
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "hotline");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("150 Court Street, Northfield, IL 60601, US (address of the"), "{s}");
}

/// Issue 20 point 3: the service screen shows opening hours in words, a closed day as closed
/// and a 12-hour closing time read as pm marked "check".
#[test]
fn the_service_screen_shows_opening_hours_in_words() {
    let (_d, path) = temp_db();
    {
        let mut store = open(&path);
        let pkg =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-messy/schedules");
        caseload::import::import_path(&mut store, &pkg, fixed_now(), &mut |_| {}).unwrap();
    }
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "walk");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 160, 30);
    assert!(s.contains("Wed 10:00–16:00 (closing time read as pm — check)"), "{s}");
    assert!(s.contains("Sat, Sun closed"), "{s}");
}

/// Issue 20 point 3: a place no service is linked to is shown under its organisation, and a
/// placeholder organisation says what is missing in words the practitioner can act on.
#[test]
fn the_service_screen_shows_the_organisations_unlinked_places_and_what_a_placeholder_is() {
    let (_d, path) = temp_db();
    {
        let mut store = open(&path);
        let pkg =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds-messy/providers");
        caseload::import::import_path(&mut store, &pkg, fixed_now(), &mut |_| {}).unwrap();
    }
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "rent advice");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 30);
    assert!(
        s.contains(
            "Org. place      Greenfield east office — 5 East Road, Greenfield, MA 01302, US (no service"
        ),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    let mut app = directory(&path);
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "legal line");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 120, 30);
    assert!(s.contains("Organisation not in the file (id 91676)"), "{s}");
    assert!(s.contains("not in the file (id 91676): the import filed services under"), "{s}");
}

/// Issue 20 point 6: `v` narrows the directory, and its search, to services that are active and
/// were verified in the last year; `v` again shows them all.
#[test]
fn v_filters_the_directory_to_active_and_verified_services() {
    use crate::common::food::*;
    let (_d, path) = temp_db();
    food_directory(&mut open(&path));
    let mut app = directory(&path);
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("3 services") && s.contains(COURSE), "{s}");
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("2 services, active and verified in the last year only"), "{s}");
    assert!(s.contains(PANTRY) && s.contains("St Anne's Soup"), "{s}");
    assert!(!s.contains("Food hygiene"), "inactive and unverified: not shown\n{s}");
    key(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "food");
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("2 matching, active and verified"), "{s}");
    assert!(!s.contains("Food hygiene"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    let s = screen(&mut app, 100, 24);
    assert!(s.contains("3 services") && s.contains("Food hygiene"), "{s}");
}
