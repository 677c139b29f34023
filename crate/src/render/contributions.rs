//! A linear score taken apart as a waterfall: the intercept, then each input's
//! push up or down, ending at the score the model gives the row.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{bottom_axis_height, draw_axis, fitting_ticks, padded_range, to_pixel, Side};
use super::boundary::PixelRect;
use super::text::{anchor, draw_text, draw_title, fit, text_width, title_height, truncate_chars, Font};
use super::theme::{ink, sign, size, Theme};
use super::RenderError;
use crate::base::format_significant;
use crate::explain::ContributionsView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Vertical pitch of the bars, CSS px.
const ROW: f64 = 22.0;
/// Thickness of a bar, CSS px.
const BAR: f64 = 14.0;
/// Labels longer than this many characters are cut with "…".
const NAME_CHARS: usize = 30;
/// Gap between labels, bars and numbers, CSS px.
const GAP: f64 = 8.0;

/// One bar of the waterfall: where it starts and ends on the score axis.
struct Step<'a> {
    label: &'a str,
    from: f64,
    to: f64,
    color: RGBColor,
    /// The number printed beside the bar.
    value: String,
}

fn steps(view: &ContributionsView) -> Vec<Step<'_>> {
    let signed = |v: f64| if v >= 0.0 { format!("+{}", format_significant(v, 3)) } else { format_significant(v, 3) };
    let mut out = vec![Step {
        label: "intercept",
        from: 0.0,
        to: view.intercept,
        color: ink::EDGE,
        value: format_significant(view.intercept, 3),
    }];
    let mut at = view.intercept;
    for (label, c) in &view.items {
        let color = if *c >= 0.0 { sign::POSITIVE } else { sign::NEGATIVE };
        out.push(Step { label, from: at, to: at + c, color, value: signed(*c) });
        at += c;
    }
    out.push(Step {
        label: "= score",
        from: 0.0,
        to: view.total,
        color: ink::OUTLINE,
        value: format_significant(view.total, 3),
    });
    out
}

/// Height (device px) that shows every step of `view`.
pub fn contributions_height(view: &ContributionsView, theme: &Theme, width: u32) -> u32 {
    let rows = (view.items.len() + 2) as f64;
    (header_height(view, theme, width as f64) + theme.px(rows * ROW + GAP + MARGIN) + bottom_axis_height(theme)).ceil()
        as u32
}

fn header_height(view: &ContributionsView, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + GAP)
        + title_height(&view.title, theme, width, theme.px(MARGIN))
        + Font::new(size::SMALL, ink::MUTED).line_height(theme)
}

/// Draws the waterfall of `view` into `area` (best [`contributions_height`] tall).
pub fn draw_contributions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ContributionsView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let note_font = Font::new(size::SMALL, ink::MUTED);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let note = "Each bar: coefficient × the row's input (numbers standardized). Blue raises, orange lowers.";
    let note = fit(area, theme, note_font, note, width - 2.0 * margin)?;
    draw_text(area, theme, note_font, &note, (margin, below_title), anchor(HPos::Left, VPos::Top))?;

    let steps = steps(view);
    let ends = || steps.iter().flat_map(|s| [s.from, s.to]).filter(|v| v.is_finite());
    let range = padded_range(ends().fold(0.0, f64::min), ends().fold(0.0, f64::max));
    let name_font = Font::new(size::BODY, ink::TEXT);
    let value_font = Font::new(size::SMALL, ink::MUTED);
    let names: Vec<String> = steps.iter().map(|s| truncate_chars(s.label, NAME_CHARS)).collect();
    let widest = |font: Font, texts: &mut dyn Iterator<Item = &str>| {
        texts.map(|t| text_width(area, theme, font, t)).try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))
    };
    let name_room = widest(name_font, &mut names.iter().map(String::as_str))?.min(width * 0.4);
    let value_room = widest(value_font, &mut steps.iter().map(|s| s.value.as_str()))?;
    let top = header_height(view, theme, width);
    let plot_left = margin + name_room + theme.px(GAP);
    let plot = PixelRect {
        x: plot_left.round() as i32,
        y: top.round() as i32,
        width: (width - margin - value_room - theme.px(GAP) - plot_left).max(1.0).round() as i32,
        height: theme.px(steps.len() as f64 * ROW).round() as i32,
    };
    let ticks = fitting_ticks(area, theme, range, plot.width as f64, Side::Bottom)?;
    draw_axis(area, theme, plot, Side::Bottom, (range, &ticks), &view.output, true)?;

    let x_at = |v: f64| to_pixel(if v.is_finite() { v } else { 0.0 }, range, plot.x as f64, plot.width as f64);
    let zero = x_at(0.0).round() as i32;
    area.draw(&PathElement::new(vec![(zero, plot.y), (zero, plot.y + plot.height)], theme.stroke(1.0, ink::AXIS)))?;
    let mut previous_end: Option<(f64, f64)> = None;
    for (i, (step, name)) in steps.iter().zip(&names).enumerate() {
        let mid = top + theme.px((i as f64 + 0.5) * ROW);
        let (y0, y1) = (mid - theme.px(BAR / 2.0), mid + theme.px(BAR / 2.0));
        let (a, b) = (x_at(step.from), x_at(step.to));
        // A thin connector from where the last bar ended to where this one starts.
        if let Some((x, y)) = previous_end.filter(|_| i + 1 < steps.len()) {
            let x = x.round() as i32;
            area.draw(&PathElement::new(vec![(x, y.round() as i32), (x, y0.round() as i32)], theme.stroke(1.0, ink::EDGE)))?;
        }
        let (left, right) = (a.min(b), a.max(b).max(a.min(b) + 1.0));
        area.draw(&Rectangle::new(
            [(left.round() as i32, y0.round() as i32), (right.round() as i32, y1.round() as i32)],
            theme.fill(step.color),
        ))?;
        previous_end = Some((b, y1));
        let name = fit(area, theme, name_font, name, name_room)?;
        draw_text(area, theme, name_font, &name, (plot_left - theme.px(GAP), mid), anchor(HPos::Right, VPos::Center))?;
        draw_text(area, theme, value_font, &step.value, (right + theme.px(5.0), mid), anchor(HPos::Left, VPos::Center))?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::render::golden::assert_golden;

    #[test]
    fn contributions_golden() {
        let view = ContributionsView {
            title: "How the inputs add up to log-odds of Gentoo".into(),
            output: "log-odds of Gentoo".into(),
            intercept: -0.42,
            items: vec![
                ("flipper_length_mm = 217".into(), 3.1),
                ("bill_depth_mm = 14.2".into(), 2.4),
                ("island = Biscoe".into(), 1.2),
                ("bill_length_mm = 46.1".into(), -0.8),
                ("body_mass_g = 5,200".into(), 0.35),
            ],
            total: 5.83,
        };
        let theme = Theme::default();
        assert_golden("contributions", (560, contributions_height(&view, &theme, 560)), |area| {
            draw_contributions(area, &view, &theme)
        });
    }
}
