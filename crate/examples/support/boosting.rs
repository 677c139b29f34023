//! The boosting rows of the benchmark: gradient boosting with a fixed number
//! of rounds at 100k and 1M rows, the settings `scripts/bench_boosting.py`
//! gives scikit-learn, LightGBM and XGBoost, and the time per round.

use micro_models::base::{accuracy, Target, Task};
use micro_models::model::{ParamValue, ParamValues};

use super::synthetic::{classification, json, BenchData};

/// The rows the boosting rows of the benchmark fit: synthetic 100k × 10 (as the
/// other rows) and 1M × 10 from the same generator, first 80 % trained on.
pub fn sizes() -> Vec<BenchData> {
    [100_000, 1_000_000]
        .into_iter()
        .map(|rows| {
            let size = if rows >= 1_000_000 { format!("{}M", rows / 1_000_000) } else { format!("{}k", rows / 1000) };
            BenchData::split(format!("synthetic {size}×10"), &classification(rows, 10, 7))
        })
        .collect()
}

/// The boosting settings LightGBM and XGBoost are matched to
/// (`scripts/bench_boosting.py` reads them from the JSON line): the defaults
/// with a fixed number of rounds, i.e. early stopping off.
pub fn fixed_rounds() -> ParamValues {
    [("early_stopping".to_string(), ParamValue::Choice("off".into()))].into()
}

/// Times gradient boosting for [`fixed_rounds`] on `data`: the whole
/// fit, the binning before the first round and the mean time per round (from
/// the progress reports, one per round). One JSON line.
pub fn bench(runner: &str, data: &BenchData, now_ms: impl Fn() -> f64) -> String {
    struct Rounds<'a, F: Fn() -> f64>(&'a F, Vec<f64>);
    impl<F: Fn() -> f64> micro_models::base::Progress for Rounds<'_, F> {
        fn report(&mut self, _: usize, _: usize, _: &str) {
            self.1.push((self.0)());
        }
    }
    let spec = micro_models::model::find("gradient_boosting").expect("boosting is registered");
    let params = fixed_rounds();
    let mut rounds = Rounds(&now_ms, Vec::new());
    let start = now_ms();
    let model = (spec.fit)(&params, &data.train.as_view(), 0, &mut rounds).expect("benchmark data fits");
    let fit_ms = now_ms() - start;
    let times = rounds.1;
    let first_round_ends = times.first().copied().unwrap_or(start);
    let per_round = (times.last().copied().unwrap_or(start) - start) / times.len().max(1) as f64;
    let predicted = model.predict(&data.test.x).expect("same features");
    let Target::Classes { y, .. } = &data.test.target else { unreachable!("classification data") };
    let score = accuracy(y, &predicted.labels().unwrap_or_default());
    let resolved = micro_models::model::params::resolve(&(spec.params)(Task::Classification), &params)
        .expect("the bench settings are valid");
    let settings: Vec<String> = resolved.iter().map(|(k, v)| format!("\"{k}\":{}", json(v))).collect();
    format!(
        "{{\"runner\":\"{runner}\",\"kind\":\"boosting\",\"model\":\"gradient_boosting\",\"data\":\"{}\",\"train_rows\":{},\"fit_ms\":{fit_ms:.2},\"first_round_ms\":{:.2},\"round_ms\":{per_round:.2},\"rounds\":{},\"score\":{score:.4},\"settings\":{{{}}}}}",
        data.name,
        data.train.x.n_rows(),
        first_round_ends - start,
        times.len(),
        settings.join(",")
    )
}
