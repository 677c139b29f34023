//! The page's layer. It translates and nothing more: DOM events become
//! `session::Request`s, `session::Response`s become pixels and text. What
//! needs no browser (the link to the worker, the page's sentences, reading
//! what a person typed) compiles everywhere and is tested natively; the DOM,
//! the canvases and the worker's message loop are wasm only.

pub mod alt;
pub mod compare_table;
pub mod cursor;
pub mod embed;
pub mod export;
pub mod history;
pub mod input;
pub mod json;
pub mod link;
pub mod pipeline;
pub mod pool;
pub mod robust_tables;
pub mod search_table;
pub mod staged;
pub mod state;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod canvas;
#[cfg(target_arch = "wasm32")]
mod clustering;
#[cfg(target_arch = "wasm32")]
mod columns;
#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
mod evaluation;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub use js::{read_posted, read_reply, reply_message, request_message, Outgoing};
