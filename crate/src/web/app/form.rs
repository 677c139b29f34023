//! The training form: the task, the models that do it, the chosen model's
//! controls (built from its hyperparameter specs, so a new model needs no page
//! code) and the seed, read back as one [`TrainRequest`].

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlOptionElement, HtmlSelectElement};

use super::{compare, js_text, show_error, Shared};
use crate::base::Task;
use crate::model::{self, ParamKind, ParamValue, ParamValues};
use crate::session::TrainRequest;
use crate::web::dom::{self, append_text, by_id, by_test_id, create, fill_select, JsResult};
use crate::web::input;

/// Lists every registered model; each option says which tasks it does, for
/// people (title) and embedding pages.
pub(super) fn fill_models() -> JsResult<()> {
    let models: HtmlSelectElement = by_test_id("model-select")?;
    let model_options: Vec<(String, String)> =
        model::CATALOG.iter().map(|m| (m.id.to_string(), m.name.to_string())).collect();
    fill_select(&models, &model_options, None)?;
    let options = models.options();
    for (i, spec) in model::CATALOG.iter().enumerate() {
        if let Some(option) = options.item(i as u32) {
            let tasks: Vec<&str> = spec.tasks.iter().map(|&t| t.name()).collect();
            option.set_attribute("data-tasks", &tasks.join(" "))?;
        }
    }
    Ok(())
}

pub(super) fn selected_task() -> JsResult<Task> {
    Ok(match by_test_id::<HtmlSelectElement>("task-select")?.value().as_str() {
        "regression" => Task::Regression,
        "clustering" => Task::Clustering,
        _ => Task::Classification,
    })
}

/// Offers only the models that do the chosen task, then builds the chosen
/// model's controls from its hyperparameter specs.
pub(super) fn render_params(app: &Shared) -> JsResult<()> {
    let task = selected_task()?;
    compare::render_choices(task)?;
    super::ensemble::render_choices(task)?;
    let select: HtmlSelectElement = by_test_id("model-select")?;
    let options = select.options();
    for i in 0..options.length() {
        if let Some(option) = options.item(i).and_then(|o| o.dyn_into::<HtmlOptionElement>().ok()) {
            let does_task = model::catalog::find(&option.value()).is_some_and(|m| m.tasks.contains(&task));
            option.set_disabled(!does_task);
            option.set_title(if does_task { "" } else { "This model does not do this task." });
        }
    }
    if !model::catalog::find(&select.value()).is_some_and(|m| m.tasks.contains(&task)) {
        if let Some(first) = model::CATALOG.iter().find(|m| m.tasks.contains(&task)) {
            select.set_value(first.id);
        }
    }
    let Some(spec) = model::catalog::find(&select.value()) else { return Ok(()) };
    let container: Element = by_id("params")?;
    dom::clear(&container);
    for p in (spec.params)(selected_task()?) {
        let label: Element = create("label", None)?;
        label.set_class_name("param");
        label.set_attribute("title", p.help)?;
        append_text(&label, "span", p.label)?;
        let control: Element = match &p.kind {
            ParamKind::Int { min, max, default, .. } => {
                let input: HtmlInputElement = create("input", None)?;
                input.set_type("number");
                input.set_min(&min.to_string());
                input.set_max(&max.to_string());
                input.set_value(&default.to_string());
                input.into()
            }
            ParamKind::Float { min, max, default, .. } => {
                let input: HtmlInputElement = create("input", None)?;
                input.set_type("number");
                input.set_min(&min.to_string());
                input.set_max(&max.to_string());
                input.set_step("any");
                input.set_value(&default.to_string());
                input.into()
            }
            ParamKind::Choice { options, default } => {
                let select: HtmlSelectElement = create("select", None)?;
                let opts: Vec<(String, String)> = options.iter().map(|o| (o.to_string(), o.to_string())).collect();
                fill_select(&select, &opts, Some(default))?;
                select.into()
            }
        };
        control.set_attribute("data-param", p.key)?;
        label.append_child(&control)?;
        append_text(&label, "small", p.help)?;
        container.append_child(&label)?;
    }
    super::search::render_settings()?;
    super::features::render(app)
}

/// Reads the controls back as typed values; a blank or unreadable number is
/// reported by name instead of being guessed.
fn read_params(model_id: &str, task: Task) -> JsResult<ParamValues> {
    let spec = model::catalog::find(model_id).ok_or("unknown model")?;
    let container: Element = by_id("params")?;
    let mut values = ParamValues::new();
    for p in (spec.params)(task) {
        let Some(el) = container.query_selector(&format!("[data-param=\"{}\"]", p.key))? else { continue };
        let raw = dom::input_value(&el).unwrap_or_default();
        let value = input::param_value(&p, &raw).map_err(|e| JsValue::from_str(&e))?;
        values.insert(p.key.to_string(), value);
    }
    Ok(values)
}

/// The training request the controls describe, or `None` after showing the
/// person what to fix.
pub(super) fn train_request(app: &Shared) -> JsResult<Option<TrainRequest>> {
    let model = by_test_id::<HtmlSelectElement>("model-select")?.value();
    let task = selected_task()?;
    let params = match read_params(&model, task) {
        Ok(p) => p,
        Err(e) => {
            show_error(&js_text(&e));
            return Ok(None);
        }
    };
    let seed = match input::seed(&by_id::<HtmlInputElement>("seed")?.value()) {
        Ok(seed) => seed,
        Err(e) => {
            show_error(&e);
            return Ok(None);
        }
    };
    // The person's pipeline, read afresh (a bad number in it is named, not guessed).
    let pipeline = match app.borrow().pipeline.is_some() {
        true => match super::features::read(app) {
            Some(spec) => Some(spec),
            None => return Ok(None),
        },
        false => None,
    };
    let test_share = match input::test_share(&by_test_id::<HtmlSelectElement>("test-share")?.value()) {
        Ok(share) => share,
        Err(e) => {
            show_error(&e);
            return Ok(None);
        }
    };
    Ok(Some(TrainRequest {
        target: by_test_id::<HtmlSelectElement>("target-select")?.value(),
        task,
        columns: app.borrow().columns.clone(),
        model,
        params,
        seed,
        pipeline,
        test_share,
    }))
}

/// Sets the chosen model's controls to `values` (a setting not offered is skipped).
pub(super) fn set_params(values: &ParamValues) -> JsResult<()> {
    let params: Element = by_id("params")?;
    for (key, value) in values {
        let Some(control) = params.query_selector(&format!("[data-param=\"{key}\"]"))? else { continue };
        let text = match value {
            ParamValue::Int(v) => v.to_string(),
            // Written in full, so the control reads back the very value set.
            ParamValue::Float(v) => v.to_string(),
            ParamValue::Choice(v) => v.clone(),
        };
        if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
            input.set_value(&text);
        } else if let Some(choice) = control.dyn_ref::<HtmlSelectElement>() {
            choice.set_value(&text);
        }
    }
    Ok(())
}

/// Sets every control to what `req` trains: the columns and their kinds,
/// target and task, model and settings, pipeline, seed and test share, so
/// that Train trains the same model again (a loaded model file's).
pub(super) fn apply_request(app: &Shared, req: &TrainRequest) -> JsResult<()> {
    let summary = {
        let mut a = app.borrow_mut();
        a.columns = req.columns.clone();
        a.pipeline = req.pipeline.clone();
        a.summary.clone()
    };
    by_test_id::<HtmlSelectElement>("task-select")?.set_value(req.task.name());
    if let Some(summary) = &summary {
        super::table::show(app, summary)?;
    }
    by_test_id::<HtmlSelectElement>("target-select")?.set_value(&req.target);
    by_test_id::<HtmlSelectElement>("model-select")?.set_value(&req.model);
    super::table::on_task_change(app)?;
    set_params(&req.params)?;
    by_id::<HtmlInputElement>("seed")?.set_value(&req.seed.to_string());
    let percent = (req.test_share * 100.0).round();
    by_test_id::<HtmlSelectElement>("test-share")?.set_value(&format!("{percent}"));
    Ok(())
}
