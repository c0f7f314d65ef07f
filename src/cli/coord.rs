//! Command-line coordination: contacts, consents to share, advocacy.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};

use super::common::{bad, json_with, open, open_to_read, print_json, refusal, today, ClientRef, Output};
use crate::domain::consent::validity;
use crate::domain::coordination::{
    consent_ref, validate_advocacy, validate_consent, AdvocacyInput, ConsentInput,
};
use crate::domain::dates::format_date;
use crate::domain::people::{person_ref, validate_person, PersonInput};
use crate::domain::text::display_safe;
use crate::store::people::Links;

#[derive(Subcommand, Debug)]
pub enum ContactCommand {
    /// Record someone around the client (GP, teacher, landlord, family); prints their ref.
    Add(ContactAddArgs),
    /// List the people around a client.
    List {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Args, Debug)]
pub struct ContactAddArgs {
    #[command(flatten)]
    pub client: ClientRef,
    #[arg(long)]
    /// Their name (a synthetic one in tests and demos).
    pub name: String,
    /// Their role: GP, teacher, probation officer, landlord, housing officer...
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    /// Phone number.
    pub phone: Option<String>,
    #[arg(long)]
    /// Email address.
    pub email: Option<String>,
    /// Their organisation.
    #[arg(long)]
    pub org: Option<String>,
    /// What they are to the client (mother, friend, professional...); default professional.
    #[arg(long)]
    pub relation: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Subcommand, Debug)]
pub enum ConsentCommand {
    /// Record a consent to share information; prints its ref.
    Add(ConsentAddArgs),
    /// List a client's consents with where each stands today.
    List {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        #[command(flatten)]
        output: Output,
    },
    /// Record that the client withdrew a consent (RI-3).
    Withdraw {
        /// Consent reference (RI-0007).
        consent: String,
        /// The day it was withdrawn (default today).
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
        #[arg(long)]
        /// Why it was withdrawn, in the client's words if they gave any.
        reason: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ConsentAddArgs {
    #[command(flatten)]
    pub client: ClientRef,
    /// Who may receive the information (a person or an organisation).
    #[arg(long)]
    pub to: String,
    /// What may be shared (default: everything the client agreed to).
    #[arg(long)]
    pub covers: Option<String>,
    /// The day it was signed (default today).
    #[arg(long, allow_hyphen_values = true)]
    pub signed: Option<String>,
    /// The last day it is valid.
    #[arg(long, allow_hyphen_values = true)]
    pub expires: String,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Subcommand, Debug)]
pub enum AdvocacyCommand {
    /// Log a barrier and whom you are pressing; prints its ref.
    Add(AdvocacyAddArgs),
    /// List a client's advocacy items, open ones first.
    List {
        /// Client reference (C-0042) or a unique part of a name.
        reference: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Args, Debug)]
pub struct AdvocacyAddArgs {
    /// Client reference (C-0042) or a unique part of a name.
    pub reference: String,
    #[arg(long)]
    /// The barrier in the client's way (a benefit stopped, a school place refused...).
    pub barrier: String,
    /// Whom the advocacy is aimed at: agency, landlord, school, benefits office...
    #[arg(long)]
    pub target: String,
    /// A deadline such as an appeal date; shown on Today.
    #[arg(long, allow_hyphen_values = true)]
    pub deadline: Option<String>,
    /// What was done today, if anything.
    #[arg(long)]
    pub action: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

pub fn contact(db: Option<PathBuf>, cmd: ContactCommand) -> anyhow::Result<()> {
    match cmd {
        ContactCommand::Add(a) => {
            let today = today();
            let input = PersonInput {
                name: a.name,
                relation: a.relation.unwrap_or_else(|| "professional".into()),
                role: a.role,
                organisation: a.org.unwrap_or_default(),
                phone: a.phone.unwrap_or_default(),
                email: a.email.unwrap_or_default(),
                ..Default::default()
            };
            if input.role.trim().is_empty() {
                return Err(bad("--role: say what they do (GP, teacher, landlord...)."));
            }
            let p = validate_person(&input, today).map_err(|e| {
                refusal(&e, |f| match f {
                    "organisation" => "--org",
                    "name" => "--name",
                    "role" => "--role",
                    "phone" => "--phone",
                    "email" => "--email",
                    _ => "--relation",
                })
            })?;
            let mut store = open(db)?;
            let client = a.client.resolve(&store)?;
            let id = store.add_person(client.id, &p, &Links::default(), Utc::now())?;
            let warn = store.usable_consent(client.id, Some(id), &p.name, "", today)?.is_none();
            if a.output.json {
                print_json(&store.person(id)?)?;
            } else {
                println!(
                    "{} {} ({}) recorded for {}",
                    person_ref(id),
                    display_safe(&p.name),
                    display_safe(&p.role),
                    client.reference
                );
            }
            if warn {
                eprintln!(
                    "caseload: note: there is no valid consent to share information with {}; record one with caseload consent add {} --to \"{}\" --expires DATE",
                    display_safe(&p.name),
                    client.reference,
                    display_safe(&p.name)
                );
            }
            Ok(())
        }
        ContactCommand::List { reference, output } => {
            let store = open_to_read(db)?;
            let client = store.resolve_client(&reference)?;
            let people: Vec<_> = store.people(client.id)?.into_iter().filter(|p| !p.is_self).collect();
            if output.json {
                print_json(&people)?;
            } else {
                for p in people {
                    println!(
                        "{:<6} {:<28} {:<16} {:<20} {}",
                        p.reference,
                        display_safe(&p.name),
                        display_safe(&p.relation),
                        display_safe(&p.role),
                        display_safe(&p.phone)
                    );
                }
            }
            Ok(())
        }
    }
}

pub fn consent(db: Option<PathBuf>, cmd: ConsentCommand) -> anyhow::Result<()> {
    let today = today();
    match cmd {
        ConsentCommand::Add(a) => {
            let d = validate_consent(
                &ConsentInput {
                    to_name: a.to,
                    covers: a.covers.unwrap_or_default(),
                    signed_on: a.signed.unwrap_or_default(),
                    expires_on: a.expires,
                    notes: String::new(),
                },
                today,
            )
            .map_err(|e| {
                refusal(&e, |f| match f {
                    "to_name" => "--to",
                    "signed_on" => "--signed",
                    "expires_on" => "--expires",
                    _ => "--covers",
                })
            })?;
            if d.consent.expires_on.is_none() {
                return Err(bad("--expires: give the last day the consent is valid."));
            }
            let mut store = open(db)?;
            let client = a.client.resolve(&store)?;
            let id = store.add_consent(client.id, &d, None, Utc::now())?;
            if a.output.json {
                print_json(&consent_json(&store.consent(id)?, today))?;
            } else {
                println!(
                    "{} consent to share with {} valid until {}",
                    consent_ref(id),
                    display_safe(&d.consent.to_name),
                    d.consent.expires_on.map(format_date).unwrap_or_default()
                );
            }
            Ok(())
        }
        ConsentCommand::List { reference, output } => {
            let store = open_to_read(db)?;
            let client = store.resolve_client(&reference)?;
            let list = store.consents(client.id)?;
            if output.json {
                let v: Vec<_> = list.iter().map(|c| consent_json(c, today)).collect();
                print_json(&v)?;
            } else {
                for c in &list {
                    let state = validity(&c.consent(), today, 30).describe();
                    let covers = if c.covers.is_empty() { "everything" } else { &c.covers };
                    println!(
                        "{:<6} {:<28} {:<24} {}",
                        c.reference,
                        display_safe(&c.to),
                        display_safe(covers),
                        state
                    );
                }
            }
            Ok(())
        }
        ConsentCommand::Withdraw { consent, on, reason } => {
            let id = crate::domain::assessment::parse_ref("RI", &consent).ok_or_else(|| {
                bad(format!("{} is not a consent reference (RI-3).", crate::domain::text::quote(&consent)))
            })?;
            let mut store = open(db)?;
            let c = store.consent(id)?;
            let on = crate::domain::coordination::validate_withdrawal(
                c.signed_on,
                on.as_deref().unwrap_or(""),
                today,
            )
            .map_err(|m| bad(format!("--on: {m}")))?;
            let by = store.settings()?.signature();
            let relied = store.withdraw_consent(id, on, reason.as_deref().unwrap_or(""), &by, Utc::now())?;
            println!("{} withdrawn on {}", c.reference, format_date(on));
            if !relied.is_empty() {
                println!(
                    "{} on it; each is on Today until you have told them:",
                    crate::domain::words::count(relied.len(), "record relied", "records relied")
                );
                for r in &relied {
                    println!("  {}", display_safe(&r.line(&c.reference)));
                }
            }
            Ok(())
        }
    }
}

fn consent_json(
    c: &crate::store::coordination::StoredConsent,
    today: chrono::NaiveDate,
) -> serde_json::Value {
    let state = if c.lapsed_on.is_some() { "not-renewed" } else { c.validity(today, 30).as_str() };
    let usable = c.lapsed_on.is_none() && c.validity(today, 0).is_usable();
    json_with(c, vec![("state", state.into()), ("usable", usable.into())])
}

pub fn advocacy(db: Option<PathBuf>, cmd: AdvocacyCommand) -> anyhow::Result<()> {
    let today = today();
    match cmd {
        AdvocacyCommand::Add(a) => {
            let d = validate_advocacy(
                &AdvocacyInput {
                    barrier: a.barrier,
                    target: a.target,
                    deadline: a.deadline.unwrap_or_default(),
                    first_action: a.action.unwrap_or_default(),
                    opened_on: String::new(),
                },
                today,
            )
            .map_err(|e| {
                refusal(&e, |f| match f {
                    "barrier" => "--barrier",
                    "target" => "--target",
                    "deadline" => "--deadline",
                    _ => "--action",
                })
            })?;
            let mut store = open(db)?;
            let client = store.resolve_client(&a.reference)?;
            let id = store.add_advocacy(client.id, &d, Utc::now())?;
            if a.output.json {
                print_json(&store.advocacy_item(id)?)?;
            } else {
                let deadline =
                    d.deadline.map(|x| format!(", deadline {}", format_date(x))).unwrap_or_default();
                println!(
                    "{} advocacy with {}{deadline}",
                    crate::domain::coordination::advocacy_ref(id),
                    display_safe(&d.target)
                );
            }
            Ok(())
        }
        AdvocacyCommand::List { reference, output } => {
            let store = open_to_read(db)?;
            let client = store.resolve_client(&reference)?;
            let list = store.advocacy_items(client.id)?;
            if output.json {
                print_json(&list)?;
            } else {
                for a in &list {
                    let state = match (a.closed_on, a.deadline) {
                        (Some(d), _) => format!("closed {}", format_date(d)),
                        (None, Some(d)) => format!("deadline {}", format_date(d)),
                        _ => "open".into(),
                    };
                    println!(
                        "{:<6} {:<20} {:<40} {state}",
                        a.reference,
                        display_safe(&a.target),
                        display_safe(&a.barrier)
                    );
                }
            }
            Ok(())
        }
    }
}
