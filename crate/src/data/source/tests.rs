use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::base::NoProgress;
use crate::data::{read_csv_with_progress, read_source, ReadFile};

/// A file read `chunk` bytes at a time, at most `per_read` per call, as a
/// browser's `File` may give fewer bytes than asked.
struct Pieces<'a> {
    bytes: &'a [u8],
    chunk: usize,
    per_read: usize,
}

impl ByteSource for Pieces<'_> {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&mut self, offset: u64, into: &mut [u8]) -> Result<usize, DataError> {
        let limit = into.len().min(self.per_read);
        let mut whole = self.bytes;
        whole.read_at(offset, &mut into[..limit])
    }

    fn chunk(&self) -> usize {
        self.chunk
    }
}

fn read_in_pieces(bytes: &[u8], encoding: Option<TextEncoding>, chunk: usize) -> Result<ReadFile, DataError> {
    read_source(&mut Pieces { bytes, chunk, per_read: 3 }, encoding, &mut NoProgress)
}

#[path = "../../../tests/support/spice.rs"]
mod spice;
use spice::SPICE;

/// Cells for rows of a steady width, so that many inputs become tables.
const CELLS: &[&[u8]] = &[
    b"",
    b"NA",
    b"?",
    b"1",
    b"2.5",
    b"-0",
    b"1e39",
    b"inf",
    b"abc",
    b"None",
    b"Jos\xC3\xA9",
    b"Jos\xE9",
    b"\xF0\x9F\x90\xA7",
    b"2024-03-05",
    b"\"a,b\"",
    b"\"x\ny\"",
    b"  7 ",
    b"true",
    b"false",
    b"1,234",
];

fn hostile(rng: &mut ChaCha8Rng) -> Vec<u8> {
    if rng.random_bool(0.6) {
        let delimiter: &[u8] = [b",".as_slice(), b";", b"\t"][rng.random_range(0..3)];
        let end: &[u8] = if rng.random_bool(0.7) { b"\n" } else { b"\r\n" };
        let width = rng.random_range(1..5);
        let mut bytes = Vec::new();
        for _ in 0..rng.random_range(1..30) {
            for column in 0..width {
                if column > 0 {
                    bytes.extend_from_slice(delimiter);
                }
                bytes.extend_from_slice(CELLS[rng.random_range(0..CELLS.len())]);
            }
            bytes.extend_from_slice(end);
        }
        return bytes;
    }
    let mut bytes = Vec::new();
    let pieces = rng.random_range(0..120);
    if rng.random_bool(0.1) {
        bytes.extend_from_slice(if rng.random_bool(0.5) { b"\xFF\xFE" } else { b"\xEF\xBB\xBF" });
    }
    for _ in 0..pieces {
        bytes.extend_from_slice(SPICE[rng.random_range(0..SPICE.len())]);
    }
    bytes
}

/// A table of numbers whose last rows turn a column to text (read again),
/// another to text from its start after tokens, under a key-like header.
fn mixed(rows: usize) -> Vec<u8> {
    let mut text = String::from("id,x,late,early,when\n");
    for row in 0..rows {
        let late = if row + 3 >= rows { "text".to_owned() } else { format!("{}.5", row % 7) };
        let early = if row < 4 { "NA" } else { "b" };
        text.push_str(&format!("{row},{},{late},{early},2024-01-{:02}\n", row * 3 % 11, row % 28 + 1));
    }
    text.into_bytes()
}

#[test]
fn a_file_read_in_pieces_is_the_file_read_whole() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let mut inputs: Vec<Vec<u8>> = (0..3000).map(|_| hostile(&mut rng)).collect();
    inputs.push(mixed(40));
    inputs.push("name,city\nJosé,Zürich\nÅsa,Malmö\n".repeat(9).into_bytes());
    let mut tables = 0;
    for bytes in &inputs {
        for encoding in [None, Some(TextEncoding::Utf8), Some(TextEncoding::Windows1252), Some(TextEncoding::Utf16)] {
            let whole = read_csv_with_progress(bytes, encoding, &mut NoProgress);
            tables += usize::from(whole.is_ok());
            // Compared as printed: a missing number is NaN, unequal to itself.
            let whole = format!("{whole:?}");
            for chunk in [4, 5, 7, 64] {
                let pieces = format!("{:?}", read_in_pieces(bytes, encoding, chunk).map(|read| read.table));
                assert_eq!(pieces, whole, "{:?} in {encoding:?}, {chunk}-byte chunks", String::from_utf8_lossy(bytes));
            }
        }
    }
    assert!(tables > 2000, "only {tables} inputs made tables: the generator tests little");
}

#[test]
fn the_fingerprint_is_the_bytes_hash_however_they_are_read() {
    let bytes = mixed(30);
    let mut whole = Fnv1a::default();
    whole.update(&bytes);
    for chunk in [4, 9, 1 << 20] {
        assert_eq!(read_in_pieces(&bytes, None, chunk).unwrap().fingerprint, whole);
    }
}

#[test]
fn columns_that_turn_to_text_late_or_early_are_typed_as_a_whole() {
    let read = read_in_pieces(&mixed(40), None, 8).unwrap().table;
    let kinds: Vec<_> = read.columns.iter().map(|c| c.inferred.label()).collect();
    assert_eq!(kinds, ["identifier", "numeric", "categorical", "categorical", "date"]);
    let late = &read.columns[2];
    assert!(
        late.origin.notes[0].starts_with("Column 'late' mixes numbers and text: 3 of 40 cells are text"),
        "{:?}",
        late.origin.notes
    );
}
