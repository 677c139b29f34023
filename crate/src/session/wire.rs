//! The worker protocol as bytes. Every message between the page and a worker
//! is postcard: the page posts a [`Posted`] (a request's id and the request),
//! the worker posts a [`Reply`]. A binary format read by position carries no
//! field names, and its readers have no map or name matching to compile: the
//! page's module reads every [`Response`] through these few generic paths.
//! A dropped file is no bytes here: its `File` handle goes beside them
//! ([`PostedBody::File`]), and the worker reads it in slices.
//!
//! Every type on the wire must be readable by position: no internally
//! tagged, untagged or flattened enum, no `skip_serializing_if` (a
//! human-readable form can differ, as [`crate::prep::StepSpec`]'s does).
//! `wire::tests` sends a request of every kind through a session and each
//! answer back.

use serde::{Deserialize, Serialize};

use super::{Reply, Request, RequestId, Response};
use crate::data::TextEncoding;

/// What the page posts to a worker: the request's id (every reply it
/// causes carries it) and what it asks. The page writes a `Posted<&Request>`,
/// which has the same bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Posted<R = Request> {
    pub id: RequestId,
    pub body: PostedBody<R>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PostedBody<R = Request> {
    Request(R),
    /// Load the file posted beside these bytes, in `encoding` if the person
    /// chose one (else the one its bytes show).
    File {
        encoding: Option<TextEncoding>,
    },
}

/// Why bytes are no message: a bug (a type the format cannot carry) or a
/// message from another build of the other side.
pub type WireError = postcard::Error;

/// The bytes the page posts for `request`.
pub fn request_bytes(id: RequestId, request: &Request) -> Result<Vec<u8>, WireError> {
    postcard::to_allocvec(&Posted { id, body: PostedBody::Request(request) })
}

/// The bytes the page posts beside a dropped file's handle.
pub fn file_bytes(id: RequestId, encoding: Option<TextEncoding>) -> Result<Vec<u8>, WireError> {
    postcard::to_allocvec(&Posted::<&Request> { id, body: PostedBody::File { encoding } })
}

/// What the page posted, read by the worker.
pub fn read_posted(bytes: &[u8]) -> Result<Posted, WireError> {
    postcard::from_bytes(bytes)
}

/// The bytes the worker posts for `response` to request `id`.
pub fn reply_bytes(id: Option<RequestId>, response: &Response) -> Result<Vec<u8>, WireError> {
    postcard::to_allocvec(&Reply { id, response })
}

/// What the worker posted, read by the page.
pub fn read_reply(bytes: &[u8]) -> Result<Reply, WireError> {
    postcard::from_bytes(bytes)
}

#[cfg(test)]
mod tests;
