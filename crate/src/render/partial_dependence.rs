//! Partial dependence: how the model's prediction moves along one feature, on
//! average (thick lines) and for single rows (thin grey lines, "ICE"), with
//! every other input of each row kept as it was.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::curves::{draw_noted_chart, noted_chart_size, series_mark, Chart, Layer};
use super::legend::Mark;
use super::theme::ink;
use super::theme::mix;
use super::RenderError;
use super::Theme;
use crate::explain::{PartialDependenceView, PdpGrid};

/// The points of every curve: x in the feature's units, or the level's index.
struct Lines {
    mean: Vec<Vec<(f64, f64)>>,
    individual: Vec<Vec<(f64, f64)>>,
}

fn lines(view: &PartialDependenceView) -> Lines {
    let xs: Vec<f64> = match &view.grid {
        PdpGrid::Values(v) => v.clone(),
        PdpGrid::Levels(l) => (0..l.len()).map(|i| i as f64).collect(),
    };
    let along = |ys: &[f64]| xs.iter().copied().zip(ys.iter().copied()).collect();
    Lines {
        mean: view.mean.iter().map(|(_, ys)| along(ys)).collect(),
        individual: view.individual.iter().map(|ys| along(ys)).collect(),
    }
}

fn chart<'a>(view: &'a PartialDependenceView, lines: &'a Lines) -> Chart<'a> {
    // Light enough that the mean lines stand out over 50 of them.
    let thin = Mark::Thin(mix(ink::WHITE, ink::MUTED, 0.35));
    let mut layers: Vec<Layer> = lines
        .individual
        .iter()
        .enumerate()
        .map(|(i, points)| Layer { name: (i == 0).then(|| "one row".to_string()), points, mark: thin })
        .collect();
    layers.extend(view.mean.iter().zip(&lines.mean).enumerate().map(|(i, ((name, _), points))| Layer {
        name: Some(name.clone()),
        points,
        mark: series_mark(i),
    }));
    Chart {
        title: &view.title,
        x_label: &view.feature,
        y_label: &view.y_label,
        x_levels: match &view.grid {
            PdpGrid::Levels(levels) => Some(levels),
            PdpGrid::Values(_) => None,
        },
        x_log: false,
        layers,
        // Levels are separate points: a dot on each.
        dots: matches!(view.grid, PdpGrid::Levels(_)),
        include: None,
    }
}

/// Size (device px) across `width` device px: the chart and its note.
pub fn partial_dependence_size(view: &PartialDependenceView, theme: &Theme, width: u32) -> (u32, u32) {
    noted_chart_size(&chart(view, &lines(view)), &view.note, theme, width)
}

/// Draws the curves and the note (best at [`partial_dependence_size`]).
pub fn draw_partial_dependence<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &PartialDependenceView,
    theme: &Theme,
) -> Result<(), RenderError> {
    draw_noted_chart(area, &chart(view, &lines(view)), theme, &view.note).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bmi() -> PartialDependenceView {
        let grid: Vec<f64> = (0..20).map(|i| 19.0 + i as f64 * 0.9).collect();
        let individual: Vec<Vec<f64>> = (0..50)
            .map(|r| {
                grid.iter()
                    .map(|&x| 60.0 + (r as f64 * 7.3) % 120.0 + 6.5 * (x - 19.0) + if x > 27.0 { 15.0 } else { 0.0 })
                    .collect()
            })
            .collect();
        let mean = (0..20).map(|k| individual.iter().map(|c| c[k]).sum::<f64>() / 50.0).collect();
        PartialDependenceView {
            title: "Partial dependence on bmi".into(),
            feature: "bmi".into(),
            y_label: "predicted progression".into(),
            grid: PdpGrid::Values(grid),
            mean: vec![("mean progression".into(), mean)],
            individual,
            note: "Each thin line is one test row with only bmi changed; the thick line is the mean over 88 test rows."
                .into(),
        }
    }

    #[test]
    fn levels_sit_at_their_index() {
        let mut view = bmi();
        view.grid = PdpGrid::Levels(vec!["Biscoe".into(), "Dream".into(), "Torgersen".into()]);
        view.mean = vec![("P(Adelie)".into(), vec![0.2, 0.5, 0.9])];
        view.individual.clear();
        let l = lines(&view);
        assert_eq!(l.mean[0], vec![(0.0, 0.2), (1.0, 0.5), (2.0, 0.9)]);
        assert_eq!(chart(&view, &l).x_levels.map(|l| l.len()), Some(3));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn partial_dependence_golden() {
            let view = bmi();
            let theme = Theme::default();
            assert_golden("pdp_ice", partial_dependence_size(&view, &theme, 560), |area| {
                draw_partial_dependence(area, &view, &theme)
            });
        }

        #[test]
        fn partial_dependence_levels_golden() {
            let view = PartialDependenceView {
                title: "Partial dependence on island".into(),
                feature: "island".into(),
                y_label: "predicted probability".into(),
                grid: PdpGrid::Levels(vec!["Biscoe".into(), "Dream".into(), "Torgersen".into()]),
                mean: vec![
                    ("P(Adelie)".into(), vec![0.31, 0.42, 0.58]),
                    ("P(Chinstrap)".into(), vec![0.12, 0.36, 0.1]),
                    ("P(Gentoo)".into(), vec![0.57, 0.22, 0.32]),
                ],
                individual: vec![],
                note: "Mean over 69 test rows with only island changed, one line per class.".into(),
            };
            let theme = Theme::default();
            assert_golden("pdp_levels", partial_dependence_size(&view, &theme, 560), |area| {
                draw_partial_dependence(area, &view, &theme)
            });
        }
    }
}
