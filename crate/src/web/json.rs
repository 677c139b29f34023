//! JSON text of plain data, for the one JSON the page writes itself: a
//! link's pipeline (`web::state`). In the page it is the browser's own
//! `JSON.stringify`/`JSON.parse` over serde-wasm-bindgen, which the page
//! links anyway for the worker's messages: serde_json there would be a
//! second copy of every deserializer it reaches, and cost the page's module
//! about 20 KB gzipped (README, "Offline and fast to open"). Natively (tests,
//! tools) it is serde_json. Both write the same JSON up to how a number is
//! spelled (`1` or `1.0`), and each reads the other's; the link tests read
//! and write it natively, `tests/e2e/opening.test.mjs` in the page.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value as compact JSON text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let js = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| e.to_string())?;
        js_sys::JSON::stringify(&js).map(String::from).map_err(|e| format!("{e:?}"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::to_string(value).map_err(|e| e.to_string())
    }
}

/// The value JSON text holds; the error says what is wrong with the text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let js = js_sys::JSON::parse(text).map_err(|e| match e.dyn_ref::<js_sys::Error>() {
            Some(error) => String::from(error.message()),
            None => "not JSON".to_string(),
        })?;
        serde_wasm_bindgen::from_value(js).map_err(|e| e.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}
