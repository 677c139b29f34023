//! The Features step: the pipeline as a list of steps the person can set,
//! add, move and remove (`web::pipeline` says which edits are allowed), read
//! back as a [`PipelineSpec`] for the training request. Until the person
//! changes something the list shows the chosen model's default, and follows
//! the model when it changes.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::{report, show_error, Shared};
use crate::data::ColumnKind;
use crate::model;
use crate::prep::{Binning, CategoryEncoding, Fill, GroupStat, Keep, PipelineReport, PipelineSpec, Scaler, StepSpec};
use crate::render;
use crate::web::dom::{append_text, by_id, by_test_id, clear, create, fill_select, on, set_text, JsResult};
use crate::web::pipeline::{self, Offered};
use crate::web::{alt, canvas};

/// Options of each choice a step offers, as (value, label).
const FILLS: [(&str, &str); 4] =
    [("median", "median"), ("mean", "mean"), ("most_frequent", "most frequent value"), ("constant", "a constant")];
const ENCODINGS: [(&str, &str); 3] = [
    ("one_hot", "one-hot (a 0/1 input per level)"),
    ("ordinal", "ordinal (the level's number)"),
    ("target", "target mean (fitted on training rows)"),
];
const SCALERS: [(&str, &str); 4] = [
    ("none", "none (own units)"),
    ("standard", "standard (mean 0, sd 1)"),
    ("min_max", "min-max (0 to 1)"),
    ("robust", "robust (median, IQR)"),
];
const BINNINGS: [(&str, &str); 2] = [("quantile", "quantile (equal counts)"), ("uniform", "uniform (equal widths)")];
const STATS: [(&str, &str); 4] = [("mean", "mean"), ("count", "count"), ("min", "min"), ("max", "max")];
const KEEPS: [(&str, &str); 2] = [("variance", "% of the variance"), ("components", "components")];

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    let add: HtmlSelectElement = by_test_id("pipeline-add")?;
    let mut options = vec![(String::new(), "Add a step…".to_string())];
    options.extend(pipeline::ADDABLE.iter().map(|(id, label)| (id.to_string(), label.to_string())));
    fill_select(&add, &options, Some(""))?;
    {
        let app = app.clone();
        let select = add.clone();
        on::<Event>(&add.into(), "change", move |_| {
            let id = select.value();
            select.set_value("");
            report(add_step(&app, &id));
        })?;
    }
    let list: Element = by_id("pipeline-steps")?;
    {
        let app = app.clone();
        on::<Event>(&list.clone().into(), "change", move |e| {
            // A mode that shows or hides a field (a constant, a PCA's keep) redraws the list.
            let redraw = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.get_attribute("data-field"))
                .is_some_and(|f| f == "numbers" || f == "keep");
            if let Some(spec) = read(&app) {
                app.borrow_mut().pipeline = Some(spec);
                if redraw {
                    report(render(&app));
                }
            }
        })?;
    }
    {
        let app = app.clone();
        on::<Event>(&list.into(), "click", move |e| {
            let Some(button) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(action) = button.get_attribute("data-action") else { return };
            let Some(index) = button.get_attribute("data-index").and_then(|i| i.parse::<usize>().ok()) else { return };
            let Some(spec) = read(&app) else { return };
            let edited = match action.as_str() {
                "up" => pipeline::move_up(&spec, index),
                "down" => pipeline::move_up(&spec, index + 1),
                _ => pipeline::remove(&spec, index),
            };
            app.borrow_mut().pipeline = Some(edited);
            report(render(&app));
        })?;
    }
    {
        let app = app.clone();
        let select: HtmlSelectElement = by_test_id("pipeline-example")?;
        let chosen = select.clone();
        on::<Event>(&select.into(), "change", move |_| {
            if let Some(report) = app.borrow().report.as_ref() {
                super::report(draw_example(&report.pipeline, &chosen.value()));
            }
        })?;
    }
    let app = app.clone();
    on::<Event>(&by_id::<Element>("pipeline-reset")?.into(), "click", move |_| {
        app.borrow_mut().pipeline = None;
        report(render(&app));
    })
}

/// The pipeline as it stands: the person's, else the chosen model's default.
pub(super) fn current(app: &Shared) -> JsResult<PipelineSpec> {
    if let Some(spec) = app.borrow().pipeline.clone() {
        return Ok(spec);
    }
    let id = by_test_id::<HtmlSelectElement>("model-select")?.value();
    let scaling = model::catalog::find(&id).map_or(crate::base::Scaling::None, |m| m.scaling);
    Ok(PipelineSpec::default_for(scaling))
}

/// The feature columns a step can name, the target left out.
fn offered(app: &Shared) -> JsResult<Offered> {
    let target = by_test_id::<HtmlSelectElement>("target-select")?.value();
    let a = app.borrow();
    let features = a.columns.iter().filter(|c| c.included && c.name != target);
    let mut offered = Offered::default();
    for c in features {
        match c.kind {
            ColumnKind::Numeric => offered.numeric.push(c.name.clone()),
            ColumnKind::Categorical | ColumnKind::Boolean => offered.categories.push(c.name.clone()),
            _ => {}
        }
    }
    Ok(offered)
}

fn add_step(app: &Shared, id: &str) -> JsResult<()> {
    if id.is_empty() {
        return Ok(());
    }
    let Some(spec) = read(app) else { return Ok(()) };
    match pipeline::new_step(id, &offered(app)?) {
        Ok(step) => {
            app.borrow_mut().pipeline = Some(pipeline::add(&spec, step));
            show_error("");
            render(app)
        }
        Err(e) => {
            show_error(&e.to_string());
            Ok(())
        }
    }
}

/// Shows the pipeline's steps with their settings.
pub(super) fn render(app: &Shared) -> JsResult<()> {
    let spec = current(app)?;
    let offered = offered(app)?;
    let list: Element = by_id("pipeline-steps")?;
    clear(&list);
    for (i, step) in spec.steps.iter().enumerate() {
        let item: Element = create("li", None)?;
        item.set_attribute("data-testid", "pipeline-step")?;
        item.set_attribute("data-step", step.id())?;
        let head: Element = create("div", None)?;
        head.set_class_name("step-head");
        append_text(&head, "span", &format!("{}. {}", i + 1, pipeline::title(step.id())))?.set_class_name("step-title");
        if pipeline::can_move_up(&spec, i) {
            button(&head, "up", i, "↑", "Move this step up: it then runs before the one above")?;
        }
        if pipeline::can_move_up(&spec, i + 1) {
            button(&head, "down", i, "↓", "Move this step down: it then runs after the one below")?;
        }
        if pipeline::removable(&spec, i) {
            button(&head, "remove", i, "✕", "Remove this step")?;
        }
        item.append_child(&head)?;
        let fields: Element = create("div", None)?;
        fields.set_class_name("step-fields");
        step_fields(&fields, step, &offered)?;
        item.append_child(&fields)?;
        list.append_child(&item)?;
    }
    let hint = match app.borrow().pipeline {
        None => "The model's default. Change a step, or add one, to build your own.",
        Some(_) => "Your pipeline. Steps are fitted on the training rows only.",
    };
    set_text(&by_id::<Element>("pipeline-hint")?, hint);
    Ok(())
}

fn button(parent: &Element, action: &str, index: usize, text: &str, title: &str) -> JsResult<()> {
    let b: Element = create("button", Some(text))?;
    b.set_attribute("type", "button")?;
    b.set_attribute("data-action", action)?;
    b.set_attribute("data-index", &index.to_string())?;
    b.set_attribute("title", title)?;
    b.set_attribute("aria-label", title)?;
    parent.append_child(&b)?;
    Ok(())
}

/// A labelled select for field `field`.
fn choice(parent: &Element, label: &str, field: &str, options: &[(&str, &str)], value: &str) -> JsResult<()> {
    let wrap: Element = create("label", None)?;
    append_text(&wrap, "span", label)?;
    let select: HtmlSelectElement = create("select", None)?;
    let opts: Vec<(String, String)> = options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    fill_select(&select, &opts, Some(value))?;
    select.set_attribute("data-field", field)?;
    wrap.append_child(&select)?;
    parent.append_child(&wrap)?;
    Ok(())
}

/// A labelled number box for field `field`.
fn number(parent: &Element, label: &str, field: &str, value: &str, (min, max): (f64, f64)) -> JsResult<()> {
    let wrap: Element = create("label", None)?;
    append_text(&wrap, "span", label)?;
    let input: HtmlInputElement = create("input", None)?;
    input.set_type("number");
    input.set_value(value);
    input.set_min(&min.to_string());
    input.set_max(&max.to_string());
    input.set_step("any");
    input.set_attribute("data-field", field)?;
    wrap.append_child(&input)?;
    parent.append_child(&wrap)?;
    Ok(())
}

/// Checkboxes over `names`, those in `chosen` ticked, under a summary saying
/// what is chosen ("every numeric input" when none is).
fn columns(parent: &Element, names: &[String], chosen: &[String]) -> JsResult<()> {
    let details: Element = create("details", None)?;
    details.set_class_name("step-columns");
    append_text(&details, "summary", &format!("on: {}", pipeline::columns_text(chosen)))?;
    for name in names {
        let wrap: Element = create("label", None)?;
        let check: HtmlInputElement = create("input", None)?;
        check.set_type("checkbox");
        check.set_checked(chosen.contains(name));
        check.set_attribute("data-column", name)?;
        wrap.append_child(&check)?;
        append_text(&wrap, "span", name)?;
        details.append_child(&wrap)?;
    }
    parent.append_child(&details)?;
    Ok(())
}

fn step_fields(fields: &Element, step: &StepSpec, offered: &Offered) -> JsResult<()> {
    let numeric = &offered.numeric;
    match step {
        StepSpec::Impute { numbers, indicator } => {
            let (mode, constant) = match numbers {
                Fill::Mean => ("mean", None),
                Fill::Median => ("median", None),
                Fill::MostFrequent => ("most_frequent", None),
                Fill::Constant(c) => ("constant", Some(*c)),
            };
            choice(fields, "numbers with", "numbers", &FILLS, mode)?;
            if let Some(c) = constant {
                number(fields, "constant", "constant", &c.to_string(), (f64::MIN, f64::MAX))?;
            }
            let wrap: Element = create("label", None)?;
            let check: HtmlInputElement = create("input", None)?;
            check.set_type("checkbox");
            check.set_checked(*indicator);
            check.set_attribute("data-field", "indicator")?;
            wrap.append_child(&check)?;
            append_text(&wrap, "span", "add a 0/1 “was missing” input per column")?;
            fields.append_child(&wrap)?;
            append_text(fields, "small", "Categories and flags get their most frequent training value.")?;
        }
        StepSpec::Encode { encoding, min_count } => {
            let value = match encoding {
                CategoryEncoding::OneHot => "one_hot",
                CategoryEncoding::Ordinal => "ordinal",
                CategoryEncoding::Target => "target",
            };
            choice(fields, "as", "encoding", &ENCODINGS, value)?;
            number(fields, "group levels rarer than (rows) as “other”", "min_count", &min_count.to_string(), (0.0, 1e6))?;
        }
        StepSpec::Aggregate { of, by, stat } => {
            let stat = match stat {
                GroupStat::Mean => "mean",
                GroupStat::Count => "count",
                GroupStat::Min => "min",
                GroupStat::Max => "max",
            };
            choice(fields, "the", "stat", &STATS, stat)?;
            let numeric: Vec<(&str, &str)> = numeric.iter().map(|n| (n.as_str(), n.as_str())).collect();
            let categories: Vec<(&str, &str)> = offered.categories.iter().map(|n| (n.as_str(), n.as_str())).collect();
            choice(fields, "of", "of", &numeric, of)?;
            choice(fields, "within each level of", "by", &categories, by)?;
        }
        StepSpec::Scale { scaler, columns: chosen } => {
            let value = match scaler {
                Scaler::None => "none",
                Scaler::Standard => "standard",
                Scaler::MinMax => "min_max",
                Scaler::Robust => "robust",
            };
            choice(fields, "scaler", "scaler", &SCALERS, value)?;
            columns(fields, numeric, chosen)?;
        }
        StepSpec::Bin { binning, bins, columns: chosen } => {
            let value = match binning {
                Binning::Quantile => "quantile",
                Binning::Uniform => "uniform",
            };
            choice(fields, "bins of", "binning", &BINNINGS, value)?;
            number(fields, "bins", "bins", &bins.to_string(), (2.0, 100.0))?;
            columns(fields, numeric, chosen)?;
        }
        StepSpec::Poly { columns: chosen } => {
            columns(fields, numeric, chosen)?;
            append_text(fields, "small", "Adds each chosen input squared and every product of two of them.")?;
        }
        StepSpec::Pca { keep } => {
            let (mode, value) = match keep {
                Keep::Variance(share) => ("variance", format!("{}", (share * 100.0).round())),
                Keep::Components(n) => ("components", n.to_string()),
            };
            number(fields, "keep", "amount", &value, (1.0, 1000.0))?;
            choice(fields, "", "keep", &KEEPS, mode)?;
            append_text(fields, "small", "Centred, not scaled: put a Scale step above it to weigh inputs alike.")?;
        }
    }
    Ok(())
}

/// The value of field `field` within `item`.
fn field(item: &Element, field: &str) -> Option<String> {
    let el = item.query_selector(&format!("[data-field=\"{field}\"]")).ok()??;
    crate::web::dom::input_value(&el)
}

fn checked(item: &Element, field: &str) -> bool {
    item.query_selector(&format!("[data-field=\"{field}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The ticked column names within `item`.
fn ticked(item: &Element) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(list) = item.query_selector_all("input[data-column]") {
        for i in 0..list.length() {
            if let Some(check) = list.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) {
                if check.checked() {
                    names.extend(check.get_attribute("data-column"));
                }
            }
        }
    }
    names
}

/// Reads the list back as a spec, or shows what to fix and gives `None`.
pub(super) fn read(app: &Shared) -> Option<PipelineSpec> {
    let items = match by_id::<Element>("pipeline-steps").and_then(|l| l.query_selector_all("[data-testid=pipeline-step]")) {
        Ok(items) => items,
        Err(_) => return current(app).ok(),
    };
    let mut steps = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        match read_step(&item) {
            Ok(step) => steps.push(step),
            Err(e) => {
                show_error(&e);
                return None;
            }
        }
    }
    if steps.is_empty() {
        return current(app).ok();
    }
    Some(PipelineSpec { steps })
}

fn read_step(item: &Element) -> Result<StepSpec, String> {
    let id = item.get_attribute("data-step").unwrap_or_default();
    let text = |name: &str| field(item, name).unwrap_or_default();
    Ok(match id.as_str() {
        "impute" => StepSpec::Impute {
            numbers: match text("numbers").as_str() {
                "mean" => Fill::Mean,
                "most_frequent" => Fill::MostFrequent,
                "constant" => Fill::Constant(match field(item, "constant") {
                    Some(raw) => crate::web::input::finite_number("the constant for missing values", &raw)?,
                    None => 0.0,
                }),
                _ => Fill::Median,
            },
            indicator: checked(item, "indicator"),
        },
        "encode" => StepSpec::Encode {
            encoding: match text("encoding").as_str() {
                "ordinal" => CategoryEncoding::Ordinal,
                "target" => CategoryEncoding::Target,
                _ => CategoryEncoding::OneHot,
            },
            min_count: crate::web::input::count("the rare-level count", &text("min_count"), 0)?,
        },
        "aggregate" => StepSpec::Aggregate {
            of: text("of"),
            by: text("by"),
            stat: match text("stat").as_str() {
                "count" => GroupStat::Count,
                "min" => GroupStat::Min,
                "max" => GroupStat::Max,
                _ => GroupStat::Mean,
            },
        },
        "scale" => StepSpec::Scale {
            scaler: match text("scaler").as_str() {
                "none" => Scaler::None,
                "min_max" => Scaler::MinMax,
                "robust" => Scaler::Robust,
                _ => Scaler::Standard,
            },
            columns: ticked(item),
        },
        "bin" => StepSpec::Bin {
            binning: if text("binning") == "uniform" { Binning::Uniform } else { Binning::Quantile },
            bins: crate::web::input::count("the number of bins", &text("bins"), 2)?,
            columns: ticked(item),
        },
        "poly" => StepSpec::Poly { columns: ticked(item) },
        "pca" => StepSpec::Pca {
            keep: match text("keep").as_str() {
                "components" => Keep::Components(crate::web::input::count("the components to keep", &text("amount"), 1)?),
                _ => Keep::Variance(crate::web::input::share("the share of the variance to keep", &text("amount"))?),
            },
        },
        other => return Err(format!("The page has a pipeline step it does not know ('{other}'). Please reload the page.")),
    })
}

/// Shows what the fitted pipeline did: the inputs the model sees, each
/// step's sentence (also under the step in the Features list), one input
/// before and after its step, and a PCA's scree and loadings.
pub(super) fn draw_report(report: &PipelineReport) -> JsResult<()> {
    set_text(&by_test_id::<Element>("pipeline-inputs")?, &crate::web::pipeline::inputs_text(&report.inputs));
    let list: Element = by_test_id("pipeline-report")?;
    clear(&list);
    for (i, step) in report.steps.iter().enumerate() {
        append_text(&list, "li", &step.summary)?;
        // The same sentence under the step the person set.
        if let Ok(Some(item)) = by_id::<Element>("pipeline-steps")
            .and_then(|l| l.query_selector(&format!("[data-testid=pipeline-step]:nth-child({})", i + 1)))
        {
            if item.get_attribute("data-step").as_deref() == Some(step.step.as_str()) {
                if let Some(old) = item.query_selector(".step-what").ok().flatten() {
                    old.remove();
                }
                append_text(&item, "p", &step.summary)?.set_class_name("step-what");
            }
        }
    }
    let examples: Vec<(String, String)> = report
        .steps
        .iter()
        .enumerate()
        .flat_map(|(s, step)| {
            step.examples.iter().enumerate().map(move |(e, pair)| {
                (format!("{s}:{e}"), format!("{}. {}: {}", s + 1, crate::web::pipeline::title(&step.step), pair.after.name))
            })
        })
        .collect();
    let example_box: HtmlElement = by_id("pipeline-example-box")?;
    example_box.set_hidden(examples.is_empty());
    let select: HtmlSelectElement = by_test_id("pipeline-example")?;
    let kept = select.value();
    // The person's choice if it is still offered, else the first input the
    // step changed that is not one value throughout (a blank pixel says little).
    let varied = |value: &str| example(report, value).is_some_and(|p| p.after.counts.iter().filter(|&&c| c > 0).count() > 1);
    let chosen = examples
        .iter()
        .find(|(v, _)| *v == kept)
        .or_else(|| examples.iter().find(|(v, _)| varied(v)))
        .or_else(|| examples.first())
        .map(|(v, _)| v.clone());
    fill_select(&select, &examples, chosen.as_deref())?;
    draw_example(report, &select.value())?;
    let pca = report.steps.iter().find_map(|s| s.pca.as_ref());
    by_id::<HtmlElement>("pca-box")?.set_hidden(pca.is_none());
    if let Some(pca) = pca {
        canvas::draw_view(&by_test_id("scree-canvas")?, pca, 640, render::scree_size, render::draw_scree, alt::scree(pca))?;
        let loadings = alt::loadings(pca);
        canvas::draw_view(
            &by_test_id("loadings-canvas")?,
            pca,
            640,
            render::loadings_size,
            render::draw_loadings,
            loadings,
        )?;
    }
    Ok(())
}

/// The before/after pair `value` ("step:example") names.
fn example<'a>(report: &'a PipelineReport, value: &str) -> Option<&'a crate::prep::BeforeAfter> {
    let (s, e) = value.split_once(':')?;
    report.steps.get(s.parse::<usize>().ok()?)?.examples.get(e.parse::<usize>().ok()?)
}

/// Draws the before/after pair `value` names.
fn draw_example(report: &PipelineReport, value: &str) -> JsResult<()> {
    match example(report, value) {
        Some(pair) => canvas::draw_view(
            &by_test_id("pipeline-histogram-canvas")?,
            pair,
            760,
            render::histogram_pair_size,
            render::draw_histogram_pair,
            alt::histogram_pair(pair),
        ),
        None => Ok(()),
    }
}
