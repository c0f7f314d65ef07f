//! Writers that turn records into documents (Markdown to print and sign, and later CSV/JSON).

pub mod plan;

/// Text safe inside Markdown, on one line: controls and line breaks become spaces and the
/// characters Markdown would read as formatting (or a table's `|`) are escaped.
pub fn md_inline(s: &str) -> String {
    let safe = crate::domain::text::display_safe(s);
    let mut out = String::with_capacity(safe.len());
    for c in safe.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_terminal_syntax_is_neutral() {
        assert_eq!(md_inline("a|b *c* [x](y) <b>"), "a\\|b \\*c\\* \\[x\\](y) \\<b\\>");
        assert_eq!(md_inline("line\none\u{1b}[2J"), "line one\\[2J");
        assert_eq!(md_inline("# not a heading"), "\\# not a heading");
    }
}
