//! Export as code, bit for bit: for every registered model on every bundled
//! dataset its task allows, the code the page exports (Rust `#![no_std]`,
//! C99, an ES module), compiled with rustc and cc and run with node on the
//! test rows, gives the page's own predictions as `f32`, bit for bit: the
//! label and every class probability, or the value. The int8 export gives
//! the quantized program's answers (as the page scores it) bit for bit too.
//!
//! Needs `rustc`, `cc` and `node` on the PATH; a missing one is skipped with
//! a message (they are on the CI machine). Models that do not lower to a
//! program yet are listed in `NOT_EXPORTED`, so that one that starts or stops
//! exporting changes this test.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use micro_models::base::format_significant;
use micro_models::base::program::{
    emit,
    emit::{helper_source, Helper},
    Answer, Language, Output, Precision, Program,
};
use micro_models::base::{NoProgress, Task};
use micro_models::model::{ParamValue, ParamValues, Predictions, REGISTRY};
use micro_models::session::{bundled, ColumnUse, DataSummary, Request, Response, Session, SessionError, TrainRequest};
use micro_models::web::text::quantization_text;

/// Registered models that cannot be exported as code yet (none now; a new
/// model that does not lower goes here until it does).
const NOT_EXPORTED: [&str; 0] = [];

/// One exported model: where its code is and what it must print.
struct Case {
    model: &'static str,
    name: String,
    program: Program,
    /// The test rows, one line of hex `f32` bits per row.
    rows: String,
    /// The page's answers in the harness's format.
    expected: Vec<String>,
}

fn hex(v: f32) -> String {
    format!("{:08x}", v.to_bits())
}

/// A program's own answers (the interpreter's) in the harness's format.
fn program_answers(program: &Program, rows: &[Vec<f32>]) -> Vec<String> {
    program
        .run_rows(rows)
        .into_iter()
        .map(|a| match a {
            Answer::Class { label, proba } => {
                std::iter::once(label.to_string()).chain(proba.iter().map(|&v| hex(v))).collect::<Vec<_>>().join(" ")
            }
            Answer::Value(v) => hex(v),
            Answer::Cluster(c) => c.to_string(),
        })
        .collect()
}

/// The page's answers, one line per row: "label p0 p1 …" or "value", as hex
/// bits, or for a clustering the cluster.
fn answers(page: &Predictions, output: &Output) -> Vec<String> {
    match page {
        Predictions::Classes { .. } if matches!(output, Output::Cluster { .. }) => {
            page.labels().unwrap_or_default().iter().map(u32::to_string).collect()
        }
        Predictions::Classes { proba, n_classes } => {
            let labels = page.labels().unwrap_or_default();
            proba
                .chunks(*n_classes)
                .zip(labels)
                .map(|(p, l)| std::iter::once(l.to_string()).chain(p.iter().map(|&v| hex(v))).collect::<Vec<_>>().join(" "))
                .collect()
        }
        Predictions::Values(v) => v.iter().map(|&v| hex(v as f32)).collect(),
    }
}

/// A training request for `model` on the loaded dataset, with its defaults
/// changed by `params`.
fn request(summary: &DataSummary, task: Task, model: &str, params: ParamValues) -> TrainRequest {
    TrainRequest {
        // A clustering compares with the target column rather than using it as an input.
        target: summary.columns[summary.default_target].name.clone(),
        task,
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: model.to_string(),
        params,
        seed: 7,
        pipeline: None,
        test_share: 0.2,
    }
}

/// The trained model's program and its int8 twin as cases named `name`, or
/// `None` when it does not lower.
fn exported(s: &Session, model: &'static str, name: String) -> Option<[Case; 2]> {
    let program = match s.program() {
        Ok(program) => program,
        Err(SessionError::NotExportable(_)) => return None,
        Err(e) => panic!("{name}: {e}"),
    };
    let (rows, page) = s.exported_test_rows().expect("trained");
    // The int8 program as the page scores it: what its code must print.
    let int8 = program.quantized(Precision::Int8);
    let int8_expected = program_answers(&int8, &rows);
    let expected = answers(&page, &program.output);
    let rows: String = rows.iter().map(|r| r.iter().map(|&v| hex(v)).collect::<Vec<_>>().join(" ") + "\n").collect();
    Some([
        Case { model, name: name.clone(), program, rows: rows.clone(), expected },
        Case { model, name: format!("{name}_int8"), program: int8, rows, expected: int8_expected },
    ])
}

fn train(s: &mut Session, request: TrainRequest, what: &str) {
    let Response::Trained(_) = s.handle(Request::Train(request), &mut NoProgress) else { panic!("{what} did not train") };
}

/// Every model the registry has for `dataset`'s task, trained with its
/// defaults, and k-means on its inputs, kNN weighing by distance and the
/// network with tanh and logistic units; the exported ones as cases, the
/// others' ids.
fn cases(dataset: &str) -> (Vec<Case>, BTreeSet<String>) {
    let mut s = Session::new(|| 0.0);
    let Response::Loaded(summary) = s.handle(Request::LoadBundled { name: dataset.into() }, &mut NoProgress) else {
        panic!("{dataset} did not load")
    };
    let task = summary.suggested_task[summary.default_target];
    let (mut out, mut skipped) = (Vec::new(), BTreeSet::new());
    let mut runs: Vec<(Task, &'static str, ParamValues, String)> = REGISTRY
        .iter()
        .filter(|m| m.tasks.contains(&task) || m.tasks.contains(&Task::Clustering))
        .map(|m| {
            let task = if m.tasks.contains(&task) { task } else { Task::Clustering };
            (task, m.id, ParamValues::new(), format!("{dataset}_{}", m.id))
        })
        .collect();
    let by_distance = ParamValues::from([("weights".to_string(), ParamValue::Choice("distance".into()))]);
    runs.push((task, "knn", by_distance, format!("{dataset}_knn_distance")));
    // The network's other activations, whose f32 tanh and logistic the code carries.
    for activation in ["tanh", "logistic"] {
        let params = ParamValues::from([("activation".to_string(), ParamValue::Choice(activation.into()))]);
        runs.push((task, "mlp", params, format!("{dataset}_mlp_{activation}")));
    }
    for (task, model, params, name) in runs {
        train(&mut s, request(&summary, task, model, params), &name);
        match exported(&s, model, name) {
            Some(pair) => out.extend(pair),
            None => {
                skipped.insert(model.to_string());
            }
        }
    }
    (out, skipped)
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn run(cmd: &mut Command, input: Option<&Path>) -> String {
    if let Some(input) = input {
        cmd.stdin(fs::File::open(input).expect("rows file"));
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const C_HARNESS: &str = r#"#include <stdio.h>
#include <string.h>
#include "model.h"
int main(void) {
    float x[MM_INPUTS];
    unsigned int bits;
    for (;;) {
        for (int k = 0; k < MM_INPUTS; k++) {
            if (scanf("%x", &bits) != 1) { return 0; }
            memcpy(&x[k], &bits, 4);
        }
#ifdef MM_CLASSES
        float p[MM_CLASSES];
        int label = mm_predict(x, p);
        printf("%d", label);
        for (int k = 0; k < MM_CLASSES; k++) { memcpy(&bits, &p[k], 4); printf(" %08x", bits); }
        printf("\n");
#elif defined(MM_CLUSTERS)
        printf("%d\n", mm_predict(x));
#else
        float v = mm_predict(x);
        memcpy(&bits, &v, 4);
        printf("%08x\n", bits);
#endif
    }
}
"#;

fn rust_harness(program: &Program) -> String {
    let answer = match program.output {
        Output::Classes { .. } => {
            "let mut p = [0f32; model::CLASSES];\n        let label = model::predict(&x, &mut p);\n        let mut line = label.to_string();\n        for v in p { line.push_str(&format!(\" {:08x}\", v.to_bits())); }\n        println!(\"{line}\");"
        }
        Output::Value { .. } => "println!(\"{:08x}\", model::predict(&x).to_bits());",
        Output::Cluster { .. } => "println!(\"{}\", model::predict(&x));",
    };
    format!(
        r#"use std::io::Read;
fn main() {{
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<f32> = s.split_whitespace().map(|t| f32::from_bits(u32::from_str_radix(t, 16).unwrap())).collect();
    for row in v.chunks(model::INPUTS) {{
        let x: [f32; model::INPUTS] = row.try_into().unwrap();
        {answer}
    }}
}}
"#
    )
}

const JS_HARNESS: &str = r#"import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const dv = new DataView(new ArrayBuffer(4));
const f32 = (h) => { dv.setUint32(0, parseInt(h, 16)); return dv.getFloat32(0); };
const hex = (v) => { dv.setFloat32(0, v); return dv.getUint32(0).toString(16).padStart(8, '0'); };
for (const dir of process.argv.slice(2)) {
  const m = await import(pathToFileURL(`${dir}/model.mjs`).href);
  const v = readFileSync(`${dir}/rows.txt`, 'utf8').split(/\s+/).filter(Boolean).map(f32);
  const lines = [];
  for (let r = 0; r < v.length; r += m.INPUTS) {
    const out = m.predict(v.slice(r, r + m.INPUTS));
    lines.push(m.CLUSTERS !== undefined ? String(out) : typeof out === 'number' ? hex(out) : [out.label, ...out.proba.map(hex)].join(' '));
  }
  writeFileSync(`${dir}/js.txt`, lines.join('\n') + '\n');
}
"#;

fn compare(case: &Case, language: &str, got: &str) {
    let got: Vec<&str> = got.lines().collect();
    assert_eq!(
        got.len(),
        case.expected.len(),
        "{} in {language}: {} rows out of {}",
        case.name,
        got.len(),
        case.expected.len()
    );
    for (r, (g, e)) in got.iter().zip(&case.expected).enumerate() {
        assert_eq!(*g, e, "{} in {language}, test row {r}: code gives {g}, the page {e}", case.name);
    }
}

/// The toolchains on the PATH; a missing one's language is skipped, said once.
fn toolchains() -> Vec<(&'static str, bool)> {
    let tools: Vec<(&str, bool)> = ["rustc", "cc", "node"].iter().map(|&t| (t, have(t))).collect();
    for (tool, present) in &tools {
        if !present {
            eprintln!("codegen: {tool} is not on the PATH; its language is skipped");
        }
    }
    tools
}

/// A fresh scratch directory named after `what`.
fn scratch(what: &str) -> PathBuf {
    let work = std::env::temp_dir().join(format!("micro_models_{what}_{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("work dir");
    work
}

/// Compiles the model alone as a `#![no_std]` rlib (no allocation, no
/// dependency), then `main.rs` against it, into `bin`.
fn rustc_with_model(dir: &Path, bin: &Path) {
    run(
        Command::new("rustc")
            .args([
                "--edition",
                "2021",
                "--crate-type",
                "rlib",
                "--crate-name",
                "model",
                "-O",
                "-D",
                "warnings",
                "--out-dir",
            ])
            .arg(dir)
            .arg(dir.join("model.rs")),
        None,
    );
    run(
        Command::new("rustc")
            .args(["--edition", "2021", "-O", "--extern"])
            .arg(format!("model={}", dir.join("libmodel.rlib").display()))
            .arg("-o")
            .arg(bin)
            .arg(dir.join("main.rs")),
        None,
    );
}

/// Emits every case in each language, compiles and runs it on its test rows
/// and holds its output to the expected answers; how many cases.
fn check(cases: &[Case], work: &Path) -> usize {
    let tools = toolchains();
    let present = |t: &str| tools.iter().any(|&(n, p)| n == t && p);
    let mut js_dirs = Vec::new();
    for case in cases {
        let dir = work.join(&case.name);
        fs::create_dir_all(&dir).expect("case dir");
        fs::write(dir.join("rows.txt"), &case.rows).expect("rows");
        let rows = dir.join("rows.txt");
        if present("cc") {
            let c = emit(&case.program, Language::C);
            fs::write(dir.join("model.c"), &c.code).expect("model.c");
            fs::write(dir.join("model.h"), c.header.as_deref().unwrap_or_default()).expect("model.h");
            fs::write(dir.join("main.c"), C_HARNESS).expect("main.c");
            let bin = dir.join("c_model");
            run(
                Command::new("cc")
                    .args(["-std=c99", "-O2", "-Wall", "-Werror", "-ffp-contract=off", "-o"])
                    .arg(&bin)
                    .arg(dir.join("main.c"))
                    .arg(dir.join("model.c")),
                None,
            );
            compare(case, "C", &run(&mut Command::new(&bin), Some(&rows)));
        }
        if present("rustc") {
            fs::write(dir.join("model.rs"), emit(&case.program, Language::Rust).code).expect("model.rs");
            fs::write(dir.join("main.rs"), rust_harness(&case.program)).expect("main.rs");
            let bin = dir.join("rust_model");
            rustc_with_model(&dir, &bin);
            compare(case, "Rust", &run(&mut Command::new(&bin), Some(&rows)));
        }
        if present("node") {
            fs::write(dir.join("model.mjs"), emit(&case.program, Language::Js).code).expect("model.mjs");
            js_dirs.push(dir.clone());
        }
    }
    if present("node") && !js_dirs.is_empty() {
        fs::write(work.join("harness.mjs"), JS_HARNESS).expect("harness");
        run(Command::new("node").arg(work.join("harness.mjs")).args(&js_dirs), None);
        for (case, dir) in cases.iter().zip(&js_dirs) {
            compare(case, "JavaScript", &fs::read_to_string(dir.join("js.txt")).expect("js output"));
        }
    }
    cases.len()
}

#[test]
fn exported_code_predicts_as_the_page_bit_for_bit() {
    let work = scratch("codegen");
    let mut all = Vec::new();
    for dataset in bundled::NAMES {
        let (cases, skipped) = cases(dataset);
        for id in &skipped {
            assert!(NOT_EXPORTED.contains(&id.as_str()), "{id} no longer exports on {dataset}");
        }
        for case in &cases {
            assert!(!NOT_EXPORTED.contains(&case.model), "{} exports now: take it off NOT_EXPORTED", case.model);
        }
        all.extend(cases);
    }
    let checked = check(&all, &work);
    let mut summary = String::new();
    let _ = write!(summary, "codegen: {checked} programs (model × dataset, exact and int8) agree bit for bit");
    eprintln!("{summary}");
    assert!(checked >= 40, "only {checked} programs exported");
    let _ = fs::remove_dir_all(&work);
}

/// Two classes tied in the vote: rows at the same places with both classes,
/// so that two neighbours at one distance vote one each. The emitted code
/// must break the tie as the page does (the lower class), for uniform and
/// distance weights.
#[test]
fn a_knn_vote_tie_goes_where_the_page_sends_it() {
    let mut csv = String::from("x,y,label\n");
    for i in 0..30 {
        let (x, y) = (i % 6, i / 6);
        // Each class twice at each place, in turn, the first class alternating: the
        // two earliest rows left at a test row's place are often one of each.
        let (first, second) = if i % 2 == 0 { ("b", "a") } else { ("a", "b") };
        for label in [first, second, first, second] {
            csv.push_str(&format!("{x},{y},{label}\n"));
        }
    }
    let mut s = Session::new(|| 0.0);
    let Response::Loaded(summary) =
        s.handle(Request::Load { name: "ties.csv".into(), bytes: csv.into_bytes(), encoding: None }, &mut NoProgress)
    else {
        panic!("the tie table did not load")
    };
    let mut cases = Vec::new();
    for weights in ["uniform", "distance"] {
        let params = ParamValues::from([
            ("k".to_string(), ParamValue::Int(2)),
            ("weights".to_string(), ParamValue::Choice(weights.into())),
        ]);
        let name = format!("ties_knn_{weights}");
        train(&mut s, request(&summary, Task::Classification, "knn", params), &name);
        let [exact, _] = exported(&s, "knn", name).expect("kNN exports");
        // The test must hold ties: rows whose two probabilities are equal.
        let ties = exact.expected.iter().filter(|l| l.split(' ').nth(1) == l.split(' ').nth(2)).count();
        assert!(ties > 0, "no tied vote among the test rows of {}", exact.name);
        cases.push(exact);
    }
    let work = scratch("codegen_ties");
    check(&cases, &work);
    let _ = fs::remove_dir_all(&work);
}

/// Rust and C carry their own square root (`#![no_std]` Rust and C without
/// headers have none): it must give `f64::sqrt`'s bits for every input,
/// subnormals, zeros, infinities and NaN included.
#[test]
fn the_emitted_square_root_is_correctly_rounded() {
    let mut values: Vec<f64> = vec![
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -1.0,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::from_bits(1),
        f64::from_bits(2),
        f64::from_bits(3),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::from_bits(0x0008_0000_0000_0000),
        1.0,
        2.0,
        4.0,
        0.25,
    ];
    // Perfect squares and their neighbours, where a root sits on a whole number.
    for i in 1..2000u64 {
        let sq = (i * i) as f64;
        values.extend([sq, f64::from_bits(sq.to_bits() - 1), f64::from_bits(sq.to_bits() + 1)]);
    }
    // Bit patterns spread over every exponent, subnormals included (a fixed LCG).
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..200_000 {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        values.push(f64::from_bits(state >> 1));
    }
    let input: String = values.iter().map(|v| format!("{:016x}\n", v.to_bits())).collect();
    let work = scratch("codegen_sqrt");
    let rows = work.join("values.txt");
    fs::write(&rows, input).expect("values");
    let tools = toolchains();
    let present = |t: &str| tools.iter().any(|&(n, p)| n == t && p);
    let mut outputs = Vec::new();
    if present("rustc") {
        let rust = format!(
            "#![no_std]\n#![allow(dead_code)]\n{}\npub fn root(x: f64) -> f64 {{ mm_sqrt(x) }}\n",
            helper_source(Language::Rust, Helper::Sqrt)
        );
        fs::write(work.join("model.rs"), rust).expect("model.rs");
        fs::write(
            work.join("main.rs"),
            "use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();\n    for t in s.split_whitespace() { let x = f64::from_bits(u64::from_str_radix(t, 16).unwrap()); println!(\"{:016x}\", model::root(x).to_bits()); } }\n",
        )
        .expect("main.rs");
        let bin = work.join("rust_sqrt");
        rustc_with_model(&work, &bin);
        outputs.push(("Rust", run(&mut Command::new(&bin), Some(&rows))));
    }
    if present("cc") {
        fs::write(
            work.join("sqrt.c"),
            format!(
                "#include <stdio.h>\n#include <string.h>\n{}\nint main(void) {{ unsigned long long b; double x; while (scanf(\"%llx\", &b) == 1) {{ memcpy(&x, &b, 8); x = mm_sqrt(x); memcpy(&b, &x, 8); printf(\"%016llx\\n\", b); }} return 0; }}\n",
                helper_source(Language::C, Helper::Sqrt)
            ),
        )
        .expect("sqrt.c");
        let bin = work.join("c_sqrt");
        run(Command::new("cc").args(["-std=c99", "-O2", "-Wall", "-Werror", "-o"]).arg(&bin).arg(work.join("sqrt.c")), None);
        outputs.push(("C", run(&mut Command::new(&bin), Some(&rows))));
    }
    for (language, out) in outputs {
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got.len(), values.len(), "{language}: {} answers for {} values", got.len(), values.len());
        for (v, g) in values.iter().zip(got) {
            let g = f64::from_bits(u64::from_str_radix(g, 16).expect("hex"));
            let want = v.sqrt();
            assert!(
                g.to_bits() == want.to_bits() || (g.is_nan() && want.is_nan()),
                "{language}: sqrt({v:e}) = {g:e}, f64::sqrt says {want:e}"
            );
        }
    }
    let _ = fs::remove_dir_all(&work);
}

/// The rule the page keeps for quantization: int8 costs the tree, the forest,
/// logistic regression and the network at most one point of test accuracy on
/// iris, penguins and breast cancer, or the page's summary says how many it
/// costs. f16 and int8 both store fewer bytes than the exact program.
#[test]
fn int8_costs_at_most_a_point_or_the_page_says_how_much() {
    let mut table = String::new();
    for dataset in ["iris", "penguins", "breast_cancer"] {
        let mut s = Session::new(|| 0.0);
        let Response::Loaded(summary) = s.handle(Request::LoadBundled { name: dataset.into() }, &mut NoProgress) else {
            panic!("{dataset} did not load")
        };
        for model in ["decision_tree", "random_forest", "logistic_regression", "mlp"] {
            train(&mut s, request(&summary, Task::Classification, model, ParamValues::new()), model);
            for precision in [Precision::F16, Precision::Int8] {
                let Response::Code(code) =
                    s.handle(Request::ExportCode { language: Language::C, precision }, &mut NoProgress)
                else {
                    panic!("{model} on {dataset} did not export")
                };
                let q = code.quantization.clone().expect("a quantized export says what it costs");
                assert!(q.bytes_after < q.bytes_before, "{model} on {dataset} at {precision:?}: {q:?}");
                assert_eq!(code.constant_bytes, q.bytes_after);
                let lost = (q.score_before - q.score_after) * 100.0;
                let said = quantization_text(&q);
                let names_cost = said.contains(&format!("It costs {} points", format_significant(lost, 2)));
                assert!(
                    lost <= 1.0 || names_cost,
                    "{model} on {dataset} at {}: loses {lost:.2} points and the page says only: {said}",
                    precision.id()
                );
                assert!(lost > 1.0 || !said.contains("It costs"), "{model} on {dataset}: {said}");
                let _ = writeln!(
                    table,
                    "{dataset:>14} {model:>20} {:>5}: {:.3} → {:.3}, {} → {} bytes",
                    precision.id(),
                    q.score_before,
                    q.score_after,
                    q.bytes_before,
                    q.bytes_after
                );
            }
        }
    }
    eprintln!("quantization on the test rows:\n{table}");
}

/// `model.c` compiled for a 32-bit target at `-Os`: its text and data bytes
/// (`size`), or `None` without `gcc -m32`.
fn measured_flash(program: &Program, dir: &Path) -> Option<usize> {
    let c = emit(program, Language::C);
    fs::create_dir_all(dir).expect("dir");
    fs::write(dir.join("model.c"), &c.code).expect("model.c");
    fs::write(dir.join("model.h"), c.header.as_deref().unwrap_or_default()).expect("model.h");
    let object = dir.join("model.o");
    let ok = Command::new("gcc")
        .args(["-m32", "-Os", "-std=c99", "-ffp-contract=off", "-c", "-o"])
        .arg(&object)
        .arg(dir.join("model.c"))
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return None;
    }
    let out = run(Command::new("size").arg(&object), None);
    let numbers: Vec<usize> = out.lines().nth(1)?.split_whitespace().take(2).filter_map(|t| t.parse().ok()).collect();
    Some(numbers.iter().sum())
}

/// How far the page's flash estimate may be from the compiler's count.
const FLASH_TOLERANCE: f64 = 0.35;

/// The page cannot compile, so it estimates the flash the C takes
/// (`Program::flash_bytes_estimate`); with `gcc -m32` here, the estimate is
/// within 35 % of `size`'s text and data of `gcc -m32 -Os -c model.c` for
/// every exported model on every bundled dataset, exact and int8.
#[test]
fn flash_estimate_is_within_a_third_of_the_compiler() {
    let work = scratch("codegen_flash");
    let mut worst = (0.0f64, String::new());
    let mut checked = 0;
    for dataset in bundled::NAMES {
        for case in cases(dataset).0 {
            let Some(measured) = measured_flash(&case.program, &work.join(&case.name)) else {
                eprintln!("flash: gcc -m32 cannot compile here (no 32-bit libraries?); the estimate is not checked");
                return;
            };
            let estimate = case.program.flash_bytes_estimate();
            let off = estimate as f64 / measured as f64 - 1.0;
            assert!(
                off.abs() <= FLASH_TOLERANCE,
                "{}: estimated {estimate} bytes of flash, gcc -m32 -Os gives {measured}",
                case.name
            );
            if off.abs() > worst.0.abs() {
                worst = (off, format!("{}: {estimate} estimated, {measured} measured", case.name));
            }
            checked += 1;
        }
    }
    eprintln!("flash: {checked} programs, the estimate at most {:.0} % off ({})", worst.0.abs() * 100.0, worst.1);
    let _ = fs::remove_dir_all(&work);
}
