//! The diary of the demo: contacts planned with open cases over the coming two weeks, two
//! today, and one from yesterday still planned (its note not yet written), as a real diary
//! has. And one consent withdrawn after a referral was sent under it, so what relied on it
//! is on Today. Each from draws of their own, so the rest of the demo stays as it was.

use chrono::{DateTime, Days, Duration, Local, NaiveTime, TimeZone, Timelike, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::{RngExt, SeedableRng};

use super::pick;
use crate::domain::visit::{VisitDetails, VisitKind};
use crate::store::{Result, Store};

/// Who the demo's diary and records say did the work.
const BY: &str = "Demo Worker";

/// A contact's kind, where it is and what it is for, as a practitioner would write them.
const PLANS: &[(VisitKind, &str, &str)] = &[
    (VisitKind::Home, "the client's home", "Check how the week went; go through the letters together."),
    (VisitKind::Home, "the client's home", "Review the safety plan."),
    (VisitKind::Phone, "", "Check-in call."),
    (VisitKind::Phone, "", "Call about the housing application."),
    (VisitKind::Office, "Office, room 2", "Fill in the benefit form together."),
    (VisitKind::Video, "", "Video call with the client and her sister."),
    (VisitKind::School, "Hillside School", "Meeting with the head of year."),
    (VisitKind::Court, "County Court, 2nd floor", "Possession hearing: go with the client."),
    (VisitKind::Hospital, "General Hospital, ward 4", "Discharge planning meeting."),
];

/// A local time on a day, as a UTC moment.
fn at(day: chrono::NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let t = NaiveTime::from_hms_opt(hour, minute, 0)?;
    Local.from_local_datetime(&day.and_time(t)).earliest().map(|t| t.with_timezone(&Utc))
}

/// Plans the diary of the open cases; how many contacts it planned.
pub fn diary(store: &mut Store, seed: u64, now: DateTime<Utc>) -> Result<usize> {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_add(0xD1A7));
    let open: Vec<(i64,)> = store.write(|tx| {
        crate::store::rows_of(tx, "SELECT id FROM clients WHERE status = 'open' ORDER BY id", [])
    })?;
    let today = now.with_timezone(&Local).date_naive();
    let mut planned = 0;
    let mut plan = |store: &mut Store, client: i64, when: DateTime<Utc>, rng: &mut StdRng| -> Result<()> {
        let (kind, place, purpose) = *pick(rng, PLANS);
        let d = VisitDetails {
            minutes: *pick(rng, &[30, 45, 60, 60, 90]),
            kind,
            place: place.into(),
            purpose: purpose.into(),
            ..VisitDetails::at(when)
        };
        store.add_visit(client, &d, BY, now)?;
        planned += 1;
        Ok(())
    };
    let hour_now = now.with_timezone(&Local).hour();
    for (i, &(client,)) in open.iter().enumerate() {
        // two contacts later today (or tomorrow when the day is nearly over)
        if i < 2 {
            let hour = (hour_now + 1 + i as u32).max(9 + i as u32);
            let when = match hour < 18 {
                true => at(today, hour, 0),
                false => at(today + Days::new(1), 9 + i as u32, 30),
            };
            if let Some(when) = when {
                plan(store, client, when, &mut rng)?;
            }
            continue;
        }
        // yesterday's visit whose note is still to be written
        if i == 2 {
            if let Some(when) = at(today - Days::new(1), 14, 0) {
                plan(store, client, when, &mut rng)?;
            }
            continue;
        }
        if rng.random_bool(0.6) {
            let day = today + Days::new(rng.random_range(1..15));
            if let Some(when) = at(day, rng.random_range(9..17), *pick(&mut rng, &[0, 30])) {
                plan(store, client, when.max(now + Duration::hours(1)), &mut rng)?;
            }
        }
    }
    Ok(planned)
}

/// One consent withdrawn by its client after a referral was sent under it: Today says to tell
/// the provider. None when no referral of an open case was sent under a consent.
pub fn withdrawn_consent(store: &mut Store, now: DateTime<Utc>) -> Result<Option<i64>> {
    let found: Vec<(i64,)> = store.write(|tx| {
        crate::store::rows_of(
            tx,
            "SELECT r.consent_id FROM referrals r JOIN clients c ON c.id = r.client_id \
             JOIN consents k ON k.id = r.consent_id \
             WHERE c.status = 'open' AND r.status IN ('sent', 'acknowledged', 'accepted', 'in-service', 'on-hold') \
             AND k.revoked_on IS NULL \
             ORDER BY r.id LIMIT 1",
            [],
        )
    })?;
    let Some(&(consent,)) = found.first() else { return Ok(None) };
    let today = now.with_timezone(&Local).date_naive();
    store.withdraw_consent(consent, today, "The client asked that nothing more be shared.", BY, now)?;
    Ok(Some(consent))
}
