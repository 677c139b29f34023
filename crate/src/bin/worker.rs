//! The worker's module: parses, trains and explains off the main thread.
fn main() {
    #[cfg(target_arch = "wasm32")]
    micro_models::web::worker::start();
}
