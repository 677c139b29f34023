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

use micro_models::base::program::{emit, Answer, Language, Output, Precision, Program};
use micro_models::base::NoProgress;
use micro_models::model::{ParamValues, Predictions, REGISTRY};
use micro_models::session::{bundled, ColumnUse, Request, Response, Session, SessionError, TrainRequest};

/// Registered models that cannot be exported as code yet.
const NOT_EXPORTED: [&str; 2] = ["mlp", "kmeans"];

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
        })
        .collect()
}

/// The page's answers, one line per row: "label p0 p1 …" or "value", as hex bits.
fn answers(page: &Predictions) -> Vec<String> {
    match page {
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

/// Every model the registry has for `dataset`'s task, trained with its
/// defaults; the exported ones as cases, the others' ids.
fn cases(dataset: &str) -> (Vec<Case>, BTreeSet<String>) {
    let mut s = Session::new(|| 0.0);
    let Response::Loaded(summary) = s.handle(Request::LoadBundled { name: dataset.into() }, &mut NoProgress) else {
        panic!("{dataset} did not load")
    };
    let task = summary.suggested_task[summary.default_target];
    let (mut out, mut skipped) = (Vec::new(), BTreeSet::new());
    for spec in REGISTRY.iter().filter(|m| m.tasks.contains(&task)) {
        let request = TrainRequest {
            target: summary.columns[summary.default_target].name.clone(),
            task,
            columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
            model: spec.id.to_string(),
            params: ParamValues::new(),
            seed: 7,
            pipeline: None,
            test_share: 0.2,
        };
        let Response::Trained(_) = s.handle(Request::Train(request), &mut NoProgress) else {
            panic!("{} did not train on {dataset}", spec.id)
        };
        match s.program() {
            Ok(program) => {
                let (rows, page) = s.exported_test_rows().expect("trained");
                // The int8 program as the page scores it: what its code must print.
                let int8 = program.quantized(Precision::Int8);
                let int8_expected = program_answers(&int8, &rows);
                let rows: String =
                    rows.iter().map(|r| r.iter().map(|&v| hex(v)).collect::<Vec<_>>().join(" ") + "\n").collect();
                let name = format!("{dataset}_{}", spec.id);
                out.push(Case { model: spec.id, name: name.clone(), program, rows: rows.clone(), expected: answers(&page) });
                out.push(Case {
                    model: spec.id,
                    name: format!("{name}_int8"),
                    program: int8,
                    rows,
                    expected: int8_expected,
                });
            }
            Err(SessionError::NotExportable(_)) => {
                skipped.insert(spec.id.to_string());
            }
            Err(e) => panic!("{} on {dataset}: {e}", spec.id),
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
    lines.push(typeof out === 'number' ? hex(out) : [out.label, ...out.proba.map(hex)].join(' '));
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

#[test]
fn exported_code_predicts_as_the_page_bit_for_bit() {
    let work: PathBuf = std::env::temp_dir().join(format!("micro_models_codegen_{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).expect("work dir");
    let tools: Vec<(&str, bool)> = ["rustc", "cc", "node"].iter().map(|&t| (t, have(t))).collect();
    for (tool, present) in &tools {
        if !present {
            eprintln!("codegen: {tool} is not on the PATH; its language is skipped");
        }
    }
    let present = |t: &str| tools.iter().any(|&(n, p)| n == t && p);
    let mut checked = 0;
    let mut js_dirs = Vec::new();
    let mut all = Vec::new();
    for dataset in bundled::NAMES {
        let (cases, skipped) = cases(dataset);
        for id in &skipped {
            assert!(NOT_EXPORTED.contains(&id.as_str()), "{id} no longer exports on {dataset}");
        }
        for case in cases {
            assert!(!NOT_EXPORTED.contains(&case.model), "{} exports now: take it off NOT_EXPORTED", case.model);
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
                compare(&case, "C", &run(&mut Command::new(&bin), Some(&rows)));
            }
            if present("rustc") {
                let rs = emit(&case.program, Language::Rust);
                fs::write(dir.join("model.rs"), &rs.code).expect("model.rs");
                fs::write(dir.join("main.rs"), rust_harness(&case.program)).expect("main.rs");
                // The model alone, as a no_std library: no allocation, no dependency.
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
                        .arg(&dir)
                        .arg(dir.join("model.rs")),
                    None,
                );
                let bin = dir.join("rust_model");
                run(
                    Command::new("rustc")
                        .args(["--edition", "2021", "-O", "--extern"])
                        .arg(format!("model={}", dir.join("libmodel.rlib").display()))
                        .arg("-o")
                        .arg(&bin)
                        .arg(dir.join("main.rs")),
                    None,
                );
                compare(&case, "Rust", &run(&mut Command::new(&bin), Some(&rows)));
            }
            if present("node") {
                fs::write(dir.join("model.mjs"), emit(&case.program, Language::Js).code).expect("model.mjs");
                js_dirs.push(dir.clone());
            }
            checked += 1;
            all.push(case);
        }
    }
    if present("node") {
        fs::write(work.join("harness.mjs"), JS_HARNESS).expect("harness");
        run(Command::new("node").arg(work.join("harness.mjs")).args(&js_dirs), None);
        for (case, dir) in all.iter().zip(&js_dirs) {
            compare(case, "JavaScript", &fs::read_to_string(dir.join("js.txt")).expect("js output"));
        }
    }
    let mut summary = String::new();
    let _ = write!(summary, "codegen: {checked} programs (model × dataset, exact and int8) agree bit for bit");
    eprintln!("{summary}");
    assert!(checked >= 40, "only {checked} programs exported");
    let _ = fs::remove_dir_all(&work);
}
