//! CSV bytes → [`Table`]: encoding checks, delimiter sniffing, header cleanup,
//! then one pass over the records, streamed from the file chunk by chunk,
//! that types each column of numbers as it comes and keeps the text of the
//! others for [`schema`](super::schema) to type column by column.

use std::cmp::Reverse;
use std::collections::HashSet;
use std::io;

use csv::{Position, Reader, ReaderBuilder, StringRecord};

mod columns;

use super::encoding::{Decoding, TextEncoding};
use super::schema::{parse_number, Notes};
use super::source::{read_in, read_range, ByteSource, Stream};
use super::{DataError, Table, MISSING_CODE};
use crate::base::{format_count, Fnv1a, NoProgress, Progress};
use columns::Builder;

/// Candidates in order of preference when they fit equally well.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// The sniffer looks at this many lines, and at most `SNIFF_RECORDS` records of them.
const SNIFF_LINES: usize = 50;
const SNIFF_RECORDS: usize = 20;
const PREVIEW_ROWS: usize = 5;
/// Progress is reported every this many rows: often enough for a bar, rarely
/// enough to cost nothing.
const PROGRESS_ROWS: usize = 16_384;
/// At most this many names are quoted in a warning.
const LISTED_NAMES: usize = 5;

/// Reads a CSV file into typed columns.
///
/// Reads UTF-8, UTF-16 by its BOM, and other bytes as Windows-1252 (see
/// `decode`). Accepts a UTF-8 BOM, CRLF or LF line ends, quoted fields (with delimiters,
/// doubled quotes and newlines inside) and `,` `;` tab or `|` as the delimiter,
/// whichever splits the first lines most consistently, unless the first line is
/// Excel's hint (`sep=;`), which names it. With `;` a decimal comma
/// ("1,5") is read as a decimal point. Cells and header names are trimmed;
/// blank lines are skipped. The first non-blank line is the header.
pub fn read_csv(bytes: &[u8]) -> Result<Table, DataError> {
    read_csv_with_progress(bytes, None, &mut NoProgress)
}

/// [`read_csv`] in `encoding` (or the one the bytes show, without one),
/// telling `progress` how far it is: bytes read (with the rows so far in its
/// words) every `PROGRESS_ROWS` rows, then columns typed.
pub fn read_csv_with_progress(
    mut bytes: &[u8],
    encoding: Option<TextEncoding>,
    progress: &mut dyn Progress,
) -> Result<Table, DataError> {
    read_source(&mut bytes, encoding, progress).map(|read| read.table)
}

/// A file read into a table, with what was learned of its bytes on the way.
#[derive(Debug)]
pub struct ReadFile {
    pub table: Table,
    /// The fingerprint of the file's bytes.
    pub fingerprint: Fnv1a,
}

/// [`read_csv_with_progress`] from a [`ByteSource`], read in chunks: the
/// file is never whole in memory. Files of numbers are read once; a column
/// whose text starts after numbers is read again (see `columns`).
pub fn read_source(
    source: &mut dyn ByteSource,
    encoding: Option<TextEncoding>,
    progress: &mut dyn Progress,
) -> Result<ReadFile, DataError> {
    let first = check_first_bytes(source)?;
    read_in(encoding, &first, |encoding, chosen| read_as(source, &first, encoding, chosen, progress))
}

/// The file read in one encoding.
fn read_as(
    source: &mut dyn ByteSource,
    first: &[u8],
    encoding: TextEncoding,
    chosen: bool,
    progress: &mut dyn Progress,
) -> Result<ReadFile, DataError> {
    let head = Stream::new(source, encoding, first).head(SNIFF_LINES)?;
    if head.trim().is_empty() {
        // The head is all the text when it is blank.
        return Err(DataError::EmptyFile);
    }
    // Excel writes "sep=;" as the first line of a CSV saved in a locale that
    // separates by semicolons: that line names the delimiter and is not data.
    let (delimiter, skip, lines_before) = match excel_delimiter_hint(&head) {
        Some((delimiter, rest)) => (delimiter, head.len() - rest.len(), 1),
        None => (sniff_delimiter(&head), 0, 0),
    };
    let rows_estimate = estimate_rows(&head, source.size());
    let pass = Pass { encoding, first, delimiter, skip };
    let mut reader = pass.reader(source);
    let parsed = parse(&mut reader, delimiter == b';', rows_estimate, progress);
    let mut stream = reader.into_inner();
    let Parsed { raw_names, mut builders, preview, n_rows } = match parsed {
        Ok(parsed) => parsed,
        Err(refusal) => {
            // Whatever is wrong with the text further on is said first.
            if let Some(refused) = stream.drain() {
                return Err(refused);
            }
            return Err(refusal.into_error(|at| pass.line_of(stream.source(), at) + lines_before));
        }
    };
    let decoding = Decoding { encoding, chosen, samples: std::mem::take(&mut stream.samples).finish() };
    let fingerprint = stream.hash;
    drop(stream);
    if builders.iter_mut().any(|b| b.again().is_some()) {
        progress.report(0, 1, "reading the file again for its mixed columns");
        pass.read_again(source, &mut builders).map_err(|refusal| refusal.into_error(|_| 1))?;
    }

    let (names, mut warnings) = unique_names(&raw_names);
    let mut notes = Notes::default();
    let decimal_comma = delimiter == b';';
    let columns = names
        .into_iter()
        .zip(&raw_names)
        .zip(builders)
        .enumerate()
        .map(|(i, ((name, raw_name), builder))| {
            progress.report(i, raw_names.len(), "typing the columns");
            builder.into_column(name, raw_name, decimal_comma, &mut notes)
        })
        .collect::<Vec<_>>();
    if let Some((cell, value)) = notes.decimal_comma {
        warnings.push(format!(
            "The file is separated by semicolons, so a comma in a number is its decimal point (e.g. '{cell}' = {value})."
        ));
    }
    warnings.extend(decoding.note());
    warnings.extend(columns.iter().flat_map(|column| column.origin.notes.iter().cloned()));
    Ok(ReadFile { table: Table { columns, n_rows, preview, warnings, decimal_comma, decoding }, fingerprint })
}

/// The rows a file of `size` bytes holds about, from its first lines: the
/// columns' storage is reserved once rather than grown by doubling.
fn estimate_rows(head: &str, size: u64) -> usize {
    let lines = head.lines().count().max(1);
    let per_line = (head.len() / lines).max(1) as u64;
    usize::try_from(size / per_line + 1).unwrap_or(0).min(1 << 28)
}

/// How one read over the file is made: the same for the first pass and for
/// the second, so both see the same records.
struct Pass<'a> {
    encoding: TextEncoding,
    first: &'a [u8],
    delimiter: u8,
    /// Bytes of text before the header (Excel's hint line).
    skip: usize,
}

impl Pass<'_> {
    fn reader<'s>(&self, source: &'s mut dyn ByteSource) -> Reader<Stream<'s>> {
        let mut stream = Stream::new(source, self.encoding, self.first);
        stream.skip = self.skip;
        reader(stream, self.delimiter)
    }

    /// The line of the record at `at` (a byte of the text read), counted
    /// after the hint line: from the text up to it, read again, since this
    /// is only for a refusal.
    fn line_of(&self, source: &mut dyn ByteSource, at: u64) -> usize {
        let mut stream = self.reader(source).into_inner();
        let mut text = Vec::new();
        let _ = io::Read::read_to_end(&mut io::Read::take(&mut stream, at), &mut text);
        // And the line ends after it, which the parser had skipped, with the byte after them.
        let mut byte = [0];
        while io::Read::read(&mut stream, &mut byte).is_ok_and(|n| n == 1) {
            text.push(byte[0]);
            if !matches!(byte[0], b'\r' | b'\n') {
                break;
            }
        }
        line_of(&text, at)
    }

    /// Reads the cells of the columns whose text came after numbers.
    fn read_again(&self, source: &mut dyn ByteSource, builders: &mut [Builder]) -> Result<(), Refusal> {
        let mut reader = self.reader(source);
        let mut record = StringRecord::new();
        let failed = |reader: &mut Reader<Stream>, error| Refusal::of(reader.get_mut(), error);
        // The header.
        next_record(&mut reader, &mut record).map_err(|e| failed(&mut reader, e))?;
        while next_record(&mut reader, &mut record).map_err(|e| failed(&mut reader, e))? {
            for (builder, cell) in builders.iter_mut().zip(&record) {
                if let Some(cells) = builder.again() {
                    cells.push(trim(cell));
                }
            }
        }
        Ok(())
    }
}

/// What the first pass gathers.
struct Parsed {
    raw_names: Vec<String>,
    builders: Vec<Builder>,
    preview: Vec<Vec<String>>,
    n_rows: usize,
}

/// Why the records could not be read; the line of a record is found once
/// the read is over (see [`Pass::line_of`]).
enum Refusal {
    Now(DataError),
    /// `at`: the record's byte in the text, when the parser knows it.
    Ragged {
        row: usize,
        at: Option<u64>,
        found: usize,
        expected: usize,
    },
    Malformed {
        at: Option<u64>,
        detail: String,
    },
}

impl Refusal {
    /// A parser's error: the text's refusal when the stream refused it.
    fn of(stream: &mut Stream, error: csv::Error) -> Refusal {
        match stream.failure.take() {
            Some(refused) => Refusal::Now(refused),
            None => Refusal::Malformed { at: error.position().map(Position::byte), detail: error.to_string() },
        }
    }

    fn into_error(self, line_of: impl FnOnce(u64) -> usize) -> DataError {
        match self {
            Refusal::Now(refused) => refused,
            Refusal::Ragged { row, at, found, expected } => {
                let line = at.map_or(row + 1, line_of);
                DataError::Ragged { row, line, found, expected }
            }
            Refusal::Malformed { at, detail } => DataError::Malformed { line: at.map_or(1, line_of), detail },
        }
    }
}

/// The first pass: the header, then every record into the columns.
fn parse(
    reader: &mut Reader<Stream>,
    decimal_comma: bool,
    rows_estimate: usize,
    progress: &mut dyn Progress,
) -> Result<Parsed, Refusal> {
    let mut record = StringRecord::new();
    let failed = |reader: &mut Reader<Stream>, error| Refusal::of(reader.get_mut(), error);
    if !next_record(reader, &mut record).map_err(|e| failed(reader, e))? {
        return Err(Refusal::Now(DataError::EmptyFile));
    }
    let raw_names: Vec<String> = record.iter().map(|name| name.trim().to_owned()).collect();
    let mut builders: Vec<Builder> = raw_names.iter().map(|name| Builder::new(name, decimal_comma, rows_estimate)).collect();
    let mut preview = Vec::new();
    let mut n_rows = 0;
    while next_record(reader, &mut record).map_err(|e| failed(reader, e))? {
        n_rows += 1;
        if record.len() != builders.len() {
            let at = record.position().map(Position::byte);
            return Err(Refusal::Ragged { row: n_rows, at, found: record.len(), expected: builders.len() });
        }
        // This row may need category code `n_rows - 1`, which must not be MISSING_CODE.
        if !u32::try_from(n_rows - 1).is_ok_and(|code| code != MISSING_CODE) {
            return Err(Refusal::Now(DataError::TooManyRows { limit: n_rows - 1 }));
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(record.iter().map(|cell| trim(cell).to_owned()).collect());
        }
        for (builder, cell) in builders.iter_mut().zip(&record) {
            builder.push(n_rows - 1, trim(cell));
        }
        if n_rows % PROGRESS_ROWS == 0 {
            let (read, size) = reader.get_ref().progress();
            let (read, size) = (usize::try_from(read).unwrap_or(usize::MAX), usize::try_from(size).unwrap_or(usize::MAX));
            progress.report(read.min(size), size, &format!("reading the file: {} rows", format_count(n_rows)));
        }
    }
    if n_rows == 0 {
        return Err(Refusal::Now(DataError::HeaderOnly));
    }
    Ok(Parsed { raw_names, builders, preview, n_rows })
}

/// `cell.trim()`, with ASCII ends (nearly every cell's) settled on bytes
/// rather than by decoding characters; a cell whose ends are not ASCII after
/// the ASCII white space is gone goes on to `str::trim`. The white space
/// `str::trim` removes includes exactly these ASCII bytes: tab, line feed,
/// vertical tab, form feed, carriage return and space.
fn trim(cell: &str) -> &str {
    let space = |byte: &u8| matches!(byte, b'\t'..=b'\r' | b' ');
    let bytes = cell.as_bytes();
    let start = bytes.iter().position(|byte| !space(byte)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|byte| !space(byte)).map_or(start, |last| last + 1);
    // Both ends sit next to ASCII bytes, so on character boundaries.
    let inner = cell.get(start..end).unwrap_or(cell);
    match (inner.as_bytes().first(), inner.as_bytes().last()) {
        (Some(first), Some(last)) if !first.is_ascii() || !last.is_ascii() => inner.trim(),
        _ => inner,
    }
}

/// A header longer than this without a line end is not a header.
const MAX_FIRST_LINE: usize = 1 << 20;

/// File signatures of things people drop by mistake, and what to call them.
const SIGNATURES: [(&[u8], &str); 9] = [
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xD0\xCF\x11\xE0", "an Excel 97-2003 workbook (.xls)"),
    (b"\x1F\x8B", "a gzip-compressed file"),
    (b"PAR1", "a Parquet file"),
    (b"SQLite format 3\0", "an SQLite database"),
];

/// Refuses what is not text from its first bytes where they name a format,
/// and before any parsing where the first megabyte holds no line break, so
/// either refusal comes at once, whatever the file's size. Returns the first
/// bytes read (at most a megabyte).
fn check_first_bytes(source: &mut dyn ByteSource) -> Result<Vec<u8>, DataError> {
    let first = read_range(source, 0, MAX_FIRST_LINE as u64)?;
    if let Some((_, format)) = SIGNATURES.iter().find(|(magic, _)| first.starts_with(magic)) {
        return Err(DataError::Binary { format: (*format).to_owned() });
    }
    if source.size() > MAX_FIRST_LINE as u64 && !first.iter().any(|&b| b == b'\n' || b == b'\r') {
        return Err(DataError::NoLineBreak { megabytes: MAX_FIRST_LINE >> 20 });
    }
    Ok(first)
}

/// One reader configuration for sniffing and reading, so both split alike.
/// Flexible, because a wrong field count is reported as [`DataError::Ragged`]
/// with the row, rather than as the parser's own error.
fn reader<R: io::Read>(text: R, delimiter: u8) -> Reader<R> {
    ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text)
}

/// Reads the next record that is not a blank line into `record`; `false` at
/// the end. The parser already skips empty lines; this also skips lines of only
/// spaces, which would otherwise be one-field rows.
fn next_record<R: io::Read>(reader: &mut Reader<R>, record: &mut StringRecord) -> csv::Result<bool> {
    loop {
        let more = reader.read_record(record)?;
        let blank = record.len() == 1 && record.iter().all(|cell| cell.trim().is_empty());
        if !more || !blank {
            return Ok(more);
        }
    }
}

/// The line a record starts on. The parser's own line count skips blank lines
/// and miscounts CRLF, so this counts from its byte offset, which points just
/// past the previous record and so may sit before line ends it then skipped.
fn line_of(bytes: &[u8], at: u64) -> usize {
    let after_previous = usize::try_from(at).unwrap_or(usize::MAX);
    let skipped =
        bytes.get(after_previous..).map_or(0, |rest| rest.iter().take_while(|&&byte| matches!(byte, b'\r' | b'\n')).count());
    line_at(bytes, after_previous + skipped)
}

/// The 1-based line of the byte at `offset`, counting LF, CRLF and lone CR
/// as line ends, as editors do.
pub(super) fn line_at(bytes: &[u8], offset: usize) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line_ends = before
        .iter()
        .enumerate()
        .filter(|&(i, &byte)| byte == b'\n' || (byte == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    1 + line_ends
}

/// The delimiter Excel's hint line names (`sep=;`, also quoted as Excel
/// sometimes writes it) and the text after that line; `None` without one.
/// Any single character but a quote may be named.
fn excel_delimiter_hint(text: &str) -> Option<(u8, &str)> {
    let (line, rest) = text.split_once('\n').unwrap_or((text, ""));
    let hint = line.trim_end_matches('\r').trim().trim_matches('"');
    match hint.strip_prefix("sep=").or_else(|| hint.strip_prefix("SEP="))?.as_bytes() {
        &[delimiter] if delimiter != b'"' && delimiter.is_ascii() => Some((delimiter, rest)),
        _ => None,
    }
}

/// The delimiter whose header splits into the most fields that the following
/// records agree with: more agreeing records first, then more fields, then
/// the order of [`DELIMITERS`]. A comma if no candidate splits the header.
fn sniff_delimiter(text: &str) -> u8 {
    let sample = text.match_indices('\n').nth(SNIFF_LINES - 1).and_then(|(end, _)| text.get(..end)).unwrap_or(text);
    DELIMITERS
        .iter()
        .enumerate()
        .filter_map(|(preference, &delimiter)| {
            let (agreeing, width) = consistency(sample, delimiter)?;
            Some(((agreeing, width, Reverse(preference)), delimiter))
        })
        .max_by_key(|&(score, _)| score)
        .map_or(b',', |(_, delimiter)| delimiter)
}

/// (records agreeing with the header's field count, that count) for a
/// delimiter, or `None` if it does not split the header at all.
fn consistency(sample: &str, delimiter: u8) -> Option<(usize, usize)> {
    let mut reader = reader(sample.as_bytes(), delimiter);
    let mut record = StringRecord::new();
    let mut next = || matches!(next_record(&mut reader, &mut record), Ok(true)).then(|| record.len());
    let width = next().filter(|&width| width > 1)?;
    let agreeing = std::iter::from_fn(next).take(SNIFF_RECORDS).filter(|&len| len == width).count();
    Some((agreeing, width))
}

/// Column names from the trimmed header cells: an empty one becomes
/// "column N" (N counting from 1) and a repeated one "name (2)", "name (3)",
/// never taking a name that another header cell spells out. Also returns
/// warnings about what was renamed, and about a header that looks like data.
fn unique_names(raw_names: &[String]) -> (Vec<String>, Vec<String>) {
    let written: HashSet<&str> = raw_names.iter().map(String::as_str).collect();
    let mut taken = HashSet::new();
    let mut unnamed = Vec::new();
    let mut repeated = Vec::new();
    let names = raw_names
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let base = if raw.is_empty() { format!("column {}", i + 1) } else { raw.clone() };
            let mut name = base.clone();
            let mut copy = 1;
            while taken.contains(&name) || (name != *raw && written.contains(name.as_str())) {
                copy += 1;
                name = format!("{base} ({copy})");
            }
            if raw.is_empty() {
                unnamed.push(name.clone());
            } else if name != *raw {
                repeated.push(name.clone());
            }
            taken.insert(name.clone());
            name
        })
        .collect();

    let mut warnings = Vec::new();
    if raw_names.iter().all(|raw| parse_number(raw, false).is_some()) {
        warnings.push(
            "The first line holds only numbers but was read as the column names. If the file has no header, add one."
                .to_owned(),
        );
    }
    if !unnamed.is_empty() {
        warnings.push(format!("Columns without a name in the header were named {}.", quoted_list(&unnamed)));
    }
    if !repeated.is_empty() {
        warnings.push(format!("Repeated column names were made unique: {}.", quoted_list(&repeated)));
    }
    (names, warnings)
}

/// "'a', 'b', 'c'", cut after [`LISTED_NAMES`] with "and N more".
fn quoted_list(names: &[String]) -> String {
    let mut list: Vec<String> = names.iter().take(LISTED_NAMES).map(|name| format!("'{name}'")).collect();
    if names.len() > LISTED_NAMES {
        list.push(format!("and {} more", names.len() - LISTED_NAMES));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests;
