//! Columns built as the rows stream in: a column of numbers is typed cell by
//! cell and keeps no text, so a file of numbers needs about its table's
//! memory, not its own; a column with text keeps its cells' text, typed at
//! the end as [`infer_column`] types any column.

use super::super::schema::{infer_column, needs_text_for_key, Missing, Notes, NumberScan};
use crate::data::Column;

/// One column while the file is read.
pub(super) enum Builder {
    /// Every cell so far a number or a missing token, read as it comes; the
    /// text kept too only under a key-like header, whose distinctness is
    /// judged on the text.
    Numbers { scan: Box<NumberScan>, text: Option<Cells> },
    /// Text came before any number: the cells, typed at the end.
    Text(Cells),
    /// Text came after numbers whose text was not kept: the cells, read
    /// again in a second pass ([`Builder::again`]).
    Again(Cells),
}

impl Builder {
    pub(super) fn new(header: &str, decimal_comma: bool, rows: usize) -> Self {
        let text = needs_text_for_key(header).then(Cells::default);
        Builder::Numbers { scan: Box::new(NumberScan::new(decimal_comma, rows)), text }
    }

    /// Reads row `row`'s trimmed cell.
    pub(super) fn push(&mut self, row: usize, cell: &str) {
        match self {
            Builder::Numbers { scan, text } => {
                if let Some(text) = text {
                    text.push(cell);
                }
                if !scan.push(row, cell, Missing::Default) {
                    return;
                }
                *self = match (text.take(), scan.no_numbers()) {
                    (Some(text), _) => Builder::Text(text),
                    (None, true) => {
                        let mut text = Cells::default();
                        for token in &scan.token_cells()[..row] {
                            text.push(token);
                        }
                        text.push(cell);
                        Builder::Text(text)
                    }
                    (None, false) => Builder::Again(Cells::default()),
                };
            }
            Builder::Text(text) => text.push(cell),
            Builder::Again(_) => {}
        }
    }

    /// Where the second pass puts this column's cells, if it must read them.
    pub(super) fn again(&mut self) -> Option<&mut Cells> {
        match self {
            Builder::Again(cells) => Some(cells),
            _ => None,
        }
    }

    /// The typed column.
    pub(super) fn into_column(self, name: String, header: &str, decimal_comma: bool, notes: &mut Notes) -> Column {
        match self {
            Builder::Numbers { scan, text } => {
                let cells: Vec<&str> = text.as_ref().map(|text| text.iter().collect()).unwrap_or_default();
                scan.into_column(name, header, &cells, Missing::Default, notes)
            }
            Builder::Text(text) | Builder::Again(text) => {
                let cells: Vec<&str> = text.iter().collect();
                infer_column(name, header, &cells, decimal_comma, Missing::Default, notes)
            }
        }
    }
}

/// One column's cells, back to back in one string: one allocation per column
/// instead of one per cell.
#[derive(Clone, Debug, Default)]
pub(super) struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    pub(super) fn push(&mut self, cell: &str) {
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
