//! The search panel: which of the chosen model's settings to search and over
//! what range, how (grid, random, Bayesian) and for how many trials; the
//! search's live charts, drawn as each trial arrives; then the sortable
//! table of trials, and "Use the best", which sets the model's controls to
//! the best trial's settings and trains the final model on all training rows.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::form::{render_params, selected_task, train_request};
use super::{report, set_busy, show_error, Shared};
use crate::eval::search::Dimension;
use crate::explain::SearchView;
use crate::model::{self, ParamKind};
use crate::render;
use crate::session::{search, CrossValidation, Request, RequestId, SearchRequest, Searched, Trial};
use crate::web::canvas;
use crate::web::compare_table::Sort;
use crate::web::dom::{self, append_text, by_id, by_test_id, create, on, set_text, JsResult};
use crate::web::search_table::{self, SortKey};
use crate::web::{input, text};

/// Widest a search chart is drawn, CSS px.
const WIDTH: u32 = 720;

/// The search asked for last, and what came of it.
#[derive(Default)]
pub(super) struct SearchState {
    request: Option<SearchRequest>,
    /// Trials asked for (a grid may hold fewer than the budget).
    total: usize,
    running: bool,
    /// Every trial once the search ended, or those before it was stopped.
    result: Option<Searched>,
    canceled: bool,
    sort: Option<Sort<SortKey>>,
    /// The best trial's score, while its settings train as the final model.
    applied: Option<CrossValidation>,
}

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("search-start")?.into(), "click", move |_| report(start(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("search-cancel")?.into(), "click", move |_| report(super::cancel(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("search-apply")?.into(), "click", move |_| report(apply(&app)))?;
    }
    on::<Event>(&by_test_id::<Element>("search-method")?.into(), "change", move |_| report(describe_method()))?;
    on::<Event>(&by_test_id::<Element>("cv-folds")?.into(), "change", move |_| report(describe_rows()))?;
    describe_method()?;
    describe_rows()
}

fn describe_method() -> JsResult<()> {
    let method = input::search_method(&by_test_id::<HtmlSelectElement>("search-method")?.value());
    set_text(&by_id::<Element>("search-method-note")?, &text::search_method_text(method));
    Ok(())
}

fn folds() -> JsResult<usize> {
    Ok(input::search_folds(&by_test_id::<HtmlSelectElement>("cv-folds")?.value()))
}

fn describe_rows() -> JsResult<()> {
    set_text(&by_id::<Element>("search-rows")?, &text::search_rows_text(folds()?));
    Ok(())
}

/// A row per setting of the chosen model: a box to search it, and for a
/// number its range (the spec's whole range, on the spec's scale) to edit.
/// The first two numeric settings start ticked. The rows stay as the person
/// left them while the model and task stay the same (a table reloaded into a
/// fresh worker after a cancel redraws the form, not the search's choices).
pub(super) fn render_settings() -> JsResult<()> {
    let container: Element = by_id("search-settings")?;
    let model_id = by_test_id::<HtmlSelectElement>("model-select")?.value();
    let task = selected_task()?;
    let shown = format!("{model_id}:{}", task.name());
    if container.get_attribute("data-for").as_deref() == Some(shown.as_str()) {
        return Ok(());
    }
    container.set_attribute("data-for", &shown)?;
    dom::clear(&container);
    let Some(spec) = model::catalog::find(&model_id) else { return Ok(()) };
    let mut numeric_ticked = 0;
    for p in (spec.params)(task) {
        let row: Element = create("div", None)?;
        row.set_class_name("search-setting");
        row.set_attribute("data-key", p.key)?;
        let label: Element = create("label", None)?;
        let check: HtmlInputElement = create("input", None)?;
        check.set_type("checkbox");
        check.set_attribute("data-search", p.key)?;
        check.set_attribute("aria-label", &format!("search {}", p.label))?;
        label.append_child(&check)?;
        append_text(&label, "span", p.label)?;
        row.append_child(&label)?;
        let dimension = Dimension::from_spec(&p);
        match (&p.kind, &dimension.range) {
            (ParamKind::Choice { options, .. }, _) => {
                append_text(&row, "small", &format!("each of {}", options.join(", ")))?;
            }
            (_, range) => {
                numeric_ticked += 1;
                check.set_checked(numeric_ticked <= 2);
                let (low, high, log) = match range {
                    crate::eval::search::Range::Int { low, high, log } => (low.to_string(), high.to_string(), *log),
                    crate::eval::search::Range::Float { low, high, log } => (low.to_string(), high.to_string(), *log),
                    crate::eval::search::Range::Choice(_) => continue,
                };
                for (end, value) in [("low", low), ("high", high)] {
                    let bound: HtmlInputElement = create("input", None)?;
                    bound.set_type("number");
                    bound.set_step("any");
                    bound.set_value(&value);
                    bound.set_attribute("data-end", end)?;
                    bound.set_attribute("aria-label", &format!("{} {end} end", p.label))?;
                    row.append_child(&bound)?;
                    if end == "low" {
                        append_text(&row, "span", "to")?;
                    }
                }
                append_text(&row, "small", if log { "log scale" } else { "linear" })?;
            }
        }
        container.append_child(&row)?;
    }
    Ok(())
}

/// The search the panel describes, or `None` after telling the person what to fix.
fn search_request(app: &Shared) -> JsResult<Option<SearchRequest>> {
    let Some(request) = train_request(app)? else { return Ok(None) };
    let Some(spec) = model::catalog::find(&request.model) else { return Ok(None) };
    let mut dimensions = Vec::new();
    for p in (spec.params)(request.task) {
        let row = by_id::<Element>("search-settings")?.query_selector(&format!("[data-key=\"{}\"]", p.key))?;
        let Some(row) = row else { continue };
        let ticked = row
            .query_selector("input[data-search]")?
            .and_then(|c| c.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|c| c.checked());
        if !ticked {
            continue;
        }
        let end = |which: &str| -> JsResult<String> {
            Ok(row
                .query_selector(&format!("input[data-end={which}]"))?
                .and_then(|e| dom::input_value(&e))
                .unwrap_or_default())
        };
        match input::search_dimension(&p, &end("low")?, &end("high")?) {
            Ok(d) => dimensions.push(d),
            Err(e) => {
                show_error(&e);
                return Ok(None);
            }
        }
    }
    let budget = match input::search_budget(&by_test_id::<HtmlInputElement>("search-budget")?.value()) {
        Ok(b) => b,
        Err(e) => {
            show_error(&e);
            return Ok(None);
        }
    };
    let method = input::search_method(&by_test_id::<HtmlSelectElement>("search-method")?.value());
    let per_setting = input::grid_per_setting(budget, &dimensions);
    let folding = input::folding(&by_test_id::<HtmlSelectElement>("cv-split")?.value());
    Ok(Some(SearchRequest { request, dimensions, method, budget, per_setting, k: folds()?, folding }))
}

fn start(app: &Shared) -> JsResult<()> {
    let Some(req) = search_request(app)? else { return Ok(()) };
    show_error("");
    let total = search::trial_count(&req).unwrap_or(req.budget);
    app.borrow_mut().search = SearchState { total, request: Some(req.clone()), running: true, ..Default::default() };
    by_id::<HtmlElement>("search-results")?.set_hidden(true);
    set_text(&by_test_id::<Element>("search-verdict")?, "");
    show_running(true)?;
    set_text(&by_id::<Element>("search-status")?, &text::search_progress_text(0, total, None, ""));
    draw_live(&req, &[])?;
    set_busy(app, true, "Searching…");
    // Its trials go to the helper workers, if any, and come back one by one in order.
    app.borrow_mut().link.pooled_search();
    if !super::pool::split(app, &Request::Search(req.clone())) {
        let now = app.borrow_mut().link.search(req);
        super::post(app, now);
    }
    Ok(())
}

fn total_of(app: &Shared) -> usize {
    app.borrow().search.total
}

fn show_running(running: bool) -> JsResult<()> {
    by_test_id::<HtmlElement>("search-cancel")?.set_hidden(!running);
    by_test_id::<HtmlButtonElement>("search-start")?.set_disabled(running);
    by_id::<HtmlElement>("search-live")?.set_hidden(false);
    Ok(())
}

/// A trial of the search sent to the primary (request `id`) ended.
pub(super) fn on_trial(app: &Shared, id: RequestId, trial: Trial) -> JsResult<()> {
    let trials = app.borrow_mut().link.trial(id, trial).map(<[Trial]>::to_vec);
    show_trials(app, trials)
}

/// The pool joined the next trial of the search its helpers compute; the
/// page's bar follows the trials (a helper's own progress is not shown).
pub(super) fn on_pooled_trial(app: &Shared, trial: Trial) -> JsResult<()> {
    let trials = app.borrow_mut().link.pooled_trial(trial).map(<[Trial]>::to_vec);
    if let Some(trials) = &trials {
        super::show_progress(trials.len() as u64, total_of(app) as u64, "searching")?;
    }
    show_trials(app, trials)
}

/// The trials so far, if one came: the charts are drawn again with them.
fn show_trials(app: &Shared, trials: Option<Vec<Trial>>) -> JsResult<()> {
    let Some(trials) = trials else { return Ok(()) };
    let Some(req) = app.borrow().search.request.clone() else { return Ok(()) };
    let view = draw_live(&req, &trials)?;
    let best = view.best().map(|t| t.score);
    set_text(
        &by_id::<Element>("search-status")?,
        &text::search_progress_text(trials.len(), total_of(app), best, &view.measure),
    );
    Ok(())
}

/// The search ended with every trial.
pub(super) fn on_searched(app: &Shared, searched: Searched) -> JsResult<()> {
    set_busy(app, false, "Searched.");
    finish(app, searched, false)
}

/// The search stopped before its end (the person canceled it, or its worker
/// failed): the trials that ended, if any, are kept as its result.
pub(super) fn on_stopped(app: &Shared, kept: Option<Searched>) -> JsResult<()> {
    if !app.borrow().search.running {
        return Ok(());
    }
    show_running(false)?;
    match kept {
        Some(searched) => finish(app, searched, true),
        None => {
            app.borrow_mut().search.running = false;
            set_text(&by_id::<Element>("search-status")?, "Stopped before any trial ended.");
            Ok(())
        }
    }
}

fn finish(app: &Shared, searched: Searched, canceled: bool) -> JsResult<()> {
    {
        let mut a = app.borrow_mut();
        a.search.running = false;
        a.search.canceled = canceled;
        a.search.result = Some(searched);
    }
    show_running(false)?;
    draw(app)
}

/// Draws the live charts of `trials` and returns their view.
fn draw_live(req: &SearchRequest, trials: &[Trial]) -> JsResult<SearchView> {
    let view = search::view(req, trials);
    let trials_canvas = by_test_id("search-trials-canvas")?;
    let said = text::search_chart_text(&view);
    canvas::draw_view(&trials_canvas, &view, WIDTH, render::search_trials_size, render::draw_search_trials, said.clone())?;
    let settings_canvas = by_test_id("search-settings-canvas")?;
    let label = format!("{said} against each searched setting.");
    canvas::draw_view(
        &settings_canvas,
        &view,
        2 * WIDTH,
        render::search_settings_size,
        render::draw_search_settings,
        label,
    )?;
    let heat_box: HtmlElement = by_id("search-heatmap-box")?;
    heat_box.set_hidden(view.grid.is_none());
    if view.grid.is_some() {
        let heat = by_test_id("search-heatmap-canvas")?;
        let label = format!("{said} over the grid of two settings.");
        canvas::draw_view(&heat, &view, WIDTH, render::search_heatmap_size, render::draw_search_heatmap, label)?;
    }
    Ok(view)
}

/// Draws the ended (or stopped) search: its charts, the status line and the table.
pub(super) fn draw(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    // While it runs, only the live charts, from the trials so far.
    if a.search.running {
        if let (Some(req), Some(trials)) = (a.search.request.as_ref(), a.link.search_trials()) {
            draw_live(req, trials)?;
        }
        return Ok(());
    }
    let (Some(req), Some(result)) = (a.search.request.as_ref(), a.search.result.as_ref()) else { return Ok(()) };
    let view = draw_live(req, &result.trials)?;
    let best = result.best.and_then(|i| Some((i, result.trials[i].outcome.as_ref().ok()?)));
    set_text(
        &by_id::<Element>("search-status")?,
        &text::search_done_text(
            result.trials.len(),
            a.search.total,
            best.map(|(i, cv)| (result.trials[i].index, cv)),
            a.search.canceled,
        ),
    );
    by_id::<HtmlElement>("search-results")?.set_hidden(false);
    by_test_id::<HtmlButtonElement>("search-apply")?.set_disabled(result.best.is_none());

    // The header: trial, each setting, score; each a button that sorts.
    let head: Element = by_id("search-head")?;
    dom::clear(&head);
    let tr: Element = create("tr", None)?;
    let mut columns = vec![(SortKey::Trial, "trial".to_string())];
    columns.extend(view.settings.iter().enumerate().map(|(i, s)| (SortKey::Setting(i), s.label.clone())));
    columns.push((SortKey::Score, format!("CV {} (mean ± sd over {} folds)", view.measure, view.k)));
    for (key, name) in columns {
        let th: Element = create("th", None)?;
        th.set_attribute("aria-sort", Sort::aria(a.search.sort, key))?;
        let button: Element = append_text(&th, "button", &name)?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-sort", &key.id())?;
        let app = app.clone();
        on::<Event>(&button.into(), "click", move |_| {
            let sort = Sort::clicked(app.borrow().search.sort, key);
            app.borrow_mut().search.sort = Some(sort);
            report(draw(&app));
        })?;
        tr.append_child(&th)?;
    }
    head.append_child(&tr)?;

    let body: Element = by_test_id("search-table")?;
    dom::clear(&body);
    let best_index = result.best.map(|i| result.trials[i].index);
    for place in search_table::order(&view, a.search.sort) {
        let trial = &result.trials[place];
        let row: Element = create("tr", None)?;
        row.set_attribute("data-trial", &trial.index.to_string())?;
        let cells = search_table::cells(&view, place, trial);
        for (i, cell) in cells.iter().enumerate() {
            let td = append_text(&row, if i == 0 { "th" } else { "td" }, cell)?;
            if trial.outcome.is_err() && i + 1 == cells.len() {
                td.set_class_name("failed");
            }
        }
        if Some(trial.index) == best_index {
            row.set_class_name("best");
            append_text(&row.first_element_child().ok_or("no cell")?, "span", "best")?;
        }
        body.append_child(&row)?;
    }
    Ok(())
}

/// Sets the model's controls to the best trial's settings and trains it: the
/// final model is fitted on every training row and scored once on the test rows.
fn apply(app: &Shared) -> JsResult<()> {
    let (model_id, trial) = {
        let a = app.borrow();
        let (Some(req), Some(result)) = (a.search.request.as_ref(), a.search.result.as_ref()) else { return Ok(()) };
        let Some(best) = result.best else { return Ok(()) };
        (req.request.model.clone(), result.trials[best].clone())
    };
    let select: HtmlSelectElement = by_test_id("model-select")?;
    if select.value() != model_id {
        select.set_value(&model_id);
        render_params(app)?;
    }
    super::form::set_params(&trial.params)?;
    super::train(app)?;
    app.borrow_mut().search.applied = trial.outcome.ok();
    Ok(())
}

/// A model was trained: if it is the best trial's, its test score beside the
/// trial's CV score (with a warning when the CV score is far above); else
/// nothing, as a model the person trained by hand has no search score.
pub(super) fn on_trained(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let verdict = match (a.search.applied.as_ref(), a.report.as_ref()) {
        (Some(cv), Some(report)) => search_table::verdict(cv, &report.metrics),
        _ => None,
    };
    let el: Element = by_test_id("search-verdict")?;
    set_text(&el, &verdict.as_ref().map(text::search_verdict_text).unwrap_or_default());
    el.class_list().toggle_with_force("warning", verdict.is_some_and(|v| v.far))?;
    Ok(())
}

/// The person trains by hand: a verdict about the search's settings no longer applies.
pub(super) fn forget_applied(app: &Shared) {
    app.borrow_mut().search.applied = None;
}
