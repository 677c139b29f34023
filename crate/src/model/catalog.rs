//! What the page shows of each model: its id, name, tasks, how it wants its
//! inputs scaled and its settings as data. No fitting code: the page's wasm
//! reads [`CATALOG`](super::CATALOG) through [`find`] and so links none of the
//! models, which live in the worker (their [`ModelSpec`](super::ModelSpec)s
//! point at these entries).

use super::params::ParamSpec;
use crate::base::{Scaling, Task};

/// A model kind as the page lists it and builds its controls.
#[derive(Debug)]
pub struct ModelInfo {
    /// Stable id, used in the page's `<option value>` and in shared links.
    pub id: &'static str,
    pub name: &'static str,
    pub tasks: &'static [Task],
    pub scaling: Scaling,
    /// Whether the seed changes the fitted model (bootstraps, initial weights),
    /// not only the split.
    pub seeded: bool,
    /// The hyperparameters the person can set for `task`.
    pub params: fn(Task) -> Vec<ParamSpec>,
    /// The setting that lets the model fit its training rows more closely, for
    /// the learning curve; `None` gives a learning curve over training-set size.
    pub complexity: Option<Complexity>,
}

/// An integer hyperparameter that makes a model more complex as it changes
/// (depth, rounds, epochs, fewer neighbours). The learning curve refits the
/// model at these values on the same split and scores training and test rows.
#[derive(Clone, Copy, Debug)]
pub struct Complexity {
    /// Key of an `Int` parameter in the model's specs.
    pub key: &'static str,
    /// Values to refit at (those outside the spec's range are skipped; the
    /// person's own value is added).
    pub values: &'static [i64],
    /// Whether a refit costs about in proportion to the value (trees, rounds,
    /// epochs): then only values up to the person's are refitted, so the whole
    /// sweep costs about one more fit.
    pub cost_grows: bool,
    /// Whether 0 means no limit (a depth, [`super::params::MaxDepth`]): the person's
    /// 0 is then drawn beyond the largest value refitted, not at 0.
    pub zero_is_unlimited: bool,
}

/// Looks a model up by its id, without its code.
pub fn find(id: &str) -> Option<&'static ModelInfo> {
    super::CATALOG.iter().copied().find(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use super::super::REGISTRY;

    /// The catalog is the registry's entries' own metadata, entry for entry.
    #[test]
    fn catalog_is_the_registry_metadata() {
        assert_eq!(super::super::CATALOG.len(), REGISTRY.len());
        for (info, spec) in super::super::CATALOG.iter().zip(REGISTRY) {
            assert!(std::ptr::eq(*info, spec.info), "{} is listed out of order", spec.id);
            assert!(std::ptr::eq(super::find(info.id).unwrap(), spec.info));
        }
    }
}
