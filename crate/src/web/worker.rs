//! The worker's message loop: one `Session`, requests in, responses out
//! (progress and a search's trials while a request runs, then its answer).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::js::{from_js, panic_text, to_js};
use crate::base::Progress;
use crate::data::TextEncoding;
use crate::session::{Request, Response, Session, SessionError};

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new(now));
}

/// `performance.now()` of the worker, in milliseconds.
fn now() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |p| p.now())
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    if let Ok(value) = to_js(response) {
        let _ = scope().post_message(&value);
    }
}

/// Posts progress at most once per percent, so messages never outpace the work.
struct PostProgress {
    last_percent: Option<u64>,
}

impl Progress for PostProgress {
    fn report(&mut self, done: usize, total: usize, what: &str) {
        let percent = (done as u64 * 100).checked_div(total as u64).unwrap_or(100);
        if self.last_percent != Some(percent) {
            self.last_percent = Some(percent);
            post(&Response::Progress { done: done as u64, total: total as u64, what: what.to_string() });
        }
    }
}

/// The page posts a dropped file as its `File` handle, or as `[file,
/// encoding label]` to read it in an encoding the person chose; it is read
/// here, off the page's thread (unless it is too big to hold: refused before
/// reading). Everything else is a serialized [`Request`].
fn request_of(data: JsValue) -> Result<Result<Request, SessionError>, JsValue> {
    let (data, encoding) = match data.dyn_ref::<js_sys::Array>() {
        Some(pair) => (pair.get(0), pair.get(1).as_string().as_deref().and_then(TextEncoding::from_label)),
        None => (data, None),
    };
    match data.dyn_into::<web_sys::File>() {
        Ok(file) => {
            if let Err(e) = crate::data::check_file_size(file.size() as u64) {
                return Ok(Err(e.into()));
            }
            let buffer = web_sys::FileReaderSync::new()?.read_as_array_buffer(&file)?;
            Ok(Ok(Request::Load { name: file.name(), bytes: js_sys::Uint8Array::new(&buffer).to_vec(), encoding }))
        }
        Err(data) => from_js::<Request>(data).map(Ok),
    }
}

pub fn start() {
    // A panic kills the module: tell the page first, so it can say so and
    // start a fresh worker instead of waiting forever.
    std::panic::set_hook(Box::new(|info| {
        let text = panic_text(info);
        web_sys::console::error_1(&JsValue::from_str(&text));
        post(&Response::Failed(SessionError::Internal(text)));
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let response = match request_of(event.data()) {
            Ok(Ok(request)) => SESSION.with(|s| {
                // A search's trials go to the page as each ends, between the progress messages.
                s.borrow_mut().handle_streaming(request, &mut PostProgress { last_percent: None }, &mut |r| post(&r))
            }),
            Ok(Err(refused)) => Response::Failed(refused),
            Err(e) => Response::Failed(SessionError::Internal(format!("unreadable request: {e:?}"))),
        };
        post(&response);
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Ready);
}
