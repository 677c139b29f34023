//! Gradient boosting at scale: fit time, time per round and test score on
//! synthetic 100k × 10 and 1M × 10 with a fixed 100 rounds. Natively it also
//! writes the rows as CSV, so that `scripts/bench_boosting.py` fits
//! scikit-learn, LightGBM and XGBoost on the very same rows; built for wasm32
//! it is run by `tests/bench/run.mjs` (page `boosting.html`) in headless
//! Chromium, results in `window.benchResults`.
//! Usage: `bench_boosting OUT_DIR` (prints JSON lines).

#[path = "support/boosting.rs"]
mod boosting;
#[path = "support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/bench".into()));
    std::fs::create_dir_all(&out)?;
    let origin = std::time::Instant::now();
    for data in boosting::sizes() {
        let file = data.name.replace(['×', ' '], "_");
        synthetic::write_csv(&out.join(format!("{file}_train.csv")), &data.train)?;
        synthetic::write_csv(&out.join(format!("{file}_test.csv")), &data.test)?;
        println!("{}", boosting::bench("native", &data, || origin.elapsed().as_secs_f64() * 1e3));
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn main() {
    let window = web_sys::window().expect("a browser window");
    let performance = window.performance().expect("performance.now");
    let lines: Vec<String> =
        boosting::sizes().iter().map(|data| boosting::bench("chromium (wasm)", data, || performance.now())).collect();
    let _ = js_sys::Reflect::set(&window, &"benchResults".into(), &lines.join("\n").into());
}
