//! Snoozing a Today item (issue 19 point 7): it leaves Today until its day and comes back on it;
//! the counts stay equal to the lists; the snooze is a line on the client's history.

use crate::common::{fixed_now, temp_db, today};
use caseload::domain::client::{validate_intake, IntakeInput};
use caseload::domain::due::{DueCount, Snooze};
use caseload::domain::note::{validate_note, NoteInput};
use caseload::domain::settings::Settings;
use caseload::store::due::DueContext;
use caseload::store::search::TimelineFilter;
use caseload::store::Store;
use chrono::Duration;

fn setup() -> (tempfile::TempDir, Store, i64, Vec<i64>) {
    let (d, path) = temp_db();
    let mut store = Store::open(&path).unwrap();
    let input = IntakeInput {
        given_name: "Ada".into(),
        family_name: "Example".into(),
        intake_date: "2026-01-05".into(),
        ..Default::default()
    };
    let a = store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
    let input = IntakeInput { given_name: "Bea".into(), ..input };
    let b = store.add_client(&validate_intake(&input, today()).unwrap(), fixed_now()).unwrap();
    let mut notes = Vec::new();
    for (client, (at, fu)) in
        [a, b].into_iter().zip([("2026-11-10 10:00", "2026-11-18"), ("2026-11-11 10:00", "2026-11-20")])
    {
        let n = NoteInput {
            contact_at: at.into(),
            contact_type: "phone".into(),
            duration_minutes: "30".into(),
            follow_up_on: fu.into(),
            body: "Call back about the letter.".into(),
            ..Default::default()
        };
        notes.push(
            store.add_note(client, &validate_note(&n, fixed_now(), today()).unwrap(), fixed_now()).unwrap(),
        );
    }
    (d, store, a, notes)
}

#[test]
fn a_snoozed_item_leaves_today_until_its_day_and_the_count_agrees() {
    let (_d, mut store, a, notes) = setup();
    let settings = Settings::default();
    let ctx = DueContext { now: fixed_now(), today: today(), settings: &settings, since: None };
    let before = crate::common::due_checked(&store, &ctx);
    let item = before.iter().find(|i| i.record_id == Some(notes[0])).unwrap().clone();
    assert!(Snooze::new(today(), "x", today()).is_err(), "a snooze is to a later day");
    assert!(Snooze::new(today() + Duration::days(3), "  ", today()).is_err(), "a reason is needed");
    let snooze = Snooze::new(today() + Duration::days(3), "Waiting for the housing letter", today()).unwrap();
    store.snooze(&item, &snooze, "Sam", fixed_now()).unwrap();

    let after = crate::common::due_checked(&store, &ctx);
    assert_eq!(after.len(), before.len() - 1);
    assert!(!after.iter().any(|i| i.record_id == Some(notes[0]) && i.rule == "follow-up"));
    assert!(after.iter().any(|i| i.record_id == Some(notes[1]) && i.rule == "follow-up"));
    assert_eq!(store.due_count(&ctx).unwrap(), DueCount::of(&after));
    // a page of one is still the head of the list without the snoozed item
    let (page, _) = store.due_items_limited(&ctx, Some(1)).unwrap();
    assert_eq!(page.first(), after.first());

    // the day before it is still away; on the day it comes back
    for (days, back) in [(2, false), (3, true)] {
        let day = today() + Duration::days(days);
        let later = DueContext {
            now: fixed_now() + Duration::days(days),
            today: day,
            settings: &settings,
            since: None,
        };
        let items = crate::common::due_checked(&store, &later);
        assert_eq!(
            items.iter().any(|i| i.record_id == Some(notes[0]) && i.rule == "follow-up"),
            back,
            "{day}"
        );
    }

    // the snooze is on the client's history, with its day and reason
    let timeline = store.timeline(a, TimelineFilter::All, 40, None).unwrap();
    let line = format!("{timeline:?}");
    assert!(
        line.contains("Snoozed on Today until") && line.contains("Waiting for the housing letter"),
        "{line}"
    );
}
