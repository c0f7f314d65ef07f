//! Lists of known words (a goal's status, a referral's urgency...): how a typed word is matched
//! to one, and the refusal that names the choices. One definition for every such list.

use thiserror::Error;

/// A word that is not one of the known values of a list; the word is quoted short and safe to
/// print (a long paste or an escape code is not repeated back).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} is not a known {kind}. Use one of: {options}.", super::text::quote(.input))]
pub struct UnknownWord {
    pub kind: &'static str,
    pub input: String,
    pub options: String,
}

/// A count and its noun agreeing: `count(1, "item", "items")` is "1 item", and 0 or 3 take
/// `many`. The one way a message says how many of something there are.
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    if n == N::from(1) {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How many things there were and in what state each ended, in words: "1 goal, completed",
/// "2 goals, both completed", "3 goals, all cancelled", "3 goals: 2 completed, 1 cancelled"
/// (the commonest state first). `states` holds one state word per thing; none gives "".
pub fn tally(states: &[&str], one: &str, many: &str) -> String {
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for s in states {
        match groups.iter_mut().find(|(g, _)| g == s) {
            Some(g) => g.1 += 1,
            None => groups.push((s, 1)),
        }
    }
    // stable: equal counts keep the order they first appeared in
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    let n = states.len();
    match groups.as_slice() {
        [] => String::new(),
        [(s, _)] if n == 1 => format!("1 {one}, {s}"),
        [(s, _)] if n == 2 => format!("2 {many}, both {s}"),
        [(s, _)] => format!("{n} {many}, all {s}"),
        _ => {
            let parts: Vec<String> = groups.iter().map(|(s, k)| format!("{k} {s}")).collect();
            format!("{n} {many}: {}", parts.join(", "))
        }
    }
}

/// Lower case, with runs of spaces, underscores and hyphens turned into one hyphen.
pub fn normalise(s: &str) -> String {
    s.split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// `FromStr` (the stored form in any case, spaces or underscores for hyphens, or the label) and
/// `Display` (the label) for an enum with `ALL`, `as_str` and `label`.
macro_rules! text_enum {
    ($t:ty, $kind:literal) => {
        impl std::str::FromStr for $t {
            type Err = $crate::domain::words::UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                use $crate::domain::words::normalise;
                let key = normalise(s);
                <$t>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == key || normalise(v.label()) == key)
                    .ok_or_else(|| $crate::domain::words::UnknownWord {
                        kind: $kind,
                        input: s.trim().to_string(),
                        options: <$t>::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use text_enum;

#[cfg(test)]
mod tests {
    use crate::domain::goal::Priority;

    #[test]
    fn a_count_agrees_with_its_number() {
        use super::count;
        assert_eq!(count(1usize, "item", "items"), "1 item");
        assert_eq!(count(0usize, "item", "items"), "0 items");
        assert_eq!(count(2i64, "person", "people"), "2 people");
    }

    #[test]
    fn a_tally_says_how_things_ended_in_agreeing_words() {
        use super::tally;
        assert_eq!(tally(&["completed"], "goal", "goals"), "1 goal, completed");
        assert_eq!(tally(&["completed", "completed"], "goal", "goals"), "2 goals, both completed");
        assert_eq!(tally(&["cancelled"; 3], "goal", "goals"), "3 goals, all cancelled");
        assert_eq!(
            tally(&["cancelled", "completed", "completed"], "goal", "goals"),
            "3 goals: 2 completed, 1 cancelled"
        );
        assert_eq!(tally(&[], "goal", "goals"), "");
    }

    #[test]
    fn a_word_matches_in_any_case_and_spelling_and_a_wrong_one_is_quoted_safe() {
        assert_eq!("HIGH".parse::<Priority>(), Ok(Priority::High));
        let e = "\u{1b}[31mvery very very very very very very very high".parse::<Priority>().unwrap_err();
        let shown = e.to_string();
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.contains('…') && shown.contains("Use one of: high, medium, low"), "{shown}");
    }
}
