//! The toy-data row of the Data step: a pattern, its noise and rows (and, for
//! blobs, how many), drawn in the worker as soon as one is picked or changed,
//! and drawn again with new points on "New points".

use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::{load, show_error, Shared};
use crate::data::ToyKind;
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
        Ok(Some(toy)) => load(app, Load::Toy(toy)),
        Ok(None) => {}
        Err(message) => show_error(&message),
    }
}
