//! The appointments arranged for a client with a referral's provider. Each is kept at the time
//! the practitioner gave (never an invented one), can be changed and removed, and every change
//! is a row in the referral's history (kind `appointment`) and a line on the timeline.

use chrono::{DateTime, Local, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::clients::log_record_event;
use super::referrals::Referral;
use super::{now_db, Result, Store, StoreError};
use crate::domain::assessment::make_ref;
use crate::domain::dates::{format_date, format_local, to_db};
use crate::domain::record::RecordKind;
use crate::domain::referral::ReferralStatus;
use crate::domain::text::{clean_line, clean_multiline, fit};

/// `AP-7`: how an appointment is named on the command line.
pub fn appointment_ref(id: i64) -> String {
    make_ref("AP", id)
}

pub fn parse_appointment_ref(s: &str) -> Option<i64> {
    crate::domain::assessment::parse_ref("AP", s)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appointment {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub referral_id: i64,
    pub at: DateTime<Utc>,
    pub place: String,
    pub transport: String,
    pub transport_how: String,
    pub notes: String,
}

impl Appointment {
    /// When, in local time ("2026-11-27 10:00").
    pub fn when(&self) -> String {
        format_local(self.at)
    }

    /// The details as a form or the command line gives them (to change one of them).
    pub fn details(&self) -> AppointmentDetails {
        AppointmentDetails {
            at: self.at,
            place: self.place.clone(),
            transport: self.transport.clone(),
            how: self.transport_how.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// An appointment as a form or the command line gives it; `at` has the time that was typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppointmentDetails {
    pub at: DateTime<Utc>,
    pub place: String,
    /// yes, no, or unknown (empty is unknown).
    pub transport: String,
    pub how: String,
    pub notes: String,
}

impl AppointmentDetails {
    /// Just the time (the first appointment given when a referral is accepted).
    pub fn at(at: DateTime<Utc>) -> Self {
        AppointmentDetails { at, ..Default::default() }
    }

    /// Cleaned and checked, or the field that is wrong.
    fn checked(&self) -> Result<AppointmentDetails> {
        let transport = match self.transport.trim() {
            "" | "unknown" => "unknown",
            "yes" => "yes",
            "no" => "no",
            _ => return Err(StoreError::invalid("transport", "Say yes, no or not known.")),
        };
        let d = AppointmentDetails {
            at: self.at,
            place: clean_line(&self.place),
            transport: transport.to_string(),
            how: clean_line(&self.how),
            notes: clean_multiline(&self.notes),
        };
        for (field, text, max) in
            [("place", &d.place, 500), ("how", &d.how, 500), ("notes", &d.notes, 10_000)]
        {
            if text.chars().count() > max {
                return Err(StoreError::invalid(field, format!("Too long: at most {max} characters.")));
            }
        }
        Ok(d)
    }

    /// The local day it falls on.
    pub fn day(&self) -> NaiveDate {
        self.at.with_timezone(&Local).date_naive()
    }

    /// "2026-11-27 10:00 at Main hall".
    fn said(&self) -> String {
        let place =
            if self.place.is_empty() { String::new() } else { format!(" at {}", fit(&self.place, 40)) };
        format!("{}{place}", format_local(self.at))
    }
}

/// What changed between two versions of an appointment, in words for the history:
/// "Appointment moved from … to …; place … → …", or "Appointment of … changed: notes changed".
fn changes(old: &AppointmentDetails, new: &AppointmentDetails) -> String {
    let mut parts = Vec::new();
    if old.place != new.place {
        let place = |p: &str| if p.is_empty() { "(none)".to_string() } else { fit(p, 40) };
        parts.push(format!("place {} → {}", place(&old.place), place(&new.place)));
    }
    if (&old.transport, &old.how) != (&new.transport, &new.how) {
        parts.push("transport changed".into());
    }
    if old.notes != new.notes {
        parts.push("notes changed".into());
    }
    let rest = parts.join("; ");
    match (old.at != new.at, rest.is_empty()) {
        (true, true) => {
            format!("Appointment moved from {} to {}", format_local(old.at), format_local(new.at))
        }
        (true, false) => {
            format!("Appointment moved from {} to {}; {rest}", format_local(old.at), format_local(new.at))
        }
        (false, true) => format!("Appointment of {} saved unchanged", format_local(old.at)),
        (false, false) => format!("Appointment of {} changed: {rest}", format_local(old.at)),
    }
}

/// A referral's appointments, soonest first.
pub(crate) fn appointments_of(conn: &rusqlite::Connection, referral_id: i64) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, place, transport, transport_how, notes FROM appointments WHERE referral_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt
        .query_map([referral_id], |x| {
            let id: i64 = x.get(0)?;
            Ok(Appointment {
                reference: appointment_ref(id),
                id,
                referral_id,
                at: crate::store::moment_col(x, 1)?.unwrap_or_default(),
                place: x.get(2)?,
                transport: x.get(3)?,
                transport_how: x.get(4)?,
                notes: x.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A row in the referral's history about one of its appointments, on the day `on`.
fn history(
    tx: &Transaction<'_>,
    r: &Referral,
    on: NaiveDate,
    note: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, note, by_whom, kind) \
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 'appointment')",
        params![r.id, format_date(on), now_db(now), r.status.as_str(), note, by],
    )?;
    Ok(())
}

/// Arranges an appointment inside a transaction: the row, its history row (on the day `on`: the
/// day it was arranged) and its timeline line. An accepted referral is followed up on its first
/// appointment.
pub(crate) fn insert_appointment(
    tx: &Transaction<'_>,
    r: &Referral,
    on: NaiveDate,
    d: &AppointmentDetails,
    by: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let d = d.checked()?;
    let now_s = now_db(now);
    tx.execute(
        "INSERT INTO appointments (referral_id, at, place, transport, transport_how, notes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.id, to_db(d.at), d.place, d.transport, d.how, d.notes, now_s],
    )?;
    let id = tx.last_insert_rowid();
    if r.status == ReferralStatus::Accepted {
        tx.execute(
            "UPDATE referrals SET follow_up_on = ?2 WHERE id = ?1 AND (follow_up_on IS NULL OR follow_up_on > ?2)",
            params![r.id, format_date(d.day())],
        )?;
    }
    history(tx, r, on, &format!("Appointment arranged: {}", d.said()), by, now)?;
    log_record_event(
        tx,
        r.client_id,
        &to_db(d.at),
        &now_s,
        "referral",
        &format!("Appointment with {} arranged{}", fit(&r.provider, 50), at_place(&d.place)),
        Some((RecordKind::Referral, r.id)),
    )?;
    Ok(id)
}

fn local_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Local).date_naive()
}

fn at_place(place: &str) -> String {
    if place.is_empty() {
        String::new()
    } else {
        format!(" at {}", fit(place, 40))
    }
}

/// A closed referral's record stays as it was, appointments included.
fn refuse_closed(r: &Referral) -> Result<()> {
    if r.status.is_terminal() {
        return Err(StoreError::Refused(format!(
            "Referral {} is closed (\"{}\"); its appointments stay as they were.",
            r.reference,
            r.status.label()
        )));
    }
    Ok(())
}

impl Store {
    /// One appointment, by its id.
    pub fn appointment(&self, id: i64) -> Result<Appointment> {
        let referral: Option<i64> = self
            .conn
            .query_row("SELECT referral_id FROM appointments WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let referral = referral.ok_or_else(|| {
            StoreError::NotFound(format!("There is no appointment {}.", appointment_ref(id)))
        })?;
        appointments_of(&self.conn, referral)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("There is no appointment {}.", appointment_ref(id))))
    }

    /// An appointment arranged for the client with the provider; its id.
    pub fn add_appointment(
        &mut self,
        referral: i64,
        d: &AppointmentDetails,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let r = self.referral(referral)?;
        refuse_closed(&r)?;
        self.write(|tx| insert_appointment(tx, &r, local_today(now), d, by, now))
    }

    /// Changes an appointment (moved to another time, another place…); the referral's history
    /// says what changed. An accepted referral followed up on the old day is followed up on
    /// the new one.
    pub fn update_appointment(
        &mut self,
        id: i64,
        d: &AppointmentDetails,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let old = self.appointment(id)?;
        let r = self.referral(old.referral_id)?;
        refuse_closed(&r)?;
        let new = d.checked()?;
        let before = old.details();
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE appointments SET at = ?2, place = ?3, transport = ?4, transport_how = ?5, notes = ?6 WHERE id = ?1",
                params![id, to_db(new.at), new.place, new.transport, new.how, new.notes],
            )?;
            if r.status == ReferralStatus::Accepted && r.follow_up_on == Some(before.day()) {
                tx.execute(
                    "UPDATE referrals SET follow_up_on = ?2 WHERE id = ?1",
                    params![r.id, format_date(new.day())],
                )?;
            }
            let what = changes(&before, &new);
            history(tx, &r, local_today(now), &what, by, now)?;
            log_record_event(
                tx,
                r.client_id,
                &now_s,
                &now_s,
                "referral",
                &format!("{} (with {})", fit(&what, 80), fit(&r.provider, 50)),
                Some((RecordKind::Referral, r.id)),
            )
        })
    }

    /// Removes an appointment (cancelled, or recorded by mistake); the referral's history keeps
    /// what it was.
    pub fn remove_appointment(&mut self, id: i64, by: &str, now: DateTime<Utc>) -> Result<()> {
        let old = self.appointment(id)?;
        let r = self.referral(old.referral_id)?;
        refuse_closed(&r)?;
        let before = old.details();
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute("DELETE FROM appointments WHERE id = ?1", [id])?;
            history(tx, &r, local_today(now), &format!("Appointment removed: {}", before.said()), by, now)?;
            log_record_event(
                tx,
                r.client_id,
                &now_s,
                &now_s,
                "referral",
                &format!("Appointment with {} on {} removed", fit(&r.provider, 50), format_local(before.at)),
                Some((RecordKind::Referral, r.id)),
            )
        })
    }
}
