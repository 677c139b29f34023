//! A hyperparameter search's live charts, redrawn as each trial arrives: the
//! score per trial with the best so far climbing over it; the score against
//! each searched setting (on a log axis where the setting's spec works by
//! ratios); and, for a grid over two settings, a heat map of the grid.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::axis::{bottom_axis_height, draw_category_axis, finite_bounds};
use super::boundary::PixelRect;
use super::curves::{chart_height, draw_chart, draw_panels, panels_size, Chart, Layer};
use super::legend::{draw_scale_legend, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_text_turned, draw_title, fit, text_width, title_height, Font};
use super::theme::{class_color, ink, sequential_color, size, Theme};
use super::RenderError;
use crate::explain::{SearchView, SettingScale};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Gap between blocks, CSS px.
const GAP: f64 = 8.0;
/// Side of a heat map cell, CSS px: as big as the width allows within these.
const CELL: (f64, f64) = (30.0, 72.0);
/// Room for a heat map row's value left of the rows, CSS px.
const ROW_NAMES: f64 = 70.0;
/// Viridis is dark below this share of the scores' range: the score is written in white there.
const DARK_BELOW: f64 = 0.55;

/// The trials' color, and the best one's (Okabe–Ito blue and vermillion).
fn trial_mark() -> Mark {
    Mark::Dot(class_color(0))
}

fn best_color() -> RGBColor {
    class_color(5)
}

/// What the score axis says: "accuracy, mean over 5 folds".
fn score_label(view: &SearchView) -> String {
    format!("{}, mean over {} folds", view.measure, view.k)
}

/// The best score so far after each trial, as a staircase over trial numbers
/// (1, 2, …): flat until a trial beats it, then straight up.
fn staircase(view: &SearchView) -> Vec<(f64, f64)> {
    let mut steps = Vec::new();
    let mut last = f64::NAN;
    for (t, best) in view.trials.iter().zip(view.best_so_far()) {
        let x = (t.index + 1) as f64;
        if last.is_finite() && best != last {
            steps.push((x, last));
        }
        if best.is_finite() {
            steps.push((x, best));
        }
        last = best;
    }
    steps
}

struct TrialsChart {
    title: String,
    y_label: String,
    trials: Vec<(f64, f64)>,
    best: Vec<(f64, f64)>,
}

impl TrialsChart {
    fn new(view: &SearchView) -> TrialsChart {
        TrialsChart {
            title: format!("Cross-validated {} per trial", view.measure),
            y_label: score_label(view),
            // A failed trial has no score to place (the table says why it failed).
            trials: view.trials.iter().filter(|t| t.score.is_finite()).map(|t| ((t.index + 1) as f64, t.score)).collect(),
            best: staircase(view),
        }
    }

    fn chart(&self) -> Chart<'_> {
        Chart {
            title: &self.title,
            x_label: "trial",
            y_label: &self.y_label,
            x_levels: None,
            x_log: false,
            layers: vec![
                Layer { name: Some("a trial".into()), points: &self.trials, mark: trial_mark() },
                Layer {
                    name: Some("best so far".into()),
                    points: &self.best,
                    mark: Mark::Line { color: best_color(), dash: None },
                },
            ],
            dots: false,
            include: Some((padded(&self.trials), (f64::NAN, f64::NAN))),
        }
    }
}

/// The points' x range widened by a twentieth of it on each side, so a
/// point at either end is not cut in half by the frame (NaN when there are
/// no points: nothing to include).
fn padded(points: &[(f64, f64)]) -> (f64, f64) {
    let (lo, hi) = finite_bounds(points.iter().map(|p| p.0));
    let pad = if hi > lo { (hi - lo) / 20.0 } else { 0.5 };
    (lo - pad, hi + pad)
}

/// Size (device px) of the score-per-trial chart across `width` device px.
pub fn search_trials_size(view: &SearchView, theme: &Theme, width: u32) -> (u32, u32) {
    (width, chart_height(&TrialsChart::new(view).chart(), theme, width as f64).ceil() as u32)
}

/// Draws each trial's score as a point and the best so far as a line over
/// them (best at [`search_trials_size`]).
pub fn draw_search_trials<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &SearchView,
    theme: &Theme,
) -> Result<(), RenderError> {
    draw_chart(area, &TrialsChart::new(view).chart(), theme, 0.0).map(|_| ())
}

/// Points of a chart, (x, y).
type Points = Vec<(f64, f64)>;

/// One panel per searched setting: its trials' points and the best trial.
struct SettingsCharts {
    title: String,
    y_label: String,
    titles: Vec<String>,
    /// Per setting: every trial's (value, score), and the best trial's.
    points: Vec<(Points, Points)>,
}

impl SettingsCharts {
    fn new(view: &SearchView) -> SettingsCharts {
        let best = view.best();
        let points = view
            .settings
            .iter()
            .enumerate()
            .map(|(s, setting)| {
                // A log axis takes log10 of the values (see `Chart::x_log`).
                let x = |v: f64| if setting.scale == SettingScale::Log { v.log10() } else { v };
                let at = |t: &crate::explain::TrialPoint| (x(t.values.get(s).copied().unwrap_or(f64::NAN)), t.score);
                let placed = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
                (view.trials.iter().map(at).filter(placed).collect(), best.map(at).into_iter().collect())
            })
            .collect();
        SettingsCharts {
            title: format!("Cross-validated {} against each searched setting", view.measure),
            // Short enough for a narrow panel's side.
            y_label: format!("mean CV {}", view.measure),
            titles: view
                .settings
                .iter()
                .map(|s| match s.scale {
                    SettingScale::Log => format!("by {} (log scale)", s.label),
                    _ => format!("by {}", s.label),
                })
                .collect(),
            points,
        }
    }

    fn charts<'a>(&'a self, view: &'a SearchView) -> Vec<Chart<'a>> {
        view.settings
            .iter()
            .zip(&self.titles)
            .zip(&self.points)
            .map(|((setting, title), (trials, best))| Chart {
                title,
                x_label: &setting.label,
                y_label: &self.y_label,
                x_levels: match &setting.scale {
                    SettingScale::Levels(levels) => Some(levels),
                    _ => None,
                },
                x_log: setting.scale == SettingScale::Log,
                layers: vec![
                    Layer { name: Some("a trial".into()), points: trials, mark: trial_mark() },
                    Layer { name: Some("best trial".into()), points: best, mark: Mark::Train(best_color()) },
                ],
                dots: false,
                // Levels sit in their own slots already.
                include: (!matches!(setting.scale, SettingScale::Levels(_))).then(|| (padded(trials), (f64::NAN, f64::NAN))),
            })
            .collect()
    }
}

/// Size (device px) of the score-by-setting panels across `width` device px.
pub fn search_settings_size(view: &SearchView, theme: &Theme, width: u32) -> (u32, u32) {
    let charts = SettingsCharts::new(view);
    panels_size(&charts.title, &charts.charts(view), theme, width)
}

/// Draws the score against each searched setting, a panel each (best at
/// [`search_settings_size`]).
pub fn draw_search_settings<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &SearchView,
    theme: &Theme,
) -> Result<(), RenderError> {
    let charts = SettingsCharts::new(view);
    draw_panels(area, theme, &charts.title, &charts.charts(view))
}

fn heatmap_title(view: &SearchView) -> String {
    let label = |i: usize| view.settings.get(i).map_or("", |s| s.label.as_str());
    format!("Cross-validated {} over the grid of {} and {}", view.measure, label(0), label(1))
}

/// Side of a heat map cell (device px) for `columns` across `width` device px.
fn cell_side(columns: usize, theme: &Theme, width: f64) -> f64 {
    let room = width - theme.px(2.0 * MARGIN + ROW_NAMES + GAP) - name_font().line_height(theme);
    (room / columns.max(1) as f64).clamp(theme.px(CELL.0), theme.px(CELL.1)).floor()
}

fn heatmap_header(view: &SearchView, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + 4.0 + GAP + ROW_HEIGHT) + title_height(&heatmap_title(view), theme, width, theme.px(MARGIN))
}

fn name_font() -> Font {
    Font::new(size::BODY, ink::TEXT)
}

/// Size (device px) of the heat map across `width` device px; the height of
/// its title alone when the search is no grid over two settings.
pub fn search_heatmap_size(view: &SearchView, theme: &Theme, width: u32) -> (u32, u32) {
    let (columns, rows) = view.grid.as_ref().map_or((0, 0), |(c, r)| (c.len(), r.len()));
    let grid = cell_side(columns, theme, width as f64) * rows as f64;
    let height = heatmap_header(view, theme, width as f64) + grid + bottom_axis_height(theme) + theme.px(MARGIN);
    (width, height.ceil() as u32)
}

/// Draws the grid as cells colored by their trial's score (viridis over the
/// scores so far), the score written in each, the best cell outlined; a
/// cell whose trial has not run yet stays grey (best at [`search_heatmap_size`]).
pub fn draw_search_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &SearchView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &heatmap_title(view), margin)?;
    let Some((columns, rows)) = view.grid.as_ref().filter(|(c, r)| !c.is_empty() && !r.is_empty()) else {
        return Ok(());
    };
    let scores = view.trials.iter().map(|t| t.score).filter(|s| s.is_finite());
    let (lo, hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| (lo.min(s), hi.max(s)));
    let scale = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    draw_scale_legend(area, theme, &score_label(view), scale, (margin, below_title + theme.px(4.0)), width - 2.0 * margin)?;

    let cell = cell_side(columns.len(), theme, width);
    let top = heatmap_header(view, theme, width);
    let grid_left = margin + name_font().line_height(theme) + theme.px(ROW_NAMES + GAP);
    let plot = PixelRect {
        x: grid_left.round() as i32,
        y: top.round() as i32,
        width: (cell * columns.len() as f64) as i32,
        height: (cell * rows.len() as f64) as i32,
    };
    let column_names: Vec<String> = columns.iter().map(|&v| view.value_text(0, v)).collect();
    draw_category_axis(area, theme, plot, &column_names, &view.settings[0].label)?;

    // The second setting's values up the left, its lowest at the bottom.
    let names_right = grid_left - theme.px(GAP);
    let names_left = margin + name_font().line_height(theme);
    let row_top = |r: usize| top + (rows.len() - 1 - r) as f64 * cell;
    for (r, &value) in rows.iter().enumerate() {
        let name = fit(area, theme, name_font(), &view.value_text(1, value), names_right - names_left)?;
        let at = (names_right, row_top(r) + cell / 2.0);
        draw_text(area, theme, name_font(), &name, at, anchor(HPos::Right, VPos::Center))?;
    }
    let axis_name = fit(area, theme, name_font(), &view.settings[1].label, plot.height as f64)?;
    let at = (margin, top + plot.height as f64 / 2.0);
    draw_text_turned(area, theme, name_font(), &axis_name, at, anchor(HPos::Center, VPos::Top), FontTransform::Rotate270)?;

    let corners = |c: usize, r: usize| {
        let (x0, y0) = (grid_left + c as f64 * cell, row_top(r));
        [(x0.round() as i32, y0.round() as i32), ((x0 + cell).round() as i32, (y0 + cell).round() as i32)]
    };
    for (c, r) in (0..columns.len()).flat_map(|c| (0..rows.len()).map(move |r| (c, r))) {
        area.draw(&Rectangle::new(corners(c, r), theme.fill(ink::TRACK)))?;
        area.draw(&Rectangle::new(corners(c, r), theme.stroke(1.0, ink::WHITE)))?;
    }
    let place = |t: &crate::explain::TrialPoint| {
        let c = columns.iter().position(|&v| Some(&v) == t.values.first())?;
        let r = rows.iter().position(|&v| Some(&v) == t.values.get(1))?;
        Some((c, r))
    };
    for t in &view.trials {
        let Some((c, r)) = place(t) else { continue };
        let [(x0, y0), (x1, y1)] = corners(c, r);
        let share = if hi > lo { (t.score - lo) / (hi - lo) } else { 1.0 };
        let (fill, label) = if t.score.is_finite() {
            (sequential_color(share), format!("{:.3}", t.score))
        } else {
            (ink::TRACK, "failed".to_string())
        };
        area.draw(&Rectangle::new([(x0, y0), (x1, y1)], theme.fill(fill)))?;
        area.draw(&Rectangle::new([(x0, y0), (x1, y1)], theme.stroke(1.0, ink::WHITE)))?;
        let font = Font::new(size::SMALL, if t.score.is_finite() && share < DARK_BELOW { ink::WHITE } else { ink::TEXT });
        // A score that does not fit a small cell is left to the table.
        if text_width(area, theme, font, &label)? <= cell - theme.px(4.0) {
            let center = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
            draw_text(area, theme, font, &label, center, anchor(HPos::Center, VPos::Center))?;
        }
    }
    if let Some((c, r)) = view.best().and_then(place) {
        let [(x0, y0), (x1, y1)] = corners(c, r);
        let inset = theme.ipx(1.5);
        area.draw(&Rectangle::new([(x0 + inset, y0 + inset), (x1 - inset, y1 - inset)], theme.stroke(3.0, best_color())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{SearchedSetting, TrialPoint};

    /// A smooth made-up objective: best near depth 6 and 4 rows per leaf.
    fn objective(depth: f64, leaf: f64) -> f64 {
        0.95 - 0.004 * (depth - 6.0).powi(2) - 0.02 * (leaf.log10() - 0.6).powi(2)
    }

    /// 20 random trials over depth (linear) and rows per leaf (log), the
    /// third failed.
    fn random_search() -> SearchView {
        let trials = (0..20)
            .map(|i| {
                let depth = (1 + (i * 7) % 12) as f64;
                let leaf = 10f64.powf(((i * 13) % 20) as f64 / 20.0 * 3.0).round();
                let score = if i == 2 { f64::NAN } else { objective(depth, leaf) };
                TrialPoint { index: i, score, sd: 0.02, values: vec![depth, leaf] }
            })
            .collect();
        SearchView {
            measure: "accuracy".into(),
            k: 5,
            settings: vec![
                SearchedSetting { label: "max depth".into(), scale: SettingScale::Linear },
                SearchedSetting { label: "min rows per leaf".into(), scale: SettingScale::Log },
            ],
            trials,
            grid: None,
        }
    }

    /// A 4 × 3 grid of depth and criterion, 10 of its 12 trials run.
    fn grid_search() -> SearchView {
        let depths = vec![1.0, 4.0, 7.0, 10.0];
        let trials = (0..10)
            .map(|i| {
                let (depth, criterion) = (depths[i / 3], (i % 3) as f64);
                let score = objective(depth, 4.0) - 0.01 * criterion;
                TrialPoint { index: i, score, sd: 0.02, values: vec![depth, criterion] }
            })
            .collect();
        SearchView {
            measure: "accuracy".into(),
            k: 5,
            settings: vec![
                SearchedSetting { label: "max depth".into(), scale: SettingScale::Linear },
                SearchedSetting {
                    label: "split criterion".into(),
                    scale: SettingScale::Levels(vec!["gini".into(), "entropy".into(), "log loss".into()]),
                },
            ],
            trials,
            grid: Some((depths, vec![0.0, 1.0, 2.0])),
        }
    }

    #[test]
    fn the_best_so_far_is_a_staircase_that_skips_failed_trials() {
        let mut view = random_search();
        for (t, score) in view.trials.iter_mut().zip([0.80, 0.78, f64::NAN, 0.90]) {
            t.score = score;
        }
        view.trials.truncate(4);
        // Flat through the lower trial and the failed one, then up at trial 4.
        assert_eq!(staircase(&view), [(1.0, 0.80), (2.0, 0.80), (3.0, 0.80), (4.0, 0.80), (4.0, 0.90)]);
        view.trials[0].score = f64::NAN;
        assert_eq!(staircase(&view), [(2.0, 0.78), (3.0, 0.78), (4.0, 0.78), (4.0, 0.90)], "nothing before a score");
    }

    #[test]
    fn heatmap_cells_grow_with_the_width_between_a_floor_and_a_cap() {
        let theme = Theme::default();
        assert_eq!(cell_side(4, &theme, 200.0), 30.0, "the floor");
        assert!(cell_side(4, &theme, 400.0) > 30.0 && cell_side(4, &theme, 400.0) < 72.0);
        assert_eq!(cell_side(4, &theme, 2000.0), 72.0, "the cap");
        let view = grid_search();
        assert_eq!(search_heatmap_size(&view, &theme, 2000).1, search_heatmap_size(&view, &theme, 3000).1);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::{assert_golden, register_test_font};

        #[test]
        fn search_trials_golden() {
            let (view, theme) = (random_search(), Theme::default());
            assert_golden("search_trials", search_trials_size(&view, &theme, 560), |area| {
                draw_search_trials(area, &view, &theme)
            });
        }

        #[test]
        fn search_settings_golden() {
            let (view, theme) = (random_search(), Theme::default());
            assert_golden("search_settings", search_settings_size(&view, &theme, 900), |area| {
                draw_search_settings(area, &view, &theme)
            });
        }

        #[test]
        fn search_heatmap_golden() {
            let (view, theme) = (grid_search(), Theme::default());
            assert_golden("search_heatmap", search_heatmap_size(&view, &theme, 560), |area| {
                draw_search_heatmap(area, &view, &theme)
            });
        }

        #[test]
        fn a_search_with_no_trial_yet_draws() {
            register_test_font();
            let theme = Theme::default();
            for mut view in [random_search(), grid_search()] {
                view.trials.clear();
                let mut buffer = vec![0u8; 400 * 300 * 3];
                let area = BitMapBackend::with_buffer(&mut buffer, (400, 300)).into_drawing_area();
                draw_search_trials(&area, &view, &theme).unwrap();
                draw_search_settings(&area, &view, &theme).unwrap();
                draw_search_heatmap(&area, &view, &theme).unwrap();
            }
        }
    }
}
