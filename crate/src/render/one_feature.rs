//! The prediction along a model's only feature: a curve per class's
//! probability (or one of the predicted value) with the rows on top, where a
//! boundary plot has no second axis. Drawn by the same [`Chart`] as the
//! partial dependence, which it is when nothing else is held.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::boundary::{draw_arrow, draw_cross, PlotMapping};
use super::curves::{draw_noted_chart, noted_chart_size, series_mark, Chart, Layer};
use super::legend::{draw_line, Mark};
use super::theme::{class_color, ink, sequential_color};
use super::RenderError;
use super::Theme;
use crate::explain::{Legend, OneFeatureView, PointView};

/// Every layer's points, kept while the chart borrows them: the curves,
/// then the rows by colour and by training or test.
struct Lines {
    curves: Vec<Vec<(f64, f64)>>,
    rows: Vec<RowGroup>,
}

/// Rows drawn alike: one colour, training or test.
struct RowGroup {
    color: RGBColor,
    test: bool,
    points: Vec<(f64, f64)>,
}

fn lines(view: &OneFeatureView) -> Lines {
    // Levels have no order between them: a short level line across each
    // band, broken (a NaN) before the next, rather than a line joining them.
    let levels = !view.feature.levels.is_empty();
    let curves = view
        .curves
        .iter()
        .map(|(_, ys)| {
            let at = view.xs.iter().copied().zip(ys.iter().copied());
            if levels {
                at.flat_map(|(x, y)| [(x - 0.3, y), (x + 0.3, y), (f64::NAN, f64::NAN)]).collect()
            } else {
                at.collect()
            }
        })
        .collect();
    let p = &view.rows;
    // Rows coloured by class (a rug), or all alike at their value.
    let groups = match &view.legend {
        Legend::Classes(names) => names.len(),
        Legend::Scale { .. } => 1,
    };
    let mut rows = Vec::new();
    for test in [false, true] {
        for g in 0..groups {
            let color = match &view.legend {
                Legend::Classes(_) => class_color(g),
                Legend::Scale { .. } => sequential_color(0.35),
            };
            let points: Vec<(f64, f64)> = (0..p.x.len())
                .filter(|&i| p.is_test.get(i).copied().unwrap_or(false) == test)
                .filter(|&i| groups == 1 || p.value.get(i).is_some_and(|&v| v as usize == g))
                .map(|i| (p.x[i] as f64, p.y[i] as f64))
                .collect();
            rows.push(RowGroup { color, test, points });
        }
    }
    Lines { curves, rows }
}

fn chart<'a>(view: &'a OneFeatureView, lines: &'a Lines) -> Chart<'a> {
    let regression = matches!(view.legend, Legend::Scale { .. });
    // The rows first, so the curves stay on top of them.
    let mut layers: Vec<Layer> = lines
        .rows
        .iter()
        .map(|RowGroup { color, test, points }| Layer {
            // Named once each for values; for classes the curves' colours say the class.
            name: regression.then(|| if *test { "test row" } else { "training row" }.to_string()),
            points,
            mark: if *test { Mark::Test(*color) } else { Mark::Train(*color) },
        })
        .collect();
    layers.extend(view.curves.iter().zip(&lines.curves).enumerate().map(|(i, ((name, _), points))| Layer {
        name: Some(name.clone()),
        points,
        mark: if regression { Mark::Line { color: ink::TEXT, dash: None } } else { series_mark(i) },
    }));
    Chart {
        title: &view.title,
        x_label: &view.feature.name,
        y_label: &view.y_label,
        x_levels: (!view.feature.levels.is_empty()).then_some(view.feature.levels.as_slice()),
        x_log: false,
        layers,
        dots: false,
        include: (!regression).then_some(((view.feature.min, view.feature.max), (0.0, 1.0))),
    }
}

/// Size (device px) across `width` device px: the chart and its note.
pub fn one_feature_size(view: &OneFeatureView, theme: &Theme, width: u32) -> (u32, u32) {
    noted_chart_size(&chart(view, &lines(view)), &view.note, theme, width)
}

/// Draws the curves, the rows and the note (best at [`one_feature_size`]),
/// with a `traced` row marked: a line up from its place along the feature,
/// the training rows its prediction rests on ringed, a cross on the curve at
/// its prediction, and, once asked for, an arrow along the feature to where
/// the smallest change that gives another class takes it. Returns where the
/// plot landed (device px), to turn a press into a value of the feature;
/// `None` when there was nothing to plot.
pub fn draw_one_feature<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &OneFeatureView,
    traced: Option<&PointView>,
    theme: &Theme,
) -> Result<Option<PlotMapping>, RenderError> {
    let frame = draw_noted_chart(area, &chart(view, &lines(view)), theme, &view.note)?;
    if let (Some(frame), Some(point)) = (frame, traced) {
        let (px, py) = frame.at((point.x, point.y));
        let p = frame.plot;
        let guide = vec![(px, (p.y + p.height) as f64), (px, py)];
        draw_line(area, theme, &guide, ink::MUTED, Some((4.0, 3.0)))?;
        for &(x, y, _) in &point.neighbours {
            let (nx, ny) = frame.at((x as f64, y as f64));
            let at = (nx.round() as i32, ny.round() as i32);
            area.draw(&Circle::new(at, theme.ipx(7.0), theme.stroke(2.0, ink::TEXT)))?;
        }
        if let Some(to) = point.counterfactual {
            draw_arrow(area, (px, py), frame.at(to), theme)?;
        }
        // A white disc under the cross keeps it clear of the curves it sits on.
        area.draw(&Circle::new((px.round() as i32, py.round() as i32), theme.ipx(11.0), theme.fill(WHITE)))?;
        draw_cross(area, theme, (px, py))?;
    }
    Ok(frame.map(PlotMapping::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{AxisView, PointSet};

    /// Survival against age alone: children and the young more likely to survive.
    fn age_view() -> OneFeatureView {
        let xs: Vec<f64> = (0..50).map(|i| i as f64 * 1.6).collect();
        let survived: Vec<f64> = xs
            .iter()
            .map(|&a| {
                if a < 12.0 {
                    0.7
                } else if a < 40.0 {
                    0.4
                } else {
                    0.3
                }
            })
            .collect();
        let died = survived.iter().map(|p| 1.0 - p).collect();
        let mut rows = PointSet::default();
        for i in 0..60 {
            let age = (i * 37 % 80) as f32;
            let class = u32::from(age < 12.0 || i % 3 == 0);
            rows.rows.push(i);
            rows.x.push(age);
            rows.is_test.push(i % 5 == 0);
            rows.y.push(if i % 5 == 0 { -0.14 } else { -0.07 });
            rows.value.push(class as f32);
        }
        OneFeatureView {
            title: "Decision tree (CART) — predicted survived along age".into(),
            feature: AxisView { name: "age".into(), min: -4.0, max: 84.0, levels: Vec::new() },
            y_label: "predicted probability".into(),
            xs,
            curves: vec![("P(no)".into(), died), ("P(yes)".into(), survived)],
            rows,
            legend: Legend::Classes(vec!["no".into(), "yes".into()]),
            note: "age is the model's only feature, so there is no second axis for a boundary plot.".into(),
        }
    }

    #[test]
    fn rows_are_grouped_by_class_and_split() {
        let view = age_view();
        let l = lines(&view);
        // Two classes × training and test.
        assert_eq!(l.rows.len(), 4);
        assert_eq!(l.rows.iter().map(|r| r.points.len()).sum::<usize>(), 60);
        assert!(l.rows.iter().filter(|r| r.test).all(|r| r.points.iter().all(|p| (p.1 + 0.14).abs() < 1e-6)));
        let c = chart(&view, &l);
        // The rows under the curves, the two curves named in the legend.
        assert_eq!(c.layers.len(), 6);
        assert_eq!(c.legend().len(), 2);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn one_feature_classes_golden() {
            let view = age_view();
            let theme = Theme::default();
            assert_golden("one_feature_classes", one_feature_size(&view, &theme, 560), |area| {
                draw_one_feature(area, &view, None, &theme).map(|_| ())
            });
        }

        /// Row 7, aged 19, traced: the tree says "no" there with probability 0.6.
        fn row_7_traced(counterfactual: Option<(f64, f64)>) -> PointView {
            PointView {
                x: 19.0,
                y: 0.6,
                row: Some(7),
                neighbours: Vec::new(),
                path: Vec::new(),
                contributions: None,
                text: String::new(),
                boundary: None,
                members: Vec::new(),
                counterfactual,
                what_if: false,
            }
        }

        #[test]
        fn one_feature_traced_golden() {
            let (view, point, theme) = (age_view(), row_7_traced(None), Theme::default());
            assert_golden("one_feature_traced", one_feature_size(&view, &theme, 560), |area| {
                draw_one_feature(area, &view, Some(&point), &theme).map(|_| ())
            });
        }

        #[test]
        fn one_feature_counterfactual_golden() {
            // The smallest change that gives "yes" is to be younger than 12,
            // an arrow along age at the row's height.
            let (view, point, theme) = (age_view(), row_7_traced(Some((11.9, 0.6))), Theme::default());
            assert_golden("one_feature_counterfactual", one_feature_size(&view, &theme, 560), |area| {
                draw_one_feature(area, &view, Some(&point), &theme).map(|_| ())
            });
        }

        #[test]
        fn one_feature_levels_golden() {
            // Price by neighbourhood alone: a point per level, the rows jittered in it.
            let levels: Vec<String> = ["Edwards", "North Ames", "Northridge Heights"].map(String::from).to_vec();
            let mut rows = PointSet::default();
            for i in 0..45u32 {
                let level = (i % 3) as f32;
                let jitter = ((i as f32 * 0.754_877_7).fract() - 0.5) * 0.7;
                rows.rows.push(i);
                rows.x.push(level + jitter);
                let price = [130.0, 150.0, 320.0][(i % 3) as usize] + (i as f32 * 13.0) % 60.0 - 30.0;
                rows.y.push(price);
                rows.value.push(price);
                rows.is_test.push(i % 4 == 0);
            }
            let view = OneFeatureView {
                title: "Linear regression — predicted price (k$) along neighbourhood".into(),
                feature: AxisView { name: "neighbourhood".into(), min: -0.5, max: 2.5, levels },
                y_label: "price (k$)".into(),
                xs: vec![0.0, 1.0, 2.0],
                curves: vec![("predicted price (k$)".into(), vec![131.0, 149.0, 318.0])],
                rows,
                legend: Legend::Scale { name: "price (k$)".into(), min: 100.0, max: 350.0 },
                note: "neighbourhood is the model's only feature.".into(),
            };
            let theme = Theme::default();
            assert_golden("one_feature_levels", one_feature_size(&view, &theme, 560), |area| {
                draw_one_feature(area, &view, None, &theme).map(|_| ())
            });
        }
    }
}
