//! The practitioner's settings, kept in the database so one file holds everything.

use serde::{Deserialize, Serialize};

use super::text::clean_line;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub practitioner_name: String,
    pub credentials: String,
    pub licence_number: String,
    pub organisation: String,
    /// Clients with no contact for this many days appear on Today.
    pub no_contact_days: u32,
    /// Unsigned notes older than this many days need signing.
    pub signing_window_days: u32,
    /// Dated items due within this many days show as "due soon".
    pub due_soon_days: u32,
    /// Closed files may be destroyed this many years after closure.
    pub retention_years: u32,
    /// PHQ-9 and GAD-7 are due again after this many days while a case is open.
    pub rescreen_days: u32,
    /// Consents expiring within this many days are flagged.
    pub consent_warning_days: u32,
    /// Today's "Due now" holds items overdue by up to this many days; older ones are backlog.
    pub overdue_horizon_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            practitioner_name: String::new(),
            credentials: String::new(),
            licence_number: String::new(),
            organisation: String::new(),
            no_contact_days: 30,
            signing_window_days: 3,
            due_soon_days: 7,
            retention_years: 7,
            rescreen_days: 90,
            consent_warning_days: 30,
            overdue_horizon_days: 30,
        }
    }
}

/// One setting: its storage key, label, and the range a number must fall in.
pub struct SettingSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub range: Option<(u32, u32)>,
}

const fn spec(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    range: Option<(u32, u32)>,
) -> SettingSpec {
    SettingSpec { key, label, help, range }
}

pub const SPECS: &[SettingSpec] = &[
    spec("practitioner_name", "Your name", "Used on signatures and exports.", None),
    spec("credentials", "Credentials", "e.g. MSW, LCSW", None),
    spec("licence_number", "Licence number", "Printed on signed documents.", None),
    spec("organisation", "Practice / organisation", "", None),
    spec(
        "no_contact_days",
        "No-contact alert (days)",
        "Clients with no contact for this long appear on Today.",
        Some((1, 365)),
    ),
    spec(
        "signing_window_days",
        "Signing window (days)",
        "Unsigned notes older than this need signing.",
        Some((0, 60)),
    ),
    spec("due_soon_days", "Due soon (days)", "How far ahead Today looks.", Some((1, 90))),
    spec(
        "retention_years",
        "Retention (years)",
        "After closure, before a file may be destroyed.",
        Some((1, 100)),
    ),
    spec(
        "rescreen_days",
        "Rescreen every (days)",
        "PHQ-9 / GAD-7 due again while a case is open.",
        Some((7, 730)),
    ),
    spec(
        "consent_warning_days",
        "Consent expiry warning (days)",
        "Consents expiring this soon are flagged.",
        Some((1, 365)),
    ),
    spec(
        "overdue_horizon_days",
        "Overdue horizon (days)",
        "Today's Due now holds items overdue up to this long; older ones are backlog.",
        Some((1, 365)),
    ),
];

impl Settings {
    pub fn get(&self, key: &str) -> String {
        match key {
            "practitioner_name" => self.practitioner_name.clone(),
            "credentials" => self.credentials.clone(),
            "licence_number" => self.licence_number.clone(),
            "organisation" => self.organisation.clone(),
            "no_contact_days" => self.no_contact_days.to_string(),
            "signing_window_days" => self.signing_window_days.to_string(),
            "due_soon_days" => self.due_soon_days.to_string(),
            "retention_years" => self.retention_years.to_string(),
            "rescreen_days" => self.rescreen_days.to_string(),
            "consent_warning_days" => self.consent_warning_days.to_string(),
            "overdue_horizon_days" => self.overdue_horizon_days.to_string(),
            _ => String::new(),
        }
    }

    /// Sets one value from text, checking it; the message names the allowed range.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<(), String> {
        let v = clean_line(raw);
        let spec = SPECS
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| format!("There is no setting called {key}."))?;
        if let Some((lo, hi)) = spec.range {
            let n: u32 = v.parse().map_err(|_| format!("Enter a whole number from {lo} to {hi}."))?;
            if n < lo || n > hi {
                return Err(format!("Enter a whole number from {lo} to {hi}."));
            }
            match key {
                "no_contact_days" => self.no_contact_days = n,
                "signing_window_days" => self.signing_window_days = n,
                "due_soon_days" => self.due_soon_days = n,
                "retention_years" => self.retention_years = n,
                "rescreen_days" => self.rescreen_days = n,
                "overdue_horizon_days" => self.overdue_horizon_days = n,
                _ => self.consent_warning_days = n,
            }
            return Ok(());
        }
        if v.chars().count() > 200 {
            return Err("Too long: at most 200 characters.".into());
        }
        match key {
            "practitioner_name" => self.practitioner_name = v,
            "credentials" => self.credentials = v,
            "licence_number" => self.licence_number = v,
            _ => self.organisation = v,
        }
        Ok(())
    }

    /// "Jane Doe, MSW (licence 12345)" for signatures; empty while there is no name (credentials
    /// alone sign nothing: ", MSW" is nobody's signature).
    pub fn signature(&self) -> String {
        if self.practitioner_name.trim().is_empty() {
            return String::new();
        }
        let mut s = self.practitioner_name.clone();
        if !self.credentials.is_empty() {
            s.push_str(&format!(", {}", self.credentials));
        }
        if !self.licence_number.is_empty() {
            s.push_str(&format!(" (licence {})", self.licence_number));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_range_checked() {
        let mut s = Settings::default();
        assert!(s.set("no_contact_days", "0").is_err());
        assert!(s.set("no_contact_days", "abc").is_err());
        s.set("no_contact_days", " 45 ").unwrap();
        assert_eq!(s.no_contact_days, 45);
        assert_eq!(s.get("no_contact_days"), "45");
    }

    #[test]
    fn every_spec_round_trips() {
        let mut s = Settings::default();
        for spec in SPECS {
            let v = spec.range.map(|r| r.0.to_string()).unwrap_or_else(|| "Jo".into());
            s.set(spec.key, &v).unwrap();
            assert_eq!(s.get(spec.key), v, "{}", spec.key);
        }
        assert_eq!(s.signature(), "Jo, Jo (licence Jo)");
    }

    #[test]
    fn no_name_no_signature() {
        let mut s = Settings::default();
        s.set("credentials", "MSW").unwrap();
        s.set("licence_number", "12345").unwrap();
        assert_eq!(s.signature(), "", "credentials alone are nobody's signature");
        s.set("practitioner_name", "Sam Worker").unwrap();
        assert_eq!(s.signature(), "Sam Worker, MSW (licence 12345)");
    }
}
