//! Text hygiene: what may be stored, what may reach the terminal, and how names compare.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Largest text a single field accepts; a bigger paste is refused at the field, not truncated.
pub const MAX_FIELD_CHARS: usize = 100_000;

/// Characters that are never stored: C0/C1 controls (escape sequences start with one) and the
/// bidirectional overrides that can make text display differently from what was typed.
fn is_forbidden(c: char, keep_newlines: bool) -> bool {
    if c == '\n' {
        return !keep_newlines;
    }
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans text for a one-line field: tabs and line breaks become spaces, controls are dropped,
/// and leading/trailing whitespace is trimmed.
pub fn clean_line(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_forbidden(c, false) => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Cleans multi-line text: CRLF and CR become LF, tabs become four spaces, controls are dropped.
/// Trailing whitespace at the very end is trimmed; inner layout is kept as typed.
pub fn clean_multiline(input: &str) -> String {
    strip_controls_multiline(input).trim_end().to_string()
}

/// As `clean_multiline` but keeps trailing spaces: for text inserted while typing.
pub fn strip_controls_multiline(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\t' => out.push_str("    "),
            c if is_forbidden(c, true) => {}
            c => out.push(c),
        }
    }
    out
}

/// Zero-width characters with no visible use in a terminal (zero-width space, non-joiner,
/// direction marks, word joiner, byte-order mark...). Stored as typed, never drawn.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200E}' | '\u{200F}' | '\u{2060}'
            ..='\u{2064}' | '\u{FEFF}' | '\u{180E}' | '\u{061C}'
    )
}

const ZWJ: char = '\u{200D}';

/// A character a zero-width joiner may join: part of an emoji (pictographs, variation
/// selectors, skin tones), not a letter, digit, space or ASCII.
fn joins_emoji(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        !c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && !is_invisible(c) && c != ZWJ
    })
}

/// Text safe to hand to the terminal, whatever its origin (database, import, CLI).
/// Rendering widgets never receive a control character from user data, nor a zero-width
/// character that a terminal would glue onto the next thing drawn (a joiner outside an emoji
/// sequence makes some terminals attach the following cell to it, shifting the screen).
/// What a person typed, made safe to echo in a message: control, escape and invisible
/// characters removed (`display_safe`), a long value cut with `…`, in quotes. Every message
/// that quotes input goes through here or `quote_path`.
pub fn quote(input: &str) -> String {
    format!("\"{}\"", fit(&display_safe(input), QUOTE_MAX))
}

/// A path a person gave, safe to print (no control characters; a very long one cut).
pub fn quote_path(path: &std::path::Path) -> String {
    fit(&display_safe(&path.display().to_string()), 200)
}

/// A whole message safe to print, line breaks kept: each line as `display_safe` makes it (a
/// carriage return, escape, bell or C1 byte from anywhere in the message is dropped). The last
/// guard before standard error; the values a message quotes go through `quote` first.
pub fn safe_lines(message: &str) -> String {
    message.split('\n').map(|l| display_safe(l).into_owned()).collect::<Vec<_>>().join("\n")
}

/// Whether a file name the user gave has a character that must not be in a created file's name
/// (a control character or a bidirectional override).
pub fn unsafe_file_name(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().chars().any(|c| is_forbidden(c, false)))
}

/// How much of an echoed value a message shows.
pub const QUOTE_MAX: usize = 40;

pub fn display_safe(input: &str) -> std::borrow::Cow<'_, str> {
    if input.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return std::borrow::Cow::Borrowed(input);
    }
    let chars: Vec<char> = input.chars().collect();
    let drop = |i: usize| -> bool {
        let c = chars[i];
        if c == ZWJ {
            return !(i > 0
                && joins_emoji(chars.get(i - 1).copied())
                && joins_emoji(chars.get(i + 1).copied()));
        }
        is_invisible(c) || is_forbidden(c, false)
    };
    if !(0..chars.len()).any(|i| chars[i] == '\t' || drop(i)) {
        return std::borrow::Cow::Borrowed(input);
    }
    std::borrow::Cow::Owned(
        (0..chars.len())
            .filter_map(|i| match chars[i] {
                '\t' | '\n' => Some(' '),
                _ if drop(i) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// A comparison key for names: accents, case and punctuation removed, hyphens and other
/// separators turned into single spaces ("Nuñez-O'Brien" → "nunez obrien").
pub fn name_key(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                out.push(fold_letter(l));
            }
        } else if c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '—' | '_' | '/' | ',' | '.')
        {
            pending_space = true;
        }
        // apostrophes and other punctuation vanish without a space: O'Brien → obrien
    }
    out
}

/// Letters NFKD does not decompose but that people type both ways.
fn fold_letter(c: char) -> char {
    match c {
        'ø' => 'o',
        'æ' => 'a',
        'ß' => 's',
        'ł' => 'l',
        'đ' => 'd',
        'ı' => 'i',
        other => other,
    }
}

/// Levenshtein distance on chars, bounded by the longer string; names are short.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() {
        return b.len();
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity between two name keys in 0..=1, insensitive to word order and to spaces
/// inside a name ("Mary Ann" vs "Maryann").
pub fn name_similarity(a: &str, b: &str) -> f64 {
    fn sorted_tokens(s: &str) -> String {
        let mut t: Vec<&str> = s.split(' ').filter(|t| !t.is_empty()).collect();
        t.sort_unstable();
        t.join(" ")
    }
    fn ratio(a: &str, b: &str) -> f64 {
        let longest = a.chars().count().max(b.chars().count());
        if longest == 0 {
            return 1.0;
        }
        1.0 - edit_distance(a, b) as f64 / longest as f64
    }
    let squashed = ratio(&a.replace(' ', ""), &b.replace(' ', ""));
    let sorted = ratio(&sorted_tokens(a), &sorted_tokens(b));
    squashed.max(sorted)
}

/// Display width of a string in terminal cells (wide CJK and emoji count two).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Truncates to at most `max` cells, adding an ellipsis when cut; never splits a wide char.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    // a joiner cut from what it joined would glue the ellipsis onto the emoji before it
    while out.ends_with(ZWJ) {
        out.pop();
    }
    out.push('…');
    out
}

/// Fits `s` into exactly `cols` cells: cut with an ellipsis, or padded with spaces. For
/// columns of plain text output (`format!`'s padding counts characters, not cells).
pub fn pad(s: &str, cols: usize) -> String {
    let mut out = fit(s, cols);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(used)));
    out
}

/// Splits one line of text into lines of at most `max` cells, at spaces where it can (a word
/// longer than a line is cut).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if width(&candidate) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        let mut rest = word.to_string();
        while width(&rest) > max {
            let mut cut = String::new();
            for c in rest.chars() {
                if width(&cut) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > max {
                    break;
                }
                cut.push(c);
            }
            if cut.is_empty() {
                break;
            }
            rest = rest[cut.len()..].to_string();
            out.push(cut);
        }
        line = rest;
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_case_accents_and_punctuation() {
        assert_eq!(name_key("Nuñez-O'Brien"), "nunez obrien");
        assert_eq!(name_key("Nunez OBrien"), "nunez obrien");
        assert_eq!(name_key("Zoe\u{308} Be\u{301}langer"), name_key("Zoë Bélanger"));
        assert_eq!(name_key("  ANNA   maria "), "anna maria");
        assert_eq!(name_key("Søren"), "soren");
    }

    #[test]
    fn control_characters_never_survive() {
        assert_eq!(clean_line("\u{1b}[2J\u{1b}[H"), "[2J[H");
        assert_eq!(clean_line("Ada\tLove\nlace"), "Ada Love lace");
        assert_eq!(clean_line("before\u{0}after"), "beforeafter");
        assert_eq!(clean_line("x\u{9b}2Jy"), "x2Jy");
        assert_eq!(clean_line("abc\u{202e}dcba"), "abcdcba");
        assert_eq!(clean_multiline("line one\r\nline two\r\n"), "line one\nline two");
        assert_eq!(clean_multiline("a\u{7}b\u{8}"), "ab");
        // emoji sequences keep their joiners
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(clean_line(family), family);
    }

    #[test]
    fn display_safe_strips_what_cleaning_would() {
        assert_eq!(display_safe("ok").as_ref(), "ok");
        assert_eq!(display_safe("a\u{1b}]0;owned\u{7}b").as_ref(), "a]0;ownedb");
        assert_eq!(display_safe("two\nlines").as_ref(), "two lines");
    }

    #[test]
    fn display_safe_drops_invisible_joiners_that_would_glue_the_next_cell() {
        // a joiner left at the end of a name makes the terminal glue whatever is drawn next
        // onto that cell (even after a cursor move), shifting the rest of the screen
        assert_eq!(display_safe("Ada\u{200d}").as_ref(), "Ada");
        assert_eq!(display_safe("Ad\u{200b}a\u{2060}\u{feff}").as_ref(), "Ada");
        assert_eq!(display_safe("\u{200d}x").as_ref(), "x");
        // joiners inside emoji sequences stay: they are what draws one family, not three people
        let family = "👨\u{200d}👩\u{200d}👧";
        assert_eq!(display_safe(family).as_ref(), family);
        assert_eq!(display_safe("🏳\u{fe0f}\u{200d}🌈").as_ref(), "🏳\u{fe0f}\u{200d}🌈");
        // cutting to fit never leaves a dangling joiner before the ellipsis
        assert_eq!(fit("👨\u{200d}👩\u{200d}👧 xyz", 4), "👨…");
    }

    #[test]
    fn similarity_tolerates_typos_and_order() {
        assert!(name_similarity("maria lopez", "lopez maria") > 0.99);
        assert!(name_similarity("jon smith", "john smith") > 0.85);
        assert!(name_similarity("mary ann jones", "maryann jones") > 0.99);
        assert!(name_similarity("peter parker", "susan storm") < 0.5);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("王小明王小明", 6), vec!["王小明", "王小明"]);
    }

    #[test]
    fn safe_lines_keeps_line_breaks_and_drops_every_control() {
        assert_eq!(safe_lines("a\u{1b}[2J\r\nb\u{9b}c\u{7}\u{202e}d"), "a[2J\nbcd");
        assert!(unsafe_file_name(std::path::Path::new("/tmp/x\u{1b}]0;t\u{7}.md")));
        assert!(!unsafe_file_name(std::path::Path::new("/tmp/\u{1b}dir/plain é.md")));
    }

    #[test]
    fn fit_respects_wide_characters() {
        assert_eq!(fit("王小明王小明", 7), "王小明…");
        assert_eq!(width(&fit("abcdefgh", 5)), 5);
        assert_eq!(fit("abc", 5), "abc");
        assert_eq!(pad("王小明", 8), "王小明  ");
        assert_eq!(width(&pad("王小明王小明", 7)), 7);
    }
}
