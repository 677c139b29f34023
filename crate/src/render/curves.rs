//! Line charts of named series on shared axes: the loss per boosting round or per
//! epoch, so a person sees how fast a model learned and whether held-out rows
//! stopped improving before the training rows did. The same [`Chart`] draws the
//! evaluation's line and scatter charts (ROC, residuals, partial dependence).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{bottom_axis_height, draw_frame, finite_bounds, padded_range, Frame, XAxis};
use super::legend::{cell_width_for, draw_legend_of, draw_line, draw_mark, legend_rows_of, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_note, draw_text, draw_title, note_height, title_height, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::model::view::CurvesView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Gap between the legend and the plot, CSS px.
const GAP: f64 = 10.0;
/// Plot height range, CSS px: about 45% of the width between these.
const PLOT_HEIGHT: (f64, f64) = (200.0, 360.0);

/// One set of points on a chart and how it is drawn.
pub(crate) struct Layer<'a> {
    /// Its legend entry; `None` for a layer the legend need not name again.
    pub name: Option<String>,
    pub points: &'a [(f64, f64)],
    /// `Line`, `Thin` (no dots) or `Speck` (points only).
    pub mark: Mark,
}

/// A chart of layers over two numeric axes (or levels along x).
pub(crate) struct Chart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Level names along x at 0, 1, 2, …; `None` for a numeric x axis.
    pub x_levels: Option<&'a [String]>,
    /// A numeric x axis on a log scale: the layers' x values are log10 of
    /// the numbers, and the ticks read as the numbers.
    pub x_log: bool,
    pub layers: Vec<Layer<'a>>,
    /// A dot at each point of the `Line` layers (for curves of a few measured points).
    pub dots: bool,
    /// Ranges to always include (e.g. 0…1 for rates).
    pub include: Option<((f64, f64), (f64, f64))>,
}

impl Chart<'_> {
    pub(crate) fn legend(&self) -> Vec<(Mark, String)> {
        self.layers.iter().filter_map(|l| l.name.clone().map(|n| (l.mark, n))).collect()
    }

    /// Legend cell width (CSS px) that shows every name whole.
    fn legend_cell(&self) -> f64 {
        cell_width_for(self.layers.iter().filter_map(|l| l.name.as_deref()))
    }
}

/// Size (device px at `theme.scale`) of the chart across `width` device px: the plot
/// keeps a landscape shape, with room above it for the title and the legend.
pub fn curves_size(view: &CurvesView, theme: &Theme, width: u32) -> (u32, u32) {
    (width, chart_height(&curves_chart(view, false), theme, width as f64).ceil() as u32)
}

/// Height (device px) of `chart` across `width`.
pub(crate) fn chart_height(chart: &Chart, theme: &Theme, width: f64) -> f64 {
    let plot = (width * 0.45).clamp(theme.px(PLOT_HEIGHT.0), theme.px(PLOT_HEIGHT.1));
    plot_top(chart, theme, width) + plot + bottom_axis_height(theme) + theme.px(MARGIN)
}

/// Size (device px) of `chart` with `note` under it, across `width` device px.
pub(crate) fn noted_chart_size(chart: &Chart, note: &str, theme: &Theme, width: u32) -> (u32, u32) {
    let w = width as f64;
    (width, (chart_height(chart, theme, w) + note_height(note, theme, w)).ceil() as u32)
}

/// Draws `chart` with `note` under it (best at [`noted_chart_size`]); returns
/// where the data went, as [`draw_chart`] does, for marks on top.
pub(crate) fn draw_noted_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    theme: &Theme,
    note: &str,
) -> Result<Option<Frame>, RenderError> {
    let frame = draw_chart(area, chart, theme, note_height(note, theme, area.dim_in_pixel().0 as f64))?;
    draw_note(area, theme, note)?;
    Ok(frame)
}

/// Where the plot starts below the title and legend, device px.
fn plot_top(chart: &Chart, theme: &Theme, width: f64) -> f64 {
    let rows = legend_rows_of(chart.legend().len(), legend_width(theme, width), theme, chart.legend_cell()).max(1);
    theme.px(MARGIN + 4.0 + GAP)
        + title_height(chart.title, theme, width, theme.px(MARGIN))
        + rows as f64 * theme.px(ROW_HEIGHT)
}

fn legend_width(theme: &Theme, width: f64) -> f64 {
    (width - 2.0 * theme.px(MARGIN)).max(1.0)
}

/// How series `i` is drawn: an Okabe–Ito color, and from the second series on a
/// dash pattern too, so the lines differ without color as well.
pub(crate) fn series_mark(i: usize) -> Mark {
    const DASHES: [Option<(f64, f64)>; 3] = [None, Some((7.0, 4.0)), Some((2.0, 3.0))];
    Mark::Line { color: class_color(i), dash: DASHES[i % DASHES.len()] }
}

/// Draws every series of `view` into `area` (best at [`curves_size`]).
pub fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CurvesView,
    theme: &Theme,
) -> Result<(), RenderError> {
    draw_chart(area, &curves_chart(view, false), theme, 0.0).map(|_| ())
}

/// The chart of `view`'s series, one Okabe–Ito line each.
pub(crate) fn curves_chart(view: &CurvesView, dots: bool) -> Chart<'_> {
    Chart {
        title: &view.title,
        x_label: &view.x_label,
        y_label: &view.y_label,
        x_levels: None,
        x_log: false,
        layers: view
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| Layer { name: Some(s.name.clone()), points: &s.points, mark: series_mark(i) })
            .collect(),
        dots,
        include: None,
    }
}

/// Draws `chart` leaving `footer` device px free at the bottom; returns where
/// the data went, for marks on top (`None` when there was nothing to plot).
pub(crate) fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    theme: &Theme,
    footer: f64,
) -> Result<Option<Frame>, RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);

    let below_title = draw_title(area, theme, chart.title, margin)?;
    let legend_top = below_title + theme.px(4.0);
    let legend = chart.legend();
    draw_legend_of(area, theme, &legend, (margin, legend_top), legend_width(theme, width), chart.legend_cell())?;

    let finite = || chart.layers.iter().flat_map(|l| l.points).filter(|(x, y)| x.is_finite() && y.is_finite());
    let top = plot_top(chart, theme, width);
    if finite().next().is_none() {
        let font = Font::new(size::BODY, ink::MUTED);
        draw_text(area, theme, font, "No points to show.", (margin, top), anchor(HPos::Left, VPos::Top))?;
        return Ok(None);
    }
    let (include_x, include_y) = chart.include.unwrap_or(((f64::NAN, f64::NAN), (f64::NAN, f64::NAN)));
    let xs = finite_bounds(finite().map(|p| p.0).chain([include_x.0, include_x.1]));
    let ys = finite_bounds(finite().map(|p| p.1).chain([include_y.0, include_y.1]));
    let x_range = match chart.x_levels {
        Some(levels) => (-0.5, levels.len() as f64 - 0.5),
        None => padded_range(xs.0, xs.1),
    };
    // A little room above and below, so the lines do not run along the frame.
    let (y_lo, y_hi) = padded_range(ys.0, ys.1);
    let pad = (y_hi - y_lo) * 0.05;
    let bounds = (margin, top, width - margin, height - margin - footer);
    let x_axis = match chart.x_levels {
        Some(levels) => XAxis::Levels(levels),
        // Rounds and epochs are whole numbers: no tick at 2.5 of them.
        None if chart.x_log => XAxis::Log,
        None => XAxis::Numeric { whole: finite().all(|p| p.0.fract() == 0.0) },
    };
    let frame =
        draw_frame(area, theme, bounds, (x_range, chart.x_label, x_axis), ((y_lo - pad, y_hi + pad), chart.y_label))?;

    for layer in &chart.layers {
        match layer.mark {
            Mark::Speck(_) => {
                for &p in layer.points.iter().filter(|(x, y)| x.is_finite() && y.is_finite()) {
                    draw_mark(area, theme, layer.mark, frame.at(p))?;
                }
            }
            Mark::Line { color, dash } => draw_polyline(area, theme, &frame, layer.points, color, dash, chart.dots)?,
            Mark::Thin(color) => {
                for stretch in layer.points.split(|(x, y)| !(x.is_finite() && y.is_finite())) {
                    let pixels: Vec<(i32, i32)> =
                        stretch.iter().map(|&p| frame.at(p)).map(|(x, y)| (x.round() as i32, y.round() as i32)).collect();
                    area.draw(&PathElement::new(pixels, theme.stroke(1.0, color)))?;
                }
            }
            other => {
                for &p in layer.points {
                    draw_mark(area, theme, other, frame.at(p))?;
                }
            }
        }
    }
    Ok(Some(frame))
}

/// A line through `points`; a point that is not a number breaks it, and each
/// stretch is drawn on its own.
fn draw_polyline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    points: &[(f64, f64)],
    color: RGBColor,
    dash: Option<(f64, f64)>,
    dots: bool,
) -> Result<(), RenderError> {
    for stretch in points.split(|(x, y)| !(x.is_finite() && y.is_finite())) {
        let pixels: Vec<(f64, f64)> = stretch.iter().map(|&p| frame.at(p)).collect();
        match pixels.as_slice() {
            [] => {}
            [single] => draw_line(area, theme, &[*single, (single.0 + 1.0, single.1)], color, None)?,
            _ => draw_line(area, theme, &pixels, color, dash)?,
        }
        if dots {
            for &p in &pixels {
                draw_mark(area, theme, Mark::Dot(color), p)?;
            }
        }
    }
    Ok(())
}

/// Side-by-side panels need at least this width, CSS px; narrower, they stack.
const SIDE_BY_SIDE: f64 = 620.0;

/// Columns and the width of each panel (device px) for `n` panels across `width`.
fn panel_layout(n: usize, theme: &Theme, width: f64) -> (usize, f64) {
    let cols = if width >= theme.px(SIDE_BY_SIDE) { n.max(1) } else { 1 };
    (cols, (width / cols as f64).floor())
}

/// Height of the title above the panels, device px.
fn panels_header(title: &str, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN) + title_height(title, theme, width, theme.px(MARGIN))
}

/// Size (device px) of `charts` drawn as panels under `title` by [`draw_panels`].
pub(crate) fn panels_size(title: &str, charts: &[Chart], theme: &Theme, width: u32) -> (u32, u32) {
    let width = width as f64;
    let (cols, panel) = panel_layout(charts.len(), theme, width);
    let heights: Vec<f64> = charts.iter().map(|c| chart_height(c, theme, panel)).collect();
    let body: f64 = heights.chunks(cols).map(|row| row.iter().copied().fold(0.0, f64::max)).sum();
    (width as u32, (panels_header(title, theme, width) + body).ceil() as u32)
}

/// Draws `charts` as panels under `title`: side by side when the area is wide
/// enough, else one above the other.
pub(crate) fn draw_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    charts: &[Chart],
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    draw_title(area, theme, title, margin)?;
    let (cols, panel) = panel_layout(charts.len(), theme, width);
    let mut top = panels_header(title, theme, width);
    for row in charts.chunks(cols) {
        let height = row.iter().map(|c| chart_height(c, theme, panel)).fold(0.0, f64::max);
        for (i, chart) in row.iter().enumerate() {
            let sub = area.clone().shrink(((i as f64 * panel) as i32, top as i32), (panel as u32, height as u32));
            draw_chart(&sub, chart, theme, 0.0)?;
        }
        top += height;
    }
    Ok(())
}

/// A dashed grey reference line (chance, perfect prediction, zero).
pub(crate) const REFERENCE: Mark = Mark::Line { color: ink::AXIS, dash: Some((5.0, 4.0)) };

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::view::Series;

    fn losses() -> CurvesView {
        // Training loss falls steadily; the held-out loss levels off and creeps up.
        let train = (0..=60).map(|r| (r as f64, 0.69 * (-(r as f64) / 18.0).exp() + 0.05)).collect();
        let validation = (0..=60)
            .map(|r| (r as f64, 0.69 * (-(r as f64) / 14.0).exp() + 0.16 + 0.0012 * (r as f64 - 30.0).max(0.0)))
            .collect();
        CurvesView {
            title: "Training loss per round".into(),
            x_label: "boosting round".into(),
            y_label: "log loss".into(),
            series: vec![
                Series { name: "training".into(), points: train },
                Series { name: "validation".into(), points: validation },
            ],
        }
    }

    #[test]
    fn size_keeps_a_landscape_plot() {
        let theme = Theme::default();
        let (w, h) = curves_size(&losses(), &theme, 560);
        assert_eq!(w, 560);
        assert!(h > 300 && h < 560, "{h}");
        let (w2, h2) = curves_size(&losses(), &Theme::new(2.0), 1120);
        assert_eq!((w2, h2 / 2), (1120, h));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::{assert_golden, register_test_font};

        #[test]
        fn curves_golden() {
            let view = losses();
            let theme = Theme::default();
            assert_golden("curves", curves_size(&view, &theme, 560), |area| draw_curves(area, &view, &theme));
        }

        #[test]
        fn odd_views_draw_without_panicking() {
            register_test_font();
            let mut buffer = vec![0u8; 300 * 200 * 3];
            let area = BitMapBackend::with_buffer(&mut buffer, (300, 200)).into_drawing_area();
            let theme = Theme::default();
            let mut view = losses();
            view.series.clear();
            draw_curves(&area, &view, &theme).unwrap();
            view.series = vec![
                Series { name: "one point".into(), points: vec![(3.0, 0.5)] },
                Series { name: "gaps".into(), points: vec![(0.0, f64::NAN), (1.0, 2.0), (2.0, f64::INFINITY), (3.0, 2.0)] },
            ];
            draw_curves(&area, &view, &theme).unwrap();
            draw_curves(&area, &view, &Theme::new(f64::NAN)).unwrap();
        }
    }
}
