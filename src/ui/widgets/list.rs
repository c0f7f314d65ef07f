//! Selection and scrolling for every list: one place for j/k, paging, first/last; and the
//! `/` filter typed over a list.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keymap::Action;

/// The longest filter a list takes (a name, a reference, a few words).
pub const FILTER_MAX: usize = 100;

/// What a key did to a `/` filter being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKey {
    /// A character added or taken away: filter again.
    Typed,
    /// Enter: the filter stays, typing ends.
    Done,
    /// Esc: the filter is cleared and typing ends.
    Cleared,
    /// Not the filter's key (an arrow, a control key).
    Other,
}

/// One editing model for every list's `/` filter: letters are typed (not Ctrl/Alt ones, not
/// controls, at most `FILTER_MAX`), Backspace takes one back, Enter ends, Esc clears.
pub fn filter_key(filter: &mut String, ev: &KeyEvent) -> FilterKey {
    match ev.code {
        KeyCode::Esc => {
            filter.clear();
            FilterKey::Cleared
        }
        KeyCode::Enter => FilterKey::Done,
        _ if edit_query(filter, ev, FILTER_MAX) => FilterKey::Typed,
        _ => FilterKey::Other,
    }
}

/// Typing into a search line (a filter, a picker's or a search screen's query): a letter is
/// added (not a Ctrl/Alt one, not a control, at most `max`), Backspace takes one back. True
/// when the text is the key's.
pub fn edit_query(text: &mut String, ev: &KeyEvent, max: usize) -> bool {
    match ev.code {
        KeyCode::Backspace => {
            text.pop();
            true
        }
        KeyCode::Char(c)
            if !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && !c.is_control()
                && text.chars().count() < max =>
        {
            text.push(c);
            true
        }
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
    /// Rows visible; set from the terminal size.
    pub height: usize,
}

impl ListCursor {
    /// Applies a movement action to a list of `len` rows; false if the action is not a move.
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        let page = self.height.max(1) as isize;
        let delta: isize = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return false,
        };
        let max = len.saturating_sub(1) as isize;
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, max.max(0)) as usize;
        self.keep_visible();
        true
    }

    pub fn keep_visible(&mut self) {
        let h = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.keep_visible();
    }

    /// The visible index range for `len` rows.
    pub fn visible(&self, len: usize) -> std::ops::Range<usize> {
        self.offset.min(len)..(self.offset + self.height.max(1)).min(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_in_bounds_and_visible() {
        let mut c = ListCursor { height: 5, ..Default::default() };
        assert!(c.apply(Action::Down, 3));
        c.apply(Action::Bottom, 100);
        assert_eq!(c.selected, 99);
        assert_eq!(c.offset, 95);
        c.apply(Action::PageUp, 100);
        assert_eq!(c.selected, 94);
        c.apply(Action::Top, 100);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.apply(Action::Up, 0);
        assert_eq!(c.selected, 0);
        assert!(!c.apply(Action::Open, 10));
        assert_eq!(c.visible(3), 0..3);
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn a_filter_takes_letters_but_not_control_keys_and_stops_at_its_limit() {
        let mut f = String::new();
        assert_eq!(filter_key(&mut f, &k(KeyCode::Char('Z'), KeyModifiers::SHIFT)), FilterKey::Typed);
        assert_eq!(filter_key(&mut f, &k(KeyCode::Char('s'), KeyModifiers::CONTROL)), FilterKey::Other);
        assert_eq!(filter_key(&mut f, &k(KeyCode::Char('x'), KeyModifiers::ALT)), FilterKey::Other);
        assert_eq!(f, "Z");
        assert_eq!(filter_key(&mut f, &k(KeyCode::Backspace, KeyModifiers::NONE)), FilterKey::Typed);
        assert_eq!(f, "");
        for _ in 0..FILTER_MAX + 5 {
            filter_key(&mut f, &k(KeyCode::Char('a'), KeyModifiers::NONE));
        }
        assert_eq!(f.chars().count(), FILTER_MAX);
        assert_eq!(filter_key(&mut f, &k(KeyCode::Enter, KeyModifiers::NONE)), FilterKey::Done);
        assert_eq!(f.chars().count(), FILTER_MAX, "Enter keeps the filter");
        assert_eq!(filter_key(&mut f, &k(KeyCode::Esc, KeyModifiers::NONE)), FilterKey::Cleared);
        assert!(f.is_empty());
    }
}
