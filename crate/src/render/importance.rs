//! Feature importance as a sorted horizontal bar chart: which columns the model leans
//! on, most first, with the number at each bar so nothing has to be read off the axis.

use std::cmp::Ordering;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{bottom_axis_height, draw_axis, fitting_ticks, padded_range, to_pixel, Side};
use super::boundary::PixelRect;
use super::text::{anchor, draw_text, draw_title, fit, text_width, title_height, truncate_chars, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::base::format_significant;
use crate::explain::ImportanceView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Vertical pitch of the bars, CSS px.
const ROW: f64 = 22.0;
/// Thickness of a bar, CSS px.
const BAR: f64 = 14.0;
/// Column names longer than this many characters are cut with "…".
const NAME_CHARS: usize = 24;
/// Gap between names, bars and value labels, CSS px.
const GAP: f64 = 8.0;
/// Most rows drawn: past this the least important features share one line, so
/// a wide table (digits has 64 columns) keeps a chart that reads at a glance.
const MAX_ROWS: usize = 20;

/// Height (device px) that shows every row of `view` at the theme's scale.
pub fn importance_height(view: &ImportanceView, theme: &Theme, width: u32) -> u32 {
    let rows = view.items.len().clamp(1, MAX_ROWS) as f64;
    (header_height(view, theme, width as f64) + theme.px(rows * ROW + GAP + MARGIN) + bottom_axis_height(theme)).ceil()
        as u32
}

/// Title plus the gap under it, device px.
fn header_height(view: &ImportanceView, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + GAP) + title_height(&view.title, theme, width, theme.px(MARGIN))
}

/// Draws the bar chart of `view` into `area` (best [`importance_height`] tall).
pub fn draw_importance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ImportanceView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    draw_title(area, theme, &view.title, margin)?;
    let top = header_height(view, theme, width);
    if view.items.is_empty() {
        let font = Font::new(size::BODY, ink::MUTED);
        return draw_text(area, theme, font, "No features to show.", (margin, top), anchor(HPos::Left, VPos::Top));
    }

    // Most important first; scores that are not numbers go last, drawn as empty bars.
    let spread = |i: usize| view.spread.as_ref().and_then(|s| s.get(i).copied()).filter(|s| s.is_finite() && *s > 0.0);
    let mut items: Vec<(&str, f64, Option<f64>)> =
        view.items.iter().enumerate().map(|(i, (n, v))| (n.as_str(), *v, spread(i))).collect();
    items.sort_by(|a, b| match (a.1.is_finite(), b.1.is_finite()) {
        (true, true) => b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal),
        (x, y) => y.cmp(&x),
    });
    // Past MAX_ROWS, the rest are summed up in words on the last row.
    let rest = (items.len() > MAX_ROWS).then(|| {
        let rest = items.split_off(MAX_ROWS - 1);
        let top = rest.iter().map(|i| i.1).filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max);
        format!("… {} more features, each at most {}", rest.len(), format_significant(top.max(0.0), 2))
    });
    // Bar ends and whisker ends: every one stays on the axis.
    let finite = || {
        items
            .iter()
            .flat_map(|i| {
                let s = i.2.unwrap_or(0.0);
                [i.1 - s, i.1 + s]
            })
            .filter(|v| v.is_finite())
    };
    // Bars grow from zero, so zero is always on the axis (permutation importance can be negative).
    let range = padded_range(finite().fold(0.0, f64::min), finite().fold(0.0, f64::max));
    let range = if range == padded_range(0.0, 0.0) { (0.0, 1.0) } else { range };

    let name_font = Font::new(size::BODY, ink::TEXT);
    let value_font = Font::new(size::SMALL, ink::MUTED);
    let names: Vec<String> = items.iter().map(|(n, _, _)| truncate_chars(n, NAME_CHARS)).collect();
    let labels: Vec<String> = items
        .iter()
        .map(|&(_, v, s)| match s {
            Some(s) => format!("{} ± {}", format_significant(v, 3), format_significant(s, 2)),
            None => format_significant(v, 3),
        })
        .collect();
    let widest = |font: Font, texts: &[String]| {
        texts.iter().map(|t| text_width(area, theme, font, t)).try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))
    };
    let name_room = widest(name_font, &names)?.min(width * 0.4);
    let plot_left = margin + name_room + theme.px(GAP);
    let plot_right = width - margin - widest(value_font, &labels)? - theme.px(GAP);
    let plot = PixelRect {
        x: plot_left.round() as i32,
        y: top.round() as i32,
        width: (plot_right - plot_left).max(1.0).round() as i32,
        height: theme.px((items.len() + usize::from(rest.is_some())) as f64 * ROW).round() as i32,
    };
    let ticks = fitting_ticks(area, theme, range, plot.width as f64, Side::Bottom)?;
    draw_axis(area, theme, plot, Side::Bottom, (range, &ticks), &view.measure, true)?;

    let x_at = |v: f64| to_pixel(v, range, plot.x as f64, plot.width as f64);
    let zero = x_at(0.0);
    let bar = theme.fill(class_color(0));
    for (i, ((&(_, value, spread), name), label)) in items.iter().zip(&names).zip(&labels).enumerate() {
        let mid = top + theme.px((i as f64 + 0.5) * ROW);
        let (y0, y1) = ((mid - theme.px(BAR / 2.0)).round() as i32, (mid + theme.px(BAR / 2.0)).round() as i32);
        let end = if value.is_finite() { x_at(value) } else { zero };
        if (end - zero).abs() >= 0.5 {
            area.draw(&Rectangle::new([(zero.min(end).round() as i32, y0), (zero.max(end).round() as i32, y1)], bar))?;
        }
        let name = fit(area, theme, name_font, name, name_room)?;
        draw_text(area, theme, name_font, &name, (plot_left - theme.px(GAP), mid), anchor(HPos::Right, VPos::Center))?;
        // The spread over repeats: a whisker from mean − sd to mean + sd with end caps.
        let mut right = zero.max(end);
        if let (Some(s), true) = (spread, value.is_finite()) {
            let (lo, hi) = (x_at(value - s).round() as i32, x_at(value + s).round() as i32);
            let (y, cap) = (mid.round() as i32, theme.ipx(4.0));
            let ink = theme.stroke(1.0, ink::TEXT);
            area.draw(&PathElement::new(vec![(lo, y), (hi, y)], ink))?;
            area.draw(&PathElement::new(vec![(lo, y - cap), (lo, y + cap)], ink))?;
            area.draw(&PathElement::new(vec![(hi, y - cap), (hi, y + cap)], ink))?;
            right = right.max(hi as f64);
        }
        let label_x = right + theme.px(5.0);
        draw_text(area, theme, value_font, label, (label_x, mid), anchor(HPos::Left, VPos::Center))?;
    }
    if let Some(rest) = rest {
        let mid = top + theme.px((items.len() as f64 + 0.5) * ROW);
        let rest = fit(area, theme, value_font, &rest, width - 2.0 * margin)?;
        draw_text(area, theme, value_font, &rest, (margin, mid), anchor(HPos::Left, VPos::Center))?;
    }
    let zero = zero.round() as i32;
    area.draw(&PathElement::new(vec![(zero, plot.y), (zero, plot.y + plot.height)], theme.stroke(1.0, ink::AXIS)))?;
    Ok(())
}

#[cfg(test)]
mod tests;
