//! The people around a client: household and family (with their family links), as a list,
//! as a genogram drawn from those links, or as an ecomap of the client's ties.

use crate::domain::genogram::PartnerStatus;
use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::people::person_ref;
use crate::domain::text::{display_safe, fit, width};
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::people::{Partnership, Person};
use crate::store::Result;
use crate::ui::acts::Act;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

pub struct PeopleScreen {
    pub client_id: i64,
    people: Vec<Person>,
    partners: Vec<Partnership>,
    genogram_layout: Option<crate::ui::widgets::genogram::GenoLayout>,
    ecomap: Option<crate::ui::widgets::ecomap::EcomapInput>,
    /// Showing the ecomap instead of the list.
    pub show_ecomap: bool,
    /// The body area, for clamping the genogram's scrolling.
    area: Rect,
    cursor: ListCursor,
    /// Showing the genogram instead of the list.
    pub genogram: bool,
    scroll: (u16, u16),
    confirm_remove: Option<i64>,
    stale: bool,
}

impl PeopleScreen {
    pub fn new(client_id: i64) -> Self {
        PeopleScreen {
            client_id,
            people: Vec::new(),
            partners: Vec::new(),
            genogram_layout: None,
            ecomap: None,
            show_ecomap: false,
            area: Rect::default(),
            cursor: ListCursor::default(),
            genogram: false,
            scroll: (0, 0),
            confirm_remove: None,
            stale: true,
        }
    }

    fn name_of(&self, id: Option<i64>) -> String {
        id.and_then(|i| self.people.iter().find(|p| p.id == i))
            .map(|p| if p.is_self { "the client".to_string() } else { p.name.clone() })
            .unwrap_or_default()
    }

    fn links_text(&self, p: &Person) -> String {
        let mut parts = Vec::new();
        let (m, f) = (self.name_of(p.mother_id), self.name_of(p.father_id));
        if !m.is_empty() || !f.is_empty() {
            let both: Vec<String> = [m, f].into_iter().filter(|s| !s.is_empty()).collect();
            parts.push(format!("child of {}", both.join(" & ")));
        }
        for pt in self.partners.iter().filter(|pt| pt.a == p.id || pt.b == p.id) {
            let other = if pt.a == p.id { pt.b } else { pt.a };
            parts.push(format!(
                "{} {}",
                match pt.status {
                    PartnerStatus::Current => "partner of",
                    PartnerStatus::Married => "married to",
                    PartnerStatus::Cohabiting => "lives with",
                    PartnerStatus::Former => "ex of",
                    PartnerStatus::Separated => "separated from",
                    PartnerStatus::Divorced => "divorced from",
                },
                self.name_of(Some(other))
            ));
        }
        parts.join("; ")
    }

    fn render_list(&self, frame: &mut Frame<'_>, inner: Rect, today: NaiveDate) {
        let w = inner.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "  {:<20} {:<14} {:<6} {:<9} {:<4} {}",
                "Name", "Relation", "Sex", "Born", "Home", "Family links"
            ),
            theme::title(),
        ))];
        if self.people.len() <= 1 {
            lines.push(Line::from(Span::styled(
                "Nobody recorded yet. Press n to add the household and family: mother and father first, \
                 then siblings, partners and children link themselves.",
                theme::dim(),
            )));
        }
        let mut cursor = self.cursor;
        cursor.height = inner.height.saturating_sub(2) as usize;
        for i in cursor.visible(self.people.len()) {
            let p = &self.people[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let born = match p.birth_year {
                Some(y) if p.deceased => format!("{y} ✝"),
                Some(y) => format!("{y} ({})", today.year() - y),
                None if p.deceased => "✝".into(),
                None => String::new(),
            };
            let name = fit(&display_safe(&p.name), 20);
            let pad = 20usize.saturating_sub(width(&name));
            let links = self.links_text(p);
            let rest = format!(
                " {:<14} {:<6} {:<9} {:<4} {}",
                fit(if p.is_self { "(the client)" } else { &p.relation }, 14),
                fit(if p.sex == "unknown" { "" } else { &p.sex }, 6),
                fit(&born, 9),
                if p.in_household { "home" } else { "" },
                display_safe(&links)
            );
            lines.push(Line::from(Span::styled(
                fit(&format!("{}{name}{}{rest}", if selected { "▶ " } else { "  " }, " ".repeat(pad)), w),
                style,
            )));
        }
        if let Some(id) = self.confirm_remove {
            lines.push(Line::from(Span::styled(
                format!(
                    "Remove {} ({})? y removes, any other key keeps.",
                    display_safe(&self.name_of(Some(id))),
                    person_ref(id)
                ),
                theme::warn(),
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

impl View for PeopleScreen {
    fn title(&self) -> &'static str {
        "People and family"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::People, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::New, Action::Edit, Action::Genogram, Action::Ecomap, Action::Remove, Action::Back]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = body.height.saturating_sub(4) as usize;
        self.area =
            Rect { x: 0, y: 0, width: body.width.saturating_sub(2), height: body.height.saturating_sub(2) };
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.people = ctx.store.people(self.client_id)?;
            self.partners = ctx.store.partnerships(self.client_id)?;
            self.genogram_layout =
                Some(crate::ui::widgets::family::genogram_layout(&self.people, &self.partners));
            let client = ctx.store.client(self.client_id)?;
            let name = if client.preferred_name.is_empty() {
                client.given_name.clone()
            } else {
                client.preferred_name.clone()
            };
            let extra = crate::ui::widgets::family::extra_ties(ctx.store, self.client_id)?;
            self.ecomap = Some(crate::ui::widgets::family::ecomap_input(&name, &self.people, extra));
            self.stale = false;
        }
        self.cursor.clamp(self.people.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(id) = self.confirm_remove.take() {
            if lookup(&[Context::People], &ev) == Some(Action::Yes) {
                return Handled::Act(Act::RemovePerson(id));
            }
            return Handled::Yes(vec![Message::Status("Kept.".into())]);
        }
        let Some(action) = lookup(&[Context::People, Context::Nav], &ev) else { return Handled::No };
        if self.show_ecomap {
            match action {
                Action::Ecomap | Action::Back => self.show_ecomap = false,
                Action::Genogram => {
                    self.show_ecomap = false;
                    self.genogram = true;
                }
                Action::New => {
                    return Handled::Yes(vec![Message::Assess(AssessMsg::AddPerson(self.client_id))])
                }
                _ => return Handled::No,
            }
            return Handled::Yes(vec![]);
        }
        if action == Action::Ecomap {
            self.genogram = false;
            self.show_ecomap = true;
            return Handled::Yes(vec![]);
        }
        if self.genogram {
            let (max_x, max_y) = self
                .genogram_layout
                .as_ref()
                .map(|l| crate::ui::widgets::genogram::Genogram::max_offset(l, self.area))
                .unwrap_or((0, 0));
            let page = self.area.height.max(2) / 2;
            match action {
                Action::Up => self.scroll.1 = self.scroll.1.saturating_sub(1),
                Action::Down => self.scroll.1 = self.scroll.1.saturating_add(1).min(max_y),
                Action::PageUp => self.scroll.1 = self.scroll.1.saturating_sub(page),
                Action::PageDown => self.scroll.1 = self.scroll.1.saturating_add(page).min(max_y),
                Action::ScrollLeft => self.scroll.0 = self.scroll.0.saturating_sub(8),
                Action::ScrollRight => self.scroll.0 = self.scroll.0.saturating_add(8).min(max_x),
                Action::Genogram => self.genogram = false,
                Action::Back => self.genogram = false,
                Action::New => {
                    return Handled::Yes(vec![Message::Assess(AssessMsg::AddPerson(self.client_id))])
                }
                _ => return Handled::No,
            }
            return Handled::Yes(vec![]);
        }
        if self.cursor.apply(action, self.people.len()) {
            return Handled::Yes(vec![]);
        }
        let selected = self.people.get(self.cursor.selected);
        let msg = match action {
            Action::New => Message::Assess(AssessMsg::AddPerson(self.client_id)),
            Action::Edit | Action::Open => match selected {
                Some(p) => Message::Assess(AssessMsg::EditPerson(p.id)),
                None => return Handled::Yes(vec![]),
            },
            Action::Remove => match selected {
                Some(p) if p.is_self => {
                    Message::Status("The client's own place in the family tree stays.".into())
                }
                Some(p) => {
                    self.confirm_remove = Some(p.id);
                    return Handled::Yes(vec![]);
                }
                None => return Handled::Yes(vec![]),
            },
            Action::Genogram => {
                self.genogram = true;
                return Handled::Yes(vec![]);
            }
            Action::Back => Message::Back,
            _ => return Handled::No,
        };
        Handled::Yes(vec![msg])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, today: NaiveDate) {
        let household = self.people.iter().filter(|p| p.in_household).count();
        let title = if self.show_ecomap {
            format!(
                " Ecomap — the client's ties (set a tie with {} on the list) · {} back ",
                key_label(Context::People, Action::Edit),
                key_label(Context::People, Action::Ecomap)
            )
        } else if self.genogram {
            " Genogram — g back to the list · arrows scroll ".to_string()
        } else {
            format!(
                " People and family — {} recorded, {household} in the household ",
                self.people.len().saturating_sub(1)
            )
        };
        let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme::title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.show_ecomap {
            if let Some(e) = &self.ecomap {
                frame.render_widget(crate::ui::widgets::ecomap::Ecomap::new(e), inner);
            }
        } else if self.genogram {
            if let Some(l) = &self.genogram_layout {
                let g = crate::ui::widgets::genogram::Genogram::new(l).year(today.year());
                frame.render_widget(g.offset(self.scroll.0, self.scroll.1), inner);
            }
        } else {
            self.render_list(frame, inner, today);
        }
    }
}
