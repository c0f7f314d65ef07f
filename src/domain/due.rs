//! "What needs me today": items derived from what is already recorded, by small rules.
//! Each phase contributes rules (their queries are in `store::due`); this module holds the
//! shared item type, what every rule may use, how a due date becomes an urgency and an item,
//! and the order of the list.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use super::client::{client_ref, joined_name};
use super::dates::parse_ymd;
use super::record::RecordKind;
use super::settings::Settings;

/// What every rule may use.
pub struct DueContext<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub settings: &'a Settings,
}

impl DueContext<'_> {
    /// The last day an item due soon can fall on: today and the due-soon window (Settings).
    pub fn horizon(&self) -> NaiveDate {
        self.today.checked_add_days(Days::new(u64::from(self.settings.due_soon_days))).unwrap_or(self.today)
    }
}

/// How pressing an item is, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// Safety: flags and alerts that head the list.
    Safety,
    Overdue,
    DueToday,
    DueSoon,
    /// Worth knowing, no date (e.g. a draft left open).
    Info,
}

impl Urgency {
    /// A word for every urgency, so colour is never the only signal.
    pub fn marker(self) -> &'static str {
        match self {
            Urgency::Safety => "SAFETY",
            Urgency::Overdue => "OVERDUE",
            Urgency::DueToday => "TODAY",
            Urgency::DueSoon => "SOON",
            Urgency::Info => "NOTE",
        }
    }
}

/// What a Today line opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "ref", rename_all = "kebab-case")]
pub enum Target {
    Client(String),
    Note(String),
    Draft(String),
    /// Later phases' records, by their refs (`A-3`, `SC-12`, `AL-2`, `F-4`…).
    Assessment(String),
    Screening(String),
    Alert(String),
    Flag(String),
    /// A client's screeners (one is due again), by the client's ref.
    Screeners(String),
    Consent(String),
    /// An action item opens its conference.
    Conference(String),
    Transition(String),
    Advocacy(String),
    Referral(String),
    /// A goal (`G-4`): its steps and target date.
    Goal(String),
    /// A client's case plan, by the client's ref (`C-0042`).
    Plan(String),
    /// A closure (`CL-3`): its post-closure follow-up.
    Closure(String),
    /// The list of closed files past their retention date (no record of its own).
    Retention(String),
}

impl Target {
    /// The record kind and id a line opens (`OpenRecord`), for the records of later phases.
    pub fn record(&self) -> Option<(RecordKind, i64)> {
        let (kind, prefix, r) = match self {
            Target::Assessment(r) => (RecordKind::Assessment, "A", r),
            Target::Screening(r) => (RecordKind::Screening, "SC", r),
            Target::Alert(r) => (RecordKind::Alert, "AL", r),
            Target::Flag(r) => (RecordKind::Flag, "F", r),
            Target::Consent(r) => (RecordKind::Consent, "RI", r),
            Target::Conference(r) => (RecordKind::Conference, "CC", r),
            Target::Transition(r) => (RecordKind::Transition, "TR", r),
            Target::Advocacy(r) => (RecordKind::Advocacy, "AD", r),
            Target::Referral(r) => (RecordKind::Referral, "R", r),
            Target::Screeners(r) => {
                return crate::domain::client::parse_client_ref(r).map(|id| (RecordKind::Screeners, id))
            }
            Target::Goal(r) => (RecordKind::Goal, "G", r),
            Target::Plan(r) => (RecordKind::Plan, "C", r),
            Target::Closure(r) => (RecordKind::Closure, "CL", r),
            Target::Retention(_) => return Some((RecordKind::Retention, 0)),
            _ => return None,
        };
        crate::domain::assessment::parse_ref(prefix, r).map(|id| (kind, id))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DueItem {
    /// Which rule made it (e.g. `follow-up`, `no-contact`).
    pub rule: &'static str,
    pub urgency: Urgency,
    pub due_on: Option<NaiveDate>,
    pub client_ref: Option<String>,
    pub client_name: String,
    pub title: String,
    pub target: Target,
    pub client_id: Option<i64>,
    pub record_id: Option<i64>,
}

impl Target {
    /// The reference of what a line is about (`N-12`, `C-0042`, a draft's key).
    pub fn reference(&self) -> &str {
        match self {
            Target::Client(r)
            | Target::Note(r)
            | Target::Draft(r)
            | Target::Assessment(r)
            | Target::Screening(r)
            | Target::Alert(r)
            | Target::Flag(r)
            | Target::Screeners(r)
            | Target::Consent(r)
            | Target::Conference(r)
            | Target::Transition(r)
            | Target::Advocacy(r)
            | Target::Referral(r)
            | Target::Goal(r)
            | Target::Plan(r)
            | Target::Closure(r)
            | Target::Retention(r) => r,
        }
    }
}

/// As scripts see a line (`caseload due --json`): like every record, it carries `ref`, the
/// reference of what it is about, next to the full `target`.
impl Serialize for DueItem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Line<'a> {
            #[serde(rename = "ref")]
            reference: &'a str,
            rule: &'a str,
            urgency: Urgency,
            due_on: Option<NaiveDate>,
            client: Option<&'a str>,
            client_name: &'a str,
            title: &'a str,
            target: &'a Target,
        }
        Line {
            reference: self.target.reference(),
            rule: self.rule,
            urgency: self.urgency,
            due_on: self.due_on,
            client: self.client_ref.as_deref(),
            client_name: &self.client_name,
            title: &self.title,
            target: &self.target,
        }
        .serialize(s)
    }
}

/// How many items there are in all (a rule's, or Today's), and how many of them are overdue or
/// safety items: counted by the rules' queries without loading the items (issue 19 point 8).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DueCount {
    pub items: usize,
    /// Overdue or safety (`Urgency::Overdue` and above).
    pub urgent: usize,
}

impl std::ops::Add for DueCount {
    type Output = DueCount;
    fn add(self, o: DueCount) -> DueCount {
        DueCount { items: self.items + o.items, urgent: self.urgent + o.urgent }
    }
}

impl DueCount {
    /// The count of a list of items already loaded.
    pub fn of(items: &[DueItem]) -> DueCount {
        DueCount {
            items: items.len(),
            urgent: items.iter().filter(|i| i.urgency <= Urgency::Overdue).count(),
        }
    }
}

/// Urgency of something due on `due`; None when it is further away than `soon_days`.
pub fn urgency_for(due: NaiveDate, today: NaiveDate, soon_days: u32) -> Option<Urgency> {
    let days = (due - today).num_days();
    match days {
        d if d < 0 => Some(Urgency::Overdue),
        0 => Some(Urgency::DueToday),
        d if d <= i64::from(soon_days) => Some(Urgency::DueSoon),
        _ => None,
    }
}

/// A client's item due on a stored day, as most rules give them: None when the day cannot be
/// read or is beyond the due-soon window. `title` is told the day.
pub fn dated_item(
    ctx: &DueContext<'_>,
    rule: &'static str,
    (client_id, given, family): (i64, String, String),
    due: &str,
    record_id: Option<i64>,
    target: Target,
    title: impl FnOnce(NaiveDate) -> String,
) -> Option<DueItem> {
    let due = parse_ymd(due)?;
    let urgency = urgency_for(due, ctx.today, ctx.settings.due_soon_days)?;
    Some(DueItem {
        rule,
        urgency,
        due_on: Some(due),
        client_ref: Some(client_ref(client_id)),
        client_name: joined_name(&given, &family),
        title: title(due),
        target,
        client_id: Some(client_id),
        record_id,
    })
}

/// "3 days overdue", "due today", "due in 2 days".
pub fn due_phrase(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        0 => "due today".into(),
        1 => "due tomorrow".into(),
        -1 => "1 day overdue".into(),
        d if d < 0 => format!("{} days overdue", -d),
        d => format!("due in {d} days"),
    }
}

/// Within one urgency, promises to people come before housekeeping: a follow-up before an
/// unsigned note, before a quiet case, before a draft. Unknown (later) rules sit in the middle.
pub fn rule_rank(rule: &str) -> u8 {
    match rule {
        "safety-flag" | "screen-alert" => 0,
        "follow-up" => 1,
        "unsigned-notes" => 5,
        "no-contact" => 6,
        "draft" => 9,
        _ => 3,
    }
}

/// Most urgent first; within an urgency, by rule rank, then the oldest due date; then by name.
pub fn sort_items(items: &mut [DueItem]) {
    items.sort_by(|a, b| {
        a.urgency
            .cmp(&b.urgency)
            .then_with(|| rule_rank(a.rule).cmp(&rule_rank(b.rule)))
            .then_with(|| a.due_on.unwrap_or(NaiveDate::MAX).cmp(&b.due_on.unwrap_or(NaiveDate::MAX)))
            .then_with(|| a.client_name.cmp(&b.client_name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn urgency_edges() {
        let today = d("2026-11-23");
        assert_eq!(urgency_for(d("2026-11-22"), today, 7), Some(Urgency::Overdue));
        assert_eq!(urgency_for(today, today, 7), Some(Urgency::DueToday));
        assert_eq!(urgency_for(d("2026-11-30"), today, 7), Some(Urgency::DueSoon));
        assert_eq!(urgency_for(d("2026-12-01"), today, 7), None);
        assert_eq!(urgency_for(d("2026-11-24"), today, 0), None);
    }

    #[test]
    fn dated_item_within_the_horizon_only() {
        let settings = Settings::default();
        let now = chrono::Utc::now();
        let ctx = DueContext { now, today: d("2026-11-23"), settings: &settings };
        let soon = ctx.horizon();
        assert_eq!(soon, d("2026-11-23") + chrono::Duration::days(i64::from(settings.due_soon_days)));
        let client = || (42, "Ana".to_string(), "López".to_string());
        let item =
            dated_item(&ctx, "t", client(), "2026-11-22", Some(7), Target::Client("C-0042".into()), |due| {
                due_phrase(due, ctx.today)
            })
            .expect("overdue items are kept");
        assert_eq!(item.urgency, Urgency::Overdue);
        assert_eq!(item.client_ref.as_deref(), Some("C-0042"));
        assert_eq!(item.client_name, "Ana López");
        assert_eq!(item.title, "1 day overdue");
        let later = crate::domain::dates::format_date(soon + chrono::Duration::days(1));
        assert!(dated_item(&ctx, "t", client(), &later, None, Target::Client(String::new()), |_| {
            String::new()
        })
        .is_none());
        assert!(dated_item(&ctx, "t", client(), "not a day", None, Target::Client(String::new()), |_| {
            String::new()
        })
        .is_none());
    }

    #[test]
    fn phrases() {
        let today = d("2026-11-23");
        assert_eq!(due_phrase(d("2026-11-20"), today), "3 days overdue");
        assert_eq!(due_phrase(today, today), "due today");
        assert_eq!(due_phrase(d("2026-11-25"), today), "due in 2 days");
    }

    #[test]
    fn most_urgent_first_then_oldest() {
        let item = |u, due: Option<&str>, name: &str| DueItem {
            rule: "t",
            urgency: u,
            due_on: due.map(d),
            client_ref: None,
            client_name: name.into(),
            title: String::new(),
            target: Target::Client("C-0001".into()),
            client_id: None,
            record_id: None,
        };
        let mut v = vec![
            item(Urgency::DueSoon, Some("2026-11-25"), "a"),
            item(Urgency::Info, None, "b"),
            item(Urgency::Overdue, Some("2026-11-20"), "c"),
            item(Urgency::Overdue, Some("2026-11-01"), "d"),
            item(Urgency::Safety, None, "e"),
        ];
        sort_items(&mut v);
        let names: Vec<_> = v.iter().map(|i| i.client_name.as_str()).collect();
        assert_eq!(names, vec!["e", "d", "c", "a", "b"]);
    }
}
