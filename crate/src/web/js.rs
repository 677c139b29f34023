//! Crossing into JavaScript: values over the worker boundary, and a panic's
//! text for the person and the console.

use wasm_bindgen::JsValue;

/// How a value crosses the worker boundary: maps as plain objects, bytes as
/// `Uint8Array`s (serde-wasm-bindgen's default for `serde_bytes`).
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)).map_err(JsValue::from)
}

pub fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(JsValue::from)
}

/// Text of a panic, for the person and the console.
pub(super) fn panic_text(info: &std::panic::PanicHookInfo) -> String {
    let payload = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_default();
    match info.location() {
        Some(loc) => format!("{payload} at {}:{}", loc.file(), loc.line()),
        None => payload,
    }
}
