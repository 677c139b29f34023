//! The page's state as a link: the table (a bundled dataset, a toy set, or
//! the person's own file by name, size and fingerprint), what trained the
//! model (target, task, columns, model and every setting, pipeline, seed,
//! test share, cross-validation), what was explored (axes, slice, traced row,
//! "these two features only"), the models compared, and for an embed the
//! views it shows. It lives in the address's fragment, so a link reproduces
//! the page and the browser's back and forward step through trainings.
//!
//! The form is `#v1&key=value&…`, readable where it can be
//! (`#v1&data=penguins&target=species&model=decision_tree&p.max_depth=3&seed=42&test=20`):
//! values are percent-escaped, lists are comma-separated, a setting is
//! `p.<key>`, a held feature `at.<column>`, a column's kind `kind.<column>`;
//! only the pipeline is JSON (escaped), as its steps nest. `v1` is the
//! format's version: a link of another version, or a damaged one, is refused
//! by a [`LinkError`] that says what is wrong, and the page opens as it would
//! without it. Native and tested here; the page only reads and writes
//! `location.hash`.

use thiserror::Error;

use crate::base::{FeatureValue, FeatureValues, Task};
use crate::data::{ColumnInfo, ColumnKind, ToyKind, ToySpec};
use crate::model::{self, ParamValue, ParamValues};
use crate::prep::{ColumnDomain, PipelineSpec};
use crate::session::{ColumnUse, TrainRequest};
use crate::web::{input, json};

/// The link format this page writes and reads.
pub const LINK_VERSION: u32 = 1;

/// Where the table came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A dataset bundled with the page, by name.
    Bundled(String),
    /// A toy set drawn by rule: the same spec draws the same rows.
    Toy(ToySpec),
    /// The person's own file, which a link cannot carry: its name and size
    /// to ask for it, and its FNV-1a fingerprint (as the model file's) to
    /// check the file dropped is that one.
    File { name: String, bytes: u64, hash: String },
}

/// What trained the model: a [`TrainRequest`] with the columns written as
/// their changes from what the table offers (so a link stays short), and the
/// cross-validation asked with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub target: String,
    pub task: Task,
    /// Columns whose kind the person changed from the inferred one.
    pub kinds: Vec<(String, ColumnKind)>,
    /// The feature columns, when they differ from those the kinds offer.
    pub features: Option<Vec<String>>,
    pub model: String,
    /// Every setting as text, read back through the model's specs.
    pub params: Vec<(String, String)>,
    pub seed: u64,
    /// Whole percent, as the page's list offers.
    pub test_percent: u32,
    pub pipeline: Option<PipelineSpec>,
    /// Folds and how they are cut (the page's list value), when cross-validated.
    pub cross_validation: Option<(usize, String)>,
}

/// What the person explored on the boundary plot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exploration {
    pub axes: Option<(String, String)>,
    /// The held features' values as text, typed back by the trained model's
    /// slice controls; empty when a row is traced (the row's values are its slice).
    pub slice: Vec<(String, String)>,
    /// Table row traced (from 0; written from 1 as the page says it).
    pub traced: Option<usize>,
    pub two_features: bool,
}

/// A view an embed can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedView {
    /// The test and training scores, in words.
    Metrics,
    Boundary,
    /// The tree diagram.
    Tree,
    /// The model's own view (coefficients, network, …).
    Model,
    Importance,
}

impl EmbedView {
    pub const ALL: [EmbedView; 5] =
        [EmbedView::Metrics, EmbedView::Boundary, EmbedView::Tree, EmbedView::Model, EmbedView::Importance];

    /// The name in links and in the page's `data-embed-view` attributes.
    pub fn id(self) -> &'static str {
        match self {
            EmbedView::Metrics => "metrics",
            EmbedView::Boundary => "boundary",
            EmbedView::Tree => "tree",
            EmbedView::Model => "model",
            EmbedView::Importance => "importance",
        }
    }

    pub fn from_id(id: &str) -> Option<EmbedView> {
        EmbedView::ALL.into_iter().find(|v| v.id() == id)
    }

    /// What an embed shows when its link names no view.
    pub const DEFAULT: [EmbedView; 2] = [EmbedView::Metrics, EmbedView::Boundary];
}

/// Everything a link reproduces.
#[derive(Clone, Debug, PartialEq)]
pub struct PageState {
    pub source: Source,
    /// `None`: the table loaded, nothing trained yet.
    pub training: Option<Training>,
    pub exploration: Exploration,
    /// Registry ids of the models compared.
    pub compared: Vec<String>,
    /// The views of an embed; `None` for the full page.
    pub embed: Option<Vec<EmbedView>>,
}

/// Why a link cannot be read, said to the person.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum LinkError {
    #[error("This link was made by a newer Micro Models (link format {found}); this page reads format {LINK_VERSION}. The page opened as it would without it.")]
    Version { found: String },
    #[error("This link is damaged: {what}. The page opened as it would without it.")]
    Damaged { what: String },
    #[error("This link names a model this page does not have ('{0}'). The page opened as it would without it.")]
    UnknownModel(String),
    #[error("This link names a column the table does not have ('{0}'). Was it made with another version of the file?")]
    UnknownColumn(String),
    #[error("This link's setting does not fit: {0}")]
    Setting(String),
    #[error("This link was made with {expected}; the file loaded is {found}: {difference}. The link's model was not trained: drop the file it was made with.")]
    OtherFile { expected: String, found: String, difference: String },
}

fn damaged(what: impl Into<String>) -> LinkError {
    LinkError::Damaged { what: what.into() }
}

/// Percent-escapes everything but letters, digits and `-_.~`, so a value
/// never breaks the `&`, `=` and `,` around it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The text [`escape`] wrote (and what a browser's own escaping writes).
pub fn unescape(text: &str) -> Result<String, LinkError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(byte.ok_or_else(|| damaged(format!("'{text}' has a broken escape")))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| damaged(format!("'{text}' is not text")))
}

fn list(items: &[String]) -> String {
    items.iter().map(|s| escape(s)).collect::<Vec<_>>().join(",")
}

fn read_list(raw: &str) -> Result<Vec<String>, LinkError> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    raw.split(',').map(unescape).collect()
}

impl PageState {
    /// The fragment (without `#`).
    pub fn encode(&self) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        let mut put = |k: &str, v: String| parts.push((k.to_string(), v));
        match &self.source {
            Source::Bundled(name) => put("data", escape(name)),
            Source::Toy(toy) => {
                put("toy", toy.kind.id().to_string());
                put("rows", toy.rows.to_string());
                put("noise", toy.noise.to_string());
                put("toyseed", toy.seed.to_string());
                if toy.kind == ToyKind::Blobs {
                    put("blobs", toy.classes.to_string());
                }
            }
            Source::File { name, bytes, hash } => {
                put("file", escape(name));
                put("size", bytes.to_string());
                put("hash", escape(hash));
            }
        }
        if let Some(t) = &self.training {
            put("target", escape(&t.target));
            put("task", t.task.name().to_string());
            for (column, kind) in &t.kinds {
                put(&format!("kind.{}", escape(column)), kind.label().to_string());
            }
            if let Some(features) = &t.features {
                put("features", list(features));
            }
            put("model", escape(&t.model));
            for (key, value) in &t.params {
                put(&format!("p.{}", escape(key)), escape(value));
            }
            put("seed", t.seed.to_string());
            put("test", t.test_percent.to_string());
            if let Some(pipeline) = &t.pipeline {
                // A spec of plain data always serializes.
                put("pipeline", escape(&json::to_string(pipeline).unwrap_or_default()));
            }
            if let Some((k, split)) = &t.cross_validation {
                put("cv", k.to_string());
                put("folds", escape(split));
            }
            let e = &self.exploration;
            if let Some((x, y)) = &e.axes {
                put("x", escape(x));
                put("y", escape(y));
            }
            if e.two_features {
                put("two", "1".to_string());
            }
            match e.traced {
                Some(row) => put("trace", (row + 1).to_string()),
                None => {
                    for (column, value) in &e.slice {
                        put(&format!("at.{}", escape(column)), escape(value));
                    }
                }
            }
            if !self.compared.is_empty() {
                put("compare", list(&self.compared));
            }
        }
        if let Some(views) = &self.embed {
            let ids: Vec<String> = views.iter().map(|v| v.id().to_string()).collect();
            put("embed", ids.join(","));
        }
        let mut out = format!("v{LINK_VERSION}");
        for (k, v) in parts {
            out.push('&');
            out.push_str(&k);
            out.push('=');
            out.push_str(&v);
        }
        out
    }

    /// Reads a fragment (with or without its `#`). `Ok(None)` when it is not
    /// a link's state at all (empty, or an in-page anchor such as
    /// `#evaluation-title`): the page opens as usual.
    pub fn decode(fragment: &str) -> Result<Option<PageState>, LinkError> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut parts = fragment.split('&');
        let head = parts.next().unwrap_or_default();
        let version = head.strip_prefix('v').filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
        let Some(version) = version else {
            return if fragment.contains('=') { Err(damaged("it does not start with its format (v1)")) } else { Ok(None) };
        };
        if version != LINK_VERSION.to_string() {
            return Err(LinkError::Version { found: version.to_string() });
        }
        let mut fields = Fields::default();
        for part in parts.filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| damaged(format!("'{part}' has no value")))?;
            fields.0.push((unescape(key)?, value.to_string()));
        }
        fields.state().map(Some)
    }

    /// The training request this link trains on a table of `columns`: the
    /// columns offered as the page offers them, with the link's changes;
    /// every setting typed back through the model's specs.
    pub fn request(&self, columns: &[ColumnInfo]) -> Result<Option<TrainRequest>, LinkError> {
        let Some(t) = &self.training else { return Ok(None) };
        let known = |name: &str| {
            if columns.iter().any(|c| c.name == name) {
                Ok(())
            } else {
                Err(LinkError::UnknownColumn(name.to_string()))
            }
        };
        if !t.target.is_empty() {
            known(&t.target)?;
        }
        let mut uses: Vec<ColumnUse> = columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect();
        for (name, kind) in &t.kinds {
            known(name)?;
            if let Some(u) = uses.iter_mut().find(|u| &u.name == name) {
                u.kind = *kind;
                u.included = kind.is_feature();
            }
        }
        if let Some(features) = &t.features {
            for name in features {
                known(name)?;
            }
            for u in &mut uses {
                u.included = features.contains(&u.name);
            }
        }
        let spec = model::catalog::find(&t.model).ok_or_else(|| LinkError::UnknownModel(t.model.clone()))?;
        if !spec.tasks.contains(&t.task) {
            return Err(LinkError::Setting(format!("{} does not do {}", spec.name, t.task.name())));
        }
        let specs = (spec.params)(t.task);
        let mut params = ParamValues::new();
        for (key, raw) in &t.params {
            let p = specs
                .iter()
                .find(|p| p.key == key)
                .ok_or_else(|| LinkError::Setting(format!("{} has no setting '{key}'", spec.name)))?;
            params.insert(key.clone(), input::param_value(p, raw).map_err(LinkError::Setting)?);
        }
        let test_share = input::test_share(&t.test_percent.to_string()).map_err(LinkError::Setting)?;
        Ok(Some(TrainRequest {
            target: t.target.clone(),
            task: t.task,
            columns: uses,
            model: t.model.clone(),
            params,
            seed: t.seed,
            pipeline: t.pipeline.clone(),
            test_share,
        }))
    }

    /// The held features' values typed by the trained model's slice
    /// controls: a number for a slider, a level or yes/no for a choice.
    pub fn slice(&self, controls: &[ColumnDomain]) -> Result<FeatureValues, LinkError> {
        self.exploration
            .slice
            .iter()
            .map(|(column, raw)| {
                let control = controls
                    .iter()
                    .find(|c| c.column() == column)
                    .ok_or_else(|| LinkError::UnknownColumn(column.clone()))?;
                let value = match control {
                    ColumnDomain::Number { .. } => FeatureValue::Number(
                        input::finite_number(column, raw).map_err(|e| damaged(format!("{column}: {e}")))?,
                    ),
                    ColumnDomain::Flag { .. } => FeatureValue::Flag(raw == "true"),
                    ColumnDomain::Levels { .. } => FeatureValue::Level(raw.clone()),
                };
                Ok((column.clone(), value))
            })
            .collect()
    }

    /// Checks that the file loaded is the one a link of the person's own
    /// file was made with (by its fingerprint), naming the difference.
    pub fn check_file(&self, name: &str, bytes: u64, hash: &str) -> Result<(), LinkError> {
        let Source::File { name: expected, bytes: size, hash: expected_hash } = &self.source else { return Ok(()) };
        if expected_hash == hash {
            return Ok(());
        }
        let difference = if *size != bytes {
            format!("{} against {}", file_size(bytes), file_size(*size))
        } else {
            "the same size, other contents".to_string()
        };
        Err(LinkError::OtherFile {
            expected: format!("{expected} ({})", file_size(*size)),
            found: format!("{name} ({})", file_size(bytes)),
            difference,
        })
    }

    /// The same state, as the full page (no embed).
    pub fn full_page(&self) -> PageState {
        PageState { embed: None, ..self.clone() }
    }
}

/// Text inside a double-quoted HTML attribute.
fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Size of the `<iframe>` the embed button offers, CSS px: one view at a
/// readable size, or two side by side on a wide lesson page.
pub const EMBED_SIZE: (u32, u32) = (600, 450);

/// The `<iframe>` that embeds `state` (with its embed views) from the page at
/// `page` (its address without query or fragment), sandboxed to scripts and
/// its own origin: what the page needs (its worker, its wasm), and no more.
pub fn iframe_snippet(page: &str, state: &PageState, title: &str) -> String {
    let (width, height) = EMBED_SIZE;
    format!(
        "<iframe src=\"{}?embed#{}\" width=\"{width}\" height=\"{height}\" sandbox=\"allow-scripts allow-same-origin\" \
         title=\"{}\" style=\"border: 1px solid #ccc\"></iframe>",
        html_attribute(page),
        html_attribute(&state.encode()),
        html_attribute(title)
    )
}

/// A file's size as a person reads it.
pub fn file_size(bytes: u64) -> String {
    match bytes {
        b if b < 10_000 => format!("{} bytes", crate::base::format_count(b as usize)),
        b if b < 10_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// What a person asks for to get the model of a link made with their own file.
pub fn ask_for_file(source: &Source) -> Option<String> {
    match source {
        Source::File { name, bytes, .. } => Some(format!(
            "This link was made with {name} ({}): drop that file (or pick it) to train the same model.",
            file_size(*bytes)
        )),
        _ => None,
    }
}

/// A training request written as a link's [`Training`], against the columns
/// the table offers.
pub fn training_of(req: &TrainRequest, columns: &[ColumnInfo], cross_validation: Option<(usize, String)>) -> Training {
    let kinds: Vec<(String, ColumnKind)> = req
        .columns
        .iter()
        .filter(|u| columns.iter().any(|c| c.name == u.name && c.inferred != u.kind))
        .map(|u| (u.name.clone(), u.kind))
        .collect();
    let offered = req.columns.iter().all(|u| u.included == u.kind.is_feature());
    let features = (!offered).then(|| req.columns.iter().filter(|u| u.included).map(|u| u.name.clone()).collect());
    let params = req
        .params
        .iter()
        .map(|(k, v)| {
            let text = match v {
                ParamValue::Int(i) => i.to_string(),
                // Rust writes the shortest text that reads back to the same bits.
                ParamValue::Float(f) => f.to_string(),
                ParamValue::Choice(c) => c.clone(),
            };
            (k.clone(), text)
        })
        .collect();
    Training {
        target: req.target.clone(),
        task: req.task,
        kinds,
        features,
        model: req.model.clone(),
        params,
        seed: req.seed,
        test_percent: (req.test_share * 100.0).round() as u32,
        pipeline: req.pipeline.clone(),
        cross_validation,
    }
}

/// A slice as a link writes it.
pub fn slice_text(slice: &FeatureValues) -> Vec<(String, String)> {
    slice
        .iter()
        .map(|(c, v)| {
            let text = match v {
                FeatureValue::Number(n) => n.to_string(),
                FeatureValue::Flag(b) => b.to_string(),
                FeatureValue::Level(l) => l.clone(),
            };
            (c.clone(), text)
        })
        .collect()
}

/// A link's `key=value` pairs as read, keys unescaped, values not yet.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    /// Takes the one value of `key`, unescaped.
    fn take(&mut self, key: &str) -> Result<Option<String>, LinkError> {
        match self.0.iter().position(|(k, _)| k == key) {
            Some(i) => unescape(&self.0.remove(i).1).map(Some),
            None => Ok(None),
        }
    }

    fn need(&mut self, key: &str) -> Result<String, LinkError> {
        self.take(key)?.ok_or_else(|| damaged(format!("it has no '{key}'")))
    }

    fn number<T: std::str::FromStr>(&mut self, key: &str) -> Result<Option<T>, LinkError> {
        match self.take(key)? {
            Some(raw) => raw.parse().map(Some).map_err(|_| damaged(format!("'{key}' is '{raw}', not a number"))),
            None => Ok(None),
        }
    }

    /// Takes every `prefix.<name>=value`, in order.
    fn prefixed(&mut self, prefix: &str) -> Result<Vec<(String, String)>, LinkError> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.0.len() {
            match self.0[i].0.strip_prefix(prefix) {
                Some(name) => {
                    let name = name.to_string();
                    let (_, raw) = self.0.remove(i);
                    out.push((name, unescape(&raw)?));
                }
                None => i += 1,
            }
        }
        Ok(out)
    }

    fn state(mut self) -> Result<PageState, LinkError> {
        let source = if let Some(name) = self.take("data")? {
            Source::Bundled(name)
        } else if let Some(kind) = self.take("toy")? {
            let kind = ToyKind::from_id(&kind).ok_or_else(|| damaged(format!("it names no toy pattern '{kind}'")))?;
            let spec = ToySpec {
                kind,
                rows: self.number("rows")?.ok_or_else(|| damaged("it has no 'rows'"))?,
                noise: self.number("noise")?.ok_or_else(|| damaged("it has no 'noise'"))?,
                seed: self.number("toyseed")?.unwrap_or(0),
                classes: self.number("blobs")?.unwrap_or(2),
            };
            spec.check().map_err(|e| damaged(e.to_string()))?;
            Source::Toy(spec)
        } else if let Some(name) = self.take("file")? {
            let bytes = self.number("size")?.ok_or_else(|| damaged("it has no 'size'"))?;
            Source::File { name, bytes, hash: self.need("hash")? }
        } else {
            return Err(damaged("it names no table (data, toy or file)"));
        };
        let training = match self.take("model")? {
            Some(model) => {
                let task = self.need("task")?;
                let task = [Task::Classification, Task::Regression, Task::Clustering]
                    .into_iter()
                    .find(|t| t.name() == task)
                    .ok_or_else(|| damaged(format!("it names no task '{task}'")))?;
                let kinds = self
                    .prefixed("kind.")?
                    .into_iter()
                    .map(|(c, k)| match ColumnKind::from_label(&k) {
                        Some(kind) => Ok((c, kind)),
                        None => Err(damaged(format!("column kind '{k}' is not one the page knows"))),
                    })
                    .collect::<Result<_, _>>()?;
                let features = match self.0.iter().position(|(k, _)| k == "features") {
                    Some(i) => Some(read_list(&self.0.remove(i).1)?),
                    None => None,
                };
                let pipeline = match self.take("pipeline")? {
                    Some(text) => Some(json::from_str(&text).map_err(|e| damaged(format!("its pipeline: {e}")))?),
                    None => None,
                };
                let cross_validation = match self.number::<usize>("cv")? {
                    Some(k) => Some((k, self.take("folds")?.unwrap_or_else(|| "shuffled".to_string()))),
                    None => None,
                };
                Some(Training {
                    target: self.take("target")?.unwrap_or_default(),
                    task,
                    kinds,
                    features,
                    model,
                    params: self.prefixed("p.")?,
                    seed: self.number("seed")?.unwrap_or(0),
                    test_percent: self.number("test")?.unwrap_or(20),
                    pipeline,
                    cross_validation,
                })
            }
            None => None,
        };
        let axes = match (self.take("x")?, self.take("y")?) {
            (Some(x), Some(y)) => Some((x, y)),
            (None, None) => None,
            _ => return Err(damaged("it has one axis of the boundary plot, not two")),
        };
        let traced = match self.number::<usize>("trace")? {
            Some(0) => return Err(damaged("rows are counted from 1, and 'trace' is 0")),
            Some(row) => Some(row - 1),
            None => None,
        };
        let two_features = self.take("two")?.is_some_and(|v| v == "1");
        let slice = self.prefixed("at.")?;
        let compared = match self.0.iter().position(|(k, _)| k == "compare") {
            Some(i) => read_list(&self.0.remove(i).1)?,
            None => Vec::new(),
        };
        let embed = match self.0.iter().position(|(k, _)| k == "embed") {
            Some(i) => Some(embed_views(&unescape(&self.0.remove(i).1)?)?),
            None => None,
        };
        if let Some((key, _)) = self.0.first() {
            return Err(damaged(format!("'{key}' is not a part this page knows")));
        }
        Ok(PageState { source, training, exploration: Exploration { axes, slice, traced, two_features }, compared, embed })
    }
}

/// An embed's views from a comma-separated list (`boundary,tree`); an empty
/// list gives [`EmbedView::DEFAULT`].
pub fn embed_views(raw: &str) -> Result<Vec<EmbedView>, LinkError> {
    let ids: Vec<&str> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if ids.is_empty() {
        return Ok(EmbedView::DEFAULT.to_vec());
    }
    ids.into_iter()
        .map(|id| {
            EmbedView::from_id(id).ok_or_else(|| {
                let known: Vec<&str> = EmbedView::ALL.iter().map(|v| v.id()).collect();
                damaged(format!("'{id}' is not a view an embed shows ({})", known.join(", ")))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
