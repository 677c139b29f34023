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

use super::{Activation, Data, Op, Output, Program, LEAF};

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
    /// `f`, an `f32` function of [`Helper::ExpF`] or [`Helper::TanhF`], applied to the `f32` in `e`, as an `f64`.
    fn call32(&self, f: &str, e: &str) -> String;
    /// The correctly rounded square root of `e` ([`Helper::Sqrt`]).
    fn sqrt(&self, e: &str) -> String;
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
    for helper in helpers(program) {
        let source = helper_source(language, helper);
        if !source.is_empty() {
            out.push_str(source);
            out.push('\n');
        }
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
        (Output::Cluster { .. }, Language::Rust) => "predict(&x) -> cluster index",
        (Output::Cluster { .. }, Language::C) => "mm_predict(x) -> cluster index",
        (Output::Cluster { .. }, Language::Js) => "predict(x) -> cluster index",
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
        Output::Cluster { k, .. } => {
            let _ = writeln!(s, "Clusters 0 to {}: the nearest centre.", k.saturating_sub(1));
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
        Output::Cluster { k, .. } => {
            let _ = writeln!(s, "#define MM_CLUSTERS {k}\n");
            s.push_str("/* Returns the index of the nearest cluster. */\n");
            s.push_str("int mm_predict(const float x[MM_INPUTS]);\n");
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
        Op::Nearest { src, n: width, dst, rows, k, points, targets, classes, best, by_distance } => {
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
            // Each neighbour's weight: 1, or 1 / distance (`neighbour_weight`).
            let weight = if by_distance {
                let _ = writeln!(s, "        {}", d.let_index("zero", "0"));
                let _ = writeln!(s, "        {} {{ if (r[{best} + m] == 0.0) {{ zero = 1; }} }}", d.for_to("m", k));
                let d2 = format!("r[{best} + m]");
                d.select("zero == 1", &d.select(&format!("{d2} == 0.0"), "1.0", "0.0"), &format!("1.0 / {}", d.sqrt(&d2)))
            } else {
                "1.0".to_string()
            };
            if classes > 0 {
                let _ = writeln!(s, "        {} {{ r[{dst} + o] = 0.0; }}", d.for_to("o", classes));
                let _ = writeln!(s, "        {} {{ r[{dst} + {}] += {weight}; }}", d.for_to("m", k), d.at(&neighbour));
                let _ = writeln!(s, "        {}", d.let_real("total", "0.0"));
                let _ = writeln!(s, "        {} {{ total += r[{dst} + o]; }}", d.for_to("o", classes));
                let _ = writeln!(s, "        {} {{ r[{dst} + o] /= total; }}", d.for_to("o", classes));
            } else {
                let _ = writeln!(s, "        {}", d.let_real("acc", "0.0"));
                let _ = writeln!(s, "        {}", d.let_real("total", "0.0"));
                let _ = writeln!(
                    s,
                    "        {} {{ {} acc += w * {neighbour}; total += w; }}",
                    d.for_to("m", k),
                    d.let_real("w", &weight)
                );
                let _ = writeln!(s, "        r[{dst}] = acc / total;");
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
        Op::Dense { src, n: width, dst, outputs, weights, bias } => {
            // `base::dot`: eight f32 lanes over the whole eights, summed in turn, then the rest.
            let whole = width / 8 * 8;
            let w = |j: &str| d.round(&get(weights, &format!("o * {width} + {j}")));
            let x = |j: &str| d.round(&format!("r[{src} + {j}]"));
            let _ = writeln!(s, "    {} {{", d.for_to("o", outputs));
            for lane in 0..8 {
                let _ = writeln!(s, "        {}", d.let_real(&format!("l{lane}"), "0.0"));
            }
            let _ = writeln!(s, "        {} {{", d.for_to("c", whole / 8));
            for lane in 0..8 {
                let j = format!("8 * c + {lane}");
                let _ = writeln!(
                    s,
                    "            l{lane} = {};",
                    d.round(&format!("l{lane} + {}", d.round(&format!("{} * {}", x(&j), w(&j)))))
                );
            }
            let _ = writeln!(s, "        }}");
            // An empty tail sums to −0, which adds nothing.
            let _ = writeln!(s, "        {}", d.let_real("tail", "-0.0"));
            let j = format!("{whole} + c");
            let _ = writeln!(
                s,
                "        {} {{ tail = {}; }}",
                d.for_to("c", width - whole),
                d.round(&format!("tail + {}", d.round(&format!("{} * {}", x(&j), w(&j)))))
            );
            let lanes = (1..8).fold("l0".to_string(), |acc, lane| d.round(&format!("{acc} + l{lane}")));
            let _ = writeln!(s, "        {}", d.let_real("acc", &d.round(&format!("{lanes} + tail"))));
            let _ = writeln!(s, "        r[{dst} + o] = {};", d.round(&format!("{} + acc", d.round(&get(bias, "o")))));
            let _ = writeln!(s, "    }}");
        }
        Op::Activate { dst, n: count, f } => {
            let v = format!("r[{dst} + k]");
            let value = match f {
                Activation::Relu => d.select(&format!("{v} > 0.0"), &v, "0.0"),
                Activation::Tanh => d.call32("mm_tanhf", &v),
                Activation::Logistic => {
                    d.round(&format!("1.0 / {}", d.round(&format!("1.0 + {}", d.call32("mm_expf", &format!("-{v}"))))))
                }
            };
            let _ = writeln!(s, "    {} {{ {v} = {value}; }}", d.for_to("k", count));
        }
        Op::SoftmaxF32 { dst, n: count } => {
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_real("max", &d.infinity(true)));
            let _ = writeln!(s, "        {} {{ if (r[{dst} + k] > max) {{ max = r[{dst} + k]; }} }}", d.for_to("k", count));
            let _ = writeln!(s, "        {}", d.let_real("total", "0.0"));
            let _ = writeln!(
                s,
                "        {} {{ r[{dst} + k] = {}; total += r[{dst} + k]; }}",
                d.for_to("k", count),
                d.call32("mm_expf", &d.round(&format!("r[{dst} + k] - max")))
            );
            let _ = writeln!(s, "        {}", d.let_real("scale", &d.round("1.0 / total")));
            let _ = writeln!(
                s,
                "        {} {{ r[{dst} + k] = {}; }}",
                d.for_to("k", count),
                d.round(&format!("r[{dst} + k] * scale"))
            );
            let _ = writeln!(s, "    }}");
        }
        Op::Complement { src, dst } => {
            let _ = writeln!(s, "    r[{}] = r[{src}];", dst + 1);
            let _ = writeln!(s, "    r[{dst}] = {};", d.round(&format!("1.0 - r[{}]", dst + 1)));
        }
        Op::Distances { src, n: width, dst, count, points } => {
            let _ = writeln!(s, "    {} {{", d.for_to("c", count));
            let _ = writeln!(s, "        {}", d.let_real("acc", "0.0"));
            let _ = writeln!(
                s,
                "        {} {{ {} acc += dd * dd; }}",
                d.for_to("j", width),
                d.let_real("dd", &format!("r[{src} + j] - {}", get(points, &format!("c * {width} + j"))))
            );
            let _ = writeln!(s, "        r[{dst} + c] = acc;");
            let _ = writeln!(s, "    }}");
        }
        Op::ArgMin { src, n: count, dst } => {
            let _ = writeln!(s, "    {{");
            let _ = writeln!(s, "        {}", d.let_index("best", "0"));
            let _ =
                writeln!(s, "        {} {{ if (r[{src} + c] < r[{src} + best]) {{ best = c; }} }}", d.for_to("c", count));
            let _ = writeln!(s, "        r[{dst}] = {};", d.to_real("best"));
            let _ = writeln!(s, "    }}");
        }
    }
    s
}

/// The class count, or `None` for a value.
fn classes(p: &Program) -> Option<usize> {
    match &p.output {
        Output::Classes { names, .. } => Some(names.len()),
        Output::Value { .. } | Output::Cluster { .. } => None,
    }
}

/// The cluster count, or `None` for classes or a value.
fn clusters(p: &Program) -> Option<usize> {
    match &p.output {
        Output::Cluster { k, .. } => Some(*k),
        Output::Classes { .. } | Output::Value { .. } => None,
    }
}

/// Where the answer is in the working array.
fn answer_at(p: &Program) -> usize {
    match &p.output {
        Output::Classes { src, .. } | Output::Value { src, .. } | Output::Cluster { src, .. } => *src,
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
    fn call32(&self, f: &str, e: &str) -> String {
        format!("({f}(({e}) as f32) as f64)")
    }
    fn sqrt(&self, e: &str) -> String {
        format!("mm_sqrt({e})")
    }
    fn open(&self, p: &Program) -> String {
        let mut s = format!("pub const INPUTS: usize = {};\n", p.inputs.len());
        match classes(p) {
            Some(k) => {
                let _ = writeln!(s, "pub const CLASSES: usize = {k};\n");
                s.push_str("/// Writes each class's probability to `proba`; returns the most probable class.\n");
                s.push_str("pub fn predict(x: &[f32; INPUTS], proba: &mut [f32; CLASSES]) -> usize {\n");
            }
            None => match clusters(p) {
                Some(k) => {
                    let _ = writeln!(s, "pub const CLUSTERS: usize = {k};\n");
                    s.push_str("/// The index of the nearest cluster.\npub fn predict(x: &[f32; INPUTS]) -> usize {\n");
                }
                None => s.push_str("\n/// The predicted value.\npub fn predict(x: &[f32; INPUTS]) -> f32 {\n"),
            },
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
            None if clusters(p).is_some() => format!("    r[{src}] as usize\n}}\n"),
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
    fn call32(&self, f: &str, e: &str) -> String {
        format!("(double){f}((float)({e}))")
    }
    fn sqrt(&self, e: &str) -> String {
        format!("mm_sqrt({e})")
    }
    fn open(&self, p: &Program) -> String {
        let mut s = match classes(p) {
            Some(_) => "int mm_predict(const float x[MM_INPUTS], float proba[MM_CLASSES]) {\n".to_string(),
            None if clusters(p).is_some() => "int mm_predict(const float x[MM_INPUTS]) {\n".to_string(),
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
            None if clusters(p).is_some() => format!("    return (int)r[{src}];\n}}\n"),
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
    fn call32(&self, f: &str, e: &str) -> String {
        format!("{f}(Math.fround({e}))")
    }
    fn sqrt(&self, e: &str) -> String {
        // IEEE 754's square root, correctly rounded in every engine.
        format!("Math.sqrt({e})")
    }
    fn open(&self, p: &Program) -> String {
        let mut s = format!("export const INPUTS = {};\n", p.inputs.len());
        match classes(p) {
            Some(k) => {
                let _ = writeln!(s, "export const CLASSES = {k};\n");
                s.push_str("/** The most probable class and each class's probability. */\n");
            }
            None => match clusters(p) {
                Some(k) => {
                    let _ = writeln!(s, "export const CLUSTERS = {k};\n");
                    s.push_str("/** The index of the nearest cluster. */\n");
                }
                None => s.push_str("\n/** The predicted value. */\n"),
            },
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
            None if clusters(p).is_some() => format!("    return r[{src}];\n}}\n"),
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

/// A function the emitted code carries beside `predict`, when its ops need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Helper {
    /// `mm_half`: a half float's bits as a number.
    Half,
    /// `mm_exp`: FreeBSD's `e_exp.c`, as the `libm` crate has it.
    Exp,
    /// `mm_sigmoid` over `mm_exp`.
    Sigmoid,
    /// `mm_sqrt`: `#![no_std]` Rust and C without headers have no square
    /// root, so Rust and C carry a bit-by-bit integer square root of the
    /// significand, rounded to nearest (the remainder beyond the root's half
    /// says which way; a square root is never exactly halfway), which gives
    /// IEEE 754's correctly rounded `sqrt` for every input (the codegen test
    /// holds it to `f64::sqrt`); JavaScript's `Math.sqrt` is that already.
    Sqrt,
    /// `mm_expf`: `libm`'s `expf` (FreeBSD's `e_expf.c`), in `f32`.
    ExpF,
    /// `mm_tanhf` over `mm_expm1f`: `libm`'s `tanhf` and `expm1f`, in `f32`.
    TanhF,
}

/// The helpers `program`'s ops need, in the order the code carries them.
pub fn helpers(program: &Program) -> Vec<Helper> {
    let any = |f: &dyn Fn(&Op) -> bool| program.ops.iter().any(f);
    let sigmoid = any(&|op| matches!(op, Op::Sigmoid { .. }));
    let activation = |a: Activation| any(&|op| matches!(op, Op::Activate { f, .. } if *f == a));
    [
        (Helper::Half, program.constants.iter().any(|c| matches!(c.data, Data::Half(_)))),
        (Helper::Exp, sigmoid || any(&|op| matches!(op, Op::Softmax { .. }))),
        (Helper::Sigmoid, sigmoid),
        (Helper::Sqrt, any(&|op| matches!(op, Op::Nearest { by_distance: true, .. }))),
        (Helper::ExpF, activation(Activation::Logistic) || any(&|op| matches!(op, Op::SoftmaxF32 { .. }))),
        (Helper::TanhF, activation(Activation::Tanh)),
    ]
    .into_iter()
    .filter_map(|(h, used)| used.then_some(h))
    .collect()
}

/// A helper's source in `language` (empty when the language has it built in).
pub fn helper_source(language: Language, helper: Helper) -> &'static str {
    match (language, helper) {
        (Language::Rust, Helper::Half) => RUST_HALF,
        (Language::C, Helper::Half) => C_HALF,
        (Language::Js, Helper::Half) => JS_HALF,
        (Language::Rust, Helper::Exp) => RUST_MATH,
        (Language::C, Helper::Exp) => C_MATH,
        (Language::Js, Helper::Exp) => JS_MATH,
        (Language::Rust, Helper::Sigmoid) => RUST_SIGMOID,
        (Language::C, Helper::Sigmoid) => C_SIGMOID,
        (Language::Js, Helper::Sigmoid) => JS_SIGMOID,
        (Language::Rust, Helper::Sqrt) => RUST_SQRT,
        (Language::C, Helper::Sqrt) => C_SQRT,
        (Language::Js, Helper::Sqrt) => "",
        (Language::Rust, Helper::ExpF) => RUST_EXPF,
        (Language::C, Helper::ExpF) => C_EXPF,
        (Language::Js, Helper::ExpF) => JS_EXPF,
        (Language::Rust, Helper::TanhF) => RUST_TANHF,
        (Language::C, Helper::TanhF) => C_TANHF,
        (Language::Js, Helper::TanhF) => JS_TANHF,
    }
}

const RUST_SQRT: &str = r#"fn mm_sqrt(x: f64) -> f64 {
    let bits = x.to_bits();
    if x.is_nan() || x < 0.0 { return f64::NAN; }
    if x == 0.0 || x == f64::INFINITY { return x; }
    // x = mant * 2^e, mant in [2^52, 2^53), then e made even.
    let (mut mant, mut e) = if bits >> 52 == 0 { (bits, -1074i32) } else { ((bits & 0xfffffffffffff) | (1u64 << 52), (bits >> 52) as i32 - 1075) };
    while mant < (1u64 << 52) { mant <<= 1; e -= 1; }
    if e & 1 != 0 { mant <<= 1; e -= 1; }
    // floor(sqrt(mant * 2^52)) two bits of the radicand at a time; rem = radicand - root^2.
    let (mut root, mut rem) = (0u64, 0u64);
    let mut i = 53;
    while i > 0 {
        i -= 1;
        let pair = if 2 * i >= 52 { (mant >> (2 * i - 52)) & 3 } else { 0 };
        rem = (rem << 2) | pair;
        let trial = (root << 2) | 1;
        root <<= 1;
        if rem >= trial { rem -= trial; root |= 1; }
    }
    if rem > root { root += 1; }
    f64::from_bits((((e / 2 + 26 + 1023) as u64) << 52) + (root - (1u64 << 52)))
}
"#;

const C_SQRT: &str = r#"static double mm_sqrt(double x) {
    union { double d; unsigned long long u; } b;
    unsigned long long mant, root = 0, rem = 0, pair, trial;
    int e, i;
    if (x != x || x < 0.0) { return (x - x) / (x - x); }
    if (x == 0.0 || x > 1.7976931348623157e308) { return x; }
    b.d = x;
    if ((b.u >> 52) == 0) { mant = b.u; e = -1074; } else { mant = (b.u & 0xfffffffffffffULL) | (1ULL << 52); e = (int)(b.u >> 52) - 1075; }
    while (mant < (1ULL << 52)) { mant <<= 1; e -= 1; }
    if (e & 1) { mant <<= 1; e -= 1; }
    for (i = 52; i >= 0; i--) {
        pair = 2 * i >= 52 ? (mant >> (2 * i - 52)) & 3 : 0;
        rem = (rem << 2) | pair;
        trial = (root << 2) | 1;
        root <<= 1;
        if (rem >= trial) { rem -= trial; root |= 1; }
    }
    if (rem > root) { root += 1; }
    b.u = ((unsigned long long)(e / 2 + 26 + 1023) << 52) + (root - (1ULL << 52));
    return b.d;
}
"#;

/// `libm`'s `expf` (FreeBSD's `e_expf.c`) in Rust, for the network's logistic
/// units and softmax; the constants are the `f32` values written exactly.
const RUST_EXPF: &str = r#"fn mm_scalbnf(mut x: f32, mut n: i32) -> f32 {
    if n > 127 {
        x *= f32::from_bits(0x7f000000);
        n -= 127;
        if n > 127 { x *= f32::from_bits(0x7f000000); n -= 127; if n > 127 { n = 127; } }
    } else if n < -126 {
        x *= f32::from_bits(0x0c800000);
        n += 102;
        if n < -126 { x *= f32::from_bits(0x0c800000); n += 102; if n < -126 { n = -126; } }
    }
    x * f32::from_bits(((0x7f + n) as u32) << 23)
}

fn mm_expf(mut x: f32) -> f32 {
    const HALF: [f32; 2] = [0.5, -0.5];
    const LN2_HI: f32 = 0.693145751953125;
    const LN2_LO: f32 = 1.428606765330187e-06;
    const INV_LN2: f32 = 1.4426950216293335;
    const P1: f32 = 0.16666625440120697;
    const P2: f32 = -0.0027667332906275988;
    let mut hx = x.to_bits();
    let sign = (hx >> 31) as i32;
    hx &= 0x7fffffff;
    if hx >= 0x42aeac50 {
        if hx > 0x7f800000 { return x; }
        if hx >= 0x42b17218 && sign == 0 { return x * f32::from_bits(0x7f000000); }
        if sign != 0 && hx >= 0x42cff1b5 { return 0.0; }
    }
    let (k, hi, lo): (i32, f32, f32);
    if hx > 0x3eb17218 {
        k = if hx > 0x3f851592 { (INV_LN2 * x + HALF[sign as usize]) as i32 } else { 1 - sign - sign };
        let kf = k as f32;
        hi = x - kf * LN2_HI;
        lo = kf * LN2_LO;
        x = hi - lo;
    } else if hx > 0x39000000 {
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return 1.0 + x;
    }
    let xx = x * x;
    let c = x - xx * (P1 + xx * P2);
    let y = 1.0 + (x * c / (2.0 - c) - lo + hi);
    if k == 0 { y } else { mm_scalbnf(y, k) }
}
"#;

/// `libm`'s `tanhf` over its `expm1f` (FreeBSD's `s_tanhf.c`, `s_expm1f.c`) in Rust.
const RUST_TANHF: &str = r#"fn mm_expm1f(mut x: f32) -> f32 {
    const LN2_HI: f32 = 0.6931381225585938;
    const LN2_LO: f32 = 9.05800061445916e-06;
    const INV_LN2: f32 = 1.4426950216293335;
    const Q1: f32 = -0.03333321213722229;
    const Q2: f32 = 0.0015807170420885086;
    let mut hx = x.to_bits();
    let sign = (hx >> 31) != 0;
    hx &= 0x7fffffff;
    if hx >= 0x4195b844 {
        if hx > 0x7f800000 { return x; }
        if sign { return -1.0; }
        if hx > 0x42b17217 { return x * f32::from_bits(0x7f000000); }
    }
    let k: i32;
    let mut c = 0.0f32;
    if hx > 0x3eb17218 {
        let (hi, lo): (f32, f32);
        if hx < 0x3f851592 {
            if !sign { hi = x - LN2_HI; lo = LN2_LO; k = 1; } else { hi = x + LN2_HI; lo = -LN2_LO; k = -1; }
        } else {
            k = (INV_LN2 * x + (if sign { -0.5 } else { 0.5 })) as i32;
            let t = k as f32;
            hi = x - t * LN2_HI;
            lo = t * LN2_LO;
        }
        x = hi - lo;
        c = (hi - x) - lo;
    } else if hx < 0x33000000 {
        return x;
    } else {
        k = 0;
    }
    let hfx = 0.5 * x;
    let hxs = x * hfx;
    let r1 = 1.0 + hxs * (Q1 + hxs * Q2);
    let t = 3.0 - r1 * hfx;
    let mut e = hxs * ((r1 - t) / (6.0 - x * t));
    if k == 0 { return x - (x * e - hxs); }
    e = x * (e - c) - c;
    e -= hxs;
    if k == -1 { return 0.5 * (x - e) - 0.5; }
    if k == 1 {
        if x < -0.25 { return -2.0 * (e - (x + 0.5)); }
        return 1.0 + 2.0 * (x - e);
    }
    let twopk = f32::from_bits(((0x7f + k) << 23) as u32);
    if !(0..=56).contains(&k) {
        let mut y = x - e + 1.0;
        if k == 128 { y = y * 2.0 * f32::from_bits(0x7f000000); } else { y = y * twopk; }
        return y - 1.0;
    }
    let uf = f32::from_bits(((0x7f - k) << 23) as u32);
    if k < 23 { (x - e + (1.0 - uf)) * twopk } else { (x - (e + uf) + 1.0) * twopk }
}

fn mm_tanhf(x: f32) -> f32 {
    let ix = x.to_bits();
    let sign = (ix >> 31) != 0;
    let w = ix & 0x7fffffff;
    let x = f32::from_bits(w);
    let tt = if w > 0x3f0c9f54 {
        if w > 0x41200000 { 1.0 + 0.0 / x } else { let t = mm_expm1f(2.0 * x); 1.0 - 2.0 / (t + 2.0) }
    } else if w > 0x3e82c578 {
        let t = mm_expm1f(2.0 * x);
        t / (t + 2.0)
    } else if w >= 0x00800000 {
        let t = mm_expm1f(-2.0 * x);
        -t / (t + 2.0)
    } else {
        x
    };
    if sign { -tt } else { tt }
}
"#;

/// The same `expf` in C99, in `float` (a union reads the bits).
const C_EXPF: &str = r#"typedef union { float f; unsigned int u; } mm_bits32;

static float mm_from_bits32(unsigned int u) {
    mm_bits32 b;
    b.u = u;
    return b.f;
}

static float mm_scalbnf(float x, int n) {
    if (n > 127) {
        x *= mm_from_bits32(0x7f000000u);
        n -= 127;
        if (n > 127) { x *= mm_from_bits32(0x7f000000u); n -= 127; if (n > 127) { n = 127; } }
    } else if (n < -126) {
        x *= mm_from_bits32(0x0c800000u);
        n += 102;
        if (n < -126) { x *= mm_from_bits32(0x0c800000u); n += 102; if (n < -126) { n = -126; } }
    }
    return x * mm_from_bits32((unsigned int)(0x7f + n) << 23);
}

static float mm_expf(float x) {
    static const float half[2] = {0.5f, -0.5f};
    const float ln2hi = 0.693145751953125f, ln2lo = 1.428606765330187e-06f, invln2 = 1.4426950216293335f;
    const float p1 = 0.16666625440120697f, p2 = -0.0027667332906275988f;
    mm_bits32 b;
    float hi, lo, c, xx, y, kf;
    int k, sign;
    unsigned int hx;
    b.f = x;
    hx = b.u;
    sign = (int)(hx >> 31);
    hx &= 0x7fffffffu;
    if (hx >= 0x42aeac50u) {
        if (hx > 0x7f800000u) { return x; }
        if (hx >= 0x42b17218u && sign == 0) { return x * mm_from_bits32(0x7f000000u); }
        if (sign != 0 && hx >= 0x42cff1b5u) { return 0.0f; }
    }
    if (hx > 0x3eb17218u) {
        if (hx > 0x3f851592u) { k = (int)(invln2 * x + half[sign]); } else { k = 1 - sign - sign; }
        kf = (float)k;
        hi = x - kf * ln2hi;
        lo = kf * ln2lo;
        x = hi - lo;
    } else if (hx > 0x39000000u) {
        k = 0;
        hi = x;
        lo = 0.0f;
    } else {
        return 1.0f + x;
    }
    xx = x * x;
    c = x - xx * (p1 + xx * p2);
    y = 1.0f + (x * c / (2.0f - c) - lo + hi);
    return k == 0 ? y : mm_scalbnf(y, k);
}
"#;

/// The same `tanhf` and `expm1f` in C99, in `float`.
const C_TANHF: &str = r#"typedef union { float f; unsigned int u; } mm_bits32t;

static float mm_expm1f(float x) {
    const float ln2hi = 0.6931381225585938f, ln2lo = 9.05800061445916e-06f, invln2 = 1.4426950216293335f;
    const float q1 = -0.03333321213722229f, q2 = 0.0015807170420885086f;
    mm_bits32t b;
    float hi, lo, c = 0.0f, t, hfx, hxs, r1, e, y, twopk, uf;
    int k, sign;
    unsigned int hx;
    b.f = x;
    hx = b.u;
    sign = (int)(hx >> 31);
    hx &= 0x7fffffffu;
    if (hx >= 0x4195b844u) {
        if (hx > 0x7f800000u) { return x; }
        if (sign) { return -1.0f; }
        if (hx > 0x42b17217u) { b.u = 0x7f000000u; return x * b.f; }
    }
    if (hx > 0x3eb17218u) {
        if (hx < 0x3f851592u) {
            if (!sign) { hi = x - ln2hi; lo = ln2lo; k = 1; } else { hi = x + ln2hi; lo = -ln2lo; k = -1; }
        } else {
            k = (int)(invln2 * x + (sign ? -0.5f : 0.5f));
            t = (float)k;
            hi = x - t * ln2hi;
            lo = t * ln2lo;
        }
        x = hi - lo;
        c = (hi - x) - lo;
    } else if (hx < 0x33000000u) {
        return x;
    } else {
        k = 0;
    }
    hfx = 0.5f * x;
    hxs = x * hfx;
    r1 = 1.0f + hxs * (q1 + hxs * q2);
    t = 3.0f - r1 * hfx;
    e = hxs * ((r1 - t) / (6.0f - x * t));
    if (k == 0) { return x - (x * e - hxs); }
    e = x * (e - c) - c;
    e -= hxs;
    if (k == -1) { return 0.5f * (x - e) - 0.5f; }
    if (k == 1) {
        if (x < -0.25f) { return -2.0f * (e - (x + 0.5f)); }
        return 1.0f + 2.0f * (x - e);
    }
    b.u = (unsigned int)(0x7f + k) << 23;
    twopk = b.f;
    if (k < 0 || k > 56) {
        y = x - e + 1.0f;
        if (k == 128) { b.u = 0x7f000000u; y = y * 2.0f * b.f; } else { y = y * twopk; }
        return y - 1.0f;
    }
    b.u = (unsigned int)(0x7f - k) << 23;
    uf = b.f;
    if (k < 23) { return (x - e + (1.0f - uf)) * twopk; }
    return (x - (e + uf) + 1.0f) * twopk;
}

static float mm_tanhf(float x) {
    mm_bits32t b;
    unsigned int w;
    int sign;
    float t, tt;
    b.f = x;
    sign = (int)(b.u >> 31);
    w = b.u & 0x7fffffffu;
    b.u = w;
    x = b.f;
    if (w > 0x3f0c9f54u) {
        if (w > 0x41200000u) { tt = 1.0f + 0.0f / x; } else { t = mm_expm1f(2.0f * x); tt = 1.0f - 2.0f / (t + 2.0f); }
    } else if (w > 0x3e82c578u) {
        t = mm_expm1f(2.0f * x);
        tt = t / (t + 2.0f);
    } else if (w >= 0x00800000u) {
        t = mm_expm1f(-2.0f * x);
        tt = -t / (t + 2.0f);
    } else {
        tt = x;
    }
    return sign ? -tt : tt;
}
"#;

/// The same `expf` in JavaScript: every `f32` step through `Math.fround`.
const JS_EXPF: &str = r#"const MM_F32 = new DataView(new ArrayBuffer(4));
const mm_f = Math.fround;

function mm_bits32(x) {
    MM_F32.setFloat32(0, x);
    return MM_F32.getUint32(0);
}

function mm_from_bits32(u) {
    MM_F32.setUint32(0, u);
    return MM_F32.getFloat32(0);
}

function mm_scalbnf(x, n) {
    if (n > 127) {
        x = mm_f(x * mm_from_bits32(0x7f000000));
        n -= 127;
        if (n > 127) { x = mm_f(x * mm_from_bits32(0x7f000000)); n -= 127; if (n > 127) { n = 127; } }
    } else if (n < -126) {
        x = mm_f(x * mm_from_bits32(0x0c800000));
        n += 102;
        if (n < -126) { x = mm_f(x * mm_from_bits32(0x0c800000)); n += 102; if (n < -126) { n = -126; } }
    }
    return mm_f(x * mm_from_bits32((0x7f + n) * 8388608));
}

function mm_expf(x) {
    const ln2hi = 0.693145751953125, ln2lo = 1.428606765330187e-06, invln2 = 1.4426950216293335;
    const p1 = 0.16666625440120697, p2 = -0.0027667332906275988;
    let hx = mm_bits32(x);
    const sign = hx >>> 31;
    hx = (hx & 0x7fffffff) >>> 0;
    if (hx >= 0x42aeac50) {
        if (hx > 0x7f800000) { return x; }
        if (hx >= 0x42b17218 && sign === 0) { return mm_f(x * mm_from_bits32(0x7f000000)); }
        if (sign !== 0 && hx >= 0x42cff1b5) { return 0.0; }
    }
    let k, hi, lo;
    if (hx > 0x3eb17218) {
        k = hx > 0x3f851592 ? Math.trunc(mm_f(mm_f(invln2 * x) + (sign ? -0.5 : 0.5))) : 1 - sign - sign;
        hi = mm_f(x - mm_f(k * ln2hi));
        lo = mm_f(k * ln2lo);
        x = mm_f(hi - lo);
    } else if (hx > 0x39000000) {
        k = 0;
        hi = x;
        lo = 0.0;
    } else {
        return mm_f(1.0 + x);
    }
    const xx = mm_f(x * x);
    const c = mm_f(x - mm_f(xx * mm_f(p1 + mm_f(xx * p2))));
    const y = mm_f(1.0 + mm_f(mm_f(mm_f(mm_f(x * c) / mm_f(2.0 - c)) - lo) + hi));
    return k === 0 ? y : mm_scalbnf(y, k);
}
"#;

/// The same `tanhf` and `expm1f` in JavaScript.
const JS_TANHF: &str = r#"const MM_T32 = new DataView(new ArrayBuffer(4));
const mm_t = Math.fround;

function mm_pow2f(n) {
    MM_T32.setUint32(0, (0x7f + n) * 8388608);
    return MM_T32.getFloat32(0);
}

function mm_expm1f(x) {
    const ln2hi = 0.6931381225585938, ln2lo = 9.05800061445916e-06, invln2 = 1.4426950216293335;
    const q1 = -0.03333321213722229, q2 = 0.0015807170420885086;
    MM_T32.setFloat32(0, x);
    let hx = MM_T32.getUint32(0);
    const sign = (hx >>> 31) !== 0;
    hx = (hx & 0x7fffffff) >>> 0;
    if (hx >= 0x4195b844) {
        if (hx > 0x7f800000) { return x; }
        if (sign) { return -1.0; }
        if (hx > 0x42b17217) { return mm_t(x * mm_pow2f(127)); }
    }
    let k, hi, lo, c = 0.0;
    if (hx > 0x3eb17218) {
        if (hx < 0x3f851592) {
            if (!sign) { hi = mm_t(x - ln2hi); lo = ln2lo; k = 1; } else { hi = mm_t(x + ln2hi); lo = -ln2lo; k = -1; }
        } else {
            k = Math.trunc(mm_t(mm_t(invln2 * x) + (sign ? -0.5 : 0.5)));
            hi = mm_t(x - mm_t(k * ln2hi));
            lo = mm_t(k * ln2lo);
        }
        x = mm_t(hi - lo);
        c = mm_t(mm_t(hi - x) - lo);
    } else if (hx < 0x33000000) {
        return x;
    } else {
        k = 0;
    }
    const hfx = mm_t(0.5 * x);
    const hxs = mm_t(x * hfx);
    const r1 = mm_t(1.0 + mm_t(hxs * mm_t(q1 + mm_t(hxs * q2))));
    const t = mm_t(3.0 - mm_t(r1 * hfx));
    let e = mm_t(hxs * mm_t(mm_t(r1 - t) / mm_t(6.0 - mm_t(x * t))));
    if (k === 0) { return mm_t(x - mm_t(mm_t(x * e) - hxs)); }
    e = mm_t(mm_t(x * mm_t(e - c)) - c);
    e = mm_t(e - hxs);
    if (k === -1) { return mm_t(mm_t(0.5 * mm_t(x - e)) - 0.5); }
    if (k === 1) {
        if (x < -0.25) { return mm_t(-2.0 * mm_t(e - mm_t(x + 0.5))); }
        return mm_t(1.0 + mm_t(2.0 * mm_t(x - e)));
    }
    const twopk = mm_pow2f(k);
    if (k < 0 || k > 56) {
        let y = mm_t(mm_t(x - e) + 1.0);
        if (k === 128) { y = mm_t(mm_t(y * 2.0) * mm_pow2f(127)); } else { y = mm_t(y * twopk); }
        return mm_t(y - 1.0);
    }
    const uf = mm_pow2f(-k);
    if (k < 23) { return mm_t(mm_t(mm_t(x - e) + mm_t(1.0 - uf)) * twopk); }
    return mm_t(mm_t(mm_t(x - mm_t(e + uf)) + 1.0) * twopk);
}

function mm_tanhf(x) {
    MM_T32.setFloat32(0, x);
    const ix = MM_T32.getUint32(0);
    const sign = (ix >>> 31) !== 0;
    const w = (ix & 0x7fffffff) >>> 0;
    x = Math.abs(x);
    let tt;
    if (w > 0x3f0c9f54) {
        if (w > 0x41200000) { tt = mm_t(1.0 + mm_t(0.0 / x)); } else { const t = mm_expm1f(mm_t(2.0 * x)); tt = mm_t(1.0 - mm_t(2.0 / mm_t(t + 2.0))); }
    } else if (w > 0x3e82c578) {
        const t = mm_expm1f(mm_t(2.0 * x));
        tt = mm_t(t / mm_t(t + 2.0));
    } else if (w >= 0x00800000) {
        const t = mm_expm1f(mm_t(-2.0 * x));
        tt = mm_t(-t / mm_t(t + 2.0));
    } else {
        tt = x;
    }
    return sign ? -tt : tt;
}
"#;
