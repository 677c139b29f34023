//! Marks (data points, swatches) and the legends that explain them. The plot and its
//! legend draw a mark through the same [`draw_mark`], so they cannot drift apart.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

use super::text::{anchor, draw_text, fit, text_width, Font};
use super::theme::{ink, sequential_color, size, Theme};
use super::RenderError;
use crate::base::{format_count, format_significant};

/// Radius of a training point, CSS px.
const POINT_RADIUS: f64 = 4.5;
/// Circumradius of a test triangle, CSS px: about the same area as a training dot.
const TRIANGLE_RADIUS: f64 = 6.5;
/// Half the width of a centroid's cross, CSS px.
const CROSS_ARM: f64 = 6.5;
/// Side of a legend swatch, CSS px.
const SWATCH: f64 = 14.0;
/// Width of one legend entry, CSS px. Fixed (not measured) so the height of a legend
/// is known before anything is drawn, e.g. for [`super::tree_size`].
pub(crate) const CELL_WIDTH: f64 = 128.0;
/// Height of one legend row, CSS px.
pub(crate) const ROW_HEIGHT: f64 = 20.0;
/// Length of the color bar in a scale legend, CSS px.
const BAR_LENGTH: f64 = 120.0;
/// Neutral fill for marks that explain shape only (the train/test key).
const KEY_FILL: RGBColor = RGBColor(0xb4, 0xb4, 0xb4);

/// Something drawn to stand for a value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mark {
    /// A plain color swatch (classes in the tree legend).
    Square(RGBColor),
    /// A region-tinted swatch with a point on it: what a class looks like on the boundary plot.
    RegionPoint { region: RGBColor, point: RGBColor },
    /// A training point: filled circle with a thin dark outline.
    Train(RGBColor),
    /// A test point: filled triangle with a thin dark outline.
    Test(RGBColor),
    /// A point drawn hollow (a train circle or a test triangle): white inside
    /// an outline in its own color, so its class still reads but it steps
    /// back behind the bold points and is never mistaken for a patch of a
    /// region's tint, e.g. a row far from the boundary plot's slice.
    Faded { color: RGBColor, test: bool },
    /// A stretch of a plotted line: solid, or dashed with `(dash, gap)` CSS px.
    Line { color: RGBColor, dash: Option<(f64, f64)> },
    /// A thin line (an individual curve behind a mean curve).
    Thin(RGBColor),
    /// A small filled dot with a white rim: a measured point on a line.
    Dot(RGBColor),
    /// A small scatter point: a dot without the rim, for plots of many rows.
    Speck(RGBColor),
    /// A cluster's centroid: a bold dark cross with a white halo, readable on
    /// any region tint and unlike any data point.
    Centroid,
}

/// Draws `mark` centered at `center` (device px).
pub(crate) fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mark: Mark,
    center: (f64, f64),
) -> Result<(), RenderError> {
    let (cx, cy) = center;
    let outline = theme.stroke(1.0, ink::OUTLINE);
    match mark {
        Mark::Square(color) => square(area, theme, center, color, None),
        Mark::RegionPoint { region, point } => {
            square(area, theme, center, region, Some(ink::EDGE))?;
            draw_mark(area, theme, Mark::Train(point), center)
        }
        Mark::Train(color) => {
            let c = (cx.round() as i32, cy.round() as i32);
            let r = theme.px(POINT_RADIUS).round() as i32;
            area.draw(&Circle::new(c, r, theme.fill(color)))?;
            area.draw(&Circle::new(c, r, outline))?;
            Ok(())
        }
        Mark::Line { color, dash } => {
            let h = theme.px(SWATCH) / 2.0;
            draw_line(area, theme, &[(cx - h, cy), (cx + h, cy)], color, dash)
        }
        Mark::Thin(color) => {
            let h = (theme.px(SWATCH) / 2.0).round() as i32;
            let (x, y) = (cx.round() as i32, cy.round() as i32);
            area.draw(&PathElement::new(vec![(x - h, y), (x + h, y)], theme.stroke(1.0, color)))?;
            Ok(())
        }
        Mark::Dot(color) => {
            let c = (cx.round() as i32, cy.round() as i32);
            area.draw(&Circle::new(c, theme.ipx(3.5), theme.fill(ink::WHITE)))?;
            area.draw(&Circle::new(c, theme.ipx(2.5), theme.fill(color)))?;
            Ok(())
        }
        Mark::Speck(color) => {
            // See-through, so where many rows pile up the plot gets darker.
            let style = ShapeStyle { color: color.mix(0.6), filled: true, stroke_width: 0 };
            area.draw(&Circle::new((cx.round() as i32, cy.round() as i32), theme.ipx(3.0), style))?;
            Ok(())
        }
        Mark::Centroid => {
            let arm = theme.px(CROSS_ARM);
            let arms = [[(cx - arm, cy - arm), (cx + arm, cy + arm)], [(cx - arm, cy + arm), (cx + arm, cy - arm)]];
            for (width, color) in [(5.0, WHITE), (2.5, ink::TEXT)] {
                for arm in arms {
                    let pixels: Vec<(i32, i32)> = arm.iter().map(|&(x, y)| (x.round() as i32, y.round() as i32)).collect();
                    area.draw(&PathElement::new(pixels, theme.stroke(width, color)))?;
                }
            }
            Ok(())
        }
        Mark::Test(color) => triangle(area, theme, center, color, outline),
        Mark::Faded { color, test } => {
            let (fill, edge) = (ink::WHITE, theme.stroke(1.5, color));
            if test {
                return triangle(area, theme, center, fill, edge);
            }
            let c = (cx.round() as i32, cy.round() as i32);
            let r = theme.px(POINT_RADIUS).round() as i32;
            area.draw(&Circle::new(c, r, theme.fill(fill)))?;
            area.draw(&Circle::new(c, r, edge))?;
            Ok(())
        }
    }
}

/// A test point's triangle, filled and outlined.
fn triangle<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (cx, cy): (f64, f64),
    fill: RGBColor,
    outline: ShapeStyle,
) -> Result<(), RenderError> {
    let r = theme.px(TRIANGLE_RADIUS);
    let corners: Vec<(i32, i32)> = [-90.0f64, 30.0, 150.0]
        .iter()
        .map(|deg| {
            let (s, c) = deg.to_radians().sin_cos();
            ((cx + r * c).round() as i32, (cy + r * s).round() as i32)
        })
        .collect();
    area.draw(&Polygon::new(corners.clone(), theme.fill(fill)))?;
    let mut closed = corners.clone();
    closed.push(corners[0]);
    area.draw(&PathElement::new(closed, outline))?;
    Ok(())
}

/// Width of a plotted line, CSS px.
const LINE_WIDTH: f64 = 2.0;

/// A polyline through `points` (device px) in `color`, solid or dashed, as a line
/// chart and its legend draw it.
pub(crate) fn draw_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    points: &[(f64, f64)],
    color: RGBColor,
    dash: Option<(f64, f64)>,
) -> Result<(), RenderError> {
    let pixels: Vec<(i32, i32)> = points.iter().map(|&(x, y)| (x.round() as i32, y.round() as i32)).collect();
    let style = theme.stroke(LINE_WIDTH, color);
    match dash {
        None => area.draw(&PathElement::new(pixels, style))?,
        Some((on, off)) => area.draw(&DashedPathElement::new(pixels, theme.ipx(on), theme.ipx(off), style))?,
    }
    Ok(())
}

fn square<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (cx, cy): (f64, f64),
    fill: RGBColor,
    border: Option<RGBColor>,
) -> Result<(), RenderError> {
    let h = theme.px(SWATCH) / 2.0;
    let corners = [((cx - h).round() as i32, (cy - h).round() as i32), ((cx + h).round() as i32, (cy + h).round() as i32)];
    area.draw(&Rectangle::new(corners, theme.fill(fill)))?;
    if let Some(border) = border {
        area.draw(&Rectangle::new(corners, theme.stroke(1.0, border)))?;
    }
    Ok(())
}

/// Most cells in a legend; beyond that the last cell says how many more there are, so a
/// target with hundreds of classes cannot push the chart off the canvas.
const MAX_CELLS: usize = 24;

/// Cells per legend row in `width` device px.
fn cells_per_row(width: f64, theme: &Theme, cell: f64) -> usize {
    ((width / theme.px(cell)).floor() as usize).max(1)
}

/// Rows a legend of `entries` fixed-width cells needs across `width` device px.
pub(crate) fn legend_rows(entries: usize, width: f64, theme: &Theme) -> usize {
    legend_rows_of(entries, width, theme, CELL_WIDTH)
}

/// Like [`legend_rows`] with cells `cell` CSS px wide.
pub(crate) fn legend_rows_of(entries: usize, width: f64, theme: &Theme, cell: f64) -> usize {
    entries.min(MAX_CELLS).div_ceil(cells_per_row(width, theme, cell))
}

/// Cell width (CSS px) that shows `labels` whole, by an estimate of their width
/// (12 px text at 0.6 em a character), at least [`CELL_WIDTH`].
pub(crate) fn cell_width_for<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    (SWATCH + 7.0 + longest * size::BODY * 0.6 + 8.0).max(CELL_WIDTH).ceil()
}

/// Draws `entries` as fixed-width cells, left to right and wrapping, from `origin`
/// (top-left, device px) within `width`. Labels too long for a cell are ellipsized.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[(Mark, String)],
    origin: (f64, f64),
    width: f64,
) -> Result<(), RenderError> {
    draw_legend_of(area, theme, entries, origin, width, CELL_WIDTH)
}

/// Like [`draw_legend`] with cells `cell_width` CSS px wide.
pub(crate) fn draw_legend_of<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[(Mark, String)],
    origin: (f64, f64),
    width: f64,
    cell_width: f64,
) -> Result<(), RenderError> {
    let per_row = cells_per_row(width, theme, cell_width);
    let cell = |i: usize| {
        (origin.0 + (i % per_row) as f64 * theme.px(cell_width), origin.1 + (i / per_row) as f64 * theme.px(ROW_HEIGHT))
    };
    let shown = if entries.len() > MAX_CELLS { MAX_CELLS - 1 } else { entries.len() };
    for (i, (mark, label)) in entries[..shown].iter().enumerate() {
        draw_entry(area, theme, *mark, label, cell(i), theme.px(cell_width - 8.0))?;
    }
    if shown < entries.len() {
        let (x, y) = cell(shown);
        let more = format!("+ {} more", format_count(entries.len() - shown));
        let font = Font::new(size::BODY, ink::MUTED);
        draw_text(area, theme, font, &more, (x, y + theme.px(ROW_HEIGHT) / 2.0), anchor(HPos::Left, VPos::Center))?;
    }
    Ok(())
}

/// One legend entry with its left edge at `x` and its row top at `y`; returns its width.
fn draw_entry<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mark: Mark,
    label: &str,
    (x, y): (f64, f64),
    max_width: f64,
) -> Result<f64, RenderError> {
    let font = Font::new(size::BODY, ink::TEXT);
    let mid = y + theme.px(ROW_HEIGHT) / 2.0;
    let label_x = x + theme.px(SWATCH + 7.0);
    let label = fit(area, theme, font, label, max_width - (label_x - x))?;
    draw_mark(area, theme, mark, (x + theme.px(SWATCH) / 2.0, mid))?;
    draw_text(area, theme, font, &label, (label_x, mid), anchor(HPos::Left, VPos::Center))?;
    Ok(label_x - x + text_width(area, theme, font, &label)?)
}

/// Which marks the "● train  ▲ test  ✕ centroid  ○ far from slice" key explains.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MarkerKey {
    pub test: bool,
    pub centroids: bool,
    pub faded: bool,
}

impl MarkerKey {
    fn entries(self) -> impl Iterator<Item = (Mark, &'static str)> {
        [
            (Mark::Train(KEY_FILL), "train", true),
            (Mark::Test(KEY_FILL), "test", self.test),
            (Mark::Centroid, "centroid", self.centroids),
            (Mark::Faded { color: KEY_FILL, test: false }, "far from slice", self.faded),
        ]
        .into_iter()
        .filter_map(|(mark, label, shown)| shown.then_some((mark, label)))
    }
}

/// Gap between the marker key's entries, CSS px.
const KEY_GAP: f64 = 14.0;

/// Width (device px) of the key drawn by [`draw_marker_key`].
pub(crate) fn marker_key_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    key: MarkerKey,
) -> Result<f64, RenderError> {
    let font = Font::new(size::BODY, ink::TEXT);
    let mut width = -theme.px(KEY_GAP);
    for (_, label) in key.entries() {
        width += theme.px(KEY_GAP + SWATCH + 7.0) + text_width(area, theme, font, label)?;
    }
    Ok(width)
}

/// The key telling training points from test points (and centroids), with its
/// right edge at `right`.
pub(crate) fn draw_marker_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    key: MarkerKey,
    (right, y): (f64, f64),
) -> Result<(), RenderError> {
    let mut x = right - marker_key_width(area, theme, key)?;
    for (mark, label) in key.entries() {
        x += draw_entry(area, theme, mark, label, (x, y), f64::INFINITY)? + theme.px(KEY_GAP);
    }
    Ok(())
}

/// A continuous legend in one row: `name`, then `min ▮▮▮▮ max` along viridis.
/// Starts at `origin` (top-left) and stays within `width`.
pub(crate) fn draw_scale_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    name: &str,
    (min, max): (f64, f64),
    origin: (f64, f64),
    width: f64,
) -> Result<(), RenderError> {
    let font = Font::new(size::BODY, ink::TEXT);
    let small = Font::new(size::SMALL, ink::MUTED);
    let mid = origin.1 + theme.px(ROW_HEIGHT) / 2.0;
    let (lo, hi) = (format_significant(min, 3), format_significant(max, 3));
    let gap = theme.px(6.0);
    let scale_width =
        text_width(area, theme, small, &lo)? + text_width(area, theme, small, &hi)? + theme.px(BAR_LENGTH) + 2.0 * gap;
    let name = fit(area, theme, font, name, (width - scale_width - gap * 2.0).max(0.0))?;
    let left = anchor(HPos::Left, VPos::Center);
    draw_text(area, theme, font, &name, (origin.0, mid), left)?;
    let mut x = origin.0 + text_width(area, theme, font, &name)? + if name.is_empty() { 0.0 } else { gap * 2.0 };
    draw_text(area, theme, small, &lo, (x, mid), left)?;
    x += text_width(area, theme, small, &lo)? + gap;
    color_bar(area, theme, (x, mid - theme.px(5.0)), (theme.px(BAR_LENGTH), theme.px(10.0)))?;
    draw_text(area, theme, small, &hi, (x + theme.px(BAR_LENGTH) + gap, mid), left)
}

/// Viridis from left (low) to right (high), one device pixel column at a time.
fn color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (f64, f64),
    (w, h): (f64, f64),
) -> Result<(), RenderError> {
    let (x0, y0) = (x.round() as i32, y.round() as i32);
    let (w, h) = (w.round().max(1.0) as i32, h.round().max(1.0) as i32);
    for i in 0..w {
        let color = sequential_color(i as f64 / (w - 1).max(1) as f64);
        area.draw(&Rectangle::new([(x0 + i, y0), (x0 + i + 1, y0 + h)], theme.fill(color)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legends_wrap_and_stop_growing() {
        let theme = Theme::default();
        assert_eq!(legend_rows(3, 600.0, &theme), 1);
        assert_eq!(legend_rows(5, 600.0, &theme), 2);
        assert_eq!(legend_rows(3, 10.0, &theme), 3);
        assert_eq!(legend_rows(1000, 600.0, &theme), legend_rows(MAX_CELLS, 600.0, &theme));
        assert_eq!(legend_rows(0, 600.0, &theme), 0);
    }
}
