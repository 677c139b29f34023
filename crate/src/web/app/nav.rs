//! The results' in-page navigation: a link to each part (results, evaluation,
//! comparison, data), the part being read marked as the page scrolls, and the
//! results brought into view, with the keyboard focus, when a model is trained.

use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element, Event, FocusOptions, HtmlElement};

use super::report;
use crate::web::dom::{by_id, by_test_id, document, on, JsResult};

/// How far below the window's top edge a part counts as being read: under
/// the sticky navigation bar.
const READING_LINE: f64 = 80.0;

thread_local! {
    /// The part whose link was pressed last: the address's fragment holds
    /// the page's state (a link), so the links scroll without changing it.
    static NAMED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

pub(super) fn wire() -> JsResult<()> {
    let window = web_sys::window().ok_or("no window")?;
    on::<Event>(&window.into(), "scroll", move |_| report(mark_current()))?;
    let links = by_test_id::<Element>("results-nav")?.query_selector_all("a")?;
    for i in 0..links.length() {
        let Some(link) = links.item(i).and_then(|l| l.dyn_into::<Element>().ok()) else { continue };
        let href = link.get_attribute("href").unwrap_or_default();
        on::<Event>(&link, "click", move |e| {
            let Some(part) = document().get_element_by_id(href.trim_start_matches('#')) else { return };
            e.prevent_default();
            NAMED.with(|n| *n.borrow_mut() = href.clone());
            part.scroll_into_view();
            // A link to a part already in view scrolls nothing.
            report(mark_current());
        })?;
    }
    mark_current()
}

/// Marks the link of the part being read (`aria-current`, which the
/// stylesheet highlights): the last part whose top has passed the reading
/// line, or, once the page is scrolled to its end (where the last short parts
/// cannot reach the top), the part the address names if it is in the window.
/// Hidden parts are skipped.
fn mark_current() -> JsResult<()> {
    let window = web_sys::window().ok_or("no window")?;
    let links = by_test_id::<Element>("results-nav")?.query_selector_all("a")?;
    // Each link with the box of the part it names, if that part is shown.
    let parts: Vec<(Element, String, Option<DomRect>)> = (0..links.length())
        .filter_map(|i| links.item(i)?.dyn_into::<Element>().ok())
        .map(|link| {
            let href = link.get_attribute("href").unwrap_or_default();
            let rect = document()
                .get_element_by_id(href.trim_start_matches('#'))
                .map(|part| part.get_bounding_client_rect())
                .filter(|r| r.height() > 0.0);
            (link, href, rect)
        })
        .collect();
    let at_end = {
        let root = document().document_element().ok_or("no document element")?;
        window.scroll_y()? + window.inner_height()?.as_f64().unwrap_or(0.0) >= root.scroll_height() as f64 - 2.0
    };
    let named = NAMED.with(|n| n.borrow().clone());
    let named_at_end =
        parts.iter().position(|(_, href, rect)| at_end && *href == named && rect.as_ref().is_some_and(|r| r.top() >= 0.0));
    let current = named_at_end
        .or_else(|| parts.iter().rposition(|(_, _, rect)| rect.as_ref().is_some_and(|r| r.top() <= READING_LINE)))
        .or_else(|| parts.iter().position(|(_, _, rect)| rect.is_some()));
    for (i, (link, _, _)) in parts.iter().enumerate() {
        if Some(i) == current {
            link.set_attribute("aria-current", "true")?;
        } else {
            link.remove_attribute("aria-current")?;
        }
    }
    Ok(())
}

/// A model was trained: its results come into view and the keyboard focus
/// moves to their heading, so the next Tab continues from there and a screen
/// reader reads the new results.
pub(super) fn show_results() -> JsResult<()> {
    let heading: HtmlElement = by_id("results-heading")?;
    let options = FocusOptions::new();
    options.set_prevent_scroll(true);
    heading.focus_with_options(&options)?;
    heading.scroll_into_view_with_bool(true);
    mark_current()
}
