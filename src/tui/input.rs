//! What a terminal sends, read as key events. caseload reads the terminal's bytes itself and
//! decodes them here, because crossterm's reader waits inside `read` for the rest of an
//! escape sequence that may never come (`ESC [` from Alt-[): the app froze, ignored SIGTERM
//! and lost the note being typed. Here an incomplete sequence is resolved after a short pause,
//! as terminals and editors do: Esc followed by nothing is Esc, `ESC [` alone is Alt-[.
//!
//! The events are crossterm's own types, the ones the rest of the app was written for, with
//! the modifiers crossterm would report (a capital letter with Shift, Shift-Tab as BackTab
//! with Shift). Sequences are xterm's, which every terminal emulator in use sends.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};

/// How long an escape sequence may take to arrive whole: longer than any terminal takes to
/// send one, short enough that Esc feels immediate.
pub const ESCAPE_TIMEOUT: Duration = Duration::from_millis(50);

/// A bracketed paste longer than this is taken in pieces' worth of time; one that never ends
/// (the terminal died mid-paste) is delivered as it is after this long.
pub const PASTE_TIMEOUT: Duration = Duration::from_secs(2);

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

#[derive(Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// When the bytes now waiting started waiting (an incomplete sequence times out).
    waiting_since: Option<Instant>,
}

/// What the first bytes of the buffer are.
enum Step {
    /// An event made of this many bytes.
    Event(Event, usize),
    /// Bytes to drop (a sequence caseload does not use: mouse, focus, a reply to a query).
    Skip(usize),
    /// More bytes are needed.
    Incomplete,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent { code, modifiers, kind: KeyEventKind::Press, state: KeyEventState::NONE })
}

impl Decoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes read from the terminal.
    pub fn feed(&mut self, bytes: &[u8], now: Instant) {
        if self.buf.is_empty() {
            self.waiting_since = Some(now);
        }
        self.buf.extend_from_slice(bytes);
    }

    /// True while bytes wait for the rest of their sequence: look again after `ESCAPE_TIMEOUT`.
    pub fn pending(&self) -> bool {
        !self.buf.is_empty()
    }

    /// Every event the bytes so far make; an incomplete sequence older than the timeout is
    /// resolved as what it would be alone.
    pub fn events(&mut self, now: Instant) -> Vec<Event> {
        let mut out = Vec::new();
        loop {
            if self.buf.is_empty() {
                self.waiting_since = None;
                return out;
            }
            let timed_out =
                |limit: Duration| self.waiting_since.is_some_and(|t| now.duration_since(t) >= limit);
            match self.step(timed_out(ESCAPE_TIMEOUT), timed_out(PASTE_TIMEOUT)) {
                Step::Event(ev, n) => {
                    out.push(ev);
                    self.buf.drain(..n);
                }
                Step::Skip(n) => {
                    self.buf.drain(..n);
                }
                Step::Incomplete => return out,
            }
            // what is left started arriving no earlier than now
            self.waiting_since = Some(now);
        }
    }

    fn step(&self, escape_timed_out: bool, paste_timed_out: bool) -> Step {
        let b = &self.buf;
        if b.starts_with(PASTE_START) {
            let body = &b[PASTE_START.len()..];
            return match find(body, PASTE_END) {
                Some(end) => Step::Event(
                    Event::Paste(String::from_utf8_lossy(&body[..end]).into_owned()),
                    PASTE_START.len() + end + PASTE_END.len(),
                ),
                None if paste_timed_out => {
                    Step::Event(Event::Paste(String::from_utf8_lossy(body).into_owned()), b.len())
                }
                None => Step::Incomplete,
            };
        }
        match b[0] {
            0x1b => escape(b, escape_timed_out),
            c => match control(c) {
                Some(ev) => Step::Event(ev, 1),
                None => utf8(b, escape_timed_out),
            },
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A single control byte.
fn control(c: u8) -> Option<Event> {
    let ctrl = |ch: char| key(KeyCode::Char(ch), KeyModifiers::CONTROL);
    Some(match c {
        b'\r' | b'\n' => key(KeyCode::Enter, KeyModifiers::NONE),
        b'\t' => key(KeyCode::Tab, KeyModifiers::NONE),
        0x7f | 0x08 => key(KeyCode::Backspace, KeyModifiers::NONE),
        0x00 => ctrl(' '),
        0x01..=0x1a => ctrl((b'a' + c - 1) as char),
        0x1c => ctrl('\\'),
        0x1d => ctrl(']'),
        0x1e => ctrl('^'),
        0x1f => ctrl('_'),
        _ => return None,
    })
}

/// One character of text (UTF-8), with Shift for a capital as crossterm reports it.
fn utf8(b: &[u8], timed_out: bool) -> Step {
    let need = match b[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Step::Skip(1),
    };
    if b.len() < need {
        return if timed_out { Step::Skip(b.len()) } else { Step::Incomplete };
    }
    match std::str::from_utf8(&b[..need]).ok().and_then(|s| s.chars().next()) {
        Some(c) => Step::Event(char_key(c, KeyModifiers::NONE), need),
        None => Step::Skip(1),
    }
}

fn char_key(c: char, mods: KeyModifiers) -> Event {
    let shift = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    key(KeyCode::Char(c), mods | shift)
}

/// A sequence that starts with ESC.
fn escape(b: &[u8], timed_out: bool) -> Step {
    let alone = || Step::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1);
    let Some(&next) = b.get(1) else {
        return if timed_out { alone() } else { Step::Incomplete };
    };
    match next {
        b'[' => match csi(b) {
            // `ESC [` alone is Alt-[; a sequence cut short after its parameters is dropped
            Step::Incomplete if timed_out && b.len() == 2 => Step::Event(char_key('[', KeyModifiers::ALT), 2),
            Step::Incomplete if timed_out => {
                let params = b[2..].iter().take_while(|c| (0x20..=0x3f).contains(*c)).count();
                Step::Skip(2 + params)
            }
            s => s,
        },
        b'O' => match b.get(2) {
            None if timed_out => Step::Event(char_key('O', KeyModifiers::ALT), 2),
            None => Step::Incomplete,
            Some(&f) => match ss3(f) {
                Some(code) => Step::Event(key(code, KeyModifiers::NONE), 3),
                None if (0x40..=0x7e).contains(&f) => Step::Skip(3),
                // not a sequence: ESC O was Alt-O, and what follows is typed
                None => Step::Event(char_key('O', KeyModifiers::ALT), 2),
            },
        },
        // Esc pressed twice: the first is Esc
        0x1b => alone(),
        c => match control(c) {
            // Alt with a control key (Alt-Backspace, Alt-Enter)
            Some(Event::Key(k)) => Step::Event(key(k.code, k.modifiers | KeyModifiers::ALT), 2),
            _ => match utf8(&b[1..], timed_out) {
                Step::Event(Event::Key(k), n) => {
                    Step::Event(key(k.code, k.modifiers | KeyModifiers::ALT), n + 1)
                }
                Step::Incomplete => Step::Incomplete,
                _ => alone(),
            },
        },
    }
}

/// SS3 (`ESC O x`): F1–F4 and the cursor keys in application mode.
fn ss3(f: u8) -> Option<KeyCode> {
    Some(match f {
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'M' => KeyCode::Enter,
        _ => return None,
    })
}

/// xterm's modifier parameter: 1 + Shift 1, Alt 2, Ctrl 4.
fn modifiers(p: u16) -> KeyModifiers {
    let bits = p.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// CSI (`ESC [ params final`).
fn csi(b: &[u8]) -> Step {
    // parameter bytes (0x30–0x3f) run until a final byte (0x40–0x7e); keys never send the
    // intermediates of output sequences, so anything else means ESC [ was Alt-[ after all
    let params_end = 2 + b[2..].iter().take_while(|c| (0x30..=0x3f).contains(*c)).count();
    let Some(&fin) = b.get(params_end) else {
        // a sequence that never ends is not a key: give up on it after a while
        return if b.len() > 64 { Step::Skip(b.len()) } else { Step::Incomplete };
    };
    if !(0x40..=0x7e).contains(&fin) {
        return Step::Event(char_key('[', KeyModifiers::ALT), 2);
    }
    let end = params_end;
    let len = end + 1;
    let params = &b[2..end];
    // private sequences (`ESC [ ?`, `ESC [ <` mouse, `ESC [ >`) are replies or mouse reports
    if params.first().is_some_and(|c| matches!(c, b'?' | b'<' | b'>' | b'=')) {
        return Step::Skip(len);
    }
    let text = std::str::from_utf8(params).unwrap_or("");
    let nums: Vec<u16> = text.split(';').map(|p| p.parse().unwrap_or(0)).collect();
    let first = nums.first().copied().unwrap_or(0);
    let mods = modifiers(nums.get(1).copied().unwrap_or(1));
    let code = match b[end] {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return Step::Event(key(KeyCode::BackTab, mods | KeyModifiers::SHIFT), len),
        b'~' => match first {
            1 | 7 => KeyCode::Home,
            2 => KeyCode::Insert,
            3 => KeyCode::Delete,
            4 | 8 => KeyCode::End,
            5 => KeyCode::PageUp,
            6 => KeyCode::PageDown,
            11..=15 => KeyCode::F((first - 10) as u8),
            17..=21 => KeyCode::F((first - 11) as u8),
            23 | 24 => KeyCode::F((first - 12) as u8),
            _ => return Step::Skip(len),
        },
        _ => return Step::Skip(len),
    };
    Step::Event(key(code, mods), len)
}

/// What a terminal sends for `code` with `mods` (xterm): the other half of the decoder, for
/// tests that prove each binding through the bytes a terminal sends. None: not sendable.
pub fn encode(code: KeyCode, mods: KeyModifiers) -> Option<Vec<u8>> {
    let alt = mods.contains(KeyModifiers::ALT);
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let param = 1 + u8::from(mods.contains(KeyModifiers::SHIFT)) + 2 * u8::from(alt) + 4 * u8::from(ctrl);
    let with_mods = |base: &str, fin: char| {
        if param == 1 {
            format!("\x1b[{base}{fin}")
        } else {
            format!("\x1b[{};{param}{fin}", if base.is_empty() { "1" } else { base })
        }
    };
    let tilde = |n: u8| if param == 1 { format!("\x1b[{n}~") } else { format!("\x1b[{n};{param}~") };
    let s = match code {
        KeyCode::Char(c) if ctrl => {
            let b = match c.to_ascii_lowercase() {
                c @ 'a'..='z' => c as u8 - b'a' + 1,
                ' ' => 0,
                '\\' => 0x1c,
                ']' => 0x1d,
                _ => return None,
            };
            let mut v = if alt { vec![0x1b] } else { vec![] };
            v.push(b);
            return Some(v);
        }
        KeyCode::Char(c) => {
            let mut v = if alt { vec![0x1b] } else { vec![] };
            v.extend_from_slice(c.to_string().as_bytes());
            return Some(v);
        }
        KeyCode::Enter => return Some(if alt { b"\x1b\r".to_vec() } else { b"\r".to_vec() }),
        KeyCode::Tab => return Some(b"\t".to_vec()),
        KeyCode::BackTab => "\x1b[Z".to_string(),
        KeyCode::Backspace => return Some(if alt { b"\x1b\x7f".to_vec() } else { b"\x7f".to_vec() }),
        KeyCode::Esc => return Some(b"\x1b".to_vec()),
        KeyCode::Up => with_mods("", 'A'),
        KeyCode::Down => with_mods("", 'B'),
        KeyCode::Right => with_mods("", 'C'),
        KeyCode::Left => with_mods("", 'D'),
        KeyCode::Home => with_mods("", 'H'),
        KeyCode::End => with_mods("", 'F'),
        KeyCode::Insert => tilde(2),
        KeyCode::Delete => tilde(3),
        KeyCode::PageUp => tilde(5),
        KeyCode::PageDown => tilde(6),
        KeyCode::F(n @ 1..=4) if param == 1 => format!("\x1bO{}", (b'P' + n - 1) as char),
        KeyCode::F(n @ 1..=4) => format!("\x1b[1;{param}{}", (b'P' + n - 1) as char),
        KeyCode::F(n @ 5) => tilde(n + 10),
        KeyCode::F(n @ 6..=10) => tilde(n + 11),
        KeyCode::F(n @ 11..=12) => tilde(n + 12),
        _ => return None,
    };
    Some(s.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Vec<Event> {
        let t = Instant::now();
        let mut d = Decoder::new();
        d.feed(bytes, t);
        let mut out = d.events(t);
        out.extend(d.events(t + ESCAPE_TIMEOUT));
        out
    }

    fn k(code: KeyCode, mods: KeyModifiers) -> Event {
        key(code, mods)
    }

    #[test]
    fn keys_a_terminal_sends_read_as_crossterm_reports_them() {
        let n = KeyModifiers::NONE;
        assert_eq!(decode(b"a"), vec![k(KeyCode::Char('a'), n)]);
        assert_eq!(decode(b"G"), vec![k(KeyCode::Char('G'), KeyModifiers::SHIFT)]);
        assert_eq!(decode("é王".as_bytes()), vec![k(KeyCode::Char('é'), n), k(KeyCode::Char('王'), n)]);
        assert_eq!(decode(b"\x1b[Z"), vec![k(KeyCode::BackTab, KeyModifiers::SHIFT)]);
        assert_eq!(decode(b"\x1b[A\x1bOB"), vec![k(KeyCode::Up, n), k(KeyCode::Down, n)]);
        assert_eq!(decode(b"\x1b[1;2A"), vec![k(KeyCode::Up, KeyModifiers::SHIFT)]);
        assert_eq!(decode(b"\x1b[1;5D"), vec![k(KeyCode::Left, KeyModifiers::CONTROL)]);
        assert_eq!(decode(b"\x1b[5~\x1b[6~"), vec![k(KeyCode::PageUp, n), k(KeyCode::PageDown, n)]);
        assert_eq!(decode(b"\x1bOP\x1b[15~"), vec![k(KeyCode::F(1), n), k(KeyCode::F(5), n)]);
        assert_eq!(decode(b"\x13"), vec![k(KeyCode::Char('s'), KeyModifiers::CONTROL)]);
        assert_eq!(decode(b"\x1bb"), vec![k(KeyCode::Char('b'), KeyModifiers::ALT)]);
        assert_eq!(
            decode(b"\r\t\x7f"),
            vec![k(KeyCode::Enter, n), k(KeyCode::Tab, n), k(KeyCode::Backspace, n)]
        );
    }

    #[test]
    fn an_incomplete_sequence_is_resolved_after_the_pause_not_waited_for() {
        let n = KeyModifiers::NONE;
        let t = Instant::now();
        let mut d = Decoder::new();
        d.feed(b"\x1b", t);
        assert!(d.events(t).is_empty(), "a lone Esc may be the start of a sequence");
        assert_eq!(d.events(t + ESCAPE_TIMEOUT), vec![k(KeyCode::Esc, n)]);
        assert!(!d.pending());
        assert_eq!(decode(b"\x1b["), vec![k(KeyCode::Char('['), KeyModifiers::ALT)]);
        assert_eq!(decode(b"\x1bO"), vec![k(KeyCode::Char('O'), KeyModifiers::ALT | KeyModifiers::SHIFT)]);
        // `ESC [ ?` alone waits for a final byte that never comes, then is dropped
        assert_eq!(decode(b"\x1b[?"), vec![]);
        assert_eq!(decode(b"\x1b[1;"), vec![]);
        // text typed right after a lone ESC [ is text, however soon it comes
        assert_eq!(
            decode(b"\x1b[ and"),
            vec![
                k(KeyCode::Char('['), KeyModifiers::ALT),
                k(KeyCode::Char(' '), n),
                k(KeyCode::Char('a'), n),
                k(KeyCode::Char('n'), n),
                k(KeyCode::Char('d'), n)
            ]
        );
        // the rest of a sequence arriving later still reads as the key
        let mut d = Decoder::new();
        d.feed(b"\x1b[", t);
        assert!(d.events(t).is_empty());
        d.feed(b"A", t + Duration::from_millis(5));
        assert_eq!(d.events(t + Duration::from_millis(5)), vec![k(KeyCode::Up, n)]);
    }

    #[test]
    fn pastes_replies_and_mouse_reports() {
        assert_eq!(
            decode(b"\x1b[200~two\nlines\x1b[201~x").first(),
            Some(&Event::Paste("two\nlines".into()))
        );
        assert_eq!(decode(b"\x1b[?1;2c\x1b[<0;3;4Mq"), vec![k(KeyCode::Char('q'), KeyModifiers::NONE)]);
        let t = Instant::now();
        let mut d = Decoder::new();
        d.feed(b"\x1b[200~cut sh", t);
        assert!(d.events(t + ESCAPE_TIMEOUT).is_empty(), "a paste arriving slowly is waited for");
        assert_eq!(d.events(t + PASTE_TIMEOUT), vec![Event::Paste("cut sh".into())]);
    }

    #[test]
    fn what_is_encoded_decodes_to_the_same_key() {
        let mods = [
            KeyModifiers::NONE,
            KeyModifiers::SHIFT,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        ];
        let codes = [
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Delete,
            KeyCode::F(1),
            KeyCode::F(5),
            KeyCode::F(12),
        ];
        for code in codes {
            for m in mods {
                let bytes = encode(code, m).unwrap_or_default();
                assert_eq!(decode(&bytes), vec![k(code, m)], "{code:?} {m:?}");
            }
        }
    }
}
