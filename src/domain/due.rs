//! "What needs me today": items derived from what is already recorded, by small rules.
//! Each phase contributes rules (their queries are in `store::due`); this module holds the
//! shared item type, what every rule may use, how a due date becomes an urgency and an item,
//! and the order of the list.

use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike, Utc};
use serde::Serialize;

use super::client::{client_ref, joined_name};
use super::dates::parse_ymd;
use super::record::RecordKind;
use super::settings::Settings;

/// What every rule may use.
#[derive(Clone, Copy)]
pub struct DueContext<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub settings: &'a Settings,
    /// Only items due on or after this day (None: all). Today reads the page of what is due now
    /// (overdue up to the overdue horizon) this way, besides the most overdue page, so the
    /// recent items are never crowded out by a long backlog.
    pub since: Option<NaiveDate>,
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

/// The first words of a text on one line (whitespace collapsed), at most `max` columns: what a
/// note's follow-up line says it is for.
pub fn first_words(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    super::text::fit(&one_line, max)
}

/// What a Today item is snoozed by: the record it is about (or its client's, for a line about
/// a client), with its rule. None: the line cannot be snoozed.
pub fn snooze_key(item: &DueItem) -> Option<i64> {
    item.record_id.or(item.client_id)
}

/// A rule's items in words, for the one-kind view of Today (`v`): "risk flags", not
/// "safety-flag" (the same words as a collapsed group's line).
pub fn rule_label(rule: &str) -> &'static str {
    kind_words(rule).1
}

/// The longest reason a snooze keeps (a sentence or two).
pub const SNOOZE_REASON_MAX: usize = 500;

/// A snooze as asked for: the day the item comes back, and why (issue 19 point 7).
#[derive(Debug, Clone, PartialEq)]
pub struct Snooze {
    pub until: NaiveDate,
    pub reason: String,
}

impl Snooze {
    /// Checks a snooze: a day after today, and a reason.
    pub fn new(until: NaiveDate, reason: &str, today: NaiveDate) -> Result<Snooze, String> {
        if until <= today {
            return Err("Snooze to a day after today: the item comes back on that day.".into());
        }
        // one clean line, as every one-line field: no control characters, spaces tidied
        let reason = crate::domain::text::clean_line(reason);
        if reason.is_empty() {
            return Err("Say why: the reason is kept on the client's history.".into());
        }
        if reason.chars().count() > SNOOZE_REASON_MAX {
            return Err(format!("Too long: a reason holds at most {SNOOZE_REASON_MAX} characters."));
        }
        Ok(Snooze { until, reason })
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

/// Today's sections (issue 19 point 6), in the order they are shown and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// Flags to review, unacknowledged alerts.
    Safety,
    /// What happens today at a time or by the day: referral appointments, court dates and
    /// other deadlines today.
    Diary,
    /// Due today, overdue by up to the overdue horizon (Settings), or due soon: what can still
    /// be done.
    Due,
    /// Long-overdue housekeeping, collapsed by client and kind.
    Backlog,
}

impl Section {
    pub const ALL: [Section; 4] = [Section::Safety, Section::Diary, Section::Due, Section::Backlog];

    pub fn label(self) -> &'static str {
        match self {
            Section::Safety => "Safety",
            Section::Diary => "Today's diary",
            Section::Due => "Due now",
            Section::Backlog => "Backlog",
        }
    }
}

/// Rules whose items due today are the day's diary: appointments and dated deadlines (an
/// advocacy item's deadline, e.g. a court date).
const DIARY_RULES: &[&str] = &["appointment", "advocacy", "visit"];

/// Rules with no date that are housekeeping (the rest, e.g. a draft, is work in hand).
const UNDATED_BACKLOG: &[&str] = &["retention"];

/// Which section an item belongs to, on `today` with the overdue horizon in days.
pub fn section_of(item: &DueItem, today: NaiveDate, overdue_horizon_days: u32) -> Section {
    if item.urgency == Urgency::Safety {
        return Section::Safety;
    }
    if DIARY_RULES.contains(&item.rule) && item.due_on == Some(today) {
        return Section::Diary;
    }
    match item.due_on {
        Some(due) if (today - due).num_days() > i64::from(overdue_horizon_days) => Section::Backlog,
        None if UNDATED_BACKLOG.contains(&item.rule) => Section::Backlog,
        _ => Section::Due,
    }
}

/// The time a diary line is at, when its title starts with one ("10:00 Appointment…");
/// deadlines for the whole day have none and come first.
pub fn diary_time(item: &DueItem) -> Option<chrono::NaiveTime> {
    let head = item.title.get(..5)?;
    chrono::NaiveTime::parse_from_str(head, "%H:%M").ok()
}

/// The order within a section, before a client's items are brought together.
fn section_key(section: Section, item: &DueItem, today: NaiveDate) -> (u8, String, i64) {
    let rank = rule_rank(item.rule);
    match section {
        Section::Safety => (rank, String::new(), 0),
        // in time order, the day's deadlines first
        Section::Diary => {
            let at = diary_time(item).map_or(-1, |t| i64::from(t.num_seconds_from_midnight()));
            (0, String::new(), at)
        }
        // due today, then overdue most recent first, then due soon soonest first, then undated
        Section::Due => match item.due_on {
            Some(due) if due <= today => (0, String::new(), (today - due).num_days()),
            Some(due) => (1, String::new(), (due - today).num_days()),
            None => (2, String::new(), i64::from(rank)),
        },
        // by client, then by kind, the oldest first
        Section::Backlog => (
            0,
            format!("{}\u{0}{}", item.client_name, item.rule),
            item.due_on.map_or(0, |d| i64::from(d.num_days_from_ce())),
        ),
    }
}

/// Today in sections: each item with its section, Safety first, then the diary, what is due
/// now and the backlog; within a section a client's items stay together (where the client's
/// first item falls), and the backlog is by client, then by kind.
pub fn arrange(items: Vec<DueItem>, today: NaiveDate, overdue_horizon_days: u32) -> Vec<(Section, DueItem)> {
    let mut out = Vec::with_capacity(items.len());
    let mut by_section: Vec<(Section, DueItem)> =
        items.into_iter().map(|i| (section_of(&i, today, overdue_horizon_days), i)).collect();
    by_section.sort_by(|(sa, a), (sb, b)| {
        sa.cmp(sb)
            .then_with(|| section_key(*sa, a, today).cmp(&section_key(*sb, b, today)))
            .then_with(|| a.client_name.cmp(&b.client_name))
    });
    // within each section, a client's items join the client's first
    let mut groups: Vec<(Section, Vec<DueItem>)> = Vec::new();
    let mut at: std::collections::HashMap<(Section, i64), usize> = std::collections::HashMap::new();
    for (section, item) in by_section {
        match item.client_id {
            Some(c) => match at.get(&(section, c)) {
                Some(&g) => groups[g].1.push(item),
                None => {
                    at.insert((section, c), groups.len());
                    groups.push((section, vec![item]));
                }
            },
            None => groups.push((section, vec![item])),
        }
    }
    for (section, items) in groups {
        out.extend(items.into_iter().map(|i| (section, i)));
    }
    out
}

/// The backlog's groups: runs of one client's items of one kind, as index ranges into an
/// arranged list.
pub fn backlog_groups(arranged: &[(Section, DueItem)]) -> Vec<std::ops::Range<usize>> {
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for (k, (section, item)) in arranged.iter().enumerate() {
        if *section != Section::Backlog {
            continue;
        }
        match groups.last_mut() {
            Some(g)
                if g.end == k && {
                    let first = &arranged[g.start].1;
                    first.client_id == item.client_id && first.rule == item.rule && item.client_id.is_some()
                } =>
            {
                g.end = k + 1
            }
            _ => groups.push(k..k + 1),
        }
    }
    groups
}

/// Words for a kind of item, one and many ("expired consent", "expired consents").
pub fn kind_words(rule: &str) -> (&'static str, &'static str) {
    match rule {
        "consent" => ("consent to renew", "consents to renew"),
        "rescreen" => ("rescreen", "rescreens"),
        "no-contact" => ("quiet case", "quiet cases"),
        "follow-up" => ("follow-up", "follow-ups"),
        "unsigned-notes" => ("set of unsigned notes", "sets of unsigned notes"),
        "action-item" => ("action item", "action items"),
        "referral" => ("referral follow-up", "referral follow-ups"),
        "goal-step" => ("goal step", "goal steps"),
        "goal-target" => ("goal past its target", "goals past their target"),
        "plan-review" => ("plan review", "plan reviews"),
        "transition" => ("transition follow-up", "transition follow-ups"),
        "advocacy" => ("advocacy deadline", "advocacy deadlines"),
        "consent-withdrawn" => ("withdrawal to tell", "withdrawals to tell"),
        "draft" => ("draft", "drafts"),
        "safety-flag" => ("risk flag", "risk flags"),
        "safety-alert" => ("screener alert", "screener alerts"),
        "closure-follow-up" => ("post-closure follow-up", "post-closure follow-ups"),
        "retention" => ("file past retention", "files past retention"),
        "appointment" => ("referral appointment", "referral appointments"),
        "visit" => ("planned contact", "planned contacts"),
        "visit-no-note" => ("contact without a note", "contacts without a note"),
        _ => ("item", "items"),
    }
}

/// The one line a collapsed group shows: how many of what, and how overdue the oldest is.
pub fn group_line(items: &[DueItem], today: NaiveDate) -> String {
    let Some(first) = items.first() else { return String::new() };
    if items.len() == 1 {
        return first.title.clone();
    }
    let (one, many) = kind_words(first.rule);
    let oldest = items.iter().filter_map(|i| i.due_on).min();
    match oldest {
        Some(d) => {
            format!("{} (oldest {})", super::words::count(items.len(), one, many), due_phrase(d, today))
        }
        None => super::words::count(items.len(), one, many),
    }
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
        let ctx = DueContext { now, today: d("2026-11-23"), settings: &settings, since: None };
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

    fn it(rule: &'static str, u: Urgency, due: Option<&str>, client: Option<i64>, title: &str) -> DueItem {
        DueItem {
            rule,
            urgency: u,
            due_on: due.map(d),
            client_ref: client.map(client_ref),
            client_name: client.map(|c| format!("Client {c}")).unwrap_or_default(),
            title: title.into(),
            target: Target::Client("C-0001".into()),
            client_id: client,
            record_id: None,
        }
    }

    #[test]
    fn sections_by_kind_and_the_overdue_horizon() {
        let today = d("2026-11-23");
        let s = |i: &DueItem| section_of(i, today, 30);
        assert_eq!(s(&it("safety-flag", Urgency::Safety, None, Some(1), "")), Section::Safety);
        assert_eq!(s(&it("advocacy", Urgency::DueToday, Some("2026-11-23"), Some(1), "")), Section::Diary);
        assert_eq!(s(&it("appointment", Urgency::DueToday, Some("2026-11-23"), Some(1), "")), Section::Diary);
        // a deadline already past is due now, not in the diary
        assert_eq!(s(&it("advocacy", Urgency::Overdue, Some("2026-11-22"), Some(1), "")), Section::Due);
        assert_eq!(s(&it("follow-up", Urgency::DueToday, Some("2026-11-23"), Some(1), "")), Section::Due);
        assert_eq!(s(&it("follow-up", Urgency::Overdue, Some("2026-10-24"), Some(1), "")), Section::Due);
        assert_eq!(s(&it("follow-up", Urgency::Overdue, Some("2026-10-23"), Some(1), "")), Section::Backlog);
        assert_eq!(s(&it("consent", Urgency::Overdue, Some("2023-01-01"), Some(1), "")), Section::Backlog);
        assert_eq!(s(&it("rescreen", Urgency::DueSoon, Some("2026-11-25"), Some(1), "")), Section::Due);
        assert_eq!(s(&it("draft", Urgency::Info, None, None, "")), Section::Due);
        assert_eq!(s(&it("retention", Urgency::Info, None, None, "")), Section::Backlog);
        assert_eq!(
            section_of(&it("follow-up", Urgency::Overdue, Some("2026-11-20"), Some(1), ""), today, 2),
            Section::Backlog
        );
    }

    #[test]
    fn arranged_in_section_order_most_recent_first_a_clients_items_together() {
        let today = d("2026-11-23");
        let items = vec![
            it("consent", Urgency::Overdue, Some("2023-01-01"), Some(2), "old consent"),
            it("rescreen", Urgency::Overdue, Some("2022-06-01"), Some(2), "old rescreen"),
            it("consent", Urgency::Overdue, Some("2023-03-01"), Some(2), "older consent 2"),
            it("no-contact", Urgency::Overdue, Some("2025-01-01"), Some(1), "quiet"),
            it("follow-up", Urgency::Overdue, Some("2026-11-01"), Some(3), "three weeks"),
            it("referral", Urgency::Overdue, Some("2026-11-21"), Some(4), "two days"),
            it("follow-up", Urgency::DueToday, Some("2026-11-23"), Some(5), "today"),
            it("action-item", Urgency::DueSoon, Some("2026-11-25"), Some(3), "soon, client 3"),
            it("advocacy", Urgency::DueToday, Some("2026-11-23"), Some(6), "court"),
            it("appointment", Urgency::DueToday, Some("2026-11-23"), Some(7), "14:00 appointment"),
            it("appointment", Urgency::DueToday, Some("2026-11-23"), Some(8), "09:30 appointment"),
            it("safety-alert", Urgency::Safety, None, Some(9), "alert"),
        ];
        let arranged = arrange(items, today, 30);
        let got: Vec<(Section, &str)> = arranged.iter().map(|(s, i)| (*s, i.title.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Section::Safety, "alert"),
                (Section::Diary, "court"),
                (Section::Diary, "09:30 appointment"),
                (Section::Diary, "14:00 appointment"),
                (Section::Due, "today"),
                (Section::Due, "two days"),
                (Section::Due, "three weeks"),
                // client 3's item due soon stays with the client's overdue one
                (Section::Due, "soon, client 3"),
                (Section::Backlog, "quiet"),
                (Section::Backlog, "old consent"),
                (Section::Backlog, "older consent 2"),
                (Section::Backlog, "old rescreen"),
            ]
        );
        let groups = backlog_groups(&arranged);
        assert_eq!(groups, vec![8..9, 9..11, 11..12]);
        let consents: Vec<DueItem> = arranged[groups[1].clone()].iter().map(|(_, i)| i.clone()).collect();
        assert_eq!(group_line(&consents, today), "2 consents to renew (oldest 1422 days overdue)");
        assert_eq!(group_line(&consents[..1], today), "old consent");
    }

    #[test]
    fn a_snooze_reason_is_one_clean_line_of_at_most_its_limit() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let later = today.succ_opt().unwrap();
        let s = Snooze::new(later, "  Waiting\u{1b}[2J for\nthe letter \u{7} ", today).unwrap();
        assert_eq!(s.reason, "Waiting[2J for the letter");
        assert!(Snooze::new(later, "\u{1b}\u{7}  ", today).is_err(), "nothing left to say why");
        assert!(Snooze::new(later, &"x".repeat(SNOOZE_REASON_MAX + 1), today)
            .unwrap_err()
            .contains("Too long"));
        assert!(Snooze::new(later, &"x".repeat(SNOOZE_REASON_MAX), today).is_ok());
    }
}
