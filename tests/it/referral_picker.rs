//! Choosing the directory service of a referral from a picker with live search (issue 15
//! point 9): what is typed is searched as the directory searches ("food" finds a pantry and a
//! soup kitchen, not only names with "food" in them), an inactive service is marked and asked
//! about, the saved referral records exactly the service chosen, the choice survives a draft,
//! and `r` on a service refers a chosen client to it. Key scripts, snapshots, and the real
//! binary in a pseudo-terminal.

use std::time::Duration;

use crate::common::food::*;
use crate::common::pty::*;
use crate::common::*;
use caseload::app::message::Message;
use caseload::app::{App, Modal};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::directory::service_ref;
use caseload::store::Store;

/// A client (C-0001 Ada Example) and the food directory: (client, pantry, kitchen, course).
fn setup(path: &std::path::Path) -> (i64, i64, i64, i64) {
    let mut store = open(path);
    let input = IntakeInput {
        given_name: "Ada".into(),
        family_name: "Example".into(),
        intake_date: "2026-10-01".into(),
        ..Default::default()
    };
    let client = store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
    let (pantry, kitchen, course) = food_directory(&mut store);
    (client, pantry, kitchen, course)
}

/// From Today to a new referral for the only client: its first field is the service.
fn new_referral(path: &std::path::Path) -> App {
    let mut app = clients(path);
    keys(&mut app, "<enter>rn");
    assert_eq!(app.title(), "Referral", "{:?}", app.status);
    let form = app.stack.last().and_then(|v| v.form()).unwrap();
    assert_eq!(form.fields[form.focus].id, "service");
    app
}

fn service_value(app: &App) -> String {
    app.stack.last().and_then(|v| v.form()).map(|f| f.value("service")).unwrap_or_default()
}

/// The ids the open service picker lists, in order.
fn listed(app: &App) -> Vec<i64> {
    match &app.modal {
        Some(Modal::PickService(p)) => p.matches.iter().map(|s| s.id).collect(),
        _ => panic!("no service picker is open"),
    }
}

/// Moves the picker's selection to `id` with ↓.
fn select(app: &mut App, id: i64) {
    let at = listed(app).iter().position(|x| *x == id).expect("the service is listed");
    for _ in 0..at {
        keys(app, "<down>");
    }
}

#[test]
fn typing_food_lists_a_pantry_and_a_soup_kitchen_and_marks_the_inactive_course() {
    let (_d, path) = temp_db();
    let (_c, pantry, kitchen, course) = setup(&path);
    let mut app = new_referral(&path);
    // typing into the field opens the picker; its search goes on with what follows
    keys(&mut app, "food");
    let ids = listed(&app);
    assert!(ids.contains(&pantry) && ids.contains(&kitchen) && ids.contains(&course), "{ids:?}");
    let s = screen(&mut app, 80, 24);
    for want in [PANTRY, SOUP_KITCHEN, "Food hygiene", "INACTIVE", "Service: food", "Lakeside", "verified"] {
        assert!(s.contains(want), "{want}:\n{s}");
    }
    insta::assert_snapshot!("service_picker_food_80x24", s);
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("St Anne's Church") && s.contains("verified 2026-10-15"), "{s}");
    insta::assert_snapshot!("service_picker_food_140x40", s);
    // nothing was chosen by typing: the field is as it was until a service is chosen
    assert_eq!(service_value(&app), "");
    // Enter on the field opens it too, listing the directory by name; Esc leaves the field alone
    keys(&mut app, "<esc>");
    assert!(app.modal.is_none());
    keys(&mut app, "<enter>");
    assert_eq!(listed(&app).len(), 3);
    keys(&mut app, "<esc>");
    assert_eq!(service_value(&app), "");
}

#[test]
fn choosing_an_inactive_service_asks_first_and_n_leaves_the_field_unchanged() {
    let (_d, path) = temp_db();
    let (_c, _pantry, kitchen, course) = setup(&path);
    let mut app = new_referral(&path);
    keys(&mut app, "food");
    select(&mut app, course);
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("\"Food hygiene training course\" is inactive — refer to it anyway?"), "{s}");
    insta::assert_snapshot!("service_picker_inactive_asks_80x24", s);
    // n: not chosen; the picker is back to choose another, and the field is unchanged
    keys(&mut app, "n");
    assert!(matches!(&app.modal, Some(Modal::PickService(p)) if p.asking.is_none()));
    assert_eq!(service_value(&app), "");
    keys(&mut app, "<esc>");
    assert_eq!(service_value(&app), "");
    assert!(!app.stack.last().unwrap().dirty(), "nothing changed");
    // a service chosen first is kept when an inactive one is then refused
    keys(&mut app, "soup");
    select(&mut app, kitchen);
    keys(&mut app, "<enter>");
    assert_eq!(service_value(&app), service_ref(kitchen));
    keys(&mut app, "<s-tab><s-tab>food");
    select(&mut app, course);
    keys(&mut app, "<enter>n<esc>");
    assert_eq!(service_value(&app), service_ref(kitchen));
    // y: referred to anyway, and the field says it is inactive
    keys(&mut app, "<enter>");
    select(&mut app, course);
    keys(&mut app, "<enter>y");
    assert!(app.modal.is_none());
    assert_eq!(service_value(&app), service_ref(course));
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Food hygiene training course") && s.contains("(INACTIVE)"), "{s}");
}

#[test]
fn a_saved_referral_records_the_service_chosen_not_a_guess_from_the_words() {
    let (_d, path) = temp_db();
    let (client, _pantry, kitchen, _course) = setup(&path);
    let mut app = new_referral(&path);
    // "food" is in no word of the soup kitchen's entry: the blind field chose the course
    keys(&mut app, "food");
    select(&mut app, kitchen);
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains(SOUP_KITCHEN), "the field shows the service's name:\n{s}");
    // on to the need, in words, and save
    let form = app.stack.last().and_then(|v| v.form()).unwrap();
    assert_eq!(form.fields[form.focus].id, "need_choice", "on to the need, past the provider's field");
    keys(&mut app, "<tab>a hot meal every day<c-s>");
    assert!(app.status.as_deref().unwrap_or("").contains("saved as a draft"), "{:?}", app.status);
    let store = open(&path);
    let r = store.referrals(client).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].service_id, Some(kitchen));
}

#[test]
fn the_chosen_service_survives_a_draft_and_its_resumption() {
    let (_d, path) = temp_db();
    let (client, _pantry, kitchen, _course) = setup(&path);
    let key = {
        let mut app = new_referral(&path);
        keys(&mut app, "soup");
        select(&mut app, kitchen);
        keys(&mut app, "<enter>");
        app.save_draft_now();
        app.stack.last().and_then(|v| v.draft()).unwrap().key
    };
    let saved = open(&path).draft(&key).unwrap().expect("a draft was written");
    assert!(saved.payload.contains(&service_ref(kitchen)), "{}", saved.payload);
    // caseload starts again: the draft reopens with the same service, shown by its name
    let mut app = app(&path);
    app.modal = None;
    app.run(vec![Message::ResumeDraft(key)]);
    assert_eq!(service_value(&app), service_ref(kitchen));
    let s = screen(&mut app, 100, 30);
    assert!(s.contains(SOUP_KITCHEN) && s.contains("Restored"), "{s}");
    keys(&mut app, "<tab>soup and a chat<c-s>");
    assert_eq!(open(&path).referrals(client).unwrap()[0].service_id, Some(kitchen), "{:?}", app.status);
}

#[test]
fn r_on_a_service_refers_a_chosen_client_to_it() {
    let (_d, path) = temp_db();
    let (client, _pantry, kitchen, _course) = setup(&path);
    let mut app = app(&path);
    app.run(vec![Message::GoDirectory, Message::OpenService(kitchen)]);
    app.sync();
    assert_eq!(app.title(), "Service");
    assert!(screen(&mut app, 80, 24).contains("r refer"), "the footer offers it");
    keys(&mut app, "r");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Refer to St Anne's Soup Kitchen: which client?"), "{s}");
    keys(&mut app, "ada<enter>");
    assert_eq!(app.title(), "Referral", "{:?}", app.status);
    assert_eq!(app.current_client(), Some(client));
    assert_eq!(service_value(&app), service_ref(kitchen));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains(SOUP_KITCHEN) && s.contains("Ada Example"), "{s}");
    // the service is chosen: the form starts at the need it serves; in words, and save
    let form = app.stack.last().and_then(|v| v.form()).unwrap();
    assert_eq!(form.fields[form.focus].id, "need_choice");
    keys(&mut app, "<tab>lunch<c-s>");
    let r = open(&path).referrals(client).unwrap();
    assert_eq!(r.len(), 1, "{:?}", app.status);
    assert_eq!(r[0].service_id, Some(kitchen));
}

/// `r` on a service that is not active asks first, as the picker does: `n` refers no one,
/// `y` goes on to the client picker.
#[test]
fn r_on_an_inactive_service_asks_before_the_client_picker() {
    let (_d, path) = temp_db();
    let (client, _pantry, _kitchen, course) = setup(&path);
    let mut app = app(&path);
    app.run(vec![Message::GoDirectory, Message::OpenService(course)]);
    app.sync();
    keys(&mut app, "r");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Refer to it anyway?") && s.contains("y yes / n no"), "{s}");
    assert!(matches!(app.modal, Some(Modal::ReferInactive { .. })));
    insta::assert_snapshot!("refer_inactive_service_80x24", s);
    keys(&mut app, "n");
    assert!(app.modal.is_none());
    assert_eq!(app.title(), "Service", "n refers no one");
    keys(&mut app, "ry");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("which client?"), "{s}");
    keys(&mut app, "ada<enter>");
    assert_eq!(app.title(), "Referral");
    assert_eq!(app.current_client(), Some(client));
    assert_eq!(service_value(&app), service_ref(course));
}

/// A client whose new referral was left as a draft (to the pantry, with the need typed): `r`
/// on the soup kitchen puts the draft back with what was typed, and the service is the kitchen.
#[test]
fn r_on_a_service_over_a_kept_draft_refers_to_that_service_and_keeps_what_was_typed() {
    let (_d, path) = temp_db();
    let (client, pantry, kitchen, _course) = setup(&path);
    {
        let mut app = new_referral(&path);
        keys(&mut app, "<enter>");
        select(&mut app, pantry);
        keys(&mut app, "<enter><tab>groceries this week");
        app.save_draft_now();
    }
    let mut app = app(&path);
    app.modal = None;
    app.run(vec![Message::GoDirectory, Message::OpenService(kitchen)]);
    keys(&mut app, "rada<enter>");
    assert_eq!(service_value(&app), service_ref(kitchen));
    let form = app.stack.last().and_then(|v| v.form()).unwrap();
    assert_eq!(form.value("need"), "groceries this week");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains(SOUP_KITCHEN) && !s.contains(PANTRY), "{s}");
    keys(&mut app, "<c-s>");
    assert_eq!(open(&path).referrals(client).unwrap()[0].service_id, Some(kitchen), "{:?}", app.status);
}

/// Neither a service nor a provider: the form says to choose one with the key that does it.
#[test]
fn a_referral_to_no_one_says_how_to_choose_a_service() {
    let (_d, path) = temp_db();
    setup(&path);
    let mut app = new_referral(&path);
    keys(&mut app, "<tab><tab><tab>a hot meal<c-s>");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Choose a directory service (Enter on its field), or type the provider."), "{s}");
    // and a value a picker did not choose (an older draft's words) is never guessed at
    app.stack.last_mut().and_then(|v| v.form_mut()).unwrap().set_value("service", "food");
    keys(&mut app, "<c-s>");
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Choose the service from the directory (Enter on this field)."), "{s}");
    assert!(open(&path).referrals(1).unwrap().is_empty());
}

/// The real binary: the picker is typed into byte by byte, an inactive service is asked about
/// and refused, another is chosen and the referral saved with it.
#[test]
fn the_service_picker_in_a_real_terminal() {
    let (_d, path) = seeded_db();
    let (pantry, kitchen, course) = {
        let mut store = Store::open(&path).unwrap();
        food_directory(&mut store)
    };
    let _ = (pantry, course);
    let mut t = Term::start(&path, 80, 24);
    t.open_robins_file();
    t.send(b"r");
    t.wait_for("Referrals");
    t.send(b"n");
    t.wait_for("New referral");
    t.type_text("food");
    t.wait_for("Service: food");
    t.wait_for("Soup Kitchen");
    t.wait_for("INACTIVE");
    // the inactive course alone, then asked about: n refuses it
    for _ in 0..4 {
        t.send(b"\x7f");
    }
    t.type_text("hygiene");
    t.wait_for("Service: hygiene");
    t.send(ENTER);
    t.wait_for("is inactive — refer to it anyway?");
    t.send(b"n");
    t.wait_for("Type what it offers");
    for _ in 0.."hygiene".len() {
        t.send(b"\x7f");
    }
    t.type_text("soup");
    t.wait_for("Service: soup");
    t.send(ENTER);
    t.wait_for("S-0002 St Anne's Soup Kitchen");
    t.send(TAB);
    t.type_text("a hot meal");
    t.send(CTRL_S);
    t.wait_for("saved as a draft");
    t.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    t.send(b"q");
    t.wait_exit();
    t.assert_restored();
    let r = open(&path).referrals(1).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].service_id, Some(kitchen));
}
