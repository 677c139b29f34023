//! The pool of helper workers on the page ([`Pool`] says what to do; this
//! carries it out): helpers started lazily, one per core but the primary's
//! (one per core for a search or a comparison, which the primary only waits
//! for; `?workers=N` in the address sets the count, `?workers=1` computes
//! everything in the primary worker as before), each posted the table and
//! one piece at a time, its answers routed back to the pool. The pieces
//! helpers computed are counted on `<html data-helper-pieces>`, so a test
//! sees that they did. A training without cross-validation gives the
//! helpers its learning curve ([`curve`]), which needs no fitted model:
//! they refit it while the primary fits the model and computes the other
//! views.

use web_sys::{Event, MessageEvent, Worker, WorkerOptions};

use super::{
    on_response, post as post_primary, post_to, report, search, send, set_busy, show_error, show_progress, staged, FileLoad,
    Shared, WORKER_URL,
};
use crate::explain::EvaluationPart;
use crate::session::task::{Job, PieceDone};
use crate::session::{Reply, Request, Response, TrainRequest};
use crate::web::dom::{on, JsResult};
use crate::web::js::read_reply;
use crate::web::pool::{helpers_for, Action, Pool};

/// The pool for this page: `?workers=N` when the address says, else the
/// browser's core count.
pub(super) fn new() -> Pool<FileLoad> {
    let window = web_sys::window();
    let asked = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("workers"))
        .and_then(|n| n.trim().parse::<usize>().ok());
    let cores = asked.unwrap_or_else(|| window.map_or(1, |w| w.navigator().hardware_concurrency() as usize));
    Pool::new(helpers_for(cores.max(1)))
}

/// Sends a request that splits (a cross-validation, a comparison): to the
/// helpers, when the page has any, else whole to the primary worker.
pub(super) fn send_splittable(app: &Shared, request: Request) {
    if !split(app, &request) {
        send(app, request);
    }
}

/// Deals `request`'s pieces to the helpers, when the page has any, they
/// are free and the request splits; `false` when it must go whole to the
/// primary (a comparison asked while a training's folds compute must not
/// replace them).
pub(super) fn split(app: &Shared, request: &Request) -> bool {
    let free = {
        let a = app.borrow();
        a.pool.splits() && !a.pool.busy()
    };
    let job = if free { Job::split(request) } else { None };
    let Some(job) = job else { return false };
    let actions = app.borrow_mut().pool.start(job);
    carry_out(app, actions);
    true
}

/// Gives the helpers the learning curve of the model `request` trains,
/// when the page has helpers and they are free: its refits need the table
/// and the request only, so they run while the primary fits the model.
/// The view's line then waits for the pool, not the primary.
pub(super) fn curve(app: &Shared, request: &TrainRequest) {
    let free = {
        let a = app.borrow();
        a.pool.splits() && !a.pool.busy()
    };
    let Some(job) = free.then(|| Job::curve(request)).flatten() else { return };
    let actions = {
        let mut a = app.borrow_mut();
        a.staged.pool(EvaluationPart::LearningCurve);
        a.pool.start(job)
    };
    carry_out(app, actions);
}

/// Whether the helpers compute a job and the primary owes nothing: a
/// cancel then ends the helpers alone, and the person's model stays.
pub(super) fn only_helpers_busy(app: &Shared) -> bool {
    let a = app.borrow();
    a.pool.busy() && a.link.idle()
}

/// The person stopped the helpers' job (a search's trials so far are kept).
pub(super) fn stop(app: &Shared) -> JsResult<()> {
    end_all(app);
    let kept = app.borrow_mut().link.stop_search();
    set_busy(app, false, "Canceled.");
    search::on_stopped(app, kept)
}

/// The table changed: helpers holding the old one end. A table replayed
/// with its points edited by hand is not the load's: it stays the primary's.
pub(super) fn table_changed(app: &Shared) {
    let actions = {
        let mut a = app.borrow_mut();
        let a = &mut *a;
        match (a.link.shared_table(), a.link.last_load()) {
            (Some(table), _) => a.pool.table(table.clone()),
            (None, Some(_)) => a.pool.unshared(),
            (None, None) => return,
        }
    };
    carry_out(app, actions);
}

/// The primary's table changed in place (a toy set edited, missing tokens
/// set): work goes whole to the primary until the next load.
pub(super) fn unshared(app: &Shared) {
    let actions = app.borrow_mut().pool.unshared();
    carry_out(app, actions);
}

/// Nobody waits for the job the helpers compute (a new training).
pub(super) fn forget(app: &Shared) {
    app.borrow_mut().pool.forget();
}

/// Every helper ends (the person canceled, or stopped the views): a view
/// they computed stops.
pub(super) fn end_all(app: &Shared) {
    let actions = app.borrow_mut().pool.end_all();
    carry_out(app, actions);
    report(staged::pool_ended(app, None));
}

/// The primary refused a piece of the helpers' view (a helper had failed
/// on it): the helpers end and the view's line says why. `false` when the
/// helpers compute no view (the refusal is another job's).
pub(super) fn view_failed(app: &Shared, reason: &str) -> JsResult<bool> {
    if app.borrow().staged.pooled_part().is_none() {
        return Ok(false);
    }
    let actions = app.borrow_mut().pool.end_all();
    carry_out(app, actions);
    staged::pool_ended(app, Some(reason))?;
    Ok(true)
}

/// A piece the primary computed (a helper had failed on it).
pub(super) fn primary_done(app: &Shared, done: PieceDone) {
    let actions = app.borrow_mut().pool.done(done);
    carry_out(app, actions);
}

/// The primary refused a piece too: that refusal is the job's answer (the
/// page shows it as any failure), so the helpers stop, and a search keeps
/// the trials it showed.
pub(super) fn primary_failed(app: &Shared) -> JsResult<()> {
    end_all(app);
    let kept = app.borrow_mut().link.stop_search();
    search::on_stopped(app, kept)
}

fn carry_out(app: &Shared, actions: Vec<Action<FileLoad>>) {
    for action in actions {
        match action {
            Action::Spawn(n) => report(spawn(app, n)),
            Action::Post { helper, id, body } => {
                let worker = app.borrow().helpers.get(helper).cloned().flatten();
                if let Some(Err(e)) = worker.map(|w| post_to(&w, id, &body)) {
                    show_error(&format!("Could not reach a helper worker: {e}"));
                }
            }
            Action::End(n) => {
                if let Some(worker) = app.borrow_mut().helpers.get_mut(n).and_then(Option::take) {
                    worker.terminate();
                }
            }
            Action::Primary(request) => {
                let now = app.borrow_mut().link.piece(request);
                post_primary(app, now);
            }
            Action::Shown(Response::SearchTrial(trial)) => report(search::on_pooled_trial(app, trial)),
            // The helpers' view's progress goes to its line, any other job's to the page's bar.
            Action::Shown(Response::Progress { done, total, what }) => {
                let percent = (done * 100).checked_div(total).unwrap_or(0);
                let view = app.borrow().staged.pooled_part().is_some();
                report(if view { staged::helpers_progress(app, percent) } else { show_progress(done, total, &what) })
            }
            Action::Shown(_) => {}
            Action::Done(Response::Evaluated(piece)) => report(staged::pooled_arrived(app, *piece)),
            Action::Done(answer) => {
                // A pooled search's trials were kept as they came: the answer holds them all.
                if matches!(answer, Response::Searched(_)) {
                    app.borrow_mut().link.stop_search();
                }
                report(on_response(app, answer))
            }
        }
    }
}

/// Starts helper `n`; its messages go to the pool while it is still helper `n`.
fn spawn(app: &Shared, n: usize) -> JsResult<()> {
    let worker = Worker::new_with_options(WORKER_URL, &WorkerOptions::new())?;
    {
        let app = app.clone();
        let me = worker.clone();
        on::<MessageEvent>(&worker.clone().into(), "message", move |e| {
            if !is_helper(&app, n, &me) {
                return;
            }
            let actions = match read_reply(&e.data()) {
                Ok(Reply { response: Response::Ready, .. }) => app.borrow_mut().pool.ready(n),
                Ok(Reply { id, response }) => {
                    let piece = matches!(response, Response::PieceDone(_));
                    let actions = app.borrow_mut().pool.reply(n, id.unwrap_or_default(), response);
                    if piece {
                        count_helper_piece();
                    }
                    actions
                }
                Err(_) => app.borrow_mut().pool.crashed(n),
            };
            carry_out(&app, actions);
        })?;
    }
    {
        let app = app.clone();
        let me = worker.clone();
        on::<Event>(&worker.clone().into(), "error", move |_| {
            if is_helper(&app, n, &me) {
                let actions = app.borrow_mut().pool.crashed(n);
                carry_out(&app, actions);
            }
        })?;
    }
    let mut a = app.borrow_mut();
    if a.helpers.len() <= n {
        a.helpers.resize(n + 1, None);
    }
    a.helpers[n] = Some(worker);
    Ok(())
}

/// One more piece answered by a helper, on `<html data-helper-pieces>`.
fn count_helper_piece() {
    let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let n = html.get_attribute("data-helper-pieces").and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    // Only a test reads it: a failure to write it changes nothing on the page.
    let _ = html.set_attribute("data-helper-pieces", &(n + 1).to_string());
}

/// Whether `worker` is still helper `n` (an ended one's last messages are not).
fn is_helper(app: &Shared, n: usize, worker: &Worker) -> bool {
    app.borrow().helpers.get(n).and_then(Option::as_ref) == Some(worker)
}
