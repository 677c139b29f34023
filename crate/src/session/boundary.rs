//! The decision boundary as data: predictions over a grid of two features,
//! colored in the worker, with the table's points on top.

use super::{SessionError, Trained};
use crate::data::Table;
use crate::explain::{format_number, format_significant, AxisView, BoundaryView, Legend, PointSet, PointView};
use crate::model::{FeatureMatrix, Predictions, Target};
use crate::render::theme::{region_rgba, sequential_region_rgba};

/// Grid cells per side: fine enough for a crisp 600 px plot, small enough to
/// predict in milliseconds.
pub const GRID: u32 = 256;
/// At most this many points are drawn; more would hide the regions.
pub const MAX_POINTS: usize = 2500;

/// The table column and model input of a numeric feature named `name`.
fn axis(table: &Table, trained: &Trained, name: &str) -> Result<(usize, usize), SessionError> {
    let column = table.column_index(name).ok_or_else(|| SessionError::UnknownColumn(name.to_string()))?;
    let input = trained.pipeline.value_input(column).ok_or_else(|| SessionError::NotAnAxis(name.to_string()))?;
    Ok((column, input))
}

pub(super) fn compute(table: &Table, trained: &Trained, x: &str, y: &str) -> Result<BoundaryView, SessionError> {
    let ((x_col, x_in), (y_col, y_in)) = (axis(table, trained, x)?, axis(table, trained, y)?);
    // Axes in the column's own units, over the rows the model saw.
    let raw = |column: usize| -> Vec<f32> {
        let values = table.columns[column].numbers().unwrap_or(&[]);
        trained.rows.iter().filter_map(|&r| values.get(r).copied()).collect()
    };
    let x_axis = axis_view(x, &raw(x_col));
    let y_axis = axis_view(y, &raw(y_col));
    let encode = |column: usize, v: f64| trained.pipeline.encode_value(column, v as f32);

    // Every grid cell is the typical row with the two axis features replaced.
    let typical = trained.pipeline.typical_row();
    let cells = (GRID * GRID) as usize;
    let columns = typical
        .iter()
        .enumerate()
        .map(|(input, &v)| {
            if input == x_in {
                (0..cells).map(|i| encode(x_col, lerp(&x_axis, (i % GRID as usize) as f64 / (GRID - 1) as f64))).collect()
            } else if input == y_in {
                // Row 0 of the image is the top of the plot: the largest y.
                (0..cells).map(|i| encode(y_col, lerp(&y_axis, 1.0 - (i / GRID as usize) as f64 / (GRID - 1) as f64))).collect()
            } else {
                vec![v; cells]
            }
        })
        .collect();
    let grid = FeatureMatrix::from_columns(cells, columns);
    let predictions = trained.model.predict(&grid)?;

    let (rgba, legend) = match (&predictions, &trained.data.target) {
        (Predictions::Classes { proba, n_classes }, Target::Classes { names, .. }) => {
            let rgba = proba
                .chunks(*n_classes)
                .flat_map(|p| {
                    let (best, &conf) = p.iter().enumerate().fold((0, &p[0]), |b, (i, v)| if *v > *b.1 { (i, v) } else { b });
                    region_rgba(best, conf as f64)
                })
                .collect();
            (rgba, Legend::Classes(names.clone()))
        }
        (Predictions::Classes { proba, n_classes }, Target::Unlabeled { .. }) => {
            // Hard clusters: one flat tint per region.
            let rgba = proba.chunks(*n_classes).flat_map(|p| region_rgba(p.iter().position(|&v| v > 0.5).unwrap_or(0), 1.0)).collect();
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

    let points = points(table, trained, x_col, y_col);
    let centroids = trained
        .model
        .centroids()
        .unwrap_or_default()
        .iter()
        .map(|c| (trained.pipeline.decode_value(x_col, c[x_in]), trained.pipeline.decode_value(y_col, c[y_in])))
        .collect();
    let n_features = typical.len();
    let others = n_features - 2;
    let note = if others == 0 {
        "The model uses only these two features.".to_string()
    } else {
        format!("Slice: the other {others} inputs are held at their training median (mode for categories).")
    };
    Ok(BoundaryView {
        title: match (&predictions, &trained.data.target) {
            (Predictions::Classes { n_classes, .. }, Target::Unlabeled { .. }) => format!("{} — {n_classes} clusters", trained.model_name),
            _ => format!("{} — predicted {}", trained.model_name, trained.target_name),
        },
        x: x_axis,
        y: y_axis,
        grid_width: GRID,
        grid_height: GRID,
        rgba,
        points,
        legend,
        note,
        centroids,
    })
}

/// What the model predicts at `at` on the plot over `x` and `y` (the other
/// inputs at the plot's slice), in words, with the training rows a neighbour
/// model's prediction rests on.
pub(super) fn inspect(table: &Table, trained: &Trained, x: &str, y: &str, at: (f64, f64)) -> Result<PointView, SessionError> {
    let ((x_col, x_in), (y_col, y_in)) = (axis(table, trained, x)?, axis(table, trained, y)?);
    let mut row = trained.pipeline.typical_row();
    row[x_in] = trained.pipeline.encode_value(x_col, at.0 as f32);
    row[y_in] = trained.pipeline.encode_value(y_col, at.1 as f32);
    let predicted = trained.model.predict(&FeatureMatrix::from_rows(std::slice::from_ref(&row), row.len()))?;
    let said = match (&predicted, &trained.data.target) {
        (Predictions::Classes { .. }, Target::Unlabeled { .. }) => {
            let cluster = predicted.labels().and_then(|l| l.first().copied()).unwrap_or(0) as usize;
            format!("{} (its nearest centroid)", cluster_name(cluster + 1))
        }
        (Predictions::Classes { proba, .. }, Target::Classes { names, .. }) => {
            let best = (0..proba.len()).fold(0, |b, i| if proba[i] > proba[b] { i } else { b });
            format!("{} (probability {})", names.get(best).map_or("?", String::as_str), format_significant(proba[best] as f64, 2))
        }
        (Predictions::Values(v), _) => format!("{} = {}", trained.target_name, format_number(v[0])),
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    };
    let mut text = format!(
        "At {x} = {}, {y} = {} (the other inputs at the plot's slice), the {} predicts {said}.",
        format_number(at.0),
        format_number(at.1),
        trained.model_name.to_lowercase()
    );
    // Neighbours are indices into the training rows; map them to the table.
    let rows: Vec<usize> =
        trained.model.neighbours_of(&row).unwrap_or_default().into_iter().filter_map(|i| trained.split.train.get(i).copied()).collect();
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
    let (xs, ys) = (table.columns[x_col].numbers().unwrap_or(&[]), table.columns[y_col].numbers().unwrap_or(&[]));
    let neighbours = rows
        .iter()
        .filter_map(|&d| {
            let r = *trained.rows.get(d)?;
            let value = match (&trained.data.target, &trained.clusters) {
                (Target::Classes { y, .. }, _) => *y.get(d)? as f32,
                (Target::Values(v), _) => *v.get(d)? as f32,
                (Target::Unlabeled { .. }, clusters) => *clusters.as_ref()?.get(d)? as f32,
            };
            Some((*xs.get(r)?, *ys.get(r)?, value))
        })
        .collect();
    Ok(PointView { x: at.0, y: at.1, neighbours, text })
}

/// Train and test points at their true value, thinned evenly past [`MAX_POINTS`].
fn points(table: &Table, trained: &Trained, x_col: usize, y_col: usize) -> PointSet {
    let (Some(xs), Some(ys)) = (table.columns[x_col].numbers(), table.columns[y_col].numbers()) else {
        return PointSet::default();
    };
    let n = trained.rows.len();
    let step = n.div_ceil(MAX_POINTS).max(1);
    let mut is_test = vec![false; n];
    for &i in &trained.split.test {
        is_test[i] = true;
    }
    let mut set = PointSet::default();
    for i in (0..n).step_by(step) {
        let row = trained.rows[i];
        let (x, y) = (xs[row], ys[row]);
        if x.is_nan() || y.is_nan() {
            continue; // a missing coordinate has no place on the plot
        }
        set.x.push(x);
        set.y.push(y);
        set.value.push(match (&trained.data.target, &trained.clusters) {
            (Target::Classes { y, .. }, _) => y[i] as f32,
            (Target::Values(v), _) => v[i] as f32,
            // Points of a clustering are colored by their own cluster.
            (Target::Unlabeled { .. }, clusters) => clusters.as_ref().and_then(|c| c.get(i)).map_or(0.0, |&c| c as f32),
        });
        set.is_test.push(is_test[i]);
    }
    set
}

/// How the page names cluster `number` (counted from 1).
fn cluster_name(number: usize) -> String {
    format!("cluster {number}")
}

/// The column's range with 5% padding, so points do not sit on the frame.
fn axis_view(name: &str, values: &[f32]) -> AxisView {
    let (lo, hi) = min_max(values.iter().map(|&v| v as f64));
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    AxisView { name: name.to_string(), min: lo - pad, max: hi + pad }
}

fn lerp(axis: &AxisView, t: f64) -> f64 {
    axis.min + (axis.max - axis.min) * t
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
}
