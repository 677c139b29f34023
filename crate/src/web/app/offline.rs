//! Opening fast, and again offline: the page marks the moment a person can
//! first train (`performance.mark`, read by the e2e tests and
//! `scripts/bench`) and only then registers the service worker
//! (`www/sw.js`, written into dist/ by `scripts/build`), so caching the
//! built files for the next visit never competes with this one's start.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The `performance` mark of the first moment the Train button is enabled.
pub const READY_MARK: &str = "mm-ready";

/// Called whenever Train is enabled; acts the first time only (later ones
/// are the person's work, not the page opening).
pub fn ready_to_train() {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else { return };
    if performance.get_entries_by_name(READY_MARK).length() > 0 {
        return;
    }
    let _ = performance.mark(READY_MARK);
    register_service_worker();
}

/// Registers the service worker. A browser without service workers, or a
/// sandboxed iframe whose opaque origin may not use them (reading
/// `navigator.serviceWorker` throws there), runs online as before; a refused
/// registration is a warning in the console, not an error on the page.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let Ok(container) = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("serviceWorker")) else { return };
    let Ok(container) = container.dyn_into::<web_sys::ServiceWorkerContainer>() else { return };
    let refused = Closure::<dyn FnMut(JsValue)>::new(|e: JsValue| {
        web_sys::console::warn_2(&JsValue::from_str("Micro Models will not work offline:"), &e);
    });
    let _ = container.register("sw.js").catch(&refused);
    refused.forget();
}
