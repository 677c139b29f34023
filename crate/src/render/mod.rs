//! Drawing the explanation views. One function per view, generic over plotters'
//! `DrawingBackend`, so the same code draws the page's canvas (plotters-canvas) and
//! the PNG goldens in the native tests (`BitMapBackend` with a bundled font).
//!
//! Every size is in CSS pixels times [`Theme::scale`]; every color comes from
//! [`theme`]. The renderers read only the plain-data views in [`crate::explain`].

mod axis;
mod boundary;
mod coefficients;
mod confusion;
mod contributions;
mod curves;
mod distributions;
mod folds;
mod importance;
mod learning_curve;
mod leaves;
mod legend;
mod network;
mod one_feature;
mod pareto;
mod partial_dependence;
mod pipeline;
mod record;
mod residuals;
mod robustness;
mod roc;
mod search;
mod text;
pub mod theme;
mod tree;
mod tree_layout;
mod trees;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod golden;

pub use boundary::{boundary_size, draw_boundary, draw_point_marks, paint_grid_pixels, PixelRect, PlotMapping};
pub use coefficients::{coefficients_size, draw_coefficients};
pub use confusion::{confusion_size, draw_confusion};
pub use contributions::{contributions_height, draw_contributions};
pub use curves::{curves_size, draw_curves};
pub use distributions::{distributions_size, draw_distributions};
pub use folds::{draw_fold_scores, fold_scores_size};
pub use importance::{draw_importance, importance_height};
pub use learning_curve::{draw_learning_curve, learning_curve_size};
pub use leaves::{draw_leaves, leaves_size};
pub use network::{draw_network, network_size};
pub use one_feature::{draw_one_feature, one_feature_size};
pub use pareto::{draw_pareto, pareto_size};
pub use partial_dependence::{draw_partial_dependence, partial_dependence_size};
pub use pipeline::{
    draw_histogram_pair, draw_loadings, draw_scree, histogram_pair_size, loadings_size, scree_size, MAX_LOADING_COLUMNS,
    MAX_LOADING_ROWS,
};
pub use record::{mark_grid, record, GridImage, Recording};
pub use residuals::{draw_residuals, residuals_size};
pub use robustness::{calibration_size, draw_calibration, draw_noise, noise_size};
pub use roc::{draw_roc, roc_size};
pub use search::{
    draw_search_heatmap, draw_search_settings, draw_search_trials, search_heatmap_size, search_settings_size,
    search_trials_size,
};
pub use theme::{class_color, region_rgba, sequential_color, sequential_region_rgba, Theme};
pub use tree::{draw_tree, draw_tree_scene, tree_size, TreeCamera, TreeFocus, TreeScene};
pub use trees::{draw_trees, trees_size};

use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::prelude::DrawingBackend;

use crate::explain::ImportanceView;
use crate::model::view::ModelView;

/// Size (device px at `theme.scale`) a model's own view needs, given the
/// available width in device px.
pub fn model_view_size(view: &ModelView, theme: &Theme, width: u32) -> (u32, u32) {
    match view {
        ModelView::Tree(tree) => tree_size(tree, theme, TreeFocus::default()),
        ModelView::Distributions(view) => distributions_size(view, theme, width),
        ModelView::Leaves(view) => leaves_size(view, theme, width),
        ModelView::Coefficients(view) => coefficients_size(view, theme, width),
        ModelView::Trees { title, trees } => trees_size(title, trees, theme, width),
        ModelView::Network(network) => network_size(network, theme, width),
        ModelView::Curves(curves) => curves_size(curves, theme, width),
        ModelView::Members(members) => (width, importance_height(&ImportanceView::of_members(members), theme, width)),
    }
}

/// Draws any model's own view: the one entry point the page and tests use.
pub fn draw_model_view<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ModelView,
    theme: &Theme,
) -> Result<(), RenderError> {
    match view {
        ModelView::Tree(tree) => draw_tree(area, tree, theme, TreeFocus::default()),
        ModelView::Distributions(view) => draw_distributions(area, view, theme),
        ModelView::Leaves(view) => draw_leaves(area, view, theme),
        ModelView::Coefficients(view) => draw_coefficients(area, view, theme),
        ModelView::Trees { title, trees } => draw_trees(area, title, trees, theme),
        ModelView::Network(network) => draw_network(area, network, theme),
        ModelView::Curves(curves) => draw_curves(area, curves, theme),
        ModelView::Members(members) => draw_importance(area, &ImportanceView::of_members(members), theme),
    }
}

/// Drawing failed. Carries the backend's message (e.g. a canvas call that threw, or a
/// font that could not be loaded); nothing a person can fix, but worth a line in the log.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("drawing failed: {0}")]
    Backend(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for RenderError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        RenderError::Backend(e.to_string())
    }
}
