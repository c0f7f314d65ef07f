//! Assessments: saved whole in one transaction with their needs and ratings; medium or high
//! risk raises flags on the client in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::clients::{current_episode_id, log_record_event, require_client};
use super::safety::raise_flags;
use super::{now_db, Result, Store, StoreError};
use crate::domain::assessment::{assessment_ref, Assessment, Need, Risk, RiskArea, RiskLevel, Section};
use crate::domain::client::client_ref;
use crate::domain::dates::{format_date, parse_ymd};
use crate::domain::record::RecordKind;

/// An assessment as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAssessment {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub client_id: i64,
    pub client: String,
    #[serde(skip)]
    pub episode_id: Option<i64>,
    pub based_on: Option<String>,
    #[serde(skip)]
    pub based_on_id: Option<i64>,
    pub assessment: Assessment,
    pub created_at: String,
    pub updated_at: String,
}

/// One line of a client's list of assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentSummary {
    #[serde(rename = "ref")]
    pub reference: String,
    #[serde(skip)]
    pub id: i64,
    pub assessed_on: NaiveDate,
    pub needs: usize,
    pub empty_parts: usize,
    pub highest_risk: Option<RiskLevel>,
    pub reassessment: bool,
}

/// One assessment's ratings: a column of the domain-rating grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingColumn {
    #[serde(rename = "ref")]
    pub reference: String,
    pub on: NaiveDate,
    pub ratings: Vec<(String, u8)>,
}

/// A need the plan and referrals can answer: from the latest assessment, or a positive
/// social-needs screener domain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentNeed {
    pub life_domain: String,
    pub text: String,
    /// Where it came from: an assessment's or a screening's ref.
    pub source: String,
}

/// The safety plan agreed for one area of risk, and the assessment that recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SafetyPlan {
    pub area: RiskArea,
    pub text: String,
    #[serde(rename = "from")]
    pub assessment: String,
    pub assessed_on: NaiveDate,
}

const COLUMNS: &str =
    "id, client_id, episode_id, assessed_on, based_on, needs_narrative, strengths, barriers, \
    family_history, medical_history, medications, providers, socioeconomic, cultural, living_situation, \
    risk_self_level, risk_self_plan, risk_from_others_level, risk_from_others_plan, risk_to_others_level, \
    risk_to_others_plan, safeguarding_level, safeguarding_plan, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredAssessment> {
    let id: i64 = r.get(0)?;
    let client_id: i64 = r.get(1)?;
    let based_on_id: Option<i64> = r.get(4)?;
    let on: String = r.get(3)?;
    let mut sections = Vec::new();
    for i in 0..Section::ALL.len() {
        sections.push(r.get::<_, String>(5 + i)?);
    }
    let mut risks = Vec::new();
    for i in 0..RiskArea::ALL.len() {
        let level: Option<String> = r.get(15 + 2 * i)?;
        risks.push(Risk { level: level.as_deref().and_then(RiskLevel::parse), plan: r.get(16 + 2 * i)? });
    }
    Ok(StoredAssessment {
        reference: assessment_ref(id),
        id,
        client_id,
        client: client_ref(client_id),
        episode_id: r.get(2)?,
        based_on: based_on_id.map(assessment_ref),
        based_on_id,
        assessment: Assessment {
            assessed_on: parse_ymd(&on).unwrap_or_default(),
            needs: Vec::new(),
            sections,
            risks,
            ratings: Vec::new(),
        },
        created_at: r.get(23)?,
        updated_at: r.get(24)?,
    })
}

fn write_parts(tx: &Transaction<'_>, id: i64, a: &Assessment) -> Result<()> {
    tx.execute("DELETE FROM assessment_needs WHERE assessment_id = ?1", [id])?;
    tx.execute("DELETE FROM domain_ratings WHERE assessment_id = ?1", [id])?;
    for (i, n) in a.needs.iter().enumerate() {
        tx.execute(
            "INSERT INTO assessment_needs (assessment_id, position, life_domain, text) VALUES (?1, ?2, ?3, ?4)",
            params![id, i as i64, n.life_domain, n.text],
        )?;
    }
    for (d, r) in &a.ratings {
        tx.execute(
            "INSERT INTO domain_ratings (assessment_id, life_domain, rating) VALUES (?1, ?2, ?3)",
            params![id, d, r],
        )?;
    }
    Ok(())
}

/// The section and risk columns, in the order `values` gives them.
const BODY_COLUMNS: [&str; 18] = [
    "needs_narrative",
    "strengths",
    "barriers",
    "family_history",
    "medical_history",
    "medications",
    "providers",
    "socioeconomic",
    "cultural",
    "living_situation",
    "risk_self_level",
    "risk_self_plan",
    "risk_from_others_level",
    "risk_from_others_plan",
    "risk_to_others_level",
    "risk_to_others_plan",
    "safeguarding_level",
    "safeguarding_plan",
];

fn values(a: &Assessment) -> Vec<Box<dyn rusqlite::ToSql>> {
    let mut v: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    for s in &a.sections {
        v.push(Box::new(s.clone()));
    }
    for r in &a.risks {
        v.push(Box::new(r.level.map(|l| l.as_str().to_string())));
        v.push(Box::new(r.plan.clone()));
    }
    v
}

impl Store {
    /// Saves a new assessment (a reassessment when `based_on` names the previous one).
    pub fn add_assessment(
        &mut self,
        client_id: i64,
        a: &Assessment,
        based_on: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        check_shape(a)?;
        self.write(|tx| insert_assessment(tx, client_id, a, based_on, now))
    }

    /// Saves changes to an assessment (filling in sections later is normal).
    pub fn update_assessment(&mut self, id: i64, a: &Assessment, now: DateTime<Utc>) -> Result<()> {
        check_shape(a)?;
        let old = self.assessment(id)?;
        let now_s = now_db(now);
        self.write(|tx| {
            let mut params: Vec<Box<dyn rusqlite::ToSql>> =
                vec![Box::new(id), Box::new(format_date(a.assessed_on))];
            params.extend(values(a));
            params.push(Box::new(now_s.clone()));
            let sets: Vec<String> =
                BODY_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 3)).collect();
            tx.execute(
                &format!(
                    "UPDATE assessments SET assessed_on = ?2, {}, updated_at = ?{} WHERE id = ?1",
                    sets.join(", "),
                    params.len()
                ),
                rusqlite::params_from_iter(params.iter().map(|b| b.as_ref())),
            )?;
            write_parts(tx, id, a)?;
            let occurred = crate::domain::dates::moment_of_day(a.assessed_on, now);
            log_record_event(
                tx,
                old.client_id,
                &now_s,
                &now_s,
                "assessment",
                &format!("Assessment {} edited", assessment_ref(id)),
                Some((RecordKind::Assessment, id)),
            )?;
            raise_flags(tx, old.client_id, &a.flagged_areas(), &assessment_ref(id), &occurred, &now_s)?;
            Ok(())
        })
    }

    pub fn assessment(&self, id: i64) -> Result<StoredAssessment> {
        let mut a = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM assessments WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("There is no assessment {}.", assessment_ref(id))))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT life_domain, text FROM assessment_needs WHERE assessment_id = ?1 ORDER BY position",
        )?;
        a.assessment.needs = stmt
            .query_map([id], |r| Ok(Need { life_domain: r.get(0)?, text: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        a.assessment.ratings = self.ratings_of(id)?;
        Ok(a)
    }

    fn ratings_of(&self, id: i64) -> Result<Vec<(String, u8)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT life_domain, rating FROM domain_ratings WHERE assessment_id = ?1")?;
        let mut out: Vec<(String, u8)> =
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let order = |d: &str| crate::domain::instruments::LIFE_DOMAINS.iter().position(|x| *x == d);
        out.sort_by_key(|(d, _)| order(d));
        Ok(out)
    }

    /// A client's assessments, newest first.
    pub fn assessments(&self, client_id: i64) -> Result<Vec<AssessmentSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM assessments WHERE client_id = ?1 ORDER BY assessed_on DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt.query_map([client_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let a = self.assessment(id)?;
            out.push(AssessmentSummary {
                reference: a.reference.clone(),
                id,
                assessed_on: a.assessment.assessed_on,
                needs: a.assessment.needs.len(),
                empty_parts: a.assessment.empty_parts().len(),
                highest_risk: a.assessment.risks.iter().filter_map(|r| r.level).max(),
                reassessment: a.based_on_id.is_some(),
            });
        }
        Ok(out)
    }

    /// The newest assessment of a client, if any.
    pub fn latest_assessment(&self, client_id: i64) -> Result<Option<StoredAssessment>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM assessments WHERE client_id = ?1 ORDER BY assessed_on DESC, id DESC LIMIT 1",
                [client_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.assessment(id)).transpose()
    }

    /// The assessment before this one (by date) for the same client: what changes compare with.
    pub fn previous_assessment(&self, id: i64) -> Result<Option<StoredAssessment>> {
        let a = self.assessment(id)?;
        let prev: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM assessments WHERE client_id = ?1 AND (assessed_on, id) < (?2, ?3) \
                 ORDER BY assessed_on DESC, id DESC LIMIT 1",
                params![a.client_id, format_date(a.assessment.assessed_on), id],
                |r| r.get(0),
            )
            .optional()?;
        prev.map(|p| self.assessment(p)).transpose()
    }

    /// Domain ratings across a client's assessments, oldest first (the grid's columns).
    pub fn rating_grid(&self, client_id: i64, limit: usize) -> Result<Vec<RatingColumn>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, assessed_on FROM assessments a WHERE client_id = ?1 \
             AND EXISTS (SELECT 1 FROM domain_ratings d WHERE d.assessment_id = a.id) \
             ORDER BY assessed_on DESC, id DESC LIMIT ?2",
        )?;
        let rows: Vec<(i64, String)> = stmt
            .query_map(params![client_id, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (id, on) in rows.into_iter().rev() {
            out.push(RatingColumn {
                reference: assessment_ref(id),
                on: parse_ymd(&on).unwrap_or_default(),
                ratings: self.ratings_of(id)?,
            });
        }
        Ok(out)
    }

    /// Needs the plan and referrals can pick from: the latest assessment's needs, then the
    /// positive domains of the latest social-needs screening.
    pub fn current_needs(&self, client_id: i64) -> Result<Vec<CurrentNeed>> {
        let mut out = Vec::new();
        if let Some(a) = self.latest_assessment(client_id)? {
            for n in &a.assessment.needs {
                out.push(CurrentNeed {
                    life_domain: n.life_domain.clone(),
                    text: n.text.clone(),
                    source: a.reference.clone(),
                });
            }
        }
        for (screening, domain, label) in self.positive_need_domains(client_id)? {
            if !out.iter().any(|n| n.life_domain == domain && n.source.starts_with("SC-")) {
                out.push(CurrentNeed { life_domain: domain, text: label, source: screening });
            }
        }
        Ok(out)
    }
}

impl Store {
    /// The safety plan in force for each area of risk: the plan of the latest assessment that
    /// wrote one for that area (areas with none are left out), in `RiskArea::ALL` order.
    pub fn safety_plans(&self, client_id: i64) -> Result<Vec<SafetyPlan>> {
        let mut out = Vec::new();
        for area in RiskArea::ALL {
            let col = area.plan_field();
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id, assessed_on, {col} FROM assessments WHERE client_id = ?1 AND {col} <> '' \
                 ORDER BY assessed_on DESC, id DESC LIMIT 1"
            ))?;
            let row = stmt
                .query_row([client_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)))
                .optional()?;
            if let Some((id, on, text)) = row {
                out.push(SafetyPlan {
                    area,
                    text,
                    assessment: assessment_ref(id),
                    assessed_on: parse_ymd(&on).unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }
}

/// Saves a new assessment inside a transaction (the demo builds many in one).
pub(crate) fn insert_assessment(
    tx: &Transaction<'_>,
    client_id: i64,
    a: &Assessment,
    based_on: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_s = now_db(now);
    require_client(tx, client_id)?;
    if let Some(prev) = based_on {
        let owner: Option<i64> = tx
            .query_row("SELECT client_id FROM assessments WHERE id = ?1", [prev], |r| r.get(0))
            .optional()?;
        if owner != Some(client_id) {
            return Err(StoreError::Refused(format!(
                "Assessment {} is not one of this client's.",
                assessment_ref(prev)
            )));
        }
    }
    let episode = current_episode_id(tx, client_id)?;
    let mut params: Vec<Box<dyn rusqlite::ToSql>> = vec![
        Box::new(client_id),
        Box::new(episode),
        Box::new(format_date(a.assessed_on)),
        Box::new(based_on),
    ];
    params.extend(values(a));
    params.push(Box::new(now_s.clone()));
    let placeholders = (1..=params.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(",");
    tx.execute(
            &format!(
                "INSERT INTO assessments (client_id, episode_id, assessed_on, based_on, {}, created_at, updated_at) \
                 VALUES ({placeholders}, ?{n})",
                BODY_COLUMNS.join(", "),
                n = params.len()
            ),
            rusqlite::params_from_iter(params.iter().map(|b| b.as_ref())),
        )?;
    let id = tx.last_insert_rowid();
    write_parts(tx, id, a)?;
    let what = if based_on.is_some() { "Reassessment" } else { "Assessment" };
    let occurred = crate::domain::dates::moment_of_day(a.assessed_on, now);
    let empty = a.empty_parts().len();
    log_record_event(
        tx,
        client_id,
        &occurred,
        &now_s,
        "assessment",
        &format!(
            "{what} {}: {}{}",
            assessment_ref(id),
            crate::domain::words::count(a.needs.len(), "need", "needs"),
            if empty > 0 {
                format!(", {} still empty", crate::domain::words::count(empty, "part", "parts"))
            } else {
                String::new()
            }
        ),
        Some((RecordKind::Assessment, id)),
    )?;
    raise_flags(tx, client_id, &a.flagged_areas(), &assessment_ref(id), &occurred, &now_s)?;
    Ok(id)
}

/// The shape the store relies on (the domain's validation makes it; a caller could not).
fn check_shape(a: &Assessment) -> Result<()> {
    if a.sections.len() != Section::ALL.len() || a.risks.len() != RiskArea::ALL.len() {
        return Err(StoreError::Refused("An assessment must have every section (empty is fine).".into()));
    }
    if a.ratings.iter().any(|(_, r)| !(1..=4).contains(r)) {
        return Err(StoreError::invalid("ratings", "Ratings go from 1 (critical) to 4 (good)."));
    }
    Ok(())
}
