//! The worker protocol and the state behind it. The page sends a [`Request`],
//! the worker answers with [`Response`]s: `Progress` while it works, then one
//! result or a typed error. Everything here is plain Rust, so the whole
//! protocol is tested natively; `web::worker` only moves messages.

pub mod bundled;
mod boundary;
mod error;
mod protocol;

pub use error::SessionError;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use protocol::{ColumnUse, DataSummary, ModelCard, Request, Response, TrainReport, TrainRequest};

use crate::data::{read_csv, Column, ColumnKind, Table};
use crate::eval::{
    accuracy, adjusted_rand_index, inertia, mean_absolute_error, permutation_importance, r2_score, shuffle_split,
    silhouette, stratified_split, Agreement, Metrics, Split,
};
use crate::explain::{ImportanceView, Task};
use crate::model::{self, Dataset, FeatureMatrix, FittedModel, ModelSpec, Predictions, Progress, Target};
use crate::prep::{self, Pipeline};

/// Share of rows held out for testing.
pub const TEST_FRACTION: f64 = 0.2;

/// Milliseconds since some fixed origin: `performance.now()` in the browser,
/// [`native_clock`] elsewhere. The core never reads a clock by itself, as
/// `std::time` panics on wasm32.
pub type Clock = fn() -> f64;

/// A clock for native runs (tests, benchmarks, examples).
#[cfg(not(target_arch = "wasm32"))]
pub fn native_clock() -> f64 {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
}

/// What the worker remembers between requests.
pub struct Session {
    clock: Clock,
    table: Option<Table>,
    trained: Option<Trained>,
}

/// A fitted model with everything needed to explain it again.
struct Trained {
    model: Box<dyn FittedModel>,
    pipeline: Pipeline,
    model_name: String,
    /// Features and target of every row with a target, and how they split.
    data: Dataset,
    split: Split,
    /// Table row of each row of `data`.
    rows: Vec<usize>,
    target_name: String,
    /// Each row's cluster, for a clustering model (the points' colors).
    clusters: Option<Vec<u32>>,
}

impl Session {
    pub fn new(clock: Clock) -> Self {
        Session { clock, table: None, trained: None }
    }

    /// Answers one request. A failed request leaves the session as it was, so
    /// a bad file never unloads the table already loaded.
    pub fn handle(&mut self, request: Request, progress: &mut dyn Progress) -> Response {
        let result = match request {
            Request::LoadBundled { name } => match bundled::bytes(&name) {
                Some(bytes) => self.load(&name, bytes),
                None => Err(SessionError::UnknownDataset(name)),
            },
            Request::Load { name, bytes } => self.load(&name, &bytes),
            Request::Train(req) => self.train(&req, progress),
            Request::Boundary { x, y } => self.boundary(&x, &y).map(Response::Boundary),
            Request::Inspect { x, y, at } => self.inspect(&x, &y, at).map(Response::Inspected),
        };
        result.unwrap_or_else(Response::Failed)
    }

    fn load(&mut self, name: &str, bytes: &[u8]) -> Result<Response, SessionError> {
        let table = read_csv(bytes)?;
        let summary = DataSummary {
            name: name.to_string(),
            n_rows: table.n_rows,
            n_cols: table.columns.len(),
            columns: table.columns.iter().map(Column::info).collect(),
            default_target: bundled::target(name)
                .and_then(|t| table.column_index(t))
                .unwrap_or(table.columns.len().saturating_sub(1)),
            suggested_task: table.columns.iter().map(suggest_task).collect(),
            preview: table.preview.clone(),
            warnings: table.warnings.clone(),
        };
        self.table = Some(table);
        self.trained = None;
        Ok(Response::Loaded(summary))
    }

    fn train(&mut self, req: &TrainRequest, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let spec = model::find(&req.model).ok_or_else(|| SessionError::UnknownModel(req.model.clone()))?;
        if !spec.tasks.contains(&req.task) {
            return Err(SessionError::Fit(model::FitError::WrongTask(req.task.name().to_string())));
        }
        let Prepared { pipeline, data, split, rows, feature_columns, compared } = prepare(table, req, spec)?;
        let train = data.select_rows(&split.train);
        let model = (spec.fit)(&req.params, &train, req.seed, progress)?;

        let test = data.select_rows(&split.test);
        let (metrics, clusters) = match &data.target {
            Target::Unlabeled { .. } => {
                let (metrics, clusters) = score_clusters(model.as_ref(), &data, &split, compared.as_ref(), req.seed)?;
                (metrics, Some(clusters))
            }
            _ => (score(model.as_ref(), &train, &test)?, None),
        };
        let card = ModelCard {
            n_parameters: model.n_parameters(),
            bytes: model.to_bytes().len(),
            micros_per_row: micros_per_row(model.as_ref(), &data.x, self.clock)?,
        };
        let explanation = model.explain(&pipeline.features(), &data.target, &req.target);
        let importance = match &explanation.feature_importance {
            Some(imp) => Some(column_importance(table, &pipeline, imp, explanation.importance_measure)),
            // Shuffling needs test rows to score, and a target to score them by.
            None if test.x.n_rows() == 0 || clusters.is_some() => None,
            None => Some(permutation_view(table, &pipeline, model.as_ref(), &test, req.seed)?),
        };

        // Axes for the boundary: numeric features, most important first.
        let mut axis_options: Vec<usize> = feature_columns.into_iter().filter(|&c| pipeline.value_input(c).is_some()).collect();
        if let Some(imp) = &importance {
            let rank = |c: usize| imp.items.iter().position(|(n, _)| *n == table.columns[c].name);
            axis_options.sort_by_key(|&c| rank(c));
        }
        let axis_names: Vec<String> = axis_options.iter().map(|&c| table.columns[c].name.clone()).collect();
        let prep_summary = pipeline.summary().to_string();

        self.trained = Some(Trained {
            model,
            pipeline,
            model_name: spec.name.to_string(),
            data,
            split,
            rows,
            target_name: req.target.clone(),
            clusters,
        });
        let boundary = match axis_names.as_slice() {
            [x, y, ..] => Some(self.boundary(x, y)?),
            _ => None,
        };
        Ok(Response::Trained(Box::new(TrainReport {
            model_name: spec.name.to_string(),
            metrics,
            prep_summary,
            card,
            views: explanation.views,
            importance,
            axis_options: axis_names,
            boundary,
        })))
    }

    fn boundary(&self, x: &str, y: &str) -> Result<crate::explain::BoundaryView, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        boundary::compute(table, trained, x, y)
    }

    fn inspect(&self, x: &str, y: &str, at: (f64, f64)) -> Result<crate::explain::PointView, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        boundary::inspect(table, trained, x, y, at)
    }
}

/// A table made ready for a model: encoded features and target of every row
/// that has a target (every row, for clustering), and the seeded split of those rows.
pub struct Prepared {
    pub pipeline: Pipeline,
    pub data: Dataset,
    pub split: Split,
    /// Table row of each row of `data`.
    pub rows: Vec<usize>,
    /// Table columns used as features.
    pub feature_columns: Vec<usize>,
    /// For clustering, the column the person compares the clusters with.
    pub compared: Option<Compared>,
}

/// A column's classes, to compare clusters with; never a feature.
pub struct Compared {
    pub column: String,
    /// Class of each row in `rows` (rows of the prepared data that have a value).
    pub y: Vec<u32>,
    pub rows: Vec<usize>,
}

/// Builds the target, splits its rows (stratified for classes) with the
/// request's seed, and fits the default preprocessing on the training rows.
/// Clustering uses every row, and reads a named target column only to
/// compare the clusters with. The conformance tests and the scikit-learn
/// export use this same path.
pub fn prepare(table: &Table, req: &TrainRequest, spec: &ModelSpec) -> Result<Prepared, SessionError> {
    let column = |name: &str| table.column_index(name).ok_or_else(|| SessionError::UnknownColumn(name.to_string()));
    let (target, rows, compared) = match req.task {
        Task::Clustering => {
            let compared = match req.target.as_str() {
                "" => None,
                name => {
                    let (Target::Classes { y, .. }, rows) = prep::target(table, column(name)?, Task::Clustering)? else {
                        return Err(SessionError::Internal("a compared column reads as classes".into()));
                    };
                    Some(Compared { column: name.to_string(), y, rows })
                }
            };
            (Target::Unlabeled { n_rows: table.n_rows }, (0..table.n_rows).collect(), compared)
        }
        task if req.target.is_empty() => return Err(SessionError::NoTarget(task.name().to_string())),
        task => {
            let (target, rows) = prep::target(table, column(&req.target)?, task)?;
            (target, rows, None)
        }
    };
    let split = match &target {
        Target::Classes { y, names } => stratified_split(y, names.len(), TEST_FRACTION, req.seed),
        Target::Values(_) | Target::Unlabeled { .. } => shuffle_split(target.len(), TEST_FRACTION, req.seed),
    };
    let mut features = Vec::new();
    for u in req.columns.iter().filter(|u| u.included && u.name != req.target) {
        features.push((column(&u.name)?, u.kind));
    }
    let train_rows: Vec<usize> = split.train.iter().map(|&i| rows[i]).collect();
    let pipeline = Pipeline::fit(table, &features, &train_rows, spec.scaling)?;
    let data = Dataset {
        x: pipeline.transform(table, &rows),
        target,
        feature_names: pipeline.features().iter().map(|f| f.column.clone()).collect(),
    };
    let feature_columns = features.iter().map(|&(c, _)| c).collect();
    Ok(Prepared { pipeline, data, split, rows, feature_columns, compared })
}

/// Classification for text, boolean and small-integer targets (like a digit
/// label), regression for other numbers.
pub fn suggest_task(column: &Column) -> Task {
    match (column.inferred, column.numbers()) {
        (ColumnKind::Numeric, Some(values)) => {
            let integers = values.iter().filter(|v| !v.is_nan()).all(|v| v.fract() == 0.0);
            if integers && column.info().distinct <= 20 { Task::Classification } else { Task::Regression }
        }
        _ => Task::Classification,
    }
}


fn score(model: &dyn FittedModel, train: &Dataset, test: &Dataset) -> Result<Metrics, SessionError> {
    let (p_train, p_test) = (model.predict(&train.x)?, model.predict(&test.x)?);
    Ok(match (&train.target, &test.target, p_train, p_test) {
        (Target::Classes { y: yt, .. }, Target::Classes { y: ys, .. }, pt, ps) => Metrics::Classification {
            train_accuracy: accuracy(yt, &pt.labels().unwrap_or_default()),
            test_accuracy: accuracy(ys, &ps.labels().unwrap_or_default()),
            n_train: yt.len(),
            n_test: ys.len(),
        },
        (Target::Values(yt), Target::Values(ys), Predictions::Values(pt), Predictions::Values(ps)) => Metrics::Regression {
            train_r2: r2_score(yt, &pt),
            test_r2: r2_score(ys, &ps),
            train_mae: mean_absolute_error(yt, &pt),
            test_mae: mean_absolute_error(ys, &ps),
            n_train: yt.len(),
            n_test: ys.len(),
        },
        _ => return Err(SessionError::Internal("predictions do not match the target's kind".into())),
    })
}

/// Rows the silhouette is computed on at most: it compares every pair.
const SILHOUETTE_ROWS: usize = 2000;

/// A clustering's scores (inertia per row on the training and the test rows,
/// the silhouette on a seeded sample of training rows, agreement with the
/// compared column over every row) and each row's cluster.
fn score_clusters(
    model: &dyn FittedModel,
    data: &Dataset,
    split: &Split,
    compared: Option<&Compared>,
    seed: u64,
) -> Result<(Metrics, Vec<u32>), SessionError> {
    let predicted = model.predict(&data.x)?;
    let (Some(labels), Some(centroids)) = (predicted.labels(), model.centroids()) else {
        return Err(SessionError::Internal("a clustering model gives clusters and centroids".into()));
    };
    let per_row = |rows: &[usize]| {
        let x = data.x.select_rows(rows);
        let l: Vec<u32> = rows.iter().map(|&r| labels[r]).collect();
        inertia(&x, &centroids, &l) / rows.len().max(1) as f64
    };
    let mut sample = split.train.clone();
    if sample.len() > SILHOUETTE_ROWS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        sample = rand::seq::index::sample(&mut rng, sample.len(), SILHOUETTE_ROWS).iter().map(|i| split.train[i]).collect();
        sample.sort_unstable();
    }
    let sample_labels: Vec<u32> = sample.iter().map(|&r| labels[r]).collect();
    let agreement = compared.map(|c| Agreement {
        column: c.column.clone(),
        adjusted_rand_index: adjusted_rand_index(&c.rows.iter().map(|&r| labels[r]).collect::<Vec<_>>(), &c.y),
    });
    let metrics = Metrics::Clustering {
        train_inertia: per_row(&split.train),
        test_inertia: per_row(&split.test),
        n_clusters: centroids.len(),
        silhouette: silhouette(&data.x.select_rows(&sample), &sample_labels),
        agreement,
        n_train: split.train.len(),
        n_test: split.test.len(),
    };
    Ok((metrics, labels))
}

/// Inference time per row: predictions over all rows, repeated until the clock
/// has seen at least 20 ms (or 50 rounds), so a coarse browser timer still
/// gives a meaningful number.
fn micros_per_row(model: &dyn FittedModel, x: &FeatureMatrix, clock: Clock) -> Result<f64, SessionError> {
    let start = clock();
    let mut rounds = 0usize;
    let mut elapsed = 0.0;
    while rounds < 50 && (rounds == 0 || elapsed < 20.0) {
        model.predict(x)?;
        rounds += 1;
        elapsed = clock() - start;
    }
    Ok(elapsed * 1e3 / (rounds * x.n_rows().max(1)) as f64)
}

/// Permutation importance on the test rows, per table column (a one-hot
/// column's inputs shuffled together): the importance of a model that has
/// none of its own.
fn permutation_view(
    table: &Table,
    pipeline: &Pipeline,
    model: &dyn FittedModel,
    test: &Dataset,
    seed: u64,
) -> Result<ImportanceView, SessionError> {
    let mut columns: Vec<usize> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (input, column) in pipeline.source_columns().into_iter().enumerate() {
        match columns.iter().position(|&c| c == column) {
            Some(g) => groups[g].push(input),
            None => {
                columns.push(column);
                groups.push(vec![input]);
            }
        }
    }
    let drops = permutation_importance(model, test, &groups, 5, seed)?;
    let mut items: Vec<(String, f64)> =
        columns.iter().zip(&drops).map(|(&c, &(mean, _))| (table.columns[c].name.clone(), mean)).collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let score = match test.target {
        Target::Classes { .. } => "accuracy",
        Target::Values(_) | Target::Unlabeled { .. } => "R²",
    };
    Ok(ImportanceView {
        title: "Feature importance (permutation)".to_string(),
        measure: format!("drop in test {score} when shuffled"),
        items,
    })
}

/// Sums the model's per-input importances by table column, so a one-hot encoded
/// column gets one bar under its own name.
fn column_importance(table: &Table, pipeline: &Pipeline, per_input: &[f64], measure: &str) -> ImportanceView {
    let mut items: Vec<(String, f64)> = Vec::new();
    for (&column, &score) in pipeline.source_columns().iter().zip(per_input) {
        let name = &table.columns[column].name;
        match items.iter_mut().find(|(n, _)| n == name) {
            Some(item) => item.1 += score,
            None => items.push((name.clone(), score)),
        }
    }
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    ImportanceView {
        title: format!("Feature importance ({measure})"),
        measure: format!("share of {measure}"),
        items,
    }
}

// Native only: they time with `native_clock`; wasm is covered by crate/tests/wasm.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
