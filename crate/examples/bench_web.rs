//! The same benchmark in the browser (built for wasm32, run by
//! `tests/bench/run.mjs` in headless Chromium). Results go to
//! `window.benchResults` as JSON lines.

#[cfg(target_arch = "wasm32")]
#[path = "support/synthetic.rs"]
mod synthetic;

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        let window = web_sys::window().expect("a browser window");
        let performance = window.performance().expect("performance.now");
        let mut lines = Vec::new();
        for (rows, cols) in synthetic::SHAPES {
            let data = synthetic::classification(rows, cols, 7);
            let repeats = if rows > 50_000 { 3 } else { 7 };
            let (ms, acc) = synthetic::bench_tree(&data, repeats, || performance.now());
            lines.push(format!("{{\"runner\":\"chromium (wasm)\",\"shape\":\"{rows}x{cols}\",\"fit_ms\":{ms:.2},\"accuracy\":{acc:.4}}}"));
        }
        let _ = js_sys::Reflect::set(&window, &"benchResults".into(), &lines.join("\n").into());
    }
}
