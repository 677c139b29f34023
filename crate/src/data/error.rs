//! Why a file could not become a table, worded for the person who dropped it.

use serde::{Deserialize, Serialize};

/// A file that could not be read as a table. The page shows the message as is,
/// so each one says what is wrong, where (lines as an editor numbers them, the
/// header being line 1) and what to do about it. It crosses the worker boundary,
/// hence the owned, serde-friendly fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DataError {
    /// A toy set's settings out of range (the page's controls keep to them;
    /// a hand-edited link may not).
    #[error("The toy dataset cannot be drawn with {what}.")]
    Toy { what: String },

    #[error("The file is empty. Choose a CSV file with a header row and at least one row of data.")]
    EmptyFile,

    /// Refused before reading: the table and the text of its text columns
    /// must fit in a browser tab's 4 GB of WebAssembly memory.
    #[error("The file is {megabytes} MB, more than this page can hold in a browser tab ({limit} MB). Keep fewer rows or columns (a sample of the rows trains the same small models) and try again.")]
    TooLarge { megabytes: u64, limit: u64 },

    #[error("The file has a header row but no data rows. Add at least one row of values below the header.")]
    HeaderOnly,

    /// `row` counts data rows from 1; `line` is where that row starts in the file.
    #[error(
        "Row {row} (line {line}) has {} but the header has {expected}. Check for a missing or extra delimiter on that line.",
        fields(*.found)
    )]
    Ragged { row: usize, line: usize, found: usize, expected: usize },

    /// Only when UTF-8 was chosen: bytes that are not UTF-8 are otherwise read
    /// as Windows-1252. `byte_offset` counts from the start of the file, a BOM included.
    #[error(
        "The file is not UTF-8 text (first bad byte at line {line}). Pick the file's encoding, or save it as UTF-8 (CSV UTF-8 in Excel) and try again."
    )]
    NotUtf8 { line: usize, byte_offset: usize },

    /// A UTF-16 byte-order mark (Excel's "Unicode text" export) over bytes that
    /// are not valid UTF-16; valid UTF-16 is decoded and read.
    #[error(
        "The file starts as UTF-16 text but has broken characters. Save it as UTF-8 (CSV UTF-8 in Excel) and try again."
    )]
    Utf16,

    #[error(
        "This does not look like a CSV file (it contains binary data). If it is a spreadsheet, export it as CSV first."
    )]
    NotText,

    /// A file whose first bytes name its format (`format` as "a PNG image").
    #[error("This is {format}, not a CSV file. Save or export the table as CSV and drop that file.")]
    Binary { format: String },

    /// `megabytes` is how much of the file was searched for a line end (the
    /// search stops there, whatever the file's size): one enormous line is no
    /// table of rows.
    #[error("The first {megabytes} MB of the file hold no line break, so it is not a table of rows. Check that this is the CSV file you meant.")]
    NoLineBreak { megabytes: usize },

    /// The CSV parser itself gave up; `detail` is its own description.
    #[error("Line {line} could not be read as CSV ({detail}). Check the quotes on that line.")]
    Malformed { line: usize, detail: String },

    /// The browser could not read the file's bytes (`detail`, its words),
    /// most often because the file was moved or changed after it was chosen.
    #[error("The file could not be read ({detail}). If it was moved or changed after it was chosen, choose it again.")]
    Unreadable { detail: String },

    /// Category codes are `u32` with [`MISSING_CODE`](super::MISSING_CODE)
    /// reserved, which bounds the number of rows.
    #[error("The file has more than {limit} rows, more than this page can hold. Use a sample of the rows.")]
    TooManyRows { limit: usize },
}

/// "1 field", "3 fields".
fn fields(n: usize) -> String {
    if n == 1 {
        "1 field".to_owned()
    } else {
        format!("{n} fields")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_names_row_line_and_counts() {
        let error = DataError::Ragged { row: 5, line: 6, found: 3, expected: 5 };
        assert_eq!(
            error.to_string(),
            "Row 5 (line 6) has 3 fields but the header has 5. Check for a missing or extra delimiter on that line."
        );
        let single = DataError::Ragged { row: 2, line: 3, found: 1, expected: 4 };
        assert!(single.to_string().starts_with("Row 2 (line 3) has 1 field but the header has 4."));
    }

    #[test]
    fn encoding_messages_say_what_to_do() {
        let error = DataError::NotUtf8 { line: 3, byte_offset: 40 };
        assert_eq!(
            error.to_string(),
            "The file is not UTF-8 text (first bad byte at line 3). Pick the file's encoding, or save it as UTF-8 (CSV UTF-8 in Excel) and try again."
        );
        assert!(DataError::NotText.to_string().starts_with("This does not look like a CSV file (it contains binary data)."));
        assert!(DataError::Utf16.to_string().contains("Save it as UTF-8"));
    }

    #[test]
    fn every_message_is_a_sentence() {
        let all = [
            DataError::EmptyFile,
            DataError::HeaderOnly,
            DataError::Ragged { row: 1, line: 2, found: 3, expected: 2 },
            DataError::NotUtf8 { line: 1, byte_offset: 0 },
            DataError::Utf16,
            DataError::NotText,
            DataError::Binary { format: "a PNG image".to_owned() },
            DataError::NoLineBreak { megabytes: 1 },
            DataError::Malformed { line: 7, detail: "bad quote".to_owned() },
            DataError::TooManyRows { limit: 10 },
            DataError::Unreadable { detail: "NotReadableError".to_owned() },
        ];
        for error in all {
            let message = error.to_string();
            assert!(message.ends_with('.'), "{message}");
            assert!(!message.contains("DataError"), "{message}");
        }
        assert!(DataError::Malformed { line: 7, detail: "x".to_owned() }.to_string().starts_with("Line 7 "));
    }

    #[test]
    fn crosses_the_worker_boundary() {
        fn serde_roundtrippable<T: Serialize + for<'de> Deserialize<'de>>() {}
        serde_roundtrippable::<DataError>();
    }
}
