//! The decision-boundary plot: prediction regions over two features, the data on top,
//! so a person sees where the model changes its mind and which points it gets wrong.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBAColor;

use super::axis::{bottom_axis_height, draw_axis, fitting_ticks, left_axis_width, padded_range, to_pixel, Side};
use super::legend::{
    draw_legend, draw_mark, draw_marker_key, draw_scale_legend, legend_rows, marker_key_width, Mark, MarkerKey, ROW_HEIGHT,
};
use super::text::{anchor, draw_text, draw_title, fit, Font};
use super::theme::{class_color, ink, region_rgba, sequential_color, size, Theme};
use super::RenderError;
use crate::explain::{BoundaryView, Legend, PointView};

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

    /// The data coordinates under device pixel `(px, py)`, or `None` outside the plot area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let r = self.rect;
        let (fx, fy) = ((px - r.x as f64) / r.width as f64, ((r.y + r.height) as f64 - py) / r.height as f64);
        let inside = |f: f64| (0.0..=1.0).contains(&f);
        (inside(fx) && inside(fy)).then_some((self.x.0 + fx * (self.x.1 - self.x.0), self.y.0 + fy * (self.y.1 - self.y.0)))
    }
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
    let key = MarkerKey { test: with_test, centroids: !view.centroids.is_empty() };
    let key_width = marker_key_width(area, theme, key)?;
    let legend_width = (inner - key_width - theme.px(16.0)).max(1.0);
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
    draw_marker_key(area, theme, key, (width - margin, legend_top))?;
    let plot_top = legend_top + rows as f64 * theme.px(ROW_HEIGHT) + theme.px(10.0);

    // Footer: the note about the other features, under the x axis.
    let note_font = Font::new(size::SMALL, ink::MUTED);
    let note_height = if view.note.is_empty() { 0.0 } else { note_font.line_height(theme) + theme.px(6.0) };
    let plot_bottom = height - margin - note_height - bottom_axis_height(theme);

    let x_range = padded_range(view.x.min, view.x.max);
    let y_range = padded_range(view.y.min, view.y.max);
    let plot_height = (plot_bottom - plot_top).max(1.0);
    let y_ticks = fitting_ticks(area, theme, y_range, plot_height, Side::Left)?;
    let plot_left = margin + left_axis_width(area, theme, &y_ticks)?;
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
    let (x0, y0, x1, y1) = (rect.x, rect.y, rect.x + rect.width, rect.y + rect.height);
    area.draw(&Rectangle::new([(x0, y0), (x1, y1)], theme.stroke(1.0, ink::AXIS)))?;
    draw_axis(area, theme, rect, Side::Bottom, (x_range, &x_ticks), &view.x.name, false)?;
    draw_axis(area, theme, rect, Side::Left, (y_range, &y_ticks), &view.y.name, false)?;
    draw_points(area, view, theme, &mapping)?;
    for &(x, y) in &view.centroids {
        if x.is_finite() && y.is_finite() {
            draw_mark(area, theme, Mark::Centroid, mapping.to_pixel(x, y))?;
        }
    }

    if !view.note.is_empty() {
        let note = fit(area, theme, note_font, &view.note, inner)?;
        draw_text(area, theme, note_font, &note, (margin, height - margin), anchor(HPos::Left, VPos::Bottom))?;
    }
    Ok(mapping)
}

/// How class `i` looks in the legend: its region tint with a point on it, like the plot.
fn class_mark(i: usize) -> Mark {
    let [r, g, b, _] = region_rgba(i, 1.0);
    Mark::RegionPoint { region: RGBColor(r, g, b), point: class_color(i) }
}

/// Training points first, then test points on top (there are fewer, and they matter).
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
    for test_pass in [false, true] {
        for (i, ((&x, &y), &v)) in p.x.iter().zip(&p.y).zip(&p.value).enumerate() {
            let is_test = p.is_test.get(i).copied().unwrap_or(false);
            if is_test != test_pass || !visible(x as f64, y as f64) {
                continue;
            }
            let mark = if is_test { Mark::Test(color(v)) } else { Mark::Train(color(v)) };
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
    let (cx, cy, arm) = (px.round() as i32, py.round() as i32, theme.ipx(8.0));
    let cross = theme.stroke(2.5, ink::TEXT);
    area.draw(&PathElement::new(vec![(cx - arm, cy), (cx + arm, cy)], cross))?;
    area.draw(&PathElement::new(vec![(cx, cy - arm), (cx, cy + arm)], cross))?;
    area.draw(&Circle::new((cx, cy), theme.ipx(3.0), theme.fill(WHITE)))?;
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
mod tests {
    use super::*;

    #[test]
    fn mapping_round_trips_and_rejects_outside_clicks() {
        let m = PlotMapping { rect: PixelRect { x: 50, y: 20, width: 400, height: 300 }, x: (4.0, 8.0), y: (-1.0, 2.0) };
        let (px, py) = m.to_pixel(5.0, 0.5);
        assert_eq!((px, py), (150.0, 170.0));
        let (x, y) = m.to_data(px, py).unwrap();
        assert!((x - 5.0).abs() < 1e-12 && (y - 0.5).abs() < 1e-12);
        assert_eq!(m.to_data(50.0, 320.0), Some((4.0, -1.0)));
        assert_eq!(m.to_data(49.0, 100.0), None);
        assert_eq!(m.to_data(100.0, 321.0), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::explain::{AxisView, PointSet};
        use crate::render::golden::{assert_golden, register_test_font};

        /// Three classes split by two straight lines, with ~40 points, 10 of them test points.
        fn iris_like_view() -> BoundaryView {
            let (gw, gh) = (60u32, 60u32);
            let (x_range, y_range) = ((1.0, 7.0), (0.0, 2.6));
            let class_at = |x: f64, y: f64| {
                if x < 2.5 {
                    0
                } else if y < 1.7 && x < 4.9 {
                    1
                } else {
                    2
                }
            };
            let mut rgba = Vec::with_capacity((gw * gh * 4) as usize);
            for row in 0..gh {
                let y = y_range.1 - (row as f64 + 0.5) / gh as f64 * (y_range.1 - y_range.0);
                for col in 0..gw {
                    let x = x_range.0 + (col as f64 + 0.5) / gw as f64 * (x_range.1 - x_range.0);
                    let c = class_at(x, y);
                    // Less sure near the versicolor/virginica border, as a real model would be.
                    let confidence = if c == 0 { 1.0 } else { ((x - 4.9).abs().min((y - 1.7).abs()) * 1.5).min(1.0) };
                    rgba.extend_from_slice(&region_rgba(c, confidence));
                }
            }
            let mut points = PointSet::default();
            let samples: [(f32, f32, f32); 42] = [
                (1.4, 0.2, 0.),
                (1.3, 0.3, 0.),
                (1.5, 0.2, 0.),
                (1.7, 0.4, 0.),
                (1.6, 0.6, 0.),
                (1.2, 0.2, 0.),
                (1.9, 0.4, 0.),
                (1.5, 0.1, 0.),
                (1.4, 0.3, 0.),
                (1.0, 0.2, 0.),
                (1.6, 0.2, 0.),
                (1.3, 0.4, 0.),
                (4.7, 1.4, 1.),
                (4.5, 1.5, 1.),
                (4.9, 1.5, 1.),
                (4.0, 1.3, 1.),
                (3.3, 1.0, 1.),
                (3.9, 1.4, 1.),
                (4.4, 1.4, 1.),
                (3.5, 1.0, 1.),
                (4.2, 1.2, 1.),
                (4.8, 1.8, 1.),
                (5.0, 1.7, 1.),
                (3.0, 1.1, 1.),
                (4.1, 1.3, 1.),
                (4.6, 1.4, 1.),
                (6.0, 2.5, 2.),
                (5.1, 1.9, 2.),
                (5.9, 2.1, 2.),
                (5.6, 1.8, 2.),
                (5.8, 2.2, 2.),
                (6.6, 2.1, 2.),
                (4.5, 1.7, 2.),
                (6.3, 1.8, 2.),
                (5.5, 2.1, 2.),
                (4.9, 1.8, 2.),
                (5.1, 1.5, 2.),
                (6.9, 2.3, 2.),
                (5.3, 2.3, 2.),
                (5.0, 2.0, 2.),
                (5.7, 2.3, 2.),
                (4.8, 1.8, 2.),
            ];
            for (i, &(x, y, v)) in samples.iter().enumerate() {
                points.x.push(x);
                points.y.push(y);
                points.value.push(v);
                points.is_test.push(i % 4 == 1);
            }
            BoundaryView {
                title: "Decision tree (depth 3): predicted species".into(),
                x: AxisView { name: "petal_length (cm)".into(), min: x_range.0, max: x_range.1 },
                y: AxisView { name: "petal_width (cm)".into(), min: y_range.0, max: y_range.1 },
                grid_width: gw,
                grid_height: gh,
                rgba,
                points,
                legend: Legend::Classes(vec!["setosa".into(), "versicolor".into(), "virginica".into()]),
                note: "Other features held at their median (mode for categories)".into(),
                centroids: Vec::new(),
            }
        }

        /// A regression surface (a tree's steps over two features) with 30 points colored by value.
        fn price_view() -> BoundaryView {
            let (gw, gh) = (48u32, 40u32);
            let price =
                |x: f64, y: f64| 80.0 + 120.0 * ((x > 90.0) as u8 as f64) + 60.0 * ((y > 3.0) as u8 as f64) + x * 0.4;
            let mut rgba = Vec::new();
            for row in 0..gh {
                let y = 5.0 - (row as f64 + 0.5) / gh as f64 * 4.0;
                for col in 0..gw {
                    let x = 40.0 + (col as f64 + 0.5) / gw as f64 * 120.0;
                    rgba.extend_from_slice(&crate::render::sequential_region_rgba((price(x, y) - 90.0) / 260.0));
                }
            }
            let mut points = PointSet::default();
            // A fixed little LCG: scattered points without a random-number dependency.
            let mut state = 7u32;
            let mut next = || {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f64 / (1u32 << 24) as f64
            };
            for i in 0..30 {
                let (x, y) = (45.0 + 110.0 * next(), 1.2 + 3.6 * next());
                points.x.push(x as f32);
                points.y.push(y as f32);
                points.value.push((price(x, y) + (i % 7) as f64 * 6.0 - 18.0) as f32);
                points.is_test.push(i % 5 == 0);
            }
            BoundaryView {
                title: "Regression tree: predicted price".into(),
                x: AxisView { name: "living area (m²)".into(), min: 40.0, max: 160.0 },
                y: AxisView { name: "bedrooms".into(), min: 1.0, max: 5.0 },
                grid_width: gw,
                grid_height: gh,
                rgba,
                points,
                legend: Legend::Scale { name: "price (k€)".into(), min: 90.0, max: 350.0 },
                note: String::new(),
                centroids: Vec::new(),
            }
        }

        #[test]
        fn boundary_golden() {
            let view = iris_like_view();
            assert_golden("boundary_classes", (640, 520), |area| {
                draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
            });
        }

        /// The iris-like points clustered: flat regions by nearest centroid, points
        /// colored by their cluster, the three centroids marked.
        fn clusters_view() -> BoundaryView {
            let mut view = iris_like_view();
            let centroids = [(1.46, 0.25), (4.2, 1.3), (5.6, 2.0)];
            let nearest = |x: f64, y: f64| {
                // Distances in standardized-like units: petal width spans about a third of length.
                let d = |c: (f64, f64)| (x - c.0).powi(2) + (3.0 * (y - c.1)).powi(2);
                (0..3).min_by(|&a, &b| d(centroids[a]).total_cmp(&d(centroids[b]))).unwrap_or(0)
            };
            let (gw, gh) = (view.grid_width, view.grid_height);
            view.rgba.clear();
            for row in 0..gh {
                let y = view.y.max - (row as f64 + 0.5) / gh as f64 * (view.y.max - view.y.min);
                for col in 0..gw {
                    let x = view.x.min + (col as f64 + 0.5) / gw as f64 * (view.x.max - view.x.min);
                    view.rgba.extend_from_slice(&region_rgba(nearest(x, y), 1.0));
                }
            }
            view.points.value =
                view.points.x.iter().zip(&view.points.y).map(|(&x, &y)| nearest(x as f64, y as f64) as f32).collect();
            view.title = "k-means — 3 clusters".into();
            view.legend = Legend::Classes(vec!["cluster 1".into(), "cluster 2".into(), "cluster 3".into()]);
            view.centroids = centroids.to_vec();
            view
        }

        #[test]
        fn boundary_clusters_golden() {
            let view = clusters_view();
            assert_golden("boundary_clusters", (640, 520), |area| {
                draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
            });
        }

        #[test]
        fn boundary_scale_golden() {
            let view = price_view();
            assert_golden("boundary_scale", (480, 400), |area| {
                draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
            });
        }

        #[test]
        fn degenerate_views_draw_without_panicking() {
            register_test_font();
            let mut view = iris_like_view();
            view.x = AxisView { name: String::new(), min: 3.0, max: 3.0 };
            view.y = AxisView { name: "y".into(), min: f64::NAN, max: f64::INFINITY };
            view.points.is_test.clear();
            view.points.value.truncate(3);
            view.rgba.truncate(100);
            view.legend = Legend::Scale { name: "price".into(), min: 5.0, max: 5.0 };
            let mut buffer = vec![0u8; 200 * 120 * 3];
            let area = BitMapBackend::with_buffer(&mut buffer, (200, 120)).into_drawing_area();
            let mapping = draw_boundary(&area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).unwrap();
            assert!(mapping.rect.width >= 1 && mapping.rect.height >= 1);
            assert!(mapping.x.1 > mapping.x.0);
            view.points = PointSet::default();
            view.grid_width = 0;
            draw_boundary(&area, &view, &Theme::new(0.0), |a, r| paint_grid_pixels(a, r, &view)).unwrap();
        }
    }
}
