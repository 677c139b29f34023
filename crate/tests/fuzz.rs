//! Never a panic: generated and mutated inputs — random bytes, mutated real
//! CSVs, extreme shapes — go through the whole path a dropped file takes
//! (parse, schema inference, default preprocessing, a fit of one of the
//! registered models that do the table's task, in turn, and its explanation
//! and evaluation; for some, the predictions, the code export and a damaged
//! model file read back) and every one must end in a table or a typed refusal. An
//! internal error fails the run like a panic: it is a bug, not a refusal.
//!
//! Seeded, so a failure reproduces: the failing input is written to
//! `target/fuzz-failure.csv`; keep it in `tests/fixtures/fuzz/` (every file
//! there is replayed first). `FUZZ_RUNS` sets the number of inputs (default
//! 1,000,000).
#![cfg(not(target_arch = "wasm32"))] // native: timed with `native_clock`, run by `cargo test`

use std::panic::{catch_unwind, AssertUnwindSafe};

use micro_models::base::program::{Language, Precision};
use micro_models::base::NoProgress;
use micro_models::base::Task;
use micro_models::data::ColumnKind;
use micro_models::model::{ModelSpec, ParamKind, ParamValue, ParamValues, REGISTRY};
use micro_models::prep::{Binning, CategoryEncoding, Fill, GroupStat, Keep, PipelineSpec, Scaler, StepSpec};
use micro_models::session::{
    bundled, native_clock, ColumnUse, DataSummary, Request, Response, Session, SessionError, TrainRequest,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[path = "support/spice.rs"]
mod spice;
use spice::SPICE;

/// Settings that keep a fit quick on a small table: the model's defaults, with
/// at most 5 trees or rounds or epochs and a depth of 3 (the fuzz is after
/// odd inputs, not big models).
fn quick_params(spec: &ModelSpec, task: Task) -> ParamValues {
    (spec.params)(task)
        .iter()
        .filter_map(|p| match (p.key, &p.kind) {
            ("n_estimators" | "max_iter", ParamKind::Int { min, .. }) => Some((p.key, (*min).max(5))),
            ("max_depth", ParamKind::Int { .. }) => Some((p.key, 3)),
            _ => None,
        })
        .map(|(key, v)| (key.to_string(), ParamValue::Int(v)))
        .collect()
}

/// The `turn`-th of three pipelines: the model's default, then two that use
/// every kind of step at once (on a table where a step cannot be fitted, it
/// must be a typed error, never a panic).
fn pipeline(turn: usize, summary: &DataSummary) -> Option<PipelineSpec> {
    let first = |kind: ColumnKind| summary.columns.iter().find(|c| c.inferred == kind).map(|c| c.name.clone());
    let aggregate = match (first(ColumnKind::Numeric), first(ColumnKind::Categorical)) {
        (Some(of), Some(by)) => vec![StepSpec::Aggregate { of, by, stat: GroupStat::Max }],
        _ => vec![],
    };
    let steps = match turn % 3 {
        0 => return None,
        1 => vec![
            StepSpec::Impute { numbers: Fill::Mean, indicator: true },
            StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 2 },
            StepSpec::Scale { scaler: Scaler::Robust, columns: vec![] },
            StepSpec::Bin { binning: Binning::Quantile, bins: 3, columns: vec![] },
            StepSpec::Pca { keep: Keep::Variance(0.9) },
        ],
        _ => [
            vec![
                StepSpec::Encode { encoding: CategoryEncoding::Ordinal, min_count: 0 },
                StepSpec::Impute { numbers: Fill::MostFrequent, indicator: false },
            ],
            aggregate,
            vec![
                StepSpec::Scale { scaler: Scaler::MinMax, columns: vec![] },
                StepSpec::Poly { columns: vec![] },
                StepSpec::Bin { binning: Binning::Uniform, bins: 2, columns: vec![] },
                StepSpec::Pca { keep: Keep::Components(1) },
            ],
        ]
        .concat(),
    };
    Some(PipelineSpec { steps })
}

/// The whole path of a dropped file: load, keep the first column's missing
/// tokens as values (the undo), then train the `turn`-th registered model
/// that does the suggested task (round robin) on the default target with
/// every inferred feature and any date. Returns whether it trained, or the
/// internal error that stopped it.
fn drop_and_train(bytes: &[u8], turn: usize) -> Result<bool, String> {
    let mut session = Session::new(native_clock);
    let mut summary = match session
        .handle(Request::Load { name: "fuzz.csv".into(), bytes: bytes.to_vec(), encoding: None }, &mut NoProgress)
    {
        Response::Loaded(summary) => summary,
        Response::Failed(SessionError::Internal(e)) => return Err(format!("loading: {e}")),
        Response::Failed(_) => return Ok(false),
        other => panic!("a load answered {other:?}"),
    };
    if let Some(first) = summary.columns.iter().position(|c| !c.tokens.is_empty()) {
        let undo = Request::SetMissing { column: summary.columns[first].name.clone(), missing: vec![] };
        match session.handle(undo, &mut NoProgress) {
            Response::ColumnRetyped(update) => summary.columns[update.index] = update.info,
            other => panic!("the undo of a missing token gave {other:?}"),
        }
    }
    let target = &summary.columns[summary.default_target];
    let task = summary.suggested_task[summary.default_target];
    let models: Vec<&ModelSpec> = REGISTRY.iter().filter(|m| m.tasks.contains(&task)).collect();
    let spec = models[turn % models.len()];
    let request = TrainRequest {
        target: target.name.clone(),
        task,
        columns: summary
            .columns
            .iter()
            .map(|c| ColumnUse {
                name: c.name.clone(),
                kind: c.inferred,
                included: c.inferred.is_feature() || c.inferred == ColumnKind::Date,
            })
            .collect(),
        model: spec.id.into(),
        params: quick_params(spec, task),
        seed: 1,
        pipeline: pipeline(turn, &summary),
        test_share: micro_models::session::TEST_FRACTION,
    };
    match session.handle(Request::Train(request), &mut NoProgress) {
        Response::Trained(_) if turn.is_multiple_of(TAKE_AWAY_EVERY) => take_away(&mut session, turn).map(|()| true),
        Response::Trained(_) => Ok(true),
        Response::Failed(SessionError::Internal(e)) => Err(format!("training {}: {e}", spec.id)),
        Response::Failed(_) => Ok(false),
        other => panic!("training answered {other:?}"),
    }
}

/// One trained input in this many also goes through [`take_away`] (it costs
/// about a training more).
const TAKE_AWAY_EVERY: usize = 8;

/// What a person takes away from a trained model — every row's prediction,
/// the model as code in each language (at one of the precisions, in turn),
/// the model file, and that file damaged and read back — ends in an answer
/// or a typed refusal.
fn take_away(session: &mut Session, turn: usize) -> Result<(), String> {
    let precision = [Precision::F32, Precision::F16, Precision::Int8][turn / TAKE_AWAY_EVERY % 3];
    let requests = std::iter::once(Request::Predictions)
        .chain(Language::ALL.map(|language| Request::ExportCode { language, precision }));
    for request in requests {
        if let Response::Failed(SessionError::Internal(e)) = session.handle(request, &mut NoProgress) {
            return Err(format!("taking away: {e}"));
        }
    }
    let json = match session.handle(Request::SaveModel, &mut NoProgress) {
        Response::ModelSaved(saved) => saved.json,
        Response::Failed(SessionError::Internal(e)) => return Err(format!("saving the model: {e}")),
        _ => return Ok(()),
    };
    // A few bytes changed to ones that keep JSON plausible: numbers, signs,
    // brackets and quotes moved, so the damage reaches past the parser.
    let mut rng = ChaCha8Rng::seed_from_u64(turn as u64);
    let mut bytes = json.into_bytes();
    for _ in 0..rng.random_range(1..4) {
        let at = rng.random_range(0..bytes.len());
        bytes[at] = b"0123456789-.e,:{}[]\"x"[rng.random_range(0..21)];
    }
    let json = String::from_utf8_lossy(&bytes).into_owned();
    match session.handle(Request::LoadModel { json }, &mut NoProgress) {
        Response::Failed(SessionError::Internal(e)) => Err(format!("loading a damaged model file: {e}")),
        _ => Ok(()),
    }
}

fn random_bytes(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let len = rng.random_range(0..64);
    (0..len).map(|_| rng.random()).collect()
}

/// A small table of spicy cells, sometimes with a shape a person would not expect.
fn generated(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let cols = rng.random_range(1..6);
    let rows = rng.random_range(0..12);
    let mut out = Vec::new();
    for r in 0..=rows {
        let width = if rng.random_bool(0.1) { rng.random_range(0..8) } else { cols };
        for c in 0..width {
            if c > 0 {
                out.push(b',');
            }
            match rng.random_range(0..4) {
                0 => out.extend_from_slice(SPICE[rng.random_range(0..SPICE.len())]),
                1 => out.extend_from_slice(format!("{}", rng.random_range(-1000..1000)).as_bytes()),
                2 => out.extend_from_slice(format!("{:e}", rng.random::<f64>() * 1e6).as_bytes()),
                _ => out.extend_from_slice(if r == 0 { b"name" } else { b"text" }),
            }
        }
        out.extend_from_slice(if rng.random_bool(0.2) { b"\r\n" } else { b"\n" });
    }
    out
}

/// A slice of a real bundled CSV, mutated a few times.
fn mutated(rng: &mut ChaCha8Rng, real: &[&[u8]]) -> Vec<u8> {
    let source = real[rng.random_range(0..real.len())];
    let end = rng.random_range(0..source.len().min(600));
    let mut out = source[..end].to_vec();
    for _ in 0..rng.random_range(1..6) {
        let at = rng.random_range(0..=out.len());
        match rng.random_range(0..4) {
            0 if !out.is_empty() => {
                let i = rng.random_range(0..out.len());
                out[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let spice = SPICE[rng.random_range(0..SPICE.len())];
                out.splice(at..at, spice.iter().copied());
            }
            2 if at < out.len() => {
                let len = rng.random_range(0..(out.len() - at).min(20));
                out.drain(at..at + len);
            }
            _ => {
                let line: Vec<u8> = out[at..].iter().take_while(|&&b| b != b'\n').copied().collect();
                out.splice(at..at, line.into_iter().chain([b'\n']));
            }
        }
    }
    out
}

/// Extreme shapes: very wide, a single enormous line, many blank lines.
fn extreme(rng: &mut ChaCha8Rng) -> Vec<u8> {
    match rng.random_range(0..3) {
        0 => {
            let cols = rng.random_range(100..400);
            let header: Vec<String> = (0..cols).map(|i| format!("c{i}")).collect();
            let row: Vec<String> = (0..cols).map(|i| (i % 7).to_string()).collect();
            format!("{}\n{}\n{}\n", header.join(","), row.join(","), row.join(",")).into_bytes()
        }
        1 => vec![b'x'; rng.random_range(10_000..100_000)],
        _ => {
            let mut v = b"a,b\n1,2\n".to_vec();
            v.extend(std::iter::repeat_n(b'\n', rng.random_range(1..5000)));
            v
        }
    }
}

#[test]
fn a_million_odd_inputs_neither_panic_nor_fail_internally() {
    let runs: usize = std::env::var("FUZZ_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let real: Vec<&[u8]> = bundled::NAMES.iter().filter_map(|n| bundled::bytes(n)).collect();
    // Silence the default hook: a panic is reported below with its input.
    std::panic::set_hook(Box::new(|_| {}));
    let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/fuzz"))
        .map(|dir| dir.filter_map(|e| std::fs::read(e.ok()?.path()).ok()).collect())
        .unwrap_or_default();
    let corpus = inputs.len();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let (mut trained, mut done) = (0usize, 0usize);
    while done < runs + corpus {
        let input = inputs.pop().unwrap_or_else(|| match done % 100 {
            0 => extreme(&mut rng),
            1..=30 => random_bytes(&mut rng),
            31..=65 => generated(&mut rng),
            _ => mutated(&mut rng, &real),
        });
        let failure = match catch_unwind(AssertUnwindSafe(|| drop_and_train(&input, done))) {
            Ok(Ok(ok)) => {
                trained += usize::from(ok);
                None
            }
            Ok(Err(internal)) => Some(format!("gave an internal error ({internal})")),
            Err(_) => Some("panicked".to_string()),
        };
        if let Some(what) = failure {
            let _ = std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/fuzz-failure.csv"), &input);
            let _ = std::panic::take_hook();
            panic!("input {done} {what}; it is in target/fuzz-failure.csv: {:?}", String::from_utf8_lossy(&input));
        }
        done += 1;
    }
    let _ = std::panic::take_hook();
    println!(
        "fuzz: {done} inputs ({corpus} from the corpus), {trained} trained, the rest refused with a typed error; no panic, no internal error"
    );
    assert!(trained > done / 100, "the generator should produce usable tables too");
}
