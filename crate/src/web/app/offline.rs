//! Opening fast, and again offline: the worker's module, the larger
//! download, is started by `index.html` before this module has loaded and
//! taken over here ([`early_worker`]); the page marks the moment a person
//! can first train (`performance.mark`, read by the e2e tests and
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

/// The global `index.html` leaves its early worker under.
const EARLY_WORKER: &str = "mmEarlyWorker";

/// The worker `index.html` started while the page's own module was still
/// downloading and compiling (`{ worker, held, hold }`), taken once: its
/// holding listener is removed, and the events it held (the worker's `Ready`,
/// or its failure to start) come back in order, for the caller to handle
/// as its own listeners would. `None` when there is none (a respawn after a
/// crash, a page without the script), and the caller starts a worker.
pub fn early_worker() -> Option<(web_sys::Worker, js_sys::Array)> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(EARLY_WORKER);
    let early = js_sys::Reflect::get(&window, &key).ok().filter(JsValue::is_object)?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let field = |name: &str| js_sys::Reflect::get(&early, &JsValue::from_str(name)).ok();
    let worker: web_sys::Worker = field("worker")?.dyn_into().ok()?;
    let held: js_sys::Array = field("held")?.dyn_into().ok()?;
    let hold: js_sys::Function = field("hold")?.dyn_into().ok()?;
    for event in ["message", "error"] {
        let _ = worker.remove_event_listener_with_callback(event, &hold);
    }
    Some((worker, held))
}
