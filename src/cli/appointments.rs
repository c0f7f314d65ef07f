//! Command-line appointments of a referral: add one at the time given, change it, remove it.
//! Each change is a row in the referral's history, as in the app.

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};

use super::common::{bad, moment, open, print_json, store_refusal, Output};
use crate::domain::text::display_safe;
use crate::store::appointments::{parse_appointment_ref, Appointment, AppointmentDetails};

#[derive(Subcommand, Debug)]
pub enum AppointmentCommand {
    /// Arrange an appointment for a referral at a day and time; prints its ref (AP-3).
    Add {
        /// The referral.
        referral: String,
        #[command(flatten)]
        details: AppointmentArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Change an appointment (AP-3): only what is given changes.
    Edit {
        /// The appointment (AP-3; `referral list --json` shows them).
        appointment: String,
        #[command(flatten)]
        details: AppointmentArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Remove an appointment (AP-3), cancelled or recorded by mistake.
    Remove {
        /// The appointment (AP-3).
        appointment: String,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Args, Debug)]
pub struct AppointmentArgs {
    /// The day and time: "2026-11-27 10:00", "friday 10:00", "tomorrow 14:30". A day without a
    /// time is refused (no time is made up).
    #[arg(long, allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Where it is.
    #[arg(long)]
    pub place: Option<String>,
    /// Transport arranged: yes, no or unknown.
    #[arg(long)]
    pub transport: Option<String>,
    /// How the client gets there (taxi booked, bus pass...).
    #[arg(long)]
    pub how: Option<String>,
    #[arg(long)]
    /// Anything else to remember (bring a letter, ask for the interpreter...).
    pub notes: Option<String>,
}

impl AppointmentArgs {
    /// The details given over `base` (what the appointment says now, for an edit).
    fn over(self, base: AppointmentDetails) -> anyhow::Result<AppointmentDetails> {
        Ok(AppointmentDetails {
            at: moment("--at", self.at.as_deref())?.unwrap_or(base.at),
            place: self.place.unwrap_or(base.place),
            transport: self.transport.unwrap_or(base.transport),
            how: self.how.unwrap_or(base.how),
            notes: self.notes.unwrap_or(base.notes),
        })
    }
}

fn flag(field: &'static str) -> String {
    format!("--{field}")
}

fn appointment_id(text: &str) -> anyhow::Result<i64> {
    parse_appointment_ref(text)
        .ok_or_else(|| bad(format!("\"{}\" is not an appointment reference (AP-3).", display_safe(text))))
}

fn show(a: &Appointment, what: &str, output: Output) -> anyhow::Result<()> {
    if output.json {
        print_json(a)
    } else {
        let place =
            if a.place.is_empty() { String::new() } else { format!(" at {}", display_safe(&a.place)) };
        println!("{} {what}: {}{place}", a.reference, a.when());
        Ok(())
    }
}

pub fn appointment(db: Option<PathBuf>, cmd: AppointmentCommand) -> anyhow::Result<()> {
    match cmd {
        AppointmentCommand::Add { referral, details, output } => {
            let id = crate::domain::assessment::parse_ref("R", &referral).ok_or_else(|| {
                bad(format!("\"{}\" is not a referral reference (R-12).", display_safe(&referral)))
            })?;
            if details.at.is_none() {
                return Err(bad("--at: say when: \"friday 10:00\", \"2026-11-27 14:30\"."));
            }
            let d = details.over(AppointmentDetails::default())?;
            let mut store = open(db)?;
            let by = store.settings()?.signature();
            let new = store.add_appointment(id, &d, &by, Utc::now()).map_err(store_refusal(flag))?;
            show(&store.appointment(new)?, "arranged", output)
        }
        AppointmentCommand::Edit { appointment, details, output } => {
            let id = appointment_id(&appointment)?;
            let mut store = open(db)?;
            let d = details.over(store.appointment(id)?.details())?;
            let by = store.settings()?.signature();
            store.update_appointment(id, &d, &by, Utc::now()).map_err(store_refusal(flag))?;
            show(&store.appointment(id)?, "changed", output)
        }
        AppointmentCommand::Remove { appointment, output } => {
            let id = appointment_id(&appointment)?;
            let mut store = open(db)?;
            let a = store.appointment(id)?;
            let by = store.settings()?.signature();
            store.remove_appointment(id, &by, Utc::now())?;
            show(&a, "removed", output)
        }
    }
}
