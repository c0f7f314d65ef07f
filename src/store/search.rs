//! Full-text search over everything written about clients (SQLite FTS5), and the timeline.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::{Result, Store};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, Stamp};
use crate::domain::record::{RecordKind, SearchKind};
use crate::domain::search::{fts_query, HIT_END, HIT_START};

/// How many of the most recent matches are ranked (see `Store::search`).
pub const RANK_WINDOW: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// What was found: a note, an addendum, a goal's notes, ...
    pub kind: SearchKind,
    /// The record to open: a note's ref for notes and addenda.
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub record_id: i64,
    #[serde(skip)]
    pub client_id: Option<i64>,
    pub client: Option<String>,
    pub client_name: String,
    /// When the record happened (None: stored text that is neither a moment nor a day).
    pub occurred_at: Option<Stamp>,
    /// The matching passage; hits are marked with \u{2}…\u{3} (see `domain::search`).
    pub snippet: String,
    /// For a hit in a goal's steps: the step whose words matched (opening the hit selects it).
    #[serde(skip)]
    pub step_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    pub client_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub prefix_last: bool,
}

impl Store {
    /// Ranked matches (best first). Text that is not valid FTS syntax is searched as plain
    /// words; nothing typed can cause an error.
    pub fn search(&self, text: &str, filter: &SearchFilter, limit: usize) -> Result<Vec<SearchHit>> {
        self.search_ranked(text, filter, limit as i64, RANK_WINDOW - 1)
    }

    /// Every match, best first, with no window (`caseload search --json`: lists are complete).
    pub fn search_all(&self, text: &str, filter: &SearchFilter) -> Result<Vec<SearchHit>> {
        // LIMIT -1 is no limit; an OFFSET past the end leaves the window's floor at 0
        self.search_ranked(text, filter, -1, i64::MAX)
    }

    fn search_ranked(
        &self,
        text: &str,
        filter: &SearchFilter,
        limit: i64,
        window_offset: i64,
    ) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(text, filter.prefix_last) else { return Ok(Vec::new()) };
        // Unset bounds are NULL so SQLite skips the comparison: the client and date columns are
        // not in the full-text index, and reading them for every match costs more than the search.
        let from = filter.from.map(format_date);
        // `to` is inclusive: anything before the next day
        let to = filter.to.and_then(|d| d.succ_opt()).map(format_date);
        // Ranking (bm25) costs time for every match, so a word found in hundreds of thousands
        // of notes is ranked among its RANK_WINDOW most recent matches: those are found by
        // walking the index newest first, which FTS5 does without touching the rest.
        let mut stmt = self.conn.prepare_cached(
            "WITH hits AS (SELECT rowid AS rid, kind, record_id, client_id, occurred_at, \
             snippet(search_index, 0, char(2), char(3), '…', 16) AS snip, rank AS score \
             FROM search_index WHERE search_index MATCH ?1 AND (?2 IS NULL OR client_id = ?2) \
             AND (?3 IS NULL OR occurred_at >= ?3) AND (?4 IS NULL OR occurred_at < ?4) \
             AND rowid >= coalesce((SELECT rowid FROM search_index WHERE search_index MATCH ?1 \
                 AND (?2 IS NULL OR client_id = ?2) AND (?3 IS NULL OR occurred_at >= ?3) \
                 AND (?4 IS NULL OR occurred_at < ?4) \
                 ORDER BY rowid DESC LIMIT 1 OFFSET ?6), 0) \
             ORDER BY rank LIMIT ?5) \
             SELECT h.kind, h.record_id, h.client_id, h.occurred_at, h.snip, \
             coalesce(c.given_name || ' ' || c.family_name, '') \
             FROM hits h LEFT JOIN clients c ON c.id = h.client_id ORDER BY h.score",
        )?;
        let hits = stmt
            .query_map(params![query, filter.client_id, from, to, limit, window_offset], |r| {
                // a row of a kind this version does not know is left out
                let Some(kind) = SearchKind::parse(&r.get::<_, String>(0)?) else { return Ok(None) };
                let record_id: i64 = r.get(1)?;
                let client_id: Option<i64> = r.get(2)?;
                Ok(Some(SearchHit {
                    reference: hit_ref(kind, record_id),
                    kind,
                    record_id,
                    client: client_id.map(client_ref),
                    client_id,
                    occurred_at: r.get::<_, Option<String>>(3)?.as_deref().and_then(Stamp::parse),
                    snippet: r.get(4)?,
                    client_name: r.get(5)?,
                    step_id: None,
                }))
            })?
            .filter_map(|h| h.transpose())
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut hits = hits;
        for h in hits.iter_mut().filter(|h| h.kind == SearchKind::GoalNotes) {
            h.step_id = self.step_matching(h.record_id, &h.snippet)?;
        }
        debug_assert!(hits.iter().all(|h| !h.snippet.contains(HIT_START) || h.snippet.contains(HIT_END)));
        Ok(hits)
    }
}

impl Store {
    /// The first of a goal's steps holding a word the snippet marks as a hit (none when the
    /// words were found in its progress notes).
    fn step_matching(&self, goal_id: i64, snippet: &str) -> Result<Option<i64>> {
        let words: Vec<String> = crate::domain::search::snippet_runs(snippet)
            .into_iter()
            .filter(|(_, hit)| *hit)
            .map(|(t, _)| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if words.is_empty() {
            return Ok(None);
        }
        let steps: Vec<(i64, String)> = self
            .steps(goal_id)?
            .into_iter()
            .map(|s| (s.id, format!("{} {}", s.text, s.owner_name).to_lowercase()))
            .collect();
        // the step holding every word found, else the first holding one of them
        let all = steps.iter().find(|(_, t)| words.iter().all(|w| t.contains(w.as_str())));
        let any = || steps.iter().find(|(_, t)| words.iter().any(|w| t.contains(w.as_str())));
        Ok(all.or_else(any).map(|(id, _)| *id))
    }
}

/// The reference a hit shows: the record it opens (a note's for notes and addenda).
fn hit_ref(kind: SearchKind, record_id: i64) -> String {
    use crate::domain::{assessment, closure, coordination, note, people, plan, referral};
    match kind {
        SearchKind::Note | SearchKind::Addendum => note::note_ref(record_id),
        SearchKind::Assessment | SearchKind::Need => assessment::assessment_ref(record_id),
        SearchKind::Screening => assessment::screening_ref(record_id),
        SearchKind::Referral => referral::referral_ref(record_id),
        SearchKind::Goal | SearchKind::GoalNotes => plan::goal_ref(record_id),
        SearchKind::Evaluation => plan::evaluation_ref(record_id),
        SearchKind::Person => people::person_ref(record_id),
        SearchKind::Conference => coordination::conference_ref(record_id),
        SearchKind::Advocacy => coordination::advocacy_ref(record_id),
        SearchKind::MandatedReport => coordination::mandated_ref(record_id),
        SearchKind::Transition => coordination::transition_ref(record_id),
        SearchKind::Closure => closure::closure_ref(record_id),
    }
}

/// One dated line of a client's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub summary: String,
    /// The record the line is about (a note id for notes and addenda), if any.
    #[serde(skip)]
    pub record_id: Option<i64>,
    /// What kind of record `record_id` is (none when this version does not know the word).
    #[serde(skip)]
    pub record_kind: Option<RecordKind>,
    /// Struck through: entered in error.
    pub in_error: bool,
    /// Tie-breaker for keyset paging.
    #[serde(skip)]
    pub seq: i64,
    /// Where the next page starts: the moment as stored, so paging never depends on reading it.
    #[serde(skip)]
    page_key: TimelinePageKey,
}

/// The place of an entry in a client's timeline, newest first (`Store::timeline`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimelinePageKey {
    at: String,
    seq: i64,
}

impl TimelineEntry {
    /// The page after this entry starts below it.
    pub fn page_key(&self) -> TimelinePageKey {
        self.page_key.clone()
    }
}

/// Kinds of timeline entries, for the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimelineFilter {
    #[default]
    All,
    Notes,
    Case,
}

impl TimelineFilter {
    pub fn label(self) -> &'static str {
        match self {
            TimelineFilter::All => "everything",
            TimelineFilter::Notes => "notes and addenda",
            TimelineFilter::Case => "case events (intake, edits, signing, closure)",
        }
    }
    pub fn next(self) -> Self {
        match self {
            TimelineFilter::All => TimelineFilter::Notes,
            TimelineFilter::Notes => TimelineFilter::Case,
            TimelineFilter::Case => TimelineFilter::All,
        }
    }
}

impl Store {
    /// A page of a client's timeline, newest first. `before` is the (occurred_at, seq) of the
    /// last entry of the previous page; each source is read through its (client, date) index.
    pub fn timeline(
        &self,
        client_id: i64,
        filter: TimelineFilter,
        limit: usize,
        before: Option<&TimelinePageKey>,
    ) -> Result<Vec<TimelineEntry>> {
        // the first page starts above any stored text (SQLite compares text byte by byte)
        let (at, seq) = before.map(|k| (k.at.as_str(), k.seq)).unwrap_or(("\u{10FFFF}", i64::MAX));
        let notes = filter != TimelineFilter::Case;
        let events = filter != TimelineFilter::Notes;
        let mut parts = Vec::new();
        if events {
            parts.push(
                "SELECT * FROM (SELECT occurred_at AS at, kind, summary, record_id AS rid, 0 AS err, id * 4 AS seq, \
                 record_kind AS rkind FROM events \
                 WHERE client_id = ?1 AND (occurred_at, id * 4) < (?2, ?3) ORDER BY occurred_at DESC, id DESC LIMIT ?4)",
            );
        }
        if notes {
            parts.push(
                "SELECT * FROM (SELECT contact_at AS at, 'note' AS kind, contact_type || ': ' || substr(body, 1, 300) AS summary, \
                 id AS rid, error_at IS NOT NULL AS err, id * 4 + 1 AS seq, 'note' AS rkind FROM notes \
                 WHERE client_id = ?1 AND (contact_at, id * 4 + 1) < (?2, ?3) ORDER BY contact_at DESC, id DESC LIMIT ?4)",
            );
            parts.push(
                "SELECT * FROM (SELECT a.written_at AS at, 'addendum' AS kind, substr(a.body, 1, 300) AS summary, \
                 a.note_id AS rid, n.error_at IS NOT NULL AS err, a.id * 4 + 2 AS seq, 'note' AS rkind FROM addenda a \
                 JOIN notes n ON n.id = a.note_id WHERE n.client_id = ?1 AND (a.written_at, a.id * 4 + 2) < (?2, ?3) \
                 ORDER BY a.written_at DESC, a.id DESC LIMIT ?4)",
            );
        }
        let sql = format!("{} ORDER BY at DESC, seq DESC LIMIT ?4", parts.join(" UNION ALL "));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![client_id, at, seq, limit as i64], |r| {
                let stored: String = r.get(0)?;
                let seq: i64 = r.get(5)?;
                Ok(TimelineEntry {
                    occurred_at: crate::domain::dates::from_db(&stored).unwrap_or_default(),
                    kind: r.get(1)?,
                    summary: r.get(2)?,
                    record_id: r.get(3)?,
                    in_error: r.get(4)?,
                    seq,
                    record_kind: r.get::<_, Option<String>>(6)?.as_deref().and_then(RecordKind::parse),
                    page_key: TimelinePageKey { at: stored, seq },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
