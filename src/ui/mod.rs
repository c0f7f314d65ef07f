//! Drawing. `render` reads App state only: no database, no clock.

pub mod acts;
pub mod form_screen;
pub mod screens;
pub mod theme;
pub mod view;
pub mod widgets;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::{App, Modal};
use crate::domain::dates::format_date;
use crate::domain::text::{display_safe, fit};
use crate::keymap::{key_label, Action, Context};
use widgets::{footer, help, modal};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn render(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = vec![
            Line::from(Span::styled("Please enlarge the terminal", theme::title())),
            Line::from(format!(
                "caseload needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
                area.width, area.height
            )),
        ];
        frame.render_widget(Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }), area);
        return;
    }
    let top = Rect { height: 1, ..area };
    let banner_h = app.banner_rows(area.width);
    let body = Rect { y: area.y + 1 + banner_h, height: area.height - 3 - banner_h, ..area };
    let foot = Rect { y: area.y + area.height - 2, height: 2, ..area };
    if let Some(b) = &app.banner {
        let r = Rect { y: area.y + 1, height: banner_h, ..area };
        frame.render_widget(
            Paragraph::new(Span::styled(display_safe(b).into_owned(), theme::error()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            r,
        );
    }

    // top bar: where we are, and the client's header when the screen is about one client
    let client = app.header.as_ref().filter(|_| app.current_client().is_some());
    let bar = widgets::header::top_bar(app.title(), client, app.today, area.width as usize);
    frame.render_widget(Paragraph::new(bar), top);

    if let Some(v) = app.stack.last() {
        v.render(frame, body, app.today);
    }

    match &app.modal {
        Some(Modal::ConfirmDiscard { can_keep }) => {
            let key = |a: Action| Span::styled(key_label(Context::Confirm, a), theme::key());
            let mut choices = Vec::new();
            if *can_keep {
                choices.extend([key(Action::KeepDraft), Span::raw(" keep as draft   ")]);
            }
            choices.extend([
                key(Action::Discard),
                Span::raw(" discard them   "),
                key(Action::No),
                Span::raw(" keep editing"),
            ]);
            let mut lines = vec![Line::from("This form has changes that are not saved."), Line::from("")];
            if *can_keep {
                // two lines, each narrower than the dialog (it is sized by its lines)
                lines.push(Line::from(Span::styled(
                    "Kept as a draft, it comes back where you were when you open",
                    theme::dim(),
                )));
                lines.push(Line::from(Span::styled(
                    format!(
                        "this form again, or from the drafts list ({}).",
                        key_label(Context::Global, Action::Drafts)
                    ),
                    theme::dim(),
                )));
                lines.push(Line::from(""));
            }
            lines.push(Line::from(choices));
            modal::render(frame, body, "Unsaved changes", lines, 64)
        }
        Some(Modal::Duplicates { list, selected }) => {
            let mut lines = vec![Line::from("This person may already be on your caseload:"), Line::from("")];
            for (i, (d, c)) in list.iter().enumerate() {
                let dob = c.date_of_birth.map(format_date).unwrap_or_else(|| "no birth date".into());
                let text = format!(
                    "{}{}  {}  {}  {} — {}",
                    if i == *selected { "▶ " } else { "  " },
                    c.reference,
                    fit(&display_safe(&c.display_name()), 30),
                    dob,
                    c.status.as_str(),
                    d.reason
                );
                lines.push(Line::from(Span::styled(
                    text,
                    if i == *selected { theme::selected() } else { ratatui::style::Style::default() },
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled("Enter", theme::key()),
                Span::raw(" open the existing file   "),
                Span::styled("s", theme::key()),
                Span::raw(" save as new anyway   "),
                Span::styled("Esc", theme::key()),
                Span::raw(" back"),
            ]));
            modal::render(frame, body, "Possible duplicate", lines, 76);
        }
        Some(Modal::Drafts { list, selected }) => {
            let mut lines =
                vec![Line::from("These forms are kept as drafts, not saved yet:"), Line::from("")];
            for (i, d) in list.iter().enumerate() {
                let when = d.updated_at.map(crate::domain::dates::format_local).unwrap_or_default();
                lines.push(Line::from(Span::styled(
                    format!(
                        "{}{}  ({when})",
                        if i == *selected { "▶ " } else { "  " },
                        fit(&display_safe(&d.title), 50)
                    ),
                    if i == *selected { theme::selected() } else { ratatui::style::Style::default() },
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled("Enter", theme::key()),
                Span::raw(" resume   "),
                Span::styled("d", theme::key()),
                Span::raw(" discard   "),
                Span::styled("Esc", theme::key()),
                Span::raw(format!(
                    " later ({} reopens this list)",
                    key_label(Context::Global, Action::Drafts)
                )),
            ]));
            modal::render(frame, body, "Unsaved drafts", lines, 76);
        }
        Some(Modal::PickClient(p, _)) => p.render(frame, body),
        Some(Modal::ReferInactive { name, status, .. }) => {
            let question = format!(
                "{} is {} — it may not take referrals. Refer to it anyway? ({} yes / {} no)",
                crate::domain::text::quote(name),
                display_safe(status),
                key_label(Context::InactiveService, Action::Yes),
                key_label(Context::InactiveService, Action::No)
            );
            let lines: Vec<Line> = crate::domain::text::wrap(&question, 56)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme::warn())))
                .collect();
            modal::render(frame, body, "Refer to this service?", lines, 62)
        }
        Some(Modal::PickService(p)) => p.render(frame, body),
        None => {}
    }
    if let Some(scroll) = app.help_scroll {
        help::render(frame, area, &app.help_contexts(), scroll);
    }
    footer::render(frame, foot, app.contexts(), app.hints(), app.status.as_deref());
}
