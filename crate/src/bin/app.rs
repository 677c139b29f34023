//! The page's module: wires the DOM to the worker.
fn main() {
    #[cfg(target_arch = "wasm32")]
    micro_models::web::app::start();
}
