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
