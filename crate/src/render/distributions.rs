//! Per-class distributions of each feature (naive Bayes' own view), as small
//! multiples: one panel per feature with one normal curve per class, or grouped
//! bars per level for a categorical feature, all in the class colors. Where the
//! curves of two classes overlap the feature cannot tell them apart; where they
//! separate it can.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{
    bottom_axis_height, draw_axis, draw_category_axis, fitting_ticks, left_axis_width, padded_range, to_pixel, Side,
};
use super::boundary::PixelRect;
use super::legend::{draw_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, title_height, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::model::view::{DistributionsView, FeatureDistribution};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Narrowest panel, CSS px: fixes how many panels share a row.
const PANEL_MIN_WIDTH: f64 = 230.0;
/// Height of a panel including its axes, CSS px.
const PANEL_HEIGHT: f64 = 180.0;
/// Space between panels, CSS px.
const GAP: f64 = 20.0;
/// Most panels per row, so panels stay wide enough to read on a large screen.
const MAX_COLUMNS: usize = 4;
/// Most panels drawn; further features are named in the note.
pub const MAX_PANELS: usize = 12;
/// Points along each density curve.
const CURVE_POINTS: usize = 160;

/// Where everything goes, computed without drawing so the size and the drawing agree.
struct Layout {
    columns: usize,
    panel_width: f64,
    /// Top of the first row of panels, device px.
    panels_top: f64,
    height: f64,
}

fn layout(view: &DistributionsView, theme: &Theme, width: f64) -> Layout {
    let margin = theme.px(MARGIN);
    let inner = (width - 2.0 * margin).max(1.0);
    let shown = view.features.len().min(MAX_PANELS);
    let fitting = ((inner + theme.px(GAP)) / theme.px(PANEL_MIN_WIDTH + GAP)).floor() as usize;
    let columns = fitting.clamp(1, MAX_COLUMNS).min(shown.max(1));
    let panel_width = ((inner - theme.px(GAP) * (columns - 1) as f64) / columns as f64).max(1.0);
    let title = title_height(&view.title, theme, width, margin);
    let legend = legend_rows(view.classes.len(), inner, theme).max(1) as f64 * theme.px(ROW_HEIGHT);
    let panels_top = margin + title + theme.px(4.0) + legend + theme.px(12.0);
    let rows = shown.div_ceil(columns).max(1) as f64;
    let panels = rows * theme.px(PANEL_HEIGHT) + (rows - 1.0) * theme.px(GAP);
    let note = Font::new(size::SMALL, ink::MUTED).line_height(theme) + theme.px(8.0);
    Layout { columns, panel_width, panels_top, height: panels_top + panels + note + margin }
}

/// Size (device px) of the view at the theme's scale, given the available width.
pub fn distributions_size(view: &DistributionsView, theme: &Theme, width: u32) -> (u32, u32) {
    (width, layout(view, theme, width as f64).height.ceil() as u32)
}

/// Draws the small multiples of `view` into `area` (best [`distributions_size`]).
pub fn draw_distributions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &DistributionsView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);
    let inner = (width - 2.0 * margin).max(1.0);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(4.0);
    let entries: Vec<(Mark, String)> =
        view.classes.iter().enumerate().map(|(i, name)| (Mark::Square(class_color(i)), name.clone())).collect();
    draw_legend(area, theme, &entries, (margin, legend_top), inner)?;

    let at = layout(view, theme, width);
    if view.features.is_empty() {
        let font = Font::new(size::BODY, ink::MUTED);
        let top = (margin, at.panels_top);
        return draw_text(area, theme, font, "No features to show.", top, anchor(HPos::Left, VPos::Top));
    }
    for (i, feature) in view.features.iter().take(MAX_PANELS).enumerate() {
        let (row, col) = (i / at.columns, i % at.columns);
        let panel = PixelRect {
            x: (margin + col as f64 * (at.panel_width + theme.px(GAP))).round() as i32,
            y: (at.panels_top + row as f64 * theme.px(PANEL_HEIGHT + GAP)).round() as i32,
            width: at.panel_width.round() as i32,
            height: theme.px(PANEL_HEIGHT).round() as i32,
        };
        match feature {
            FeatureDistribution::Normal { name, per_class } => draw_normal_panel(area, theme, panel, name, per_class)?,
            FeatureDistribution::Levels { name, levels, per_class } => {
                draw_levels_panel(area, theme, panel, name, levels, per_class)?
            }
        }
    }
    let note_font = Font::new(size::SMALL, ink::MUTED);
    let note = fit(area, theme, note_font, &note(view), inner)?;
    draw_text(area, theme, note_font, &note, (margin, height - margin), anchor(HPos::Left, VPos::Bottom))
}

/// What the marks mean, and which features did not get a panel.
fn note(view: &DistributionsView) -> String {
    let has = |normal: bool| view.features.iter().any(|f| matches!(f, FeatureDistribution::Normal { .. }) == normal);
    let mut parts = Vec::new();
    if has(true) {
        parts.push("curves: each class's fitted normal density".to_string());
    }
    if has(false) {
        parts.push("bars: each class's probability of each value".to_string());
    }
    let hidden: Vec<&str> = view.features.iter().skip(MAX_PANELS).map(feature_name).collect();
    if !hidden.is_empty() {
        parts.push(format!("{} more not shown: {}", hidden.len(), hidden.join(", ")));
    }
    let text = parts.join("; ");
    crate::base::capitalize(&text)
}

fn feature_name(f: &FeatureDistribution) -> &str {
    match f {
        FeatureDistribution::Normal { name, .. } | FeatureDistribution::Levels { name, .. } => name,
    }
}

/// The plot rectangle inside a panel whose left axis has `y_ticks`.
fn plot_rect<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: PixelRect,
    y_ticks: &[f64],
) -> Result<PixelRect, RenderError> {
    let left = panel.x as f64 + left_axis_width(area, theme, y_ticks)?;
    let top = panel.y as f64 + theme.px(6.0);
    let bottom = (panel.y + panel.height) as f64 - bottom_axis_height(theme);
    Ok(PixelRect {
        x: left.round() as i32,
        y: top.round() as i32,
        width: ((panel.x + panel.width) as f64 - left).max(1.0).round() as i32,
        height: (bottom - top).max(1.0).round() as i32,
    })
}

/// Y ticks for a panel: the plot height is the panel's less its fixed parts.
fn y_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: PixelRect,
    range: (f64, f64),
) -> Result<Vec<f64>, RenderError> {
    let length = panel.height as f64 - theme.px(6.0) - bottom_axis_height(theme);
    fitting_ticks(area, theme, range, length.max(1.0), Side::Left)
}

fn normal_pdf(x: f64, mean: f64, std: f64) -> f64 {
    let z = (x - mean) / std;
    (-0.5 * z * z).exp() / (std * (2.0 * std::f64::consts::PI).sqrt())
}

fn draw_normal_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: PixelRect,
    name: &str,
    per_class: &[(f64, f64)],
) -> Result<(), RenderError> {
    // Classes without a usable fit (no training rows) are skipped.
    let curves: Vec<(usize, f64, f64)> = per_class
        .iter()
        .enumerate()
        .filter(|(_, (m, s))| m.is_finite() && s.is_finite() && *s > 0.0)
        .map(|(c, &(m, s))| (c, m, s))
        .collect();
    let lo = curves.iter().map(|&(_, m, s)| m - 3.0 * s).fold(f64::INFINITY, f64::min);
    let hi = curves.iter().map(|&(_, m, s)| m + 3.0 * s).fold(f64::NEG_INFINITY, f64::max);
    let x_range = padded_range(lo, hi);
    let peak = curves.iter().map(|&(_, _, s)| normal_pdf(0.0, 0.0, s)).fold(0.0, f64::max);
    let y_range = padded_range(0.0, if peak.is_finite() && peak > 0.0 { peak * 1.08 } else { 1.0 });
    let y_ticks = y_ticks(area, theme, panel, y_range)?;
    let plot = plot_rect(area, theme, panel, &y_ticks)?;
    let x_ticks = fitting_ticks(area, theme, x_range, plot.width as f64, Side::Bottom)?;
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), "density", true)?;
    draw_axis(area, theme, plot, Side::Bottom, (x_range, &x_ticks), name, false)?;
    let bottom = (plot.y + plot.height) as f64;
    for &(c, mean, std) in &curves {
        // An even grid plus the mean and ±1 std, so a narrow peak is never stepped over.
        let step = (x_range.1 - x_range.0) / (CURVE_POINTS - 1) as f64;
        let mut xs: Vec<f64> = (0..CURVE_POINTS).map(|i| x_range.0 + i as f64 * step).collect();
        xs.extend([mean - std, mean, mean + std].into_iter().filter(|x| (x_range.0..=x_range.1).contains(x)));
        xs.sort_by(f64::total_cmp);
        let points: Vec<(i32, i32)> = xs
            .iter()
            .map(|&x| {
                let px = to_pixel(x, x_range, plot.x as f64, plot.width as f64);
                let py = to_pixel(normal_pdf(x, mean, std), y_range, bottom, -(plot.height as f64));
                (px.round() as i32, py.max(plot.y as f64).round() as i32)
            })
            .collect();
        area.draw(&PathElement::new(points, theme.stroke(2.0, class_color(c))))?;
    }
    Ok(())
}

fn draw_levels_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: PixelRect,
    name: &str,
    levels: &[String],
    per_class: &[Vec<f64>],
) -> Result<(), RenderError> {
    let top = per_class.iter().flatten().copied().filter(|p| p.is_finite()).fold(0.0, f64::max);
    let y_range = (0.0, (top * 1.1).clamp(0.05, 1.0));
    let y_ticks = y_ticks(area, theme, panel, y_range)?;
    let plot = plot_rect(area, theme, panel, &y_ticks)?;
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), "probability", true)?;
    draw_category_axis(area, theme, plot, levels, name)?;
    let slot = plot.width as f64 / levels.len().max(1) as f64;
    let bar = slot * 0.75 / per_class.len().max(1) as f64;
    let bottom = (plot.y + plot.height) as f64;
    for (c, probabilities) in per_class.iter().enumerate() {
        for (l, &p) in probabilities.iter().enumerate().take(levels.len()) {
            if !p.is_finite() {
                continue;
            }
            let x0 = plot.x as f64 + l as f64 * slot + slot * 0.125 + c as f64 * bar;
            let y = to_pixel(p.min(y_range.1), y_range, bottom, -(plot.height as f64));
            let corners = [(x0.round() as i32, y.round() as i32), ((x0 + bar).round() as i32 - 1, bottom as i32)];
            area.draw(&Rectangle::new(corners, theme.fill(class_color(c))))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iris() -> DistributionsView {
        let normal = |name: &str, per_class: [(f64, f64); 3]| FeatureDistribution::Normal {
            name: name.into(),
            per_class: per_class.to_vec(),
        };
        DistributionsView {
            title: "What naive Bayes learned: each feature's distribution per species".into(),
            classes: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
            features: vec![
                normal("sepal_length", [(5.006, 0.349), (5.936, 0.511), (6.588, 0.629)]),
                normal("sepal_width", [(3.428, 0.375), (2.770, 0.311), (2.974, 0.319)]),
                normal("petal_length", [(1.462, 0.172), (4.260, 0.465), (5.552, 0.546)]),
                normal("petal_width", [(0.246, 0.104), (1.326, 0.196), (2.026, 0.272)]),
            ],
        }
    }

    #[test]
    fn size_grows_by_rows_of_panels_and_caps_the_panels() {
        let theme = Theme::default();
        let (w, four) = distributions_size(&iris(), &theme, 1100);
        assert_eq!(w, 1100);
        let mut many = iris();
        many.features = (0..30).map(|i| FeatureDistribution::Normal { name: format!("f{i}"), per_class: vec![] }).collect();
        // 4 per row: one row for 4 features, three rows for the 12 drawn of 30.
        let (_, twelve) = distributions_size(&many, &theme, 1100);
        assert_eq!(twelve - four, 2 * (PANEL_HEIGHT + GAP) as u32);
        assert!(note(&many).contains("18 more not shown: f12, f13"));
        assert_eq!(distributions_size(&iris(), &Theme::new(2.0), 2200).1, 2 * four);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::{assert_golden, register_test_font};

        #[test]
        fn distributions_iris_golden() {
            let (view, theme) = (iris(), Theme::default());
            assert_golden("distributions_iris", distributions_size(&view, &theme, 640), |area| {
                draw_distributions(area, &view, &theme)
            });
        }

        #[test]
        fn distributions_categorical_golden() {
            let view = DistributionsView {
                title: "What naive Bayes learned: each feature's distribution per species".into(),
                classes: vec!["Adelie".into(), "Chinstrap".into(), "Gentoo".into()],
                features: vec![
                    FeatureDistribution::Normal {
                        name: "flipper_length_mm".into(),
                        per_class: vec![(190.0, 6.5), (195.8, 7.1), (217.2, 6.5)],
                    },
                    FeatureDistribution::Levels {
                        name: "island".into(),
                        levels: vec!["Biscoe".into(), "Dream".into(), "Torgersen".into()],
                        per_class: vec![vec![0.29, 0.37, 0.34], vec![0.03, 0.96, 0.03], vec![0.99, 0.01, 0.01]],
                    },
                    FeatureDistribution::Levels {
                        name: "sex".into(),
                        levels: vec!["female".into(), "male".into()],
                        per_class: vec![vec![0.5, 0.5], vec![0.5, 0.5], vec![0.48, 0.52]],
                    },
                ],
            };
            let theme = Theme::default();
            assert_golden("distributions_categorical", distributions_size(&view, &theme, 760), |area| {
                draw_distributions(area, &view, &theme)
            });
        }

        #[test]
        fn degenerate_views_draw_without_panicking() {
            register_test_font();
            let mut view = iris();
            view.features.push(FeatureDistribution::Normal { name: String::new(), per_class: vec![(f64::NAN, 0.0)] });
            view.features.push(FeatureDistribution::Levels { name: "x".into(), levels: vec![], per_class: vec![vec![1.0]] });
            view.features
                .push(FeatureDistribution::Normal { name: "spike".into(), per_class: vec![(1.0, 1e-9), (2.0, 3.0)] });
            let mut buffer = vec![0u8; 300 * 200 * 3];
            let area = BitMapBackend::with_buffer(&mut buffer, (300, 200)).into_drawing_area();
            draw_distributions(&area, &view, &Theme::default()).unwrap();
            view.features.clear();
            draw_distributions(&area, &view, &Theme::new(0.0)).unwrap();
        }
    }
}
