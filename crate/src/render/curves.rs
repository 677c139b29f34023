//! Line charts of named series on shared axes: the loss per boosting round or per
//! epoch, so a person sees how fast a model learned and whether held-out rows
//! stopped improving before the training rows did.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{bottom_axis_height, draw_axis, fitting_ticks, left_axis_width, padded_range, to_pixel, Side};
use super::boundary::PixelRect;
use super::legend::{draw_legend, draw_line, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, fit, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::explain::CurvesView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Gap between the legend and the plot, CSS px.
const GAP: f64 = 10.0;
/// Plot height range, CSS px: about 45% of the width between these.
const PLOT_HEIGHT: (f64, f64) = (200.0, 360.0);

/// Size (device px at `theme.scale`) of the chart across `width` device px: the plot
/// keeps a landscape shape, with room above it for the title and the legend.
pub fn curves_size(view: &CurvesView, theme: &Theme, width: u32) -> (u32, u32) {
    let plot = (width as f64 * 0.45).clamp(theme.px(PLOT_HEIGHT.0), theme.px(PLOT_HEIGHT.1));
    let height = plot_top(view, theme, width as f64) + plot + bottom_axis_height(theme) + theme.px(MARGIN);
    (width, height.ceil() as u32)
}

/// Where the plot starts below the title and legend, device px.
fn plot_top(view: &CurvesView, theme: &Theme, width: f64) -> f64 {
    let rows = legend_rows(view.series.len(), legend_width(theme, width), theme).max(1);
    theme.px(MARGIN + 4.0 + GAP) + Font::new(size::TITLE, ink::TEXT).line_height(theme) + rows as f64 * theme.px(ROW_HEIGHT)
}

fn legend_width(theme: &Theme, width: f64) -> f64 {
    (width - 2.0 * theme.px(MARGIN)).max(1.0)
}

/// How series `i` is drawn: an Okabe–Ito color, and from the second series on a
/// dash pattern too, so the lines differ without color as well.
fn series_mark(i: usize) -> Mark {
    const DASHES: [Option<(f64, f64)>; 3] = [None, Some((7.0, 4.0)), Some((2.0, 3.0))];
    Mark::Line { color: class_color(i), dash: DASHES[i % DASHES.len()] }
}

/// Draws every series of `view` into `area` (best at [`curves_size`]).
pub fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CurvesView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);

    let title_font = Font::new(size::TITLE, ink::TEXT);
    let title = fit(area, theme, title_font, &view.title, width - 2.0 * margin)?;
    draw_text(area, theme, title_font, &title, (margin, margin), anchor(HPos::Left, VPos::Top))?;
    let legend_top = margin + title_font.line_height(theme) + theme.px(4.0);
    let entries: Vec<(Mark, String)> = view.series.iter().enumerate().map(|(i, s)| (series_mark(i), s.name.clone())).collect();
    draw_legend(area, theme, &entries, (margin, legend_top), legend_width(theme, width))?;

    let finite = || view.series.iter().flat_map(|s| &s.points).filter(|(x, y)| x.is_finite() && y.is_finite());
    if finite().next().is_none() {
        let font = Font::new(size::BODY, ink::MUTED);
        let at = (margin, plot_top(view, theme, width));
        return draw_text(area, theme, font, "No points to show.", at, anchor(HPos::Left, VPos::Top));
    }
    let bounds = |f: fn(&(f64, f64)) -> f64| finite().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let x_range = padded_range(bounds(|p| p.0).0, bounds(|p| p.0).1);
    // A little room above and below, so the lines do not run along the frame.
    let (y_lo, y_hi) = padded_range(bounds(|p| p.1).0, bounds(|p| p.1).1);
    let pad = (y_hi - y_lo) * 0.05;
    let y_range = (y_lo - pad, y_hi + pad);

    let top = plot_top(view, theme, width);
    let plot_height = (height - margin - bottom_axis_height(theme) - top).max(1.0);
    let y_ticks = fitting_ticks(area, theme, y_range, plot_height, Side::Left)?;
    let left = margin + left_axis_width(area, theme, &y_ticks)?;
    let plot_width = (width - margin - left).max(1.0);
    let mut x_ticks = fitting_ticks(area, theme, x_range, plot_width, Side::Bottom)?;
    // Rounds and epochs are whole numbers: no tick at 2.5 of them.
    if finite().all(|p| p.0.fract() == 0.0) {
        let whole: Vec<f64> = x_ticks.iter().copied().filter(|t| t.fract() == 0.0).collect();
        if whole.len() >= 2 {
            x_ticks = whole;
        }
    }
    let plot = PixelRect {
        x: left.round() as i32,
        y: top.round() as i32,
        width: plot_width.round() as i32,
        height: plot_height.round() as i32,
    };
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), &view.y_label, true)?;
    draw_axis(area, theme, plot, Side::Bottom, (x_range, &x_ticks), &view.x_label, false)?;

    let to_screen = |(x, y): (f64, f64)| {
        (
            to_pixel(x, x_range, plot.x as f64, plot.width as f64),
            to_pixel(y, y_range, (plot.y + plot.height) as f64, -(plot.height as f64)),
        )
    };
    for (i, series) in view.series.iter().enumerate() {
        let Mark::Line { color, dash } = series_mark(i) else { unreachable!("series are lines") };
        // A point that is not a number breaks the line; each stretch is drawn on its own.
        for stretch in series.points.split(|(x, y)| !(x.is_finite() && y.is_finite())) {
            let pixels: Vec<(f64, f64)> = stretch.iter().copied().map(to_screen).collect();
            match pixels.as_slice() {
                [] => {}
                [single] => draw_line(area, theme, &[*single, (single.0 + 1.0, single.1)], color, None)?,
                _ => draw_line(area, theme, &pixels, color, dash)?,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Series;

    fn losses() -> CurvesView {
        // Training loss falls steadily; the held-out loss levels off and creeps up.
        let train = (0..=60).map(|r| (r as f64, 0.69 * (-(r as f64) / 18.0).exp() + 0.05)).collect();
        let validation =
            (0..=60).map(|r| (r as f64, 0.69 * (-(r as f64) / 14.0).exp() + 0.16 + 0.0012 * (r as f64 - 30.0).max(0.0))).collect();
        CurvesView {
            title: "Training loss per round".into(),
            x_label: "boosting round".into(),
            y_label: "log loss".into(),
            series: vec![Series { name: "training".into(), points: train }, Series { name: "validation".into(), points: validation }],
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
