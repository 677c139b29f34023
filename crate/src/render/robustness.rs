//! How a model holds up and how far to trust its probabilities: the test
//! score as noise grows (one thick line for every feature at once, thin ones
//! for single features, the worst named at their ends; or one line per
//! compared model), and the reliability chart of its probabilities against
//! the diagonal, with the rows behind each point.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::curves::{draw_noted_chart, noted_chart_size, series_mark, Chart, Layer, REFERENCE};
use super::legend::{draw_mark, Mark};
use super::text::{anchor, draw_text, Font};
use super::theme::{class_color, ink, size};
use super::RenderError;
use super::Theme;
use crate::base::{format_count, format_significant};
use crate::explain::{CalibrationView, NoiseLines, NoiseView};

/// Single-feature lines named at their right end: the ones noise hurts most.
const NAMED_WORST: usize = 3;

/// The chart of a noise view: every line alike for models; for features the
/// all-features line thick, the single features thin.
fn noise_chart(view: &NoiseView) -> Chart<'_> {
    let c = &view.curves;
    let layers = c
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = match view.lines {
                NoiseLines::Models => series_mark(i),
                NoiseLines::Features { .. } if i == 0 => Mark::Line { color: ink::TEXT, dash: None },
                NoiseLines::Features { .. } => Mark::Thin(class_color(i - 1)),
            };
            Layer { name: Some(s.name.clone()), points: &s.points, mark }
        })
        .collect();
    Chart {
        title: &c.title,
        x_label: &c.x_label,
        y_label: &c.y_label,
        x_levels: None,
        x_log: false,
        layers,
        dots: matches!(view.lines, NoiseLines::Models),
        include: None,
    }
}

/// Size (device px) across `width` device px: the chart and its note.
pub fn noise_size(view: &NoiseView, theme: &Theme, width: u32) -> (u32, u32) {
    noted_chart_size(&noise_chart(view), &view.note, theme, width)
}

/// Draws the noise curves (best at [`noise_size`]).
pub fn draw_noise<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NoiseView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let frame = draw_noted_chart(area, &noise_chart(view), theme, &view.note)?;
    if let (Some(frame), NoiseLines::Features { clean }) = (frame, &view.lines) {
        let small = Font::new(size::SMALL, ink::MUTED);
        if clean.is_finite() {
            let at = frame.at((0.0, *clean));
            draw_mark(area, theme, Mark::Dot(ink::TEXT), at)?;
            let label = format!("no noise: {}", format_significant(*clean, 3));
            draw_text(
                area,
                theme,
                small,
                &label,
                (at.0 + theme.px(8.0), at.1 - theme.px(4.0)),
                anchor(HPos::Left, VPos::Bottom),
            )?;
        }
        // The single features that end lowest, named at their last point.
        let mut ends: Vec<(usize, (f64, f64))> = view
            .curves
            .series
            .iter()
            .enumerate()
            .skip(1)
            .filter_map(|(i, s)| s.points.last().filter(|p| p.0.is_finite() && p.1.is_finite()).map(|&p| (i, p)))
            .collect();
        ends.sort_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
        let mut taken: Vec<f64> = Vec::new();
        for (i, point) in ends.into_iter().take(NAMED_WORST) {
            let (x, mut y) = frame.at(point);
            // Names that would overlap are nudged apart.
            while taken.iter().any(|&t| (t - y).abs() < theme.px(15.0)) {
                y -= theme.px(15.0);
            }
            taken.push(y);
            let font = Font::new(size::SMALL, class_color(i - 1));
            draw_text(
                area,
                theme,
                font,
                &view.curves.series[i].name,
                (x - theme.px(4.0), y - theme.px(3.0)),
                anchor(HPos::Right, VPos::Bottom),
            )?;
        }
    }
    Ok(())
}

/// The diagonal of perfect calibration.
const DIAGONAL: [(f64, f64); 2] = [(0.0, 0.0), (1.0, 1.0)];

fn calibration_chart<'a>(view: &'a CalibrationView, points: &'a [(f64, f64)]) -> Chart<'a> {
    Chart {
        title: &view.title,
        x_label: "probability given to the class predicted",
        y_label: "share right",
        x_levels: None,
        x_log: false,
        layers: vec![
            Layer { name: Some("perfectly calibrated".into()), points: &DIAGONAL, mark: REFERENCE },
            Layer { name: Some("this model (rows per bin at each point)".into()), points, mark: series_mark(0) },
        ],
        // The model's points get their dots below; the diagonal none.
        dots: false,
        include: Some(((0.0, 1.0), (0.0, 1.0))),
    }
}

/// Each bin's (mean probability, share right).
fn calibration_points(view: &CalibrationView) -> Vec<(f64, f64)> {
    view.bins.iter().map(|b| (b.predicted, b.observed)).collect()
}

/// Size (device px) across `width` device px: the chart and its note.
pub fn calibration_size(view: &CalibrationView, theme: &Theme, width: u32) -> (u32, u32) {
    noted_chart_size(&calibration_chart(view, &calibration_points(view)), &view.note, theme, width)
}

/// Draws the reliability chart with each bin's row count (best at [`calibration_size`]).
pub fn draw_calibration<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CalibrationView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let points = calibration_points(view);
    let frame = draw_noted_chart(area, &calibration_chart(view, &points), theme, &view.note)?;
    if let Some(frame) = frame {
        let small = Font::new(size::SMALL, ink::MUTED);
        let right_edge = (frame.plot.x + frame.plot.width) as f64;
        for (bin, &p) in view.bins.iter().zip(&points) {
            let (x, y) = frame.at(p);
            draw_mark(area, theme, Mark::Dot(class_color(0)), (x, y))?;
            // Below a point under the diagonal, above one over it: away from the line.
            let (v, dy) = if p.1 < p.0 { (VPos::Top, theme.px(7.0)) } else { (VPos::Bottom, -theme.px(7.0)) };
            // Near the right edge the count sits left of the point, inside the plot.
            let (h, dx) = if x > right_edge - theme.px(24.0) { (HPos::Right, -theme.px(4.0)) } else { (HPos::Center, 0.0) };
            draw_text(area, theme, small, &format_count(bin.count), (x + dx, y + dy), anchor(h, v))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::CalibrationBin;
    use crate::model::view::{CurvesView, Series};

    fn noise() -> NoiseView {
        let sizes = |f: &dyn Fn(f64) -> f64| (0..=10).map(|k| (k as f64 / 10.0, f(k as f64 / 10.0))).collect();
        let line = |name: &str, drop: f64| Series { name: name.into(), points: sizes(&|s| 0.97 - drop * s * s) };
        NoiseView {
            curves: CurvesView {
                title: "Test accuracy as noise is added to the inputs".into(),
                x_label: "noise (standard deviations)".into(),
                y_label: "test accuracy".into(),
                series: vec![
                    line("all numeric features", 0.45),
                    line("flipper_length_mm", 0.22),
                    line("bill_length_mm", 0.3),
                    line("bill_depth_mm", 0.08),
                    line("body_mass_g", 0.03),
                ],
            },
            lines: NoiseLines::Features { clean: 0.97 },
            note: "Gaussian noise of each size added to the 69 test rows, the score averaged over 3 seeded draws.".into(),
        }
    }

    fn calibration() -> CalibrationView {
        let bin = |from: f64, predicted: f64, observed: f64, count: usize| CalibrationBin {
            from,
            to: from + 0.1,
            predicted,
            observed,
            count,
        };
        CalibrationView {
            title: "Calibration: predicted probability against how often it was right, 69 test rows".into(),
            bins: vec![bin(0.4, 0.46, 0.5, 4), bin(0.6, 0.66, 0.57, 7), bin(0.8, 0.86, 0.8, 10), bin(0.9, 1.0, 0.93, 48)],
            brier: 0.061,
            note: "When the model gives its answer a probability of about 100 %, it is right 93 % of the time (48 test rows). Brier score 0.061 (0 is perfect).".into(),
        }
    }

    #[test]
    fn the_note_adds_to_the_height() {
        let theme = Theme::default();
        let mut view = noise();
        let (_, with_note) = noise_size(&view, &theme, 560);
        view.note.clear();
        assert!(noise_size(&view, &theme, 560).1 < with_note);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::{assert_golden, register_test_font};

        #[test]
        fn noise_golden() {
            let view = noise();
            let theme = Theme::default();
            assert_golden("noise", noise_size(&view, &theme, 560), |area| draw_noise(area, &view, &theme));
        }

        #[test]
        fn noise_of_models_golden() {
            let mut view = noise();
            view.curves.series.truncate(3);
            view.curves.series[0].name = "decision tree".into();
            view.curves.series[1].name = "random forest".into();
            view.curves.series[2].name = "k nearest neighbours".into();
            view.lines = NoiseLines::Models;
            let theme = Theme::default();
            assert_golden("noise_models", noise_size(&view, &theme, 560), |area| draw_noise(area, &view, &theme));
        }

        #[test]
        fn calibration_golden() {
            let view = calibration();
            let theme = Theme::default();
            assert_golden("calibration", calibration_size(&view, &theme, 560), |area| draw_calibration(area, &view, &theme));
        }

        #[test]
        fn empty_views_draw_without_panicking() {
            register_test_font();
            let mut buffer = vec![0u8; 300 * 300 * 3];
            let area = BitMapBackend::with_buffer(&mut buffer, (300, 300)).into_drawing_area();
            let theme = Theme::default();
            let mut view = calibration();
            view.bins.clear();
            draw_calibration(&area, &view, &theme).unwrap();
            let mut noise = noise();
            noise.curves.series.clear();
            noise.lines = NoiseLines::Features { clean: f64::NAN };
            draw_noise(&area, &noise, &theme).unwrap();
        }
    }
}
