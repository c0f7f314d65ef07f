//! A client's whole file as Markdown, to read or print: identity and intake, every episode
//! with its closure and signed summary, safety, people, assessments, screeners, the plan with
//! each goal's history, coordination, every case note with its addenda, and the timeline.
//! Rendered from the exported document (`file::ClientFileDoc`), its long tables (notes with
//! their addenda, the timeline) a row at a time (`LongRows`), straight into a writer; tables
//! it has no section for are still printed, field by field.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};

use super::file::{ClientFileDoc, ExportOptions, NoteTicker, Progress};
use super::md_inline as md;
use super::StreamError;
use crate::domain::closure::{closure_ref, retain_until, ClosureReason, Disposition};
use crate::domain::dates::{format_date, from_db, parse_ymd};
use crate::domain::record::RecordKind;
use crate::store::sections::{spec, NoteFilter, Row, RowOrder, TableSpec, TABLES};
use crate::store::{Result, Store, StoreError};

/// What the Markdown needs besides the document.
pub struct MdContext {
    /// Years a closed file is kept (Settings), for the date it may be destroyed.
    pub retention_years: u32,
    /// Local time zone offset, for times stored in UTC.
    pub offset_secs: i64,
}

fn s(row: &Row, col: &str) -> String {
    match row.get(col) {
        Some(serde_json::Value::String(v)) => v.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// A stored number as a person writes it: 6 rather than 6.0.
fn num(row: &Row, col: &str) -> String {
    match row.get(col).and_then(serde_json::Value::as_f64) {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Some(f) => format!("{f}"),
        None => String::new(),
    }
}

fn id(row: &Row, col: &str) -> Option<i64> {
    row.get(col).and_then(serde_json::Value::as_i64)
}

fn yes(row: &Row, col: &str) -> bool {
    id(row, col).is_some_and(|v| v != 0)
}

fn day(row: &Row, col: &str) -> String {
    parse_ymd(&s(row, col)).map(format_date).unwrap_or_default()
}

fn day_of(row: &Row, col: &str) -> Option<NaiveDate> {
    parse_ymd(&s(row, col))
}

/// The long tables of a file — its notes with their addenda, and its timeline — read a row
/// at a time, so a file of any length is written in the memory of one note.
pub trait LongRows {
    fn note_count(&self) -> usize;
    /// Each note in the order of contact (then of id), with its addenda oldest first.
    fn each_note(&self, f: &mut dyn FnMut(&Row, &[Row]) -> Result<()>) -> Result<()>;
    /// Each timeline line in the order it happened (then of id).
    fn each_event(&self, f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()>;
}

/// Tables read through `LongRows` rather than from the document.
const LONG: &[&str] = &["notes", "addenda", "events"];

struct W<'a> {
    out: &'a mut dyn Write,
    /// The last line written had text (a blank line follows only text).
    after_text: bool,
    /// The first write that failed; nothing is written after it.
    failed: Option<std::io::Error>,
    doc: &'a ClientFileDoc,
    long: &'a dyn LongRows,
    offset: i64,
}

impl W<'_> {
    fn push(&mut self, l: &str) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_all(l.as_bytes()).and_then(|_| self.out.write_all(b"\n")) {
                self.failed = Some(e);
            }
        }
        self.after_text = !l.is_empty();
    }
    fn line(&mut self, l: impl AsRef<str>) {
        self.push(l.as_ref());
    }
    fn blank(&mut self) {
        if self.after_text {
            self.push("");
        }
    }
    fn heading(&mut self, level: usize, text: &str) {
        self.blank();
        self.push(&format!("{} {text}", "#".repeat(level)));
        self.push("");
    }
    /// Stops a long table's visit once the output has failed.
    fn still_writing(&self) -> Result<()> {
        match self.failed {
            Some(_) => Err(StoreError::Refused("the output stopped".into())),
            None => Ok(()),
        }
    }
    /// A local date and time from a stored UTC moment.
    fn when(&self, row: &Row, col: &str) -> String {
        let v = s(row, col);
        match from_db(&v) {
            Some(t) => (t + chrono::Duration::seconds(self.offset)).format("%Y-%m-%d %H:%M").to_string(),
            None => md(&v),
        }
    }
    fn rows(&self, table: &str) -> &[Row] {
        self.doc.rows(table)
    }
    /// A block of text: each line quoted and escaped.
    fn quote(&mut self, text: &str) {
        for l in text.trim_end().lines() {
            if l.trim().is_empty() {
                self.push(">");
            } else {
                self.push(&format!("> {}", md(l)));
            }
        }
    }
    /// `- Label: value` when the value is not empty.
    fn item(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.push(&format!("- {label}: {}", md(value)));
        }
    }
    /// A labelled block of text, when not empty.
    fn text(&mut self, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.blank();
            self.push(&format!("**{label}**"));
            self.push("");
            self.quote(value);
            self.push("");
        }
    }
}

fn make(prefix: &str, row: &Row) -> String {
    format!("{prefix}-{}", id(row, "id").unwrap_or(0))
}

fn label_or<'a>(options: &'a [(&'a str, &'a str)], key: &'a str) -> &'a str {
    options.iter().find(|(k, _)| *k == key).map(|(_, l)| *l).unwrap_or(key)
}

/// Tables printed by their own section below; any other table of the file is printed field by
/// field at the end (a kind of record this renderer does not know yet, from a newer version).
const RENDERED: &[&str] = &[
    "clients",
    "episodes",
    "closures",
    "closure_items",
    "risk_flags",
    "risk_flag_events",
    "alerts",
    "people",
    "partnerships",
    "assessments",
    "assessment_needs",
    "domain_ratings",
    "screenings",
    "goals",
    "goal_changes",
    "goal_steps",
    "goal_progress",
    "plan_reviews",
    "evaluations",
    "evaluation_outcomes",
    "referrals",
    "referral_events",
    "appointments",
    "consents",
    "conferences",
    "conference_attendees",
    "action_items",
    "transitions",
    "advocacy_items",
    "advocacy_actions",
    "mandated_reports",
    "mandated_report_addenda",
    "notes",
    "addenda",
    "events",
    "consent_reliances",
];

/// A document in memory as Markdown (a file of any size is better streamed: `write_markdown`).
pub fn file_markdown(doc: &ClientFileDoc, ctx: &MdContext) -> String {
    let mut out = Vec::new();
    // neither a Vec nor a document in memory fails
    let _ = render(doc, &DocRows::new(doc), ctx, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a client's file as Markdown to `out`: the same text as `file_markdown` of the
/// document, with the notes and the timeline read from the database one row at a time.
#[allow(clippy::too_many_arguments)]
pub fn write_markdown(
    store: &Store,
    client_id: i64,
    opts: &ExportOptions,
    by: &str,
    now: DateTime<Utc>,
    ctx: &MdContext,
    out: &mut dyn Write,
    progress: Progress<'_>,
) -> std::result::Result<(), StreamError> {
    let (head, total) = store.client_file_head(client_id, opts, by, now)?;
    let filter = opts.note_filter();
    // every other table is short: read whole, as the sections want them
    let mut tables = BTreeMap::new();
    for spec in TABLES {
        let mut rows = Vec::new();
        if !LONG.contains(&spec.table) {
            store.visit_file_rows(client_id, &filter, spec, RowOrder::Export, &mut |r| {
                rows.push(r);
                Ok(())
            })?;
        }
        tables.insert(spec.table.to_string(), rows);
    }
    let doc = ClientFileDoc::new(head, tables);
    let long =
        StoreRows { store, client_id, filter, total, ticker: RefCell::new(NoteTicker::new(total, progress)) };
    render(&doc, &long, ctx, out)
}

fn render(
    doc: &ClientFileDoc,
    long: &dyn LongRows,
    ctx: &MdContext,
    out: &mut dyn Write,
) -> std::result::Result<(), StreamError> {
    let mut w = W { out, after_text: false, failed: None, doc, long, offset: ctx.offset_secs };
    let empty = Row::new();
    let c = doc.client_row().unwrap_or(&empty);
    let name = format!("{} {}", s(c, "given_name"), s(c, "family_name"));
    w.line(format!("# Client file: {} ({})", md(&name), md(&doc.head.client)));
    w.blank();
    w.line(
        "*Confidential: this is a client's case record. Keep this copy as safely as the caseload itself.*",
    );
    w.blank();
    let exported = from_db(&doc.head.exported_at)
        .map(|t| (t + chrono::Duration::seconds(ctx.offset_secs)).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default();
    let by = if doc.head.exported_by.is_empty() {
        String::new()
    } else {
        format!(" by {}", md(&doc.head.exported_by))
    };
    w.line(format!("- Exported: {exported}{by}"));
    w.line(format!("- Status: {}", if s(c, "status") == "closed" { "closed" } else { "open" }));
    w.line(format!("- Notes in this copy: {}", doc.head.notes.describe()));
    w.line(format!(
        "- caseload {}, client file format {}",
        md(&doc.head.app_version),
        doc.head.format_version
    ));

    intake(&mut w, c);
    episodes(&mut w, ctx);
    safety(&mut w);
    people(&mut w);
    assessments(&mut w);
    screeners(&mut w);
    plan(&mut w);
    referrals(&mut w);
    coordination(&mut w);
    let read = notes(&mut w).and_then(|()| history(&mut w));
    other_tables(&mut w);
    w.blank();
    if let Some(e) = w.failed.take() {
        return Err(StreamError::Output(e));
    }
    Ok(read?)
}

/// Any other table of the file, field by field (a kind of record this renderer does not know
/// yet, from a newer version).
fn other_tables(w: &mut W<'_>) {
    let doc = w.doc;
    for (table, rows) in &doc.tables {
        if RENDERED.contains(&table.as_str()) || rows.is_empty() {
            continue;
        }
        w.heading(2, &format!("Other records: {}", md(&table.replace('_', " "))));
        for r in rows {
            let fields: Vec<String> = r
                .iter()
                .filter(|(k, v)| *k != "client_id" && !v.is_null() && !s(r, k).is_empty())
                .map(|(k, _)| format!("{}: {}", md(&k.replace('_', " ")), md(&s(r, k))))
                .collect();
            w.line(format!("- {}", fields.join("; ")));
        }
    }
}

/// The long tables of a document in memory, sorted as the database would give them.
struct DocRows<'a> {
    notes: Vec<&'a Row>,
    addenda: HashMap<Option<i64>, Vec<Row>>,
    events: Vec<&'a Row>,
}

impl<'a> DocRows<'a> {
    fn new(doc: &'a ClientFileDoc) -> Self {
        let by_time = |col: &'static str| {
            move |a: &&Row, b: &&Row| s(a, col).cmp(&s(b, col)).then(id(a, "id").cmp(&id(b, "id")))
        };
        let mut notes: Vec<&Row> = doc.rows("notes").iter().collect();
        notes.sort_by(by_time("contact_at"));
        let mut events: Vec<&Row> = doc.rows("events").iter().collect();
        events.sort_by(by_time("occurred_at"));
        let mut addenda: HashMap<Option<i64>, Vec<Row>> = HashMap::new();
        for a in doc.rows("addenda") {
            addenda.entry(id(a, "note_id")).or_default().push(a.clone());
        }
        DocRows { notes, addenda, events }
    }
}

impl LongRows for DocRows<'_> {
    fn note_count(&self) -> usize {
        self.notes.len()
    }
    fn each_note(&self, f: &mut dyn FnMut(&Row, &[Row]) -> Result<()>) -> Result<()> {
        for n in &self.notes {
            f(n, self.addenda.get(&id(n, "id")).map(Vec::as_slice).unwrap_or(&[]))?;
        }
        Ok(())
    }
    fn each_event(&self, f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        self.events.iter().try_for_each(|e| f(e))
    }
}

/// The long tables of a client's file, read from the database as they are written.
struct StoreRows<'a> {
    store: &'a Store,
    client_id: i64,
    filter: NoteFilter,
    total: usize,
    ticker: RefCell<NoteTicker<'a>>,
}

impl StoreRows<'_> {
    fn table(name: &str) -> Result<&'static TableSpec> {
        spec(name).ok_or_else(|| StoreError::NotFound(format!("no table {name}")))
    }
}

impl LongRows for StoreRows<'_> {
    fn note_count(&self) -> usize {
        self.total
    }
    fn each_note(&self, f: &mut dyn FnMut(&Row, &[Row]) -> Result<()>) -> Result<()> {
        let notes = Self::table("notes")?;
        self.store.visit_file_rows(self.client_id, &self.filter, notes, RowOrder::Time, &mut |n| {
            let addenda = match id(&n, "id") {
                Some(note) => self.store.note_addenda_rows(note)?,
                None => Vec::new(),
            };
            f(&n, &addenda)?;
            self.ticker.borrow_mut().tick();
            Ok(())
        })?;
        Ok(())
    }
    fn each_event(&self, f: &mut dyn FnMut(&Row) -> Result<()>) -> Result<()> {
        let events = Self::table("events")?;
        self.store.visit_file_rows(self.client_id, &self.filter, events, RowOrder::Time, &mut |e| f(&e))?;
        Ok(())
    }
}

fn intake(w: &mut W<'_>, c: &Row) {
    w.heading(2, "Identity and intake");
    let mut rows: Vec<(&str, String)> = vec![
        ("Name", format!("{} {}", s(c, "given_name"), s(c, "family_name"))),
        ("Preferred name", s(c, "preferred_name")),
        ("Pronouns", s(c, "pronouns")),
        ("Sex / gender", if s(c, "sex") == "unknown" { String::new() } else { s(c, "sex") }),
    ];
    let dob = if yes(c, "birth_date_estimated") {
        day_of(c, "date_of_birth")
            .map(|d| format!("about {} (estimated)", d.format("%Y")))
            .unwrap_or_default()
    } else {
        day(c, "date_of_birth")
    };
    rows.push(("Date of birth", dob));
    rows.push(("Phone", s(c, "phone")));
    rows.push(("Email", s(c, "email")));
    rows.push(("Address", s(c, "address")));
    rows.push(("Best way and time to reach", s(c, "best_contact")));
    let msg = match id(c, "safe_to_leave_message") {
        Some(1) => "yes",
        Some(0) => "NO: do not leave messages",
        _ => "not asked",
    };
    rows.push(("Safe to leave a message", msg.into()));
    let lang = s(c, "language");
    rows.push((
        "Language",
        if yes(c, "interpreter_needed") { format!("{lang} (interpreter needed)") } else { lang },
    ));
    rows.push(("Referral source", s(c, "referral_source")));
    rows.push(("Intake date", day(c, "intake_date")));
    rows.push(("Programme", s(c, "programme")));
    rows.push(("External ID", s(c, "external_id")));
    let emergency =
        [s(c, "emergency_contact_name"), s(c, "emergency_contact_relation"), s(c, "emergency_contact_phone")]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
    rows.push(("Emergency contact", emergency));
    w.line("| | |");
    w.line("|---|---|");
    for (k, v) in rows {
        if !v.trim().is_empty() {
            w.line(format!("| {k} | {} |", md(&v)));
        }
    }
    w.text("Reason for referral", &s(c, "referral_reason"));
}

fn episodes(w: &mut W<'_>, ctx: &MdContext) {
    w.heading(2, "Episodes of service");
    let episodes = w.rows("episodes").to_vec();
    let closures = w.rows("closures").to_vec();
    let items = w.rows("closure_items").to_vec();
    let latest = episodes.iter().filter_map(|e| id(e, "number")).max();
    for e in &episodes {
        let number = id(e, "number").unwrap_or(0);
        let closed = day(e, "closed_on");
        let span = if closed.is_empty() {
            format!("opened {}, open", day(e, "opened_on"))
        } else {
            format!("{} to {closed}", day(e, "opened_on"))
        };
        w.heading(3, &format!("Episode {number}: {span}"));
        for cl in closures.iter().filter(|cl| id(cl, "episode_id") == id(e, "id")) {
            let reason = ClosureReason::parse(&s(cl, "reason")).map(|r| r.label()).unwrap_or("Other");
            let note = s(cl, "reason_note");
            let reason = if note.is_empty() { reason.to_string() } else { format!("{reason}: {note}") };
            let cref = closure_ref(id(cl, "id").unwrap_or(0));
            w.blank();
            w.line(format!("- Closed {} ({cref}): {}", day(cl, "closed_on"), md(&reason)));
            let undone = !s(cl, "undone_at").is_empty();
            if undone {
                let by = s(cl, "undone_by");
                let by = if by.is_empty() { String::new() } else { format!(" by {}", md(&by)) };
                w.line(format!(
                    "- Closure undone {}{by}: {}",
                    w.when(cl, "undone_at"),
                    md(&s(cl, "undone_reason"))
                ));
            } else if Some(number) == latest {
                if let Some(closed_on) = day_of(cl, "closed_on") {
                    w.line(format!(
                        "- May be destroyed after: {} ({} after closure)",
                        format_date(retain_until(closed_on, ctx.retention_years)),
                        crate::domain::words::count(ctx.retention_years, "year", "years")
                    ));
                }
            }
            if !s(cl, "follow_up_on").is_empty() {
                let done = if s(cl, "follow_up_done_on").is_empty() {
                    String::new()
                } else {
                    format!(" (done {})", day(cl, "follow_up_done_on"))
                };
                w.line(format!("- Post-closure follow-up: {}{done}", day(cl, "follow_up_on")));
            }
            w.item("Follow-up plan", &s(cl, "follow_up_plan"));
            let signed = if s(cl, "signed_at").is_empty() {
                "not signed".to_string()
            } else {
                format!("signed by {} on {}", md(&s(cl, "signed_by")), w.when(cl, "signed_at"))
            };
            if !s(cl, "summary").trim().is_empty() {
                w.blank();
                w.line(format!("**Closing summary** ({signed})"));
                w.blank();
                w.quote(&s(cl, "summary"));
            }
            let mine: Vec<&Row> = items.iter().filter(|i| id(i, "closure_id") == id(cl, "id")).collect();
            if !mine.is_empty() {
                w.blank();
                w.line("What closing did with the items still open:");
                w.blank();
                for i in mine {
                    let kind = RecordKind::parse(&s(i, "record_kind"));
                    let action = match (kind, Disposition::parse(&s(i, "action"))) {
                        (Some(RecordKind::Consent), Some(Disposition::Leave)) => {
                            "left to run to its end date"
                        }
                        (Some(RecordKind::Consent), Some(Disposition::Complete)) => {
                            "kept for the post-closure follow-up"
                        }
                        (Some(RecordKind::Consent), _) => "ended at closure",
                        (_, Some(Disposition::Leave)) => "left open",
                        (Some(RecordKind::Note), _) => "signed",
                        (Some(RecordKind::Alert), _) => "acknowledged",
                        (Some(RecordKind::ActionItem), Some(Disposition::Complete)) => "done",
                        (Some(RecordKind::Advocacy), Some(Disposition::Complete)) => "closed",
                        (Some(RecordKind::Advocacy), _) => "withdrawn",
                        (_, Some(Disposition::Complete)) => "completed",
                        _ => "cancelled",
                    };
                    let reason = s(i, "reason");
                    let reason = if reason.is_empty() { String::new() } else { format!(": {}", md(&reason)) };
                    let undone =
                        if yes(i, "undone") { " (put back when the closure was undone)" } else { "" };
                    let label = s(i, "label");
                    let label = label.trim_end().trim_end_matches(['.', ':', ';']);
                    w.line(format!("- {} — {action}{reason}{undone}", md(label)));
                }
            }
        }
    }
}

fn safety(w: &mut W<'_>) {
    let flags = w.rows("risk_flags").to_vec();
    let alerts = w.rows("alerts").to_vec();
    if flags.is_empty() && alerts.is_empty() {
        return;
    }
    w.heading(2, "Safety");
    let events = w.rows("risk_flag_events").to_vec();
    for f in &flags {
        let area =
            crate::domain::assessment::RiskArea::parse(&s(f, "area")).map(|a| a.label()).unwrap_or("Risk");
        let state = if s(f, "lowered_at").is_empty() {
            "open".to_string()
        } else {
            format!("lowered {}", w.when(f, "lowered_at"))
        };
        w.line(format!(
            "- Flag {}: {area} {} (raised {}, {state})",
            make("F", f),
            md(&s(f, "level").to_uppercase()),
            w.when(f, "raised_at")
        ));
        for ev in events.iter().filter(|e| id(e, "flag_id") == id(f, "id")) {
            let extra: Vec<String> = ["level", "source", "reason", "by_whom"]
                .iter()
                .map(|k| s(ev, k))
                .filter(|v| !v.is_empty())
                .map(|v| md(&v))
                .collect();
            w.line(format!("  - {} {}: {}", w.when(ev, "at"), md(&s(ev, "action")), extra.join(", ")));
        }
    }
    for a in &alerts {
        let ack = if s(a, "acknowledged_at").is_empty() {
            "NOT acknowledged".to_string()
        } else {
            format!(
                "Acknowledged {} by {}: {}",
                w.when(a, "acknowledged_at"),
                md(&s(a, "ack_by")),
                md(&s(a, "ack_note"))
            )
        };
        w.line(format!(
            "- Alert {} from SC-{}, raised {}: {}",
            make("AL", a),
            id(a, "screening_id").unwrap_or(0),
            w.when(a, "raised_at"),
            md(&s(a, "message"))
        ));
        w.line(format!("  - {ack}"));
    }
}

fn people(w: &mut W<'_>) {
    let people: Vec<Row> = w.rows("people").iter().filter(|p| !yes(p, "is_self")).cloned().collect();
    if people.is_empty() {
        return;
    }
    w.heading(2, "People around the client");
    w.line("| Ref | Name | Relation | Role, organisation | Phone | Email | Household | Tie |");
    w.line("|---|---|---|---|---|---|---|---|");
    for p in &people {
        let role = [s(p, "role"), s(p, "organisation")]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let tie = [s(p, "tie_strength"), s(p, "support_flow")]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        w.line(format!(
            "| {} | {}{} | {} | {} | {} | {} | {} | {} |",
            make("P", p),
            md(&s(p, "name")),
            if yes(p, "deceased") { " (deceased)" } else { "" },
            md(&s(p, "relation")),
            md(&role),
            md(&s(p, "phone")),
            md(&s(p, "email")),
            if yes(p, "in_household") { "yes" } else { "" },
            md(&tie)
        ));
    }
    for p in &people {
        if !s(p, "notes").trim().is_empty() {
            w.line(format!("- {} {}: {}", make("P", p), md(&s(p, "name")), md(&s(p, "notes"))));
        }
    }
}

fn assessments(w: &mut W<'_>) {
    let list = w.rows("assessments").to_vec();
    if list.is_empty() {
        return;
    }
    w.heading(2, "Assessments");
    let needs = w.rows("assessment_needs").to_vec();
    let ratings = w.rows("domain_ratings").to_vec();
    for a in &list {
        w.heading(3, &format!("{} of {}", make("A", a), day(a, "assessed_on")));
        for (col, label) in [
            ("strengths", "Strengths and resources"),
            ("needs_narrative", "Presenting needs"),
            ("barriers", "Barriers"),
            ("family_history", "Family history and household"),
            ("medical_history", "Medical and mental health history"),
            ("medications", "Medications"),
            ("providers", "Providers"),
            ("socioeconomic", "Income, work, education, debts"),
            ("cultural", "Culture, faith and values"),
            ("living_situation", "Living situation"),
        ] {
            w.text(label, &s(a, col));
        }
        let mine: Vec<&Row> = needs.iter().filter(|n| id(n, "assessment_id") == id(a, "id")).collect();
        if !mine.is_empty() {
            w.blank();
            w.line("Needs:");
            w.blank();
            for n in mine {
                w.line(format!("- {}: {}", md(&s(n, "life_domain")), md(&s(n, "text"))));
            }
        }
        let mine: Vec<&Row> = ratings.iter().filter(|n| id(n, "assessment_id") == id(a, "id")).collect();
        if !mine.is_empty() {
            w.blank();
            let r: Vec<String> =
                mine.iter().map(|r| format!("{} {}", md(&s(r, "life_domain")), s(r, "rating"))).collect();
            w.line(format!("Domain ratings (1 critical to 4 good): {}", r.join(", ")));
        }
        let mut risk = Vec::new();
        for (area, label) in [
            ("risk_self", "Risk to self"),
            ("risk_from_others", "Risk from others"),
            ("risk_to_others", "Risk to others"),
            ("safeguarding", "Safeguarding"),
        ] {
            let level = s(a, &format!("{area}_level"));
            let plan = s(a, &format!("{area}_plan"));
            if !level.is_empty() || !plan.is_empty() {
                let plan = if plan.is_empty() { String::new() } else { format!("; plan: {}", md(&plan)) };
                risk.push(format!(
                    "- {label}: {}{plan}",
                    if level.is_empty() { "not assessed".into() } else { md(&level) }
                ));
            }
        }
        if !risk.is_empty() {
            w.blank();
            w.line("Risk and safety:");
            w.blank();
            for r in risk {
                w.line(r);
            }
        }
    }
}

fn screeners(w: &mut W<'_>) {
    let list = w.rows("screenings").to_vec();
    if list.is_empty() {
        return;
    }
    w.heading(2, "Screeners");
    w.line("| Date | Ref | Screener | Result | Note |");
    w.line("|---|---|---|---|---|");
    for sc in &list {
        let name = crate::domain::instruments::short_name_of(&s(sc, "instrument_id")).to_string();
        let result = match serde_json::from_str::<crate::domain::instruments::ScoreResult>(&s(sc, "result")) {
            Ok(r) => crate::store::screenings::summary(&r),
            Err(_) => s(sc, "total"),
        };
        let error = if s(sc, "error_at").is_empty() {
            String::new()
        } else {
            format!(" ENTERED IN ERROR: {}", s(sc, "error_reason"))
        };
        w.line(format!(
            "| {} | {} | {} | {}{} | {} |",
            day(sc, "administered_on"),
            make("SC", sc),
            md(&name),
            md(&result),
            md(&error),
            md(&s(sc, "note"))
        ));
    }
    let ids: Vec<String> = list.iter().map(|sc| s(sc, "instrument_id")).collect();
    let attribution = crate::domain::instruments::attribution_for(ids.iter().map(String::as_str));
    for a in attribution {
        w.blank();
        w.line(format!("_{}_", md(a)));
    }
}

fn plan(w: &mut W<'_>) {
    let goals = w.rows("goals").to_vec();
    let reviews = w.rows("plan_reviews").to_vec();
    let evaluations = w.rows("evaluations").to_vec();
    if goals.is_empty() && reviews.is_empty() && evaluations.is_empty() {
        return;
    }
    w.heading(2, "Case plan");
    let steps = w.rows("goal_steps").to_vec();
    let progress = w.rows("goal_progress").to_vec();
    let changes = w.rows("goal_changes").to_vec();
    for g in &goals {
        w.heading(3, &format!("Goal {}: {}", make("G", g), md(&s(g, "statement"))));
        let measure = if s(g, "measure_kind") == "milestone" {
            format!("milestone: {}", s(g, "measure_what"))
        } else {
            format!(
                "{}: {} to {} {}",
                s(g, "measure_what"),
                num(g, "baseline"),
                num(g, "target"),
                s(g, "measure_unit")
            )
        };
        let status = s(g, "status");
        let status = status
            .parse::<crate::domain::goal::GoalStatus>()
            .map(|x| x.label().to_string())
            .unwrap_or(status);
        let achievement = s(g, "achievement");
        let achievement = achievement
            .parse::<crate::domain::goal::Achievement>()
            .map(|x| x.label().to_lowercase())
            .unwrap_or(achievement);
        w.item("Status", &format!("{status}; achievement: {achievement}"));
        w.item("Outcome at the last evaluation", &s(g, "outcome"));
        w.item("Measure", measure.trim());
        w.item("From and target date", &format!("{} to {}", day(g, "start_on"), day(g, "target_on")));
        w.item("Priority, term", &format!("{}, {}", s(g, "priority"), s(g, "term")));
        w.item("Life domain", &s(g, "life_domain"));
        w.item("Need it answers", &s(g, "need_text"));
        w.item("Who agreed", &s(g, "who_agreed"));
        w.item("Why it matters", &s(g, "why_it_matters"));
        let mine: Vec<&Row> = steps.iter().filter(|x| id(x, "goal_id") == id(g, "id")).collect();
        if !mine.is_empty() {
            w.blank();
            w.line("Steps:");
            w.blank();
            for st in mine {
                let done = if s(st, "done_on").is_empty() { " ".to_string() } else { "x".to_string() };
                let mut about = Vec::new();
                let owner = [s(st, "owner_kind"), s(st, "owner_name")]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !owner.is_empty() {
                    about.push(md(&owner));
                }
                if !s(st, "due_on").is_empty() {
                    about.push(format!("due {}", day(st, "due_on")));
                }
                if !s(st, "done_on").is_empty() {
                    about.push(format!("done {}", day(st, "done_on")));
                }
                let about = if about.is_empty() { String::new() } else { format!(" ({})", about.join(", ")) };
                w.line(format!("- [{done}] {}{about}", md(&s(st, "text"))));
            }
        }
        let mine: Vec<&Row> = progress.iter().filter(|x| id(x, "goal_id") == id(g, "id")).collect();
        if !mine.is_empty() {
            w.blank();
            w.line("Progress:");
            w.blank();
            for p in mine {
                let note = if s(p, "note").is_empty() {
                    String::new()
                } else {
                    format!(" — {}", md(&s(p, "note")))
                };
                let value = format!("{} {}", num(p, "value"), md(&s(g, "measure_unit")));
                w.line(format!("- {}: {}{note}", day(p, "on_day"), value.trim()));
            }
        }
        let mine: Vec<&Row> = changes.iter().filter(|x| id(x, "goal_id") == id(g, "id")).collect();
        if !mine.is_empty() {
            w.blank();
            w.line("History:");
            w.blank();
            for ch in mine {
                let from = s(ch, "from_value");
                let change = if from.is_empty() {
                    md(&s(ch, "to_value"))
                } else {
                    format!("{} to {}", md(&from), md(&s(ch, "to_value")))
                };
                let reason = if s(ch, "reason").is_empty() {
                    String::new()
                } else {
                    format!(": {}", md(&s(ch, "reason")))
                };
                let by = if s(ch, "by_whom").is_empty() {
                    String::new()
                } else {
                    format!(" ({})", md(&s(ch, "by_whom")))
                };
                w.line(format!("- {} {} {change}{reason}{by}", day(ch, "on_day"), md(&s(ch, "what"))));
            }
        }
    }
    if !reviews.is_empty() {
        w.heading(3, "Plan reviews");
        for r in &reviews {
            let held = if s(r, "held_on").is_empty() {
                format!("due {}, not yet held", day(r, "due_on"))
            } else {
                format!("held {}", day(r, "held_on"))
            };
            let by = if s(r, "by_whom").is_empty() {
                String::new()
            } else {
                format!(" by {}", md(&s(r, "by_whom")))
            };
            let summary = if s(r, "summary").is_empty() {
                String::new()
            } else {
                format!(": {}", md(&s(r, "summary")))
            };
            w.line(format!("- {held}{by}{summary}"));
        }
    }
    if !evaluations.is_empty() {
        w.heading(3, "Evaluations");
        let outcomes = w.rows("evaluation_outcomes").to_vec();
        for e in &evaluations {
            let sat = if s(e, "satisfaction").is_empty() {
                String::new()
            } else {
                format!(", satisfaction {} of 5", s(e, "satisfaction"))
            };
            w.line(format!(
                "- {} on {} (at {}){sat}",
                make("EV", e),
                day(e, "evaluated_on"),
                md(&s(e, "occasion"))
            ));
            for o in outcomes.iter().filter(|o| id(o, "evaluation_id") == id(e, "id")) {
                w.line(format!("  - G-{}: {}", id(o, "goal_id").unwrap_or(0), md(&s(o, "outcome"))));
            }
            if !s(e, "feedback").is_empty() {
                w.line(format!("  - Client's comment: {}", md(&s(e, "feedback"))));
            }
            if !s(e, "helped").is_empty() {
                w.line(format!("  - What helped, or didn't: {}", md(&s(e, "helped"))));
            }
        }
    }
}

/// A stored referral status in words ("in-service" → "In service").
fn referral_status(v: &str) -> String {
    v.parse::<crate::domain::referral::ReferralStatus>()
        .map(|s| s.label().to_string())
        .unwrap_or_else(|_| md(v))
}

fn referrals(w: &mut W<'_>) {
    let referrals = w.rows("referrals").to_vec();
    if referrals.is_empty() {
        return;
    }
    let events = w.rows("referral_events").to_vec();
    let appointments = w.rows("appointments").to_vec();
    w.heading(2, "Referrals");
    for r in &referrals {
        let need =
            if s(r, "need").is_empty() { String::new() } else { format!(" for {}", md(&s(r, "need"))) };
        w.heading(3, &format!("Referral {} to {}{need}", make("R", r), md(&s(r, "provider"))));
        w.line(format!("- Status: {} since {}", referral_status(&s(r, "status")), day(r, "status_since")));
        let urgency = s(r, "urgency");
        let urgency = urgency
            .parse::<crate::domain::referral::Urgency>()
            .map(|u| u.label().to_string())
            .unwrap_or(urgency);
        w.item("Urgency", &urgency);
        w.item("How it was made", &s(r, "method"));
        w.item("Contact at the provider", &s(r, "contact_name"));
        w.item("Information shared", &s(r, "info_shared"));
        if let Some(c) = id(r, "consent_id") {
            w.line(format!("- Sent under consent RI-{c}"));
        }
        if !s(r, "sent_on").is_empty() {
            w.line(format!("- Sent: {}", day(r, "sent_on")));
        }
        if !s(r, "follow_up_on").is_empty() {
            w.line(format!("- Follow up: {}", day(r, "follow_up_on")));
        }
        w.item("Outcome", &s(r, "outcome"));
        let mine: Vec<&Row> = events.iter().filter(|e| id(e, "referral_id") == id(r, "id")).collect();
        if !mine.is_empty() {
            w.line("- History:");
            for e in mine {
                let from = s(e, "from_status");
                let about_appointment = matches!(s(e, "kind").as_str(), "appointment" | "consent");
                let what = if about_appointment {
                    String::new()
                } else if from.is_empty() {
                    referral_status(&s(e, "to_status"))
                } else if from == "no-response" && s(e, "to_status") != "no-response" {
                    format!("Reopened after no response → {}", referral_status(&s(e, "to_status")))
                } else {
                    format!("{} → {}", referral_status(&from), referral_status(&s(e, "to_status")))
                };
                let mut words: Vec<String> = Vec::new();
                for col in ["reason", "note"] {
                    if !s(e, col).trim().is_empty() {
                        words.push(md(&s(e, col)));
                    }
                }
                let words = match (words.is_empty(), about_appointment) {
                    (true, _) => String::new(),
                    (false, true) => words.join("; "),
                    (false, false) => format!(": {}", words.join("; ")),
                };
                let by = if s(e, "by_whom").is_empty() {
                    String::new()
                } else {
                    format!(" ({})", md(&s(e, "by_whom")))
                };
                w.line(format!("  - {} {what}{words}{by}", day(e, "on_date")));
            }
        }
        for a in appointments.iter().filter(|a| id(a, "referral_id") == id(r, "id")) {
            let place =
                if s(a, "place").is_empty() { String::new() } else { format!(" at {}", md(&s(a, "place"))) };
            let transport = match s(a, "transport").as_str() {
                "yes" if s(a, "transport_how").is_empty() => ", transport arranged".to_string(),
                "yes" => format!(", transport: {}", md(&s(a, "transport_how"))),
                "no" => ", no transport needed".to_string(),
                _ => String::new(),
            };
            w.line(format!("- Appointment {}{place}{transport}", w.when(a, "at")));
        }
        w.text("Notes", &s(r, "notes"));
    }
}

fn coordination(w: &mut W<'_>) {
    let consents = w.rows("consents").to_vec();
    let reliances = w.rows("consent_reliances").to_vec();
    let conferences = w.rows("conferences").to_vec();
    let actions = w.rows("action_items").to_vec();
    let transitions = w.rows("transitions").to_vec();
    let advocacy = w.rows("advocacy_items").to_vec();
    let reports = w.rows("mandated_reports").to_vec();
    if consents.is_empty()
        && conferences.is_empty()
        && actions.is_empty()
        && transitions.is_empty()
        && advocacy.is_empty()
        && reports.is_empty()
    {
        return;
    }
    w.heading(2, "Coordination and advocacy");
    if !consents.is_empty() {
        w.heading(3, "Consents to share information");
        for c in &consents {
            let mut state = Vec::new();
            if !s(c, "signed_on").is_empty() {
                state.push(format!("signed {}", day(c, "signed_on")));
            }
            if !s(c, "expires_on").is_empty() {
                state.push(format!("valid until {}", day(c, "expires_on")));
            }
            if !s(c, "revoked_on").is_empty() {
                state.push(format!("withdrawn {} ({})", day(c, "revoked_on"), md(&s(c, "revoked_reason"))));
            }
            if !s(c, "lapsed_on").is_empty() {
                state.push(format!("not renewed {}", day(c, "lapsed_on")));
            }
            let covers =
                if s(c, "covers").is_empty() { "everything".to_string() } else { md(&s(c, "covers")) };
            w.line(format!(
                "- {} to {}, covering {covers}: {}",
                make("RI", c),
                md(&s(c, "to_name")),
                state.join(", ")
            ));
            // what relied on it when it was withdrawn, and whether they were told
            for r in reliances.iter().filter(|r| id(r, "consent_id") == id(c, "id")) {
                let done = if s(r, "done_on").is_empty() {
                    "not yet done".to_string()
                } else {
                    format!("done {}", day(r, "done_on"))
                };
                w.line(format!("  - {} ({done})", md(&s(r, "what"))));
            }
        }
    }
    let attendees = w.rows("conference_attendees").to_vec();
    for cf in &conferences {
        w.heading(3, &format!("Case conference {} on {}", make("CC", cf), w.when(cf, "held_at")));
        let names: Vec<String> = attendees
            .iter()
            .filter(|a| id(a, "conference_id") == id(cf, "id"))
            .map(|a| md(&s(a, "name")))
            .collect();
        if !names.is_empty() {
            w.line(format!("- Attendees: {}", names.join(", ")));
        }
        w.item("Purpose", &s(cf, "purpose"));
        w.text("Agenda", &s(cf, "agenda"));
        w.text("Minutes", &s(cf, "minutes"));
        w.text("Decisions", &s(cf, "decisions"));
        for a in actions.iter().filter(|a| id(a, "conference_id") == id(cf, "id")) {
            action_line(w, a);
        }
    }
    let loose: Vec<Row> = actions.iter().filter(|a| id(a, "conference_id").is_none()).cloned().collect();
    if !loose.is_empty() {
        w.heading(3, "Action items");
        for a in &loose {
            action_line(w, a);
        }
    }
    if !transitions.is_empty() {
        w.heading(3, "Transitions between services");
        for t in &transitions {
            let follow = if s(t, "follow_up_on").is_empty() {
                String::new()
            } else if s(t, "follow_up_done").is_empty() {
                format!("; follow-up due {}", day(t, "follow_up_on"))
            } else {
                format!("; followed up {}", day(t, "follow_up_done"))
            };
            w.line(format!(
                "- {} {} on {}: {} to {}{follow}",
                make("TR", t),
                md(crate::domain::coordination::transition_label(&s(t, "kind"))),
                day(t, "on_date"),
                md(&s(t, "from_service")),
                md(&s(t, "to_service"))
            ));
            if !s(t, "handed_over").is_empty() {
                w.line(format!("  - Handed over: {}", md(&s(t, "handed_over"))));
            }
        }
    }
    let adv_actions = w.rows("advocacy_actions").to_vec();
    for a in &advocacy {
        w.heading(3, &format!("Advocacy {} with {}", make("AD", a), md(&s(a, "target"))));
        w.item("Barrier", &s(a, "barrier"));
        w.item("Opened", &day(a, "opened_on"));
        w.item("Deadline", &day(a, "deadline"));
        if s(a, "closed_on").is_empty() {
            w.line("- Still open");
        } else {
            w.line(format!("- Closed {}: {}", day(a, "closed_on"), md(&s(a, "outcome"))));
        }
        for x in adv_actions.iter().filter(|x| id(x, "item_id") == id(a, "id")) {
            w.line(format!("  - {}: {}", day(x, "on_date"), md(&s(x, "action"))));
        }
    }
    let addenda = w.rows("mandated_report_addenda").to_vec();
    for r in &reports {
        w.heading(
            3,
            &format!(
                "Mandated report {}: {} to {}",
                make("MR", r),
                md(label_or(crate::domain::coordination::MANDATED_KINDS, &s(r, "kind"))),
                md(&s(r, "agency"))
            ),
        );
        w.item("Reported", &w.when(r, "reported_at"));
        w.item("Reference number", &s(r, "reference_number"));
        w.item("Reported by", &s(r, "reported_by"));
        w.text("What was reported", &s(r, "what_reported"));
        for a in addenda.iter().filter(|a| id(a, "report_id") == id(r, "id")) {
            let head = format!("Addendum {} by {}", w.when(a, "written_at"), s(a, "written_by"));
            w.text(&md(&head), &s(a, "body"));
        }
    }
}

fn action_line(w: &mut W<'_>, a: &Row) {
    let state = if s(a, "done_on").is_empty() {
        if s(a, "due_on").is_empty() {
            "open".to_string()
        } else {
            format!("due {}", day(a, "due_on"))
        }
    } else {
        format!("done {}", day(a, "done_on"))
    };
    let owner = if s(a, "owner").is_empty() { String::new() } else { format!("{}: ", md(&s(a, "owner"))) };
    w.line(format!("- Action {} {owner}{} ({state})", make("AI", a), md(&s(a, "text"))));
}

fn notes(w: &mut W<'_>) -> Result<()> {
    let count = w.long.note_count();
    w.heading(2, &format!("Case notes ({count})"));
    if count == 0 {
        w.line("No notes in this copy.");
        return Ok(());
    }
    let long = w.long;
    long.each_note(&mut |n, addenda| {
        note(w, n, addenda);
        w.still_writing()
    })
}

fn note(w: &mut W<'_>, n: &Row, addenda: &[Row]) {
    let kind =
        crate::domain::note::ContactType::parse(&s(n, "contact_type")).map(|k| k.label()).unwrap_or("note");
    let minutes = id(n, "duration_minutes").map(|m| format!(" · {m} min")).unwrap_or_default();
    w.heading(3, &format!("{} · {} · {kind}{minutes}", make("N", n), w.when(n, "contact_at")));
    let mut about = Vec::new();
    if !s(n, "participants").is_empty() {
        about.push(format!("Participants: {}", md(&s(n, "participants"))));
    }
    if !s(n, "location").is_empty() {
        about.push(format!("Location: {}", md(&s(n, "location"))));
    }
    if !s(n, "follow_up_on").is_empty() {
        let done = if s(n, "follow_up_done_at").is_empty() { "" } else { ", done" };
        about.push(format!("Follow-up: {}{done}", day(n, "follow_up_on")));
    }
    if !about.is_empty() {
        w.line(about.join(" · "));
        w.blank();
    }
    if !s(n, "error_at").is_empty() {
        w.line(format!("**ENTERED IN ERROR** on {}: {}", w.when(n, "error_at"), md(&s(n, "error_reason"))));
        w.blank();
    }
    w.quote(&s(n, "body"));
    w.blank();
    let signed = if s(n, "signed_at").is_empty() {
        format!("Written {}; not signed.", w.when(n, "written_at"))
    } else {
        format!(
            "Written {}; signed by {} on {}.",
            w.when(n, "written_at"),
            md(&s(n, "signed_by")),
            w.when(n, "signed_at")
        )
    };
    w.line(signed);
    for a in addenda {
        let by = if s(a, "written_by").is_empty() {
            String::new()
        } else {
            format!(" by {}", md(&s(a, "written_by")))
        };
        w.blank();
        w.line(format!("*Addendum {}{by}:*", w.when(a, "written_at")));
        w.blank();
        w.quote(&s(a, "body"));
    }
}

fn history(w: &mut W<'_>) -> Result<()> {
    let long = w.long;
    let mut first = true;
    long.each_event(&mut |e| {
        if std::mem::take(&mut first) {
            w.heading(2, "History");
        }
        w.line(format!("- {} {}", w.when(e, "occurred_at"), md(&s(e, "summary"))));
        w.still_writing()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::file::{NotesIncluded, FORMAT, FORMAT_VERSION};

    fn row(pairs: &[(&str, serde_json::Value)]) -> Row {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    fn doc(tables: Vec<(&str, Vec<Row>)>) -> ClientFileDoc {
        ClientFileDoc {
            head: crate::export::file::FileHead {
                format: FORMAT.into(),
                format_version: FORMAT_VERSION,
                schema_version: 8,
                app_version: "0.1.0".into(),
                exported_at: "2026-11-23T10:00:00Z".into(),
                exported_by: String::new(),
                client: "C-0007".into(),
                notes: NotesIncluded { entered_in_error: true, ..Default::default() },
            },
            tables: tables.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }
    }

    /// A kind of record this renderer has no section for (from a newer version) is still in
    /// the printed file, field by field.
    #[test]
    fn tables_without_a_section_are_printed_field_by_field() {
        let d = doc(vec![
            ("clients", vec![row(&[("given_name", "Ada".into()), ("family_name", "Example".into())])]),
            (
                "home_visits",
                vec![row(&[
                    ("id", 4.into()),
                    ("client_id", 7.into()),
                    ("status", "in-service".into()),
                    ("provider", "Food bank | *main*".into()),
                ])],
            ),
        ]);
        let md = file_markdown(&d, &MdContext { retention_years: 7, offset_secs: 0 });
        assert!(md.contains("## Other records: home visits"), "{md}");
        assert!(md.contains("- id: 4; provider: Food bank \\| \\*main\\*; status: in-service"), "{md}");
        assert!(!md.contains("client id"), "the client's number in this database is left out");
    }

    /// Referrals have their section: where each stands, its history of moves with the reasons,
    /// the appointments arranged.
    #[test]
    fn referrals_are_printed_with_their_history_and_appointments() {
        let d = doc(vec![
            ("clients", vec![row(&[("given_name", "Ada".into()), ("family_name", "Example".into())])]),
            (
                "referrals",
                vec![row(&[
                    ("id", 4.into()),
                    ("status", "declined".into()),
                    ("status_since", "2026-11-10".into()),
                    ("provider", "Northside Food Bank".into()),
                    ("need", "food parcels".into()),
                    ("urgency", "urgent".into()),
                    ("outcome", "Outside their area".into()),
                ])],
            ),
            (
                "referral_events",
                vec![
                    row(&[
                        ("referral_id", 4.into()),
                        ("on_date", "2026-11-02".into()),
                        ("to_status", "draft".into()),
                        ("by_whom", "Sam Worker".into()),
                    ]),
                    row(&[
                        ("referral_id", 4.into()),
                        ("on_date", "2026-11-10".into()),
                        ("from_status", "sent".into()),
                        ("to_status", "declined".into()),
                        ("reason", "Outside their area".into()),
                    ]),
                    row(&[
                        ("referral_id", 4.into()),
                        ("on_date", "2026-11-10".into()),
                        ("from_status", "declined".into()),
                        ("to_status", "declined".into()),
                        ("kind", "appointment".into()),
                        ("note", "Appointment removed: 2026-11-13 09:00".into()),
                    ]),
                ],
            ),
            (
                "appointments",
                vec![row(&[
                    ("referral_id", 4.into()),
                    ("at", "2026-11-12T09:30:00Z".into()),
                    ("place", "Main hall".into()),
                    ("transport", "yes".into()),
                    ("transport_how", "bus pass".into()),
                ])],
            ),
        ]);
        let md = file_markdown(&d, &MdContext { retention_years: 7, offset_secs: 0 });
        assert!(md.contains("### Referral R-4 to Northside Food Bank for food parcels"), "{md}");
        assert!(md.contains("- Status: Declined by provider since 2026-11-10"), "{md}");
        assert!(md.contains("  - 2026-11-02 Draft (Sam Worker)"), "{md}");
        assert!(md.contains("  - 2026-11-10 Sent → Declined by provider: Outside their area"), "{md}");
        assert!(md.contains("- Appointment 2026-11-12 09:30 at Main hall, transport: bus pass"), "{md}");
        assert!(md.contains("  - 2026-11-10 Appointment removed: 2026-11-13 09:00"), "{md}");
        assert!(!md.contains("Other records"), "{md}");
    }

    #[test]
    fn client_text_cannot_break_the_markdown_or_the_terminal() {
        let d = doc(vec![(
            "clients",
            vec![row(&[
                ("given_name", "# Ada\u{1b}[2J".into()),
                ("family_name", "<b>Ex</b>".into()),
                ("referral_reason", "line one\n## not a heading\n> quote".into()),
            ])],
        )]);
        let md = file_markdown(&d, &MdContext { retention_years: 7, offset_secs: 0 });
        assert!(md.starts_with("# Client file: \\# Ada\\[2J \\<b\\>Ex\\</b\\> (C-0007)"), "{md}");
        assert!(!md.contains('\u{1b}'));
        assert!(md.contains("> \\#\\# not a heading") && md.contains("> \\> quote"), "{md}");
    }
}
