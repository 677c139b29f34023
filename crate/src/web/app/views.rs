//! A trained model's views: the metrics and card lines, the boundary plot,
//! the tree, the model's own views, importance and the evaluation cards, and
//! blanking them all when a new table makes them stale.

use web_sys::{Element, HtmlCanvasElement, HtmlElement};

use super::{explore, Shared};
use crate::eval::Metrics;
use crate::model::view::ModelView;
use crate::web::dom::{self, by_id, by_test_id, create, fill_select, set_text, JsResult};
use crate::web::text::{card_text, metrics_text, no_boundary_text};
use crate::web::{canvas, evaluation};

/// Draws every view of the trained model and writes its numbers; remembers
/// where the boundary plot landed, for the pointer.
pub(super) fn draw(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.report.as_ref() else { return Ok(()) };
    let inspected = a.inspected.as_ref();
    by_id::<Element>("views")?.class_list().add_1("trained")?;
    set_text(
        &by_test_id::<Element>("metrics")?,
        &metrics_text(&report.metrics, report.left_out.as_ref(), report.learned_nothing.as_deref()),
    );
    // A clustering has regions of clusters, not decisions about a target.
    let clusters = matches!(report.metrics, Metrics::Clustering { .. });
    let title = match (&report.one_feature, clusters) {
        (Some(view), _) => format!("Prediction along {}", view.feature.name),
        (None, true) => "Clusters over two features".to_string(),
        (None, false) => "Decision boundary".to_string(),
    };
    set_text(&by_id::<Element>("boundary-title")?, &title);
    // Without a boundary plot, its axes, its hint and its slice have nothing to act on.
    for id in ["boundary-axes", "boundary-hint", "slice-details"] {
        by_id::<HtmlElement>(id)?.set_hidden(report.boundary.is_none());
    }
    set_text(&by_id::<Element>("prep-summary")?, &report.prep_summary);
    set_text(&by_test_id::<Element>("model-card")?, &card_text(&report.model_name, &report.card));

    let options: Vec<(String, String)> = report.axis_options.iter().map(|n| (n.clone(), n.clone())).collect();
    let (x, y) = match &report.boundary {
        Some(b) => (Some(b.x.name.as_str()), Some(b.y.name.as_str())),
        None => (None, None),
    };
    fill_select(&by_test_id("x-feature-select")?, &options, x)?;
    fill_select(&by_test_id("y-feature-select")?, &options, y)?;

    // Cards are shown or hidden before anything is drawn: a canvas takes its
    // box's width, and hiding the importance card widens the boundary's.
    let has_tree = report.views.iter().any(|v| matches!(v, ModelView::Tree(_)));
    by_id::<HtmlElement>("tree-card")?.set_hidden(!has_tree);
    by_id::<HtmlElement>("importance-card")?.set_hidden(report.importance.is_none());
    // The first view of the model's own (not its tree) goes to
    // model-view-canvas, any further ones (an MLP's loss curve after its
    // network) to canvases below it.
    let mut own_views = report.views.iter().filter(|v| !matches!(v, ModelView::Tree(_)));
    let first = own_views.next();
    by_id::<HtmlElement>("model-view-card")?.set_hidden(first.is_none());

    let boundary_canvas: HtmlCanvasElement = by_test_id("boundary-canvas")?;
    let boundary_note: Element = by_id("boundary-empty")?;
    if inspected.is_none() {
        set_text(&by_test_id::<Element>("path-text")?, "");
    }
    let mapping = match &report.boundary {
        Some(view) => {
            set_text(&boundary_note, "");
            Some(canvas::draw_boundary(&boundary_canvas, view, inspected)?)
        }
        None => {
            boundary_canvas.set_width(0);
            boundary_canvas.set_height(0);
            boundary_canvas.style().set_property("height", "0")?;
            set_text(&boundary_note, &no_boundary_text(report.one_feature.as_ref().map(|v| v.feature.name.as_str())));
            None
        }
    };
    for id in ["one-feature-box", "one-feature-details", "one-feature-hint"] {
        by_id::<HtmlElement>(id)?.set_hidden(report.one_feature.is_none());
    }
    // Along the model's only feature, the pointer acts on that plot.
    let mapping = match &report.one_feature {
        Some(view) => evaluation::draw_one_feature(view, inspected)?,
        None => mapping,
    };
    if let Some(view) = first {
        canvas::draw_model_view(&by_test_id("model-view-canvas")?, view)?;
    }
    let more: Element = by_id("more-views")?;
    dom::clear(&more);
    for (i, view) in own_views.enumerate() {
        let box_: Element = create("div", None)?;
        box_.set_class_name("canvas-box more-view");
        let extra: HtmlCanvasElement = create("canvas", None)?;
        extra.set_attribute("data-view", &format!("model-view-{}", i + 2))?;
        box_.append_child(&extra)?;
        more.append_child(&box_)?;
        canvas::draw_model_view(&extra, view)?;
    }
    if let Some(importance) = &report.importance {
        canvas::draw_importance(&by_test_id("importance-canvas")?, importance)?;
    }
    super::features::draw_report(&report.pipeline)?;
    evaluation::draw(&report.evaluation)?;
    drop(a);
    app.borrow_mut().mapping = mapping;
    super::robust::draw(app)?;
    explore::draw_tree(app)
}

/// Blanks the views when a new table replaces the one they explained.
pub(super) fn clear() -> JsResult<()> {
    by_id::<Element>("views")?.class_list().remove_1("trained")?;
    by_id::<HtmlElement>("compare-results")?.set_hidden(true);
    dom::clear(&by_id::<Element>("more-views")?);
    set_text(&by_test_id::<Element>("metrics")?, "");
    set_text(&by_test_id::<Element>("cv-summary")?, "");
    set_text(&by_id::<Element>("prep-summary")?, "");
    set_text(&by_test_id::<Element>("model-card")?, "");
    set_text(&by_test_id::<Element>("path-text")?, "");
    dom::clear(&by_test_id::<Element>("slice-controls")?);
    by_id::<HtmlElement>("contributions-box")?.set_hidden(true);
    set_text(&by_test_id::<Element>("pipeline-inputs")?, "");
    dom::clear(&by_test_id::<Element>("pipeline-report")?);
    for id in [
        "boundary-canvas",
        "tree-canvas",
        "importance-canvas",
        "model-view-canvas",
        "scree-canvas",
        "loadings-canvas",
        "pipeline-histogram-canvas",
        "one-feature-canvas",
    ] {
        let canvas: HtmlCanvasElement = by_test_id(id)?;
        canvas.set_width(0);
        canvas.set_height(0);
        canvas.style().set_property("height", "0")?;
    }
    fill_select(&by_test_id("x-feature-select")?, &[], None)?;
    fill_select(&by_test_id("y-feature-select")?, &[], None)?;
    evaluation::clear_all()?;
    super::robust::clear()
}
