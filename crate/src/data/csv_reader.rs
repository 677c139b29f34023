//! CSV bytes → [`Table`]: encoding checks, delimiter sniffing, header cleanup,
//! then one pass over the records that keeps each column's cells as text in one
//! buffer per column, for [`schema`](super::schema) to type column by column.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashSet;

use csv::{Position, Reader, ReaderBuilder, StringRecord};

use super::encoding::{decode, Decoding, TextEncoding};
use super::schema::{infer_column, parse_number, Missing, Notes};
use super::{DataError, Table, MISSING_CODE};
use crate::base::{format_count, NoProgress, Progress};

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
    bytes: &[u8],
    encoding: Option<TextEncoding>,
    progress: &mut dyn Progress,
) -> Result<Table, DataError> {
    let (text, decoding) = check_and_decode(bytes, encoding)?;
    let text: &str = &text;
    if text.trim().is_empty() {
        return Err(DataError::EmptyFile);
    }
    // Excel writes "sep=;" as the first line of a CSV saved in a locale that
    // separates by semicolons: that line names the delimiter and is not data.
    let (delimiter, text, lines_before) = match excel_delimiter_hint(text) {
        Some((delimiter, rest)) => (delimiter, rest, 1),
        None => (sniff_delimiter(text), text, 0),
    };
    let mut reader = reader(text, delimiter);
    let mut record = StringRecord::new();

    // The text is valid UTF-8 and in memory, so the parser has nothing left to
    // fail on; should it fail anyway, the person still learns where.
    let malformed = |error: csv::Error| DataError::Malformed {
        line: lines_before + error.position().map_or(1, |position| line_of(text, position)),
        detail: error.to_string(),
    };
    if !next_record(&mut reader, &mut record).map_err(malformed)? {
        return Err(DataError::EmptyFile);
    }
    let raw_names: Vec<String> = record.iter().map(|name| name.trim().to_owned()).collect();
    let mut cells = vec![Cells::default(); raw_names.len()];
    let mut preview = Vec::new();
    let mut n_rows = 0;
    while next_record(&mut reader, &mut record).map_err(malformed)? {
        n_rows += 1;
        if record.len() != cells.len() {
            return Err(DataError::Ragged {
                row: n_rows,
                line: lines_before + record.position().map_or(n_rows + 1, |position| line_of(text, position)),
                found: record.len(),
                expected: cells.len(),
            });
        }
        // This row may need category code `n_rows - 1`, which must not be MISSING_CODE.
        if !u32::try_from(n_rows - 1).is_ok_and(|code| code != MISSING_CODE) {
            return Err(DataError::TooManyRows { limit: n_rows - 1 });
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(record.iter().map(|cell| cell.trim().to_owned()).collect());
        }
        for (column, cell) in cells.iter_mut().zip(&record) {
            column.push(cell.trim());
        }
        if n_rows % PROGRESS_ROWS == 0 {
            let read = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
            progress.report(read.min(text.len()), text.len(), &format!("reading the file: {} rows", format_count(n_rows)));
        }
    }
    if n_rows == 0 {
        return Err(DataError::HeaderOnly);
    }

    let (names, mut warnings) = unique_names(&raw_names);
    let mut notes = Notes::default();
    let decimal_comma = delimiter == b';';
    let columns = names
        .into_iter()
        .zip(&raw_names)
        .zip(&cells)
        .enumerate()
        .map(|(i, ((name, raw_name), column))| {
            progress.report(i, raw_names.len(), "typing the columns");
            let column: Vec<&str> = column.iter().collect();
            infer_column(name, raw_name, &column, decimal_comma, Missing::Default, &mut notes)
        })
        .collect::<Vec<_>>();
    if let Some((cell, value)) = notes.decimal_comma {
        warnings.push(format!(
            "The file is separated by semicolons, so a comma in a number is its decimal point (e.g. '{cell}' = {value})."
        ));
    }
    warnings.extend(decoding.note());
    warnings.extend(columns.iter().flat_map(|column| column.origin.notes.iter().cloned()));
    Ok(Table { columns, n_rows, preview, warnings, decimal_comma, decoding })
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
/// either refusal comes at once, whatever the file's size; then decodes the
/// text (see [`decode`]).
fn check_and_decode(bytes: &[u8], encoding: Option<TextEncoding>) -> Result<(Cow<'_, str>, Decoding), DataError> {
    if let Some((_, format)) = SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(DataError::Binary { format: (*format).to_owned() });
    }
    if bytes.len() > MAX_FIRST_LINE && !bytes[..MAX_FIRST_LINE].iter().any(|&b| b == b'\n' || b == b'\r') {
        return Err(DataError::NoLineBreak { megabytes: MAX_FIRST_LINE >> 20 });
    }
    decode(bytes, encoding)
}

/// One reader configuration for sniffing and reading, so both split alike.
/// Flexible, because a wrong field count is reported as [`DataError::Ragged`]
/// with the row, rather than as the parser's own error.
fn reader(text: &str, delimiter: u8) -> Reader<&[u8]> {
    ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes())
}

/// Reads the next record that is not a blank line into `record`; `false` at
/// the end. The parser already skips empty lines; this also skips lines of only
/// spaces, which would otherwise be one-field rows.
fn next_record(reader: &mut Reader<&[u8]>, record: &mut StringRecord) -> csv::Result<bool> {
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
fn line_of(text: &str, position: &Position) -> usize {
    let bytes = text.as_bytes();
    let after_previous = usize::try_from(position.byte()).unwrap_or(usize::MAX);
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
    let mut reader = reader(sample, delimiter);
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

/// One column's cells, back to back in one string: one allocation per column
/// instead of one per cell.
#[derive(Clone, Debug, Default)]
struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let cell = self.text.get(start..end).unwrap_or_default();
            start = end;
            cell
        })
    }
}

#[cfg(test)]
mod tests;
