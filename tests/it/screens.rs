//! Screens rendered into ratatui's TestBackend from key scripts, compared with snapshots.

use crate::common;

use crate::common::*;
use caseload::domain::client::{client_ref, validate_intake, IntakeInput};
use caseload::store::clients::ClientSort;
use crossterm::event::{Event, KeyCode};

fn seed(path: &std::path::Path) {
    let mut store = open(path);
    let today = fixed_now().date_naive();
    for (g, f, p, dob, safe) in [
        ("María José", "López", "Majo", "1988-04-12", "no"),
        ("Zoë", "Bélanger", "", "1990-05-01", "yes"),
        ("王", "小明", "", "2001-01-31", ""),
        ("Ana", "Nuñez-O'Brien", "", "1975-12-24", "yes"),
        ("Jordan", "Example", "Jo", "", ""),
    ] {
        let input = IntakeInput {
            given_name: g.into(),
            family_name: f.into(),
            preferred_name: p.into(),
            date_of_birth: dob.into(),
            safe_to_leave_message: safe.into(),
            interpreter_needed: if g == "王" { "yes".into() } else { String::new() },
            phone: "555-0100".into(),
            intake_date: "2026-10-01".into(),
            referral_reason: "Rent arrears; asked for help with benefits.".into(),
            ..Default::default()
        };
        store.add_client(&validate_intake(&input, today).unwrap(), fixed_now()).unwrap();
    }
}

#[test]
fn empty_client_list() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn client_list_at_80x24_and_wide() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Down);
    insta::assert_snapshot!("client_list_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("client_list_140x40", screen(&mut app, 140, 40));
}

#[test]
fn filter_is_fuzzy_and_accent_insensitive() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    keys(&mut app, "/majo");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("María José López"), "{s}");
    assert!(!s.contains("Bélanger"), "{s}");
    keys(&mut app, "<bs><bs><bs><bs>nunez obrien");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Nuñez-O'Brien"), "{s}");
    insta::assert_snapshot!(s);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Client file"), "Enter opens the match: {s}");
}

#[test]
fn client_file_and_help() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("client_file", screen(&mut app, 80, 24));
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("client_file_help", s);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('c'));
    assert!(screen(&mut app, 80, 24).contains("Clients —"));
}

#[test]
fn intake_form_refuses_bad_input_at_the_field() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "n");
    insta::assert_snapshot!("intake_empty", screen(&mut app, 80, 24));
    // skip the names, give a future birth date
    keys(&mut app, "<tab><tab><tab><tab><tab>+2d<c-s>");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("intake_errors", s);
    assert!(s.contains("Given name is required"), "{s}");
    assert_eq!(open(&path).count_clients().unwrap(), 0, "nothing saved");
}

/// Issue 17 point 6: the intake records the client's own sex / gender, and the genogram draws
/// the client's symbol from it instead of always "unknown"; the family tree and the intake agree.
#[test]
fn the_intake_records_the_clients_sex_for_the_genogram() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nSam<tab>Example<tab><tab>he/him<tab><right><right><c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("C-0001 is now on your caseload"), "{s}");
    let store = open(&path);
    assert_eq!(store.client(1).unwrap().sex, "male");
    drop(store);
    open(&path).self_person(1, fixed_now()).unwrap(); // the client's row on the family tree
    let me = open(&path).people(1).unwrap().into_iter().find(|p| p.is_self).expect("the client's row");
    assert_eq!(me.sex, "male", "the client's own symbol is a square, not unknown");
    let layout = caseload::ui::widgets::family::geno_input(&open(&path).people(1).unwrap(), &[]);
    let client = layout.people.iter().find(|p| p.is_client).expect("client drawn");
    assert_eq!(client.sex, caseload::domain::genogram::Sex::Male);
    // changing it on the family tree changes the intake too
    let mut store = open(&path);
    let mut draft = caseload::domain::people::validate_person(
        &caseload::domain::people::PersonInput {
            name: "x".into(),
            sex: "female".into(),
            ..Default::default()
        },
        fixed_now().date_naive(),
    )
    .unwrap();
    draft.name = me.name.clone();
    store.update_person(me.id, &draft, &Default::default(), None, fixed_now()).unwrap();
    assert_eq!(store.client(1).unwrap().sex, "female");
    let out = stdout(&caseload(&path, &["client", "show", "C-0001"]));
    assert!(out.contains("Sex / gender") && out.contains("female"), "{out}");
}

#[test]
fn intake_saves_and_opens_the_new_file() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nSam<tab>Example<tab><tab>they/them<c-s>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Client file") && s.contains("Sam Example") && s.contains("(they/them)"), "{s}");
    assert!(s.contains("C-0001 is now on your caseload"), "{s}");
    let store = open(&path);
    assert_eq!(store.client(1).unwrap().pronouns, "they/them");
    assert!(store.drafts().unwrap().is_empty(), "a saved form leaves no draft");
}

#[test]
fn likely_duplicate_is_shown_before_saving() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    keys(&mut app, "nana<tab>Nunez OBrien<c-s>");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("duplicate_modal", s);
    assert!(s.contains("Possible duplicate"));
    // Enter opens the existing file; nothing new is saved
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Client file") && s.contains("Nuñez-O'Brien"), "{s}");
    assert_eq!(open(&path).count_clients().unwrap(), 5);
}

#[test]
fn save_anyway_keeps_both_records() {
    let (_d, path) = temp_db();
    seed(&path);
    let mut app = clients(&path);
    keys(&mut app, "nAna<tab>Nunez-OBrien<c-s>s");
    assert_eq!(open(&path).count_clients().unwrap(), 6);
}

#[test]
fn escape_asks_before_discarding_and_drafts_come_back() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Draft");
    // the app writes drafts shortly after the last key; force it as the timer would
    app.save_draft_now();
    key(&mut app, KeyCode::Esc);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Unsaved changes"), "{s}");
    key(&mut app, KeyCode::Char('n'));
    assert!(screen(&mut app, 80, 24).contains("New client — intake"));
    drop(app);
    // a new start offers the draft back
    let mut app = common::app(&path);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("— 1 item, 0 overdue"), "one item is an item: {s}");
    insta::assert_snapshot!("drafts_offered", s);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Draft") && s.contains("Restored"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    assert!(open(&path).drafts().unwrap().is_empty(), "discarding deletes the draft");
}

#[test]
fn paste_with_escape_sequences_is_cleaned() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    key(&mut app, KeyCode::Char('n'));
    app.handle_event(Event::Paste("\u{1b}]0;owned\u{7}Ada\u{1b}[31m".into()));
    let s = screen(&mut app, 80, 24);
    assert!(!s.contains('\u{1b}'));
    assert!(s.contains("]0;ownedAda[31m"), "{s}");
}

/// A screen with the temporary database's path written as `<db>` padded to its width, so that
/// the snapshot does not change from run to run and the frame stays aligned.
fn without_path(screen: &str, path: &std::path::Path) -> String {
    let p = path.display().to_string();
    screen.replace(&p, &format!("{:<w$}", "<db>", w = p.chars().count()))
}

#[test]
fn settings_show_the_database_file_read_only() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, ",");
    let shown = path.display().to_string();
    for (w, h) in [(80, 24), (130, 30)] {
        let s = screen(&mut app, w, h);
        assert!(s.contains(&shown) && s.contains("Database"), "{w}x{h}: {s}");
    }
    insta::assert_snapshot!("settings_database_130x30", without_path(&screen(&mut app, 130, 30), &path));
}

#[test]
fn settings_validate_numbers_at_the_field() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, ",Sam Example<tab><tab><tab><tab><c-u>0<c-s>");
    let s = without_path(&screen(&mut app, 80, 24), &path);
    insta::assert_snapshot!("settings_error", s);
    assert!(s.contains("Enter a whole number from 1 to 365"), "{s}");
    keys(&mut app, "<c-u>21<c-s>");
    let st = open(&path).settings().unwrap();
    assert_eq!(st.no_contact_days, 21);
    assert_eq!(st.practitioner_name, "Sam Example");
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let (_d, path) = temp_db();
    let mut app = app(&path);
    let s = screen(&mut app, 60, 20);
    assert!(s.contains("Please enlarge the terminal"), "{s}");
}

/// The client rows of the list on screen, as (selected, ref).
fn list_rows(s: &str) -> Vec<(bool, String)> {
    s.lines()
        .filter_map(|l| l.strip_prefix('│'))
        .filter_map(|l| {
            let (selected, rest) = match l.strip_prefix('▶') {
                Some(rest) => (true, rest),
                None => (false, l.strip_prefix(' ')?),
            };
            let r = rest.split_whitespace().next()?;
            r.starts_with("C-").then(|| (selected, r.to_string()))
        })
        .collect()
}

#[test]
fn thousands_of_clients_page_smoothly() {
    let (_d, path) = temp_db();
    {
        // 3000 intakes; the family names are a permutation, so the list is not in the order added
        let mut store = open(&path);
        for i in 0..3000 {
            let input = IntakeInput {
                given_name: format!("Given{i:04}"),
                family_name: format!("Family{:04}", i * 7919 % 3000),
                ..Default::default()
            };
            store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
        }
    }
    let order: Vec<String> =
        open(&path).client_ids(false, ClientSort::Name).unwrap().into_iter().map(client_ref).collect();
    let mut app = clients(&path);
    let n = order.len();
    let s = screen(&mut app, 80, 24);
    assert!(s.contains(&format!("Clients — {n} open cases, sorted by name")), "{s}");
    keys(&mut app, "G");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▶"), "the last client is selected and visible: {s}");
    let rows = list_rows(&s);
    let page = rows.len();
    assert!(page > 10, "a full page of clients: {s}");
    assert_eq!(rows.iter().filter(|r| r.0).count(), 1, "one selection: {s}");
    assert_eq!(rows[page - 1], (true, order[n - 1].clone()), "the last client, on the bottom row: {s}");
    assert_eq!(rows[0].1, order[n - page], "the page above it: {s}");
    keys(&mut app, &"<pgup>".repeat(50));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("▶"));
    let rows = list_rows(&s);
    let want = n - 1 - 50 * page;
    assert_eq!(rows.len(), page, "{s}");
    assert_eq!(rows[0], (true, order[want].clone()), "50 pages up, on the top row: {s}");
    assert_eq!(rows[page - 1].1, order[want + page - 1], "{s}");
    keys(&mut app, &"<pgup>".repeat(200));
    assert_eq!(
        list_rows(&screen(&mut app, 80, 24))[0],
        (true, order[0].clone()),
        "and no further than the first"
    );
}

fn note_store(path: &std::path::Path) {
    seed(path);
    let mut store = open(path);
    let mut s = store.settings().unwrap();
    s.practitioner_name = "Sam Example".into();
    s.credentials = "MSW".into();
    store.save_settings(&s).unwrap();
    let add =
        |store: &mut caseload::store::Store, client: i64, at: &str, kind: &str, body: &str, fu: &str| {
            let input = caseload::domain::note::NoteInput {
                contact_at: at.into(),
                contact_type: kind.into(),
                duration_minutes: "40".into(),
                follow_up_on: fu.into(),
                body: body.into(),
                ..Default::default()
            };
            let n =
                caseload::domain::note::validate_note(&input, fixed_now(), fixed_now().date_naive()).unwrap();
            store.add_note(client, &n, fixed_now()).unwrap()
        };
    add(
        &mut store,
        1,
        "2026-11-10 09:30",
        "home visit",
        "Eviction notice received; landlord wants rent.",
        "2026-11-17",
    );
    add(&mut store, 2, "2026-11-21 14:00", "phone", "Benefits letter arrived.", "2026-11-27");
    add(&mut store, 4, "2026-10-02 11:00", "office visit", "Talked about the eviction hearing.", "");
}

#[test]
fn today_shows_what_needs_doing_most_urgent_first() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = app(&path);
    let s = screen(&mut app, 100, 30);
    insta::assert_snapshot!("today_100x30", s);
    insta::assert_snapshot!("today_80x24", screen(&mut app, 80, 24));
    let first_item = s.lines().find(|l| l.contains("OVERDUE")).unwrap_or_default().to_string();
    assert!(first_item.contains("Follow-up"), "{s}");
    // the follow-up says what it is for in the note's first words (issue 19 point 7)
    assert!(first_item.contains("overdue: Eviction notic"), "{first_item}");
    // Enter opens the note the follow-up is on; x marks it done
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 24).contains("Note N-1"));
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Char('x'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("marked done") && !s.contains("note N-1 6 days"), "{s}");
}

/// Issue 19 point 7: `z` snoozes the item under the cursor to a day with a reason (both
/// asked); it leaves Today, the header's count with it, and the snooze is on the history.
#[test]
fn z_snoozes_a_today_item_until_a_day_with_a_reason() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = app(&path);
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("note N-1 6 days"), "{before}");
    keys(&mut app, "z");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("today_snooze_form", s);
    assert!(s.contains("Until") && s.contains("Reason"), "{s}");
    // both are needed: with no reason nothing is written
    keys(&mut app, "2026-12-01<c-s>");
    assert!(screen(&mut app, 80, 24).contains("Snooze"), "the form stays without a reason");
    assert!(open(&path).snoozed(today()).unwrap().is_empty());
    // the refusal puts the cursor on the field to fix
    keys(&mut app, "Waiting for the landlord's letter<c-s>");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("today_after_snooze", s);
    assert!(s.contains("Snoozed until 2026-12-01") && !s.contains("note N-1 6 days"), "{s}");
    assert!(
        before.contains("8 items, 4 overdue") && s.contains("7 items, 3 overdue"),
        "the count drops: {s}"
    );
    let store = open(&path);
    assert_eq!(store.snoozed(today()).unwrap().len(), 1);
    let history =
        format!("{:?}", store.timeline(1, caseload::store::search::TimelineFilter::All, 40, None).unwrap());
    assert!(history.contains("Waiting for the landlord") && history.contains("2026-12-01"), "{history}");
}

/// Issue 19 point 7: `/` filters Today by client or words as you type, `v` shows one rule's
/// items at a time and then all, Esc clears both.
#[test]
fn slash_filters_today_and_v_shows_one_kind_of_item() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = app(&path);
    keys(&mut app, "/zoë");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("today_filtered_zoe", s);
    assert!(s.contains("2 shown") && s.contains("Zoë Bélanger") && !s.contains("María José"), "{s}");
    // words in the item, by reference too; Enter keeps the filter and moves on the list again
    keys(&mut app, "<esc>/c-0004 unsigned<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("1 shown") && s.contains("Ana Nuñez") && !s.contains("No contact for"), "{s}");
    keys(&mut app, "<esc>");
    let s = screen(&mut app, 80, 24);
    assert!(!s.contains("shown") && s.contains("María José"), "Esc clears the filter: {s}");
    // v: the first kind only, the next, and back to all once every kind was shown
    keys(&mut app, "v");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("today_one_kind", s);
    assert!(s.contains("only follow-ups") && !s.contains("unsigned note"), "{s}");
    keys(&mut app, "v");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("only ") && !s.contains("only follow-ups"), "{s}");
    keys(&mut app, "vv"); // the third kind (no-contact), then all again
    let s = screen(&mut app, 80, 24);
    assert!(!s.contains("only ") && s.contains("8 items"), "back to all: {s}");
    keys(&mut app, "/nothing like this");
    assert!(screen(&mut app, 80, 24).contains("No item matches."));
}

#[test]
fn writing_a_templated_note_signing_it_and_adding_an_addendum() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter); // first client in the list
    key(&mut app, KeyCode::Char('w'));
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Right); // template: SOAP
    key(&mut app, KeyCode::Tab); // the note text
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Subjective:") && s.contains("Plan:"), "{s}");
    type_text(&mut app, "Worried about the rent.");
    insta::assert_snapshot!("note_form_soap", screen(&mut app, 80, 24));
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Saved note N-4"), "{s}");
    let store = open(&path);
    let n = store.note(4).unwrap();
    assert_eq!(n.template, "soap");
    assert!(n.body.starts_with("Subjective:\nWorried about the rent."), "{:?}", n.body);
    drop(store);
    // the notes list, the note, sign, addendum
    key(&mut app, KeyCode::Char('o'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('s'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("signed by Sam Example, MSW"), "{s}");
    key(&mut app, KeyCode::Char('e'));
    assert!(screen(&mut app, 80, 24).contains("locked"), "editing a signed note is refused");
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Correction: the gas bill, not the rent.");
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("note_signed_with_addendum", s);
    assert!(s.contains("Addendum,") && s.contains("Correction: the gas bill"), "{s}");
}

#[test]
fn an_empty_template_is_not_a_note() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('w'));
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Right);
    ctrl(&mut app, 's');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("still empty"), "{s}");
    assert_eq!(open(&path).count_notes(2).unwrap(), 1);
}

#[test]
fn search_as_you_type_and_jump_to_the_note() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = app(&path);
    keys(&mut app, "fevic");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("search_evic", s);
    assert!(s.contains("2 found"), "{s}");
    keys(&mut app, "<enter>");
    assert!(screen(&mut app, 80, 24).contains("Note N-"), "Enter opens the note");
    keys(&mut app, "<esc><bs><bs><bs><bs>AND (\"unclosed NEAR/3");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Nothing in the record contains those words"), "{s}");
}

#[test]
fn quick_note_from_today_picks_a_client_by_name() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = app(&path);
    keys(&mut app, "Wmajo");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("quick_note_picker", s);
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Quick note") && s.contains("María José López"), "{s}");
    keys(&mut app, "Left a voicemail? No: not safe. Texted instead.<c-s>");
    let store = open(&path);
    let n = store.note(4).unwrap();
    assert_eq!(n.client_id, 1);
    assert!(n.body.starts_with("Left a voicemail"));
}

#[test]
fn timeline_and_time_report() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = clients(&path);
    keys(&mut app, "/majo<enter>h");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("timeline", s);
    assert!(s.contains("home-visit: Eviction notice") && s.contains("intake"), "{s}");
    keys(&mut app, "v");
    assert!(!screen(&mut app, 80, 24).contains("intake"), "notes only");
    keys(&mut app, "M");
    let s = screen(&mut app, 80, 24);
    insta::assert_snapshot!("time_report", s);
    assert!(s.contains("80 min"), "{s}");
}

#[test]
fn typing_after_choosing_a_template_writes_under_the_first_heading() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('w'));
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Right); // template: SOAP
    key(&mut app, KeyCode::Tab); // the note text, straight to typing
    type_text(&mut app, "Worried about the rent.");
    ctrl(&mut app, 's');
    let n = open(&path).note(4).unwrap();
    assert!(n.body.starts_with("Subjective:\nWorried about the rent.\n"), "{:?}", n.body);
    assert_eq!(n.preview(), "Worried about the rent.");
}

#[test]
fn note_signatures_reasons_and_addenda_never_reach_the_terminal_raw() {
    let (_d, path) = temp_db();
    note_store(&path);
    // values written by something other than caseload's own forms (an older version, an import)
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE notes SET signed_at = '2026-11-22T10:00:00Z', signed_by = 'Sam\u{202e}elpmaxE' WHERE id = 1;
         INSERT INTO addenda (note_id, written_at, written_by, body)
             VALUES (1, '2026-11-22T11:00:00Z', 'Sam\u{200d}', 'A correction.');
         UPDATE notes SET error_at = '2026-11-22T10:00:00Z', error_reason = 'wrong\u{202e} client' WHERE id = 3;
         UPDATE episodes SET closed_on = '2026-11-01', closed_reason = 'moved\u{202e} away' WHERE client_id = 1;",
    )
    .unwrap();
    drop(conn);
    let mut app = app(&path);
    use caseload::app::Message;
    for (msg, shown) in [
        (Message::OpenNote(1), "signed by Sam"),
        (Message::Back, "Today"),
        (Message::OpenNote(3), "ENTERED IN ERROR: wrong client"),
        (Message::Back, "Today"),
        (Message::OpenClient(1), "closed 2026-11-01 (moved away)"),
    ] {
        app.update(msg).unwrap();
        let s = screen(&mut app, 100, 45);
        assert!(!s.contains(['\u{202e}', '\u{200d}']), "raw bidi override or joiner on screen:\n{s}");
        assert!(s.contains(shown), "{shown:?} not on screen:\n{s}");
    }
}

#[test]
fn ctrl_c_quits_from_any_dialog_and_from_help() {
    let (_d, path) = temp_db();
    note_store(&path);
    // with the drafts dialog that opens on start
    let mut app = clients(&path);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Draft");
    app.save_draft_now();
    drop(app);
    let mut app = common::app(&path);
    assert!(screen(&mut app, 80, 24).contains("Unsaved drafts"));
    ctrl(&mut app, 'c');
    assert!(app.quit, "Ctrl-C in the drafts dialog");
    // in the client picker, the discard question and the help overlay
    for script in ["<esc>W", "<esc>D<esc>?"] {
        let mut app = common::app(&path);
        keys(&mut app, script);
        keys(&mut app, "<c-c>");
        assert!(app.quit, "Ctrl-C quits after {script}");
    }
    let mut app = common::app(&path);
    keys(&mut app, "<esc>cnSecond<esc>");
    assert!(screen(&mut app, 80, 24).contains("Unsaved changes"));
    ctrl(&mut app, 'c');
    assert!(app.quit, "Ctrl-C in the discard question");
    assert!(
        open(&path).drafts().unwrap().iter().any(|d| d.payload.contains("Second")),
        "quitting from the question keeps the form as a draft"
    );
}

#[test]
fn a_long_message_in_the_footer_is_wrapped_not_cut() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    let msg = "Signed notes cannot be moved: press E to mark it entered in error and write it again on the right client.";
    app.update(caseload::app::Message::Status(msg.into())).unwrap();
    let s = screen(&mut app, 80, 24);
    let footer: String = s.lines().skip(22).collect::<Vec<_>>().join(" ");
    assert!(footer.contains("write it again on the right client."), "{s}");
    // a short one leaves the key hints in place
    app.update(caseload::app::Message::Status("Saved.".into())).unwrap();
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Saved.") && s.contains("q quit"), "{s}");
}

/// The rows inside the help overlay's border, top to bottom.
fn help_rows(s: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = s.lines().map(|l| l.chars().collect()).collect();
    let top = lines.iter().position(|l| l.iter().collect::<String>().contains("Keys — Esc closes")).unwrap();
    let left = lines[top].iter().position(|&c| c == '┌').unwrap();
    let right = lines[top].iter().position(|&c| c == '┐').unwrap();
    lines[top + 1..]
        .iter()
        .take_while(|l| l.get(left) == Some(&'│'))
        .map(|l| l[left + 1..right.min(l.len())].iter().collect::<String>().trim_end().to_string())
        .collect()
}

#[test]
fn help_scrolls_no_further_than_its_last_line() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "?");
    let first = help_rows(&screen(&mut app, 80, 24));
    keys(&mut app, &"j".repeat(100));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Esc         close help"), "the help's last line stays in view:\n{s}");
    let end = help_rows(&s);
    assert_ne!(end, first, "j scrolled:\n{s}");
    assert_eq!(end.last().map(|l| l.trim()), Some("Esc         close help"), "and is the bottom row:\n{s}");
    let end_scroll = caseload::ui::widgets::help::max_scroll(&app.help_contexts(), (80, 24));
    assert_eq!(app.help_scroll, Some(end_scroll));
    keys(&mut app, "j");
    assert_eq!(help_rows(&screen(&mut app, 80, 24)), end, "no further than the last line");
    keys(&mut app, "k");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("quit"), "one k scrolls back one line:\n{s}");
    let back = help_rows(&s);
    assert_eq!(back[1..], end[..end.len() - 1], "one k scrolls back exactly one line:\n{s}");
    assert!(!s.contains("Esc         close help"), "the last line left the view:\n{s}");
    assert_eq!(app.help_scroll, Some(end_scroll - 1));
}

#[test]
fn a_draft_is_written_during_a_long_burst_of_typing_not_only_after_a_pause() {
    let (_d, path) = temp_db();
    note_store(&path);
    let mut app = clients(&path);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('W'));
    // keys keep coming faster than the pause that writes a draft, for longer than the longest wait
    app.drafts.delay = std::time::Duration::from_millis(200);
    app.drafts.max_wait = std::time::Duration::from_millis(300);
    let started = std::time::Instant::now();
    for c in "a long burst of typing with no pause at all ".chars().cycle() {
        key(&mut app, KeyCode::Char(c));
        std::thread::sleep(std::time::Duration::from_millis(20));
        app.tick(fixed_now());
        if started.elapsed() > std::time::Duration::from_millis(700) {
            break;
        }
    }
    let drafts = open(&path).drafts().unwrap();
    assert_eq!(drafts.len(), 1, "a draft was written while typing went on");
    assert!(drafts[0].payload.contains("a long burst"), "{}", drafts[0].payload);
}

#[test]
fn a_note_entered_in_error_says_so_instead_of_offering_forms() {
    let (_d, path) = temp_db();
    note_store(&path);
    open(&path).mark_note_in_error(3, "duplicate entry", None, fixed_now()).unwrap();
    let mut app = app(&path);
    app.update(caseload::app::Message::OpenNote(3)).unwrap();
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("entered in error") && !s.contains("Signed notes"), "{s}");
    key(&mut app, KeyCode::Char('E'));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("already marked entered in error") && s.contains("Note N-3"), "no reason form:\n{s}");
}

/// Shift-Tab goes back a field, as the footer and the README say, when it comes as a terminal
/// sends it: BackTab with Shift.
#[test]
fn shift_tab_from_a_terminal_goes_back_a_field() {
    let (_d, path) = temp_db();
    let mut app = clients(&path);
    keys(&mut app, "nSam<tab>Example<s-tab>uel<c-s>");
    let c = open(&path).client(1).unwrap();
    assert_eq!((c.given_name.as_str(), c.family_name.as_str()), ("Samuel", "Example"));
}

#[test]
fn the_app_says_on_its_status_line_that_it_made_the_file_private() {
    let (_d, path) = common::temp_db();
    drop(common::open(&path));
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let mut app = common::app(&path);
    let screen = common::screen(&mut app, 120, 30);
    assert!(screen.contains("readable by you only"), "{screen}");
}

/// Two clients of the same name, born in different years, with their own phone numbers.
fn seed_namesakes(path: &std::path::Path) {
    let mut store = open(path);
    let today = fixed_now().date_naive();
    for (dob, phone) in [("1988-04-30", "(555) 014-2233"), ("1961-09-02", "+1 555 777 9911")] {
        let input = IntakeInput {
            given_name: "Maria".into(),
            family_name: "Nunez".into(),
            date_of_birth: dob.into(),
            phone: phone.into(),
            intake_date: "2026-10-01".into(),
            referral_reason: "Housing.".into(),
            ..Default::default()
        };
        store.add_client(&validate_intake(&input, today).unwrap(), fixed_now()).unwrap();
    }
}

#[test]
fn list_filter_finds_a_client_by_reference_and_by_phone() {
    let (_d, path) = temp_db();
    seed(&path);
    seed_namesakes(&path); // C-0006 (555) 014-2233, C-0007 +1 555 777 9911
    let mut app = clients(&path);
    keys(&mut app, "/C-0007");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Clients — 1 open case") && s.contains("C-0007"), "{s}");
    keys(&mut app, "<bs><bs><bs><bs><bs><bs><bs>c3");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Clients — 1 open case") && s.contains("王"), "c3 is C-0003: {s}");
    // digits the way people say them, spaces and dashes as they come
    keys(&mut app, "<bs><bs>014 22");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Clients — 1 open case") && s.contains("C-0006"), "{s}");
    keys(&mut app, "<bs><bs><bs><bs><bs><bs>555");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Clients — 7 open cases"), "every seeded phone holds 555: {s}");
    keys(&mut app, "<bs><bs><bs>7779911<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Client file") && s.contains("Maria Nunez"), "Enter opens the match: {s}");
}

#[test]
fn client_picker_tells_namesakes_apart_by_birth_year_and_age() {
    let (_d, path) = temp_db();
    seed_namesakes(&path);
    let mut app = clients(&path);
    keys(&mut app, "Wmaria");
    let s = screen(&mut app, 80, 24);
    // fixed_now is in 2026: born 1988-04-30 is 38, born 1961-09-02 is 65
    assert!(s.contains("b. 1988 · 38") && s.contains("b. 1961 · 65"), "{s}");
    // the picker also takes a reference or a phone number
    keys(&mut app, "<bs><bs><bs><bs><bs>C-0002");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("b. 1961 · 65") && !s.contains("b. 1988"), "{s}");
    keys(&mut app, "<bs><bs><bs><bs><bs><bs>014-22");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("b. 1988 · 38") && !s.contains("b. 1961"), "{s}");
    keys(&mut app, "<enter>");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Quick note") && s.contains("Maria Nunez"), "{s}");
}

/// Every nasty input as a snooze's reason, and typed into Today's `/` filter: the reason is
/// kept as one clean line or refused at the field with nothing written; nothing raw on screen.
#[test]
fn nasty_input_in_the_snooze_reason_and_todays_filter() {
    use crossterm::event::Event;
    let (mut kept, mut refused) = (0, 0);
    for (label, text) in nasty_inputs() {
        let (_d, path) = temp_db();
        note_store(&path);
        let mut app = app(&path);
        keys(&mut app, "z+1w<tab>");
        app.handle_event(Event::Paste(text.clone()));
        keys(&mut app, "<c-s>");
        let s = screen(&mut app, 80, 24);
        assert_clean_screen(&label, &s);
        let store = open(&path);
        let reasons: Vec<String> = {
            let tl = store.timeline(1, caseload::store::search::TimelineFilter::All, 40, None).unwrap();
            tl.into_iter().filter(|e| e.summary.starts_with("Snoozed")).map(|e| e.summary).collect()
        };
        match store.snoozed(today()).unwrap().len() {
            1 => {
                kept += 1;
                assert!(reasons.iter().all(|r| !r.chars().any(char::is_control)), "{label}: {reasons:?}");
            }
            0 => {
                refused += 1;
                assert!(s.contains('⚠'), "{label}: the field says why: {s}");
                key(&mut app, KeyCode::Esc);
                key(&mut app, KeyCode::Char('d'));
            }
            n => panic!("{label}: {n} snoozes"),
        }
        // the same text typed into Today's filter, key by key
        key(&mut app, KeyCode::Esc);
        keys(&mut app, "/");
        for c in text.chars().take(300) {
            key(&mut app, KeyCode::Char(c));
        }
        assert_clean_screen(&label, &screen(&mut app, 80, 24));
    }
    assert!(kept > 0 && refused > 0, "{kept} kept, {refused} refused");
}
