//! The learning curve: training and test score as the model grows, with the
//! person's own setting marked, so the point where the curves part (the model
//! starts to learn its training rows by heart) is in plain view.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::curves::{curves_chart, draw_noted_chart, noted_chart_size};
use super::legend::draw_line;
use super::text::{anchor, draw_text, Font};
use super::theme::{ink, size};
use super::RenderError;
use super::Theme;
use crate::explain::LearningCurveView;

/// Size (device px) across `width` device px: the chart and its note.
pub fn learning_curve_size(view: &LearningCurveView, theme: &Theme, width: u32) -> (u32, u32) {
    noted_chart_size(&curves_chart(&view.curves, true), &view.note, theme, width)
}

/// Draws the curves with a dot per refit, the marked setting and the note (best
/// at [`learning_curve_size`]).
pub fn draw_learning_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LearningCurveView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let frame = draw_noted_chart(area, &curves_chart(&view.curves, true), theme, &view.note)?;
    if let (Some(frame), Some(chosen)) = (frame, view.chosen.as_ref().filter(|c| c.at.is_finite())) {
        let (x, top) = frame.at((chosen.at, frame.y.1));
        let bottom = (frame.plot.y + frame.plot.height) as f64;
        draw_line(area, theme, &[(x, top), (x, bottom)], ink::MUTED, Some((2.0, 3.0)))?;
        let label = &chosen.label;
        // At the foot of the line (scores climb, so the top is busier), on
        // the side with more room.
        let right_half = x > (frame.plot.x as f64 + frame.plot.width as f64 / 2.0);
        let (h, dx) = if right_half { (HPos::Right, -theme.px(4.0)) } else { (HPos::Left, theme.px(4.0)) };
        draw_text(
            area,
            theme,
            Font::new(size::SMALL, ink::MUTED),
            label,
            (x + dx, bottom - theme.px(3.0)),
            anchor(h, VPos::Bottom),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::ChosenMark;
    use crate::model::view::{CurvesView, Series};

    fn depth_sweep() -> LearningCurveView {
        let depths = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 14.0, 20.0];
        let train = depths.iter().map(|&d: &f64| (d, 1.0 - 0.45 * (-(d - 1.0) / 2.5).exp())).collect();
        let test =
            depths.iter().map(|&d: &f64| (d, 0.93 - 0.4 * (-(d - 1.0) / 1.8).exp() - 0.006 * (d - 5.0).max(0.0))).collect();
        LearningCurveView {
            curves: CurvesView {
                title: "Learning curve: accuracy by max depth".into(),
                x_label: "max depth".into(),
                y_label: "accuracy".into(),
                series: vec![Series { name: "training rows".into(), points: train }, Series { name: "test rows".into(), points: test }],
            },
            chosen: Some(ChosenMark { at: 5.0, label: "yours: 5".into() }),
            note: "Refitted at 9 other values of max depth on the same split; scored on 120 training and 30 test rows. Your max depth is marked.".into(),
        }
    }

    #[test]
    fn the_note_adds_to_the_height() {
        let theme = Theme::default();
        let mut view = depth_sweep();
        let (_, with_note) = learning_curve_size(&view, &theme, 560);
        view.note.clear();
        let (_, without) = learning_curve_size(&view, &theme, 560);
        assert!(with_note > without);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn learning_curve_golden() {
            let view = depth_sweep();
            let theme = Theme::default();
            assert_golden("learning_curve", learning_curve_size(&view, &theme, 560), |area| {
                draw_learning_curve(area, &view, &theme)
            });
        }
    }
}
