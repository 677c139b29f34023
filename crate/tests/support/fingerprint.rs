//! A short digest of a value's full debug text (every threshold, count and
//! boundary pixel), to check that native and wasm builds compute bit-identical
//! results without committing the whole result.

/// FNV-1a over the `Debug` text, as 16 hex digits.
pub fn fingerprint(value: &impl std::fmt::Debug) -> String {
    let text = format!("{value:?}");
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// What a model computed, without the words around it: metrics, its views,
/// the importance scores and the boundary's pixels.
pub fn model_outputs(report: &micro_models::session::TrainReport) -> impl std::fmt::Debug + '_ {
    let scores = report.importance.as_ref().map(|i| i.items.iter().map(|(_, v)| *v).collect::<Vec<_>>());
    (&report.metrics, &report.views, scores, report.boundary.as_ref().map(|b| &b.rgba))
}

/// The models whose hand-written kernels the wasm build runs as SIMD
/// (`base::dist2` for kNN and k-means' seeding, k-means' `Centers`, `base::dot`
/// in the network, the logistic solver's sums), each as a request on
/// breast_cancer (30 inputs, so every lane and tail is used) with its default
/// settings: the native session test pins their fingerprints
/// (`fixtures/kernel_reports.txt`) and the wasm test checks the browser build
/// against them.
pub fn kernel_requests(summary: &micro_models::session::DataSummary) -> Vec<micro_models::session::TrainRequest> {
    use micro_models::base::Task;
    use micro_models::model::{ParamValue, ParamValues};
    use micro_models::session::{ColumnUse, TrainRequest};
    let base = TrainRequest {
        target: summary.columns[summary.default_target].name.clone(),
        task: Task::Classification,
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: String::new(),
        params: ParamValues::new(),
        seed: 42,
        pipeline: None,
        test_share: micro_models::session::TEST_FRACTION,
    };
    let mut requests: Vec<TrainRequest> = ["logistic_regression", "mlp", "knn"]
        .into_iter()
        .map(|model| TrainRequest { model: model.into(), ..base.clone() })
        .collect();
    requests.push(TrainRequest {
        model: "kmeans".into(),
        task: Task::Clustering,
        params: ParamValues::from([("k".to_string(), ParamValue::Int(4))]),
        ..base
    });
    requests
}

/// One line per request: the model's id and the fingerprint of what it computed.
pub fn kernel_lines(reports: &[(&str, &micro_models::session::TrainReport)]) -> String {
    reports.iter().map(|(model, report)| format!("{model} {}\n", fingerprint(&model_outputs(report)))).collect()
}
