//! The one place that talks web-sys verbosely. User text always goes in with
//! `set_text_content`, never as HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

pub type JsResult<T> = Result<T, JsValue>;

pub fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect_throw("the page has no document")
}

/// The element with `data-testid="{id}"`, cast to `T`.
pub fn by_test_id<T: JsCast>(id: &str) -> JsResult<T> {
    document()
        .query_selector(&format!("[data-testid=\"{id}\"]"))?
        .ok_or_else(|| JsValue::from_str(&format!("the page lacks [data-testid={id}]")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("[data-testid={id}] has an unexpected element type")))
}

/// The element with `id`, cast to `T`.
pub fn by_id<T: JsCast>(id: &str) -> JsResult<T> {
    document()
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("the page lacks #{id}")))?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(&format!("#{id} has an unexpected element type")))
}

/// A new element with optional text content.
pub fn create<T: JsCast>(tag: &str, text: Option<&str>) -> JsResult<T> {
    let el = document().create_element(tag)?;
    if let Some(text) = text {
        el.set_text_content(Some(text));
    }
    el.dyn_into::<T>().map_err(|_| JsValue::from_str(&format!("<{tag}> has an unexpected element type")))
}

/// Appends a new `<tag>` holding `text` to `parent`.
pub fn append_text(parent: &Element, tag: &str, text: &str) -> JsResult<Element> {
    let el: Element = create(tag, Some(text))?;
    parent.append_child(&el)?;
    Ok(el)
}

pub fn clear(el: &Element) {
    el.set_text_content(None);
}

pub fn set_text(el: &Element, text: &str) {
    el.set_text_content(Some(text));
}

/// Replaces a select's options with `(value, label)` pairs and selects `selected`.
pub fn fill_select(select: &HtmlSelectElement, options: &[(String, String)], selected: Option<&str>) -> JsResult<()> {
    clear(select);
    for (value, label) in options {
        let option: web_sys::HtmlOptionElement = create("option", Some(label))?;
        option.set_value(value);
        select.append_child(&option)?;
    }
    if let Some(value) = selected {
        select.set_value(value);
    }
    Ok(())
}

/// Calls `handler` on `event` for the life of the page.
pub fn on<E: JsCast + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    mut handler: impl FnMut(E) + 'static,
) -> JsResult<()> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Ok(e) = e.dyn_into::<E>() {
            handler(e);
        }
    });
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

pub fn input_value(el: &Element) -> Option<String> {
    el.dyn_ref::<HtmlInputElement>().map(|i| i.value()).or_else(|| el.dyn_ref::<HtmlSelectElement>().map(|s| s.value()))
}

/// Saves `text` as a download named `file`, of MIME type `kind`.
pub fn save_text(text: &str, kind: &str, file: &str) -> JsResult<()> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    save_blob(&web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?, file)
}

/// Saves `blob` as `file` through an object URL, let go once the download has it.
pub fn save_blob(blob: &web_sys::Blob, file: &str) -> JsResult<()> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlElement = create("a", None)?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", file)?;
    // Clicked while out of the page: a click inside it would bubble to the
    // document's listeners, one of which may be running this very download.
    link.click();
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()
        .ok_or("no window")?
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)?;
    Ok(())
}

/// Puts `text` on the clipboard; the promise settles when the browser has it
/// (or refuses, outside a user gesture or a secure page).
pub fn copy_text(text: &str) -> JsResult<js_sys::Promise> {
    Ok(web_sys::window().ok_or("no window")?.navigator().clipboard().write_text(text))
}
