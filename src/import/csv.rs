//! A strict CSV reader (RFC 4180, with any line ending). Hand-written rather than the `csv`
//! crate because the import must *refuse* a file whose quoting is broken, naming the line, and
//! the crate by design reads broken quoting leniently (an unclosed quote silently swallows the
//! rest of the file into one field). Pure: text in, table or a syntax error out.

/// A table read from CSV: lower-cased, trimmed header names and the rows under them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvTable {
    pub headers: Vec<String>,
    /// Each row with the line it starts on (1 = the header line).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a CSV file cannot be read, with the line it happened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads CSV text. Quoted fields may hold the delimiter, quotes (doubled) and line breaks.
/// Refused: a quote that is never closed, text straight after a closing quote, and a row with
/// more or fewer fields than the header (which is what broken quoting usually looks like).
/// Blank lines are ignored.
pub fn parse(text: &str, delimiter: char) -> Result<CsvTable, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1usize;
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut record_line = 1usize;
    let mut field_started = false;
    loop {
        let Some(c) = chars.next() else {
            if field_started || !record.is_empty() {
                record.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut record)));
            }
            break;
        };
        if c == '"' && field.is_empty() && !field_started {
            // a quoted field
            let opened_on = line;
            field_started = true;
            loop {
                match chars.next() {
                    None => {
                        return Err(CsvError {
                            line: opened_on,
                            message:
                                "a quoted field that starts here is never closed (check the quote marks)"
                                    .into(),
                        })
                    }
                    Some('"') => {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                            field.push('"');
                        } else {
                            break;
                        }
                    }
                    Some(ch) => {
                        if ch == '\n' || (ch == '\r' && chars.peek() != Some(&'\n')) {
                            line += 1;
                        }
                        field.push(ch);
                    }
                }
            }
            match chars.peek() {
                None | Some('\n') | Some('\r') => {}
                Some(&d) if d == delimiter => {}
                Some(_) => {
                    return Err(CsvError {
                        line,
                        message:
                            "text follows a closing quote mark in the same field (a quote inside a quoted \
                                  field must be doubled: \"\")"
                                .into(),
                    })
                }
            }
            continue;
        }
        if c == delimiter {
            record.push(std::mem::take(&mut field));
            field_started = false;
            continue;
        }
        if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            if field_started || !record.is_empty() || !field.is_empty() {
                record.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut record)));
            }
            field_started = false;
            line += 1;
            record_line = line;
            continue;
        }
        if !field_started && record.is_empty() && field.is_empty() {
            record_line = line;
        }
        field_started = true;
        field.push(c);
    }
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else { return Ok(CsvTable::default()) };
    let headers: Vec<String> =
        header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
    let mut rows = Vec::new();
    for (at, r) in records {
        if r.len() != headers.len() {
            // a trailing empty column some spreadsheets add is harmless
            let trailing_blanks =
                r.len() > headers.len() && r[headers.len()..].iter().all(|f| f.trim().is_empty());
            if !trailing_blanks {
                return Err(CsvError {
                    line: at,
                    message: format!(
                        "this row has {} fields but the header has {} (a stray comma or quote mark?)",
                        r.len(),
                        headers.len()
                    ),
                });
            }
        }
        rows.push((at, r.into_iter().take(headers.len()).collect()));
    }
    Ok(CsvTable { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_quoted_and_multiline_fields() {
        let t = parse("id,name,notes\r\n1,Ada,\"two\nlines, with comma\"\n2,\"Bo \"\"B\"\"\",\n\n3,C,x", ',')
            .unwrap();
        assert_eq!(t.headers, vec!["id", "name", "notes"]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[0], (2, vec!["1".into(), "Ada".into(), "two\nlines, with comma".into()]));
        assert_eq!(t.rows[1], (4, vec!["2".into(), "Bo \"B\"".into(), "".into()]));
        assert_eq!(t.rows[2].0, 6);
    }

    #[test]
    fn byte_order_mark_and_header_case() {
        let t = parse("\u{feff}ID, Name \n1,x\n", ',').unwrap();
        assert_eq!(t.headers, vec!["id", "name"]);
    }

    #[test]
    fn broken_quoting_is_refused_with_its_line() {
        let e = parse("id,name\n1,\"unclosed\n2,b\n", ',').unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("never closed"));
        let e = parse("id,name\n1,\"a\"b\n", ',').unwrap_err();
        assert!(e.message.contains("closing quote"), "{e}");
        let e = parse("id,name\n1,a,b\n", ',').unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("3 fields"));
    }

    #[test]
    fn lenient_where_it_is_unambiguous() {
        // a quote inside an unquoted field, a trailing empty column, no final newline
        let t = parse("id,size\n1,5\" screen,\n2,x", ',').unwrap();
        assert_eq!(t.rows[0].1, vec!["1", "5\" screen"]);
        assert_eq!(t.rows[1].1, vec!["2", "x"]);
        assert_eq!(parse("", ',').unwrap(), CsvTable::default());
        let t = parse("a;b\n1;2\n", ';').unwrap();
        assert_eq!(t.rows[0].1, vec!["1", "2"]);
    }
}
