//! The closing summary drafted from the record: a short narrative in typed parts (why the case
//! opened, what was worked on, what changed, risk and safety, why it ends now, what stays open
//! and the follow-up), each part a few full sentences, for the practitioner to edit and sign.
//! Nothing is shortened, no punctuation is doubled and nothing is said twice.

use chrono::NaiveDate;

use super::{CloseDetails, ClosureReason, Decision, Disposition, OpenItem};
use crate::domain::dates::format_date;
use crate::domain::record::RecordKind;
use crate::domain::words::count;

/// A goal as the summary tells it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GoalFact {
    pub reference: String,
    pub statement: String,
    /// Its status now, in words ("active", "completed").
    pub status: String,
    /// How it was going at the last review ("improving").
    pub achievement: String,
    /// The outcome given at the latest evaluation, in words ("partly achieved").
    pub outcome: Option<String>,
    /// Progress towards the target, when measured.
    pub progress: Option<String>,
    /// The practitioner's words when the goal was completed, cancelled or put on hold.
    pub note: String,
}

/// A referral and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralFact {
    pub reference: String,
    /// The service or provider.
    pub to: String,
    /// Its last state, in words ("completed", "declined by provider").
    pub state: String,
    /// Since when (the last change), if known.
    pub since: Option<NaiveDate>,
    /// The reason or note given with the last change.
    pub note: String,
}

/// One result of a screener, as the summary tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenPoint {
    pub on: NaiveDate,
    pub total: Option<i32>,
    /// "17 (moderately severe)" or "needs in housing and food".
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScreenerFact {
    pub name: String,
    pub first: ScreenPoint,
    /// The last result, when there was more than one.
    pub last: Option<ScreenPoint>,
}

/// Contacts recorded in case notes during the episode (notes entered in error left out).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactFacts {
    pub notes: usize,
    /// (contact type in words, how many), most frequent first.
    pub by_type: Vec<(String, usize)>,
    pub minutes: i64,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

/// Why the case opened: the referral at intake and what the first assessment found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpeningFact {
    /// Who referred ("GP", "self").
    pub source: String,
    /// The reason for the referral, as written at intake.
    pub reason: String,
    /// The first assessment of the episode: its reference and day.
    pub assessed: Option<(String, NaiveDate)>,
    /// The life domains of the needs it named, each once.
    pub needs: Vec<String>,
}

/// A risk flag of the episode and what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFact {
    pub reference: String,
    /// "risk from others".
    pub area: String,
    pub raised_on: NaiveDate,
    /// The level it was raised at and the highest it reached ("MEDIUM", "HIGH").
    pub raised_level: String,
    pub highest: String,
    /// Its level now (or when it was lowered).
    pub level: String,
    pub lowered_on: Option<NaiveDate>,
    /// Why it was lowered.
    pub lowered_reason: String,
}

/// A safety alert raised by a screener result (PHQ-9 item 9) and how it was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertFact {
    pub reference: String,
    /// The screener's short name and the result's reference.
    pub screener: String,
    pub screening: String,
    pub on: NaiveDate,
    /// What raised it, in a clause ("PHQ-9 item 9 ... was answered above \"Not at all\"").
    pub what: String,
    pub acknowledged_on: Option<NaiveDate>,
    /// What was done, as written when it was acknowledged.
    pub note: String,
}

/// Everything the summary is drafted from; the store fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosureFacts {
    pub episode_number: i64,
    pub opened_on: NaiveDate,
    pub opening: OpeningFact,
    pub goals: Vec<GoalFact>,
    /// None while referrals are not recorded by this version.
    pub referrals: Option<Vec<ReferralFact>>,
    pub screeners: Vec<ScreenerFact>,
    pub contacts: ContactFacts,
    /// Risk flags raised in the episode or still raised, oldest first.
    pub risks: Vec<RiskFact>,
    /// Safety alerts raised in the episode, oldest first.
    pub alerts: Vec<AlertFact>,
    /// The items the closing checklist asks about.
    pub open_items: Vec<OpenItem>,
    /// Other things that stay as they are (transition follow-ups...), in words.
    pub also_open: Vec<String>,
    /// The latest evaluation of the episode (the plan's `v`), if one was recorded.
    pub evaluation: Option<EvaluationFact>,
}

/// The client's view at the latest evaluation of the episode, for the closing summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvaluationFact {
    pub reference: String,
    pub on: NaiveDate,
    /// "review" or "closure".
    pub occasion: String,
    /// 1–5, when the client gave one.
    pub satisfaction: Option<i64>,
    /// The client's words.
    pub feedback: String,
}

/// "3 h 05 min", "45 min".
pub fn hours_minutes(minutes: i64) -> String {
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

/// "about 7 months", "12 days".
fn duration_words(from: NaiveDate, to: NaiveDate) -> String {
    let days = (to - from).num_days().max(0);
    match days {
        0 => "the same day".to_string(),
        1..=59 => count(days, "day", "days"),
        60..=729 => format!("about {} months", (days as f64 / 30.44).round() as i64),
        _ => format!("about {} years", (days as f64 / 365.25 * 10.0).round() / 10.0),
    }
}

// ---------------------------------------------------------------------------------------------
// Words: sentences and the user's text inside them
// ---------------------------------------------------------------------------------------------

/// Text typed by a person, on one line: runs of spaces and line breaks become one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Typed text to go on inside a sentence: on one line, without the full stop (or colon,
/// semicolon, comma) it may end with.
fn clause(s: &str) -> String {
    one_line(s).trim_end_matches(['.', ':', ';', ',', ' ']).to_string()
}

/// What raised a safety alert, as a clause a supervisor reads in the closing summary: the
/// alert message's first sentence without its "Safety alert:" label, and without the rule's own
/// aside on when it fires ("…, whatever the total"), which tells the practitioner how the
/// screener works, not what happened.
pub fn alert_clause(message: &str) -> String {
    let first = message.split(". ").next().unwrap_or("").trim();
    let what = first.split_once(": ").map(|(_, rest)| rest).unwrap_or(first);
    let what = match what.find(", whatever") {
        Some(i) => &what[..i],
        None => what,
    };
    what.trim().trim_end_matches(['.', ',', ';', ':', ' ']).to_string()
}

/// Typed text quoted whole: "You listened. The flat is warm now."
fn quoted(s: &str) -> String {
    format!("\"{}\"", one_line(s).trim_end_matches([',', ';', ':', ' ']))
}

/// True when the text already ends a sentence, also inside closing quotes or brackets.
fn ends_sentence(s: &str) -> bool {
    s.trim_end().trim_end_matches(['"', '\'', ')', '”', '’']).ends_with(['.', '!', '?'])
}

/// A full sentence: a capital letter first and exactly one mark at the end.
fn sentence(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    let mut out = match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => return String::new(),
    };
    let bare = out.trim_end_matches([',', ';', ':']).len();
    out.truncate(bare);
    if !ends_sentence(&out) {
        out.push('.');
    }
    out
}

/// "a", "a and b", "a, b and c"; each item once.
fn and_list(items: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for i in items {
        if !i.is_empty() && !seen.contains(&i.as_str()) {
            seen.push(i);
        }
    }
    match seen.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "was" or "were" agreeing with a count.
fn was(n: usize) -> &'static str {
    if n == 1 {
        "was"
    } else {
        "were"
    }
}

// ---------------------------------------------------------------------------------------------
// The parts
// ---------------------------------------------------------------------------------------------

/// One part of the closing summary: a heading and its sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryPart {
    pub heading: &'static str,
    pub sentences: Vec<String>,
}

impl SummaryPart {
    fn new(heading: &'static str) -> Self {
        Self { heading, sentences: Vec::new() }
    }
    fn say(&mut self, s: impl AsRef<str>) {
        let s = sentence(s.as_ref());
        if !s.is_empty() && !self.sentences.contains(&s) {
            self.sentences.push(s);
        }
    }
}

/// What closing does to one open item, if a decision was made about it.
struct Plan<'a> {
    facts: &'a ClosureFacts,
    decisions: &'a [Decision],
}

impl<'a> Plan<'a> {
    fn item(&self, kind: RecordKind, reference: &str) -> Option<&'a OpenItem> {
        self.facts.open_items.iter().find(|i| i.kind == kind && i.reference == reference)
    }
    fn decision(&self, item: &OpenItem) -> Option<&'a Decision> {
        self.decisions.iter().find(|d| d.kind == item.kind && d.id == item.id)
    }
    fn disposition(&self, item: &OpenItem) -> Disposition {
        self.decision(item).map(|d| d.disposition).unwrap_or(Disposition::Leave)
    }
}

/// A goal's end in words, with what closing does to it.
struct GoalEnd {
    /// "was completed at closure", "stays active after closure".
    verb: String,
    /// Met in full: completed (or evaluated as achieved) and not evaluated as less.
    met: bool,
    /// Why it is not met, for the reason's reconciliation ("was evaluated as partly achieved").
    short_of: Option<String>,
    /// The practitioner's note to quote.
    note: String,
}

fn goal_end(g: &GoalFact, plan: &Plan<'_>) -> GoalEnd {
    let decided = plan.item(RecordKind::Goal, &g.reference).and_then(|i| plan.decision(i));
    let typed = decided.map(|d| d.text.trim().to_string()).unwrap_or_default();
    let (verb, status, mut note) = match decided.map(|d| d.disposition) {
        Some(Disposition::Complete) => ("was completed at closure".to_string(), "completed", typed),
        Some(Disposition::Cancel) => (
            if typed.is_empty() {
                "was cancelled at closure".to_string()
            } else {
                format!("was cancelled at closure ({})", clause(&typed))
            },
            "cancelled",
            String::new(),
        ),
        _ => match g.status.as_str() {
            "completed" => ("was completed".to_string(), "completed", typed),
            "cancelled" => ("was cancelled".to_string(), "cancelled", typed),
            s if plan.item(RecordKind::Goal, &g.reference).is_some() => {
                (format!("stays {s} after closure"), "open", typed)
            }
            s => (format!("was {s}"), "open", typed),
        },
    };
    if note.is_empty() && !(status == "cancelled" && decided.is_some()) {
        note = g.note.trim().to_string();
    }
    let outcome = g.outcome.as_deref().unwrap_or("");
    let short_of = match (status, outcome) {
        (_, "partly achieved") | (_, "not achieved") => Some(format!("was evaluated as {outcome}")),
        ("completed", _) => None,
        _ => Some(verb.clone()),
    };
    GoalEnd { met: short_of.is_none(), verb, short_of, note }
}

/// The closing summary in its parts, from the record and the decisions about the open items
/// as planned (not yet saved), so the text says what closing will do.
pub fn summary_parts(
    facts: &ClosureFacts,
    decisions: &[Decision],
    details: &CloseDetails,
) -> Vec<SummaryPart> {
    let plan = Plan { facts, decisions };
    let mut parts = Vec::new();

    // why the case opened
    let mut p = SummaryPart::new("Why the case opened");
    let o = &facts.opening;
    let source = clause(&o.source);
    let by = if source.is_empty() { String::new() } else { format!(" by {source}") };
    p.say(format!("The case opened on {}; the client was referred{by}", format_date(facts.opened_on)));
    if clause(&o.reason).is_empty() {
        p.say("No reason for the referral was recorded");
    } else {
        p.say(format!("The reason given: {}", one_line(&o.reason)));
    }
    match &o.assessed {
        Some((r, on)) if !o.needs.is_empty() => p.say(format!(
            "The assessment of {} ({r}) named needs in {}",
            format_date(*on),
            and_list(&o.needs)
        )),
        Some((r, on)) => p.say(format!("The assessment of {} ({r}) named no needs", format_date(*on))),
        None => p.say("No assessment was recorded in this episode"),
    }
    parts.push(p);

    // what was worked on
    let mut p = SummaryPart::new("What was worked on");
    let c = &facts.contacts;
    if c.notes == 0 {
        p.say("No case notes were recorded in this episode");
    } else {
        let kinds: Vec<String> = c.by_type.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let span = match (c.first, c.last) {
            (Some(f), Some(l)) if f != l => format!(" from {} to {}", format_date(f), format_date(l)),
            (Some(f), _) => format!(" on {}", format_date(f)),
            _ => String::new(),
        };
        p.say(format!(
            "{} {} recorded{span} ({}), {} of contact in all",
            count(c.notes, "case note", "case notes"),
            was(c.notes),
            kinds.join(", "),
            hours_minutes(c.minutes)
        ));
    }
    let ends: Vec<(&GoalFact, GoalEnd)> = facts.goals.iter().map(|g| (g, goal_end(g, &plan))).collect();
    if ends.is_empty() {
        p.say("No goals were set in the plan");
    } else {
        p.say(format!("{} {} set in the plan", count(ends.len(), "goal", "goals"), was(ends.len())));
    }
    for (g, end) in &ends {
        let mut s = format!("{} \"{}\" {}", g.reference, one_line(&g.statement), end.verb);
        if let Some(o) = &g.outcome {
            s.push_str(&format!(", evaluated as {o}"));
        } else if !g.achievement.is_empty() && g.achievement != "in progress" {
            s.push_str(&format!(", last assessed as {}", g.achievement));
        }
        match &g.progress {
            Some(pr) if pr.starts_with("milestone") => s.push_str(&format!("; {pr}")),
            Some(pr) => s.push_str(&format!("; it got {pr}")),
            None => {}
        }
        p.say(s);
        if !end.note.is_empty() {
            p.say(format!("The practitioner's note on {}: {}", g.reference, quoted(&end.note)));
        }
    }
    if let Some(referrals) = &facts.referrals {
        if referrals.is_empty() {
            p.say("No referrals were made in this episode");
        }
        for r in referrals {
            let since = r.since.map(|d| format!(" on {}", format_date(d))).unwrap_or_default();
            let note =
                if r.note.trim().is_empty() { String::new() } else { format!(" ({})", clause(&r.note)) };
            let item = plan.item(RecordKind::Referral, &r.reference);
            let s = match item.map(|i| (plan.disposition(i), plan.decision(i))) {
                Some((Disposition::Leave, _)) => {
                    let since = r.since.map(|d| format!(" (since {})", format_date(d))).unwrap_or_default();
                    format!("Referral {} to {} stays {}{since} after closure", r.reference, r.to, r.state)
                }
                Some((d, decision)) => {
                    let text = decision.map(|d| clause(&d.text)).unwrap_or_default();
                    let why = if text.is_empty() { String::new() } else { format!(" ({text})") };
                    let what = if d == Disposition::Complete { "completed" } else { "cancelled" };
                    format!(
                        "Referral {} to {} was {what} at closure{why}, having been {}",
                        r.reference, r.to, r.state
                    )
                }
                None => format!("Referral {} to {} ended as {}{since}{note}", r.reference, r.to, r.state),
            };
            p.say(s.trim_end());
        }
    }
    parts.push(p);

    // what changed
    let mut p = SummaryPart::new("What changed");
    for s in &facts.screeners {
        match &s.last {
            None => {
                p.say(format!("{} was given once: {} on {}", s.name, s.first.text, format_date(s.first.on)))
            }
            Some(l) => {
                let (a, b) = (format_date(s.first.on), format_date(l.on));
                p.say(match (s.first.total, l.total) {
                    (Some(x), Some(y)) if y < x => format!(
                        "{} fell from {} on {a} to {} on {b}, {} lower",
                        s.name,
                        s.first.text,
                        l.text,
                        count(x - y, "point", "points")
                    ),
                    (Some(x), Some(y)) if y > x => format!(
                        "{} rose from {} on {a} to {} on {b}, {} higher",
                        s.name,
                        s.first.text,
                        l.text,
                        count(y - x, "point", "points")
                    ),
                    (Some(_), Some(_)) => format!("{} stayed at {} from {a} to {b}", s.name, l.text),
                    _ => format!("{} showed {} on {a} and {} on {b}", s.name, s.first.text, l.text),
                });
            }
        }
    }
    if facts.screeners.is_empty() {
        p.say("No screeners were given in this episode, so change is told by the goals alone");
    }
    if let Some(e) = &facts.evaluation {
        let at = if e.occasion == "closure" { "at closure" } else { "at a review" };
        let mut s = format!("At the evaluation {at} on {} ({})", format_date(e.on), e.reference);
        match (e.satisfaction, e.feedback.trim().is_empty()) {
            (Some(n), true) => s.push_str(&format!(" the client rated the service {n} of 5")),
            (Some(n), false) => s.push_str(&format!(
                " the client rated the service {n} of 5 and said: {}",
                quoted(&e.feedback)
            )),
            (None, false) => s.push_str(&format!(" the client said: {}", quoted(&e.feedback))),
            (None, true) => s.push_str(" the client gave no feedback"),
        }
        p.say(s);
    }
    parts.push(p);

    // risk and safety
    let mut p = SummaryPart::new("Risk and safety");
    let mut raised_at_close: Vec<String> = Vec::new();
    for r in &facts.risks {
        let rose =
            if r.highest != r.raised_level { format!(", rose to {}", r.highest) } else { String::new() };
        match r.lowered_on {
            Some(l) => {
                let why = if r.lowered_reason.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", clause(&r.lowered_reason))
                };
                p.say(format!(
                    "A flag for {} ({}) was raised at {} on {}{rose} and was lowered on {}{why}",
                    r.area,
                    r.reference,
                    r.raised_level,
                    format_date(r.raised_on),
                    format_date(l)
                ));
            }
            None => {
                p.say(format!(
                    "A flag for {} ({}) was raised at {} on {}{rose}",
                    r.area,
                    r.reference,
                    r.raised_level,
                    format_date(r.raised_on)
                ));
                raised_at_close.push(format!("the flag for {} stays raised at {}", r.area, r.level));
            }
        }
    }
    let mut open_alerts: Vec<String> = Vec::new();
    for a in &facts.alerts {
        let mut s = format!(
            "A safety alert ({}) was raised by the {} of {} ({}): {}",
            a.reference,
            a.screener,
            format_date(a.on),
            a.screening,
            clause(&a.what)
        );
        let item = plan.item(RecordKind::Alert, &a.reference);
        let at_closure = item.filter(|i| plan.disposition(i) == Disposition::Complete);
        match (a.acknowledged_on, at_closure) {
            (Some(on), _) => {
                s.push_str(&format!("; it was acknowledged on {}", format_date(on)));
                if !a.note.trim().is_empty() {
                    s.push_str(&format!(" with the note: {}", clause(&a.note)));
                }
            }
            (None, Some(i)) => {
                let text = plan.decision(i).map(|d| clause(&d.text)).unwrap_or_default();
                s.push_str("; it was acknowledged at closure");
                if !text.is_empty() {
                    s.push_str(&format!(" with the note: {text}"));
                }
            }
            (None, None) => {
                s.push_str("; it was never acknowledged");
                open_alerts.push(format!("safety alert {} is not acknowledged", a.reference));
            }
        }
        p.say(s);
    }
    if facts.risks.is_empty() && facts.alerts.is_empty() {
        p.say("No risk flag or safety alert was recorded in this episode");
    }
    let mut at_close = raised_at_close;
    at_close.extend(open_alerts);
    if at_close.is_empty() {
        p.say("At closure no risk flag is raised and no safety alert is open");
    } else {
        p.say(format!("At closure {}", and_list(&at_close)));
    }
    parts.push(p);

    // why it ends now
    let mut p = SummaryPart::new("Why it ends now");
    let note = clause(&details.reason_note);
    let because = match details.reason {
        ClosureReason::GoalsMet => "the goals were met",
        ClosureReason::ClientWithdrew => "the client withdrew from the service",
        ClosureReason::MovedAway => "the client moved away",
        ClosureReason::Transferred => "the client was transferred or referred elsewhere",
        ClosureReason::NoContact => "contact with the client was lost",
        ClosureReason::Died => "the client died",
        ClosureReason::Other => "",
    };
    p.say(match (because.is_empty(), note.is_empty()) {
        (true, _) => format!("The case closes on {}: {note}", format_date(details.closed_on)),
        (false, true) => format!("The case closes on {} because {because}", format_date(details.closed_on)),
        (false, false) => {
            format!("The case closes on {} because {because}: {note}", format_date(details.closed_on))
        }
    });
    if details.reason == ClosureReason::GoalsMet {
        let short: Vec<String> = ends
            .iter()
            .filter_map(|(g, e)| e.short_of.as_ref().map(|s| format!("{} {s}", g.reference)))
            .collect();
        if ends.is_empty() {
            p.say("No goals were recorded in the plan, so the record itself does not show them met");
        } else if short.is_empty() {
            p.say(if ends.len() == 1 {
                "The one goal was met".to_string()
            } else {
                format!("All {} goals were met", ends.len())
            });
        } else {
            p.say(format!("Not every goal was met in full, though: {}", and_list(&short)));
        }
    } else if !ends.is_empty() {
        let met = ends.iter().filter(|(_, e)| e.met).count();
        p.say(match (met, ends.len()) {
            (0, 1) => "By then the one goal was not met in full".to_string(),
            (0, 2) => "By then neither goal was met in full".to_string(),
            (0, n) => format!("By then none of the {n} goals was met in full"),
            (m, n) if m == n => {
                format!("By then {} met", if n == 1 { "the one goal was" } else { "all the goals were" })
            }
            (m, n) => format!("By then {m} of the {n} goals {} met in full", was(m)),
        });
    }
    p.say(format!(
        "Episode {} ran from {} to {} ({})",
        facts.episode_number,
        format_date(facts.opened_on),
        format_date(details.closed_on),
        duration_words(facts.opened_on, details.closed_on)
    ));
    parts.push(p);

    // what stays open and the follow-up
    let mut p = SummaryPart::new("What stays open and the follow-up");
    let mut settled: Vec<String> = Vec::new();
    let mut remaining: Vec<String> = Vec::new();
    for item in &facts.open_items {
        let d = plan.decision(item);
        let text = d.map(|d| clause(&d.text)).unwrap_or_default();
        let with = |s: &str| if text.is_empty() { s.to_string() } else { format!("{s} ({text})") };
        match (item.kind, plan.disposition(item)) {
            // the goals and referrals are told in their parts above, the alerts with the risks
            (RecordKind::Alert, _)
            | (RecordKind::Goal | RecordKind::Referral, Disposition::Complete | Disposition::Cancel) => {}
            (RecordKind::Consent, Disposition::Leave) => {
                remaining.push(format!("{} (left to run)", clause(&item.full)))
            }
            (RecordKind::Consent, Disposition::Cancel) => settled.push(format!(
                "consent {} was ended on {}",
                item.reference,
                format_date(details.closed_on)
            )),
            (RecordKind::Consent, Disposition::Complete) => {
                remaining.push(format!("{} (kept for the post-closure follow-up)", clause(&item.full)))
            }
            (_, Disposition::Leave) => remaining.push(clause(&item.full)),
            (RecordKind::Note, _) => settled.push(format!("note {} was signed", item.reference)),
            (RecordKind::ActionItem, Disposition::Complete) => {
                settled.push(format!("action item {} was marked done", item.reference))
            }
            (RecordKind::Advocacy, Disposition::Complete) => {
                settled.push(with(&format!("advocacy {} was closed with its outcome", item.reference)))
            }
            (RecordKind::Advocacy, Disposition::Cancel) => {
                settled.push(with(&format!("advocacy {} was withdrawn", item.reference)))
            }
            (_, Disposition::Complete) => settled.push(format!("{} was completed", item.reference)),
            (_, Disposition::Cancel) => settled.push(with(&format!("{} was cancelled", item.reference))),
        }
    }
    // our own words, mid-sentence: lower case first
    remaining.extend(facts.also_open.iter().map(|a| {
        let a = clause(a);
        let mut c = a.chars();
        c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default()
    }));
    if !settled.is_empty() {
        p.say(format!("At closure {}", and_list(&settled)));
    }
    if remaining.is_empty() {
        p.say("Nothing else stays open");
    } else {
        p.say(format!("Still open after closure: {}", remaining.join("; ")));
    }
    let plan_text = one_line(&details.follow_up_plan);
    p.say(match (details.follow_up_on, plan_text.is_empty()) {
        (Some(d), true) => format!("A post-closure check is planned for {}", format_date(d)),
        (Some(d), false) => {
            format!("A post-closure check is planned for {}: {}", format_date(d), clause(&plan_text))
        }
        (None, false) => format!("Follow-up: {}", clause(&plan_text)),
        (None, true) => "No post-closure follow-up is planned".to_string(),
    });
    parts.push(p);
    parts
}

/// The closing summary drafted from the record, for the practitioner to edit and sign: each
/// part a heading and a short paragraph.
pub fn draft_summary(facts: &ClosureFacts, decisions: &[Decision], details: &CloseDetails) -> String {
    summary_parts(facts, decisions, details)
        .iter()
        .filter(|p| !p.sentences.is_empty())
        .map(|p| format!("{}\n{}", p.heading, p.sentences.join(" ")))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_is_told_as_what_the_client_answered() {
        let m = "Safety alert: PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above \"Not at all\", whatever the total. Follow up with a risk assessment; acknowledge the alert with a note.";
        assert_eq!(
            alert_clause(m),
            "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above \"Not at all\""
        );
        assert_eq!(
            alert_clause("Safety alert: AHC interpersonal safety score above 10 — the client may not be safe. Follow up."),
            "AHC interpersonal safety score above 10 — the client may not be safe"
        );
    }
    use crate::domain::closure::{action_item_choices, goal_choices, note_choices};
    use crate::domain::goal::GoalStatus;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn point(on: &str, total: Option<i32>, text: &str) -> ScreenPoint {
        ScreenPoint { on: d(on), total, text: text.into() }
    }

    fn open(
        kind: RecordKind,
        id: i64,
        reference: &str,
        full: &str,
        choices: Vec<super::super::Choice>,
    ) -> OpenItem {
        OpenItem {
            kind,
            id,
            reference: reference.into(),
            label: crate::domain::text::fit(full, 40),
            full: full.into(),
            choices,
        }
    }

    /// A known episode: referred by the GP, assessed with housing named twice, two goals (one
    /// completed with the practitioner's note, one only partly achieved), PHQ-9 down and an
    /// item-9 alert, a HIGH risk from others raised and lowered, a medium risk to self still
    /// raised, two referrals, the client's words ending in a full stop, and a long unsigned note.
    fn episode() -> ClosureFacts {
        ClosureFacts {
            episode_number: 1,
            opened_on: d("2025-03-04"),
            opening: OpeningFact {
                source: "GP".into(),
                reason: "Rent arrears after losing work.\nTwo children at home.".into(),
                assessed: Some(("AS-1".into(), d("2025-03-10"))),
                needs: vec!["housing".into(), "food".into(), "housing".into()],
            },
            goals: vec![
                GoalFact {
                    reference: "G-1".into(),
                    statement: "Find a stable home".into(),
                    status: "completed".into(),
                    achievement: "achieved".into(),
                    outcome: Some("achieved".into()),
                    progress: None,
                    note: "Tenancy signed with the housing association.".into(),
                },
                GoalFact {
                    reference: "G-54".into(),
                    statement: "Pay off the rent arrears".into(),
                    status: "active".into(),
                    achievement: "improving".into(),
                    outcome: Some("partly achieved".into()),
                    progress: Some("33 % of the way (latest 300 on 2026-10-01)".into()),
                    note: String::new(),
                },
            ],
            referrals: Some(vec![
                ReferralFact {
                    reference: "R-4".into(),
                    to: "Springfield Food Bank".into(),
                    state: "completed".into(),
                    since: Some(d("2026-09-01")),
                    note: "Parcels weekly until work came.".into(),
                },
                ReferralFact {
                    reference: "R-9".into(),
                    to: "Debt Advice Line".into(),
                    state: "sent".into(),
                    since: Some(d("2026-11-02")),
                    note: String::new(),
                },
            ]),
            screeners: vec![ScreenerFact {
                name: "PHQ-9".into(),
                first: point("2025-03-05", Some(17), "17 (moderately severe)"),
                last: Some(point("2026-10-01", Some(8), "8 (mild)")),
            }],
            contacts: ContactFacts {
                notes: 14,
                by_type: vec![("home visit".into(), 9), ("phone".into(), 5)],
                minutes: 695,
                first: Some(d("2025-03-05")),
                last: Some(d("2026-11-20")),
            },
            risks: vec![
                RiskFact {
                    reference: "F-1".into(),
                    area: "risk from others".into(),
                    raised_on: d("2025-03-10"),
                    raised_level: "HIGH".into(),
                    highest: "HIGH".into(),
                    level: "HIGH".into(),
                    lowered_on: Some(d("2025-09-01")),
                    lowered_reason: "Moved to a safe address; the ex-partner has no contact.".into(),
                },
                RiskFact {
                    reference: "F-2".into(),
                    area: "risk to self".into(),
                    raised_on: d("2026-10-01"),
                    raised_level: "MEDIUM".into(),
                    highest: "MEDIUM".into(),
                    level: "MEDIUM".into(),
                    lowered_on: None,
                    lowered_reason: String::new(),
                },
            ],
            alerts: vec![AlertFact {
                reference: "AL-1".into(),
                screener: "PHQ-9".into(),
                screening: "SC-2".into(),
                on: d("2026-10-01"),
                what: "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) was answered above \"Not at all\"".into(),
                acknowledged_on: None,
                note: String::new(),
            }],
            open_items: vec![
                open(
                    RecordKind::Goal,
                    54,
                    "G-54",
                    "goal G-54 (active): Pay off the rent arrears",
                    goal_choices(GoalStatus::Active),
                ),
                open(
                    RecordKind::Referral,
                    9,
                    "R-9",
                    "referral R-9 (sent) to Debt Advice Line",
                    vec![super::super::LEAVE, super::super::CANCEL],
                ),
                open(
                    RecordKind::ActionItem,
                    5,
                    "AI-5",
                    "action item AI-5 (due 2026-11-30, Lee): Send the tenancy letter.",
                    action_item_choices(),
                ),
                open(
                    RecordKind::Note,
                    9,
                    "N-9",
                    "unsigned note N-9 (phone, 2026-11-20): Discussed the move, the school run and the benefits letter in detail",
                    note_choices(),
                ),
                open(
                    RecordKind::Alert,
                    1,
                    "AL-1",
                    "safety alert AL-1 from screener result SC-2 (raised 2026-10-01)",
                    crate::domain::closure::alert_choices(),
                ),
            ],
            also_open: vec!["Follow-up of transition T-2 due 2026-12-15".into()],
            evaluation: Some(EvaluationFact {
                reference: "EV-3".into(),
                on: d("2026-11-20"),
                occasion: "closure".into(),
                satisfaction: Some(4),
                feedback: "You listened.\nIt made a difference.".into(),
            }),
        }
    }

    fn details() -> CloseDetails {
        CloseDetails {
            reason: ClosureReason::GoalsMet,
            reason_note: String::new(),
            closed_on: d("2026-11-23"),
            follow_up_on: Some(d("2027-02-21")),
            follow_up_plan: "Phone call to check the tenancy holds.".into(),
        }
    }

    fn decide(kind: RecordKind, id: i64, disposition: Disposition, text: &str) -> Decision {
        Decision { kind, id, disposition, text: text.into() }
    }

    #[test]
    fn the_summary_of_a_known_episode_is_a_narrative_a_supervisor_accepts() {
        let decisions = vec![
            decide(RecordKind::Goal, 54, Disposition::Leave, ""),
            decide(RecordKind::Referral, 9, Disposition::Cancel, "Client chose to manage the debt alone."),
            decide(RecordKind::ActionItem, 5, Disposition::Leave, ""),
            decide(RecordKind::Note, 9, Disposition::Leave, ""),
            decide(RecordKind::Alert, 1, Disposition::Complete, "Phoned; safety plan checked."),
        ];
        let facts = episode();
        let parts = summary_parts(&facts, &decisions, &details());
        let headings: Vec<&str> = parts.iter().map(|p| p.heading).collect();
        assert_eq!(
            headings,
            vec![
                "Why the case opened",
                "What was worked on",
                "What changed",
                "Risk and safety",
                "Why it ends now",
                "What stays open and the follow-up"
            ]
        );
        let part = |h: &str| parts.iter().find(|p| p.heading == h).unwrap().sentences.join(" ");
        let s = draft_summary(&facts, &decisions, &details());

        // why the case opened: the referral and the needs, each once
        let why = part("Why the case opened");
        assert!(why.contains("The case opened on 2025-03-04; the client was referred by GP."), "{why}");
        assert!(
            why.contains("The reason given: Rent arrears after losing work. Two children at home."),
            "{why}"
        );
        assert!(why.contains("named needs in housing and food."), "{why}");
        // what was worked on: goals with their outcome and the practitioner's note, referrals
        let work = part("What was worked on");
        assert!(work.contains("14 case notes were recorded from 2025-03-05 to 2026-11-20"), "{work}");
        assert!(work.contains("11 h 35 min"), "{work}");
        assert!(work.contains("G-1 \"Find a stable home\" was completed, evaluated as achieved."), "{work}");
        assert!(
            work.contains("The practitioner's note on G-1: \"Tenancy signed with the housing association.\""),
            "{work}"
        );
        assert!(
            work.contains("G-54 \"Pay off the rent arrears\" stays active after closure, evaluated as partly achieved; it got 33 % of the way"),
            "{work}"
        );
        assert!(
            work.contains("Referral R-4 to Springfield Food Bank ended as completed on 2026-09-01 (Parcels weekly until work came)."),
            "{work}"
        );
        assert!(
            work.contains("Referral R-9 to Debt Advice Line was cancelled at closure (Client chose to manage the debt alone), having been sent."),
            "{work}"
        );
        // what changed: the screener in words, the client's view
        let changed = part("What changed");
        assert!(
            changed.contains("PHQ-9 fell from 17 (moderately severe) on 2025-03-05 to 8 (mild) on 2026-10-01, 9 points lower."),
            "{changed}"
        );
        assert!(
            changed.contains(
                "the client rated the service 4 of 5 and said: \"You listened. It made a difference.\""
            ),
            "{changed}"
        );
        // risk and safety over the episode and at closure
        let risk = part("Risk and safety");
        assert!(
            risk.contains("A flag for risk from others (F-1) was raised at HIGH on 2025-03-10 and was lowered on 2025-09-01: Moved to a safe address; the ex-partner has no contact."),
            "{risk}"
        );
        assert!(
            risk.contains("A safety alert (AL-1) was raised by the PHQ-9 of 2026-10-01 (SC-2): PHQ-9 item 9"),
            "{risk}"
        );
        assert!(
            risk.contains("it was acknowledged at closure with the note: Phoned; safety plan checked."),
            "{risk}"
        );
        assert!(risk.contains("At closure the flag for risk to self stays raised at MEDIUM."), "{risk}");
        // why it ends now: the reason reconciled with the outcomes
        let ends = part("Why it ends now");
        assert!(ends.contains("The case closes on 2026-11-23 because the goals were met."), "{ends}");
        assert!(
            ends.contains("Not every goal was met in full, though: G-54 was evaluated as partly achieved."),
            "{ends}"
        );
        assert!(ends.contains("Episode 1 ran from 2025-03-04 to 2026-11-23 (about 21 months)."), "{ends}");
        // what stays open, in full, and the follow-up
        let open = part("What stays open and the follow-up");
        assert!(open.contains("goal G-54 (active): Pay off the rent arrears"), "{open}");
        assert!(open.contains("action item AI-5 (due 2026-11-30, Lee): Send the tenancy letter;"), "{open}");
        assert!(open.contains("the benefits letter in detail"), "a note is never cut: {open}");
        assert!(open.contains("; follow-up of transition T-2 due 2026-12-15."), "{open}");
        assert!(
            open.ends_with(
                "A post-closure check is planned for 2027-02-21: Phone call to check the tenancy holds."
            ),
            "{open}"
        );

        // never truncated, no doubled punctuation, nothing said twice
        assert!(!s.contains('…'), "{s}");
        for bad in ["..", ".).", ".\".", "\".\"", ",.", ";.", ":.", " ."] {
            assert!(!s.contains(bad), "{bad:?} in:\n{s}");
        }
        assert!(!s.contains("housing, food, housing") && s.matches("housing and food").count() == 1, "{s}");
        let mut seen = Vec::new();
        for sentence in parts.iter().flat_map(|p| &p.sentences) {
            assert!(!seen.contains(&sentence), "said twice: {sentence}");
            seen.push(sentence);
            let first = sentence.chars().next().unwrap();
            assert!(!first.is_lowercase(), "a sentence starts with a capital: {sentence}");
        }
        // the referral left open and the alert dealt with are told once, in their own parts
        assert_eq!(s.matches("AL-1").count(), 1, "{s}");
        assert_eq!(s.matches("R-9").count(), 1, "{s}");
    }

    #[test]
    fn a_reason_that_the_outcomes_bear_out_is_said_plainly() {
        let mut facts = episode();
        facts.goals.truncate(1);
        facts.open_items.retain(|i| i.kind != RecordKind::Goal);
        let s = draft_summary(&facts, &[], &details());
        assert!(s.contains("The one goal was met."), "{s}");
        assert!(!s.contains("Not every goal"), "{s}");
        // another reason says how far the goals got
        let moved = CloseDetails {
            reason: ClosureReason::MovedAway,
            reason_note: "to Shelbyville.".into(),
            ..details()
        };
        let s = draft_summary(&episode(), &[], &moved);
        assert!(s.contains("because the client moved away: to Shelbyville."), "{s}");
        assert!(s.contains("By then 1 of the 2 goals was met in full."), "{s}");
    }

    #[test]
    fn an_empty_episode_still_reads_well() {
        let f = ClosureFacts {
            episode_number: 2,
            opened_on: d("2026-11-23"),
            opening: OpeningFact::default(),
            goals: vec![],
            referrals: None,
            screeners: vec![],
            contacts: ContactFacts::default(),
            risks: vec![],
            alerts: vec![],
            open_items: vec![],
            also_open: vec![],
            evaluation: None,
        };
        let details = CloseDetails {
            reason: ClosureReason::NoContact,
            reason_note: String::new(),
            closed_on: d("2026-11-23"),
            follow_up_on: None,
            follow_up_plan: "Letter sent".into(),
        };
        let s = draft_summary(&f, &[], &details);
        assert!(s.contains("(the same day)"), "{s}");
        assert!(s.contains("No case notes were recorded"), "{s}");
        assert!(s.contains("No risk flag or safety alert was recorded in this episode."), "{s}");
        assert!(s.contains("Nothing else stays open."), "{s}");
        assert!(s.ends_with("Follow-up: Letter sent."), "{s}");
        assert!(s.contains("because contact with the client was lost"), "{s}");
    }

    #[test]
    fn a_milestone_is_said_as_reached_or_not() {
        let mut facts = episode();
        facts.goals[0].progress = Some("milestone reached".into());
        let s = draft_summary(&facts, &[], &details());
        assert!(
            s.contains("G-1 \"Find a stable home\" was completed, evaluated as achieved; milestone reached."),
            "{s}"
        );
        assert!(!s.contains("got milestone"), "{s}");
    }

    #[test]
    fn sentences_end_once() {
        assert_eq!(sentence("done."), "Done.");
        assert_eq!(sentence("she said \"enough.\""), "She said \"enough.\"");
        assert_eq!(sentence("it ended (as planned.)"), "It ended (as planned.)");
        assert_eq!(sentence("next;"), "Next.");
        assert_eq!(clause(" a\n b. "), "a b");
        assert_eq!(and_list(&["housing".into(), "food".into(), "housing".into()]), "housing and food");
    }
}
