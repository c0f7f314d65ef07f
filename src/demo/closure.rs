//! The demo's endings: cases closed through the store with a decision for each open item and
//! the summary drafted from their record, some of them reopened later as a second episode,
//! and a few files transferred in from "another caseload" (exported and imported, under a new
//! synthetic name). All people are synthetic.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use fake::faker::name::raw::{FirstName, LastName};
use fake::locales::EN;
use fake::rand::rngs::StdRng;
use fake::rand::RngExt;
use fake::Fake;
use rusqlite::params;
use serde::Deserialize;

use super::pick;
use crate::domain::closure::{
    draft_summary, CloseDetails, ClosureReason, Decision, Disposition, Reopen, ReopenMode,
};
use crate::domain::dates::format_date;
use crate::domain::record::RecordKind;
use crate::export::file::ExportOptions;
use crate::store::{Result, Store, StoreError};

/// A case the demo closes: the client, the closing day, why.
#[derive(Debug, Clone)]
pub struct ToClose {
    pub client_id: i64,
    pub on: NaiveDate,
}

/// What the endings added (counted into the demo's own tallies).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Endings {
    pub closed: usize,
    pub reopened: usize,
    pub transferred: usize,
    /// Clients and notes the demo added here (transfers, second episodes).
    pub clients_added: usize,
    pub notes_added: usize,
}

const BY: &str = "Demo Practitioner";

const REASONS: &[ClosureReason] = &[
    ClosureReason::GoalsMet,
    ClosureReason::GoalsMet,
    ClosureReason::GoalsMet,
    ClosureReason::ClientWithdrew,
    ClosureReason::MovedAway,
    ClosureReason::Transferred,
    ClosureReason::NoContact,
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    /// Why a closed case came back.
    back_again: Vec<String>,
}

pub(super) fn words() -> Result<&'static Words> {
    static WORDS: OnceLock<Words> = OnceLock::new();
    super::load(&WORDS, "closure.json", include_str!("../../assets/demo/closure.json"))
}

/// The moment a demo closure is recorded: the afternoon of its day, so that no demo closure
/// can be undone "today" by accident.
fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(16, 0, 0).map(|t| t.and_utc()).unwrap_or_default()
}

fn decision_for(kind: RecordKind, id: i64, reason: ClosureReason, can_complete: bool) -> Decision {
    let why = format!("Case closed: {}", reason.label().to_lowercase());
    let (disposition, text) = match kind {
        RecordKind::Goal if can_complete && reason == ClosureReason::GoalsMet => {
            (Disposition::Complete, String::new())
        }
        RecordKind::Goal => (Disposition::Cancel, why),
        RecordKind::ActionItem => (Disposition::Complete, String::new()),
        RecordKind::Referral if can_complete => (Disposition::Complete, String::new()),
        RecordKind::Advocacy | RecordKind::Referral => (Disposition::Cancel, why),
        RecordKind::Alert => {
            (Disposition::Complete, "Reviewed at closure; safety plan in place, no current risk".to_string())
        }
        RecordKind::Note => (Disposition::Complete, String::new()),
        _ => (Disposition::Leave, String::new()),
    };
    Decision { kind, id, disposition, text }
}

/// Closes the cases (each through the closing checklist and a drafted, signed summary) and
/// reopens some of them, in one transaction; then transfers a few files in.
/// How many of `clients` demo clients come as transferred files: none in a tiny demo, one in
/// twenty-five otherwise (at most 20).
pub fn transfers_for(clients: usize) -> usize {
    if clients < 10 {
        0
    } else {
        (clients / 25).clamp(1, 20)
    }
}

pub fn finish(
    store: &mut Store,
    rng: &mut StdRng,
    cases: &[ToClose],
    transfers: usize,
    now: DateTime<Utc>,
) -> Result<Endings> {
    let instruments =
        crate::domain::instruments::builtin().map_err(|e| StoreError::Refused(e.to_string()))?;
    let w = words()?;
    let today = now.date_naive();
    let mut out = Endings::default();
    store.write(|tx| {
        for case in cases {
            let reason = *pick(rng, REASONS);
            let facts = crate::store::closure::closure_facts_in(tx, case.client_id, &instruments, 0, today)?;
            // leave one open item now and then, as a practitioner sometimes does
            let leave_one = rng.random_bool(0.2);
            let decisions: Vec<Decision> = facts
                .open_items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    if leave_one && i == 0 && item.kind != RecordKind::Note {
                        Decision { kind: item.kind, id: item.id, disposition: Disposition::Leave, text: String::new() }
                    } else {
                        let can_complete = item.choice(Disposition::Complete).is_some();
                        decision_for(item.kind, item.id, reason, can_complete)
                    }
                })
                .collect();
            let details = CloseDetails {
                reason,
                reason_note: match reason {
                    ClosureReason::Transferred => "to the community mental health team".into(),
                    ClosureReason::MovedAway => "moved to another town".into(),
                    _ => String::new(),
                },
                closed_on: case.on.max(facts.opened_on),
                follow_up_on: case.on.checked_add_days(Days::new(90)),
                follow_up_plan: "Phone call to see how things are going.".into(),
            };
            let summary = draft_summary(&facts, &decisions, &details);
            let closure = crate::store::closure::close_in(
                tx,
                case.client_id,
                &details,
                &decisions,
                &summary,
                BY,
                at(details.closed_on),
            )?;
            // follow-ups long past were made (Today shows only the recent ones)
            if let Some(f) = details.follow_up_on.filter(|f| *f + chrono::Duration::days(14) < today) {
                tx.execute(
                    "UPDATE closures SET follow_up_done_on = ?2 WHERE id = ?1",
                    params![closure, format_date(f)],
                )?;
            }
            out.closed += 1;
            // some come back: a second episode with a few contacts
            // (a case that came back did so lately: its second episode is live, not years old)
            let back = details
                .closed_on
                .checked_add_days(Days::new(rng.random_range(30..200)))
                .map(|b| b.max(today.checked_sub_days(Days::new(20 + b.ordinal0() as u64 % 100)).unwrap_or(b)));
            if let Some(back) = back.filter(|b| *b < today && rng.random_bool(0.3)) {
                let r = Reopen { mode: ReopenMode::NewEpisode, reason: pick(rng, &w.back_again).to_string(), opened_on: back };
                crate::store::closure::new_episode_in(tx, case.client_id, &r, at(back))?;
                let span = (today - back).num_days().max(1) as u64;
                for _ in 0..rng.random_range(1..4) {
                    let day = back.checked_add_days(Days::new(rng.random_range(0..span))).unwrap_or(back);
                    let contact_at = format!("{}T{:02}:30:00Z", format_date(day), rng.random_range(9..17));
                    tx.execute(
                        "INSERT INTO notes (client_id, episode_id, contact_at, written_at, updated_at, contact_type, \
                         duration_minutes, template, body, signed_at, signed_by) \
                         VALUES (?1, (SELECT id FROM episodes WHERE client_id = ?1 ORDER BY number DESC LIMIT 1), \
                         ?2, ?2, ?2, 'phone', ?3, 'free', ?4, ?2, ?5)",
                        params![
                            case.client_id,
                            contact_at,
                            rng.random_range(10..40),
                            "Back in touch after the new referral; agreed to meet next week.",
                            BY
                        ],
                    )?;
                    out.notes_added += 1;
                }
                tx.execute(
                    "UPDATE clients SET last_contact_at = (SELECT max(contact_at) FROM notes WHERE client_id = ?1 \
                     AND error_at IS NULL) WHERE id = ?1",
                    [case.client_id],
                )?;
                // screened again when the case came back, so no rescreen is years overdue
                for (id, items) in [("phq9", 9usize), ("gad7", 7)] {
                    let Some(inst) = crate::domain::instruments::find(&instruments, id) else { continue };
                    let near = super::assessment::answers_near(rng, items, 8, (id == "phq9").then_some(0));
                    if let Ok(answers) = crate::domain::instruments::parse_answer_list(inst, &near) {
                        let result = crate::domain::instruments::score(inst, &answers);
                        crate::store::screenings::insert_screening(
                            tx,
                            case.client_id,
                            inst,
                            &answers,
                            &result,
                            back,
                            "",
                            now,
                        )?;
                    }
                }
                // the first episode's advocacy deadlines long past were settled then
                tx.execute(
                    "UPDATE advocacy_items SET closed_on = ?2, outcome = 'Settled before the case closed.' \
                     WHERE client_id = ?1 AND closed_on IS NULL AND deadline < ?2",
                    params![case.client_id, format_date(back)],
                )?;
                // and its follow-ups of a transition were made
                tx.execute(
                    "UPDATE transitions SET follow_up_done = follow_up_on WHERE client_id = ?1 \
                     AND follow_up_done IS NULL AND follow_up_on < ?2",
                    params![case.client_id, format_date(back)],
                )?;
                // the first episode's expired consents were let lapse when the case came back
                tx.execute(
                    "UPDATE consents SET lapsed_on = ?2 WHERE client_id = ?1 AND expires_on < ?2 \
                     AND revoked_on IS NULL AND lapsed_on IS NULL",
                    params![case.client_id, format_date(back)],
                )?;
                out.reopened += 1;
            }
        }
        Ok(())
    })?;
    // files that came from a colleague: an open client's file, exported and taken in again
    // under another synthetic name, the first copy then removed, so that no one is in the
    // caseload twice under two names
    let mut open: Vec<i64> = store.client_ids(false, Default::default())?;
    for _ in 0..transfers {
        if open.len() < 2 {
            break;
        }
        let source = *pick(rng, &open);
        open.retain(|id| *id != source);
        let mut doc = store.client_file(
            source,
            &ExportOptions { include_errors: true, ..Default::default() },
            BY,
            now,
        )?;
        if let Some(row) = doc.tables.get_mut("clients").and_then(|r| r.first_mut()) {
            row.insert("given_name".into(), FirstName(EN).fake_with_rng::<String, _>(rng).into());
            row.insert("family_name".into(), LastName(EN).fake_with_rng::<String, _>(rng).into());
            row.insert("preferred_name".into(), "".into());
            row.insert("external_id".into(), format!("TRANSFER-{}", rng.random_range(1000..9999)).into());
        }
        doc.head.exported_by = "A colleague at Northside Support".into();
        crate::import::client_file::import(store, &doc, true, now)?;
        store.write(|tx| {
            tx.execute("INSERT INTO destroying (client_id) VALUES (?1)", [source])?;
            crate::store::sections::delete_all(tx, source)?;
            tx.execute("DELETE FROM destroying WHERE client_id = ?1", [source])?;
            Ok(())
        })?;
        // the file came in and its first copy went: as many clients and notes as before
        out.transferred += 1;
    }
    Ok(out)
}
