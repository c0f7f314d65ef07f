//! Referrals, tracked to a closed loop: the state machine is checked here (not only in the
//! screens), a referral is never marked sent without a valid consent to share with the
//! provider, and every move is kept with its date, note, reason and who recorded it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::appointments::{appointments_of, insert_appointment};
pub use super::appointments::{Appointment, AppointmentDetails};
use super::clients::{current_episode_id, log_record_event, require_client};
use super::coordination::{insert_consent, StoredConsent};
use super::{day_col, now_db, Result, Store, StoreError};
use crate::domain::client::client_ref;
use crate::domain::coordination::ConsentDraft;
use crate::domain::dates::{format_date, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::referral::{
    age_phrase, check_transition, default_follow_up, is_reopening, referral_ref, ReferralDetails,
    ReferralStatus, TransitionError, Urgency, OPEN_SQL,
};
use crate::domain::text::fit;

/// What a row of a referral's history is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A move through the closed loop (from → to).
    #[default]
    Status,
    /// An appointment arranged, changed or removed (the note says which); the status is unchanged.
    Appointment,
    /// The consent it was sent under was withdrawn (the note says so); the status is unchanged.
    Consent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralEvent {
    pub kind: EventKind,
    pub on: NaiveDate,
    pub recorded_at: String,
    pub from: Option<ReferralStatus>,
    pub to: ReferralStatus,
    pub note: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Referral {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    #[serde(skip)]
    pub client_name: String,
    /// The directory service, when it is one (`S-0012`).
    pub service: Option<String>,
    #[serde(skip)]
    pub service_id: Option<i64>,
    /// Whom the referral goes to, in words ("Northside Food Bank — Emergency parcels").
    pub provider: String,
    pub need: String,
    pub need_domain: String,
    #[serde(skip)]
    pub goal_id: Option<i64>,
    pub urgency: Urgency,
    pub method: String,
    #[serde(skip)]
    pub contact_person_id: Option<i64>,
    pub contact_name: String,
    pub info_shared: String,
    pub consent: Option<String>,
    #[serde(skip)]
    pub consent_id: Option<i64>,
    pub status: ReferralStatus,
    pub status_since: NaiveDate,
    #[serde(skip)]
    pub held_from: Option<ReferralStatus>,
    pub sent_on: Option<NaiveDate>,
    pub follow_up_on: Option<NaiveDate>,
    pub outcome: String,
    pub notes: String,
    pub history: Vec<ReferralEvent>,
    pub appointments: Vec<Appointment>,
}

impl Referral {
    /// "sent 12 days ago, no answer".
    pub fn age(&self, today: NaiveDate) -> String {
        age_phrase(self.status, self.status_since, today)
    }
}

/// A new referral as the form (or the command line) gives it.
#[derive(Debug, Clone, Default)]
pub struct NewReferral {
    pub service_id: Option<i64>,
    pub details: ReferralDetails,
    pub need_domain: String,
    pub goal_id: Option<i64>,
    pub contact_person_id: Option<i64>,
    /// A consent given with the referral (the client agreed today): recorded as a release.
    pub consent: Option<ConsentDraft>,
}

const COLUMNS: &str = "r.id, r.client_id, r.service_id, r.provider, r.need, r.need_domain, r.goal_id, r.urgency, \
    r.method, r.contact_person_id, r.contact_name, r.info_shared, r.consent_id, r.status, r.status_since, r.held_from, \
    r.sent_on, r.follow_up_on, r.outcome, r.notes, c.given_name || ' ' || c.family_name";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Referral> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let service_id: Option<i64> = r.get(2)?;
    let consent_id: Option<i64> = r.get(12)?;
    let status: String = r.get(13)?;
    let held: Option<String> = r.get(15)?;
    let urgency: String = r.get(7)?;
    Ok(Referral {
        reference: referral_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        client_name: r.get(20)?,
        service: service_id.map(crate::domain::directory::service_ref),
        service_id,
        provider: r.get(3)?,
        need: r.get(4)?,
        need_domain: r.get(5)?,
        goal_id: r.get(6)?,
        urgency: urgency.parse().unwrap_or_default(),
        method: r.get(8)?,
        contact_person_id: r.get(9)?,
        contact_name: r.get(10)?,
        info_shared: r.get(11)?,
        consent: consent_id.map(crate::domain::coordination::consent_ref),
        consent_id,
        status: status.parse().unwrap_or_default(),
        status_since: day_col(r, 14)?.unwrap_or_default(),
        held_from: held.and_then(|h| h.parse().ok()),
        sent_on: day_col(r, 16)?,
        follow_up_on: day_col(r, 17)?,
        outcome: r.get(18)?,
        notes: r.get(19)?,
        history: Vec::new(),
        appointments: Vec::new(),
    })
}

/// The names a consent for this referral may be written to: the organisation, the service,
/// the provider as typed, and the contact person.
fn recipient_names(tx: &rusqlite::Connection, r: &Referral) -> Result<Vec<String>> {
    let mut names = vec![r.provider.clone()];
    if let Some(s) = r.service_id {
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT s.name, o.name FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ?1",
                [s],
                |x| Ok((x.get(0)?, x.get(1)?)),
            )
            .optional()?;
        if let Some((service, org)) = row {
            names.push(service);
            names.push(org);
        }
    }
    if !r.contact_name.is_empty() {
        names.push(r.contact_name.clone());
    }
    Ok(names)
}

impl Store {
    /// Saves a new referral as a draft, with the consent given with it (if any), in one
    /// transaction.
    pub fn add_referral(
        &mut self,
        client_id: i64,
        n: &NewReferral,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let today = now.date_naive();
        self.write(|tx| {
            require_client(tx, client_id)?;
            insert_referral(tx, client_id, n, by, today, now)
        })
    }

    pub fn referral(&self, id: i64) -> Result<Referral> {
        let mut r = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM referrals r JOIN clients c ON c.id = r.client_id WHERE r.id = ?1"
                ),
                [id],
                from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no referral {}.", referral_ref(id))))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT on_date, recorded_at, from_status, to_status, note, reason, by_whom, kind FROM referral_events \
             WHERE referral_id = ?1 ORDER BY on_date, id",
        )?;
        r.history = stmt
            .query_map([id], |x| {
                let from: Option<String> = x.get(2)?;
                let to: String = x.get(3)?;
                let kind: String = x.get(7)?;
                Ok(ReferralEvent {
                    kind: match kind.as_str() {
                        "appointment" => EventKind::Appointment,
                        "consent" => EventKind::Consent,
                        _ => EventKind::Status,
                    },
                    on: day_col(x, 0)?.unwrap_or_default(),
                    recorded_at: x.get(1)?,
                    from: from.and_then(|f| f.parse().ok()),
                    to: to.parse().unwrap_or_default(),
                    note: x.get(4)?,
                    reason: x.get(5)?,
                    by: x.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        r.appointments = appointments_of(&self.conn, id)?;
        Ok(r)
    }

    /// A client's referrals, open ones first, newest first.
    pub fn referrals(&self, client_id: i64) -> Result<Vec<Referral>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM referrals r JOIN clients c ON c.id = r.client_id WHERE r.client_id = ?1 \
             ORDER BY r.status IN {OPEN_SQL} DESC, r.follow_up_on IS NULL, r.follow_up_on, r.status_since DESC, r.id DESC"
        ))?;
        let rows = stmt.query_map([client_id], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every open referral across the caseload, the most overdue first (then the oldest in its
    /// state): the referral board.
    pub fn open_referrals(&self) -> Result<Vec<Referral>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM referrals r INDEXED BY referrals_open JOIN clients c ON c.id = r.client_id \
             WHERE r.status IN {OPEN_SQL} ORDER BY r.follow_up_on IS NULL, r.follow_up_on, r.status_since, r.id"
        ))?;
        let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A consent on file that lets this referral's information go to its provider today.
    pub fn referral_consent(&self, r: &Referral, today: NaiveDate) -> Result<Option<StoredConsent>> {
        for name in recipient_names(&self.conn, r)? {
            if let Some(c) =
                self.usable_consent(r.client_id, r.contact_person_id, &name, &r.info_shared, today)?
            {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    /// Moves a referral to `to` on the day `on` (which may be earlier than today). The store
    /// refuses what the state machine refuses, and "sent" without a valid consent. The
    /// follow-up date is `follow_up` when given, else the default for the new state.
    #[allow(clippy::too_many_arguments)]
    pub fn change_referral_status(
        &mut self,
        id: i64,
        to: ReferralStatus,
        on: NaiveDate,
        note: &str,
        reason: &str,
        follow_up: Option<NaiveDate>,
        first_appointment: Option<DateTime<Utc>>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let r = self.referral(id)?;
        let today = now.date_naive();
        if on > today {
            return Err(StoreError::invalid(
                "on",
                "A change is recorded on or after the day it happened, not before.",
            ));
        }
        // a referral recorded after the fact was drafted no later than it was sent
        let backdate_draft = r.status == ReferralStatus::Draft && on < r.status_since;
        if on < r.status_since && !backdate_draft {
            return Err(StoreError::invalid(
                "on",
                format!(
                    "The referral was already \"{}\" on {}; date the change on or after that.",
                    r.status.label(),
                    format_date(r.status_since)
                ),
            ));
        }
        let consent =
            if to == ReferralStatus::Sent { self.referral_consent(&r, on.max(today))? } else { None };
        let reason = crate::domain::text::clean_line(reason);
        let note = crate::domain::text::clean_multiline(note);
        if note.chars().count() > 20_000 {
            return Err(StoreError::invalid("note", "Too long: at most 20,000 characters."));
        }
        if reason.chars().count() > 1_000 {
            return Err(StoreError::invalid("reason", "Too long: at most 1,000 characters."));
        }
        check_transition(r.status, to, r.held_from, Some(&reason), consent.is_some()).map_err(|e| match e {
            TransitionError::ReasonRequired | TransitionError::ReopenReasonRequired => {
                StoreError::invalid("reason", e.to_string())
            }
            TransitionError::ConsentRequired => StoreError::Refused(format!(
                "{} Record a consent to share with {} first (C, consents, on the client's file; or --consent).",
                e,
                fit(&r.provider, 40)
            )),
            other => StoreError::Refused(other.to_string()),
        })?;
        let first = first_appointment.map(AppointmentDetails::at);
        let follow = follow_up.or_else(|| default_follow_up(to, on, first.as_ref().map(|a| a.day())));
        let held_from = if to == ReferralStatus::OnHold { Some(r.status.as_str()) } else { None };
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE referrals SET status = ?2, status_since = ?3, held_from = ?4, follow_up_on = ?5, \
                 sent_on = CASE WHEN ?2 = 'sent' AND sent_on IS NULL THEN ?3 ELSE sent_on END, \
                 consent_id = coalesce(?6, consent_id), \
                 outcome = CASE WHEN ?7 != '' THEN ?7 ELSE outcome END, updated_at = ?8 WHERE id = ?1",
                params![
                    id,
                    to.as_str(),
                    format_date(on),
                    held_from,
                    follow.map(format_date),
                    consent.as_ref().map(|c| c.id),
                    if to.is_terminal() { if reason.is_empty() { note.clone() } else { reason.clone() } } else { String::new() },
                    now_s
                ],
            )?;
            if backdate_draft {
                tx.execute(
                    "UPDATE referral_events SET on_date = ?2 WHERE referral_id = ?1 AND from_status IS NULL",
                    params![id, format_date(on)],
                )?;
            }
            tx.execute(
                "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, note, reason, by_whom) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, format_date(on), now_s, r.status.as_str(), to.as_str(), note, reason, by],
            )?;
            if let Some(first) = &first {
                // at the time given; the follow-up is already set on its day
                let moved = Referral { status: to, ..r.clone() };
                insert_appointment(tx, &moved, on, first, by, now)?;
            }
            let why = if reason.is_empty() { String::new() } else { format!(": {}", fit(&reason, 80)) };
            log_record_event(
                tx,
                r.client_id,
                &moment_of_day(on, now),
                &now_s,
                "referral",
                &format!(
                    "Referral {} to {} {}{why}",
                    r.reference,
                    fit(&r.provider, 50),
                    if is_reopening(r.status, to) {
                        "reopened after no response".to_string()
                    } else {
                        to.label().to_lowercase()
                    }
                ),
                Some((RecordKind::Referral, id)),
            )
        })
    }

    /// Saves changes to an open referral's details.
    pub fn update_referral(
        &mut self,
        id: i64,
        d: &ReferralDetails,
        contact_person_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let r = self.referral(id)?;
        if r.status.is_terminal() {
            return Err(StoreError::Refused(format!(
                "Referral {} is closed (\"{}\"); its record stays as it was.",
                r.reference,
                r.status.label()
            )));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE referrals SET provider = CASE WHEN service_id IS NULL THEN ?2 ELSE provider END, need = ?3, \
                 urgency = ?4, method = ?5, contact_person_id = ?6, contact_name = ?7, info_shared = ?8, follow_up_on = ?9, \
                 notes = ?10, updated_at = ?11 WHERE id = ?1",
                params![
                    id,
                    d.provider,
                    d.need,
                    d.urgency.as_str(),
                    d.method,
                    contact_person_id,
                    d.contact_name,
                    d.info_shared,
                    d.follow_up_on.map(format_date),
                    d.notes,
                    now_s
                ],
            )?;
            Ok(())
        })
    }
}

/// Inserts a draft referral (and the consent given with it) inside a transaction.
pub(crate) fn insert_referral(
    tx: &Transaction<'_>,
    client_id: i64,
    n: &NewReferral,
    by: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let provider = match n.service_id {
        Some(s) => {
            let row: Option<(String, String)> = tx
                .query_row(
                    "SELECT s.name, o.name FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = ?1",
                    [s],
                    |x| Ok((x.get(0)?, x.get(1)?)),
                )
                .optional()?;
            match row {
                Some((service, org)) if org.is_empty() || org == service => service,
                Some((service, org)) => format!("{org} — {service}"),
                None => {
                    return Err(StoreError::NotFound(format!(
                        "There is no service {} in the directory.",
                        crate::domain::directory::service_ref(s)
                    )))
                }
            }
        }
        None => n.details.provider.clone(),
    };
    if let Some(p) = n.contact_person_id {
        let owner: Option<i64> =
            tx.query_row("SELECT client_id FROM people WHERE id = ?1", [p], |r| r.get(0)).optional()?;
        if owner != Some(client_id) {
            return Err(StoreError::Refused(
                "That contact person is not one of this client's people.".into(),
            ));
        }
    }
    let consent_id = match &n.consent {
        Some(c) => Some(insert_consent(tx, client_id, c, n.contact_person_id, now)?),
        None => None,
    };
    let episode = current_episode_id(tx, client_id)?;
    let d = &n.details;
    tx.execute(
        "INSERT INTO referrals (client_id, episode_id, service_id, provider, need, need_domain, goal_id, urgency, method, \
         contact_person_id, contact_name, info_shared, consent_id, status, status_since, follow_up_on, notes, created_at, updated_at) \
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,'draft',?14,?15,?16,?17,?17)",
        params![
            client_id,
            episode,
            n.service_id,
            provider,
            d.need,
            n.need_domain,
            n.goal_id,
            d.urgency.as_str(),
            d.method,
            n.contact_person_id,
            d.contact_name,
            d.info_shared,
            consent_id,
            format_date(today),
            d.follow_up_on.map(format_date),
            d.notes,
            now_s
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, by_whom) \
         VALUES (?1, ?2, ?3, NULL, 'draft', ?4)",
        params![id, format_date(today), now_s, by],
    )?;
    log_record_event(
        tx,
        client_id,
        &now_s,
        &now_s,
        "referral",
        &format!("Referral {} to {} drafted, for {}", referral_ref(id), fit(&provider, 50), fit(&d.need, 60)),
        Some((RecordKind::Referral, id)),
    )?;
    Ok(id)
}
