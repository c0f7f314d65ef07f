//! What is recorded for a genogram: a person's sex (for the symbol) and whether a partnership
//! still holds. The drawing itself is laid out and painted in `ui::widgets::genogram`.

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

/// Whether a partnership still holds. Separated and divorced couples are `Former`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartnerStatus {
    #[default]
    Current,
    Former,
}

impl PartnerStatus {
    pub const ALL: &'static [Self] = &[Self::Current, Self::Former];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Former => "former",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "Current partner",
            Self::Former => "Former partner",
        }
    }

    /// Accepts the stored form, the label, any case, and common words for a former partner
    /// (ex, separated, divorced).
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase();
        Self::ALL.iter().copied().find(|v| v.as_str() == k || v.label().to_lowercase() == k).or(
            match k.as_str() {
                "ex" | "separated" | "divorced" | "past" => Some(Self::Former),
                "partner" | "spouse" | "married" => Some(Self::Current),
                _ => None,
            },
        )
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
        assert_eq!(PartnerStatus::parse("divorced"), Some(PartnerStatus::Former));
        assert_eq!(PartnerStatus::parse("maybe"), None);
    }
}
