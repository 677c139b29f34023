//! ROC and precision–recall curves side by side: how well the model's
//! probabilities rank the rows of a class above the rest, with the area under
//! each curve in its legend and what chance would score as a dashed line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::curves::{draw_panels, panels_size, Chart, Layer, REFERENCE};
use super::legend::Mark;
use super::theme::class_color;
use super::RenderError;
use super::Theme;
use crate::base::format_significant;
use crate::explain::{ClassCurve, RocView};

/// The diagonal a classifier that guesses follows.
const CHANCE: [(f64, f64); 2] = [(0.0, 0.0), (1.0, 1.0)];

/// The title, with the macro AUC for more than two classes.
fn title(view: &RocView) -> String {
    match view.macro_auc {
        Some(auc) => format!("Macro AUC {} · {}", format_significant(auc, 3), view.title),
        None => view.title.clone(),
    }
}

/// A class's curve: its Okabe–Ito color (as everywhere else) and from the
/// fourth class on a dash, so neighbours differ without color too.
fn curve_layer<'a>(c: &'a ClassCurve, measure: &str, n: usize) -> Layer<'a> {
    let dash = if n > 1 && c.class_index % 2 == 1 { Some((7.0, 3.0)) } else { None };
    Layer {
        name: Some(format!("{} ({measure} {})", c.class, format_significant(c.area, 3))),
        points: &c.points,
        mark: Mark::Line { color: class_color(c.class_index), dash },
    }
}

fn charts<'a>(view: &'a RocView, prevalence: &'a [(f64, f64)]) -> [Chart<'a>; 2] {
    let unit = Some(((0.0, 1.0), (0.0, 1.0)));
    let mut roc = vec![Layer { name: Some("chance (AUC 0.5)".into()), points: &CHANCE, mark: REFERENCE }];
    roc.extend(view.roc.iter().map(|c| curve_layer(c, "AUC", view.roc.len())));
    let mut pr = Vec::new();
    // What guessing scores on precision is the class's share; one line for one class.
    if view.pr.len() == 1 {
        pr.push(Layer { name: Some("chance".into()), points: prevalence, mark: REFERENCE });
    }
    pr.extend(view.pr.iter().map(|c| curve_layer(c, "AP", view.pr.len())));
    [
        Chart {
            title: "ROC curve",
            x_label: "false-positive rate",
            y_label: "true-positive rate (recall)",
            x_levels: None,
            x_log: false,
            layers: roc,
            dots: false,
            include: unit,
        },
        Chart {
            title: "Precision–recall",
            x_label: "recall",
            y_label: "precision",
            x_levels: None,
            x_log: false,
            layers: pr,
            dots: false,
            include: unit,
        },
    ]
}

/// The horizontal chance line of a single precision–recall curve.
fn prevalence_line(view: &RocView) -> [(f64, f64); 2] {
    let p = view.pr.first().map_or(0.0, |c| c.prevalence);
    [(0.0, p), (1.0, p)]
}

/// Size (device px) across `width` device px.
pub fn roc_size(view: &RocView, theme: &Theme, width: u32) -> (u32, u32) {
    let line = prevalence_line(view);
    panels_size(&title(view), &charts(view, &line), theme, width)
}

/// Draws both panels (best at [`roc_size`]).
pub fn draw_roc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &RocView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let line = prevalence_line(view);
    draw_panels(area, theme, &title(view), &charts(view, &line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{precision_recall_curve, roc_curve};

    /// A binary view from a small hand-made ranking.
    fn binary() -> RocView {
        let y: Vec<bool> = (0..40).map(|i| i % 3 == 0).collect();
        let s: Vec<f64> =
            (0..40).map(|i| if i % 3 == 0 { 0.35 + (i % 7) as f64 / 10.0 } else { (i % 9) as f64 / 10.0 }).collect();
        let (r, p) = (roc_curve(&y, &s).unwrap(), precision_recall_curve(&y, &s).unwrap());
        let curve =
            |points, area| ClassCurve { class: "malignant".into(), class_index: 1, points, area, prevalence: 14.0 / 40.0 };
        RocView {
            title: "ROC and precision–recall on the 40 test rows".into(),
            roc: vec![curve(r.points, r.area)],
            pr: vec![curve(p.points, p.area)],
            macro_auc: None,
        }
    }

    #[test]
    fn the_title_carries_the_macro_auc() {
        let mut view = binary();
        assert_eq!(title(&view), view.title);
        view.macro_auc = Some(0.98765);
        assert!(title(&view).starts_with("Macro AUC 0.988 · "));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn roc_binary_golden() {
            let view = binary();
            let theme = Theme::default();
            assert_golden("roc_binary", roc_size(&view, &theme, 760), |area| draw_roc(area, &view, &theme));
        }

        #[test]
        fn roc_three_classes_stacked_golden() {
            let names = ["setosa", "versicolor", "virginica"];
            let curves: Vec<(ClassCurve, ClassCurve)> = names
                .iter()
                .enumerate()
                .map(|(c, name)| {
                    let y: Vec<bool> = (0..30).map(|i| i % 3 == c).collect();
                    let s: Vec<f64> =
                        (0..30).map(|i| ((i * (c + 5)) % 11) as f64 / 10.0 + if i % 3 == c { 0.45 } else { 0.0 }).collect();
                    let (r, p) = (roc_curve(&y, &s).unwrap(), precision_recall_curve(&y, &s).unwrap());
                    let curve = |points, area| ClassCurve {
                        class: name.to_string(),
                        class_index: c,
                        points,
                        area,
                        prevalence: 1.0 / 3.0,
                    };
                    (curve(r.points, r.area), curve(p.points, p.area))
                })
                .collect();
            let macro_auc = curves.iter().map(|c| c.0.area).sum::<f64>() / 3.0;
            let view = RocView {
                title: "Each class against the rest, 30 test rows".into(),
                roc: curves.iter().map(|c| c.0.clone()).collect(),
                pr: curves.into_iter().map(|c| c.1).collect(),
                macro_auc: Some(macro_auc),
            };
            let theme = Theme::default();
            assert_golden("roc_multiclass", roc_size(&view, &theme, 480), |area| draw_roc(area, &view, &theme));
        }
    }
}
