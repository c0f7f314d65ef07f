//! Screeners: a client's administrations with each instrument's trend against its bands.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

use crate::app::message::{AssessMsg, Message};
use crate::domain::dates::format_date;
use crate::domain::instruments::{attribution_for, Instrument, Scoring};
use crate::domain::text::fit;
use crate::keymap::{key_label, lookup, Action, Context};
use crate::store::screenings::{summary, Screening, TrendPoint};
use crate::store::Result;
use crate::ui::theme;
use crate::ui::view::{Handled, SyncCtx, View};
use crate::ui::widgets::list::ListCursor;

/// Instruments with a total, whose trend can be drawn.
pub(super) fn has_total(i: &Instrument) -> bool {
    matches!(i.scoring, Scoring::Sum(_))
}

fn bands(i: &Instrument) -> Vec<(i32, i32, String)> {
    match &i.scoring {
        Scoring::Sum(s) => s.bands.iter().map(|b| (b.min, b.max, b.label.clone())).collect(),
        _ => Vec::new(),
    }
}

/// "PHQ-9 18 → 11, Moderately severe → Moderate" (first and last result with their bands).
pub fn change_phrase(short_name: &str, points: &[TrendPoint]) -> Option<String> {
    let (first, last) = (points.first()?, points.last()?);
    if points.len() == 1 {
        return Some(format!(
            "{short_name} {}{} (one result)",
            first.total,
            first.band.as_deref().map(|b| format!(", {b}")).unwrap_or_default()
        ));
    }
    let bands = match (&first.band, &last.band) {
        (Some(a), Some(b)) if a == b => format!(", still {b}"),
        (Some(a), Some(b)) => format!(", {a} → {}", b.to_lowercase()),
        _ => String::new(),
    };
    Some(format!(
        "{short_name} {} → {}{bands} ({} to {})",
        first.total,
        last.total,
        format_date(first.on),
        format_date(last.on)
    ))
}

// ---------------------------------------------------------------------------------------------
// The list and trends
// ---------------------------------------------------------------------------------------------

/// One instrument's totals over time, with its bands.
struct Trend {
    id: String,
    short: String,
    points: Vec<TrendPoint>,
    /// (min, max, label)
    bands: Vec<(i32, i32, String)>,
    max: i32,
}

pub struct ScreenersScreen {
    pub client_id: i64,
    list: Vec<Screening>,
    /// Screenings with a safety alert not yet acknowledged.
    open_alerts: Vec<i64>,
    trends: Vec<Trend>,
    trend_shown: usize,
    /// Picking which instrument to give.
    choosing: Option<usize>,
    names: Vec<(String, String)>,
    cursor: ListCursor,
    stale: bool,
}

impl ScreenersScreen {
    pub fn new(client_id: i64) -> Self {
        ScreenersScreen {
            client_id,
            list: Vec::new(),
            open_alerts: Vec::new(),
            trends: Vec::new(),
            trend_shown: 0,
            choosing: None,
            names: Vec::new(),
            cursor: ListCursor::default(),
            stale: true,
        }
    }

    fn render_chart(&self, frame: &mut Frame<'_>, area: Rect) {
        let Some(Trend { short, points, bands, max, .. }) = self.trends.get(self.trend_shown) else { return };
        let phrase =
            change_phrase(short, points).unwrap_or_else(|| format!("{short}: no complete results yet"));
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Trend: {} ", fit(&phrase, area.width.saturating_sub(12) as usize)),
            theme::title(),
        ));
        if points.is_empty() || area.height < 6 {
            frame.render_widget(
                Paragraph::new(Span::styled("No complete results to draw.", theme::dim())).block(block),
                area,
            );
            return;
        }
        let x0 = points.first().map(|p| p.on).unwrap_or_default();
        let x_of = |d: NaiveDate| (d - x0).num_days() as f64;
        let span = points.last().map(|p| x_of(p.on)).unwrap_or(0.0).max(1.0);
        let data: Vec<(f64, f64)> = points.iter().map(|p| (x_of(p.on), f64::from(p.total))).collect();
        // band thresholds as dotted level lines (a dot every few cells), so where a result falls
        // is visible without colour; the legend under the chart names the bands
        let dots = (area.width / 3).max(2) as usize;
        let thresholds: Vec<Vec<(f64, f64)>> = bands
            .iter()
            .skip(1)
            .map(|(min, _, _)| {
                (0..=dots).map(|k| (span * k as f64 / dots as f64, f64::from(*min) - 0.5)).collect()
            })
            .collect();
        let mut sets: Vec<Dataset<'_>> = thresholds
            .iter()
            .map(|t| {
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Scatter)
                    .style(theme::dim())
                    .data(t)
            })
            .collect();
        sets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme::focused())
                .data(&data),
        );
        sets.push(
            Dataset::default()
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme::title())
                .data(&data),
        );
        let last = points.last().map(|p| p.on).unwrap_or(x0);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let chart_area = Rect { height: inner.height.saturating_sub(1), ..inner };
        let legend_area = Rect { y: inner.y + inner.height.saturating_sub(1), height: 1, ..inner };
        let chart = Chart::new(sets)
            .x_axis(
                Axis::default()
                    .bounds([0.0, span])
                    .labels(vec![Span::raw(format_date(x0)), Span::raw(format_date(last))]),
            )
            .y_axis(
                Axis::default()
                    .bounds([0.0, f64::from(*max)])
                    .labels(vec![Span::raw("0"), Span::raw(max.to_string())]),
            );
        let legend: Vec<String> = bands.iter().map(|(a, b, l)| format!("{a}–{b} {l}")).collect();
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(
                    &format!("█ result · ···· band edges: {}", legend.join(" · ")),
                    legend_area.width as usize,
                ),
                theme::dim(),
            )),
            legend_area,
        );
        frame.render_widget(chart, chart_area);
    }
}

impl View for ScreenersScreen {
    fn title(&self) -> &'static str {
        "Screeners"
    }
    fn contexts(&self) -> &'static [Context] {
        &[Context::Screeners, Context::Nav, Context::Global]
    }
    fn hints(&self) -> &'static [Action] {
        &[Action::Open, Action::Administer, Action::SwitchView, Action::Back, Action::Help]
    }
    fn client_id(&self) -> Option<i64> {
        Some(self.client_id)
    }
    fn captures_text(&self) -> bool {
        self.choosing.is_some()
    }
    fn invalidate(&mut self) {
        self.stale = true;
    }
    fn set_area(&mut self, body: Rect) {
        self.cursor.height = (body.height as usize / 2).saturating_sub(3).max(2);
    }
    fn sync(&mut self, ctx: &SyncCtx<'_>) -> Result<()> {
        if self.stale {
            self.list = ctx.store.screenings(self.client_id)?;
            self.open_alerts = ctx
                .store
                .alerts(self.client_id)?
                .iter()
                .filter(|a| a.acknowledged_at.is_none())
                .map(|a| a.screening_id)
                .collect();
            self.names = ctx.instruments.iter().map(|i| (i.id.clone(), i.short_name.clone())).collect();
            self.trends.clear();
            for i in ctx.instruments.iter().filter(|i| has_total(i)) {
                let max = match &i.scoring {
                    Scoring::Sum(s) => s.range.max,
                    _ => 0,
                };
                self.trends.push(Trend {
                    id: i.id.clone(),
                    short: i.short_name.clone(),
                    points: ctx.store.trend(self.client_id, &i.id)?,
                    bands: bands(i),
                    max,
                });
            }
            // show first the instrument given most recently
            if let Some(latest) = self.list.iter().find(|s| s.total.is_some()) {
                if let Some(i) = self.trends.iter().position(|t| t.id == latest.instrument) {
                    self.trend_shown = i;
                }
            }
            self.stale = false;
        }
        self.cursor.clamp(self.list.len());
        Ok(())
    }
    fn handle_key(&mut self, ev: KeyEvent) -> Handled {
        if let Some(sel) = self.choosing {
            let n = self.names.len();
            match ev.code {
                KeyCode::Esc => self.choosing = None,
                KeyCode::Up | KeyCode::Char('k') => self.choosing = Some(sel.saturating_sub(1)),
                KeyCode::Down | KeyCode::Char('j') => {
                    self.choosing = Some((sel + 1).min(n.saturating_sub(1)))
                }
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    let i = c.to_digit(10).unwrap_or(0) as usize;
                    if (1..=n).contains(&i) {
                        self.choosing = None;
                        let instrument = self.names[i - 1].0.clone();
                        return Handled::Yes(vec![Message::Assess(AssessMsg::Administer {
                            client_id: self.client_id,
                            instrument,
                        })]);
                    }
                }
                KeyCode::Enter => {
                    self.choosing = None;
                    if let Some((id, _)) = self.names.get(sel) {
                        return Handled::Yes(vec![Message::Assess(AssessMsg::Administer {
                            client_id: self.client_id,
                            instrument: id.clone(),
                        })]);
                    }
                }
                _ => {}
            }
            return Handled::Yes(vec![]);
        }
        let Some(action) = lookup(&[Context::Screeners, Context::Nav], &ev) else { return Handled::No };
        if self.cursor.apply(action, self.list.len()) {
            return Handled::Yes(vec![]);
        }
        match action {
            Action::Open => {
                return Handled::Yes(
                    self.list
                        .get(self.cursor.selected)
                        .map(|s| Message::Assess(AssessMsg::OpenScreening(s.id)))
                        .into_iter()
                        .collect(),
                )
            }
            Action::Administer => self.choosing = Some(0),
            Action::SwitchView => {
                if !self.trends.is_empty() {
                    self.trend_shown = (self.trend_shown + 1) % self.trends.len();
                }
            }
            Action::Back => return Handled::Yes(vec![Message::Back]),
            _ => return Handled::No,
        }
        Handled::Yes(vec![])
    }
    fn render(&self, frame: &mut Frame<'_>, area: Rect, _today: NaiveDate) {
        // the owners' attribution for the results listed (PHQ-9, GAD-7), at the foot, wrapped
        let attribution = attribution_for(self.list.iter().map(|s| s.instrument.as_str()));
        let width = area.width.max(1) as usize;
        let attr_h: u16 = attribution
            .iter()
            .map(|l| l.chars().count().div_ceil(width).max(1) as u16)
            .sum::<u16>()
            .min(area.height / 3);
        let foot = Rect { y: area.y + area.height - attr_h, height: attr_h, ..area };
        if attr_h > 0 {
            let text: Vec<Line<'static>> =
                attribution.iter().map(|l| Line::from(Span::styled(l.to_string(), theme::dim()))).collect();
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), foot);
        }
        let area = Rect { height: area.height - attr_h, ..area };
        let list_h = (area.height / 2).max(6);
        let top = Rect { height: list_h, ..area };
        let bottom = Rect { y: area.y + list_h, height: area.height.saturating_sub(list_h), ..area };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" Screeners — {} given ", self.list.len()), theme::title()));
        let inner = block.inner(top);
        frame.render_widget(block, top);
        let mut lines = Vec::new();
        if let Some(sel) = self.choosing {
            lines.push(Line::from(Span::styled(
                "Which screener? (number or Enter; Esc cancels)",
                theme::title(),
            )));
            for (i, (_, name)) in self.names.iter().enumerate() {
                let style = if i == sel { theme::selected() } else { Style::default() };
                lines.push(Line::from(Span::styled(format!("  {}  {}", i + 1, name), style)));
            }
            frame.render_widget(Paragraph::new(lines), inner);
            self.render_chart(frame, bottom);
            return;
        }
        if self.list.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "None given yet. Press {} to give a screener.",
                    key_label(Context::Screeners, Action::Administer)
                ),
                theme::dim(),
            )));
        }
        let name_of = |id: &str| {
            self.names.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.to_string())
        };
        let w = inner.width as usize;
        let mut cursor = self.cursor;
        cursor.height = inner.height as usize;
        for i in cursor.visible(self.list.len()) {
            let s = &self.list[i];
            let selected = i == self.cursor.selected;
            let style = if selected { theme::selected() } else { Style::default() };
            let alert = if self.open_alerts.contains(&s.id) { "ALERT OPEN " } else { "" };
            let state = if s.entered_in_error { "IN ERROR " } else { "" };
            lines.push(Line::from(Span::styled(
                fit(
                    &format!(
                        "{}{:<7} {}  {:<9} {state}{alert}{}",
                        if selected { "▶ " } else { "  " },
                        s.reference,
                        format_date(s.administered_on),
                        name_of(&s.instrument),
                        summary(&s.result)
                    ),
                    w,
                ),
                style,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        self.render_chart(frame, bottom);
    }
}
