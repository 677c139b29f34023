//! The toy-data row of the Data step: a pattern, its noise and rows (and, for
//! blobs, how many), drawn in the worker as soon as one is picked or changed,
//! and drawn again with new points on "New points".

use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::table::show_summary_line;
use super::{load, set_busy, show_error, Shared};
use crate::data::{ToyEdit, ToyKind, ToySpec};
use crate::session::DataSummary;
use crate::web::dom::{by_id, by_test_id, fill_select, on, JsResult};
use crate::web::input;
use crate::web::link::Load;

/// Fills the pattern picker and draws a toy set whenever a control changes.
pub(super) fn wire(app: &Shared) -> JsResult<()> {
    let select: HtmlSelectElement = by_test_id("toy-select")?;
    let mut options = vec![(String::new(), "Draw toy data…".to_string())];
    options.extend(ToyKind::ALL.iter().map(|k| (k.id().to_string(), k.label().to_string())));
    fill_select(&select, &options, None)?;
    let controls: [Element; 4] = [select.into(), by_test_id("toy-noise")?, by_test_id("toy-rows")?, by_id("toy-classes")?];
    for control in &controls {
        let app = app.clone();
        on::<Event>(control.as_ref(), "change", move |_| draw(&app, false))?;
    }
    let app = app.clone();
    on::<Event>(&by_id::<Element>("toy-redraw")?.into(), "click", move |_| draw(&app, true))
}

/// Draws the toy set the controls describe (with a new seed if `new_points`);
/// a number out of range is said on the page and nothing is drawn.
fn draw(app: &Shared, new_points: bool) {
    let read = || -> JsResult<_> {
        let kind = by_test_id::<HtmlSelectElement>("toy-select")?.value();
        let value = |id: &str| by_test_id::<HtmlInputElement>(id).map(|i| i.value());
        let classes = by_id::<HtmlInputElement>("toy-classes")?.value();
        by_id::<HtmlElement>("toy-classes-row")?.set_hidden(kind != ToyKind::Blobs.id());
        by_id::<HtmlElement>("toy-redraw")?.set_hidden(kind.is_empty());
        Ok((kind, value("toy-noise")?, value("toy-rows")?, classes))
    };
    let Ok((kind, noise, rows, classes)) = read() else { return };
    if new_points {
        let mut a = app.borrow_mut();
        a.toy_seed = a.toy_seed.wrapping_add(1);
    }
    let seed = app.borrow().toy_seed;
    match input::toy(&kind, &noise, &rows, &classes, seed) {
        Ok(Some(toy)) => {
            let _ = offer_classes(&toy.labels());
            load(app, Load::Toy(toy));
        }
        Ok(None) => {}
        Err(message) => show_error(&message),
    }
}

/// Sets the toy row's controls to `spec` (a link's toy set), as if the
/// person had drawn it, so that its classes can be clicked onto it and "New
/// points" goes on from its seed.
pub(super) fn show(app: &Shared, spec: &ToySpec) -> JsResult<()> {
    by_test_id::<HtmlSelectElement>("toy-select")?.set_value(spec.kind.id());
    by_test_id::<HtmlInputElement>("toy-noise")?.set_value(&spec.noise.to_string());
    by_test_id::<HtmlInputElement>("toy-rows")?.set_value(&spec.rows.to_string());
    by_id::<HtmlInputElement>("toy-classes")?.set_value(&spec.classes.to_string());
    by_id::<HtmlElement>("toy-classes-row")?.set_hidden(spec.kind != ToyKind::Blobs);
    by_id::<HtmlElement>("toy-redraw")?.set_hidden(false);
    app.borrow_mut().toy_seed = spec.seed;
    offer_classes(&spec.labels())
}

/// Models that train in a few milliseconds on a toy set: a point added by
/// hand retrains them at once; the others wait for Train.
const LIVE_MODELS: [&str; 4] = ["decision_tree", "logistic_regression", "knn", "naive_bayes"];

/// Offers the toy set's classes for points added by hand (none for a value,
/// or for a table that is not a toy set), and "nothing" so a click can trace.
pub(super) fn offer_classes(labels: &[String]) -> JsResult<()> {
    let select: HtmlSelectElement = by_test_id("add-class-select")?;
    let mut options: Vec<(String, String)> = labels.iter().map(|l| (l.clone(), format!("a point of {l}"))).collect();
    options.push((String::new(), "nothing (a click traces)".to_string()));
    fill_select(&select, &options, labels.first().map(String::as_str))?;
    by_id::<HtmlElement>("toy-add-row")?.set_hidden(labels.is_empty());
    Ok(())
}

/// What a press on the boundary plot does to a toy set: with a class chosen,
/// a press adds a point of it at data place `at` (`x` and `y` the plot's
/// axes), and a shift-press on drawn row `hit` removes it. `None` when
/// pressing should trace, as on any other table.
pub(super) fn edit_at(
    shift: bool,
    hit: Option<usize>,
    at: Option<(f64, f64)>,
    (x, y): (&str, &str),
) -> JsResult<Option<ToyEdit>> {
    let class = by_test_id::<HtmlSelectElement>("add-class-select")?.value();
    if by_id::<HtmlElement>("toy-add-row")?.hidden() || class.is_empty() {
        return Ok(None);
    }
    Ok(match (shift, hit, at) {
        (true, Some(row), _) => Some(ToyEdit::Remove { row }),
        (false, _, Some((a, b))) if (x, y) == ("x1", "x2") => Some(ToyEdit::Add { x1: a, x2: b, class }),
        (false, _, Some((a, b))) if (x, y) == ("x2", "x1") => Some(ToyEdit::Add { x1: b, x2: a, class }),
        _ => None,
    })
}

/// The toy set changed by hand: its summary, then the model trained again at
/// once when it trains in a few milliseconds, else on Train.
pub(super) fn edited(app: &Shared, summary: DataSummary) -> JsResult<()> {
    show_table(app, &summary)?;
    if super::address::on_toy_edited(app, &summary)? {
        return Ok(());
    }
    let model = by_test_id::<HtmlSelectElement>("model-select")?.value();
    if app.borrow().report.is_some() && LIVE_MODELS.contains(&model.as_str()) {
        super::train(app)
    } else {
        set_busy(app, false, "Points changed: press Train to train on them.");
        // The model on show was trained on the points before: the link names the table alone.
        {
            let mut a = app.borrow_mut();
            a.trained = None;
            a.ensembled = None;
            a.student = None;
        }
        super::address::remember(app, super::address::Entry::Replace)
    }
}

/// A fresh worker, after a crash, took back one of the points added or
/// removed by hand: the table on show is the one the person had again (the
/// model went with the crash; Train trains on these rows), and the address
/// names its edits again once the last is back.
pub(super) fn replayed(app: &Shared, summary: DataSummary) -> JsResult<()> {
    show_table(app, &summary)?;
    super::address::remember(app, super::address::Entry::Replayed)
}

/// The toy set's summary line, and the summary the page trains on.
fn show_table(app: &Shared, summary: &DataSummary) -> JsResult<()> {
    show_summary_line(summary)?;
    app.borrow_mut().summary = Some(summary.clone());
    Ok(())
}
