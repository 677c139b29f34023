//! The worker's message loop: one `Session`, requests in, responses out
//! (progress and a search's trials while a request runs, then its answer),
//! each posted with the id of the request that caused it.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::js::{panic_text, read_posted, reply_message};
use crate::base::Progress;
use crate::data::{ByteSource, DataError, TextEncoding};
use crate::session::wire::{Posted, PostedBody};
use crate::session::{RequestId, Response, Session, SessionError};

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new(now));
    /// The request being answered, whose id every post carries (the panic
    /// hook's too).
    static ANSWERING: Cell<Option<RequestId>> = const { Cell::new(None) };
}

/// `performance.now()` of the worker, in milliseconds.
fn now() -> f64 {
    scope().performance().map_or_else(js_sys::Date::now, |p| p.now())
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts `response` as postcard bytes, with the id of the request it answers.
fn post(response: &Response) {
    let id = ANSWERING.with(Cell::get);
    let message = reply_message(id, response).or_else(|e| {
        // Only a bug makes an answer the format cannot carry: say so in its place.
        let text = format!("the answer could not be written: {e}");
        reply_message(id, &Response::Failed(SessionError::Internal(text)))
    });
    if let Ok(out) = message {
        let _ = scope().post_message_with_transfer(&out.message, &out.transfer);
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

/// A dropped file as the worker reads it: slices of the `File` (posting a
/// `File` copies no bytes), one chunk at a time, so the file is never whole
/// in memory, neither in JavaScript's nor in WebAssembly's.
struct FileSource {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
}

/// Bytes read from a `File` at a time: few calls across to JavaScript, and
/// little memory.
const FILE_CHUNK: usize = 4 << 20;

impl ByteSource for FileSource {
    fn size(&self) -> u64 {
        self.file.size() as u64
    }

    fn read_at(&mut self, offset: u64, into: &mut [u8]) -> Result<usize, DataError> {
        let unreadable = |e: JsValue| DataError::Unreadable { detail: format!("{e:?}") };
        let end = (offset + into.len() as u64).min(self.size());
        let slice = self.file.slice_with_f64_and_f64(offset as f64, end as f64).map_err(unreadable)?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(unreadable)?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        let n = (bytes.length() as usize).min(into.len());
        bytes.subarray(0, n as u32).copy_to(&mut into[..n]);
        Ok(n)
    }

    fn chunk(&self) -> usize {
        FILE_CHUNK
    }
}

/// Loads a dropped file, read from the `File` chunk by chunk (a file too big
/// to hold is refused by its size before any of it is read).
fn load_file(session: &mut Session, file: web_sys::File, encoding: Option<TextEncoding>) -> Response {
    let name = file.name();
    let mut source = match web_sys::FileReaderSync::new() {
        Ok(reader) => FileSource { file, reader },
        Err(e) => return Response::Failed(SessionError::Internal(format!("no FileReaderSync: {e:?}"))),
    };
    session
        .load_source(&name, &mut source, encoding, &mut PostProgress { last_percent: None })
        .unwrap_or_else(Response::Failed)
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
        let (id, body) = match read_posted(&event.data()) {
            Ok((Posted { id, body }, file)) => (Some(id), Ok((body, file))),
            Err(e) => (None, Err(e)),
        };
        ANSWERING.with(|a| a.set(id));
        let response = match body {
            Ok((PostedBody::Request(request), _)) => SESSION.with(|s| {
                // A search's trials go to the page as each ends, between the progress messages.
                s.borrow_mut().handle_streaming(request, &mut PostProgress { last_percent: None }, &mut |r| post(&r))
            }),
            Ok((PostedBody::File { encoding }, Some(file))) => {
                SESSION.with(|s| load_file(&mut s.borrow_mut(), file, encoding))
            }
            Ok((PostedBody::File { .. }, None)) => {
                Response::Failed(SessionError::Internal("a file's load came without its file".into()))
            }
            Err(e) => Response::Failed(SessionError::Internal(format!("unreadable request: {e}"))),
        };
        post(&response);
        ANSWERING.with(|a| a.set(None));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Ready);
}
