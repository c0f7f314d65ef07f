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
    let mut terms: Vec<String> = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            if let Some(end) = after.find('"') {
                let words = words(&after[..end]);
                if !words.is_empty() {
                    terms.push(format!("\"{}\"", words.join(" ")));
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
            for (i, w) in words(raw).iter().enumerate() {
                let last_piece = i + 1 == words(raw).len();
                terms.push(if star && last_piece { format!("\"{w}\" *") } else { format!("\"{w}\"") });
            }
        }
        rest = &rest[end..];
    }
    if terms.is_empty() {
        return None;
    }
    if prefix_last {
        if let Some(last) = terms.last_mut() {
            if !last.ends_with('*') && !last.contains(' ') {
                last.push_str(" *");
            }
        }
    }
    Some(terms.join(" "))
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
    fn snippets_split_on_markers() {
        let s = format!("paid {HIT_START}rent{HIT_END} today");
        assert_eq!(
            snippet_runs(&s),
            vec![("paid ".into(), false), ("rent".into(), true), (" today".into(), false)]
        );
        assert_eq!(snippet_plain(&s), "paid [rent] today");
    }
}
