//! The decision boundary as data: predictions over a grid of two features,
//! colored in the worker, with the table's points on top.

use super::{AlongPick, SessionError, Trained};
use crate::base::{
    format_count, format_number, format_significant, lower_first, value_of, Encoding, FeatureMatrix, FeatureValue,
    FeatureValues, Target,
};
use crate::data::Table;
use crate::eval::Metrics;
use crate::explain::{AxisView, BoundaryView, Legend, MemberVote, OneFeatureView, PointSet, PointView};
use crate::model::ensemble::Ensemble;
use crate::model::{FittedModel, Predictions};
use crate::prep::{ColumnDomain, RawRows};
use crate::render::theme::{region_rgba, sequential_region_rgba};

/// Grid cells per side: fine enough for a crisp 600 px plot, small enough to
/// predict in milliseconds.
pub const GRID: u32 = 256;
/// What a live boundary (a slider moving) may take, ms: a frame or two.
const LIVE_BUDGET_MS: f64 = 30.0;

/// The grid of a live boundary for a model whose full grid took `full_ms`:
/// the full grid when that fits the budget, else one with proportionally
/// fewer cells (a multiple of 16, at least 48 per side), as the time goes with
/// the number of cells.
pub fn live_grid(full_ms: f64) -> u32 {
    if full_ms <= LIVE_BUDGET_MS {
        return GRID;
    }
    let side = GRID as f64 * (LIVE_BUDGET_MS / full_ms).sqrt();
    ((side / 16.0).floor() as u32 * 16).clamp(48, GRID)
}

/// Grid cells per side of a comparison's small multiples.
pub const SMALL_GRID: u32 = 128;
/// At most this many points are drawn; more would hide the regions.
pub const MAX_POINTS: usize = 2500;
/// At most this many held features decide whether a row is near the slice:
/// the ones the model leans on most. Matching a dozen at once would leave no
/// row bold, and a feature the model barely uses does not move the ground.
pub const NEAR_FEATURES: usize = 3;

/// At most this many levels make a categorical feature a boundary axis: one
/// band each, and past a dozen the bands are too thin to read or click.
pub const MAX_BANDS: usize = 12;

/// How far a point may stray from its band's middle, as a share of the band:
/// enough to see how many rows a band holds, not so much that bands touch.
const JITTER: f64 = 0.7;

/// A boundary axis: a numeric feature over its training range, or a
/// categorical or yes/no feature as bands, one per level, centred on 0, 1,
/// 2, … of the axis, whose prediction is the model's at that level.
#[derive(Clone, Debug)]
pub(super) enum Axis {
    Number { column: usize, name: String },
    Bands { column: usize, name: String, levels: Vec<FeatureValue> },
}

impl Axis {
    /// The axis over feature `name` of the trained model, or why it cannot be one.
    pub(super) fn of(table: &Table, trained: &Trained, name: &str) -> Result<Axis, SessionError> {
        let column = table.column_index(name).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))?;
        if trained.pipeline.is_number(column) {
            return Ok(Axis::Number { column, name: name.to_string() });
        }
        let levels = match trained.slice.iter().find(|c| c.column() == name) {
            Some(ColumnDomain::Levels { levels, .. }) if levels.len() <= MAX_BANDS => {
                levels.iter().map(|l| FeatureValue::Level(l.clone())).collect()
            }
            Some(ColumnDomain::Flag { .. }) => vec![FeatureValue::Flag(false), FeatureValue::Flag(true)],
            _ => return Err(SessionError::NotAnAxis(name.to_string())),
        };
        Ok(Axis::Bands { column, name: name.to_string(), levels })
    }

    fn column(&self) -> usize {
        match self {
            Axis::Number { column, .. } | Axis::Bands { column, .. } => *column,
        }
    }

    fn name(&self) -> &str {
        match self {
            Axis::Number { name, .. } | Axis::Bands { name, .. } => name,
        }
    }

    /// The band's level at axis coordinate `at` (the nearest band), or the number itself.
    fn value_at(&self, at: f64) -> FeatureValue {
        match self {
            Axis::Number { .. } => FeatureValue::Number(at),
            Axis::Bands { levels, .. } => {
                let band = if at.is_finite() { at.round().clamp(0.0, (levels.len() - 1) as f64) as usize } else { 0 };
                levels[band].clone()
            }
        }
    }

    /// Where value `v` sits on the axis: a number at itself, a level at its band's middle.
    fn coordinate(&self, v: &FeatureValue) -> Option<f64> {
        match (self, v) {
            (Axis::Number { .. }, FeatureValue::Number(n)) => Some(*n),
            (Axis::Bands { levels, .. }, v) => levels.iter().position(|l| l == v).map(|i| i as f64),
            _ => None,
        }
    }

    /// Sets this axis's column of `values` to the value at coordinate `at`.
    fn set(&self, values: &mut FeatureValues, at: f64) {
        let value = self.value_at(at);
        match values.iter_mut().find(|(c, _)| c == self.name()) {
            Some(slot) => slot.1 = value,
            None => values.push((self.name().to_string(), value)),
        }
    }

    /// "age = 38", "sex = female".
    fn said(&self, at: f64) -> String {
        format!("{} = {}", self.name(), self.value_at(at).text())
    }

    /// The axis in the column's units: a number's training range with 5%
    /// padding, or one unit per band with the level names.
    fn view(&self, table: &Table, trained: &Trained) -> AxisView {
        match self {
            Axis::Number { column, name } => {
                let values = table.columns[*column].numbers().unwrap_or(&[]);
                let raw: Vec<f32> = trained.rows.iter().filter_map(|&r| values.get(r).copied()).collect();
                axis_view(name, &raw)
            }
            Axis::Bands { name, levels, .. } => AxisView {
                name: name.clone(),
                min: -0.5,
                max: levels.len() as f64 - 0.5,
                levels: levels.iter().map(FeatureValue::text).collect(),
            },
        }
    }

    /// The places of `n` grid cells along the axis, from its start: evenly
    /// over a number's range (`view`), a band's index for bands.
    fn places_of_cells(&self, view: &AxisView, n: usize) -> Vec<f64> {
        match self {
            Axis::Bands { .. } => (0..n).map(|i| i as f64).collect(),
            Axis::Number { .. } => (0..n).map(|i| lerp(view, i as f64 / (n - 1).max(1) as f64)).collect(),
        }
    }

    /// Grid cells along the axis: `grid` over a number's range, one per band.
    fn cells(&self, grid: u32) -> usize {
        match self {
            Axis::Number { .. } => grid as usize,
            Axis::Bands { levels, .. } => levels.len(),
        }
    }

    /// Table rows `rows`' places along the axis: a number as it is (NaN when
    /// missing), a level at its band's middle moved by a fixed jitter of the
    /// row (`second` for the y axis, so a cell of two band axes spreads its
    /// rows over its area rather than along a line), so a band's rows do not
    /// hide one another and a row lands in the same place on every redraw.
    fn places(&self, table: &Table, trained: &Trained, rows: &[usize], second: bool) -> Vec<f32> {
        match self {
            Axis::Number { column, .. } => {
                let values = table.columns[*column].numbers().unwrap_or(&[]);
                rows.iter().map(|&r| values.get(r).copied().unwrap_or(f32::NAN)).collect()
            }
            Axis::Bands { name, .. } => {
                let values = trained.pipeline.column_values(table, name, rows).unwrap_or_default();
                rows.iter()
                    .zip(&values)
                    .map(|(&r, v)| match self.coordinate(v) {
                        Some(band) => (band + JITTER * (jitter(r, second) - 0.5)) as f32,
                        None => f32::NAN,
                    })
                    .collect()
            }
        }
    }
}

/// Row `row`'s share (0…1) along one axis of the R2 low-discrepancy
/// sequence (Roberts 2018): rows spread evenly over a band or cell, with
/// no seed to carry and no clumps a random draw would make.
fn jitter(row: usize, second: bool) -> f64 {
    const R2: [f64; 2] = [0.754_877_666_246_692_7, 0.569_840_290_998_053_3];
    (0.5 + (row as f64 + 1.0) * R2[usize::from(second)]).fract()
}

/// Fails unless `x` and `y` are two different features of the trained model
/// that can be axes.
pub(super) fn check_axes(table: &Table, trained: &Trained, x: &str, y: &str) -> Result<(), SessionError> {
    axes(table, trained, x, y).map(|_| ())
}

/// The plot's two axes; the same feature twice is refused, as the picture
/// would be a diagonal line and say nothing.
fn axes(table: &Table, trained: &Trained, x: &str, y: &str) -> Result<(Axis, Axis), SessionError> {
    if x == y {
        return Err(SessionError::SameAxes(x.to_string()));
    }
    Ok((Axis::of(table, trained, x)?, Axis::of(table, trained, y)?))
}

pub(super) fn compute(
    table: &Table,
    trained: &Trained,
    x: &str,
    y: &str,
    slice: &[(String, FeatureValue)],
    grid: u32,
) -> Result<BoundaryView, SessionError> {
    compute_for(table, trained, Shown { model: trained.model.as_ref(), name: &trained.model_name }, x, y, slice, grid)
}

/// A model drawn on a trained model's plot: the trained model itself, or one
/// of an ensemble's members (same pipeline, rows and split).
pub(super) struct Shown<'a> {
    pub model: &'a dyn FittedModel,
    pub name: &'a str,
}

/// The inputs of every cell of a boundary grid, and the axes in the columns' units.
struct Grid {
    x: Axis,
    y: Axis,
    x_axis: AxisView,
    y_axis: AxisView,
    /// Cells across and down: `grid` along a numeric axis, one per band.
    width: u32,
    height: u32,
    inputs: FeatureMatrix,
}

/// Every grid cell is the slice's row with the two axis columns' raw values
/// replaced, encoded through the whole pipeline at once (a scaled, binned or
/// rotated input follows its columns). Row 0 of the grid is the top of the
/// plot: the largest y (the last band).
fn grid_inputs(
    table: &Table,
    trained: &Trained,
    x: &str,
    y: &str,
    slice: &[(String, FeatureValue)],
    grid: u32,
) -> Result<Grid, SessionError> {
    let (x, y) = axes(table, trained, x, y)?;
    let (x_axis, y_axis) = (x.view(table, trained), y.view(table, trained));
    let (width, height) = (x.cells(grid), y.cells(grid));
    let cells = width * height;
    let mut raw = trained.pipeline.raw_row(slice)?.repeat(cells);
    let (across, down) = (x.places_of_cells(&x_axis, width), y.places_of_cells(&y_axis, height));
    let xs = (0..cells).map(|i| across[i % width]).collect();
    let ys = (0..cells).map(|i| down[height - 1 - i / width]).collect();
    set_axis(trained, &mut raw, &x, xs)?;
    set_axis(trained, &mut raw, &y, ys)?;
    let inputs = trained.pipeline.encode(&raw);
    Ok(Grid { x, y, x_axis, y_axis, width: width as u32, height: height as u32, inputs })
}

/// Sets `axis`'s column of every row of `raw` to the value at its place in `places`.
fn set_axis(trained: &Trained, raw: &mut RawRows, axis: &Axis, places: Vec<f64>) -> Result<(), SessionError> {
    match axis {
        Axis::Number { column, .. } => {
            if !raw.set_numbers(*column, places.into_iter().map(|v| v as f32).collect()) {
                return Err(SessionError::Internal("a numeric axis is a numeric feature".into()));
            }
        }
        Axis::Bands { column, levels, .. } => {
            let bands: Vec<usize> = places.iter().map(|&p| p as usize).collect();
            trained.pipeline.set_choices(raw, *column, levels, &bands)?;
        }
    }
    Ok(())
}

/// The boundary of `shown` over `x` and `y` at `slice`, on `trained`'s rows.
pub(super) fn compute_for(
    table: &Table,
    trained: &Trained,
    shown: Shown,
    x: &str,
    y: &str,
    slice: &[(String, FeatureValue)],
    grid: u32,
) -> Result<BoundaryView, SessionError> {
    let Grid { x: x_ax, y: y_ax, x_axis, y_axis, width, height, inputs } = grid_inputs(table, trained, x, y, slice, grid)?;
    let predictions = shown.model.predict(&inputs)?;

    let (rgba, legend) = match (&predictions, &trained.data.target) {
        (Predictions::Classes { proba, n_classes }, Target::Classes { names, .. }) => {
            let rgba = proba
                .chunks(*n_classes)
                .flat_map(|p| {
                    let (best, &conf) =
                        p.iter().enumerate().fold((0, &p[0]), |b, (i, v)| if *v > *b.1 { (i, v) } else { b });
                    region_rgba(best, conf as f64)
                })
                .collect();
            (rgba, Legend::Classes(names.clone()))
        }
        (Predictions::Classes { proba, n_classes }, Target::Unlabeled { .. }) => {
            // Hard clusters: one flat tint per region.
            let rgba = proba
                .chunks(*n_classes)
                .flat_map(|p| region_rgba(p.iter().position(|&v| v > 0.5).unwrap_or(0), 1.0))
                .collect();
            (rgba, Legend::Classes((1..=*n_classes).map(cluster_name).collect()))
        }
        (Predictions::Values(v), Target::Values(truth)) => {
            let (lo, hi) = min_max(truth.iter().copied());
            let span = if hi > lo { hi - lo } else { 1.0 };
            let rgba = v.iter().flat_map(|&p| sequential_region_rgba(((p - lo) / span).clamp(0.0, 1.0))).collect();
            (rgba, Legend::Scale { name: trained.target_name.clone(), min: lo, max: hi })
        }
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    };

    let slice = slice_values(trained, slice);
    let held = near_columns(trained, x, y);
    let mut points = points(table, trained, &Layout::Plane(&x_ax, &y_ax));
    points.near = near_slice(table, trained, &points.rows, &held, &slice);
    // A centroid is a point of the model's inputs; where the pipeline cannot
    // be undone (binned, mixed into components) it has no place on the axes,
    // and is left out rather than drawn somewhere wrong.
    let centroids = shown
        .model
        .centroids()
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            let decoded = |axis: &Axis| trained.pipeline.decode_value(axis.column(), c);
            Some((decoded(&x_ax)?, decoded(&y_ax)?))
        })
        .collect();
    Ok(BoundaryView {
        title: match (&predictions, &trained.data.target, &trained.refit) {
            (Predictions::Classes { n_classes, .. }, Target::Unlabeled { .. }, _) => {
                format!("{} — {n_classes} clusters", shown.name)
            }
            (_, _, Some(_)) => {
                format!("{}, refitted on the two axes — predicted {}", shown.name, trained.target_name)
            }
            _ => format!("{} — predicted {}", shown.name, trained.target_name),
        },
        x: x_axis,
        y: y_axis,
        grid_width: width,
        grid_height: height,
        rgba,
        note: note(trained, &slice, x, y, &held, &points.near),
        points,
        legend,
        centroids,
        slice,
    })
}

/// Points along a one-feature plot's numeric axis.
const ONE_FEATURE_GRID: u32 = 200;

/// The prediction of the trained model along its only feature `name`: what
/// the page draws where a boundary plot has no second axis.
pub(super) fn one_feature(table: &Table, trained: &Trained, name: &str) -> Result<OneFeatureView, SessionError> {
    let axis = Axis::of(table, trained, name)?;
    let feature = axis.view(table, trained);
    let xs = axis.places_of_cells(&feature, axis.cells(ONE_FEATURE_GRID));
    let mut raw = trained.pipeline.raw_row(&[])?.repeat(xs.len());
    set_axis(trained, &mut raw, &axis, xs.clone())?;
    let predicted = trained.model.predict(&trained.pipeline.encode(&raw))?;
    let (curves, legend, y_label, what) = match (&predicted, &trained.data.target) {
        (Predictions::Classes { proba, n_classes }, target) => {
            let names: Vec<String> = match target {
                Target::Unlabeled { .. } => (1..=*n_classes).map(cluster_name).collect(),
                _ => target.class_names().to_vec(),
            };
            let curves = (0..*n_classes)
                .map(|c| {
                    let name = names.get(c).cloned().unwrap_or_default();
                    (format!("P({name})"), proba.chunks(*n_classes).map(|p| p[c] as f64).collect())
                })
                .collect();
            let what = "each class's predicted probability, one curve per class; the rows are the marks under the \
                        curves, in their class's colour";
            (curves, Legend::Classes(names), "predicted probability".to_string(), what)
        }
        (Predictions::Values(v), Target::Values(truth)) => {
            let (lo, hi) = min_max(truth.iter().copied());
            let curve = vec![(format!("predicted {}", trained.target_name), v.clone())];
            let legend = Legend::Scale { name: trained.target_name.clone(), min: lo, max: hi };
            (curve, legend, trained.target_name.clone(), "the predicted value as a line; the rows at their true value")
        }
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    };
    let rows = points(table, trained, &Layout::Along(&axis));
    Ok(OneFeatureView {
        title: format!("{} — predicted {} along {name}", trained.model_name, trained.target_name),
        feature,
        y_label,
        xs,
        curves,
        rows,
        legend,
        note: format!(
            "{name} is the model's only feature, so there is no second axis for a boundary plot: this is the whole \
             model, {what} (circles: training rows, triangles: test rows)."
        ),
    })
}

/// Where an ensemble's members disagree over the plot's axes at `slice`: for
/// classes, the share of members whose class is not the ensemble's at each
/// cell; for values, the spread (standard deviation) of the members' values.
/// Drawn as a boundary plot on a sequential scale, with the test rows colored
/// by the same measure of their own.
pub(super) fn disagreement(
    table: &Table,
    trained: &Trained,
    ensemble: &Ensemble,
    x: &str,
    y: &str,
    slice: &[(String, FeatureValue)],
    grid: u32,
) -> Result<BoundaryView, SessionError> {
    let Grid { x: x_ax, y: y_ax, x_axis, y_axis, width, height, inputs } = grid_inputs(table, trained, x, y, slice, grid)?;
    let on_grid = member_disagreement(ensemble, &inputs)?;
    let on_rows = member_disagreement(ensemble, &trained.data.x)?;
    let n = ensemble.members().len();
    let (name, max, what) = match &trained.data.target {
        Target::Values(_) => {
            let max = on_grid.iter().chain(&on_rows).copied().fold(0.0, f64::max);
            let unit = format!("spread of the members' {}", trained.target_name);
            let what = format!(
                "Color: how far apart the {n} members' predictions of {} are (their standard deviation), at the plot's slice.",
                trained.target_name
            );
            (unit, if max > 0.0 { max } else { 1.0 }, what)
        }
        _ => {
            let what =
                format!("Color: the share of the {n} members whose class is not the ensemble's, at the plot's slice.");
            ("share of members disagreeing".to_string(), 1.0, what)
        }
    };
    let rgba = on_grid.iter().flat_map(|&d| sequential_region_rgba((d / max).clamp(0.0, 1.0))).collect();
    let test_rows: Vec<usize> = trained.split.test.iter().map(|&i| trained.rows[i]).collect();
    let (xs, ys) = Layout::Plane(&x_ax, &y_ax).places(table, trained, &trained.split.test);
    let mut points = PointSet::default();
    for (k, &i) in trained.split.test.iter().enumerate() {
        let (px, py) = (xs[k], ys[k]);
        if px.is_nan() || py.is_nan() {
            continue;
        }
        points.rows.push(test_rows[k] as u32);
        points.x.push(px);
        points.y.push(py);
        points.value.push(on_rows[i] as f32);
        points.is_test.push(true);
    }
    let disagreeing = trained.split.test.iter().filter(|&&i| on_rows[i] > 0.0).count();
    Ok(BoundaryView {
        title: format!("Where the members of the {} disagree", lower_first(&trained.model_name)),
        x: x_axis,
        y: y_axis,
        grid_width: width,
        grid_height: height,
        rgba,
        points,
        legend: Legend::Scale { name, min: 0.0, max },
        note: format!(
            "{what} Points: the test rows, each colored by the members' disagreement on the row itself (all its \
             features, not the slice), so a point may differ from the ground under it; {} of {} have any.",
            format_count(disagreeing),
            format_count(trained.split.test.len())
        ),
        centroids: Vec::new(),
        slice: slice_values(trained, slice),
    })
}

/// Per row of `x`: the share of members whose class differs from the
/// ensemble's, or the standard deviation of the members' values.
fn member_disagreement(ensemble: &Ensemble, x: &FeatureMatrix) -> Result<Vec<f64>, SessionError> {
    let members = ensemble.member_predictions(x)?;
    let n_rows = x.n_rows();
    let combined = ensemble.combine(&members, n_rows)?;
    let n = members.len() as f64;
    Ok(match combined.labels() {
        Some(voted) => {
            let labels: Vec<Vec<u32>> = members.iter().map(|m| m.labels().unwrap_or_default()).collect();
            (0..n_rows).map(|r| labels.iter().filter(|l| l.get(r) != voted.get(r)).count() as f64 / n).collect()
        }
        None => {
            let values: Vec<&[f64]> = members
                .iter()
                .filter_map(|m| match m {
                    Predictions::Values(v) => Some(v.as_slice()),
                    Predictions::Classes { .. } => None,
                })
                .collect();
            (0..n_rows)
                .map(|r| {
                    let mean = values.iter().map(|v| v[r]).sum::<f64>() / n;
                    (values.iter().map(|v| (v[r] - mean).powi(2)).sum::<f64>() / n).sqrt()
                })
                .collect()
        }
    })
}

/// What the plot shows, said under it: the full model at a slice (which, and
/// which rows are drawn bold as near it), or the model refitted on the two
/// axes, which is the whole model.
fn note(
    trained: &Trained,
    slice: &[(String, FeatureValue)],
    x: &str,
    y: &str,
    held: &[&ColumnDomain],
    near: &[bool],
) -> String {
    if let Some(refit) = &trained.refit {
        return format!(
            "The {}: {} (the full model: {}). The picture is the whole model; no feature is held.",
            model_phrase(trained),
            score_text(&trained.metrics),
            score_text(&refit.full)
        );
    }
    let others: Vec<String> =
        slice.iter().filter(|(c, _)| c != x && c != y).map(|(c, v)| format!("{c} = {}", v.text())).collect();
    let said = |column: &str| value_of(slice, column).map(|v| format!("{column} = {}", v.text())).unwrap_or_default();
    let sliced = match (others.len(), held.len()) {
        (0, _) => return "The model uses only these two features: the picture is the whole model.".to_string(),
        (1..=3, _) => format!("The full model at a slice: {}.", others.join(", ")),
        (n, 0) => format!("The full model at a slice: the other {n} features as set under the plot."),
        // Many held: name the ones that matter, count the rest.
        (n, k) => format!(
            "The full model at a slice: {} ({} more features as set under the plot).",
            held.iter().map(|c| said(c.column())).collect::<Vec<_>>().join(", "),
            n - k
        ),
    };
    if held.is_empty() {
        return format!("{sliced} The model leans on none of the held features: every row is drawn bold.");
    }
    let (numbers, levels): (Vec<&&ColumnDomain>, Vec<&&ColumnDomain>) =
        held.iter().partition(|c| matches!(c, ColumnDomain::Number { .. }));
    let mut rules = Vec::new();
    if !levels.is_empty() {
        rules.push(format!("same {}", and_list(&levels.iter().map(|c| c.column()).collect::<Vec<_>>())));
    }
    if !numbers.is_empty() {
        let its = if numbers.len() == 1 { "its" } else { "their" };
        rules.push(format!(
            "{} within a tenth of {its} range",
            and_list(&numbers.iter().map(|c| c.column()).collect::<Vec<_>>())
        ));
    }
    let leaned = match (others.len() > held.len(), &trained.importance) {
        (false, _) => String::new(),
        (true, Some(_)) => " in the held features the model leans on most".to_string(),
        // No importance to rank by (a comparison's kNN, a clustering): say so.
        (true, None) => format!(" in {} of the held features", held.len()),
    };
    format!(
        "{sliced} Bold: {} of {} rows near it{leaned} ({}). Faded: the others, whose ground may differ.",
        format_count(near.iter().filter(|&&n| n).count()),
        format_count(near.len()),
        rules.join("; "),
    )
}

/// "a", "a and b", "a, b and c".
pub(super) fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A model's test score in a few words.
fn score_text(metrics: &Metrics) -> String {
    match metrics {
        Metrics::Classification { test_accuracy, .. } => format!("test accuracy {}", format_significant(*test_accuracy, 3)),
        Metrics::Regression { test_r2, .. } => format!("test R² {}", format_significant(*test_r2, 3)),
        Metrics::Clustering { test_inertia, .. } => {
            format!("inertia per test row {}", format_significant(*test_inertia, 3))
        }
    }
}

/// The held features (not on an axis) that decide whether a row is near the
/// slice: the [`NEAR_FEATURES`] the model leans on most, leaving out any it
/// does not lean on at all (importance 0 or less). Without an importance
/// (a clustering), the first held features.
fn near_columns<'a>(trained: &'a Trained, x: &str, y: &str) -> Vec<&'a ColumnDomain> {
    if trained.refit.is_some() {
        return Vec::new();
    }
    let leaned_on = |c: &ColumnDomain| match &trained.importance {
        Some(items) => items.iter().any(|(n, v)| n == c.column() && *v > 0.0),
        None => true,
    };
    // The slice controls are already sorted most important first.
    trained.slice.iter().filter(|c| c.column() != x && c.column() != y && leaned_on(c)).take(NEAR_FEATURES).collect()
}

/// Whether each of table rows `rows` is near `slice` in every column of `held`.
fn near_slice(
    table: &Table,
    trained: &Trained,
    rows: &[u32],
    held: &[&ColumnDomain],
    slice: &[(String, FeatureValue)],
) -> Vec<bool> {
    let rows: Vec<usize> = rows.iter().map(|&r| r as usize).collect();
    let mut near = vec![true; rows.len()];
    for column in held {
        let (Some(values), Some(at)) =
            (trained.pipeline.column_values(table, column.column(), &rows), value_of(slice, column.column()))
        else {
            continue;
        };
        for (n, v) in near.iter_mut().zip(&values) {
            *n = *n && column.near(v, at);
        }
    }
    near
}

/// Every feature column's value on the slice: the given ones, the others at
/// their starting values.
fn slice_values(trained: &Trained, slice: &[(String, FeatureValue)]) -> FeatureValues {
    trained
        .slice
        .iter()
        .map(|c| (c.column().to_string(), value_of(slice, c.column()).cloned().unwrap_or_else(|| c.typical())))
        .collect()
}

/// What is inspected on the boundary plot over `x` and `y`.
pub(super) struct Probe<'a> {
    pub x: &'a str,
    pub y: &'a str,
    /// Where on the plot, in axis units; `None` for the row's own place.
    pub at: Option<(f64, f64)>,
    /// A table row (moved to `at` if that is not its own place), or the slice.
    pub row: Option<usize>,
    pub slice: &'a [(String, FeatureValue)],
}

/// What the model predicts at a probe, in words, with the ways the model
/// allows it to be traced: the path through its tree, its linear score taken
/// apart, or the training rows a neighbour model's prediction rests on.
pub(super) fn inspect(table: &Table, trained: &Trained, probe: Probe) -> Result<PointView, SessionError> {
    let Probe { x, y, at, row, slice } = probe;
    let (x_ax, y_ax) = axes(table, trained, x, y)?;
    let own = match row {
        Some(r) => Some((data_index(trained, r)?, trained.pipeline.row_values(table, r))),
        None => None,
    };
    let mut values = match &own {
        Some((_, v)) => v.clone(),
        None => slice_values(trained, slice),
    };
    let own_place = match row {
        Some(r) => {
            own_place(table, trained, &x_ax, false, r, &values).zip(own_place(table, trained, &y_ax, true, r, &values))
        }
        None => None,
    };
    let at = at.or(own_place).ok_or_else(|| SessionError::Internal("nothing to inspect: no place and no row".into()))?;
    // A click anywhere in a row's own band (or cell) is the row as it is.
    let moved = row.is_some()
        && own_place.is_none_or(|(a, b)| x_ax.value_at(a) != x_ax.value_at(at.0) || y_ax.value_at(b) != y_ax.value_at(at.1));
    x_ax.set(&mut values, at.0);
    y_ax.set(&mut values, at.1);
    let encoded = trained.pipeline.encode_row(&values)?;
    let predicted = predict_one(trained, &encoded)?;

    let model = model_phrase(trained);
    let place = format!("{}, {}", x_ax.said(at.0), y_ax.said(at.1));
    let text = match &own {
        None if trained.refit.is_some() => format!("At {place}, the {model} predicts {}.", predicted.said),
        None => format!("At {place} (the other features at the plot's slice), the {model} predicts {}.", predicted.said),
        Some((index, own_values)) if moved => what_if_said(trained, *index, own_values, &place, &predicted)?,
        Some((index, _)) => row_said(trained, *index, &predicted),
    };

    // Tracing a row (not dragging it) moves the slice to the row's own
    // values, so the row sits on the ground the model gives it.
    let boundary = match &own {
        Some((_, own_values)) if !moved && trained.refit.is_none() => {
            Some(Box::new(compute(table, trained, x, y, own_values, GRID)?))
        }
        _ => None,
    };
    let traced = explain(table, trained, &Layout::Plane(&x_ax, &y_ax), values, &encoded, &predicted, text)?;
    Ok(PointView { x: at.0, y: at.1, row, boundary, what_if: moved, ..traced })
}

/// The row a press on the plot along the model's only feature `feature`
/// traces (`pick`: a row, the drawn row nearest along the feature, or a row
/// dragged along it), explained as a click on the boundary plot explains a
/// row (a drag as the boundary's what-if), and marked on the curve: at its
/// place along the feature, at the height of its prediction (the predicted
/// class's probability, or the value).
pub(super) fn trace_along(
    table: &Table,
    trained: &Trained,
    feature: &str,
    pick: AlongPick,
) -> Result<PointView, SessionError> {
    if !matches!(trained.slice.as_slice(), [only] if only.column() == feature) {
        return Err(SessionError::NotOnlyFeature(feature.to_string()));
    }
    let axis = Axis::of(table, trained, feature)?;
    let layout = Layout::Along(&axis);
    let (row, to) = match pick {
        AlongPick::Row(r) => (r, None),
        AlongPick::Moved { row, to } => (row, Some(to)),
        AlongPick::Nearest(at) => {
            let drawn = points(table, trained, &layout);
            let nearest = drawn.x.iter().zip(&drawn.rows).fold(None, |best: Option<(f64, u32)>, (&x, &r)| {
                let d = (f64::from(x) - at).abs();
                match best {
                    Some((b, br)) if b < d || (b == d && br < r) => best,
                    _ if d.is_nan() => best,
                    _ => Some((d, r)),
                }
            });
            (nearest.ok_or_else(|| SessionError::NoRowDrawn(feature.to_string()))?.1 as usize, None)
        }
    };
    let index = data_index(trained, row)?;
    let own = trained.pipeline.row_values(table, row);
    let place = own_place(table, trained, &axis, false, row, &own)
        .ok_or_else(|| SessionError::Internal("a traced row has a place along its feature".into()))?;
    // A drag within the row's own band (or back to its own value) is the row
    // as it is; a drag to no place at all (not a number) too.
    let moved = to.filter(|&t| t.is_finite() && axis.value_at(t) != axis.value_at(place));
    let mut values = own.clone();
    if let Some(t) = moved {
        axis.set(&mut values, t);
    }
    let encoded = trained.pipeline.encode_row(&values)?;
    let predicted = predict_one(trained, &encoded)?;
    let text = match moved {
        Some(t) => what_if_said(trained, index, &own, &axis.said(t), &predicted)?,
        None => row_said(trained, index, &predicted),
    };
    let traced = explain(table, trained, &layout, values, &encoded, &predicted, text)?;
    let x = moved.unwrap_or(place);
    Ok(PointView { x, y: predicted.curve, row: Some(row), what_if: moved.is_some(), ..traced })
}

/// The index into the trained rows of table row `row`.
fn data_index(trained: &Trained, row: usize) -> Result<usize, SessionError> {
    trained.rows.iter().position(|&t| t == row).ok_or(SessionError::UnknownRow(row + 1))
}

/// A row's own place along `axis` (`second` for a y axis): where its point is
/// drawn (in its band, jittered), or where the model's imputed value puts a
/// missing number.
fn own_place(
    table: &Table,
    trained: &Trained,
    axis: &Axis,
    second: bool,
    row: usize,
    values: &[(String, FeatureValue)],
) -> Option<f64> {
    let drawn = axis.places(table, trained, &[row], second)[0];
    if drawn.is_finite() {
        return Some(drawn as f64);
    }
    value_of(values, axis.name()).and_then(|v| axis.coordinate(v))
}

/// "What if row 12 (a test row; its species is Adelie) had flipper_length_mm =
/// 215? The decision tree would predict Gentoo (probability 0.9); for the row
/// as it is, Adelie (probability 0.97)." `index` is the row's index into the
/// trained rows, `own` its own values, `place` where it was moved, in words,
/// and `predicted` the model's answer there.
fn what_if_said(
    trained: &Trained,
    index: usize,
    own: &[(String, FeatureValue)],
    place: &str,
    predicted: &Said,
) -> Result<String, SessionError> {
    let before = predict_one(trained, &trained.pipeline.encode_row(own)?)?;
    Ok(format!(
        "What if row {} ({}) had {place}? The {} would predict {}; for the row as it is, {}.",
        trained.rows.get(index).map_or(0, |r| r + 1),
        row_about(trained, index),
        model_phrase(trained),
        predicted.said,
        before.said
    ))
}

/// "Row 12 (a test row; its species is Adelie): the decision tree predicts Adelie (probability 0.97)."
fn row_said(trained: &Trained, index: usize, predicted: &Said) -> String {
    let row = trained.rows.get(index).map_or(0, |r| r + 1);
    format!("Row {row} ({}): the {} predicts {}.", row_about(trained, index), model_phrase(trained), predicted.said)
}

/// The rest of a traced point after the words `text` that begin it (what is
/// traced and what the model predicts): the path through the model's tree,
/// its linear score taken apart, the training rows a neighbour model's
/// prediction rests on (placed as `layout` draws rows), and an ensemble's
/// members' votes. `values` are the traced feature values, `encoded` their
/// inputs to the model. The place, row and plot are left for the caller.
fn explain(
    table: &Table,
    trained: &Trained,
    layout: &Layout,
    mut values: FeatureValues,
    encoded: &[f32],
    predicted: &Said,
    mut text: String,
) -> Result<PointView, SessionError> {
    let members = match trained.model.ensemble() {
        Some(ensemble) => member_votes(trained, ensemble, encoded)?,
        None => Vec::new(),
    };
    // The tree splits on inputs as the model sees them ("PC1", a scaled
    // "age"); the contributions name each input with the row's own values,
    // and the inputs' values where a column has none of its own ("when (month)").
    let traced = trained.pipeline.trace_values(values.clone());
    let mut path = trained.tree.as_ref().map(|t| t.path(&traced)).unwrap_or_default();
    if let Some(tree) = trained.tree.as_ref().filter(|_| !path.is_empty()) {
        text.push_str(&format!(" Path: {}.", tree.path_text(&path, &traced)));
    }
    for (name, value) in traced {
        if value_of(&values, &name).is_none() {
            values.push((name, value));
        }
    }
    if trained.refit.is_some() {
        // The page's diagram is the full model's tree, not this one's.
        path.clear();
    }
    let contributions = trained.coefficients.as_ref().and_then(|c| {
        let output = if c.outputs.len() == 1 { 0 } else { predicted.class.unwrap_or(0) };
        let labels = input_labels(trained, &values);
        c.contributions(output, encoded, &labels)
    });

    // Neighbours are indices into the training rows; map them to the data rows.
    let rows: Vec<usize> = trained
        .model
        .neighbours_of(encoded)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| trained.split.train.get(i).copied())
        .collect();
    if !rows.is_empty() {
        let described = match &trained.data.target {
            Target::Classes { y, names } => {
                let mut counts = vec![0usize; names.len()];
                rows.iter().for_each(|&d| counts[y[d] as usize] += 1);
                let parts: Vec<String> =
                    counts.iter().zip(names).filter(|(c, _)| **c > 0).map(|(c, n)| format!("{c} {n}")).collect();
                parts.join(", ")
            }
            Target::Values(v) => {
                let mean = rows.iter().map(|&d| v[d]).sum::<f64>() / rows.len() as f64;
                format!("mean {} {}", trained.target_name, format_number(mean))
            }
            Target::Unlabeled { .. } => format!("{} rows", rows.len()),
        };
        text.push_str(&format!(" It rests on its {} nearest training rows (circled): {described}.", rows.len()));
    }
    let (xs, ys) = layout.places(table, trained, &rows);
    let neighbours = rows
        .iter()
        .zip(xs.iter().zip(&ys))
        .filter_map(|(&d, (&px, &py))| Some((px, py, target_value(trained, d)?)))
        .collect();
    if !members.is_empty() {
        let said: Vec<String> = members.iter().map(|m| format!("{} says {}", lower_first(&m.name), m.said)).collect();
        text.push_str(&format!(" Its members: {}.", said.join("; ")));
    }
    Ok(PointView {
        x: 0.0,
        y: 0.0,
        row: None,
        neighbours,
        path,
        contributions,
        text,
        boundary: None,
        members,
        counterfactual: None,
        what_if: false,
    })
}

/// One prediction, said in words.
struct Said {
    said: String,
    /// The predicted class, for classifiers.
    class: Option<usize>,
    /// Its height on the plot along one feature: the predicted class's (or
    /// cluster's) probability, or the predicted value.
    curve: f64,
}

fn predict_one(trained: &Trained, encoded: &[f32]) -> Result<Said, SessionError> {
    predict_with(trained, trained.model.as_ref(), encoded)
}

/// Each member's prediction of one encoded row, in words, with its weight.
fn member_votes(trained: &Trained, ensemble: &Ensemble, encoded: &[f32]) -> Result<Vec<MemberVote>, SessionError> {
    let trust = ensemble.trust(&trained.data.target, &trained.target_name);
    ensemble
        .members()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            Ok(MemberVote {
                name: m.spec.spec.name.to_string(),
                said: predict_with(trained, m.model.as_ref(), encoded)?.said,
                weight: trust.as_ref().and_then(|t| t.weights.get(i).copied()),
            })
        })
        .collect()
}

fn predict_with(trained: &Trained, model: &dyn FittedModel, encoded: &[f32]) -> Result<Said, SessionError> {
    let predicted = model.predict(&FeatureMatrix::from_rows(std::slice::from_ref(&encoded.to_vec()), encoded.len()))?;
    Ok(match (&predicted, &trained.data.target) {
        (Predictions::Classes { proba, .. }, Target::Unlabeled { .. }) => {
            let cluster = predicted.labels().and_then(|l| l.first().copied()).unwrap_or(0) as usize;
            Said {
                said: format!("{} (its nearest centroid)", cluster_name(cluster + 1)),
                class: Some(cluster),
                curve: proba.get(cluster).map_or(1.0, |&p| p as f64),
            }
        }
        (Predictions::Classes { proba, .. }, Target::Classes { names, .. }) => {
            let best = (0..proba.len()).fold(0, |b, i| if proba[i] > proba[b] { i } else { b });
            let name = names.get(best).map_or("?", String::as_str);
            let p = proba[best] as f64;
            Said { said: format!("{name} (probability {})", format_significant(p, 2)), class: Some(best), curve: p }
        }
        (Predictions::Values(v), _) => {
            Said { said: format!("{} = {}", trained.target_name, format_number(v[0])), class: None, curve: v[0] }
        }
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    })
}

/// A data row in a few words: whether the model trained on it, and its true target.
fn row_about(trained: &Trained, index: usize) -> String {
    let set = if trained.split.test.contains(&index) { "a test row" } else { "a training row" };
    match &trained.data.target {
        Target::Classes { y, names } => {
            format!("{set}; its {} is {}", trained.target_name, names.get(y[index] as usize).map_or("?", String::as_str))
        }
        Target::Values(v) => format!("{set}; its {} is {}", trained.target_name, format_number(v[index])),
        Target::Unlabeled { .. } => {
            let cluster = trained.clusters.as_ref().and_then(|c| c.get(index)).map_or(0, |&c| c as usize);
            format!("{set}; it is in {}", cluster_name(cluster + 1))
        }
    }
}

/// Each model input named with the row's value, for a contributions chart:
/// "bill_length_mm = 45.2", "island = Dream", "smoker = true".
fn input_labels(trained: &Trained, values: &[(String, FeatureValue)]) -> Vec<String> {
    trained
        .pipeline
        .features()
        .iter()
        .map(|f| match (&f.encoding, value_of(values, &f.column)) {
            (Encoding::Level(level), _) => format!("{} = {level}", f.column),
            (_, Some(v)) => format!("{} = {}", f.column, v.text()),
            (_, None) => f.column.clone(),
        })
        .collect()
}

pub(super) fn set_number(values: &mut FeatureValues, column: &str, v: f64) {
    match values.iter_mut().find(|(c, _)| c == column) {
        Some(slot) => slot.1 = FeatureValue::Number(v),
        None => values.push((column.to_string(), FeatureValue::Number(v))),
    }
}

/// The target of data row `index` as a point's value: class index or number,
/// or for a clustering the row's own cluster.
fn target_value(trained: &Trained, index: usize) -> Option<f32> {
    match &trained.data.target {
        Target::Classes { y, .. } => y.get(index).map(|&c| c as f32),
        Target::Values(v) => v.get(index).map(|&v| v as f32),
        Target::Unlabeled { .. } => trained.clusters.as_ref()?.get(index).map(|&c| c as f32),
    }
}

/// Where rows are drawn: on the boundary plot at their two features'
/// places, or on the plot along a model's only feature at its place and, up
/// the plot, at their true value (for classes and clusters, on a rug under
/// the curves: training rows in one line, test rows in another).
enum Layout<'a> {
    Plane(&'a Axis, &'a Axis),
    Along(&'a Axis),
}

/// The rug's lines under the class curves (in probability units): training rows, test rows.
const RUG: (f32, f32) = (-0.07, -0.14);

impl Layout<'_> {
    /// The places of data rows `indices` (into `trained.rows`); NaN where
    /// a coordinate is missing.
    fn places(&self, table: &Table, trained: &Trained, indices: &[usize]) -> (Vec<f32>, Vec<f32>) {
        let rows: Vec<usize> = indices.iter().map(|&i| trained.rows.get(i).copied().unwrap_or(usize::MAX)).collect();
        match self {
            Layout::Plane(x, y) => (x.places(table, trained, &rows, false), y.places(table, trained, &rows, true)),
            Layout::Along(x) => {
                let ys = match &trained.data.target {
                    Target::Values(v) => indices.iter().map(|&i| v.get(i).map_or(f32::NAN, |&v| v as f32)).collect(),
                    Target::Classes { .. } | Target::Unlabeled { .. } => {
                        let mut is_test = vec![false; trained.rows.len()];
                        trained.split.test.iter().for_each(|&i| is_test[i] = true);
                        indices.iter().map(|&i| if is_test.get(i) == Some(&true) { RUG.1 } else { RUG.0 }).collect()
                    }
                };
                (x.places(table, trained, &rows, false), ys)
            }
        }
    }
}

/// Train and test points as `layout` places them, thinned evenly past [`MAX_POINTS`].
fn points(table: &Table, trained: &Trained, layout: &Layout) -> PointSet {
    let n = trained.rows.len();
    let step = n.div_ceil(MAX_POINTS).max(1);
    let mut is_test = vec![false; n];
    for &i in &trained.split.test {
        is_test[i] = true;
    }
    let kept: Vec<usize> = (0..n).step_by(step).collect();
    let (xs, ys) = layout.places(table, trained, &kept);
    let mut set = PointSet::default();
    for (k, &i) in kept.iter().enumerate() {
        let (x, y) = (xs[k], ys[k]);
        if x.is_nan() || y.is_nan() {
            continue; // a missing coordinate has no place on the plot
        }
        set.rows.push(trained.rows[i] as u32);
        set.x.push(x);
        set.y.push(y);
        set.value.push(target_value(trained, i).unwrap_or(f32::NAN));
        set.is_test.push(is_test[i]);
    }
    set
}

/// How the page names cluster `number` (counted from 1).
pub(super) fn cluster_name(number: usize) -> String {
    format!("cluster {number}")
}

/// The column's range with 5% padding, so points do not sit on the frame.
fn axis_view(name: &str, values: &[f32]) -> AxisView {
    let (lo, hi) = min_max(values.iter().map(|&v| v as f64));
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    AxisView { name: name.to_string(), min: lo - pad, max: hi + pad, levels: Vec::new() }
}

fn lerp(axis: &AxisView, t: f64) -> f64 {
    axis.min + (axis.max - axis.min) * t
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The model inside a sentence, and what it was fitted on when that is not
/// every feature: "decision tree (CART) refitted on bill_length_mm and
/// flipper_length_mm only".
fn model_phrase(trained: &Trained) -> String {
    let name = lower_first(&trained.model_name);
    match &trained.refit {
        Some(r) => format!("{name} refitted on {} and {} only", r.x, r.y),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{NoProgress, Task};
    use crate::model::{ParamValues, REGISTRY};
    use crate::session::tests::{loaded, train_request};
    use crate::session::{Request, Response};

    /// The bits of `model`'s predictions of `x`.
    fn bits(model: &dyn FittedModel, x: &FeatureMatrix) -> Vec<u64> {
        match model.predict(x) {
            Ok(Predictions::Classes { proba, .. }) => proba.iter().map(|p| u64::from(p.to_bits())).collect(),
            Ok(Predictions::Values(v)) => v.iter().map(|p| p.to_bits()).collect(),
            Err(e) => panic!("{e}"),
        }
    }

    /// A boundary grid predicted at once (trees and boosting painting
    /// rectangles of resolved trees, the network in row blocks, kNN from the
    /// last cell's neighbours) gives every cell the bits of that cell's
    /// prediction on its own, for every registered model and task.
    #[test]
    fn every_model_predicts_the_grid_as_it_predicts_each_cell_alone() {
        for (dataset, task) in [("iris", Task::Classification), ("diabetes", Task::Regression), ("iris", Task::Clustering)] {
            let (mut s, summary) = loaded(dataset);
            for spec in REGISTRY.iter().filter(|spec| spec.tasks.contains(&task)) {
                let mut req = train_request(&summary, 3);
                (req.model, req.params, req.task) = (spec.id.to_string(), ParamValues::new(), task);
                let answer = s.handle(Request::Train(req), &mut NoProgress);
                let Response::Trained(report) = answer else { panic!("{} on {dataset}: {answer:?}", spec.id) };
                let (table, trained) = (s.table.as_ref().expect("a table"), s.trained.as_ref().expect("a model"));
                let [x, y, ..] = report.axis_options.as_slice() else { panic!("{dataset} has two axes") };
                // 48² cells: enough rows for every shortcut, few enough to predict one by one.
                let grid = grid_inputs(table, trained, x, y, &[], 48).expect("a grid");
                let model = trained.model.as_ref();
                let at_once = bits(model, &grid.inputs);
                // Each row on its own: a one-row matrix takes none of a grid's shortcuts.
                let alone: Vec<u64> =
                    (0..grid.inputs.n_rows()).flat_map(|r| bits(model, &grid.inputs.select_rows(&[r]))).collect();
                assert!(at_once == alone, "{} on {dataset}", spec.id);
            }
        }
    }

    #[test]
    fn a_slow_model_gets_a_coarser_live_grid() {
        assert_eq!(live_grid(0.0), GRID);
        assert_eq!(live_grid(25.0), GRID);
        // 120 ms for 256²: a quarter of the cells fits 30 ms, i.e. 128 per side.
        assert_eq!(live_grid(120.0), 128);
        // Very slow models bottom out at 48 per side, still a readable picture.
        assert_eq!(live_grid(5000.0), 48);
    }
}
