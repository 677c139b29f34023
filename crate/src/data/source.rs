//! A file's bytes as they come, chunk by chunk (from memory natively, from
//! the `File` itself in the page's worker), decoded into text on the way:
//! the reader never holds the whole file, so peak memory is the table plus a
//! chunk, and a file can be larger than the text it would take to hold it.

use std::io;

use super::decoder::Decoder;
use super::encoding::{Samples, TextEncoding, UTF8_BOM};
use super::DataError;
use crate::base::Fnv1a;

/// Bytes read from a source at a time, unless it says otherwise.
const CHUNK: usize = 1 << 20;

/// Where a file's bytes are read from, front to back, possibly more than
/// once (a column of numbers that turns to text further down is read again).
pub trait ByteSource {
    /// The file's size in bytes.
    fn size(&self) -> u64;
    /// Fills `into` with the bytes from `offset` on; fewer only at the end.
    fn read_at(&mut self, offset: u64, into: &mut [u8]) -> Result<usize, DataError>;
    /// How many bytes to read at a time: larger means fewer reads, smaller
    /// less memory.
    fn chunk(&self) -> usize {
        CHUNK
    }
}

impl ByteSource for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_at(&mut self, offset: u64, into: &mut [u8]) -> Result<usize, DataError> {
        let rest = usize::try_from(offset).ok().and_then(|at| self.get(at..)).unwrap_or_default();
        let n = rest.len().min(into.len());
        into[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }
}

/// Reads `range` of a source whole: for the first bytes, and for the line of
/// an error (then the read is over, so its memory is free).
pub(super) fn read_range(source: &mut dyn ByteSource, from: u64, to: u64) -> Result<Vec<u8>, DataError> {
    let to = to.min(source.size());
    let mut bytes = vec![0; usize::try_from(to.saturating_sub(from)).unwrap_or(usize::MAX)];
    let mut filled = 0;
    while filled < bytes.len() {
        match source.read_at(from + filled as u64, &mut bytes[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// The text of a source in one encoding, as [`io::Read`] for the CSV parser:
/// UTF-8 is checked and passed through as read (without its BOM), the
/// others decoded by [`Decoder`]. On the way it hashes the raw bytes,
/// collects the accented words ([`Samples`]) and refuses what
/// [`decode`](super::encoding::decode) refuses, with the same errors: a
/// refusal is kept in [`Stream::failure`] and the parser sees an I/O error.
pub(super) struct Stream<'s> {
    source: &'s mut dyn ByteSource,
    encoding: TextEncoding,
    /// None for UTF-8, read without decoding.
    decoder: Option<Decoder>,
    raw: Vec<u8>,
    /// UTF-8: bytes after the text served, the start of a character cut by
    /// the chunk's end, carried to the front of the next chunk.
    carry: usize,
    /// The next byte of the source to read.
    offset: u64,
    /// Decoded text (not UTF-8).
    text: String,
    /// The text ready to serve: `raw[start..end]` for UTF-8, else `text[start..end]`.
    start: usize,
    end: usize,
    finished: bool,
    /// Bytes of text still to drop from the start (Excel's `sep=` line).
    pub(super) skip: usize,
    pub(super) hash: Fnv1a,
    pub(super) samples: Samples,
    pub(super) failure: Option<DataError>,
}

impl<'s> Stream<'s> {
    pub(super) fn new(source: &'s mut dyn ByteSource, encoding: TextEncoding, first: &[u8]) -> Self {
        Stream {
            source,
            encoding,
            decoder: Decoder::new(encoding, first),
            raw: Vec::new(),
            carry: 0,
            offset: 0,
            text: String::new(),
            start: 0,
            end: 0,
            finished: false,
            skip: 0,
            hash: Fnv1a::default(),
            samples: Samples::default(),
            failure: None,
        }
    }

    /// Bytes of the source read so far, and its size: how far the read is.
    pub(super) fn progress(&self) -> (u64, u64) {
        (self.offset, self.source.size())
    }

    pub(super) fn source(&mut self) -> &mut dyn ByteSource {
        self.source
    }

    /// Reads what is left, only to check it: a refusal of the text further
    /// on comes before any refusal of its rows, as when the whole file was
    /// decoded first.
    pub(super) fn drain(&mut self) -> Option<DataError> {
        match io::copy(self, &mut io::sink()) {
            Ok(_) => None,
            Err(_) => self.failure.take(),
        }
    }

    /// The text up to the end of line `lines` that holds more than white
    /// space, or all of it: what the sniffer and Excel's hint look at.
    /// The stream has read that much of the text then.
    pub(super) fn head(&mut self, lines: usize) -> Result<String, DataError> {
        let mut head = String::new();
        let mut newlines = 0;
        while newlines < lines || head.trim().is_empty() {
            if !self.ready()? {
                break;
            }
            let ready = self.ready_text();
            let piece = std::str::from_utf8(ready).map_err(|_| DataError::NotText)?;
            newlines += piece.bytes().filter(|&b| b == b'\n').count();
            head.push_str(piece);
            self.start = self.end;
        }
        Ok(head)
    }

    fn ready_text(&self) -> &[u8] {
        match self.decoder {
            None => &self.raw[self.start..self.end],
            Some(_) => &self.text.as_bytes()[self.start..self.end],
        }
    }

    /// Whether there is text to serve, refilling when there is none.
    fn ready(&mut self) -> Result<bool, DataError> {
        while self.start == self.end {
            if self.finished {
                return Ok(false);
            }
            match self.decoder.is_some() {
                false => self.refill_utf8()?,
                true => self.refill_decoded()?,
            }
            let dropped = self.skip.min(self.end - self.start);
            self.start += dropped;
            self.skip -= dropped;
        }
        Ok(true)
    }

    /// Reads the next chunk into `raw[at..]`, hashing it; its length.
    fn read_chunk(&mut self, at: usize) -> Result<usize, DataError> {
        let chunk = self.source.chunk().max(4);
        self.raw.resize(at + chunk, 0);
        let mut got = 0;
        while got < chunk {
            match self.source.read_at(self.offset + got as u64, &mut self.raw[at + got..at + chunk])? {
                0 => break,
                n => got += n,
            }
        }
        self.hash.update(&self.raw[at..at + got]);
        self.offset += got as u64;
        Ok(got)
    }

    fn refill_utf8(&mut self) -> Result<(), DataError> {
        let carry = self.carry;
        self.raw.copy_within(self.end..self.end + carry, 0);
        let got = self.read_chunk(carry)?;
        let n = carry + got;
        let at_end = got < self.source.chunk().max(4);
        let chunk_offset = self.offset - n as u64;
        let from = if chunk_offset == 0 && self.raw[..n].starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
        if self.raw[from..n].contains(&0) {
            return Err(DataError::NotText);
        }
        let valid = match std::str::from_utf8(&self.raw[from..n]) {
            Ok(text) => {
                self.samples.feed(text);
                n
            }
            Err(error) if error.error_len().is_none() && !at_end => {
                let valid = from + error.valid_up_to();
                if let Ok(text) = std::str::from_utf8(&self.raw[from..valid]) {
                    self.samples.feed(text);
                }
                valid
            }
            Err(error) => return Err(self.not_utf8(chunk_offset + (from + error.valid_up_to()) as u64)),
        };
        (self.start, self.end, self.carry) = (from, valid, n - valid);
        self.finished = at_end && self.carry == 0;
        Ok(())
    }

    /// The refusal of a file that is not UTF-8 at byte `bad` of the file:
    /// a NUL byte anywhere says it is no text at all, else the line of `bad`.
    fn not_utf8(&mut self, bad: u64) -> DataError {
        let size = self.source.size();
        let mut at = self.offset;
        let mut chunk = vec![0; self.source.chunk().max(4)];
        while at < size {
            match self.source.read_at(at, &mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) if chunk[..n].contains(&0) => return DataError::NotText,
                Ok(n) => at += n as u64,
            }
        }
        let skipped = match read_range(self.source, 0, 3) {
            Ok(first) if first == UTF8_BOM => 3,
            _ => 0,
        };
        let line = read_range(self.source, skipped, bad).map_or(1, |body| super::csv_reader::line_at(&body, body.len()));
        DataError::NotUtf8 { line, byte_offset: usize::try_from(bad).unwrap_or(usize::MAX) }
    }

    fn refill_decoded(&mut self) -> Result<(), DataError> {
        let got = self.read_chunk(0)?;
        let at_end = got < self.source.chunk().max(4);
        let utf16 = self.encoding == TextEncoding::Utf16;
        let mut input = &self.raw[..got];
        if utf16 && self.offset == got as u64 && matches!(input, [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..]) {
            input = &input[2..];
        }
        if !utf16 && input.contains(&0) {
            return Err(DataError::NotText);
        }
        self.text.clear();
        let Some(decoder) = self.decoder.as_mut() else { return Ok(()) };
        let malformed = decoder.decode(input, &mut self.text, at_end);
        if utf16 && (malformed || self.text.contains('\0')) {
            return Err(DataError::Utf16);
        }
        self.samples.feed(&self.text);
        (self.start, self.end) = (0, self.text.len());
        self.finished = at_end;
        Ok(())
    }
}

impl io::Read for Stream<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.ready() {
            Ok(true) => {}
            Ok(false) => return Ok(0),
            Err(refused) => {
                self.failure = Some(refused);
                return Err(io::Error::other("the file's text was refused"));
            }
        }
        let ready = self.ready_text();
        let n = ready.len().min(out.len());
        out[..n].copy_from_slice(&ready[..n]);
        self.start += n;
        Ok(n)
    }
}

/// The encoding to read a file in: the one chosen, else UTF-16 by its BOM,
/// else UTF-8 (and Windows-1252 if it is not, see [`read_in`]); and whether
/// it was chosen.
fn encoding_of(choice: Option<TextEncoding>, first: &[u8]) -> (TextEncoding, bool) {
    match choice {
        Some(encoding) => (encoding, true),
        None if matches!(first, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) => (TextEncoding::Utf16, false),
        None => (TextEncoding::Utf8, false),
    }
}

/// Runs `read` in the encoding found by [`encoding_of`]; bytes that are not
/// UTF-8 where none was chosen are read again as Windows-1252, what Windows
/// Excel's plain "CSV (Comma delimited)" writes.
pub(super) fn read_in<T>(
    choice: Option<TextEncoding>,
    first: &[u8],
    mut read: impl FnMut(TextEncoding, bool) -> Result<T, DataError>,
) -> Result<T, DataError> {
    let (encoding, chosen) = encoding_of(choice, first);
    match read(encoding, chosen) {
        Err(DataError::NotUtf8 { .. }) if !chosen => read(TextEncoding::Windows1252, false),
        result => result,
    }
}

/// A whole text as the reader decodes it, for the tests of the decoding.
#[cfg(test)]
pub(super) fn decode_whole(bytes: &[u8], choice: Option<TextEncoding>) -> Result<(String, super::Decoding), DataError> {
    use io::Read;
    read_in(choice, bytes, |encoding, chosen| {
        let mut source = bytes;
        let mut stream = Stream::new(&mut source, encoding, bytes);
        let mut text = String::new();
        if stream.read_to_string(&mut text).is_err() {
            return Err(stream.failure.take().unwrap_or(DataError::NotText));
        }
        let samples = std::mem::take(&mut stream.samples).finish();
        Ok((text, super::Decoding { encoding, chosen, samples }))
    })
}

#[cfg(test)]
mod tests;
