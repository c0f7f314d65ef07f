//! Selection and scrolling for every list: one place for j/k, paging, first/last.

use crate::keymap::Action;

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
