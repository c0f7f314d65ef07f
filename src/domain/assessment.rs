//! Assessments: dated sections of free text, presenting needs filed under life domains, risk
//! and safety levels with safety-plan notes, and optional 1–4 domain ratings. Pure rules:
//! validation, which sections are empty, and what changed since the previous assessment.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::client::FieldError;
use super::dates::parse_date;
use super::instruments::LIFE_DOMAINS;
use super::text::{clean_line, clean_multiline, MAX_FIELD_CHARS};
use super::words::count;

/// Generic short references: `A-12` for assessments, `SC-7` for screenings, and so on.
pub fn make_ref(prefix: &str, id: i64) -> String {
    format!("{prefix}-{id}")
}

/// Reads `A-12`, `a-12`, `A12` or `12` for prefix `A`.
pub fn parse_ref(prefix: &str, s: &str) -> Option<i64> {
    let s = s.trim();
    let rest = if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        &s[prefix.len()..]
    } else {
        s
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok().filter(|n: &i64| *n > 0)
}

pub fn assessment_ref(id: i64) -> String {
    make_ref("A", id)
}

pub fn screening_ref(id: i64) -> String {
    make_ref("SC", id)
}

pub fn flag_ref(id: i64) -> String {
    make_ref("F", id)
}

pub fn alert_ref(id: i64) -> String {
    make_ref("AL", id)
}

/// The narrative sections of an assessment, in the order the form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Needs,
    Strengths,
    Barriers,
    FamilyHistory,
    MedicalHistory,
    Medications,
    Providers,
    Socioeconomic,
    Cultural,
    LivingSituation,
}

impl Section {
    pub const ALL: [Section; 10] = [
        Section::Needs,
        Section::Strengths,
        Section::Barriers,
        Section::FamilyHistory,
        Section::MedicalHistory,
        Section::Medications,
        Section::Providers,
        Section::Socioeconomic,
        Section::Cultural,
        Section::LivingSituation,
    ];

    /// The order a reader meets the sections on the form, the screen and the export: strengths
    /// first ("before the problems"), then the needs, then the rest. `ALL` is the stored order.
    pub const SHOWN: [Section; 10] = [
        Section::Strengths,
        Section::Needs,
        Section::Barriers,
        Section::FamilyHistory,
        Section::MedicalHistory,
        Section::Medications,
        Section::Providers,
        Section::Socioeconomic,
        Section::Cultural,
        Section::LivingSituation,
    ];

    /// The form field (and column) holding the section's text.
    pub fn field(self) -> &'static str {
        match self {
            Section::Needs => "needs_narrative",
            Section::Strengths => "strengths",
            Section::Barriers => "barriers",
            Section::FamilyHistory => "family_history",
            Section::MedicalHistory => "medical_history",
            Section::Medications => "medications",
            Section::Providers => "providers",
            Section::Socioeconomic => "socioeconomic",
            Section::Cultural => "cultural",
            Section::LivingSituation => "living_situation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Needs => "Presenting needs (narrative)",
            Section::Strengths => "Strengths and resources",
            Section::Barriers => "Barriers",
            Section::FamilyHistory => "Family history",
            Section::MedicalHistory => "Medical and mental health history",
            Section::Medications => "Medications",
            Section::Providers => "Providers",
            Section::Socioeconomic => "Socioeconomic situation",
            Section::Cultural => "Cultural background",
            Section::LivingSituation => "Living situation",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            Section::Needs => "What the client wants help with, in their words.",
            Section::Strengths => "Personal, family and community strengths — before the problems.",
            Section::Barriers => "What stands in the way.",
            Section::FamilyHistory => "Family history and household composition.",
            Section::MedicalHistory => "Physical and mental health history, diagnoses, admissions.",
            Section::Medications => "Current medications and doses, as the client reports them.",
            Section::Providers => "GP, psychiatrist, therapist, specialists — who and how to reach them.",
            Section::Socioeconomic => "Income, benefits, employment, education, debts, insurance.",
            Section::Cultural => "Cultural background, faith, values that matter to the plan.",
            Section::LivingSituation => "Housing type, stability, safety of the home.",
        }
    }
}

/// Risk level of one area; `None` in an `Option` means "not assessed".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskLevel {
    None,
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [RiskLevel::None, RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "MEDIUM",
            RiskLevel::High => "HIGH",
        }
    }

    pub fn parse(s: &str) -> Option<RiskLevel> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "no" | "0" => Some(RiskLevel::None),
            "low" | "1" => Some(RiskLevel::Low),
            "medium" | "moderate" | "2" => Some(RiskLevel::Medium),
            "high" | "3" => Some(RiskLevel::High),
            _ => None,
        }
    }

    /// Medium or high raises a flag on the client.
    pub fn raises_flag(self) -> bool {
        self >= RiskLevel::Medium
    }
}

/// The four areas of risk and safety.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskArea {
    ToSelf,
    FromOthers,
    ToOthers,
    Safeguarding,
}

impl RiskArea {
    pub const ALL: [RiskArea; 4] =
        [RiskArea::ToSelf, RiskArea::FromOthers, RiskArea::ToOthers, RiskArea::Safeguarding];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskArea::ToSelf => "self",
            RiskArea::FromOthers => "from-others",
            RiskArea::ToOthers => "to-others",
            RiskArea::Safeguarding => "safeguarding",
        }
    }

    pub fn parse(s: &str) -> Option<RiskArea> {
        RiskArea::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskArea::ToSelf => "Risk to self",
            RiskArea::FromOthers => "Risk from others",
            RiskArea::ToOthers => "Risk to others",
            RiskArea::Safeguarding => "Safeguarding concern",
        }
    }

    /// A short word for flags on narrow lines.
    pub fn short(self) -> &'static str {
        match self {
            RiskArea::ToSelf => "self",
            RiskArea::FromOthers => "from others",
            RiskArea::ToOthers => "to others",
            RiskArea::Safeguarding => "safeguarding",
        }
    }

    /// Form field ids (and column prefixes) of the level and the plan.
    pub fn level_field(self) -> &'static str {
        match self {
            RiskArea::ToSelf => "risk_self_level",
            RiskArea::FromOthers => "risk_from_others_level",
            RiskArea::ToOthers => "risk_to_others_level",
            RiskArea::Safeguarding => "safeguarding_level",
        }
    }

    pub fn plan_field(self) -> &'static str {
        match self {
            RiskArea::ToSelf => "risk_self_plan",
            RiskArea::FromOthers => "risk_from_others_plan",
            RiskArea::ToOthers => "risk_to_others_plan",
            RiskArea::Safeguarding => "safeguarding_plan",
        }
    }
}

/// Labels of the 1–4 domain ratings (OSCaR style).
pub fn rating_label(r: u8) -> &'static str {
    match r {
        1 => "critical",
        2 => "has a problem",
        3 => "not ideal",
        4 => "good",
        _ => "not rated",
    }
}

/// Form field ids of the domain ratings, in `LIFE_DOMAINS` order.
pub const RATING_FIELDS: [&str; 10] = [
    "rating_housing",
    "rating_food",
    "rating_health",
    "rating_mental_health",
    "rating_safety",
    "rating_income",
    "rating_education",
    "rating_relationships",
    "rating_legal",
    "rating_transport",
];

/// The form field id of a life domain's rating ("rating_mental_health").
pub fn rating_field(domain: &str) -> &'static str {
    LIFE_DOMAINS.iter().position(|d| *d == domain).map(|i| RATING_FIELDS[i]).unwrap_or("ratings")
}

/// A presenting need: a short item filed under a life domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub life_domain: String,
    pub text: String,
}

/// Finds a life domain by what a practitioner might type ("Mental-health", "transportation").
pub fn life_domain(input: &str) -> Option<&'static str> {
    let key: String =
        input.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    let alias = match key.as_str() {
        "transportation" => "transport",
        "mental" | "mh" => "mental health",
        "money" | "finances" | "financial" | "benefits" => "income",
        "family" | "relationship" => "relationships",
        "school" | "work" | "employment" => "education",
        "health care" | "medical" | "physical health" => "health",
        "legal issues" | "justice" => "legal",
        "shelter" | "home" => "housing",
        other => other,
    };
    LIFE_DOMAINS.iter().copied().find(|d| *d == alias)
}

/// Reads needs written one per line as `domain: what the client wants help with`.
/// Blank lines are skipped; a line whose domain is missing or unknown is refused, saying which.
pub fn parse_needs(text: &str) -> Result<Vec<Need>, String> {
    let mut out: Vec<Need> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = clean_line(raw);
        let line = line.trim_start_matches(['-', '*', '•']).trim();
        if line.is_empty() {
            continue;
        }
        let Some((domain, what)) = line.split_once(':') else {
            return Err(format!(
                "Line {}: start with its life domain and a colon, e.g. \"housing: {}\".",
                i + 1,
                crate::domain::text::fit(line, 30)
            ));
        };
        let Some(d) = life_domain(domain) else {
            return Err(format!(
                "Line {}: \"{}\" is not a life domain. Use one of: {}.",
                i + 1,
                crate::domain::text::fit(domain.trim(), 20),
                LIFE_DOMAINS.join(", ")
            ));
        };
        let what = what.trim();
        if what.is_empty() {
            return Err(format!("Line {}: say what the need is after \"{d}:\".", i + 1));
        }
        if what.chars().count() > 300 {
            return Err(format!("Line {}: keep a need short (at most 300 characters).", i + 1));
        }
        let need = Need { life_domain: d.to_string(), text: what.to_string() };
        if !out.contains(&need) {
            out.push(need);
        }
    }
    if out.len() > 100 {
        return Err("At most 100 needs per assessment.".into());
    }
    Ok(out)
}

pub fn format_needs(needs: &[Need]) -> String {
    needs.iter().map(|n| format!("{}: {}", n.life_domain, n.text)).collect::<Vec<_>>().join("\n")
}

/// One area's risk as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Risk {
    pub level: Option<RiskLevel>,
    pub plan: String,
}

/// A validated assessment, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub assessed_on: NaiveDate,
    pub needs: Vec<Need>,
    /// Narrative text by section, in `Section::ALL` order.
    pub sections: Vec<String>,
    /// Risk by area, in `RiskArea::ALL` order.
    pub risks: Vec<Risk>,
    /// (life domain, rating 1–4) for the rated domains, in `LIFE_DOMAINS` order.
    pub ratings: Vec<(String, u8)>,
}

impl Assessment {
    pub fn empty(on: NaiveDate) -> Assessment {
        Assessment {
            assessed_on: on,
            needs: Vec::new(),
            sections: vec![String::new(); Section::ALL.len()],
            risks: vec![Risk::default(); RiskArea::ALL.len()],
            ratings: Vec::new(),
        }
    }

    pub fn section(&self, s: Section) -> &str {
        let i = Section::ALL.iter().position(|x| *x == s).unwrap_or(0);
        self.sections.get(i).map(String::as_str).unwrap_or("")
    }

    pub fn risk(&self, a: RiskArea) -> Risk {
        let i = RiskArea::ALL.iter().position(|x| *x == a).unwrap_or(0);
        self.risks.get(i).cloned().unwrap_or_default()
    }

    pub fn rating(&self, domain: &str) -> Option<u8> {
        self.ratings.iter().find(|(d, _)| d == domain).map(|(_, r)| *r)
    }

    /// The parts of the assessment not filled in yet, by name.
    pub fn empty_parts(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for s in Section::SHOWN {
            if s == Section::Needs && self.needs.is_empty() {
                out.push("Presenting needs (list)");
            }
            if self.section(s).trim().is_empty() {
                out.push(s.label());
            }
        }
        if self.risks.iter().all(|r| r.level.is_none()) {
            out.push("Risk and safety");
        }
        if self.ratings.is_empty() {
            out.push("Domain ratings");
        }
        out
    }

    /// Areas whose level raises a flag.
    pub fn flagged_areas(&self) -> Vec<(RiskArea, RiskLevel)> {
        RiskArea::ALL
            .into_iter()
            .filter_map(|a| self.risk(a).level.filter(|l| l.raises_flag()).map(|l| (a, l)))
            .collect()
    }
}

/// What the form holds, as typed (every value a string).
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    pub assessed_on: String,
    pub needs: String,
    /// (field id, text) for each narrative section.
    pub sections: Vec<(String, String)>,
    /// (area, level text, plan text)
    pub risks: Vec<(RiskArea, String, String)>,
    /// (life domain, rating text: "" or "1".."4")
    pub ratings: Vec<(String, String)>,
}

pub const SECTION_MAX: usize = MAX_FIELD_CHARS;

/// Checks what was typed. Every section may be empty: an assessment is saved incomplete and
/// finished later. Problems are reported at their fields, all at once.
pub fn validate_assessment(input: &AssessmentInput, today: NaiveDate) -> Result<Assessment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &'static str, m: String| errors.push(FieldError { field, message: m });
    let raw_date = clean_line(&input.assessed_on);
    let mut assessed_on = today;
    if raw_date.is_empty() {
        err("assessed_on", "Enter the date of the assessment (today, or YYYY-MM-DD).".into());
    } else {
        match parse_date(&raw_date, today) {
            Ok(d) if d > today => err("assessed_on", "The assessment date is in the future.".into()),
            Ok(d) => assessed_on = d,
            Err(m) => err("assessed_on", m),
        }
    }
    let needs = match parse_needs(&input.needs) {
        Ok(n) => n,
        Err(m) => {
            err("needs", m);
            Vec::new()
        }
    };
    let mut sections = Vec::new();
    for s in Section::ALL {
        let text = input.sections.iter().find(|(f, _)| f == s.field()).map(|(_, t)| t.as_str()).unwrap_or("");
        let text = clean_multiline(text);
        if text.chars().count() > SECTION_MAX {
            err(s.field(), format!("Too long: at most {SECTION_MAX} characters."));
        }
        sections.push(text);
    }
    let mut risks = Vec::new();
    for area in RiskArea::ALL {
        let (level, plan) = input
            .risks
            .iter()
            .find(|(a, _, _)| *a == area)
            .map(|(_, l, p)| (l.as_str(), p.as_str()))
            .unwrap_or(("", ""));
        let level = match level.trim() {
            "" | "not-assessed" => None,
            l => match RiskLevel::parse(l) {
                Some(l) => Some(l),
                None => {
                    err(area.level_field(), "Choose none, low, medium or high.".into());
                    None
                }
            },
        };
        let plan = clean_multiline(plan);
        if level.is_some_and(RiskLevel::raises_flag) && plan.trim().is_empty() {
            err(
                area.plan_field(),
                format!(
                    "A {} risk needs a safety plan: what was agreed to keep everyone safe.",
                    level.map(RiskLevel::as_str).unwrap_or("")
                ),
            );
        }
        if plan.chars().count() > SECTION_MAX {
            err(area.plan_field(), format!("Too long: at most {SECTION_MAX} characters."));
        }
        risks.push(Risk { level, plan });
    }
    let mut ratings = Vec::new();
    for domain in LIFE_DOMAINS {
        let raw = input.ratings.iter().find(|(d, _)| d == domain).map(|(_, r)| r.trim()).unwrap_or("");
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<u8>() {
            Ok(r @ 1..=4) => ratings.push((domain.to_string(), r)),
            _ => err(rating_field(domain), "Rate 1 (critical) to 4 (good), or leave it unrated.".into()),
        }
    }
    if errors.is_empty() {
        Ok(Assessment { assessed_on, needs, sections, risks, ratings })
    } else {
        Err(errors)
    }
}

/// One line of "what changed since the last assessment".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The section or part that changed.
    pub part: String,
    pub what: String,
}

/// Section by section, what changed from `before` to `after`. Unchanged parts are left out.
pub fn changes(before: &Assessment, after: &Assessment) -> Vec<Change> {
    let mut out = Vec::new();
    let added: Vec<&Need> = after.needs.iter().filter(|n| !before.needs.contains(n)).collect();
    let gone: Vec<&Need> = before.needs.iter().filter(|n| !after.needs.contains(n)).collect();
    for n in added {
        out.push(Change { part: "Needs".into(), what: format!("new: {}: {}", n.life_domain, n.text) });
    }
    for n in gone {
        out.push(Change {
            part: "Needs".into(),
            what: format!("no longer listed: {}: {}", n.life_domain, n.text),
        });
    }
    for s in Section::ALL {
        let (a, b) = (before.section(s).trim(), after.section(s).trim());
        if a == b {
            continue;
        }
        let what = match (a.is_empty(), b.is_empty()) {
            (true, false) => "filled in".to_string(),
            (false, true) => "emptied".to_string(),
            _ => {
                let (added, removed) = line_diff(a, b);
                match (added, removed) {
                    (0, r) => format!("{} removed", count(r, "line", "lines")),
                    (a, 0) => format!("{} added", count(a, "line", "lines")),
                    (a, r) => format!("rewritten ({} new, {r} gone)", count(a, "line", "lines")),
                }
            }
        };
        out.push(Change { part: s.label().into(), what });
    }
    for area in RiskArea::ALL {
        let (x, y) = (before.risk(area), after.risk(area));
        let show = |l: Option<RiskLevel>| l.map(RiskLevel::as_str).unwrap_or("not assessed");
        if x.level != y.level {
            let dir = match (x.level, y.level) {
                (Some(a), Some(b)) if b > a => " (higher)",
                (Some(a), Some(b)) if b < a => " (lower)",
                _ => "",
            };
            out.push(Change {
                part: area.label().into(),
                what: format!("{} → {}{dir}", show(x.level), show(y.level)),
            });
        } else if x.plan.trim() != y.plan.trim() {
            out.push(Change { part: area.label().into(), what: "safety plan changed".into() });
        }
    }
    for domain in LIFE_DOMAINS {
        let (x, y) = (before.rating(domain), after.rating(domain));
        if x != y {
            let show =
                |r: Option<u8>| r.map(|r| format!("{r} {}", rating_label(r))).unwrap_or("not rated".into());
            let dir = match (x, y) {
                (Some(a), Some(b)) if b > a => " (better)",
                (Some(a), Some(b)) if b < a => " (worse)",
                _ => "",
            };
            out.push(Change {
                part: format!("Rating: {domain}"),
                what: format!("{} → {}{dir}", show(x), show(y)),
            });
        }
    }
    out
}

/// Lines in `b` not in `a`, and lines of `a` not in `b` (as multisets, ignoring blank lines).
fn line_diff(a: &str, b: &str) -> (usize, usize) {
    let mut left: Vec<&str> = a.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut added = 0;
    for l in b.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(i) = left.iter().position(|x| *x == l) {
            left.remove(i);
        } else {
            added += 1;
        }
    }
    (added, left.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input() -> AssessmentInput {
        AssessmentInput { assessed_on: "2026-11-20".into(), ..Default::default() }
    }

    #[test]
    fn rating_fields_follow_the_life_domains() {
        for (d, f) in LIFE_DOMAINS.iter().zip(RATING_FIELDS) {
            assert_eq!(f, format!("rating_{}", d.replace(' ', "_")));
        }
    }

    #[test]
    fn refs_round_trip() {
        assert_eq!(assessment_ref(12), "A-12");
        assert_eq!(parse_ref("A", "A-12"), Some(12));
        assert_eq!(parse_ref("A", "a12"), Some(12));
        assert_eq!(parse_ref("SC", "sc-3"), Some(3));
        assert_eq!(parse_ref("SC", "3"), Some(3));
        assert_eq!(parse_ref("A", "A-"), None);
        assert_eq!(parse_ref("A", "B-3"), None);
        assert_eq!(parse_ref("A", "A-0"), None);
    }

    #[test]
    fn needs_are_read_one_per_line_with_their_domain() {
        let n = parse_needs(
            "housing: a flat near her mother\n\n- Mental-health: someone to talk to\nfood: food bank",
        )
        .unwrap();
        assert_eq!(n.len(), 3);
        assert_eq!(n[0], Need { life_domain: "housing".into(), text: "a flat near her mother".into() });
        assert_eq!(n[1].life_domain, "mental health");
        assert_eq!(parse_needs("transportation: bus pass").unwrap()[0].life_domain, "transport");
        let e = parse_needs("housing: ok\nneeds a job").unwrap_err();
        assert!(e.starts_with("Line 2"), "{e}");
        let e = parse_needs("spaceflight: rocket").unwrap_err();
        assert!(e.contains("not a life domain"), "{e}");
        assert!(parse_needs("food:   ").unwrap_err().contains("say what the need is"));
        assert_eq!(parse_needs("food: x\nfood: x").unwrap().len(), 1, "repeats collapse");
        assert!(parse_needs("").unwrap().is_empty());
    }

    #[test]
    fn an_empty_assessment_is_valid_and_lists_every_empty_part() {
        let a = validate_assessment(&input(), day("2026-11-23")).unwrap();
        let empty = a.empty_parts();
        assert!(empty.contains(&"Strengths and resources"));
        assert!(empty.contains(&"Risk and safety"));
        assert!(empty.contains(&"Domain ratings"));
        assert_eq!(empty.len(), 1 + Section::ALL.len() + 2);
    }

    #[test]
    fn refusals_name_their_fields() {
        let mut i = input();
        i.assessed_on = "2027-01-01".into();
        i.needs = "nonsense".into();
        i.risks = vec![
            (RiskArea::ToSelf, "high".into(), "".into()),
            (RiskArea::ToOthers, "extreme".into(), "".into()),
        ];
        i.ratings = vec![("housing".into(), "5".into())];
        let errors = validate_assessment(&i, day("2026-11-23")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert!(fields.contains(&"assessed_on"));
        assert!(fields.contains(&"needs"));
        assert!(fields.contains(&"risk_self_plan"), "high risk needs a plan");
        assert!(fields.contains(&"risk_to_others_level"));
        assert!(fields.contains(&"rating_housing"));
    }

    #[test]
    fn medium_and_high_raise_flags() {
        let mut i = input();
        i.risks = vec![
            (RiskArea::ToSelf, "medium".into(), "Safety plan agreed; crisis line card given.".into()),
            (RiskArea::FromOthers, "low".into(), "".into()),
            (RiskArea::Safeguarding, "high".into(), "Referred to child protection.".into()),
        ];
        let a = validate_assessment(&i, day("2026-11-23")).unwrap();
        assert_eq!(
            a.flagged_areas(),
            vec![(RiskArea::ToSelf, RiskLevel::Medium), (RiskArea::Safeguarding, RiskLevel::High)]
        );
        assert!(!RiskLevel::Low.raises_flag());
    }

    #[test]
    fn changes_are_listed_section_by_section() {
        let mut i = input();
        i.needs = "housing: flat\nfood: food bank".into();
        i.sections = vec![("strengths".into(), "Close to her sister.".into())];
        i.risks = vec![(RiskArea::ToSelf, "high".into(), "plan".into())];
        i.ratings = vec![("housing".into(), "1".into()), ("food".into(), "2".into())];
        let before = validate_assessment(&i, day("2026-11-23")).unwrap();
        i.needs = "housing: flat\nincome: benefits claim".into();
        i.sections = vec![
            ("strengths".into(), "Close to her sister.\nVolunteers at church.".into()),
            ("barriers".into(), "No phone credit.".into()),
        ];
        i.risks = vec![(RiskArea::ToSelf, "low".into(), "plan".into())];
        i.ratings = vec![("housing".into(), "3".into()), ("food".into(), "2".into())];
        let after = validate_assessment(&i, day("2026-11-23")).unwrap();
        let c = changes(&before, &after);
        let text: Vec<String> = c.iter().map(|c| format!("{}: {}", c.part, c.what)).collect();
        assert!(text.contains(&"Needs: new: income: benefits claim".to_string()), "{text:?}");
        assert!(text.contains(&"Needs: no longer listed: food: food bank".to_string()));
        assert!(text.contains(&"Strengths and resources: 1 line added".to_string()));
        assert!(text.contains(&"Barriers: filled in".to_string()));
        assert!(text.contains(&"Risk to self: high → low (lower)".to_string()));
        assert!(text.contains(&"Rating: housing: 1 critical → 3 not ideal (better)".to_string()));
        assert!(!text.iter().any(|t| t.contains("Rating: food")), "unchanged rating left out");
        assert!(changes(&after, &after).is_empty());
    }
}
