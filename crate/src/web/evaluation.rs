//! The evaluation cards: permutation importance, partial dependence (with its
//! feature picker), confusion matrix, ROC / precision–recall, residuals and the
//! learning curve. Each canvas gets an aria-label that sums it up and a table of
//! its numbers under "Numbers", for people who cannot see the chart.

use web_sys::{Element, Event, HtmlCanvasElement, HtmlElement, HtmlSelectElement};

use super::alt;
use super::canvas::{self, Area};
use super::dom::{append_text, by_id, by_test_id, clear, create, fill_select, on, JsResult};
use crate::base::{format_count, format_significant};
use crate::explain::{
    ConfusionView, Evaluation, ImportanceView, LearningCurveView, OneFeatureView, PartialDependenceView, PointView,
    ResidualsView, RocView,
};
use crate::render::{self, PlotMapping, RenderError, Theme};

/// Widest a half-width card's chart is drawn, CSS px.
pub(crate) const HALF: u32 = 720;
/// Widest a full-width card's chart (two panels) is drawn, CSS px.
pub(crate) const WIDE: u32 = 1100;

/// Every card: its canvas's test id, and the card around it.
const CARDS: [(&str, &str); 6] = [
    ("permutation-canvas", "permutation-card"),
    ("pdp-canvas", "pdp-card"),
    ("confusion-canvas", "confusion-card"),
    ("roc-canvas", "roc-card"),
    ("residuals-canvas", "residuals-card"),
    ("learning-curve-canvas", "learning-curve-card"),
];

/// Asks for another feature's partial dependence when the person picks one.
pub fn init(request: impl Fn(String) + 'static) -> JsResult<()> {
    let select: HtmlSelectElement = by_test_id("pdp-feature-select")?;
    let picked = select.clone();
    on::<Event>(&select.into(), "change", move |_| {
        let feature = picked.value();
        if !feature.is_empty() {
            request(feature);
        }
    })
}

/// Draws every evaluation view of a trained model and hides the cards of the
/// views it does not have (a regression has no confusion matrix).
pub fn draw(evaluation: &Evaluation) -> JsResult<()> {
    let Evaluation { permutation, confusion, roc, residuals, partial_dependence, pdp_features, learning_curve, .. } =
        evaluation;
    // Cards are shown or hidden before anything is drawn: a canvas takes its
    // card's width, and the cards shown decide the widths (a learning curve
    // without a confusion matrix beside it spans the row).
    let shown = [
        ("permutation-card", permutation.is_some()),
        ("confusion-card", confusion.is_some()),
        ("roc-card", roc.is_some()),
        ("residuals-card", residuals.is_some()),
        ("learning-curve-card", learning_curve.is_some()),
        ("pdp-card", partial_dependence.is_some()),
    ];
    for (card, is_shown) in shown {
        by_test_id::<HtmlElement>(card)?.set_hidden(!is_shown);
    }
    // A model with none of these views (a clustering) shows no empty section.
    by_id::<HtmlElement>("evaluation-title")?.set_hidden(!shown.iter().any(|(_, s)| *s));
    permutation.as_ref().map_or(Ok(()), draw_permutation)?;
    confusion.as_ref().map_or(Ok(()), draw_confusion)?;
    roc.as_ref().map_or(Ok(()), draw_roc)?;
    residuals.as_ref().map_or(Ok(()), draw_residuals)?;
    learning_curve.as_ref().map_or(Ok(()), draw_learning_curve)?;
    let options: Vec<(String, String)> = pdp_features.iter().map(|f| (f.clone(), f.clone())).collect();
    let selected = partial_dependence.as_ref().map(|p| p.feature.as_str());
    fill_select(&by_test_id("pdp-feature-select")?, &options, selected)?;
    partial_dependence.as_ref().map_or(Ok(()), draw_partial_dependence)
}

/// Blanks every card when a new table replaces the one they explained.
pub fn clear_all() -> JsResult<()> {
    for (canvas_id, card) in CARDS {
        let canvas: HtmlCanvasElement = by_test_id(canvas_id)?;
        canvas.set_width(0);
        canvas.set_height(0);
        canvas.style().set_property("height", "0")?;
        clear(&numbers_of(canvas_id)?);
        by_test_id::<HtmlElement>(card)?.set_hidden(true);
    }
    fill_select(&by_test_id("pdp-feature-select")?, &[], None)
}

/// The table of numbers beside a canvas.
pub(crate) fn numbers_of(canvas_id: &str) -> JsResult<Element> {
    by_test_id(&canvas_id.replace("-canvas", "-numbers"))
}

/// Draws `view` on the canvas `id`, labels it, and writes its numbers as a table.
pub(crate) fn render<V: Clone + 'static>(
    id: &str,
    view: &V,
    max_width: u32,
    size: fn(&V, &Theme, u32) -> (u32, u32),
    draw: fn(&Area, &V, &Theme) -> Result<(), RenderError>,
    label: &str,
    (head, rows): (Vec<String>, Vec<Vec<String>>),
) -> JsResult<()> {
    let canvas: HtmlCanvasElement = by_test_id(id)?;
    canvas::draw_view(&canvas, view, max_width, size, draw, label.to_string())?;
    let table = numbers_of(id)?;
    fill_table(&table, &head, rows).map(|_| ())
}

/// Writes `head` and `rows` into `table` (emptied first); returns the rows' elements.
pub(crate) fn fill_table(table: &Element, head: &[String], rows: Vec<Vec<String>>) -> JsResult<Vec<Element>> {
    clear(table);
    let tr: Element = create("tr", None)?;
    for h in head {
        append_text(&tr, "th", h)?;
    }
    table.append_child(&tr)?;
    let mut made = Vec::with_capacity(rows.len());
    for row in rows {
        let tr: Element = create("tr", None)?;
        for cell in row {
            append_text(&tr, "td", &cell)?;
        }
        table.append_child(&tr)?;
        made.push(tr);
    }
    Ok(made)
}

fn n3(v: f64) -> String {
    format_significant(v, 3)
}

fn draw_permutation(view: &ImportanceView) -> JsResult<()> {
    let spread = |i: usize| view.spread.as_ref().and_then(|s| s.get(i)).map_or(String::new(), |&s| n3(s));
    let rows = view.items.iter().enumerate().map(|(i, (name, v))| vec![name.clone(), n3(*v), spread(i)]).collect();
    let label = alt::importance(view);
    let head = vec!["feature".to_string(), "mean drop".to_string(), "standard deviation".to_string()];
    render("permutation-canvas", view, HALF, importance_size, render::draw_importance, &label, (head, rows))
}

/// The importance chart's size: its own height at the card's width.
pub(crate) fn importance_size(view: &ImportanceView, theme: &Theme, width: u32) -> (u32, u32) {
    (width, render::importance_height(view, theme, width))
}

/// Draws a partial dependence that came back for a newly picked feature.
pub fn draw_partial_dependence(view: &PartialDependenceView) -> JsResult<()> {
    let mut head = vec![view.feature.clone()];
    head.extend(view.mean.iter().map(|(name, _)| name.clone()));
    let rows = (0..view.grid.len())
        .map(|k| {
            let mut row = vec![view.grid.label(k)];
            row.extend(view.mean.iter().map(|(_, m)| m.get(k).map_or(String::new(), |&v| n3(v))));
            row
        })
        .collect();
    let label = alt::partial_dependence(view);
    render("pdp-canvas", view, HALF, render::partial_dependence_size, render::draw_partial_dependence, &label, (head, rows))
}

/// Draws the prediction along a model's only feature, with a traced row
/// marked if there is one, and its numbers: the curves at each level, or at
/// about a dozen places along a number. Returns where the plot landed, for
/// the pointer.
pub fn draw_one_feature(view: &OneFeatureView, traced: Option<&PointView>) -> JsResult<Option<PlotMapping>> {
    let mut head = vec![view.feature.name.clone()];
    head.extend(view.curves.iter().map(|(name, _)| name.clone()));
    let step = view.xs.len().div_ceil(12).max(1);
    let rows = (0..view.xs.len())
        .step_by(step)
        .map(|k| {
            let x = view.xs[k];
            let mut row = vec![view.feature.levels.get(x as usize).cloned().unwrap_or_else(|| n3(x))];
            row.extend(view.curves.iter().map(|(_, c)| c.get(k).map_or(String::new(), |&v| n3(v))));
            row
        })
        .collect();
    let id = "one-feature-canvas";
    let mapping = canvas::draw_one_feature(&by_test_id(id)?, view, traced, HALF)?;
    fill_table(&numbers_of(id)?, &head, rows)?;
    Ok(mapping)
}

fn draw_confusion(view: &ConfusionView) -> JsResult<()> {
    let mut head = vec![format!("true {} \\ predicted", view.target)];
    head.extend(view.classes.iter().cloned());
    head.push("total".to_string());
    let mut rows: Vec<Vec<String>> = view
        .classes
        .iter()
        .zip(&view.counts)
        .map(|(class, counts)| {
            let mut row = vec![class.clone()];
            row.extend(counts.iter().map(|&c| format_count(c)));
            row.push(format_count(counts.iter().sum()));
            row
        })
        .collect();
    let mut totals = vec!["total".to_string()];
    totals.extend(
        (0..view.classes.len()).map(|j| format_count(view.counts.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum())),
    );
    totals.push(format_count(view.total()));
    rows.push(totals);
    let label = alt::confusion(view);
    render("confusion-canvas", view, HALF, render::confusion_size, render::draw_confusion, &label, (head, rows))
}

fn draw_roc(view: &RocView) -> JsResult<()> {
    let head = ["class", "ROC AUC", "average precision", "share of test rows"].map(String::from).to_vec();
    let mut rows: Vec<Vec<String>> = view
        .roc
        .iter()
        .zip(&view.pr)
        .map(|(r, p)| vec![r.class.clone(), n3(r.area), n3(p.area), n3(r.prevalence)])
        .collect();
    if let Some(auc) = view.macro_auc {
        rows.push(vec!["macro average".into(), n3(auc), String::new(), String::new()]);
    }
    let label = alt::roc(view);
    render("roc-canvas", view, WIDE, render::roc_size, render::draw_roc, &label, (head, rows))
}

fn draw_residuals(view: &ResidualsView) -> JsResult<()> {
    let errors: Vec<f64> = view.actual.iter().zip(&view.predicted).map(|(a, p)| a - p).collect();
    let n = errors.len().max(1) as f64;
    let mean = errors.iter().sum::<f64>() / n;
    let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / n;
    let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / n).sqrt();
    let (lo, hi) = errors.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &e| (lo.min(e), hi.max(e)));
    let rows = vec![
        vec!["test rows".into(), format_count(errors.len())],
        vec!["mean residual (actual − predicted)".into(), n3(mean)],
        vec!["mean absolute residual".into(), n3(mae)],
        vec!["root mean squared residual".into(), n3(rmse)],
        vec!["largest over-prediction".into(), n3(-lo)],
        vec!["largest under-prediction".into(), n3(hi)],
    ];
    let label = format!(
        "{}: predicted against actual {}, and residuals; mean absolute residual {}",
        view.title,
        view.target,
        n3(mae)
    );
    let head = vec!["measure".to_string(), view.target.clone()];
    render("residuals-canvas", view, WIDE, render::residuals_size, render::draw_residuals, &label, (head, rows))
}

fn draw_learning_curve(view: &LearningCurveView) -> JsResult<()> {
    let c = &view.curves;
    let mut head = vec![c.x_label.clone()];
    head.extend(c.series.iter().map(|s| format!("{} on {}", c.y_label, s.name)));
    let xs: Vec<f64> = c.series.first().map(|s| s.points.iter().map(|p| p.0).collect()).unwrap_or_default();
    let rows = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let mut row = vec![format_significant(x, 6)];
            row.extend(c.series.iter().map(|s| s.points.get(i).map_or(String::new(), |p| n3(p.1))));
            row
        })
        .collect();
    let label = alt::learning_curve(view);
    render(
        "learning-curve-canvas",
        view,
        HALF,
        render::learning_curve_size,
        render::draw_learning_curve,
        &label,
        (head, rows),
    )
}
