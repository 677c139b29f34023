//! The decision-boundary plot: prediction regions over two features, the data on top,
//! so a person sees where the model changes its mind and which points it gets wrong.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBAColor;

use super::axis::{
    bottom_axis_height, draw_axis, draw_axis_labelled, draw_category_axis, fitting_ticks, left_axis_width,
    left_axis_width_labelled, level_labels, padded_range, to_pixel, Frame, Side,
};
use super::legend::{
    draw_legend, draw_mark, draw_marker_key, draw_scale_legend, legend_rows, marker_key_width, Mark, MarkerKey, CELL_WIDTH,
    ROW_HEIGHT,
};
use super::text::{draw_note, draw_title, note_height, title_height};
use super::theme::{class_color, ink, region_rgba, sequential_color, Theme};
use super::RenderError;
use crate::explain::{AxisView, BoundaryView, Legend, PointView};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;

/// A rectangle in device pixels, relative to the drawing area it was computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PixelRect {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// Where the plot landed: maps between canvas pixels and data coordinates, so the
/// page can turn a click into a point in feature space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotMapping {
    /// The plot area in device pixels (relative to the drawing area passed to [`draw_boundary`]).
    pub rect: PixelRect,
    /// Data range along x (left edge to right edge).
    pub x: (f64, f64),
    /// Data range along y (bottom edge to top edge).
    pub y: (f64, f64),
}

impl PlotMapping {
    /// The device pixel where data point `(x, y)` is drawn.
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let r = self.rect;
        (to_pixel(x, self.x, r.x as f64, r.width as f64), to_pixel(y, self.y, (r.y + r.height) as f64, -(r.height as f64)))
    }

    /// Whether the data point `(x, y)` lies within the plot's ranges.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let within = |v: f64, (a, b): (f64, f64)| v >= a.min(b) && v <= a.max(b);
        within(x, self.x) && within(y, self.y)
    }

    /// The data coordinates under device pixel `(px, py)`, or `None` outside the plot area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let r = self.rect;
        let (fx, fy) = ((px - r.x as f64) / r.width as f64, ((r.y + r.height) as f64 - py) / r.height as f64);
        let inside = |f: f64| (0.0..=1.0).contains(&f);
        (inside(fx) && inside(fy)).then_some((self.x.0 + fx * (self.x.1 - self.x.0), self.y.0 + fy * (self.y.1 - self.y.0)))
    }
}

/// A chart's plot rectangle and ranges, as the pointer reads them.
impl From<Frame> for PlotMapping {
    fn from(frame: Frame) -> Self {
        PlotMapping { rect: frame.plot, x: frame.x, y: frame.y }
    }
}

/// Plot height per unit of plot width: a little wider than tall, as the
/// page's cards are.
const PLOT_ASPECT: f64 = 0.8;

/// Left axis width assumed while sizing, CSS px (the drawing measures its own).
const SIZING_AXIS: f64 = 56.0;

/// Train/test/far key width assumed while sizing, CSS px (the drawing measures its own).
const SIZING_KEY: f64 = 240.0;

/// Widest level name on a banded y axis, CSS px (less on a narrow plot);
/// longer ones are ellipsized.
const LEVEL_LABEL: f64 = 120.0;

/// The class legend's width beside a marker key `key_width` wide, and whether
/// the key fits beside it: where not even one legend cell would be left (a
/// phone, a small multiple), the legend takes the whole width and the key a
/// row of its own, instead of the two overprinting each other.
fn legend_width(inner: f64, key_width: f64, theme: &Theme) -> (f64, bool) {
    let beside = inner - key_width - theme.px(16.0);
    if beside >= theme.px(CELL_WIDTH) {
        (beside, true)
    } else {
        (inner, false)
    }
}

/// Size (device px) that gives the plot itself `PLOT_ASPECT` across `width`
/// device px, whatever the title, legend and note above and below it take:
/// with 14 px text and a four-line note, a fixed canvas aspect left a strip
/// of plot. The header and note are estimated as [`draw_boundary`] lays them
/// out (the legend beside the marker key, the note across the chart).
pub fn boundary_size(view: &BoundaryView, theme: &Theme, width: u32) -> (u32, u32) {
    let width = width as f64;
    let margin = theme.px(MARGIN);
    let inner = (width - 2.0 * margin).max(1.0);
    let (legend_width, beside) = legend_width(inner, theme.px(SIZING_KEY), theme);
    let legend_rows = match &view.legend {
        Legend::Classes(names) => legend_rows(names.len(), legend_width, theme).max(1),
        Legend::Scale { .. } => 1,
    } + usize::from(!beside);
    let header = margin
        + title_height(&view.title, theme, width, margin)
        + theme.px(4.0)
        + legend_rows as f64 * theme.px(ROW_HEIGHT)
        + theme.px(10.0);
    let footer = footer_note(view, theme, width) + bottom_axis_height(theme) + margin;
    let plot = (inner - theme.px(SIZING_AXIS)).max(1.0) * PLOT_ASPECT;
    (width as u32, (header + plot + footer).ceil() as u32)
}

/// Draws the boundary plot filling `area`. `paint_grid` is called with the plot
/// rectangle once the frame is laid out and before the points are drawn: on the page it
/// puts the worker's RGBA grid there as an image; natively pass [`paint_grid_pixels`].
pub fn draw_boundary<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &BoundaryView,
    theme: &Theme,
    paint_grid: impl FnOnce(&DrawingArea<DB, Shift>, PixelRect) -> Result<(), RenderError>,
) -> Result<PlotMapping, RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);
    let inner = (width - 2.0 * margin).max(1.0);

    // Header: title, then the legend row(s), with the train/test key at the right.
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(4.0);
    let with_test = view.points.is_test.iter().any(|&t| t);
    let faded = view.points.near.iter().any(|&n| !n);
    let key = MarkerKey { test: with_test, centroids: !view.centroids.is_empty(), faded };
    let (legend_width, beside) = legend_width(inner, marker_key_width(area, theme, key)?, theme);
    let rows = match &view.legend {
        Legend::Classes(names) => {
            let entries: Vec<(Mark, String)> = names.iter().enumerate().map(|(i, n)| (class_mark(i), n.clone())).collect();
            draw_legend(area, theme, &entries, (margin, legend_top), legend_width)?;
            legend_rows(entries.len(), legend_width, theme).max(1)
        }
        Legend::Scale { name, min, max } => {
            draw_scale_legend(area, theme, name, (*min, *max), (margin, legend_top), legend_width)?;
            1
        }
    };
    // The key sits beside the legend, or on a row of its own under it.
    let key_top = if beside { legend_top } else { legend_top + rows as f64 * theme.px(ROW_HEIGHT) };
    draw_marker_key(area, theme, key, (width - margin, key_top))?;
    let rows = rows + usize::from(!beside);
    let plot_top = legend_top + rows as f64 * theme.px(ROW_HEIGHT) + theme.px(10.0);

    // Footer: the note about what the plot shows and holds, under the x axis.
    let plot_bottom = height - margin - footer_note(view, theme, width) - bottom_axis_height(theme);

    let x_range = padded_range(view.x.min, view.x.max);
    let y_range = padded_range(view.y.min, view.y.max);
    let plot_height = (plot_bottom - plot_top).max(1.0);
    // A banded y axis names its levels, one tick per band.
    // A level name takes at most a quarter of the width, so a phone keeps its plot.
    let widest = LEVEL_LABEL.min(inner / theme.px(1.0) / 4.0);
    let y_levels = level_labels(area, theme, &view.y.levels, widest)?;
    let level = |t: f64| y_levels.get(t.round().max(0.0) as usize).cloned().unwrap_or_default();
    let (y_ticks, plot_left) = if y_levels.is_empty() {
        let ticks = fitting_ticks(area, theme, y_range, plot_height, Side::Left)?;
        let left = margin + left_axis_width(area, theme, &ticks)?;
        (ticks, left)
    } else {
        let ticks: Vec<f64> = (0..y_levels.len()).map(|i| i as f64).collect();
        let left = margin + left_axis_width_labelled(area, theme, &ticks, &level)?;
        (ticks, left)
    };
    let plot_width = (width - margin - plot_left).max(1.0);
    let x_ticks = fitting_ticks(area, theme, x_range, plot_width, Side::Bottom)?;

    let rect = PixelRect {
        x: plot_left.round() as i32,
        y: plot_top.round() as i32,
        width: plot_width.round() as i32,
        height: plot_height.round() as i32,
    };
    let mapping = PlotMapping { rect, x: x_range, y: y_range };

    paint_grid(area, rect)?;
    draw_band_edges(area, theme, &mapping, &view.x, &view.y)?;
    let (x0, y0, x1, y1) = (rect.x, rect.y, rect.x + rect.width, rect.y + rect.height);
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], theme.stroke(1.0, ink::AXIS)))?;
    if view.x.levels.is_empty() {
        draw_axis(area, theme, rect, Side::Bottom, (x_range, &x_ticks), &view.x.name, false)?;
    } else {
        draw_category_axis(area, theme, rect, &view.x.levels, &view.x.name)?;
    }
    if y_levels.is_empty() {
        draw_axis(area, theme, rect, Side::Left, (y_range, &y_ticks), &view.y.name, false)?;
    } else {
        draw_axis_labelled(area, theme, rect, Side::Left, (y_range, &y_ticks), &view.y.name, false, &level)?;
    }
    draw_points(area, view, theme, &mapping)?;
    for &(x, y) in &view.centroids {
        if x.is_finite() && y.is_finite() {
            draw_mark(area, theme, Mark::Centroid, mapping.to_pixel(x, y))?;
        }
    }

    draw_note(area, theme, &view.note)?;
    Ok(mapping)
}

/// A white line between neighbouring bands of a banded axis, so each level
/// reads as its own strip even where two bands predict the same.
fn draw_band_edges<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mapping: &PlotMapping,
    x: &AxisView,
    y: &AxisView,
) -> Result<(), RenderError> {
    let r = mapping.rect;
    let edge = theme.stroke(2.0, WHITE);
    for i in 1..x.levels.len() {
        let (px, _) = mapping.to_pixel(i as f64 - 0.5, 0.0);
        let px = px.round() as i32;
        area.draw(&PathElement::new(vec![(px, r.y), (px, r.y + r.height)], edge))?;
    }
    for i in 1..y.levels.len() {
        let (_, py) = mapping.to_pixel(0.0, i as f64 - 0.5);
        let py = py.round() as i32;
        area.draw(&PathElement::new(vec![(r.x, py), (r.x + r.width, py)], edge))?;
    }
    Ok(())
}

/// Height (device px) the note takes under the axis, with its gap.
fn footer_note(view: &BoundaryView, theme: &Theme, width: f64) -> f64 {
    let lines = note_height(&view.note, theme, width);
    if lines > 0.0 {
        lines + theme.px(6.0)
    } else {
        0.0
    }
}

/// How class `i` looks in the legend: its region tint with a point on it, like the plot.
fn class_mark(i: usize) -> Mark {
    let [r, g, b, _] = region_rgba(i, 1.0);
    Mark::RegionPoint { region: RGBColor(r, g, b), point: class_color(i) }
}

/// Points far from the slice first, faded, then the near ones bold on top;
/// in each, training points first, then test points (there are fewer, and
/// they matter).
fn draw_points<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &BoundaryView,
    theme: &Theme,
    mapping: &PlotMapping,
) -> Result<(), RenderError> {
    let p = &view.points;
    let color = |v: f32| point_color(view, v);
    // Points a hair outside the range (float rounding of min/max) are still drawn; anything
    // further out is not part of this view and would land on the axes.
    let slack = |(lo, hi): (f64, f64)| (hi - lo) * 0.01;
    let visible = |x: f64, y: f64| {
        x.is_finite()
            && y.is_finite()
            && x >= mapping.x.0 - slack(mapping.x)
            && x <= mapping.x.1 + slack(mapping.x)
            && y >= mapping.y.0 - slack(mapping.y)
            && y <= mapping.y.1 + slack(mapping.y)
    };
    for (near_pass, test_pass) in [(false, false), (false, true), (true, false), (true, true)] {
        for (i, ((&x, &y), &v)) in p.x.iter().zip(&p.y).zip(&p.value).enumerate() {
            let is_test = p.is_test.get(i).copied().unwrap_or(false);
            let near = p.near.get(i).copied().unwrap_or(true);
            if is_test != test_pass || near != near_pass || !visible(x as f64, y as f64) {
                continue;
            }
            let mark = match (near, is_test) {
                (false, test) => Mark::Faded { color: color(v), test },
                (true, true) => Mark::Test(color(v)),
                (true, false) => Mark::Train(color(v)),
            };
            draw_mark(area, theme, mark, mapping.to_pixel(x as f64, y as f64))?;
        }
    }
    Ok(())
}

/// A point's color: its class, or its value on the sequential map.
fn point_color(view: &BoundaryView, v: f32) -> RGBColor {
    match &view.legend {
        Legend::Classes(_) => class_color(if v.is_finite() && v >= 0.0 { v as usize } else { 0 }),
        Legend::Scale { min, max, .. } => {
            let (lo, hi) = padded_range(*min, *max);
            sequential_color((v as f64 - lo) / (hi - lo))
        }
    }
}

/// Marks an inspected point on a drawn boundary plot: a cross-hair where the
/// person clicked and each training row the prediction rests on, redrawn on
/// top (other rows may hide it) with a ring around it.
pub fn draw_point_marks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &BoundaryView,
    mapping: &PlotMapping,
    point: &PointView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let ring = theme.stroke(2.0, ink::TEXT);
    for &(x, y, value) in &point.neighbours {
        let (px, py) = mapping.to_pixel(x as f64, y as f64);
        draw_mark(area, theme, Mark::Train(point_color(view, value)), (px, py))?;
        area.draw(&Circle::new((px.round() as i32, py.round() as i32), theme.ipx(9.0), ring))?;
    }
    let (px, py) = mapping.to_pixel(point.x, point.y);
    if let Some((x, y)) = point.counterfactual {
        draw_arrow(area, (px, py), mapping.to_pixel(x, y), theme)?;
    }
    draw_cross(area, theme, (px, py))
}

/// The traced place's mark: a dark cross with a white eye, at device pixel `at`.
pub(crate) fn draw_cross<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (px, py): (f64, f64),
) -> Result<(), RenderError> {
    let (cx, cy, arm) = (px.round() as i32, py.round() as i32, theme.ipx(8.0));
    let cross = theme.stroke(2.5, ink::TEXT);
    area.draw(&PathElement::new(vec![(cx - arm, cy), (cx + arm, cy)], cross))?;
    area.draw(&PathElement::new(vec![(cx, cy - arm), (cx, cy + arm)], cross))?;
    area.draw(&Circle::new((cx, cy), theme.ipx(3.0), theme.fill(WHITE)))?;
    Ok(())
}

/// An arrow from pixel `from` to `to`: the change that would give the
/// traced row another class. A white casing under the dark shaft keeps it
/// readable on every region tint.
pub fn draw_arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (f64, f64),
    to: (f64, f64),
    theme: &Theme,
) -> Result<(), RenderError> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = dx.hypot(dy);
    if length < 1.0 {
        return Ok(());
    }
    let (ux, uy) = (dx / length, dy / length);
    let head = theme.px(12.0).min(length);
    let base = (to.0 - ux * head, to.1 - uy * head);
    let wing = head * 0.5;
    let pt = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let triangle = vec![pt(to), pt((base.0 - uy * wing, base.1 + ux * wing)), pt((base.0 + uy * wing, base.1 - ux * wing))];
    area.draw(&PathElement::new(vec![pt(from), pt(base)], theme.stroke(5.0, WHITE)))?;
    area.draw(&Polygon::new(triangle.clone(), theme.fill(WHITE)))?;
    area.draw(&PathElement::new(vec![pt(from), pt(base)], theme.stroke(2.5, ink::TEXT)))?;
    area.draw(&PathElement::new(
        triangle.iter().copied().chain([triangle[0]]).collect::<Vec<_>>(),
        theme.stroke(1.5, WHITE),
    ))?;
    area.draw(&Polygon::new(triangle, theme.fill(ink::TEXT)))?;
    Ok(())
}

/// Paints the view's RGBA grid into `rect`, nearest neighbour, one rectangle per grid
/// cell. The generic fallback for backends without an image fast path (the native
/// tests); cell edges are rounded so neighbouring cells neither overlap nor leave gaps.
pub fn paint_grid_pixels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rect: PixelRect,
    view: &BoundaryView,
) -> Result<(), RenderError> {
    let (gw, gh) = (view.grid_width as usize, view.grid_height as usize);
    if gw == 0 || gh == 0 || rect.width <= 0 || rect.height <= 0 {
        return Ok(());
    }
    let edge = |start: i32, len: i32, i: usize, n: usize| start + (len as f64 * i as f64 / n as f64).round() as i32;
    for (row, cells) in view.rgba.chunks_exact(4 * gw).take(gh).enumerate() {
        let (y0, y1) = (edge(rect.y, rect.height, row, gh), edge(rect.y, rect.height, row + 1, gh));
        for (col, px) in cells.chunks_exact(4).enumerate() {
            let (x0, x1) = (edge(rect.x, rect.width, col, gw), edge(rect.x, rect.width, col + 1, gw));
            if px[3] == 0 || x1 <= x0 || y1 <= y0 {
                continue;
            }
            let color = RGBAColor(px[0], px[1], px[2], px[3] as f64 / 255.0);
            area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
