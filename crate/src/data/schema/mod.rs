//! What a column means: its kind ([`ColumnKind`]), inferred from its cells
//! (`infer`); the cells that can mean "no value" and the person's say over
//! them (`missing`); and the views of a column's storage (numbers, booleans,
//! categories, its summary) that the kinds need (`views`).

use serde::{Deserialize, Serialize};

mod decimal;
mod infer;
mod missing;
mod views;

pub(super) use infer::{infer_column, needs_text_for_key, parse_number, Notes, NumberScan};
pub(super) use missing::Missing;
pub use missing::MISSING_TOKENS;

/// What a column means to a model. Inferred once per column; the person may
/// switch to any kind in [`ColumnInfo::allowed`](crate::data::ColumnInfo::allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnKind {
    Numeric,
    Categorical,
    Boolean,
    /// One distinct value per row (a key): no signal a model could generalize.
    Identifier,
    /// Free text: too many or too long values to be categories.
    Text,
    /// Every cell is missing.
    Empty,
    /// Calendar dates; a feature only when the person asks, as year, month and weekday.
    Date,
}

impl ColumnKind {
    /// Every kind, in the order the page lists them (a link names a kind by
    /// its [`label`](Self::label) and reads it back through this list).
    pub const ALL: [ColumnKind; 7] =
        [Self::Numeric, Self::Categorical, Self::Boolean, Self::Identifier, Self::Text, Self::Empty, Self::Date];

    /// The kind a [`label`](Self::label) names.
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.label() == label)
    }

    /// The stable name the page puts in `data-type` attributes and shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Numeric => "numeric",
            Self::Categorical => "categorical",
            Self::Boolean => "boolean",
            Self::Identifier => "identifier",
            Self::Text => "text",
            Self::Empty => "all-missing",
            Self::Date => "date",
        }
    }

    /// Why a column of this kind is not a feature by default, said to the person.
    pub fn why_excluded(self) -> Option<&'static str> {
        match self {
            Self::Numeric | Self::Categorical | Self::Boolean => None,
            Self::Identifier => {
                Some("Not a feature by default: a different value in every row, nothing a model can generalize from.")
            }
            Self::Text => Some("Not a feature by default: free text, too many different values to be categories."),
            Self::Empty => Some("Not a feature: every cell is missing."),
            Self::Date => Some("Not a feature by default: a date. Tick it to learn from its year, month and weekday."),
        }
    }

    /// Whether a column of this kind is offered as a model feature by default.
    pub fn is_feature(self) -> bool {
        matches!(self, Self::Numeric | Self::Categorical | Self::Boolean)
    }
}

#[cfg(test)]
mod tests;
