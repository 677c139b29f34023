//! Native benchmark of every registered model (default settings; k-means as
//! scikit-learn's `KMeans()`): fit time and test score on synthetic and bundled data. Writes each input as CSV (and the
//! settings used) so scikit-learn fits exactly the same rows.
//! Usage: `bench OUT_DIR` (prints JSON lines); `bench OUT_DIR staged` prints
//! only the time-to-first-answer runs (`STAGED_RUNS`; `bench OUT_DIR staged
//! MODEL` only that model's), `bench OUT_DIR boundary` only the boundary redraws (`bench OUT_DIR boundary
//! MODEL` only that model's).

#[path = "support/synthetic.rs"]
mod synthetic;

use std::io::Write;
use std::time::Instant;

use micro_models::model::{params::resolve, REGISTRY};
use synthetic::{
    bench_boundary, bench_boundary_of, bench_kmeans_start, bench_model, bench_staged, bench_variants, bundled_for, json,
    kmeans_seeds, multiclass_for, repeats, result_line, rounds, selected, synthetic, synthetic_for, task_of, unknown_models,
    write_csv, BenchData, Timed, BOUNDARY_MODELS, STAGED_RUNS,
};

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/bench".into()));
    std::fs::create_dir_all(&out)?;
    match std::env::args().nth(2).as_deref() {
        Some("staged") => {
            let model = std::env::args().nth(3);
            let runs: Vec<(&str, usize)> =
                STAGED_RUNS.iter().copied().filter(|(id, _)| model.as_deref().is_none_or(|m| m == *id)).collect();
            for line in bench_staged("native", &runs, micro_models::session::native_clock) {
                println!("{line}");
            }
            return Ok(());
        }
        Some("boundary") => {
            let only = std::env::args().nth(3);
            let ids: Vec<&str> =
                BOUNDARY_MODELS.iter().copied().filter(|id| only.as_deref().is_none_or(|m| m == *id)).collect();
            for line in bench_boundary_of("native", &ids, micro_models::session::native_clock) {
                println!("{line}");
            }
            return Ok(());
        }
        _ => {}
    }
    let models = std::env::var("BENCH_MODELS").ok();
    let unknown = unknown_models(models.as_deref());
    if !unknown.is_empty() {
        let ids: Vec<&str> = REGISTRY.iter().map(|spec| spec.id).collect();
        eprintln!("BENCH_MODELS names no model: {}. The ids are: {}.", unknown.join(", "), ids.join(", "));
        std::process::exit(2);
    }
    let origin = Instant::now();
    let synthetic = synthetic();
    for data in &synthetic {
        write_split(&out, &data.name, data)?;
    }
    let mut settings = std::fs::File::create(out.join("settings.jsonl"))?;
    for spec in REGISTRY.iter().filter(|spec| selected(spec, models.as_deref())) {
        let mut inputs: Vec<BenchData> = multiclass_for(spec);
        for data in &inputs {
            write_split(&out, &data.name, data)?;
        }
        for name in ["breast_cancer", "diabetes"] {
            let data = bundled_for(spec, name);
            if spec.tasks.contains(&task_of(&data.train)) {
                write_split(&out, &format!("{}-{name}", spec.id), &data)?;
                inputs.push(data);
            }
        }
        for (variant, values) in bench_variants(spec) {
            for task in spec.tasks {
                let params = resolve(&(spec.params)(*task), &values).expect("the bench settings are valid");
                let params: Vec<String> = params.iter().map(|(k, v)| format!("\"{k}\":{}", json(v))).collect();
                writeln!(settings, "{{\"model\":\"{variant}\",\"task\":\"{task:?}\",\"params\":{{{}}}}}", params.join(","))?;
            }
            for data in synthetic_for(spec, &synthetic).iter().chain(&inputs) {
                for &timed in Timed::rows_for(spec) {
                    let now = || origin.elapsed().as_secs_f64() * 1e3;
                    let (ms, score) = bench_model(spec, &values, data, timed, repeats(data), now);
                    let rounds = rounds(spec, &values, data);
                    println!("{}", result_line("native", &timed.label(&variant), data, ms, score, rounds));
                }
            }
        }
    }
    // k-means from one start on every side: ours, and its start for scikit-learn.
    if let Some(spec) = REGISTRY.iter().find(|spec| spec.id == "kmeans" && selected(spec, models.as_deref())) {
        for data in synthetic_for(spec, &synthetic) {
            let (line, start) = bench_kmeans_start("native", &data, || origin.elapsed().as_secs_f64() * 1e3);
            println!("{line}");
            std::fs::write(out.join(format!("kmeans_start_{}.json", file_name(&data.name))), format!("{start:?}"))?;
            println!("{}", kmeans_seeds(&data));
        }
    }
    if models.is_some_and(|m| !m.trim().is_empty()) {
        return Ok(());
    }
    for line in bench_boundary("native", micro_models::session::native_clock) {
        println!("{line}");
    }
    for line in bench_staged("native", &STAGED_RUNS, micro_models::session::native_clock) {
        println!("{line}");
    }
    Ok(())
}

/// An input's name as the files written for it spell it.
fn file_name(name: &str) -> String {
    name.replace(['×', ' '], "_")
}

fn write_split(out: &std::path::Path, name: &str, data: &BenchData) -> std::io::Result<()> {
    let file = file_name(name);
    write_csv(&out.join(format!("{file}_train.csv")), &data.train)?;
    write_csv(&out.join(format!("{file}_test.csv")), &data.test)
}
