//! A cross-validation's fold scores as a strip: one dot per fold, the mean as
//! a line and ± one standard deviation as a band behind it, so a person sees
//! whether "0.95 ± 0.03" is five alike folds or four good ones and a bad one.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{
    bottom_axis_height, draw_axis, draw_axis_labelled, fitting_ticks, left_axis_width, padded_range, to_pixel, Side,
};
use super::boundary::PixelRect;
use super::legend::{draw_legend, draw_line, draw_mark, Mark};
use super::pareto::header_height;
use super::text::{anchor, draw_text, draw_title, Font};
use super::theme::{class_color, ink, mix, size, Theme};
use super::RenderError;
use crate::base::format_number;
use crate::explain::FoldScoresView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Height of the plotting area, CSS px: a strip, not a full chart.
const PLOT_HEIGHT: f64 = 150.0;

/// Size (device px) of the strip across `width` device px.
pub fn fold_scores_size(view: &FoldScoresView, theme: &Theme, width: u32) -> (u32, u32) {
    let height = header_height(&view.title, theme, width as f64) + theme.px(PLOT_HEIGHT) + bottom_axis_height(theme);
    (width, (height + theme.px(MARGIN)).ceil() as u32)
}

/// Draws `view` into `area` (best at [`fold_scores_size`]).
pub fn draw_fold_scores<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &FoldScoresView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);
    let color = class_color(0);
    let band = mix(color, ink::WHITE, 0.82);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend = [
        (Mark::Train(color), "one fold".to_string()),
        (Mark::Line { color: ink::TEXT, dash: None }, "mean".to_string()),
        (Mark::Square(band), "± 1 sd".to_string()),
    ];
    draw_legend(area, theme, &legend, (margin, below_title + theme.px(4.0)), width - 2.0 * margin)?;

    let k = view.scores.len();
    let finite = || view.scores.iter().copied().chain([view.mean - view.sd, view.mean + view.sd]).filter(|v| v.is_finite());
    let (low, high) = padded_range(finite().fold(f64::INFINITY, f64::min), finite().fold(f64::NEG_INFINITY, f64::max));
    let room = (high - low) * 0.1;
    let y_range = (low - room, high + room);
    let x_range = (0.5, k.max(1) as f64 + 0.5);

    let top = header_height(&view.title, theme, width);
    let plot_bottom = height - margin - bottom_axis_height(theme);
    let y_ticks = fitting_ticks(area, theme, y_range, plot_bottom - top, Side::Left)?;
    let left = margin + left_axis_width(area, theme, &y_ticks)?;
    let plot = PixelRect {
        x: left.round() as i32,
        y: top.round() as i32,
        width: (width - margin - left).max(1.0).round() as i32,
        height: (plot_bottom - top).max(1.0).round() as i32,
    };
    let (px_left, px_right) = (plot.x as f64, (plot.x + plot.width) as f64);
    let y_at = |v: f64| to_pixel(v, y_range, (plot.y + plot.height) as f64, -(plot.height as f64));
    let x_at = |fold: usize| to_pixel(fold as f64 + 1.0, x_range, px_left, plot.width as f64);

    // The band first, under the grid's labels and the points.
    if view.sd.is_finite() && view.mean.is_finite() {
        let corners = [
            (plot.x, y_at(view.mean + view.sd).round() as i32),
            (plot.x + plot.width, y_at(view.mean - view.sd).round() as i32),
        ];
        area.draw(&Rectangle::new(corners, theme.fill(band)))?;
    }
    let folds: Vec<f64> = (1..=k).map(|f| f as f64).collect();
    draw_axis_labelled(area, theme, plot, Side::Bottom, (x_range, &folds), "fold", false, &|t| format_number(t))?;
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), &view.measure, true)?;
    if view.mean.is_finite() {
        let y = y_at(view.mean);
        draw_line(area, theme, &[(px_left, y), (px_right, y)], ink::TEXT, None)?;
        let label = format!("mean {}", format_number(view.mean));
        let font = Font::new(size::SMALL, ink::TEXT);
        draw_text(
            area,
            theme,
            font,
            &label,
            (px_right - theme.px(4.0), y - theme.px(3.0)),
            anchor(HPos::Right, VPos::Bottom),
        )?;
    }
    for (f, &score) in view.scores.iter().enumerate().filter(|(_, s)| s.is_finite()) {
        draw_mark(area, theme, Mark::Train(color), (x_at(f), y_at(score)))?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::render::golden::assert_golden;

    /// Five folds of iris with a decision tree: four alike and one a little lower.
    fn five_folds() -> FoldScoresView {
        let scores = vec![0.958, 0.917, 1.0, 0.958, 0.875];
        let mean = scores.iter().sum::<f64>() / 5.0;
        let sd = (scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
        FoldScoresView {
            title: "Accuracy on each of 5 folds of the 120 training rows".into(),
            measure: "accuracy".into(),
            scores,
            mean,
            sd,
        }
    }

    #[test]
    fn fold_scores_golden() {
        let view = five_folds();
        let theme = Theme::default();
        assert_golden("fold_scores", fold_scores_size(&view, &theme, 560), |area| draw_fold_scores(area, &view, &theme));
    }

    /// Nothing finite to draw (every fold failed) still draws the frame, never a panic.
    #[test]
    fn no_finite_score_still_draws() {
        let view = FoldScoresView { scores: vec![f64::NAN; 3], mean: f64::NAN, sd: f64::NAN, ..five_folds() };
        let theme = Theme::default();
        let (w, h) = fold_scores_size(&view, &theme, 400);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw_fold_scores(&area, &view, &theme).unwrap();
    }
}
