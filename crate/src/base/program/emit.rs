//! The emitters: a [`Program`] as dependency-free source code in Rust
//! (`#![no_std]`, no allocation), C (C99, no `malloc`, a `.h`/`.c` pair) or
//! JavaScript (an ES module with no imports). One walk over the ops writes
//! all three; a `Dialect` says how each language spells a declaration, a
//! cast and a loop, so the ops mean the same in each.
//!
//! Every language computes in `f64` (JavaScript's only number) and rounds to
//! `f32` exactly where the page does, and carries the same `exp` (FreeBSD's
//! `e_exp.c`, as the `libm` crate the page uses), so the three give the
//! page's bits.

use std::fmt::Write;

use super::{Data, Op, Output, Program, LEAF};

/// A language the page exports code in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Rust,
    C,
    Js,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::Rust, Language::C, Language::Js];

    /// The `<option value>` and the file's extension.
    pub fn id(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::C => "c",
            Language::Js => "js",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Language::Rust => "rs",
            Language::C => "c",
            Language::Js => "mjs",
        }
    }
}

/// The emitted source: one file, and for C the header beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub code: String,
    /// C's `.h`, declaring the function; `None` for the other languages.
    pub header: Option<String>,
}

impl Source {
    /// The bytes a person takes away (the `.c` and its `.h` for C).
    pub fn bytes(&self) -> usize {
        self.code.len() + self.header.as_ref().map_or(0, String::len)
    }
}

/// Bytes per element of a constant array as the emitted code stores it.
pub fn element_bytes(data: &Data) -> usize {
    match data {
        Data::Half(_) => 2,
        Data::Int8 { .. } => 1,
        Data::Real(_) => 8,
        Data::Index(v) if v.iter().all(|&i| i <= u16::MAX as u32 || i == LEAF) => 2,
        Data::Index(_) => 4,
    }
}

/// How one language spells what the ops need.
trait Dialect {
    /// Comment lines.
    fn comment(&self, text: &str) -> String;
    /// A constant array of `f64`.
    fn reals(&self, name: &str, values: &[String]) -> String;
    /// A constant array of indices, 16-bit when `narrow`.
    fn indices(&self, name: &str, values: &[String], narrow: bool) -> String;
    /// A constant array of signed bytes.
    fn bytes(&self, name: &str, values: &[String]) -> String;
    /// The half-float decoder `mm_half`.
    fn half(&self) -> &'static str;
    /// An integer expression `e` as an array index.
    fn at(&self, e: &str) -> String;
    /// A non-negative number `e` truncated to an index.
    fn to_index(&self, e: &str) -> String;
    /// An index `e` as an `f64`.
    fn to_real(&self, e: &str) -> String;
    /// `e` rounded to `f32` and back to `f64`.
    fn round(&self, e: &str) -> String;
    /// Whether `e` is NaN.
    fn is_nan(&self, e: &str) -> String;
    /// `cond ? a : b`.
    fn select(&self, cond: &str, a: &str, b: &str) -> String;
    /// A mutable index declared with `e`.
    fn let_index(&self, name: &str, e: &str) -> String;
    /// A mutable `f64` declared with `e`.
    fn let_real(&self, name: &str, e: &str) -> String;
    /// `for (name = 0; name < n; name++) {`.
    fn for_to(&self, name: &str, n: usize) -> String;
    /// Infinity, signed.
    fn infinity(&self, negative: bool) -> String;
    /// The `exp` helper, and the sigmoid over it.
    fn math(&self) -> [&'static str; 2];
    /// The function's start, up to the working array with the inputs in it.
    fn open(&self, p: &Program) -> String;
    /// The function's end, returning the answer.
    fn close(&self, p: &Program) -> String;
}

/// The index marking a leaf as a constant array stores it.
fn leaf_literal(narrow: bool) -> String {
    if narrow {
        u16::MAX.to_string()
    } else {
        LEAF.to_string()
    }
}

/// `v` as a literal every language reads back to the same `f64`.
fn number(d: &dyn Dialect, v: f64) -> String {
    if v.is_infinite() {
        return d.infinity(v < 0.0);
    }
    // Rust's shortest round-trip form: "5.0", "0.1", "1e-7".
    let s = format!("{v:?}");
    if s.contains('.') || s.contains('e') || s.contains("NaN") {
        s
    } else {
        format!("{s}.0")
    }
}

/// `program` as source code in `language`.
pub fn emit(program: &Program, language: Language) -> Source {
    let d: &dyn Dialect = match language {
        Language::Rust => &RustDialect,
        Language::C => &CDialect,
        Language::Js => &JsDialect,
    };
    let mut out = String::new();
    out.push_str(&d.comment(&describe(program, language)));
    if language == Language::Rust {
        out.push_str("#![no_std]\n#![allow(unused_parens, unused_mut, unused_assignments, clippy::all)]\n");
    }
    if language == Language::C {
        out.push_str("#include \"model.h\"\n");
    }
    out.push('\n');
    for c in &program.constants {
        let narrow = element_bytes(&c.data) == 2;
        out.push_str(&match &c.data {
            Data::Real(v) => d.reals(&c.name, &v.iter().map(|&x| number(d, x)).collect::<Vec<_>>()),
            Data::Index(v) => d.indices(
                &c.name,
                &v.iter().map(|&i| if i == LEAF { leaf_literal(narrow) } else { i.to_string() }).collect::<Vec<_>>(),
                narrow,
            ),
            Data::Half(v) => d.indices(&c.name, &v.iter().map(u16::to_string).collect::<Vec<_>>(), true),
            Data::Int8 { codes, .. } => d.bytes(&c.name, &codes.iter().map(i8::to_string).collect::<Vec<_>>()),
        });
    }
    out.push('\n');
    if program.constants.iter().any(|c| matches!(c.data, Data::Half(_))) {
        out.push_str(d.half());
        out.push('\n');
    }
    let [exp, sigmoid] = d.math();
    let uses_sigmoid = program.ops.iter().any(|op| matches!(op, Op::Sigmoid { .. }));
    if uses_sigmoid || program.ops.iter().any(|op| matches!(op, Op::Softmax { .. })) {
        out.push_str(exp);
        out.push('\n');
    }
    if uses_sigmoid {
        out.push_str(sigmoid);
        out.push('\n');
    }
    out.push_str(&d.open(program));
    for op in &program.ops {
        out.push_str(&op_code(d, program, op));
    }
    out.push_str(&d.close(program));
    let header = (language == Language::C).then(|| c_header(program));
    Source { code: out, header }
}

/// The comment that opens the file: what goes in and what comes out.
fn describe(p: &Program, language: Language) -> String {
    let mut s = String::from("Generated by Micro Models: the fitted pipeline and model, no dependencies.\n");
    let call = match (&p.output, language) {
        (Output::Classes { .. }, Language::Rust) => "predict(&x, &mut proba) -> class index",
        (Output::Classes { .. }, Language::C) => "mm_predict(x, proba) -> class index",
        (Output::Classes { .. }, Language::Js) => "predict(x) -> { label, proba }",
        (Output::Value { .. }, Language::Rust) => "predict(&x) -> value",
        (Output::Value { .. }, Language::C) => "mm_predict(x) -> value",
        (Output::Value { .. }, Language::Js) => "predict(x) -> value",
    };
    let _ = writeln!(s, "Call {call}. Inputs x (a missing value is NaN):");
    for (k, input) in p.inputs.iter().enumerate() {
        match &input.levels {
            Some(levels) => {
                let listed: Vec<String> = levels.iter().enumerate().map(|(i, l)| format!("{i} = {l}")).collect();
                let _ = writeln!(s, "  x[{k}] {}: category as its index ({})", input.name, listed.join(", "));
            }
            None => {
                let _ = writeln!(s, "  x[{k}] {}", input.name);
            }
        }
    }
    match &p.output {
        Output::Classes { names, .. } => {
            let listed: Vec<String> = names.iter().enumerate().map(|(i, n)| format!("{i} = {n}")).collect();
            let _ = writeln!(s, "Classes: {}.", listed.join(", "));
        }
        Output::Value { name, .. } => {
            let _ = writeln!(s, "Predicts {name}.");
        }
    }
    s
}

/// The C header declaring the function.
fn c_header(p: &Program) -> String {
    let mut s = CDialect.comment("Micro Models: the exported model. See model.c for its inputs.");
    s.push_str("#ifndef MM_MODEL_H\n#define MM_MODEL_H\n\n");
    let _ = writeln!(s, "#define MM_INPUTS {}", p.inputs.len());
    match &p.output {
        Output::Classes { names, .. } => {
            let _ = writeln!(s, "#define MM_CLASSES {}\n", names.len());
            s.push_str("/* Writes MM_CLASSES probabilities to proba; returns the most probable class. */\n");
            s.push_str("int mm_predict(const float x[MM_INPUTS], float proba[MM_CLASSES]);\n");
        }
        Output::Value { .. } => {
            s.push_str("\nfloat mm_predict(const float x[MM_INPUTS]);\n");
        }
    }
    s.push_str("\n#endif\n");
    s
}

/// The statements of one op, in `d`'s language, over the working array `r`.
fn op_code(d: &dyn Dialect, p: &Program, op: &Op) -> String {
    let name = |c: usize| p.constants[c].name.as_str();
    // A number of a constant array, decoded from its storage.
    let get = |c: usize, i: &str| -> String {
        let at = format!("{}[{i}]", name(c));
        match &p.constants[c].data {
            Data::Real(_) | Data::Index(_) => at,
            Data::Half(_) => format!("mm_half({at})"),
            Data::Int8 { scale, zero, .. } => format!("({} + {} * {})", number(d, *zero), number(d, *scale), d.to_real(&at)),
        }
    };
    let n = |v: f64| number(d, v);
    let mut s = String::new();
    match *op {
        Op::Fill { src, dst, fill } if fill.is_nan() => {
            let _ = writeln!(s, "    r[{dst}] = r[{src}];");
        }
        Op::Fill { src, dst, fill } => {
            let _ =
                writeln!(s, "    r[{dst}] = {};", d.select(&d.is_nan(&format!("r[{src}]")), &n(fill), &format!("r[{src}]")));
        }
        Op::Missing { src, dst } => {
            let _ = writeln!(s, "    r[{dst}] = {};", d.select(&d.is_nan(&format!("r[{src}]")), "1.0", "0.0"));
        }
        Op::Lookup { src, dst, table, levels, width, fill } => {
            // A level is a whole number in range; NaN fails every comparison.
            let v = format!("r[{src}]");
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_index("l", &fill.to_string()));
            let _ = writeln!(s, "        if ({v} >= 0.0 && {v} < {}) {{", n(levels as f64));
            let _ = writeln!(s, "            l = {};", d.to_index(&v));
            let _ = writeln!(s, "            if ({} != {v}) {{ l = {fill}; }}", d.to_real("l"));
            let _ = writeln!(s, "        }}");
            let _ = writeln!(
                s,
                "        {} {{ r[{dst} + k] = {}; }}",
                d.for_to("k", width),
                get(table, &format!("l * {width} + k"))
            );
            let _ = writeln!(s, "    }}");
        }
        Op::Scale { src, dst, center, scale } => {
            let _ = writeln!(s, "    r[{dst}] = {};", d.round(&format!("(r[{src}] - {}) / {}", n(center), n(scale))));
        }
        Op::Bin { src, dst, edges } => {
            let len = p.constants[edges].data.len();
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_index("b", "0"));
            let _ = writeln!(s, "        while (b < {len} && {} <= r[{src}]) {{ b += 1; }}", get(edges, "b"));
            let _ = writeln!(s, "        r[{dst}] = {};", d.to_real("b"));
            let _ = writeln!(s, "    }}");
        }
        Op::Mul { a, b, dst } => {
            let _ = writeln!(s, "    r[{dst}] = {};", d.round(&format!("r[{a}] * r[{b}]")));
        }
        Op::Affine { src, n: width, dst, outputs, weights, bias, center, round } => {
            let _ = writeln!(s, "    {} {{", d.for_to("o", outputs));
            let start = bias.map_or("0.0".to_string(), |b| get(b, "o"));
            let _ = writeln!(s, "        {}", d.let_real("acc", &start));
            let x = match center {
                Some(c) => format!("(r[{src} + j] - {})", get(c, "j")),
                None => format!("r[{src} + j]"),
            };
            let _ = writeln!(
                s,
                "        {} {{ acc += {x} * {}; }}",
                d.for_to("j", width),
                get(weights, &format!("o * {width} + j"))
            );
            let value = if round { d.round("acc") } else { "acc".to_string() };
            let _ = writeln!(s, "        r[{dst} + o] = {value};");
            let _ = writeln!(s, "    }}");
        }
        Op::Trees { src, dst, width, roots, feature, threshold, left, right, values } => {
            let leaf = leaf_literal(element_bytes(&p.constants[feature].data) == 2);
            let n_roots = p.constants[roots].data.len();
            let _ = writeln!(s, "    {} {{", d.for_to("t", n_roots));
            let _ = writeln!(s, "        {}", d.let_index("i", &d.at(&format!("{}[t]", name(roots)))));
            let _ = writeln!(s, "        while ({}[i] != {leaf}) {{", name(feature));
            let x = format!("r[{src} + {}]", d.at(&format!("{}[i]", name(feature))));
            let goes = d.select(
                &format!("{x} <= {}", get(threshold, "i")),
                &format!("{}[i]", name(left)),
                &format!("{}[i]", name(right)),
            );
            let _ = writeln!(s, "            i = {};", d.at(&goes));
            let _ = writeln!(s, "        }}");
            let _ = writeln!(
                s,
                "        {} {{ r[{dst} + k] += {}; }}",
                d.for_to("k", width),
                get(values, &format!("{} * {width} + k", d.at(&format!("{}[i]", name(left)))))
            );
            let _ = writeln!(s, "    }}");
        }
        Op::Set { dst, values } => {
            let count = p.constants[values].data.len();
            let _ = writeln!(s, "    {} {{ r[{dst} + k] = {}; }}", d.for_to("k", count), get(values, "k"));
        }
        Op::Nearest { src, n: width, dst, rows, k, points, targets, classes, best } => {
            let whole = width / 4 * 4;
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_index("filled", "0"));
            let _ = writeln!(s, "        {} {{", d.for_to("t", rows));
            for lane in ["l0", "l1", "l2", "l3", "tail", "dd"] {
                let _ = writeln!(s, "            {}", d.let_real(lane, "0.0"));
            }
            // `base::dist2`'s order: four lanes over the whole fours, then the rest.
            let _ = writeln!(s, "            {} {{", d.for_to("c", whole / 4));
            for lane in 0..4 {
                let at = format!("t * {width} + 4 * c + {lane}");
                let _ = writeln!(
                    s,
                    "                dd = {} - r[{src} + 4 * c + {lane}]; l{lane} += dd * dd;",
                    get(points, &at)
                );
            }
            let _ = writeln!(s, "            }}");
            let at = format!("t * {width} + {whole} + c");
            let _ = writeln!(
                s,
                "            {} {{ dd = {} - r[{src} + {whole} + c]; tail += dd * dd; }}",
                d.for_to("c", width - whole),
                get(points, &at)
            );
            let _ = writeln!(s, "            {}", d.let_real("d2", "((l0 + l1) + (l2 + l3)) + tail"));
            let _ = writeln!(s, "            if (filled < {k} || d2 < r[{}]) {{", best + k - 1);
            let _ = writeln!(
                s,
                "                {}",
                d.let_index("m", &d.select(&format!("filled < {k}"), "filled", &(k - 1).to_string()))
            );
            let _ = writeln!(s, "                while (m > 0 && d2 < r[{best} + m - 1]) {{");
            let _ = writeln!(s, "                    r[{best} + m] = r[{best} + m - 1];");
            let _ = writeln!(s, "                    r[{} + m] = r[{} + m - 1];", best + k, best + k);
            let _ = writeln!(s, "                    m -= 1;");
            let _ = writeln!(s, "                }}");
            let _ = writeln!(s, "                r[{best} + m] = d2;");
            let _ = writeln!(s, "                r[{} + m] = {};", best + k, d.to_real("t"));
            let _ = writeln!(s, "                if (filled < {k}) {{ filled += 1; }}");
            let _ = writeln!(s, "            }}");
            let _ = writeln!(s, "        }}");
            let neighbour = get(targets, &d.to_index(&format!("r[{} + m]", best + k)));
            if classes > 0 {
                let _ = writeln!(s, "        {} {{ r[{dst} + o] = 0.0; }}", d.for_to("o", classes));
                let _ = writeln!(s, "        {} {{ r[{dst} + {}] += 1.0; }}", d.for_to("m", k), d.at(&neighbour));
                let _ = writeln!(s, "        {}", d.let_real("total", "0.0"));
                let _ = writeln!(s, "        {} {{ total += r[{dst} + o]; }}", d.for_to("o", classes));
                let _ = writeln!(s, "        {} {{ r[{dst} + o] /= total; }}", d.for_to("o", classes));
            } else {
                let _ = writeln!(s, "        {}", d.let_real("acc", "0.0"));
                let _ = writeln!(s, "        {} {{ acc += {neighbour}; }}", d.for_to("m", k));
                let _ = writeln!(s, "        r[{dst}] = acc / {};", n(k as f64));
            }
            let _ = writeln!(s, "    }}");
        }
        Op::Divide { dst, n: count, by } => {
            let _ = writeln!(s, "    {} {{ r[{dst} + k] /= {}; }}", d.for_to("k", count), n(by));
        }
        Op::Sigmoid { src, dst } => {
            let _ = writeln!(s, "    r[{}] = mm_sigmoid(r[{src}]);", dst + 1);
            let _ = writeln!(s, "    r[{dst}] = 1.0 - r[{}];", dst + 1);
        }
        Op::Softmax { dst, n: count, uniform } => {
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_real("max", &format!("r[{dst}]")));
            let _ = writeln!(s, "        {} {{ if (r[{dst} + k] > max) {{ max = r[{dst} + k]; }} }}", d.for_to("k", count));
            if uniform {
                // Every class impossible (−∞, or +∞ after an overflow): equal shares.
                let _ = writeln!(
                    s,
                    "        if (max - max != 0.0) {{ {} {{ r[{dst} + k] = {}; }} }} else {{",
                    d.for_to("k", count),
                    n(1.0 / count as f64)
                );
            }
            let _ = writeln!(s, "        {}", d.let_real("sum", "0.0"));
            let _ = writeln!(
                s,
                "        {} {{ r[{dst} + k] = mm_exp(r[{dst} + k] - max); sum += r[{dst} + k]; }}",
                d.for_to("k", count)
            );
            let _ = writeln!(s, "        {} {{ r[{dst} + k] /= sum; }}", d.for_to("k", count));
            if uniform {
                let _ = writeln!(s, "        }}");
            }
            let _ = writeln!(s, "    }}");
        }
        Op::LogLikelihood { src, n: width, dst, classes, prior, kind, p: pc, q, s: sc } => {
            let _ = writeln!(s, "    {} {{", d.for_to("o", classes));
            let _ = writeln!(s, "        {}", d.let_real("acc", &get(prior, "o")));
            let _ = writeln!(s, "        {} {{", d.for_to("j", width));
            let _ = writeln!(s, "            {}", d.let_index("i", &format!("o * {width} + j")));
            let _ = writeln!(s, "            if ({}[j] == 1) {{", name(kind));
            let _ = writeln!(s, "                {}", d.let_real("z", &format!("r[{src} + j] - {}", get(pc, "i"))));
            let _ = writeln!(s, "                acc += {} - z * z * {};", get(q, "i"), get(sc, "i"));
            let _ = writeln!(s, "            }} else if ({}[j] == 2) {{", name(kind));
            let _ = writeln!(
                s,
                "                acc += {};",
                d.select(&format!("r[{src} + j] > 0.5"), &get(pc, "i"), &get(q, "i"))
            );
            let _ = writeln!(s, "            }}");
            let _ = writeln!(s, "        }}");
            let _ = writeln!(s, "        r[{dst} + o] = acc;");
            let _ = writeln!(s, "    }}");
        }
    }
    s
}

/// The class count, or `None` for a value.
fn classes(p: &Program) -> Option<usize> {
    match &p.output {
        Output::Classes { names, .. } => Some(names.len()),
        Output::Value { .. } => None,
    }
}

/// Where the answer is in the working array.
fn answer_at(p: &Program) -> usize {
    match &p.output {
        Output::Classes { src, .. } | Output::Value { src, .. } => *src,
    }
}

struct RustDialect;

impl Dialect for RustDialect {
    fn comment(&self, text: &str) -> String {
        text.lines().map(|l| format!("// {l}\n").replace("//  \n", "//\n")).collect()
    }
    fn reals(&self, name: &str, values: &[String]) -> String {
        format!("static {name}: [f64; {}] = [{}];\n", values.len(), values.join(", "))
    }
    fn indices(&self, name: &str, values: &[String], narrow: bool) -> String {
        let t = if narrow { "u16" } else { "u32" };
        format!("static {name}: [{t}; {}] = [{}];\n", values.len(), values.join(", "))
    }
    fn bytes(&self, name: &str, values: &[String]) -> String {
        format!("static {name}: [i8; {}] = [{}];\n", values.len(), values.join(", "))
    }
    fn half(&self) -> &'static str {
        RUST_HALF
    }
    fn at(&self, e: &str) -> String {
        format!("({e}) as usize")
    }
    fn to_index(&self, e: &str) -> String {
        format!("({e}) as usize")
    }
    fn to_real(&self, e: &str) -> String {
        format!("({e}) as f64")
    }
    fn round(&self, e: &str) -> String {
        format!("(({e}) as f32 as f64)")
    }
    fn is_nan(&self, e: &str) -> String {
        format!("{e}.is_nan()")
    }
    fn select(&self, cond: &str, a: &str, b: &str) -> String {
        format!("(if {cond} {{ {a} }} else {{ {b} }})")
    }
    fn let_index(&self, name: &str, e: &str) -> String {
        format!("let mut {name}: usize = {e};")
    }
    fn let_real(&self, name: &str, e: &str) -> String {
        format!("let mut {name}: f64 = {e};")
    }
    fn for_to(&self, name: &str, n: usize) -> String {
        format!("for {name} in 0..{n}usize")
    }
    fn infinity(&self, negative: bool) -> String {
        if negative { "f64::NEG_INFINITY" } else { "f64::INFINITY" }.to_string()
    }
    fn math(&self) -> [&'static str; 2] {
        [RUST_MATH, RUST_SIGMOID]
    }
    fn open(&self, p: &Program) -> String {
        let mut s = format!("pub const INPUTS: usize = {};\n", p.inputs.len());
        match classes(p) {
            Some(k) => {
                let _ = writeln!(s, "pub const CLASSES: usize = {k};\n");
                s.push_str("/// Writes each class's probability to `proba`; returns the most probable class.\n");
                s.push_str("pub fn predict(x: &[f32; INPUTS], proba: &mut [f32; CLASSES]) -> usize {\n");
            }
            None => s.push_str("\n/// The predicted value.\npub fn predict(x: &[f32; INPUTS]) -> f32 {\n"),
        }
        let _ = writeln!(s, "    let mut r = [0.0f64; {}];", p.n_regs);
        s.push_str("    for k in 0..INPUTS { r[k] = x[k] as f64; }\n");
        s
    }
    fn close(&self, p: &Program) -> String {
        let src = answer_at(p);
        match classes(p) {
            Some(_) => format!(
                "    for k in 0..CLASSES {{ proba[k] = r[{src} + k] as f32; }}\n    let mut best = 0;\n    for k in 1..CLASSES {{ if proba[k] > proba[best] {{ best = k; }} }}\n    best\n}}\n"
            ),
            None => format!("    r[{src}] as f32\n}}\n"),
        }
    }
}

struct CDialect;

impl Dialect for CDialect {
    fn comment(&self, text: &str) -> String {
        let mut s = String::from("/*\n");
        for l in text.lines() {
            let _ = writeln!(s, " * {}", l.replace("*/", "* /"));
        }
        s.push_str(" */\n");
        s
    }
    fn reals(&self, name: &str, values: &[String]) -> String {
        format!("static const double {name}[{}] = {{{}}};\n", values.len(), values.join(", "))
    }
    fn indices(&self, name: &str, values: &[String], narrow: bool) -> String {
        let t = if narrow { "unsigned short" } else { "unsigned int" };
        format!("static const {t} {name}[{}] = {{{}}};\n", values.len(), values.join(", "))
    }
    fn bytes(&self, name: &str, values: &[String]) -> String {
        format!("static const signed char {name}[{}] = {{{}}};\n", values.len(), values.join(", "))
    }
    fn half(&self) -> &'static str {
        C_HALF
    }
    fn at(&self, e: &str) -> String {
        e.to_string()
    }
    fn to_index(&self, e: &str) -> String {
        format!("(int)({e})")
    }
    fn to_real(&self, e: &str) -> String {
        format!("(double)({e})")
    }
    fn round(&self, e: &str) -> String {
        format!("(double)(float)({e})")
    }
    fn is_nan(&self, e: &str) -> String {
        format!("({e} != {e})")
    }
    fn select(&self, cond: &str, a: &str, b: &str) -> String {
        format!("({cond} ? {a} : {b})")
    }
    fn let_index(&self, name: &str, e: &str) -> String {
        format!("long {name} = {e};")
    }
    fn let_real(&self, name: &str, e: &str) -> String {
        format!("double {name} = {e};")
    }
    fn for_to(&self, name: &str, n: usize) -> String {
        format!("for (int {name} = 0; {name} < {n}; {name}++)")
    }
    fn infinity(&self, negative: bool) -> String {
        if negative { "(-1e308 * 10.0)" } else { "(1e308 * 10.0)" }.to_string()
    }
    fn math(&self) -> [&'static str; 2] {
        [C_MATH, C_SIGMOID]
    }
    fn open(&self, p: &Program) -> String {
        let mut s = match classes(p) {
            Some(_) => "int mm_predict(const float x[MM_INPUTS], float proba[MM_CLASSES]) {\n".to_string(),
            None => "float mm_predict(const float x[MM_INPUTS]) {\n".to_string(),
        };
        let _ = writeln!(s, "    double r[{}] = {{0}};", p.n_regs);
        s.push_str("    for (int k = 0; k < MM_INPUTS; k++) { r[k] = (double)x[k]; }\n");
        s
    }
    fn close(&self, p: &Program) -> String {
        let src = answer_at(p);
        match classes(p) {
            Some(_) => format!(
                "    for (int k = 0; k < MM_CLASSES; k++) {{ proba[k] = (float)r[{src} + k]; }}\n    int best = 0;\n    for (int k = 1; k < MM_CLASSES; k++) {{ if (proba[k] > proba[best]) {{ best = k; }} }}\n    return best;\n}}\n"
            ),
            None => format!("    return (float)r[{src}];\n}}\n"),
        }
    }
}

struct JsDialect;

impl Dialect for JsDialect {
    fn comment(&self, text: &str) -> String {
        text.lines().map(|l| format!("// {l}\n")).collect()
    }
    fn reals(&self, name: &str, values: &[String]) -> String {
        format!("const {name} = [{}];\n", values.join(", "))
    }
    fn indices(&self, name: &str, values: &[String], _narrow: bool) -> String {
        format!("const {name} = [{}];\n", values.join(", "))
    }
    fn bytes(&self, name: &str, values: &[String]) -> String {
        format!("const {name} = [{}];\n", values.join(", "))
    }
    fn half(&self) -> &'static str {
        JS_HALF
    }
    fn at(&self, e: &str) -> String {
        e.to_string()
    }
    fn to_index(&self, e: &str) -> String {
        format!("Math.trunc({e})")
    }
    fn to_real(&self, e: &str) -> String {
        e.to_string()
    }
    fn round(&self, e: &str) -> String {
        format!("Math.fround({e})")
    }
    fn is_nan(&self, e: &str) -> String {
        format!("Number.isNaN({e})")
    }
    fn select(&self, cond: &str, a: &str, b: &str) -> String {
        format!("({cond} ? {a} : {b})")
    }
    fn let_index(&self, name: &str, e: &str) -> String {
        format!("let {name} = {e};")
    }
    fn let_real(&self, name: &str, e: &str) -> String {
        format!("let {name} = {e};")
    }
    fn for_to(&self, name: &str, n: usize) -> String {
        format!("for (let {name} = 0; {name} < {n}; {name}++)")
    }
    fn infinity(&self, negative: bool) -> String {
        if negative { "-Infinity" } else { "Infinity" }.to_string()
    }
    fn math(&self) -> [&'static str; 2] {
        [JS_MATH, JS_SIGMOID]
    }
    fn open(&self, p: &Program) -> String {
        let mut s = format!("export const INPUTS = {};\n", p.inputs.len());
        match classes(p) {
            Some(k) => {
                let _ = writeln!(s, "export const CLASSES = {k};\n");
                s.push_str("/** The most probable class and each class's probability. */\n");
            }
            None => s.push_str("\n/** The predicted value. */\n"),
        }
        s.push_str("export function predict(x) {\n");
        let _ = writeln!(s, "    const r = new Float64Array({});", p.n_regs);
        s.push_str("    for (let k = 0; k < INPUTS; k++) { r[k] = Math.fround(x[k]); }\n");
        s
    }
    fn close(&self, p: &Program) -> String {
        let src = answer_at(p);
        match classes(p) {
            Some(_) => format!(
                "    const proba = [];\n    for (let k = 0; k < CLASSES; k++) {{ proba.push(Math.fround(r[{src} + k])); }}\n    let label = 0;\n    for (let k = 1; k < CLASSES; k++) {{ if (proba[k] > proba[label]) {{ label = k; }} }}\n    return {{ label, proba }};\n}}\n"
            ),
            None => format!("    return Math.fround(r[{src}]);\n}}\n"),
        }
    }
}

/// FreeBSD's `e_exp.c` (as the `libm` crate has it) and the sigmoid, in Rust.
const RUST_MATH: &str = r#"fn mm_pow2(n: i32) -> f64 {
    f64::from_bits(((0x3ff + n) as u64) << 52)
}

fn mm_scalbn(mut x: f64, mut n: i32) -> f64 {
    if n > 1023 {
        x *= mm_pow2(1023);
        n -= 1023;
        if n > 1023 { x *= mm_pow2(1023); n -= 1023; if n > 1023 { n = 1023; } }
    } else if n < -1022 {
        x *= mm_pow2(-969);
        n += 969;
        if n < -1022 { x *= mm_pow2(-969); n += 969; if n < -1022 { n = -1022; } }
    }
    x * mm_pow2(n)
}

fn mm_exp(mut x: f64) -> f64 {
    const HALF: [f64; 2] = [0.5, -0.5];
    const LN2HI: f64 = 6.93147180369123816490e-01;
    const LN2LO: f64 = 1.90821492927058770002e-10;
    const INVLN2: f64 = 1.44269504088896338700e+00;
    const P1: f64 = 1.66666666666666019037e-01;
    const P2: f64 = -2.77777777770155933842e-03;
    const P3: f64 = 6.61375632143793436117e-05;
    const P4: f64 = -1.65339022054652515390e-06;
    const P5: f64 = 4.13813679705723846039e-08;
    let mut hx = (x.to_bits() >> 32) as u32;
    let sign = (hx >> 31) as usize;
    hx &= 0x7fffffff;
    if hx >= 0x4086232b {
        if x.is_nan() { return x; }
        if x > 709.782712893383973096 { return x * mm_pow2(1023); }
        if x < -745.13321910194110842 { return 0.0; }
    }
    let (hi, lo, k): (f64, f64, i32);
    if hx > 0x3fd62e42 {
        k = if hx >= 0x3ff0a2b2 { (INVLN2 * x + HALF[sign]) as i32 } else { 1 - 2 * sign as i32 };
        hi = x - k as f64 * LN2HI;
        lo = k as f64 * LN2LO;
        x = hi - lo;
    } else if hx > 0x3e300000 {
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }
    let xx = x * x;
    let c = x - xx * (P1 + xx * (P2 + xx * (P3 + xx * (P4 + xx * P5))));
    let y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    if k == 0 { y } else { mm_scalbn(y, k) }
}

"#;

/// The sigmoid over it.
const RUST_SIGMOID: &str = r#"fn mm_sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + mm_exp(-z)) } else { let e = mm_exp(z); e / (1.0 + e) }
}
"#;

/// The same `exp` and sigmoid in C99 (a union reads the bits).
const C_MATH: &str = r#"typedef union { double d; unsigned long long u; } mm_bits;

static double mm_pow2(int n) {
    mm_bits b;
    b.u = (unsigned long long)(0x3ff + n) << 52;
    return b.d;
}

static double mm_scalbn(double x, int n) {
    if (n > 1023) {
        x *= mm_pow2(1023);
        n -= 1023;
        if (n > 1023) { x *= mm_pow2(1023); n -= 1023; if (n > 1023) { n = 1023; } }
    } else if (n < -1022) {
        x *= mm_pow2(-969);
        n += 969;
        if (n < -1022) { x *= mm_pow2(-969); n += 969; if (n < -1022) { n = -1022; } }
    }
    return x * mm_pow2(n);
}

static double mm_exp(double x) {
    static const double half[2] = {0.5, -0.5};
    const double ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
    const double invln2 = 1.44269504088896338700e+00;
    const double p1 = 1.66666666666666019037e-01, p2 = -2.77777777770155933842e-03;
    const double p3 = 6.61375632143793436117e-05, p4 = -1.65339022054652515390e-06;
    const double p5 = 4.13813679705723846039e-08;
    mm_bits b;
    double hi, lo, c, xx, y;
    int k, sign;
    unsigned int hx;
    b.d = x;
    hx = (unsigned int)(b.u >> 32);
    sign = (int)(hx >> 31);
    hx &= 0x7fffffffu;
    if (hx >= 0x4086232bu) {
        if (x != x) { return x; }
        if (x > 709.782712893383973096) { return x * mm_pow2(1023); }
        if (x < -745.13321910194110842) { return 0.0; }
    }
    if (hx > 0x3fd62e42u) {
        k = hx >= 0x3ff0a2b2u ? (int)(invln2 * x + half[sign]) : 1 - sign - sign;
        hi = x - k * ln2hi;
        lo = k * ln2lo;
        x = hi - lo;
    } else if (hx > 0x3e300000u) {
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }
    xx = x * x;
    c = x - xx * (p1 + xx * (p2 + xx * (p3 + xx * (p4 + xx * p5))));
    y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    return k == 0 ? y : mm_scalbn(y, k);
}

"#;

/// The sigmoid over it.
const C_SIGMOID: &str = r#"static double mm_sigmoid(double z) {
    double e;
    if (z >= 0.0) { return 1.0 / (1.0 + mm_exp(-z)); }
    e = mm_exp(z);
    return e / (1.0 + e);
}
"#;

/// The same `exp` and sigmoid in JavaScript (a `DataView` reads the bits).
const JS_MATH: &str = r#"const MM_BITS = new DataView(new ArrayBuffer(8));

function mm_pow2(n) {
    MM_BITS.setUint32(0, (0x3ff + n) * 1048576);
    MM_BITS.setUint32(4, 0);
    return MM_BITS.getFloat64(0);
}

function mm_scalbn(x, n) {
    if (n > 1023) {
        x *= mm_pow2(1023);
        n -= 1023;
        if (n > 1023) { x *= mm_pow2(1023); n -= 1023; if (n > 1023) { n = 1023; } }
    } else if (n < -1022) {
        x *= mm_pow2(-969);
        n += 969;
        if (n < -1022) { x *= mm_pow2(-969); n += 969; if (n < -1022) { n = -1022; } }
    }
    return x * mm_pow2(n);
}

function mm_exp(x) {
    const ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
    const invln2 = 1.44269504088896338700e+00;
    const p1 = 1.66666666666666019037e-01, p2 = -2.77777777770155933842e-03;
    const p3 = 6.61375632143793436117e-05, p4 = -1.65339022054652515390e-06;
    const p5 = 4.13813679705723846039e-08;
    MM_BITS.setFloat64(0, x);
    let hx = MM_BITS.getUint32(0);
    const sign = hx >>> 31;
    hx = (hx & 0x7fffffff) >>> 0;
    if (hx >= 0x4086232b) {
        if (Number.isNaN(x)) { return x; }
        if (x > 709.782712893383973096) { return x * mm_pow2(1023); }
        if (x < -745.13321910194110842) { return 0.0; }
    }
    let hi, lo, k;
    if (hx > 0x3fd62e42) {
        k = hx >= 0x3ff0a2b2 ? Math.trunc(invln2 * x + (sign ? -0.5 : 0.5)) : 1 - sign - sign;
        hi = x - k * ln2hi;
        lo = k * ln2lo;
        x = hi - lo;
    } else if (hx > 0x3e300000) {
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }
    const xx = x * x;
    const c = x - xx * (p1 + xx * (p2 + xx * (p3 + xx * (p4 + xx * p5))));
    const y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    return k === 0 ? y : mm_scalbn(y, k);
}

"#;

/// The sigmoid over it.
const JS_SIGMOID: &str = r#"function mm_sigmoid(z) {
    if (z >= 0.0) { return 1.0 / (1.0 + mm_exp(-z)); }
    const e = mm_exp(z);
    return e / (1.0 + e);
}
"#;

/// An IEEE half float's bits as an `f64`, exactly (Rust).
const RUST_HALF: &str = r#"fn mm_half(h: u16) -> f64 {
    let (sign, e, m) = ((h as u32 >> 15) << 31, (h as u32 >> 10) & 0x1f, h as u32 & 0x3ff);
    let v = if e == 0 {
        m as f32 * 5.9604644775390625e-8
    } else if e == 31 {
        f32::from_bits(0x7f800000 | (m << 13))
    } else {
        f32::from_bits(((e + 112) << 23) | (m << 13))
    };
    (if sign != 0 { -v } else { v }) as f64
}
"#;

/// The same in C99.
const C_HALF: &str = r#"static double mm_half(unsigned short h) {
    union { float f; unsigned int u; } b;
    unsigned int e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0) {
        b.f = (float)m * 5.9604644775390625e-8f;
    } else if (e == 31) {
        b.u = 0x7f800000u | (m << 13);
    } else {
        b.u = ((e + 112u) << 23) | (m << 13);
    }
    return (h >> 15) ? -(double)b.f : (double)b.f;
}
"#;

/// The same in JavaScript.
const JS_HALF: &str = r#"const MM_HALF = new DataView(new ArrayBuffer(4));

function mm_half(h) {
    const e = (h >> 10) & 0x1f, m = h & 0x3ff;
    let v;
    if (e === 0) {
        v = Math.fround(m * 5.9604644775390625e-8);
    } else {
        MM_HALF.setUint32(0, e === 31 ? (0x7f800000 | (m << 13)) >>> 0 : ((e + 112) * 8388608) + (m << 13));
        v = MM_HALF.getFloat32(0);
    }
    return (h >> 15) ? -v : v;
}
"#;
