//! Turning what a person types into a safe SQLite FTS5 query.

/// Marks the start and end of a matching word in snippets (never stored, never displayed raw).
pub const HIT_START: char = '\u{2}';
pub const HIT_END: char = '\u{3}';

/// Builds an FTS5 query from free text. Words are matched as plain words (all must appear);
/// "quoted phrases" stay phrases; a trailing `*` asks for a prefix. Anything else that FTS5
/// would read as syntax (AND, NEAR, parentheses, ^, :) is treated as ordinary text, so no
/// input can produce a syntax error. With `prefix_last`, the last word also matches as a
/// prefix (search as you type). Returns None when there is nothing to search for.
pub fn fts_query(input: &str, prefix_last: bool) -> Option<String> {
    fts_query_with(input, prefix_last, |_| Vec::new())
}

/// A term of a query: as FTS5 reads it, and the plain word it is (None for a phrase or a prefix
/// the user asked for with `*`).
struct Term {
    fts: String,
    word: Option<String>,
}

/// `fts_query`, where each plain word may also match other words or phrases (`alternatives`
/// of the word, e.g. its synonyms): `food` becomes `("food" OR "meals" OR "soup kitchen")`.
/// Alternatives are made safe the same way as typed text.
pub fn fts_query_with(
    input: &str,
    prefix_last: bool,
    alternatives: impl Fn(&str) -> Vec<String>,
) -> Option<String> {
    let mut terms = terms(input);
    if terms.is_empty() {
        return None;
    }
    if prefix_last {
        if let Some(last) = terms.last_mut() {
            if !last.fts.ends_with('*') && !last.fts.contains(' ') {
                last.fts.push_str(" *");
            }
        }
    }
    let parts: Vec<String> = terms
        .into_iter()
        .map(|t| {
            let others: Vec<String> = t
                .word
                .as_deref()
                .map(&alternatives)
                .unwrap_or_default()
                .iter()
                .map(|a| words(a).join(" "))
                .filter(|a| !a.is_empty())
                .map(|a| format!("\"{a}\""))
                .collect();
            if others.is_empty() {
                t.fts
            } else {
                format!("({} OR {})", t.fts, others.join(" OR "))
            }
        })
        .collect();
    // FTS5 takes "a b" as both, but a group needs the AND said: (a OR b) AND c
    let any_group = parts.iter().any(|p| p.starts_with('('));
    Some(parts.join(if any_group { " AND " } else { " " }))
}

fn terms(input: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            if let Some(end) = after.find('"') {
                let words = words(&after[..end]);
                if !words.is_empty() {
                    terms.push(Term { fts: format!("\"{}\"", words.join(" ")), word: None });
                }
                rest = &after[end + 1..];
                continue;
            }
            rest = after;
            continue;
        }
        let end = rest.find('"').unwrap_or(rest.len());
        let chunk = &rest[..end];
        for raw in chunk.split_whitespace() {
            let star = raw.ends_with('*');
            let pieces = words(raw);
            for (i, w) in pieces.iter().enumerate() {
                let term = if star && i + 1 == pieces.len() {
                    Term { fts: format!("\"{w}\" *"), word: None }
                } else {
                    Term { fts: format!("\"{w}\""), word: Some(w.clone()) }
                };
                terms.push(term);
            }
        }
        rest = &rest[end..];
    }
    terms
}

/// Runs of letters and digits; everything else separates words (as FTS5's tokenizer does).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_string()).collect()
}

/// Splits a snippet into (text, is_hit) runs using the hit markers.
pub fn snippet_runs(snippet: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut hit = false;
    for c in snippet.chars() {
        if c == HIT_START || c == HIT_END {
            if !cur.is_empty() {
                out.push((std::mem::take(&mut cur), hit));
            }
            hit = c == HIT_START;
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push((cur, hit));
    }
    out
}

/// A snippet for plain text output: hits wrapped in `[` `]`.
pub fn snippet_plain(snippet: &str) -> String {
    snippet_runs(snippet)
        .into_iter()
        .map(|(t, hit)| if hit { format!("[{t}]") } else { t })
        .collect::<String>()
        .replace('\n', " ")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_are_quoted() {
        assert_eq!(fts_query("rent arrears", false).unwrap(), "\"rent\" \"arrears\"");
        assert_eq!(fts_query("  ", false), None);
        assert_eq!(fts_query("!!!", false), None);
    }

    #[test]
    fn fts_syntax_is_neutralised() {
        let q = fts_query("housing AND (\"unclosed NEAR/3 * ^", false).unwrap();
        assert_eq!(q, "\"housing\" \"AND\" \"unclosed\" \"NEAR\" \"3\"");
        let q = fts_query("Robert'); DROP TABLE clients;--", false).unwrap();
        assert!(!q.contains(';') && !q.contains('\''));
        assert_eq!(fts_query("col:value", false).unwrap(), "\"col\" \"value\"");
    }

    #[test]
    fn phrases_and_prefixes() {
        assert_eq!(fts_query("\"rent arrears\" land*", false).unwrap(), "\"rent arrears\" \"land\" *");
        assert_eq!(fts_query("evic", true).unwrap(), "\"evic\" *");
        assert_eq!(fts_query("Zoë 王小明", false).unwrap(), "\"Zoë\" \"王小明\"");
    }

    #[test]
    fn plain_words_also_match_their_alternatives() {
        let alt = |w: &str| {
            if w == "food" {
                vec!["meals".to_string(), "soup kitchen".to_string(), "x\" OR ^(".to_string()]
            } else {
                Vec::new()
            }
        };
        assert_eq!(
            fts_query_with("food riverside", false, alt).unwrap(),
            "(\"food\" OR \"meals\" OR \"soup kitchen\" OR \"x OR\") AND \"riverside\""
        );
        assert_eq!(
            fts_query_with("food", true, alt).unwrap(),
            "(\"food\" * OR \"meals\" OR \"soup kitchen\" OR \"x OR\")"
        );
        // a phrase or a prefix asked for is taken as typed
        assert_eq!(fts_query_with("\"food\" foo*", false, alt).unwrap(), "\"food\" \"foo\" *");
    }

    #[test]
    fn snippets_split_on_markers() {
        let s = format!("paid {HIT_START}rent{HIT_END} today");
        assert_eq!(
            snippet_runs(&s),
            vec![("paid ".into(), false), ("rent".into(), true), (" today".into(), false)]
        );
        assert_eq!(snippet_plain(&s), "paid [rent] today");
    }
}
