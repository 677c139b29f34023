//! The layer rule: each module of `src/` imports only from the layers below
//! it, so the flow `lib.rs` describes is the flow the code has. A path
//! `crate::<layer>` naming a higher layer, in a `use` or inline, fails here
//! with the file and line.

use std::fs;
use std::path::Path;

/// Bottom to top; a layer may use its own modules and any layer before it.
const LAYERS: &[&str] = &["base", "data", "prep", "model", "eval", "explain", "render", "session", "web"];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// Every `crate::name` in `line`, also inside `use crate::{a::…, b::…}` groups
/// (the caller passes a whole `use` statement as one line).
fn named_layers(statement: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in statement.match_indices("crate::") {
        let rest = &statement[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::x, b}`: the first identifier of each item.
            let mut depth = 0;
            let mut start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => name.push(c),
                    _ if start && !name.is_empty() => {
                        out.push(std::mem::take(&mut name));
                        start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                out.push(name);
            }
        } else {
            out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out
}

/// `use` statements joined onto one line each; other lines as they are.
fn statements(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if let Some((start, mut text)) = open.take() {
            text.push_str(code.trim());
            if code.contains(';') {
                out.push((start, text));
            } else {
                open = Some((start, text));
            }
        } else if code.trim_start().starts_with("use ") || code.trim_start().starts_with("pub use ") {
            if code.contains(';') {
                out.push((n + 1, code.to_string()));
            } else {
                open = Some((n + 1, code.to_string()));
            }
        } else {
            out.push((n + 1, code.to_string()));
        }
    }
    out
}

fn upward_imports(file: &Path, layer: &str) -> Vec<String> {
    let own = rank(layer).expect("a known layer");
    let source = fs::read_to_string(file).expect("a readable source file");
    let mut found = Vec::new();
    for (line, statement) in statements(&source) {
        for named in named_layers(&statement) {
            match rank(&named) {
                Some(r) if r > own => found.push(format!("{}:{line}: {layer} uses {named}", file.display())),
                _ => {}
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_layer_imports_only_from_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut checked = 0;
    for layer in LAYERS {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "layer {layer} has no files under src/{layer}/");
        for file in files {
            violations.extend(upward_imports(&file, layer));
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(violations.is_empty(), "imports against the layer order {LAYERS:?}:\n{}", violations.join("\n"));
}

/// What in `web` names the fitting side of the model registry, outside the
/// worker: one such line links every model into the page's wasm (over
/// 100 KB gzipped), which only the size report would otherwise notice.
fn page_uses_of_the_registry(source: &str) -> Vec<String> {
    statements(source)
        .into_iter()
        .filter(|(_, s)| s.contains("REGISTRY") || s.contains("model::find(") || s.contains("::SPEC"))
        .map(|(line, s)| format!("line {line}: {s}"))
        .collect()
}

#[test]
fn the_page_looks_models_up_in_the_catalog_not_the_registry() {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    rust_files(&web, &mut files);
    let mut violations = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("worker.rs")) {
        let source = fs::read_to_string(file).expect("readable source");
        violations.extend(page_uses_of_the_registry(&source).into_iter().map(|v| format!("{}: {v}", file.display())));
    }
    assert!(violations.is_empty(), "page code reaching the model registry (use model::catalog):\n{}", violations.join("\n"));
    assert_eq!(page_uses_of_the_registry("fn f() { let m = model::find(&id); }\n").len(), 1);
    assert_eq!(page_uses_of_the_registry("use crate::model::REGISTRY;\n").len(), 1);
    assert!(page_uses_of_the_registry("let m = catalog::find(&id);\n").is_empty());
}

#[test]
fn the_checker_sees_upward_imports_in_every_form() {
    assert_eq!(named_layers("use crate::explain::Task;"), ["explain"]);
    assert_eq!(named_layers("use crate::{base::Task, model::{tree, Dataset}};"), ["base", "model"]);
    assert_eq!(named_layers("    let t = crate::session::bundled(\"iris\");"), ["session"]);
    let joined = statements("use crate::{\n    render::theme,\n    base::Task,\n};\nfn f() {}\n");
    assert_eq!(joined[0].1.replace(' ', ""), "usecrate::{render::theme,base::Task,};");
    assert_eq!(named_layers(&joined[0].1), ["render", "base"]);
}
