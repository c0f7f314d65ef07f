//! Command-line referrals: add, list, record the next status (appointments: `appointments`).

use std::path::PathBuf;

use chrono::{Days, Utc};
use clap::{Args, Subcommand};

use super::common::{
    bad, day, json_with, moment, open, open_to_read, print_json, refusal, store_refusal, today, ClientRef,
    Output,
};
use crate::domain::consent::Consent;
use crate::domain::coordination::ConsentDraft;
use crate::domain::dates::format_date;
use crate::domain::referral::{referral_ref, validate_referral, ReferralInput, ReferralStatus};
use crate::domain::text::display_safe;
use crate::store::referrals::{NewReferral, Referral};

#[derive(Subcommand, Debug)]
pub enum ReferralCommand {
    /// Refer a client to a directory service (--service) or a provider (--to); prints its ref.
    Add(ReferralAddArgs),
    /// List referrals: a client's, or every open one (the board) without REF.
    List {
        /// Client reference (C-0042) or a unique part of a name; omit for the whole caseload.
        reference: Option<String>,
        /// Only open referrals.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Record what happened next: sent, acknowledged, accepted, in-service, completed,
    /// declined (--reason), client-declined, no-response, cancelled, on-hold. A no-response
    /// referral that hears back is reopened with `sent --reason`.
    Status(ReferralStatusArgs),
    /// Appointments arranged with the provider: add (at a day and time), edit, remove.
    #[command(subcommand)]
    Appointment(super::appointments::AppointmentCommand),
}

#[derive(Args, Debug)]
pub struct ReferralAddArgs {
    #[command(flatten)]
    pub client: ClientRef,
    /// A directory service: its ref (S-0012) or a unique part of its name.
    #[arg(long, conflicts_with = "to")]
    pub service: Option<String>,
    /// A provider not in the directory.
    #[arg(long)]
    pub to: Option<String>,
    /// The need (or goal) the referral serves.
    #[arg(long)]
    pub need: String,
    /// The client agreed today to share the information with the provider: record that consent.
    #[arg(long)]
    pub consent: bool,
    /// What is shared with the provider (the consent covers it).
    #[arg(long)]
    pub info: Option<String>,
    /// routine, soon or urgent.
    #[arg(long)]
    pub urgency: Option<String>,
    /// phone, email, online form, fax, letter, in person.
    #[arg(long)]
    pub method: Option<String>,
    #[arg(long)]
    /// The person to speak to at the provider (a name, a desk, an extension).
    pub contact: Option<String>,
    #[arg(long)]
    /// When to check on it (YYYY-MM-DD, friday, +3d...; default from the urgency).
    #[arg(allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    #[arg(long)]
    /// Anything else worth keeping about the referral.
    pub notes: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Args, Debug)]
pub struct ReferralStatusArgs {
    /// The referral.
    pub referral: String,
    /// The new status.
    pub status: String,
    #[arg(long)]
    /// What was said or done, kept with the status change.
    pub note: Option<String>,
    /// Why (required when the provider declines).
    #[arg(long)]
    pub reason: Option<String>,
    /// The day it happened, if earlier than today.
    #[arg(long, allow_hyphen_values = true)]
    pub on: Option<String>,
    /// A follow-up date other than the default.
    #[arg(long, allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// When accepted: the first appointment's day and time ("friday 10:00", "2026-11-27 14:30");
    /// the follow-up falls on its day. A day without a time is refused.
    #[arg(long, allow_hyphen_values = true)]
    pub appointment: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

fn line(r: &Referral, today: chrono::NaiveDate) -> String {
    let follow = match r.follow_up_on {
        Some(d) if r.status.is_open() && d < today => format!("  OVERDUE follow-up {}", format_date(d)),
        Some(d) if r.status.is_open() => format!("  follow-up {}", format_date(d)),
        _ => String::new(),
    };
    format!(
        "{:<6} {}  {:<40} {}{follow}",
        r.reference,
        r.client,
        super::common::column(&r.provider, 40),
        r.age(today)
    )
}

pub fn referral(db: Option<PathBuf>, cmd: ReferralCommand) -> anyhow::Result<()> {
    let today = today();
    match cmd {
        ReferralCommand::Appointment(c) => super::appointments::appointment(db, c),
        ReferralCommand::Add(a) => {
            if a.service.is_none() && a.to.as_deref().is_none_or(|t| t.trim().is_empty()) {
                return Err(bad(
                    "Say whom to refer to: --service S-12 (from the directory) or --to \"provider\".",
                ));
            }
            let input = ReferralInput {
                provider: a.to.clone().unwrap_or_default(),
                need: a.need,
                urgency: a.urgency.unwrap_or_default(),
                method: a.method.unwrap_or_default(),
                contact_name: a.contact.unwrap_or_default(),
                info_shared: a.info.unwrap_or_default(),
                follow_up_on: a.follow_up.unwrap_or_default(),
                notes: a.notes.unwrap_or_default(),
            };
            let details = validate_referral(&input, a.service.is_some(), today).map_err(|e| {
                refusal(&e, |f| {
                    let flag = match f {
                        "provider" => "to",
                        "info_shared" => "info",
                        "contact_name" => "contact",
                        "follow_up_on" => "follow-up",
                        f => f,
                    };
                    format!("--{flag}")
                })
            })?;
            let mut store = open(db)?;
            let client = a.client.resolve(&store)?;
            let service = match &a.service {
                Some(s) => Some(store.resolve_service(s).map_err(|e| bad(format!("--service: {e}")))?),
                None => None,
            };
            let consent = a.consent.then(|| ConsentDraft {
                consent: Consent {
                    to_name: service
                        .as_ref()
                        .map(|s| s.organisation.name.clone())
                        .unwrap_or_else(|| details.provider.clone()),
                    covers: if details.info_shared.is_empty() {
                        Vec::new()
                    } else {
                        vec![details.info_shared.clone()]
                    },
                    signed_on: Some(today),
                    expires_on: today.checked_add_days(Days::new(365)),
                    revoked_on: None,
                },
                notes: "Given with a referral.".into(),
            });
            let n = NewReferral {
                service_id: service.as_ref().map(|s| s.id),
                details,
                need_domain: String::new(),
                goal_id: None,
                contact_person_id: None,
                consent,
            };
            let by = store.settings()?.signature();
            let id = store.add_referral(client.id, &n, &by, Utc::now())?;
            let r = store.referral(id)?;
            if a.output.json {
                print_json(&r)?;
            } else {
                println!(
                    "{} drafted: {} for {}",
                    referral_ref(id),
                    display_safe(&r.provider),
                    client.reference
                );
                if store.referral_consent(&r, today)?.is_none() {
                    eprintln!(
                        "caseload: note: no valid consent to share with {} yet; it cannot be marked sent until one is recorded (--consent, or caseload consent add).",
                        display_safe(&r.provider)
                    );
                }
            }
            Ok(())
        }
        ReferralCommand::List { reference, open: only_open, output } => {
            let store = open_to_read(db)?;
            let list: Vec<Referral> = match reference {
                Some(r) => {
                    let c = store.resolve_client(&r)?;
                    store.referrals(c.id)?.into_iter().filter(|r| !only_open || r.status.is_open()).collect()
                }
                None => store.open_referrals()?,
            };
            if output.json {
                // each with its history and appointments (their refs are what `appointment` takes)
                let full = list.iter().map(|r| store.referral(r.id)).collect::<Result<Vec<_>, _>>()?;
                let v: Vec<_> =
                    full.iter().map(|r| json_with(r, vec![("age", r.age(today).into())])).collect();
                print_json(&v)?;
            } else {
                for r in &list {
                    println!("{}", line(r, today));
                }
            }
            Ok(())
        }
        ReferralCommand::Status(a) => {
            let id = crate::domain::assessment::parse_ref("R", &a.referral).ok_or_else(|| {
                bad(format!(
                    "{} is not a referral reference (R-12).",
                    crate::domain::text::quote(&a.referral)
                ))
            })?;
            let to: ReferralStatus =
                a.status.parse().map_err(|e: crate::domain::referral::ParseError| bad(e.to_string()))?;
            let on = day("--on", a.on.as_deref(), today)?.unwrap_or(today);
            let follow = day("--follow-up", a.follow_up.as_deref(), today)?;
            let first = moment("--appointment", a.appointment.as_deref())?;
            let mut store = open(db)?;
            let by = store.settings()?.signature();
            store
                .change_referral_status(
                    id,
                    to,
                    on,
                    a.note.as_deref().unwrap_or(""),
                    a.reason.as_deref().unwrap_or(""),
                    follow,
                    first,
                    &by,
                    Utc::now(),
                )
                .map_err(store_refusal(|f| format!("--{}", f.replace('_', "-"))))?;
            let r = store.referral(id)?;
            if a.output.json {
                print_json(&r)?;
            } else {
                println!("{}", line(&r, today));
            }
            Ok(())
        }
    }
}
