//! Consents to share information: recording one, reading them back with their validity,
//! withdrawing one or letting it lapse.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use crate::domain::client::client_ref;
use crate::domain::consent::{validity, Consent, Reliance, Validity};
use crate::domain::coordination::{consent_ref, ConsentDraft};
use crate::domain::dates::{format_date, moment_of_day};
use crate::domain::record::RecordKind;
use crate::domain::referral::{referral_ref, OPEN_SQL};
use crate::domain::text::{fit, name_key};
use crate::store::clients::{log_record_event, require_client};
use crate::store::people::person_named;
use crate::store::{day_col, now_db, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredConsent {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    #[serde(skip)]
    pub person_id: Option<i64>,
    pub to: String,
    pub covers: String,
    pub signed_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
    pub revoked_reason: String,
    pub lapsed_on: Option<NaiveDate>,
    pub notes: String,
}

impl StoredConsent {
    pub fn consent(&self) -> Consent {
        Consent {
            to_name: self.to.clone(),
            covers: if self.covers.trim().is_empty() { Vec::new() } else { vec![self.covers.clone()] },
            signed_on: self.signed_on,
            expires_on: self.expires_on,
            revoked_on: self.revoked_on,
        }
    }

    pub fn validity(&self, today: NaiveDate, warn_days: i64) -> Validity {
        validity(&self.consent(), today, warn_days)
    }

    /// Names the same recipient (the person, or the name typed, accents and case ignored).
    pub fn is_to(&self, person_id: Option<i64>, name: &str) -> bool {
        match (person_id, self.person_id) {
            (Some(a), Some(b)) if a == b => true,
            _ => !name.trim().is_empty() && name_key(&self.to) == name_key(name),
        }
    }
}

const CONSENT_COLUMNS: &str =
    "id, client_id, person_id, to_name, covers, signed_on, expires_on, revoked_on, \
    revoked_reason, lapsed_on, notes";

fn consent_from_row(r: &Row<'_>) -> rusqlite::Result<StoredConsent> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    Ok(StoredConsent {
        reference: consent_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        person_id: r.get(2)?,
        to: r.get(3)?,
        covers: r.get(4)?,
        signed_on: day_col(r, 5)?,
        expires_on: day_col(r, 6)?,
        revoked_on: day_col(r, 7)?,
        revoked_reason: r.get(8)?,
        lapsed_on: day_col(r, 9)?,
        notes: r.get(10)?,
    })
}

/// Inserts a consent inside a transaction (also used by the demo).
pub(crate) fn insert_consent(
    tx: &Transaction<'_>,
    client_id: i64,
    d: &ConsentDraft,
    person_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    let person_id = match person_id {
        Some(p) => Some(p),
        None => person_named(tx, client_id, &d.consent.to_name)?,
    };
    tx.execute(
        "INSERT INTO consents (client_id, person_id, to_name, covers, signed_on, expires_on, notes, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            client_id,
            person_id,
            d.consent.to_name,
            d.consent.covers.join(", "),
            d.consent.signed_on.map(format_date),
            d.consent.expires_on.map(format_date),
            d.notes,
            now_s
        ],
    )?;
    let id = tx.last_insert_rowid();
    let until = d.consent.expires_on.map(|e| format!(" until {}", format_date(e))).unwrap_or_default();
    let covers =
        if d.consent.covers.is_empty() { "all information".to_string() } else { d.consent.covers.join(", ") };
    log_record_event(
        tx,
        client_id,
        &d.consent.signed_on.map(|s| moment_of_day(s, now)).unwrap_or_else(|| now_s.clone()),
        &now_s,
        "consent",
        &format!(
            "Consent {} to share {} with {}{until}",
            consent_ref(id),
            fit(&covers, 60),
            d.consent.to_name
        ),
        Some((RecordKind::Consent, id)),
    )?;
    Ok(id)
}

impl Store {
    pub fn add_consent(
        &mut self,
        client_id: i64,
        d: &ConsentDraft,
        person_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| {
            require_client(tx, client_id)?;
            if let Some(p) = person_id {
                let owner: Option<i64> = tx
                    .query_row("SELECT client_id FROM people WHERE id = ?1", [p], |r| r.get(0))
                    .optional()?;
                if owner != Some(client_id) {
                    return Err(StoreError::Refused("That person is not one of this client's.".into()));
                }
            }
            insert_consent(tx, client_id, d, person_id, now)
        })
    }

    pub fn consent(&self, id: i64) -> Result<StoredConsent> {
        self.conn
            .query_row(
                &format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE id = ?1"),
                [id],
                consent_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no consent {}.", consent_ref(id))))
    }

    /// A client's consents, newest first.
    pub fn consents(&self, client_id: i64) -> Result<Vec<StoredConsent>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE client_id = ?1 ORDER BY coalesce(signed_on, created_at) DESC, id DESC"
        ))?;
        let rows = stmt.query_map([client_id], consent_from_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A consent that lets information go to this recipient today (covering `what`), if any.
    pub fn usable_consent(
        &self,
        client_id: i64,
        person_id: Option<i64>,
        name: &str,
        what: &str,
        today: NaiveDate,
    ) -> Result<Option<StoredConsent>> {
        Ok(self.consents(client_id)?.into_iter().find(|c| {
            c.is_to(person_id, name)
                && c.lapsed_on.is_none()
                && crate::domain::consent::is_valid_for(&c.consent(), today, what).is_ok()
        }))
    }

    /// Records that the client withdrew a consent (from `on`), and follows the information:
    /// every open referral sent under it, live case conference the recipient shares in, and the
    /// recipient as a contact is returned, kept as a Today item until they are told, and a
    /// referral's history says so. One transaction.
    pub fn withdraw_consent(
        &mut self,
        id: i64,
        on: NaiveDate,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reliance>> {
        let c = self.consent(id)?;
        if c.revoked_on.is_some() {
            return Err(StoreError::Refused(format!("Consent {} was already withdrawn.", c.reference)));
        }
        crate::domain::consent::validate_revocation(c.signed_on, on)
            .map_err(|m| StoreError::invalid("revoked_on", m))?;
        let reason = crate::domain::text::clean_line(reason);
        let relied = self.relying_on(&c, now)?;
        let now_s = now_db(now);
        let on_s = format_date(on);
        self.write(|tx| {
            tx.execute(
                "UPDATE consents SET revoked_on = ?2, revoked_reason = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, on_s, reason, now_s],
            )?;
            let told = if relied.is_empty() {
                String::new()
            } else {
                let refs: Vec<&str> = relied.iter().map(|(r, _, _)| r.reference()).collect();
                format!("; relied on by {}", refs.join(", "))
            };
            log_record_event(
                tx,
                c.client_id,
                &moment_of_day(on, now),
                &now_s,
                "consent",
                &format!("Consent {} to {} withdrawn by the client{told}", c.reference, c.to),
                Some((RecordKind::Consent, id)),
            )?;
            for (r, kind, record_id) in &relied {
                tx.execute(
                    "INSERT INTO consent_reliances (client_id, consent_id, record_kind, record_id, what, due_on, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![c.client_id, id, kind.as_str(), record_id, r.line(&c.reference), on_s, now_s],
                )?;
                if *kind == RecordKind::Referral {
                    // a row of the referral's history; its status is unchanged
                    tx.execute(
                        "INSERT INTO referral_events (referral_id, on_date, recorded_at, from_status, to_status, note, reason, by_whom, kind) \
                         SELECT id, ?2, ?3, status, status, ?4, ?5, ?6, 'consent' FROM referrals WHERE id = ?1",
                        params![
                            record_id,
                            on_s,
                            now_s,
                            format!(
                                "Consent {} withdrawn by the client: nothing more may be shared under it; tell the provider.",
                                c.reference
                            ),
                            reason,
                            by
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        Ok(relied.into_iter().map(|(r, _, _)| r).collect())
    }

    /// What relies on a consent now: open referrals sent (or to be sent) under it, case
    /// conferences the recipient attended that are still live (an open action item, or not yet
    /// held), and the recipient as one of the client's contacts (the person it names, someone
    /// of that name, or someone of the organisation it names).
    fn relying_on(&self, c: &StoredConsent, now: DateTime<Utc>) -> Result<Vec<(Reliance, RecordKind, i64)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, status FROM referrals WHERE consent_id = ?1 AND status IN {OPEN_SQL} ORDER BY id"
        ))?;
        let referrals = stmt
            .query_map([c.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (rid, status) in referrals {
            out.push((
                Reliance::Referral { reference: referral_ref(rid), draft: status == "draft" },
                RecordKind::Referral,
                rid,
            ));
        }
        // the recipient among the client's contacts: the person named, someone of that name,
        // or someone of the organisation named
        let contacts: Vec<_> = self
            .people(c.client_id)?
            .into_iter()
            .filter(|p| {
                let of_org =
                    !p.organisation.trim().is_empty() && name_key(&p.organisation) == name_key(&c.to);
                !p.is_self && !p.deceased && (c.is_to(Some(p.id), &p.name) || of_org)
            })
            .collect();
        for conf in self.conferences(c.client_id)? {
            let live = conf.actions.iter().any(|a| a.done_on.is_none()) || conf.held_at > now;
            // shared under this consent: held on or after its signing (the practitioner's day)
            let held_on = conf.held_at.with_timezone(&chrono::Local).date_naive();
            if !live || c.signed_on.is_some_and(|signed| held_on < signed) {
                continue;
            }
            let recipient = conf.attendees.iter().find(|a| {
                c.is_to(a.person_id, &a.name)
                    || a.person_id.is_some_and(|p| contacts.iter().any(|k| k.id == p))
            });
            if let Some(a) = recipient {
                out.push((
                    Reliance::Conference { reference: conf.reference.clone(), with: a.name.clone() },
                    RecordKind::Conference,
                    conf.id,
                ));
            }
        }
        for p in contacts {
            out.push((Reliance::Contact { reference: p.reference, name: p.name }, RecordKind::Person, p.id));
        }
        Ok(out)
    }

    /// The practitioner has told those who relied on a withdrawn consent: it leaves Today.
    pub fn reliance_told(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let row: Option<(i64, Option<String>, String)> = self
            .conn
            .query_row("SELECT client_id, done_on, what FROM consent_reliances WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((client_id, done, what)) = row else {
            return Err(StoreError::NotFound("That item is no longer recorded.".into()));
        };
        if done.is_some() {
            return Err(StoreError::Refused("That was marked done already.".into()));
        }
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE consent_reliances SET done_on = ?2 WHERE id = ?1",
                params![id, format_date(now.date_naive())],
            )?;
            log_record_event(
                tx,
                client_id,
                &now_s,
                &now_s,
                "consent",
                &format!("Done: {}", fit(&what, 160)),
                None,
            )
        })
    }

    /// An expired consent that will not be renewed leaves Today.
    pub fn let_consent_lapse(&mut self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let c = self.consent(id)?;
        let now_s = now_db(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE consents SET lapsed_on = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, format_date(now.date_naive()), now_s],
            )?;
            log_record_event(
                tx,
                c.client_id,
                &now_s,
                &now_s,
                "consent",
                &format!("Consent {} to {} not renewed", c.reference, c.to),
                Some((RecordKind::Consent, id)),
            )
        })
    }
}
