//! Crossing into JavaScript: the worker protocol's messages as
//! `postMessage` values, a host page's values, and a panic's text for the
//! person and the console.
//!
//! Between page and worker every message is postcard bytes
//! (`session::wire`) in a `Uint8Array` whose buffer is transferred, not
//! copied; a dropped file's load posts `[bytes, file]`, the `File` handle
//! beside its bytes.

use wasm_bindgen::{JsCast, JsValue};

use crate::data::TextEncoding;
use crate::session::wire::{self, Posted};
use crate::session::{Reply, Request, RequestId, Response};

/// A message ready for `postMessage(message, transfer)`.
pub struct Outgoing {
    pub message: JsValue,
    /// The buffers handed over with it (the sender can no longer read them).
    pub transfer: js_sys::Array,
}

/// Bytes out of wasm memory into a buffer of their own, to be transferred.
/// The error is a bug's: a type on the wire the format cannot carry.
fn outgoing(bytes: Result<Vec<u8>, wire::WireError>) -> Result<(js_sys::Uint8Array, js_sys::Array), String> {
    let bytes = bytes.map_err(|e| e.to_string())?;
    let array = js_sys::Uint8Array::from(&bytes[..]);
    let transfer = js_sys::Array::of1(&array.buffer());
    Ok((array, transfer))
}

/// The page's message for request `id`.
pub fn request_message(id: RequestId, request: &Request) -> Result<Outgoing, String> {
    let (bytes, transfer) = outgoing(wire::request_bytes(id, request))?;
    Ok(Outgoing { message: bytes.into(), transfer })
}

/// The page's message to load `file` as request `id`.
pub fn file_message(id: RequestId, file: &web_sys::File, encoding: Option<TextEncoding>) -> Result<Outgoing, String> {
    let (bytes, transfer) = outgoing(wire::file_bytes(id, encoding))?;
    Ok(Outgoing { message: js_sys::Array::of2(&bytes, file).into(), transfer })
}

/// The worker's message answering request `id` (`None`: no request's).
pub fn reply_message(id: Option<RequestId>, response: &Response) -> Result<Outgoing, String> {
    let (bytes, transfer) = outgoing(wire::reply_bytes(id, response))?;
    Ok(Outgoing { message: bytes.into(), transfer })
}

fn bytes_of(value: &JsValue) -> Result<Vec<u8>, String> {
    match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => Ok(bytes.to_vec()),
        None => Err("a message that is not the protocol's bytes".into()),
    }
}

/// What the page posted, and the `File` beside it when there is one.
pub fn read_posted(data: &JsValue) -> Result<(Posted, Option<web_sys::File>), String> {
    let (bytes, file) = match data.dyn_ref::<js_sys::Array>() {
        Some(pair) => (pair.get(0), pair.get(1).dyn_into::<web_sys::File>().ok()),
        None => (data.clone(), None),
    };
    let posted = wire::read_posted(&bytes_of(&bytes)?).map_err(|e| e.to_string())?;
    Ok((posted, file))
}

/// What a worker posted.
pub fn read_reply(data: &JsValue) -> Result<Reply, String> {
    wire::read_reply(&bytes_of(data)?).map_err(|e| e.to_string())
}

/// A value as a plain JavaScript object (maps as objects, bytes as
/// `Uint8Array`s), for a host page's `postMessage` API (`app/host.rs`).
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)).map_err(JsValue::from)
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
