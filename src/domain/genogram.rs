//! What is recorded for a genogram: a person's sex (for the symbol), what a partnership is
//! (married, living together, separated, divorced) and emotional ties to the client. The
//! drawing itself is laid out and painted in `ui::widgets::genogram`.

use serde::{Deserialize, Serialize};

/// Sex as recorded for the genogram symbol (square, circle, or neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    Female,
    Male,
    Other,
    #[default]
    Unknown,
}

impl Sex {
    pub const ALL: &'static [Self] = &[Self::Female, Self::Male, Self::Other, Self::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
            Self::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
            Self::Other => "Other",
            Self::Unknown => "Not known",
        }
    }

    /// Accepts the stored form, the label, any case, and the one-letter forms f, m, o, u and `?`.
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase();
        Self::ALL.iter().copied().find(|v| v.as_str() == k || v.label().to_lowercase() == k).or(
            match k.as_str() {
                "f" => Some(Self::Female),
                "m" => Some(Self::Male),
                "o" => Some(Self::Other),
                "u" | "?" | "" => Some(Self::Unknown),
                _ => None,
            },
        )
    }
}

/// What a partnership is: married or living together (or partners, not said which), and when
/// it has ended, separated or divorced (or former, not said which). Genograms draw each
/// differently: a solid line, a dashed one, one stroke across it, two strokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartnerStatus {
    #[default]
    Current,
    Married,
    Cohabiting,
    Former,
    Separated,
    Divorced,
}

impl PartnerStatus {
    pub const ALL: &'static [Self] =
        &[Self::Current, Self::Married, Self::Cohabiting, Self::Former, Self::Separated, Self::Divorced];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Married => "married",
            Self::Cohabiting => "cohabiting",
            Self::Former => "former",
            Self::Separated => "separated",
            Self::Divorced => "divorced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Current partner",
            Self::Married => "Married",
            Self::Cohabiting => "Living together",
            Self::Former => "Former partner",
            Self::Separated => "Separated",
            Self::Divorced => "Divorced",
        }
    }

    /// The partnership still holds.
    pub fn is_current(self) -> bool {
        matches!(self, Self::Current | Self::Married | Self::Cohabiting)
    }

    /// Accepts the stored form, the label, any case, and common words (ex, spouse, living
    /// together).
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase();
        Self::ALL.iter().copied().find(|v| v.as_str() == k || v.label().to_lowercase() == k).or(
            match k.as_str() {
                "ex" | "past" => Some(Self::Former),
                "partner" => Some(Self::Current),
                "spouse" | "wife" | "husband" => Some(Self::Married),
                "living together" | "cohabiting" | "cohabit" | "lives together" => Some(Self::Cohabiting),
                _ => None,
            },
        )
    }
}

/// An emotional tie between a person and the client, as the genogram marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmotionalTie {
    Close,
    Conflict,
    CutOff,
}

impl EmotionalTie {
    pub const ALL: &'static [Self] = &[Self::Close, Self::Conflict, Self::CutOff];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::Conflict => "conflict",
            Self::CutOff => "cut-off",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::Conflict => "conflict",
            Self::CutOff => "cut off",
        }
    }

    /// The mark drawn by the person on the genogram: a shape, never colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Close => "═",
            Self::Conflict => "⚡",
            Self::CutOff => "┤├",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase().replace(' ', "-");
        Self::ALL.iter().copied().find(|v| v.as_str() == k).or(match k.as_str() {
            "cutoff" | "estranged" => Some(Self::CutOff),
            "conflictual" | "hostile" => Some(Self::Conflict),
            _ => None,
        })
    }
}

/// How a person belongs to the client when not by birth or marriage, as recorded in their
/// relation ("adoptive parent", "foster child", "twin"): it decides how the genogram draws the
/// line between them and the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Bond {
    #[default]
    None,
    AdoptiveParent,
    FosterParent,
    AdoptedChild,
    FosterChild,
    Twin,
}

impl Bond {
    /// From the relation to the client as stored.
    pub fn from_relation(relation: &str) -> Self {
        match relation.trim().to_lowercase().as_str() {
            "adoptive parent" => Self::AdoptiveParent,
            "foster parent" => Self::FosterParent,
            "adopted child" => Self::AdoptedChild,
            "foster child" => Self::FosterChild,
            "twin" => Self::Twin,
            _ => Self::None,
        }
    }
}

/// The line between a parent and a child: by birth (solid), adoption (dashed) or fostering
/// (dotted), as in standard genogram notation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChildLine {
    #[default]
    Birth,
    Adoptive,
    Foster,
}

impl ChildLine {
    /// The line between `child` and `parent`, from how each belongs to the client: the client's
    /// adoptive or foster parent, or the client's adopted or foster child.
    pub fn between(child: Bond, child_is_client: bool, parent: Bond, parent_is_client: bool) -> Self {
        match (child_is_client, parent, parent_is_client, child) {
            (true, Bond::AdoptiveParent, _, _) => Self::Adoptive,
            (true, Bond::FosterParent, _, _) => Self::Foster,
            (_, _, true, Bond::AdoptedChild) => Self::Adoptive,
            (_, _, true, Bond::FosterChild) => Self::Foster,
            _ => Self::Birth,
        }
    }

    /// Glyphs for a vertical and a horizontal stretch of the line.
    pub fn glyphs(self) -> (&'static str, &'static str) {
        match self {
            Self::Birth => ("│", "─"),
            Self::Adoptive => ("╎", "╌"),
            Self::Foster => ("⋮", "⋯"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for s in Sex::ALL {
            assert_eq!(Sex::parse(s.as_str()), Some(*s));
            assert_eq!(Sex::parse(s.label()), Some(*s));
        }
        assert_eq!(Sex::parse(" F "), Some(Sex::Female));
        assert_eq!(Sex::parse("robot"), None);
        for s in PartnerStatus::ALL {
            assert_eq!(PartnerStatus::parse(s.as_str()), Some(*s));
            assert_eq!(PartnerStatus::parse(&s.label().to_uppercase()), Some(*s));
        }
        assert_eq!(PartnerStatus::parse("divorced"), Some(PartnerStatus::Divorced));
        assert_eq!(PartnerStatus::parse("living together"), Some(PartnerStatus::Cohabiting));
        assert!(PartnerStatus::Married.is_current() && !PartnerStatus::Separated.is_current());
        for t in EmotionalTie::ALL {
            assert_eq!(EmotionalTie::parse(t.as_str()), Some(*t));
            assert_eq!(EmotionalTie::parse(t.label()), Some(*t));
        }
        assert_eq!(PartnerStatus::parse("maybe"), None);
    }

    #[test]
    fn a_childs_line_follows_adoption_and_fostering() {
        use Bond::*;
        assert_eq!(ChildLine::between(None, true, AdoptiveParent, false), ChildLine::Adoptive);
        assert_eq!(ChildLine::between(None, true, FosterParent, false), ChildLine::Foster);
        assert_eq!(ChildLine::between(AdoptedChild, false, None, true), ChildLine::Adoptive);
        assert_eq!(ChildLine::between(FosterChild, false, None, true), ChildLine::Foster);
        // a sibling sharing the adoptive parent: not said, drawn as birth
        assert_eq!(ChildLine::between(None, false, AdoptiveParent, false), ChildLine::Birth);
        assert_eq!(Bond::from_relation("Foster child"), FosterChild);
        assert_eq!(Bond::from_relation("twin"), Twin);
    }
}
