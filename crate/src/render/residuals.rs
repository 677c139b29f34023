//! A regression's test predictions beside the truth: predicted against actual
//! (on the dashed y = x line when right) and the residual against the
//! prediction (on the dashed zero line when right), where a curve or a funnel
//! shows what the model misses.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::finite_bounds;
use super::curves::{draw_panels, panels_size, Chart, Layer, REFERENCE};
use super::legend::Mark;
use super::theme::class_color;
use super::RenderError;
use super::Theme;
use crate::explain::ResidualsView;

/// The points and reference lines of both panels.
struct Data {
    vs_actual: Vec<(f64, f64)>,
    residuals: Vec<(f64, f64)>,
    diagonal: [(f64, f64); 2],
    zero: [(f64, f64); 2],
}

fn data(view: &ResidualsView) -> Data {
    let pairs = || view.actual.iter().copied().zip(view.predicted.iter().copied());
    let (lo, hi) = finite_bounds(view.actual.iter().chain(&view.predicted).copied());
    let (p_lo, p_hi) = finite_bounds(view.predicted.iter().copied());
    Data {
        vs_actual: pairs().collect(),
        residuals: pairs().map(|(a, p)| (p, a - p)).collect(),
        diagonal: [(lo, lo), (hi, hi)],
        zero: [(p_lo, 0.0), (p_hi, 0.0)],
    }
}

fn charts<'a>(labels: &'a [String; 3], d: &'a Data) -> [Chart<'a>; 2] {
    let rows = |points| Layer { name: Some("test row".into()), points, mark: Mark::Speck(class_color(0)) };
    [
        Chart {
            title: "Predicted against actual",
            x_label: &labels[0],
            y_label: &labels[1],
            x_levels: None,
            x_log: false,
            layers: vec![
                Layer { name: Some("perfect (y = x)".into()), points: &d.diagonal, mark: REFERENCE },
                rows(&d.vs_actual),
            ],
            dots: false,
            include: None,
        },
        Chart {
            title: "Residuals",
            x_label: &labels[1],
            y_label: &labels[2],
            x_levels: None,
            x_log: false,
            layers: vec![Layer { name: Some("zero error".into()), points: &d.zero, mark: REFERENCE }, rows(&d.residuals)],
            dots: false,
            // Zero stays on the axis, so a model that is off everywhere shows it.
            include: Some(((f64::NAN, f64::NAN), (0.0, 0.0))),
        },
    ]
}

/// Axis names in the target's own name.
fn labels(view: &ResidualsView) -> [String; 3] {
    let t = &view.target;
    [format!("actual {t}"), format!("predicted {t}"), "residual (actual − predicted)".to_string()]
}

/// Size (device px) across `width` device px.
pub fn residuals_size(view: &ResidualsView, theme: &Theme, width: u32) -> (u32, u32) {
    let (labels, d) = (labels(view), data(view));
    panels_size(&view.title, &charts(&labels, &d), theme, width)
}

/// Draws both panels (best at [`residuals_size`]).
pub fn draw_residuals<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ResidualsView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let (labels, d) = (labels(view), data(view));
    draw_panels(area, theme, &view.title, &charts(&labels, &d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diabetes_like() -> ResidualsView {
        // A model that is right on average but shrinks toward the mean.
        let actual: Vec<f64> = (0..88).map(|i| 40.0 + ((i * 37) % 88) as f64 * 3.5).collect();
        let predicted = actual
            .iter()
            .enumerate()
            .map(|(i, a)| 150.0 + 0.6 * (a - 150.0) + ((i * 13) % 17) as f64 * 4.0 - 32.0)
            .collect();
        ResidualsView { title: "Predictions on 88 test rows".into(), target: "progression".into(), actual, predicted }
    }

    #[test]
    fn reference_lines_span_the_data() {
        let d = data(&diabetes_like());
        assert_eq!(d.diagonal[0].0, d.diagonal[0].1);
        assert_eq!(d.diagonal[0].0, 40.0);
        assert!(d.residuals.iter().zip(&d.vs_actual).all(|(r, v)| (r.1 - (v.0 - v.1)).abs() < 1e-12));
        assert_eq!(labels(&diabetes_like())[1], "predicted progression");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn residuals_golden() {
            let view = diabetes_like();
            let theme = Theme::default();
            assert_golden("residuals", residuals_size(&view, &theme, 760), |area| draw_residuals(area, &view, &theme));
        }
    }
}
