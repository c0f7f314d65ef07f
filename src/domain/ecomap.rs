//! The ties of an ecomap: how strong a tie is, which way support flows along it, and what sort
//! of tie it is. The map itself is laid out and painted in `ui::widgets::ecomap`.

use serde::{Deserialize, Serialize};

/// How strong a tie is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieStrength {
    Strong,
    #[default]
    Weak,
    Stressful,
}

impl TieStrength {
    pub const ALL: &'static [Self] = &[Self::Strong, Self::Weak, Self::Stressful];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Weak => "weak",
            Self::Stressful => "stressful",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Strong => "Strong",
            Self::Weak => "Weak",
            Self::Stressful => "Stressful",
        }
    }

    /// Accepts the stored form or the label, any case, and "tense" / "conflict" for stressful.
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase();
        Self::ALL.iter().copied().find(|v| v.as_str() == k).or(match k.as_str() {
            "tense" | "conflict" | "stress" => Some(Self::Stressful),
            _ => None,
        })
    }
}

/// Which way support (energy, resources) flows along a tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportFlow {
    ToClient,
    FromClient,
    Both,
    #[default]
    None,
}

impl SupportFlow {
    pub const ALL: &'static [Self] = &[Self::ToClient, Self::FromClient, Self::Both, Self::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ToClient => "to-client",
            Self::FromClient => "from-client",
            Self::Both => "both",
            Self::None => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ToClient => "Support to the client",
            Self::FromClient => "Support from the client",
            Self::Both => "Support both ways",
            Self::None => "No support either way",
        }
    }

    /// Accepts the stored form, the label, any case, spaces for hyphens, and short forms
    /// (to, in, from, out, mutual).
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase().replace([' ', '_'], "-");
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == k || v.label().to_lowercase().replace(' ', "-") == k)
            .or(match k.as_str() {
                "to" | "in" | "incoming" => Some(Self::ToClient),
                "from" | "out" | "outgoing" => Some(Self::FromClient),
                "mutual" | "both-ways" => Some(Self::Both),
                "" | "neither" => Some(Self::None),
                _ => None,
            })
    }
}

/// What sort of tie it is; ties of one kind sit together on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TieKind {
    Family,
    Friend,
    /// School, work, faith group, club, neighbours.
    Community,
    /// A named person in a role: GP, teacher, probation officer.
    Professional,
    /// An organisation: benefits office, housing association, another service.
    Agency,
    /// An active referral to a service.
    Referral,
    #[default]
    Other,
}

impl TieKind {
    /// Also the order round the map, clockwise from the left.
    pub const ALL: &'static [Self] = &[
        Self::Family,
        Self::Friend,
        Self::Community,
        Self::Professional,
        Self::Agency,
        Self::Referral,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Friend => "friend",
            Self::Community => "community",
            Self::Professional => "professional",
            Self::Agency => "agency",
            Self::Referral => "referral",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Family => "Family",
            Self::Friend => "Friend",
            Self::Community => "Community",
            Self::Professional => "Professional",
            Self::Agency => "Agency",
            Self::Referral => "Referral",
            Self::Other => "Other",
        }
    }

    /// Accepts the stored form or the label, any case.
    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_lowercase();
        Self::ALL.iter().copied().find(|v| v.as_str() == k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for s in TieStrength::ALL {
            assert_eq!(TieStrength::parse(s.as_str()), Some(*s));
            assert_eq!(TieStrength::parse(s.label()), Some(*s));
        }
        for f in SupportFlow::ALL {
            assert_eq!(SupportFlow::parse(f.as_str()), Some(*f));
            assert_eq!(SupportFlow::parse(f.label()), Some(*f));
        }
        for k in TieKind::ALL {
            assert_eq!(TieKind::parse(k.as_str()), Some(*k));
            assert_eq!(TieKind::parse(k.label()), Some(*k));
        }
        assert_eq!(SupportFlow::parse("to client"), Some(SupportFlow::ToClient));
        assert_eq!(SupportFlow::parse("out"), Some(SupportFlow::FromClient));
        assert_eq!(TieStrength::parse("conflict"), Some(TieStrength::Stressful));
        assert_eq!(TieKind::parse("cousin"), None);
    }
}
