//! The same benchmark in the browser (built for wasm32, run by
//! `tests/bench/run.mjs` in headless Chromium). Results go to
//! `window.benchResults` as JSON lines. `index.html?boundary` runs only the
//! boundary redraws (`?boundary=knn` only that model's), `index.html?staged` only the time to the first answer
//! (every staged run, 1M rows included).

#[cfg(target_arch = "wasm32")]
#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use synthetic::{bench_boundary, bench_boundary_of, bench_staged, STAGED_RUNS};
        let window = web_sys::window().expect("a browser window");
        let search = window.location().search().unwrap_or_default();
        let lines = match search.as_str() {
            "?boundary" => bench_boundary("chromium (wasm)", now),
            // `?boundary=knn`: one model's boundary only.
            s if s.starts_with("?boundary=") => bench_boundary_of("chromium (wasm)", &[&s["?boundary=".len()..]], now),
            "?staged" => bench_staged("chromium (wasm)", &STAGED_RUNS, now),
            // `?models=knn,kmeans` (from BENCH_MODELS, by tests/bench/run.mjs) times only those.
            _ => bench_all(web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("models"))),
        };
        let _ = js_sys::Reflect::set(&window, &"benchResults".into(), &lines.join("\n").into());
    }
}

/// The session's clock is a plain fn: it looks `performance` up each time.
#[cfg(target_arch = "wasm32")]
fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Every model's fit (only `models`' when named), then, for a whole run, the
/// boundary redraws and the staged runs at 100k rows.
#[cfg(target_arch = "wasm32")]
fn bench_all(models: Option<String>) -> Vec<String> {
    use micro_models::model::REGISTRY;
    use synthetic::{
        bench_boundary, bench_kmeans_start, bench_model, bench_staged, bench_variants, bundled_for, multiclass_for, repeats,
        result_line, rounds, selected, synthetic, synthetic_for, task_of, Timed, STAGED_RUNS,
    };
    let synthetic = synthetic();
    let mut lines = Vec::new();
    for spec in REGISTRY.iter().filter(|spec| selected(spec, models.as_deref())) {
        let bundled: Vec<_> = ["breast_cancer", "diabetes"].iter().map(|name| bundled_for(spec, name)).collect();
        let bundled: Vec<_> = bundled.into_iter().filter(|d| spec.tasks.contains(&task_of(&d.train))).collect();
        let inputs: Vec<_> =
            synthetic_for(spec, &synthetic).into_iter().chain(multiclass_for(spec)).chain(bundled).collect();
        for (variant, values) in bench_variants(spec) {
            for data in &inputs {
                for &timed in Timed::rows_for(spec) {
                    let (ms, score) = bench_model(spec, &values, data, timed, repeats(data), now);
                    let rounds = rounds(spec, &values, data);
                    lines.push(result_line("chromium (wasm)", &timed.label(&variant), data, ms, score, rounds));
                }
            }
        }
    }
    // k-means' rounds from the start the native run hands scikit-learn (the same bits).
    if let Some(spec) = REGISTRY.iter().find(|spec| spec.id == "kmeans" && selected(spec, models.as_deref())) {
        for data in synthetic_for(spec, &synthetic) {
            lines.push(bench_kmeans_start("chromium (wasm)", &data, now).0);
        }
    }
    if models.is_none_or(|m| m.trim().is_empty()) {
        lines.extend(bench_boundary("chromium (wasm)", now));
        // At 100k rows here, after every model's fit; `?staged` runs the 1M rows alone.
        let runs: Vec<(&str, usize)> = STAGED_RUNS.iter().copied().filter(|&(_, rows)| rows <= 100_000).collect();
        lines.extend(bench_staged("chromium (wasm)", &runs, now));
    }
    lines
}
