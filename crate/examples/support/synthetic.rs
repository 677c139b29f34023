//! What the benchmarks fit: seeded synthetic classification data and the
//! bundled datasets, so the native run, the browser run and scikit-learn all
//! fit the very same rows; and one timing routine for every registered model.

use micro_models::base::{accuracy, r2_score, FeatureMatrix, NoProgress, Target, Task};
use micro_models::data::read_csv;
use micro_models::eval::inertia;
use micro_models::model::{Dataset, ModelSpec, ParamValue, ParamValues, Predictions};
use micro_models::session::{bundled, prepare, ColumnUse, TrainRequest};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n_rows × n_cols` standard normal features; the class is the sign of a
/// noisy linear score of the first five plus an interaction, so a depth-5
/// tree has real work to do.
pub fn classification(n_rows: usize, n_cols: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut normal = move || {
        // Box–Muller: two uniforms give one standard normal.
        let (u, v): (f64, f64) = (rng.random::<f64>().max(f64::MIN_POSITIVE), rng.random());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut columns = vec![Vec::with_capacity(n_rows); n_cols];
    let mut y = Vec::with_capacity(n_rows);
    for _ in 0..n_rows {
        let row: Vec<f64> = (0..n_cols).map(|_| normal()).collect();
        let w = [1.0, -0.8, 0.6, 0.5, -0.4];
        let score: f64 =
            row.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() + 0.7 * row[0] * row[1 % n_cols] + 0.5 * normal();
        y.push(u32::from(score > 0.0));
        for (c, v) in columns.iter_mut().zip(&row) {
            c.push(*v as f32);
        }
    }
    Dataset {
        x: FeatureMatrix::from_columns(n_rows, columns),
        target: Target::Classes { y, names: vec!["0".into(), "1".into()] },
        feature_names: (0..n_cols).map(|j| format!("x{j}")).collect(),
    }
}

/// One benchmark input: a name and its training and test rows.
pub struct BenchData {
    pub name: String,
    pub train: Dataset,
    pub test: Dataset,
}

impl BenchData {
    /// `data` cut as every synthetic input is: the first 80 % of its rows to
    /// train on, the rest to test, so scikit-learn's script cuts the same.
    pub fn split(name: String, data: &Dataset) -> BenchData {
        let rows = data.x.n_rows();
        let cut = rows - rows / 5;
        BenchData {
            name,
            train: data.select_rows(&(0..cut).collect::<Vec<_>>()),
            test: data.select_rows(&(cut..rows).collect::<Vec<_>>()),
        }
    }
}

/// Synthetic 10k × 10 and 100k × 10 (first 80% train), already standardized
/// in effect (standard normal), so they suit every model.
pub fn synthetic() -> Vec<BenchData> {
    [(10_000, 10), (100_000, 10)]
        .into_iter()
        .map(|(rows, cols)| BenchData::split(format!("synthetic {}k×{cols}", rows / 1000), &classification(rows, cols, 7)))
        .collect()
}

/// The synthetic inputs `spec` can fit: as they are for a supervised model,
/// without their target for a clustering one (the same rows either way).
pub fn synthetic_for(spec: &ModelSpec, synthetic: &[BenchData]) -> Vec<BenchData> {
    let clustering = spec.tasks.contains(&Task::Clustering);
    let without_target = |d: &Dataset| Dataset { target: Target::Unlabeled { n_rows: d.x.n_rows() }, ..d.clone() };
    synthetic
        .iter()
        .filter(|d| clustering || spec.tasks.contains(&task_of(&d.train)))
        .map(|d| match clustering {
            true => BenchData { name: d.name.clone(), train: without_target(&d.train), test: without_target(&d.test) },
            false => BenchData { name: d.name.clone(), train: d.train.clone(), test: d.test.clone() },
        })
        .collect()
}

/// `n_rows × n_cols` standard normal features in three classes: the class
/// whose noisy linear score of the first inputs is highest. For the models
/// whose fit for more than two classes is its own code (logistic regression's
/// softmax, see [`MULTICLASS`]).
pub fn three_classes(n_rows: usize, n_cols: usize, seed: u64) -> Dataset {
    let binary = classification(n_rows, n_cols, seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x3c1a55);
    let weights = [[1.0, 0.5, 0.0, -0.3], [-0.6, 1.0, 0.4, 0.0], [-0.4, -0.9, -0.5, 0.6]];
    let y = (0..n_rows)
        .map(|r| {
            let score = |w: &[f64; 4]| {
                w.iter().enumerate().map(|(j, w)| w * binary.x.column(j % n_cols)[r] as f64).sum::<f64>()
                    + 0.4 * rng.random::<f64>()
            };
            let scores: Vec<f64> = weights.iter().map(score).collect();
            (0..3).fold(0, |best, c| if scores[c] > scores[best] { c } else { best }) as u32
        })
        .collect();
    Dataset { target: Target::Classes { y, names: vec!["0".into(), "1".into(), "2".into()] }, ..binary }
}

/// Models timed on [`three_classes`] as well.
pub const MULTICLASS: [&str; 1] = ["logistic_regression"];

/// The three-class sets (10k and 100k rows × 10, first 80 % train) for a
/// model in [`MULTICLASS`]; none for the others.
pub fn multiclass_for(spec: &ModelSpec) -> Vec<BenchData> {
    if !MULTICLASS.contains(&spec.id) {
        return Vec::new();
    }
    [10_000, 100_000]
        .into_iter()
        .map(|rows| BenchData::split(format!("synthetic 3-class {}k×10", rows / 1000), &three_classes(rows, 10, 7)))
        .collect()
}

/// The settings a model is benchmarked with, each under its row's name: its
/// defaults; k-means finds scikit-learn's default 8 clusters from one start,
/// as `KMeans()` does; logistic regression is also timed with the L1 penalty
/// (its own solver).
pub fn bench_variants(spec: &ModelSpec) -> Vec<(String, ParamValues)> {
    let id = spec.id.to_string();
    match spec.id {
        "kmeans" => vec![(id, [("k".to_string(), ParamValue::Int(8)), ("n_init".to_string(), ParamValue::Int(1))].into())],
        "logistic_regression" => vec![
            (id.clone(), ParamValues::new()),
            (format!("{id} (l1)"), [("penalty".to_string(), ParamValue::Choice("l1".into()))].into()),
        ],
        _ => vec![(id, ParamValues::new())],
    }
}

/// Whether `BENCH_MODELS` (natively an environment variable, in the browser
/// the page's `?models=`), a comma-separated list of registry ids, selects
/// `spec`; every model when it is unset or empty.
pub fn selected(spec: &ModelSpec, models: Option<&str>) -> bool {
    models.is_none_or(|m| m.trim().is_empty() || m.split(',').any(|id| id.trim() == spec.id))
}

/// The ids in `BENCH_MODELS` that name no registered model: a typo would
/// otherwise time nothing and leave the tables empty.
pub fn unknown_models(models: Option<&str>) -> Vec<String> {
    use micro_models::model::REGISTRY;
    let known = |id: &str| REGISTRY.iter().any(|spec| spec.id == id);
    models.map_or(Vec::new(), |m| {
        m.split(',').map(str::trim).filter(|id| !id.is_empty() && !known(id)).map(str::to_string).collect()
    })
}

/// A bundled dataset prepared for `spec` exactly as the page prepares it.
pub fn bundled_for(spec: &ModelSpec, name: &str) -> BenchData {
    let table = read_csv(bundled::bytes(name).expect("bundled")).expect("bundled data parses");
    let target = bundled::target(name).expect("a bundled target");
    let task = micro_models::session::suggest_task(&table.columns[table.column_index(target).expect("target column")]);
    let request = TrainRequest {
        target: target.into(),
        task,
        columns: table.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: spec.id.into(),
        params: ParamValues::new(),
        seed: 42,
        pipeline: None,
        test_share: micro_models::session::TEST_FRACTION,
    };
    let prepared = prepare(&table, &request, spec).expect("bundled data prepares");
    BenchData {
        name: name.to_string(),
        train: prepared.data.select_rows(&prepared.split.train),
        test: prepared.data.select_rows(&prepared.split.test),
    }
}

pub fn task_of(data: &Dataset) -> Task {
    data.target.task()
}

/// What a benchmark row times. For most models the fit is where the cost is;
/// kNN's fit only indexes its rows and its cost is at prediction, so kNN also
/// gets a row timing the fit together with the prediction of every test row,
/// beside scikit-learn's `KNeighborsClassifier` doing the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timed {
    Fit,
    FitPredict,
}

impl Timed {
    /// The rows `spec` is benchmarked by.
    pub fn rows_for(spec: &ModelSpec) -> &'static [Timed] {
        match spec.id {
            "knn" => &[Timed::Fit, Timed::FitPredict],
            _ => &[Timed::Fit],
        }
    }

    /// The row's model name: the variant's name (see [`bench_variants`]),
    /// marked when the prediction is timed too (`scripts/bench_sklearn.py` reads the mark).
    pub fn label(self, variant: &str) -> String {
        match self {
            Timed::Fit => variant.to_string(),
            Timed::FitPredict => format!("{variant} (fit+predict)"),
        }
    }
}

/// Fits `spec` with `params` (one of its [`bench_variants`]) `repeats` times (and, for
/// [`Timed::FitPredict`], predicts the test rows within the timing); returns
/// the median time in milliseconds (timed with `now_ms`) and the test score
/// (accuracy, R², or inertia per row for clustering).
pub fn bench_model(
    spec: &ModelSpec,
    params: &ParamValues,
    data: &BenchData,
    timed: Timed,
    repeats: usize,
    now_ms: impl Fn() -> f64,
) -> (f64, f64) {
    let mut times = Vec::new();
    let mut fitted = None;
    for _ in 0..repeats {
        let start = now_ms();
        let model = (spec.fit)(params, &data.train.as_view(), 0, &mut NoProgress).expect("benchmark data fits");
        let predicted = match timed {
            Timed::Fit => None,
            Timed::FitPredict => Some(model.predict(&data.test.x).expect("same features")),
        };
        times.push(now_ms() - start);
        fitted = Some((model, predicted));
    }
    times.sort_by(f64::total_cmp);
    let (model, predicted) = fitted.expect("at least one repeat");
    let predicted = match predicted {
        Some(p) => p,
        None => model.predict(&data.test.x).expect("same features"),
    };
    let score = match (&data.test.target, &predicted, model.centroids()) {
        (Target::Classes { y, .. }, p, _) => accuracy(y, &p.labels().unwrap_or_default()),
        (Target::Values(v), Predictions::Values(p), _) => r2_score(v, p),
        (Target::Unlabeled { n_rows }, p, Some(centroids)) => {
            inertia(&data.test.x, &centroids, &p.labels().unwrap_or_default()) / (*n_rows).max(1) as f64
        }
        _ => f64::NAN,
    };
    (times[times.len() / 2], score)
}

/// Fewer repeats for big inputs, so the whole run stays in minutes.
pub fn repeats(data: &BenchData) -> usize {
    if data.train.x.n_rows() > 50_000 {
        1
    } else {
        3
    }
}

/// One JSON line of results; `model` is the row's [`Timed::label`]. For
/// k-means it also says how many Lloyd rounds the fit ran ([`rounds`]).
pub fn result_line(runner: &str, model: &str, data: &BenchData, fit_ms: f64, score: f64, rounds: Option<usize>) -> String {
    let rounds = rounds.map_or(String::new(), |r| format!(",\"rounds\":{r}"));
    format!(
        "{{\"runner\":\"{runner}\",\"model\":\"{model}\",\"data\":\"{}\",\"fit_ms\":{fit_ms:.2},\"score\":{score:.4}{rounds}}}",
        data.name
    )
}

/// The Lloyd rounds k-means runs with `params` on `data` (seed 0, as
/// [`bench_model`] fits), for its time per round beside scikit-learn's
/// `n_iter_`; `None` for every other model.
pub fn rounds(spec: &ModelSpec, params: &ParamValues, data: &BenchData) -> Option<usize> {
    use micro_models::model::{kmeans::KMeansParams, Fit};
    (spec.id == "kmeans").then(|| {
        let settings = KMeansParams::from_values(Task::Clustering, params).expect("the bench settings are valid");
        settings.fit(data.train.as_view(), 0, &mut NoProgress).expect("benchmark data fits").rounds()
    })
}

/// k-means' settings in the benchmark: its [`bench_variants`] entry.
fn kmeans_settings() -> micro_models::model::kmeans::KMeansParams {
    use micro_models::model::{find, Fit};
    let spec = find("kmeans").expect("k-means is registered");
    let (_, values) = bench_variants(spec).into_iter().next().expect("k-means has its bench settings");
    micro_models::model::kmeans::KMeansParams::from_values(Task::Clustering, &values).expect("the bench settings are valid")
}

/// k-means' Lloyd rounds alone from one start, the one a fit with seed 0
/// draws (its k-means++), so the native run, the browser and scikit-learn
/// (given it as `KMeans(init=…, n_init=1)`, `scripts/bench_sklearn.py`) run
/// the same rounds and their cost per round compares like with like. Times
/// three runs; one JSON line (`"kind":"kmeans_start"`: rounds, training
/// inertia per row, median ms), and the start itself for scikit-learn.
pub fn bench_kmeans_start(runner: &str, data: &BenchData, now_ms: impl Fn() -> f64) -> (String, Vec<Vec<f32>>) {
    let params = kmeans_settings();
    let x = &data.train.x;
    let start = params.start(x, 0).expect("benchmark data has enough rows");
    let mut times = Vec::new();
    let mut run = None;
    for _ in 0..3 {
        let started = now_ms();
        run = Some(params.run_from(x, &start).expect("the start fits its rows"));
        times.push(now_ms() - started);
    }
    times.sort_by(f64::total_cmp);
    let run = run.expect("three runs");
    let line = format!(
        "{{\"runner\":\"{runner}\",\"kind\":\"kmeans_start\",\"data\":\"{}\",\"rounds\":{},\"inertia\":{:.6},\"ms\":{:.2}}}",
        data.name,
        run.rounds,
        run.inertia / x.n_rows() as f64,
        times[1]
    );
    (line, start.centroids().chunks(x.n_cols()).map(<[f32]>::to_vec).collect())
}

/// Seeds over which each side's own k-means++ start is tried: how many
/// rounds one start needs varies a lot with it.
pub const KMEANS_SEEDS: u64 = 10;

/// Our own k-means++ start and Lloyd's rounds from it for seeds 0 to
/// [`KMEANS_SEEDS`] − 1: one JSON line (`"kind":"kmeans_seeds"`) with the
/// rounds of each seed and the mean training inertia per row. Native only: the
/// browser runs the same rounds to the bit.
pub fn kmeans_seeds(data: &BenchData) -> String {
    let params = kmeans_settings();
    let x = &data.train.x;
    let runs: Vec<_> = (0..KMEANS_SEEDS)
        .map(|seed| {
            let start = params.start(x, seed).expect("benchmark data has enough rows");
            params.run_from(x, &start).expect("the start fits its rows")
        })
        .collect();
    let rounds: Vec<String> = runs.iter().map(|r| r.rounds.to_string()).collect();
    let inertia = runs.iter().map(|r| r.inertia).sum::<f64>() / (runs.len() * x.n_rows()) as f64;
    format!(
        "{{\"runner\":\"native\",\"kind\":\"kmeans_seeds\",\"data\":\"{}\",\"rounds\":[{}],\"inertia\":{inertia:.6}}}",
        data.name,
        rounds.join(",")
    )
}

/// Models whose boundary redraw is timed: the fast ones (tree, linear, naive
/// Bayes) and the heavy ones the issue sets budgets for (a 100-tree forest,
/// kNN, boosting's 100 rounds, the network).
pub const BOUNDARY_MODELS: [&str; 7] =
    ["decision_tree", "logistic_regression", "random_forest", "knn", "gradient_boosting", "mlp", "naive_bayes"];

/// Median time (ms) the worker takes to recompute the 256 × 256 boundary of a
/// model trained on synthetic 10k × 10 rows when a slice slider moves: what
/// the page waits for before it can draw. One line per model.
pub fn bench_boundary(runner: &str, now_ms: micro_models::session::Clock) -> Vec<String> {
    bench_boundary_of(runner, &BOUNDARY_MODELS, now_ms)
}

/// [`bench_boundary`] for the models `ids` only (`bench OUT boundary knn`).
pub fn bench_boundary_of(runner: &str, ids: &[&str], now_ms: micro_models::session::Clock) -> Vec<String> {
    use micro_models::base::FeatureValue;
    use micro_models::session::{Request, Response};
    let csv = classes_csv(&classification(10_000, 10, 7));
    let mut lines = Vec::new();
    for &id in ids {
        let (mut session, request) = session_on(&csv, id, now_ms);
        assert!(matches!(session.handle(Request::Train(request), &mut NoProgress), Response::Trained(_)), "{id} trains");
        let mut times: Vec<f64> = (0..7)
            .map(|i| {
                let slice = vec![("x2".to_string(), FeatureValue::Number(-1.5 + 0.5 * i as f64))];
                let start = now_ms();
                let answer = session.handle(
                    Request::Boundary { x: "x0".into(), y: "x1".into(), slice, live: false, two_features: false },
                    &mut NoProgress,
                );
                assert!(matches!(answer, Response::Boundary(_)), "{id} draws its boundary");
                now_ms() - start
            })
            .collect();
        times.sort_by(f64::total_cmp);
        lines.push(format!(
            "{{\"runner\":\"{runner}\",\"kind\":\"boundary\",\"model\":\"{id}\",\"data\":\"synthetic 10k×10\",\"ms\":{:.2}}}",
            times[times.len() / 2]
        ));
    }
    lines
}

/// Classification data as the page reads a file: features `x0..xN`, then
/// the class as `y` ("c0", "c1", …, so it is read as classes).
fn classes_csv(data: &Dataset) -> String {
    let Target::Classes { y, .. } = &data.target else { unreachable!("classification data") };
    let n_cols = data.x.n_cols();
    let mut csv = (0..n_cols).map(|j| format!("x{j}")).collect::<Vec<_>>().join(",") + ",y\n";
    for (r, label) in y.iter().enumerate() {
        let row: Vec<String> = (0..n_cols).map(|j| data.x.column(j)[r].to_string()).collect();
        csv.push_str(&format!("{},c{label}\n", row.join(",")));
    }
    csv
}

/// A session with `csv` loaded, and the request that trains model `id` on
/// every column with `y` as the target, default settings, seed 0.
fn session_on(csv: &str, id: &str, now_ms: micro_models::session::Clock) -> (micro_models::session::Session, TrainRequest) {
    use micro_models::session::{Request, Response, Session};
    let mut session = Session::new(now_ms);
    let Response::Loaded(summary) = session.handle(
        Request::Load { name: "synthetic.csv".into(), bytes: csv.as_bytes().to_vec(), encoding: None },
        &mut NoProgress,
    ) else {
        panic!("synthetic data loads")
    };
    let request = TrainRequest {
        target: "y".into(),
        task: Task::Classification,
        columns: summary
            .columns
            .iter()
            .map(|c| ColumnUse { name: c.name.clone(), kind: c.inferred, included: true })
            .collect(),
        model: id.into(),
        params: ParamValues::new(),
        seed: 0,
        pipeline: None,
        test_share: micro_models::session::TEST_FRACTION,
    };
    (session, request)
}

/// Models timed from Train to the last evaluation view, and the rows of each
/// run: every model at 100k rows, the quick ones also at 1M (a forest, an
/// MLP or kNN there would take minutes per run).
pub const STAGED_RUNS: [(&str, usize); 9] = [
    ("decision_tree", 100_000),
    ("logistic_regression", 100_000),
    ("naive_bayes", 100_000),
    ("gradient_boosting", 100_000),
    ("random_forest", 100_000),
    ("mlp", 100_000),
    ("decision_tree", 1_000_000),
    ("logistic_regression", 1_000_000),
    ("naive_bayes", 1_000_000),
];

/// Time to the first answer at scale, on synthetic `rows` × 10 data as the
/// page trains it: the model's fit alone (on the same training rows), the
/// time from Train to its answer (metrics, boundary, its own views) and to
/// the last evaluation view that follows (`Request::Evaluate`, in turn), and
/// each view's own time. One line per run.
pub fn bench_staged(runner: &str, runs: &[(&str, usize)], now_ms: micro_models::session::Clock) -> Vec<String> {
    use micro_models::session::{Request, Response};
    let mut lines = Vec::new();
    let mut csvs: Vec<(usize, String)> = Vec::new();
    for &(id, rows) in runs {
        if !csvs.iter().any(|(n, _)| *n == rows) {
            csvs.push((rows, classes_csv(&classification(rows, 10, 11))));
        }
        let csv = &csvs.iter().find(|(n, _)| *n == rows).expect("made above").1;
        let spec = micro_models::model::find(id).expect("a registered model");
        let (mut session, request) = session_on(csv, id, now_ms);
        let start = now_ms();
        let Response::Trained(report) = session.handle(Request::Train(request), &mut NoProgress) else {
            panic!("{id} trains on {rows} rows")
        };
        let answer_ms = now_ms() - start;
        let mut views = Vec::new();
        for part in &report.pending {
            let started = now_ms();
            let answer = session.handle(Request::Evaluate(part.clone()), &mut NoProgress);
            assert!(matches!(answer, Response::Evaluated(_)), "{id}: {part:?} gave {answer:?}");
            views.push(format!("\"{}\":{:.1}", view_key(part), now_ms() - started));
        }
        let last_ms = now_ms() - start;
        // The fit alone, on the same number of training rows.
        let data = classification(rows, 10, 11);
        let n_train = rows - (rows as f64 * micro_models::session::TEST_FRACTION).round() as usize;
        let train: Vec<usize> = (0..n_train).collect();
        let started = now_ms();
        let fitted = (spec.fit)(&ParamValues::new(), &data.view(&train), 0, &mut NoProgress);
        let fit_ms = now_ms() - started;
        assert!(fitted.is_ok(), "{id} fits");
        lines.push(format!(
            "{{\"runner\":\"{runner}\",\"kind\":\"staged\",\"model\":\"{id}\",\"rows\":{rows},\"fit_ms\":{fit_ms:.1},\"answer_ms\":{answer_ms:.1},\"last_view_ms\":{last_ms:.1},\"views\":{{{}}}}}",
            views.join(",")
        ));
    }
    lines
}

/// A view's short name in the bench's lines.
fn view_key(part: &micro_models::explain::EvaluationPart) -> &'static str {
    use micro_models::explain::EvaluationPart;
    match part {
        EvaluationPart::Permutation => "permutation",
        EvaluationPart::PartialDependence { .. } => "partial_dependence",
        EvaluationPart::Robustness => "robustness",
        EvaluationPart::LearningCurve => "learning_curve",
    }
}

/// Writes `data` as CSV: features `x0..xN` with full precision (so scikit-learn
/// reads the very values), then the target as `y` (class index or value).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_csv(path: &std::path::Path, data: &Dataset) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let cols = data.x.n_cols();
    writeln!(f, "{},y", (0..cols).map(|j| format!("x{j}")).collect::<Vec<_>>().join(","))?;
    for r in 0..data.x.n_rows() {
        for j in 0..cols {
            write!(f, "{:?},", data.x.column(j)[r])?;
        }
        match &data.target {
            Target::Classes { y, .. } => writeln!(f, "{}", y[r])?,
            Target::Values(v) => writeln!(f, "{:?}", v[r])?,
            Target::Unlabeled { .. } => writeln!(f, "nan")?,
        }
    }
    Ok(())
}

/// A setting as a JSON value, for the lines scikit-learn's side reads.
pub fn json(v: &ParamValue) -> String {
    match v {
        ParamValue::Int(i) => i.to_string(),
        ParamValue::Float(f) => format!("{f:?}"),
        ParamValue::Choice(c) => format!("\"{c}\""),
    }
}
