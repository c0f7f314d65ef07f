//! `caseload demo`, referrals: to the synthetic directory's services (or a typed provider), in
//! every state of the closed loop, with a history of realistic dates, consents given with
//! them, appointments and follow-ups.

use std::sync::OnceLock;

use chrono::{DateTime, Days, Utc};
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use rusqlite::{params, Transaction};
use serde::Deserialize;

use super::{add_days, pick, DemoClient};
use crate::domain::consent::Consent;
use crate::domain::coordination::ConsentDraft;
use crate::domain::dates::format_date;
use crate::domain::referral::{default_follow_up, ReferralDetails, ReferralStatus, Urgency};
use crate::store::referrals::{insert_referral, NewReferral};
use crate::store::Result;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    /// The needs referrals are made for.
    needs: Vec<super::Need>,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "referrals.json", include_str!("../../assets/demo/referrals.json"))
}

/// The path a referral took to end in `last`, each with the days it took.
fn path(last: ReferralStatus, rng: &mut StdRng) -> Vec<ReferralStatus> {
    use ReferralStatus::*;
    let skip_ack = rng.random_bool(0.5);
    let mut to_accepted = vec![Sent];
    if !skip_ack {
        to_accepted.push(Acknowledged);
    }
    to_accepted.push(Accepted);
    match last {
        Draft => vec![],
        Sent => vec![Sent],
        Acknowledged => vec![Sent, Acknowledged],
        Accepted => to_accepted,
        InService => [to_accepted, vec![InService]].concat(),
        Completed => [to_accepted, vec![InService, Completed]].concat(),
        Declined => vec![Sent, Declined],
        ClientDeclined => [to_accepted, vec![ClientDeclined]].concat(),
        NoResponse => vec![Sent, NoResponse],
        Cancelled => vec![Cancelled],
        OnHold => vec![Sent, OnHold],
    }
}

/// Referrals for the demo's clients, in the same transaction.
pub fn referrals(
    tx: &Transaction<'_>,
    rng: &mut StdRng,
    clients: &[DemoClient],
    now: DateTime<Utc>,
) -> Result<usize> {
    // each service with the need categories it answers, so a referral goes where its need is met
    let services: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT s.id, o.name, (SELECT group_concat(n.name, '|') FROM service_categories sc \
             JOIN need_categories n ON n.id = sc.category_id WHERE sc.service_id = s.id) \
             FROM services s JOIN organisations o ON o.id = s.organisation_id ORDER BY s.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, Option<String>>(2)?.unwrap_or_default()))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let w = words()?;
    let now_s = crate::store::now_db(now);
    let mut made = 0;
    for c in clients {
        if !rng.random_bool(0.6) {
            continue;
        }
        for _ in 0..rng.random_range(1..4) {
            // the whole story fits between intake and the end of the case; referrals made long
            // ago, or in a closed case, have reached their end
            let span = (c.until - c.intake).num_days().max(1) as u64;
            let start = add_days(c.until, -(rng.random_range(0..span) as i64)).max(c.intake);
            let recent = (c.until - start).num_days() < 60 && c.until == now.date_naive();
            let last = if recent {
                *pick(rng, ReferralStatus::ALL)
            } else {
                *pick(
                    rng,
                    &[
                        ReferralStatus::Completed,
                        ReferralStatus::Completed,
                        ReferralStatus::Declined,
                        ReferralStatus::ClientDeclined,
                        ReferralStatus::NoResponse,
                        ReferralStatus::Cancelled,
                    ],
                )
            };
            let steps = path(last, rng);
            let need = pick(rng, &w.needs);
            let category = category_for(&need.domain);
            let matching: Vec<&(i64, String, String)> =
                services.iter().filter(|(_, _, cats)| cats.split('|').any(|c| c == category)).collect();
            let (service_id, org) = if !matching.is_empty() && rng.random_bool(0.85) {
                let (id, org, _) = matching[rng.random_range(0..matching.len())];
                (Some(*id), org.clone())
            } else {
                (None, "Westside Advice Centre".to_string())
            };
            let consent = (!steps.is_empty() && steps[0] == ReferralStatus::Sent).then(|| ConsentDraft {
                consent: Consent {
                    to_name: org.clone(),
                    covers: vec!["name, contact details, the need".into()],
                    signed_on: Some(start),
                    expires_on: start.checked_add_days(Days::new(365)),
                    revoked_on: None,
                },
                notes: "Given with a referral.".into(),
            });
            let n = NewReferral {
                service_id,
                details: ReferralDetails {
                    provider: org.clone(),
                    need: need.text.clone(),
                    urgency: *pick(
                        rng,
                        &[Urgency::Routine, Urgency::Routine, Urgency::Soon, Urgency::Urgent],
                    ),
                    method: pick::<&str>(rng, &["phone", "email", "online form"]).to_string(),
                    contact_name: String::new(),
                    info_shared: "name, contact details, the need".into(),
                    follow_up_on: None,
                    notes: String::new(),
                },
                need_domain: need.domain.clone(),
                goal_id: None,
                contact_person_id: None,
                consent,
            };
            let id = insert_referral(tx, c.id, &n, "Demo Practitioner", start, now)?;
            tx.execute(
                "UPDATE referral_events SET on_date = ?2 WHERE referral_id = ?1",
                params![id, format_date(start)],
            )?;
            let mut day = start;
            let mut from = ReferralStatus::Draft;
            let mut held_from = None;
            for to in steps {
                day = day.checked_add_days(Days::new(rng.random_range(1..12))).unwrap_or(day).min(c.until);
                let reason = match to {
                    ReferralStatus::Declined => "Outside their area; they suggested another service.",
                    ReferralStatus::ClientDeclined => "The client decided not to go ahead.",
                    ReferralStatus::Cancelled => "No longer needed.",
                    ReferralStatus::OnHold => "Client in hospital for a few weeks.",
                    _ => "",
                };
                tx.execute(
                    "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, reason, by_whom) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'Demo Practitioner')",
                    params![id, format_date(day), now_s, from.as_str(), to.as_str(), reason],
                )?;
                if to == ReferralStatus::OnHold {
                    held_from = Some(from.as_str());
                }
                if to == ReferralStatus::Accepted && rng.random_bool(0.7) {
                    let appt = day.checked_add_days(Days::new(rng.random_range(3..20))).unwrap_or(day);
                    tx.execute(
                        "INSERT INTO appointments (referral_id, at, place, transport, transport_how, created_at) \
                         VALUES (?1, ?2, 'at the service', ?3, ?4, ?5)",
                        params![
                            id,
                            format!("{}T10:00:00Z", format_date(appt)),
                            pick::<&str>(rng, &["yes", "no", "unknown"]),
                            "bus pass",
                            now_s
                        ],
                    )?;
                }
                from = to;
            }
            let follow = default_follow_up(from, day, None).filter(|_| from.is_open());
            tx.execute(
                "UPDATE referrals SET status = ?2, status_since = ?3, held_from = ?4, follow_up_on = ?5, \
                 sent_on = (SELECT min(on_date) FROM referral_events WHERE referral_id = ?1 AND to_status = 'sent'), \
                 outcome = CASE WHEN ?2 IN ('completed', 'declined', 'client-declined', 'cancelled') \
                   THEN coalesce((SELECT reason FROM referral_events WHERE referral_id = ?1 AND to_status = ?2), '') ELSE '' END \
                 WHERE id = ?1",
                params![id, from.as_str(), format_date(day), held_from, follow.map(format_date)],
            )?;
            made += 1;
        }
    }
    // consents given with referrals long finished were left to lapse when they expired
    tx.execute(
        "UPDATE consents SET lapsed_on = expires_on WHERE notes = 'Given with a referral.' AND expires_on < ?1 \
         AND id IN (SELECT consent_id FROM referrals WHERE consent_id IS NOT NULL \
                    AND status IN ('completed', 'declined', 'client-declined', 'cancelled', 'no-response'))",
        [format_date(now.date_naive())],
    )?;
    Ok(made)
}

/// The directory's need category that answers a referral's life domain (the demo's words).
pub fn category_for(domain: &str) -> &'static str {
    match domain {
        "food" => "Food",
        "housing" => "Housing",
        "income" => "Money and debt",
        "legal" => "Legal",
        "mental health" => "Mental health",
        "education" => "Language and migration",
        "relationships" => "Older people",
        _ => "Health",
    }
}
