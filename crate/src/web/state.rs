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
//! only the pipeline is JSON (escaped), as its steps nest. Points added to a
//! toy set by hand follow its spec (`edits=x1;x2;class,r<row>,…`, the
//! places as the table holds them, 4 decimals); an ensemble is its kind and
//! members (`ens=soft&members=…&weights=…`), a distilled student its kind and
//! settings (`student=tree&sdepth=3&srows=500&sseed=42`): both are built on
//! the link's training, which they follow. `v1` is the
//! format's version: a link of another version, or a damaged one, is refused
//! by a [`LinkError`] that says what is wrong, and the page opens as it would
//! without it. Native and tested here; the page only reads and writes
//! `location.hash`.

use thiserror::Error;

use crate::base::{FeatureValue, FeatureValues, Task};
use crate::data::{ColumnInfo, ColumnKind, ToyEdit, ToyKind, ToySpec};
use crate::model::ensemble::EnsembleKind;
use crate::model::{self, ParamValue, ParamValues};
use crate::prep::{ColumnDomain, PipelineSpec};
use crate::session::{ColumnUse, DistillRequest, Student, TrainRequest};
use crate::web::{input, json};

/// The link format this page writes and reads.
pub const LINK_VERSION: u32 = 1;

/// Where the table came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A dataset bundled with the page, by name.
    Bundled(String),
    /// A toy set drawn by rule (the same spec draws the same rows), then
    /// edited by hand: the points added and removed, in order.
    Toy { spec: ToySpec, edits: Vec<ToyEdit> },
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
    /// The ensemble built on this training's table and settings, when it
    /// is the model on show.
    pub ensemble: Option<EnsembleLink>,
    /// The student distilled from the model on show (this training's, or
    /// the ensemble's), when the student is on show.
    pub student: Option<DistillRequest>,
}

/// An ensemble as a link holds it: an `EnsembleRequest` without its base
/// (the link's training) and its axes (the link's exploration).
#[derive(Clone, Debug, PartialEq)]
pub struct EnsembleLink {
    /// Registry ids.
    pub members: Vec<String>,
    pub kind: EnsembleKind,
    pub weights: Option<Vec<f64>>,
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
            Source::Toy { spec: toy, edits } => {
                put("toy", toy.kind.id().to_string());
                put("rows", toy.rows.to_string());
                put("noise", toy.noise.to_string());
                put("toyseed", toy.seed.to_string());
                if toy.kind == ToyKind::Blobs {
                    put("blobs", toy.classes.to_string());
                }
                if !edits.is_empty() {
                    put("edits", edits.iter().map(edit_text).collect::<Vec<_>>().join(","));
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
            if let Some(e) = &t.ensemble {
                let (kind, meta) = match &e.kind {
                    EnsembleKind::Vote { soft: false } => ("vote", None),
                    EnsembleKind::Vote { soft: true } => ("soft", None),
                    EnsembleKind::Average => ("average", None),
                    EnsembleKind::Stack { meta, folds } => ("stack", Some((meta, folds))),
                };
                put("ens", kind.to_string());
                put("members", list(&e.members));
                if let Some(weights) = &e.weights {
                    // Rust writes the shortest text that reads back to the same bits.
                    put("weights", weights.iter().map(f64::to_string).collect::<Vec<_>>().join(","));
                }
                if let Some((meta, folds)) = meta {
                    if let Some(meta) = meta {
                        put("meta", escape(meta));
                    }
                    put("stackfolds", folds.to_string());
                }
            }
            if let Some(d) = &t.student {
                match d.student {
                    Student::Tree { max_depth } => {
                        put("student", "tree".to_string());
                        put("sdepth", max_depth.to_string());
                    }
                    Student::Logistic => put("student", "logistic".to_string()),
                    Student::Mlp { hidden } => {
                        put("student", "mlp".to_string());
                        put("shidden", hidden.to_string());
                    }
                }
                put("srows", d.synthetic_rows.to_string());
                put("sseed", d.seed.to_string());
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
        ensemble: None,
        student: None,
    }
}

/// A point added (`x1;x2;class`, the place as the table's line holds it) or
/// a row removed (`r` and the row counted from 1), as a link writes it.
fn edit_text(edit: &ToyEdit) -> String {
    match edit {
        // The table keeps 4 decimals (`ToyTable::edit`): the same text reads back to the same line.
        ToyEdit::Add { x1, x2, class } => format!("{x1:.4};{x2:.4};{}", escape(class)),
        ToyEdit::Remove { row } => format!("r{}", row + 1),
    }
}

/// The edit [`edit_text`] wrote.
fn read_edit(raw: &str) -> Result<ToyEdit, LinkError> {
    if let Some(row) = raw.strip_prefix('r') {
        return match row.parse::<usize>() {
            Ok(row) if row >= 1 => Ok(ToyEdit::Remove { row: row - 1 }),
            _ => Err(damaged(format!("the toy edit '{raw}' names no row (they are counted from 1)"))),
        };
    }
    let parts: Vec<&str> = raw.split(';').collect();
    let [x1, x2, class] = parts[..] else {
        return Err(damaged(format!("the toy edit '{raw}' is neither a point (x1;x2;class) nor a row removed (r7)")));
    };
    let number = |t: &str| match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(damaged(format!("the toy edit '{raw}' has '{t}' for a place"))),
    };
    Ok(ToyEdit::Add { x1: number(x1)?, x2: number(x2)?, class: unescape(class)? })
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

    /// Takes the one value of `key` as written (a list whose items are
    /// escaped one by one).
    fn raw(&mut self, key: &str) -> Option<String> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// An ensemble's parts (`ens`, `members`, `weights`, `meta`, `stackfolds`).
    fn ensemble(&mut self) -> Result<Option<EnsembleLink>, LinkError> {
        let Some(kind) = self.take("ens")? else { return Ok(None) };
        let kind = match kind.as_str() {
            "vote" => EnsembleKind::Vote { soft: false },
            "soft" => EnsembleKind::Vote { soft: true },
            "average" => EnsembleKind::Average,
            "stack" => EnsembleKind::Stack {
                meta: self.take("meta")?,
                folds: self.number("stackfolds")?.ok_or_else(|| damaged("its stack has no 'stackfolds'"))?,
            },
            other => return Err(damaged(format!("'{other}' is not an ensemble (vote, soft, average or stack)"))),
        };
        let members = read_list(&self.raw("members").ok_or_else(|| damaged("its ensemble has no 'members'"))?)?;
        let weights = match self.take("weights")? {
            Some(raw) => Some(
                raw.split(',')
                    .map(|w| w.parse::<f64>().map_err(|_| damaged(format!("the ensemble's weight '{w}' is not a number"))))
                    .collect::<Result<_, _>>()?,
            ),
            None => None,
        };
        Ok(Some(EnsembleLink { members, kind, weights }))
    }

    /// A distilled student's parts (`student`, `sdepth` or `shidden`, `srows`, `sseed`).
    fn student(&mut self) -> Result<Option<DistillRequest>, LinkError> {
        let Some(kind) = self.take("student")? else { return Ok(None) };
        let mut need = |key: &str| self.number::<usize>(key)?.ok_or_else(|| damaged(format!("its student has no '{key}'")));
        let student = match kind.as_str() {
            "tree" => Student::Tree { max_depth: need("sdepth")? },
            "logistic" => Student::Logistic,
            "mlp" => Student::Mlp { hidden: need("shidden")? },
            other => return Err(damaged(format!("'{other}' is not a student (tree, logistic or mlp)"))),
        };
        let synthetic_rows = need("srows")?;
        let seed = self.number("sseed")?.ok_or_else(|| damaged("its student has no 'sseed'"))?;
        Ok(Some(DistillRequest { student, synthetic_rows, seed }))
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
            let edits = match self.raw("edits") {
                Some(raw) if !raw.is_empty() => raw.split(',').map(read_edit).collect::<Result<_, _>>()?,
                _ => Vec::new(),
            };
            Source::Toy { spec, edits }
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
                let features = self.raw("features").map(|raw| read_list(&raw)).transpose()?;
                let pipeline = match self.take("pipeline")? {
                    Some(text) => Some(json::from_str(&text).map_err(|e| damaged(format!("its pipeline: {e}")))?),
                    None => None,
                };
                let cross_validation = match self.number::<usize>("cv")? {
                    Some(k) => Some((k, self.take("folds")?.unwrap_or_else(|| "shuffled".to_string()))),
                    None => None,
                };
                let ensemble = self.ensemble()?;
                let student = self.student()?;
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
                    ensemble,
                    student,
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
        let compared = self.raw("compare").map(|raw| read_list(&raw)).transpose()?.unwrap_or_default();
        let embed = self.take("embed")?.map(|raw| embed_views(&raw)).transpose()?;
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
