//! Numeric axes: safe ranges, round tick values whose labels never collide, and the
//! drawing of ticks, labels and the axis name. Shared by every chart with a value axis.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::boundary::PixelRect;
use super::text::{anchor, draw_text, draw_text_turned, fit, text_width, Font};
use super::theme::{ink, size, Theme};
use super::RenderError;
use crate::base::format_number;

/// Length of a tick mark, CSS px.
const TICK: f64 = 5.0;
/// Gap between a tick mark and its label, CSS px.
const LABEL_GAP: f64 = 3.0;
/// Gap between the tick labels and the axis name, CSS px.
const NAME_GAP: f64 = 7.0;
/// Minimum free space between neighbouring tick labels, CSS px.
const LABEL_SPACING: f64 = 14.0;

/// Which edge of the plot an axis runs along.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Bottom,
    Left,
}

/// A plotting range with positive width: swapped ends are put in order, non-finite ends
/// replaced, and an empty range (a constant column) padded so it can still be drawn.
pub(crate) fn padded_range(min: f64, max: f64) -> (f64, f64) {
    let (lo, hi) = match (min.is_finite(), max.is_finite()) {
        (true, true) => (min.min(max), min.max(max)),
        (true, false) => (min, min),
        (false, true) => (max, max),
        (false, false) => (0.0, 1.0),
    };
    let span = hi - lo;
    if span.is_finite() && span > lo.abs().max(hi.abs()) * 1e-9 {
        return (lo, hi);
    }
    if !span.is_finite() {
        return (f64::MIN / 2.0, f64::MAX / 2.0);
    }
    let pad = if lo == 0.0 { 0.5 } else { lo.abs() * 0.05 };
    (lo - pad, hi + pad)
}

/// Where `v` falls along a pixel span starting at `start` of length `len` (`lo` at `start`).
pub(crate) fn to_pixel(v: f64, (lo, hi): (f64, f64), start: f64, len: f64) -> f64 {
    start + (v - lo) / (hi - lo) * len
}

/// Round tick values (1, 2, 2.5 or 5 times a power of ten) inside `lo..=hi`, about `target` of them.
pub(crate) fn nice_ticks((lo, hi): (f64, f64), target: usize) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) || target == 0 {
        return Vec::new();
    }
    let raw = span / target as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    if last.checked_sub(first).is_none_or(|n| !(0..=1000).contains(&n)) {
        return Vec::new();
    }
    // Multiplying (not accumulating) keeps 0.1 * 3 from drifting; snapping keeps "-0" away.
    (first..=last).map(|i| if i == 0 { 0.0 } else { i as f64 * step }).collect()
}

/// Ticks for an axis `length` device px long, as many as fit without labels touching.
pub(crate) fn fitting_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    range: (f64, f64),
    length: f64,
    side: Side,
) -> Result<Vec<f64>, RenderError> {
    let font = tick_font();
    let mut target = ((length / theme.px(if side == Side::Bottom { 70.0 } else { 45.0 })) as usize).clamp(2, 12);
    loop {
        let ticks = nice_ticks(range, target);
        let extent = match side {
            Side::Bottom => ticks
                .iter()
                .map(|&t| text_width(area, theme, font, &format_number(t)))
                .try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))?,
            Side::Left => font.line_height(theme),
        };
        let room = length / ticks.len().max(1) as f64;
        if target <= 2 || room >= extent + theme.px(LABEL_SPACING) {
            return Ok(ticks);
        }
        target -= 1;
    }
}

/// Height below the plot that a bottom axis with a name takes, device px.
pub(crate) fn bottom_axis_height(theme: &Theme) -> f64 {
    theme.px(TICK + LABEL_GAP + NAME_GAP) + tick_font().line_height(theme) + name_font().line_height(theme)
}

/// Width left of the plot that a left axis with these ticks and a name takes, device px.
pub(crate) fn left_axis_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    ticks: &[f64],
) -> Result<f64, RenderError> {
    left_axis_width_labelled(area, theme, ticks, &format_number)
}

/// [`left_axis_width`] with tick labels from `label`, as [`draw_axis_labelled`] draws them.
pub(crate) fn left_axis_width_labelled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    ticks: &[f64],
    label: &dyn Fn(f64) -> String,
) -> Result<f64, RenderError> {
    let widest = ticks
        .iter()
        .map(|&t| text_width(area, theme, tick_font(), &label(t)))
        .try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))?;
    Ok(theme.px(TICK + LABEL_GAP + NAME_GAP) + widest + name_font().line_height(theme))
}

/// Level names as tick labels of a left axis, each ellipsized to `max` CSS
/// px so one long name does not squeeze the plot (the full names are in
/// the page's table and the canvas's text).
pub(crate) fn level_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    levels: &[String],
    max: f64,
) -> Result<Vec<String>, RenderError> {
    levels.iter().map(|l| fit(area, theme, tick_font(), l, theme.px(max))).collect()
}

/// Draws an axis along `side` of `plot`: tick marks, tick labels and `name`, and with
/// `grid` faint lines across the plot at each tick (drawn first, so data covers them).
pub(crate) fn draw_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    plot: PixelRect,
    side: Side,
    scale: ((f64, f64), &[f64]),
    name: &str,
    grid: bool,
) -> Result<(), RenderError> {
    draw_axis_labelled(area, theme, plot, side, scale, name, grid, &format_number)
}

/// [`draw_axis`] with tick labels from `label` (e.g. 10^t on a log axis).
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_axis_labelled<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    plot: PixelRect,
    side: Side,
    (range, ticks): ((f64, f64), &[f64]),
    name: &str,
    grid: bool,
    label: &dyn Fn(f64) -> String,
) -> Result<(), RenderError> {
    let (left, top, right, bottom) = (plot.x, plot.y, plot.x + plot.width, plot.y + plot.height);
    let tick = theme.ipx(TICK);
    let line = theme.stroke(1.0, ink::AXIS);
    let grid_line = theme.stroke(1.0, ink::GRID);
    let label_gap = theme.px(TICK + LABEL_GAP);
    let axis_line = match side {
        Side::Bottom => vec![(left, bottom), (right, bottom)],
        Side::Left => vec![(left, top), (left, bottom)],
    };
    area.draw(&PathElement::new(axis_line, line))?;
    let mut widest = 0.0f64;
    for &t in ticks {
        let label = label(t);
        match side {
            Side::Bottom => {
                let x = to_pixel(t, range, left as f64, plot.width as f64).round() as i32;
                if grid {
                    area.draw(&PathElement::new(vec![(x, top), (x, bottom)], grid_line))?;
                }
                area.draw(&PathElement::new(vec![(x, bottom), (x, bottom + tick)], line))?;
                let at = (x as f64, bottom as f64 + label_gap);
                draw_text(area, theme, tick_font(), &label, at, anchor(HPos::Center, VPos::Top))?;
            }
            Side::Left => {
                let y = to_pixel(t, range, bottom as f64, -(plot.height as f64)).round() as i32;
                if grid {
                    area.draw(&PathElement::new(vec![(left, y), (right, y)], grid_line))?;
                }
                area.draw(&PathElement::new(vec![(left - tick, y), (left, y)], line))?;
                let at = (left as f64 - label_gap, y as f64);
                draw_text(area, theme, tick_font(), &label, at, anchor(HPos::Right, VPos::Center))?;
                widest = widest.max(text_width(area, theme, tick_font(), &label)?);
            }
        }
    }
    let name_gap = label_gap + theme.px(NAME_GAP);
    match side {
        Side::Bottom => draw_bottom_name(area, theme, plot, name),
        Side::Left => {
            let name = fit(area, theme, name_font(), name, plot.height as f64)?;
            let at = (left as f64 - name_gap - widest, (top + bottom) as f64 / 2.0);
            let turned = FontTransform::Rotate270;
            draw_text_turned(area, theme, name_font(), &name, at, anchor(HPos::Center, VPos::Bottom), turned)
        }
    }
}

/// A bottom axis for categories: the plot's width split into one slot per label, each
/// label centered under its slot (ellipsized to it), then `name`, with the same
/// geometry as a numeric bottom axis so [`bottom_axis_height`] holds for both.
pub(crate) fn draw_category_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    plot: PixelRect,
    labels: &[String],
    name: &str,
) -> Result<(), RenderError> {
    let (left, right, bottom) = (plot.x, plot.x + plot.width, plot.y + plot.height);
    area.draw(&PathElement::new(vec![(left, bottom), (right, bottom)], theme.stroke(1.0, ink::AXIS)))?;
    let slot = plot.width as f64 / labels.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        let label = fit(area, theme, tick_font(), label, slot - theme.px(4.0))?;
        let at = (left as f64 + (i as f64 + 0.5) * slot, bottom as f64 + theme.px(TICK + LABEL_GAP));
        draw_text(area, theme, tick_font(), &label, at, anchor(HPos::Center, VPos::Top))?;
    }
    draw_bottom_name(area, theme, plot, name)
}

/// The name under a bottom axis, below its tick labels: centered under the plot,
/// or moved sideways when that plot is narrower than the name, so a narrow chart
/// still names its axis in full while the area is wide enough.
fn draw_bottom_name<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    plot: PixelRect,
    name: &str,
) -> Result<(), RenderError> {
    let (width, edge) = (area.dim_in_pixel().0 as f64, theme.px(NAME_GAP));
    let name = fit(area, theme, name_font(), name, width - 2.0 * edge)?;
    let half = text_width(area, theme, name_font(), &name)? / 2.0;
    let middle = plot.x as f64 + plot.width as f64 / 2.0;
    let below = theme.px(TICK + LABEL_GAP + NAME_GAP) + tick_font().line_height(theme);
    let at = (middle.min(width - edge - half).max(edge + half), (plot.y + plot.height) as f64 + below);
    draw_text(area, theme, name_font(), &name, at, anchor(HPos::Center, VPos::Top))
}

/// A plot rectangle with the data range along each axis: where a chart's marks go.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub plot: PixelRect,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Frame {
    /// The device pixel of data point `(x, y)`.
    pub fn at(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let p = self.plot;
        (to_pixel(x, self.x, p.x as f64, p.width as f64), to_pixel(y, self.y, (p.y + p.height) as f64, -(p.height as f64)))
    }
}

/// What runs along a chart's x axis.
#[derive(Clone, Copy, Debug)]
pub(crate) enum XAxis<'a> {
    /// Numbers; with `whole`, ticks that are not whole numbers are dropped (no
    /// tick at 2.5 rounds).
    Numeric { whole: bool },
    /// Named levels at x = 0, 1, 2, …
    Levels(&'a [String]),
    /// Numbers on a log scale: the x values are their log10, the ticks read
    /// as the numbers themselves (1, 10, 100, or 1, 2, 5 within a decade).
    Log,
}

/// Lays out and draws a chart's axes, with grid lines, inside
/// `(left, top, right, bottom)` device px (the axis labels and names included),
/// and returns where the data goes.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (left, top, right, bottom): (f64, f64, f64, f64),
    (x_range, x_name, x_axis): ((f64, f64), &str, XAxis),
    (y_range, y_name): ((f64, f64), &str),
) -> Result<Frame, RenderError> {
    let plot_height = (bottom - bottom_axis_height(theme) - top).max(1.0);
    let y_ticks = fitting_ticks(area, theme, y_range, plot_height, Side::Left)?;
    let plot_left = left + left_axis_width(area, theme, &y_ticks)?;
    let plot_width = (right - plot_left).max(1.0);
    let plot = PixelRect {
        x: plot_left.round() as i32,
        y: top.round() as i32,
        width: plot_width.round() as i32,
        height: plot_height.round() as i32,
    };
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), y_name, true)?;
    match x_axis {
        XAxis::Numeric { whole } => {
            let mut x_ticks = fitting_ticks(area, theme, x_range, plot_width, Side::Bottom)?;
            let whole_ticks: Vec<f64> = x_ticks.iter().copied().filter(|t| t.fract() == 0.0).collect();
            if whole && whole_ticks.len() >= 2 {
                x_ticks = whole_ticks;
            }
            draw_axis(area, theme, plot, Side::Bottom, (x_range, &x_ticks), x_name, false)?;
        }
        XAxis::Levels(levels) => draw_category_axis(area, theme, plot, levels, x_name)?,
        XAxis::Log => {
            let ticks = log_ticks(x_range);
            let label = |t: f64| format_number(10f64.powf(t));
            draw_axis_labelled(area, theme, plot, Side::Bottom, (x_range, &ticks), x_name, false, &label)?;
        }
    }
    Ok(Frame { plot, x: x_range, y: y_range })
}

/// Ticks (as log10) for a log axis over `(lo, hi)` (log10 too): the whole
/// decades inside; over less than two decades also 2 and 5 times each power
/// of ten; over less than one, round numbers on the log scale.
pub(crate) fn log_ticks((lo, hi): (f64, f64)) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let decades: Vec<f64> = ((lo.ceil() as i64)..=(hi.floor() as i64)).map(|d| d as f64).collect();
    if decades.len() >= 3 {
        // At most about eight labels: every second or third decade on a wide range.
        let step = decades.len().div_ceil(8);
        return decades.into_iter().step_by(step).collect();
    }
    let steps: Vec<f64> = ((lo.floor() as i64)..=(hi.ceil() as i64))
        .flat_map(|d| [1.0, 2.0, 5.0].map(|m: f64| d as f64 + m.log10()))
        .filter(|&t| t >= lo - 1e-9 && t <= hi + 1e-9)
        .collect();
    if steps.len() >= 2 {
        return steps;
    }
    nice_ticks((10f64.powf(lo), 10f64.powf(hi)), 4).into_iter().filter(|&v| v > 0.0).map(f64::log10).collect()
}

/// Smallest and largest finite value (NaN, NaN when there is none).
pub(crate) fn finite_bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.filter(|v| v.is_finite()).fold((f64::NAN, f64::NAN), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

fn tick_font() -> Font {
    Font::new(size::SMALL, ink::MUTED)
}

fn name_font() -> Font {
    Font::new(size::BODY, ink::TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_odd_ranges_are_padded() {
        assert_eq!(padded_range(2.0, 1.0), (1.0, 2.0));
        assert_eq!(padded_range(0.0, 0.0), (-0.5, 0.5));
        assert_eq!(padded_range(10.0, 10.0), (9.5, 10.5));
        assert_eq!(padded_range(f64::NAN, f64::NAN), (0.0, 1.0));
        assert_eq!(padded_range(3.0, f64::INFINITY), (2.85, 3.15));
    }

    #[test]
    fn log_ticks_are_decades_or_round_numbers_inside_the_range() {
        let numbers = |range: (f64, f64)| -> Vec<String> {
            log_ticks(range).into_iter().map(|t| format_number(10f64.powf(t))).collect()
        };
        assert_eq!(numbers((0.0, 3.0)), ["1", "10", "100", "1000"]);
        assert_eq!(numbers((0.0, 1.0)), ["1", "2", "5", "10"]);
        assert_eq!(numbers((-4.2, 0.1)), ["0.0001", "0.001", "0.01", "0.1", "1"]);
        assert_eq!(numbers((0.0, 12.0)), ["1", "100", "10000", "1000000", "100000000", "1.000e10", "1.000e12"]);
        assert_eq!(numbers((0.35, 0.6)), ["2.5", "3", "3.5"]);
        assert!(log_ticks((1.0, 1.0)).is_empty());
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(nice_ticks((0.0, 1.0), 5), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(nice_ticks((4.3, 7.9), 4), vec![5.0, 6.0, 7.0]);
        assert_eq!(nice_ticks((-1.0, 1.0), 4), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert!(nice_ticks((1.0, 1.0), 5).is_empty());
        assert!(nice_ticks((0.0, f64::INFINITY), 5).is_empty());
    }
}
