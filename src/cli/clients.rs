//! Command-line clients: take one in, list them, show one's intake record.

use std::path::PathBuf;

use chrono::{Local, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::common::{
    bad, empty_list, json_with, open, open_if_exists, open_to_read, print_json, refusal, today, ClientRef,
    Output,
};
use crate::domain::client::{client_ref, validate_intake, Client, IntakeInput};
use crate::domain::dates::{format_date, from_db};
use crate::store::clients::ClientSort;
use crate::store::Store;

#[derive(Subcommand, Debug)]
pub enum ClientCommand {
    /// Take in a new client; prints the new client's reference.
    Add(ClientAddArgs),
    /// List clients (open ones unless --all).
    List {
        /// Include closed cases.
        #[arg(long)]
        all: bool,
        /// Print JSON (an array; complete, not paged).
        #[arg(long)]
        json: bool,
    },
    /// Show one client's intake record.
    Show {
        #[command(flatten)]
        client: ClientRef,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Args, Debug)]
pub struct ClientAddArgs {
    /// Given (first) name.
    #[arg(long)]
    pub given: String,
    /// Family name (surname).
    #[arg(long)]
    pub family: String,
    /// Date of birth, YYYY-MM-DD.
    #[arg(long)]
    pub dob: Option<String>,
    /// Phone number, to call or text.
    #[arg(long)]
    pub phone: Option<String>,
    /// The name the client likes to be called, if not the given name.
    #[arg(long)]
    pub preferred: Option<String>,
    /// Pronouns (she/her, they/them...).
    #[arg(long)]
    pub pronouns: Option<String>,
    /// Sex / gender for the client's genogram symbol: female, male or other (f, m, o).
    #[arg(long)]
    pub sex: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Yes or no: may a message be left?
    #[arg(long)]
    pub safe_to_leave_message: Option<String>,
    /// Preferred language, for calls and letters.
    #[arg(long)]
    pub language: Option<String>,
    /// Who referred the client (a GP, a school, self-referral...).
    #[arg(long = "source")]
    pub referral_source: Option<String>,
    /// Why the client was referred, in a few words.
    #[arg(long = "reason")]
    pub referral_reason: Option<String>,
    /// Intake date (default today).
    #[arg(long, allow_hyphen_values = true)]
    pub intake_date: Option<String>,
    /// The programme or service that holds the case.
    #[arg(long)]
    pub programme: Option<String>,
    /// Another agency's number for this client (kept as typed).
    #[arg(long)]
    pub external_id: Option<String>,
    /// Save even when a likely duplicate exists.
    #[arg(long)]
    pub allow_duplicate: bool,
    /// Print the new record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// A client as listed by `client list`.
#[derive(Serialize)]
struct ClientRow<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    name: String,
    preferred_name: &'a str,
    date_of_birth: Option<String>,
    age: Option<u32>,
    status: &'a str,
    intake_date: String,
    last_contact: Option<String>,
}

fn row(c: &Client) -> ClientRow<'_> {
    let today = today();
    ClientRow {
        reference: &c.reference,
        name: c.full_name(),
        preferred_name: &c.preferred_name,
        date_of_birth: c.date_of_birth.map(format_date),
        age: c.age(today),
        status: c.status.as_str(),
        intake_date: format_date(c.intake_date),
        last_contact: c
            .last_contact_at
            .as_deref()
            .and_then(from_db)
            .map(|t| format_date(t.with_timezone(&Local).date_naive())),
    }
}

pub fn client(db: Option<PathBuf>, cmd: ClientCommand) -> anyhow::Result<()> {
    match cmd {
        ClientCommand::Add(a) => add(db, a),
        ClientCommand::List { all, json } => {
            let Some(store) = open_if_exists(db)? else { return empty_list(json) };
            let ids = store.client_ids(all, ClientSort::Name)?;
            let mut rows_json = Vec::new();
            for chunk in ids.chunks(500) {
                for c in store.clients_by_ids(chunk)? {
                    if json {
                        rows_json.push(serde_json::to_value(row(&c))?);
                    } else {
                        let r = row(&c);
                        println!(
                            "{:<8} {} {:>4} {:<7} {}",
                            r.reference,
                            super::common::column(&c.display_name(), 40),
                            r.age.map(|a| a.to_string()).unwrap_or_default(),
                            r.status,
                            r.last_contact.unwrap_or_else(|| "no contact yet".into())
                        );
                    }
                }
            }
            if json {
                print_json(&rows_json)?;
            }
            Ok(())
        }
        ClientCommand::Show { client, output } => {
            let store = open_to_read(db)?;
            let c = client.resolve(&store)?;
            if output.json {
                print_json(&json_with(&c, vec![("episodes", serde_json::to_value(store.episodes(c.id)?)?)]))
            } else {
                print_client(&c, &store)
            }
        }
    }
}

fn add(db: Option<PathBuf>, a: ClientAddArgs) -> anyhow::Result<()> {
    let mut store = open(db)?;
    let today = today();
    let input = IntakeInput {
        given_name: a.given,
        family_name: a.family,
        preferred_name: a.preferred.unwrap_or_default(),
        pronouns: a.pronouns.unwrap_or_default(),
        sex: a.sex.unwrap_or_default(),
        date_of_birth: a.dob.unwrap_or_default(),
        phone: a.phone.unwrap_or_default(),
        email: a.email.unwrap_or_default(),
        safe_to_leave_message: a.safe_to_leave_message.unwrap_or_default(),
        language: a.language.unwrap_or_default(),
        referral_source: a.referral_source.unwrap_or_default(),
        referral_reason: a.referral_reason.unwrap_or_default(),
        intake_date: a.intake_date.unwrap_or_default(),
        programme: a.programme.unwrap_or_default(),
        external_id: a.external_id.unwrap_or_default(),
        ..Default::default()
    };
    let client = validate_intake(&input, today).map_err(|e| refusal(&e, |f| format!("--{}", flag(f))))?;
    if !a.allow_duplicate {
        let dups = store.find_duplicates(&client, None)?;
        if !dups.is_empty() {
            let list: Vec<String> = dups
                .iter()
                .map(|(d, c)| format!("  {}  {}  ({})", c.reference, c.display_name(), d.reason))
                .collect();
            return Err(bad(format!(
                "This may be a client you already have; nothing was saved:\n{}\nUse `caseload client show REF` to check, or add --allow-duplicate to save a new client anyway.",
                list.join("\n")
            )));
        }
    }
    let id = store.add_client(&client, Utc::now())?;
    if a.json {
        print_json(&store.client(id)?)?;
    } else {
        println!("{} {}", client_ref(id), client.display_name());
    }
    Ok(())
}

/// The flag a field of the intake record is given with.
fn flag(field: &str) -> &str {
    match field {
        "given_name" => "given",
        "family_name" => "family",
        "date_of_birth" => "dob",
        "preferred_name" => "preferred",
        "referral_source" => "source",
        "referral_reason" => "reason",
        "intake_date" => "intake-date",
        "external_id" => "external-id",
        "safe_to_leave_message" => "safe-to-leave-message",
        other => other,
    }
}
fn print_client(c: &Client, store: &Store) -> anyhow::Result<()> {
    use crate::domain::text::display_safe as s;
    let today = today();
    println!("{}  {}", c.reference, s(&c.display_name()));
    let line = |label: &str, v: &str| {
        if !v.is_empty() {
            println!("  {label:<24}{}", s(v));
        }
    };
    line("Pronouns", &c.pronouns);
    line("Sex / gender", if c.sex == "unknown" { "" } else { &c.sex });
    line("Age", &c.age_text(today));
    line(
        "Date of birth",
        &c.date_of_birth.filter(|_| !c.birth_date_estimated).map(format_date).unwrap_or_default(),
    );
    line("Status", c.status.as_str());
    line("Flags", &c.flags().join(", "));
    line("Phone", &c.phone);
    line("Email", &c.email);
    line("Address", &c.address);
    line("Best way/time", &c.best_contact);
    line("Safe to leave message", crate::domain::client::yes_no_text(c.safe_to_leave_message));
    line("Language", &c.language);
    line("Referral source", &c.referral_source);
    line("Intake date", &format_date(c.intake_date));
    line("Programme", &c.programme);
    line(
        "Emergency contact",
        format!(
            "{} {} {}",
            c.emergency_contact_name, c.emergency_contact_relation, c.emergency_contact_phone
        )
        .trim(),
    );
    line("External ID", &c.external_id);
    for l in c.referral_reason.lines() {
        line("Reason", l);
    }
    for e in store.episodes(c.id)? {
        let closed = e.closed_on.map(|d| format!(", closed {}", format_date(d))).unwrap_or_default();
        println!("  Episode {}: opened {}{}", e.number, format_date(e.opened_on), closed);
    }
    Ok(())
}
