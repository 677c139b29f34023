//! Micro Models: small, interpretable models trained and explained in the browser.
//!
//! The flow is `data` (parse, infer a schema) → `prep` (turn columns into model
//! features) → `model` (fit, predict) → `eval` (split, metrics) → `explain`
//! (plain-data views) → `render` (draw a view on any plotters backend). All of it
//! is plain Rust, tested natively; `session` is the worker protocol and `web` the
//! thin page layer that translates DOM events and messages (its DOM parts are
//! wasm only).

// Lets test helpers shared with the integration tests (`crate/tests/support/`)
// name this crate the same way from inside it.
#[cfg(test)]
extern crate self as micro_models;

pub mod base;
pub mod data;
pub mod eval;
pub mod explain;
pub mod model;
pub mod prep;
pub mod render;
pub mod session;

pub mod web;
