//! Native benchmark of the tree's fit time; also writes the synthetic data as
//! CSV for scikit-learn. Usage: `bench OUT_DIR` (prints JSON lines).

#[path = "support/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use micro_models::model::Target;

fn main() -> std::io::Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/bench".into()));
    std::fs::create_dir_all(&out)?;
    let origin = Instant::now();
    for (rows, cols) in synthetic::SHAPES {
        let data = synthetic::classification(rows, cols, 7);
        write_csv(&out.join(format!("synthetic_{rows}x{cols}.csv")), &data)?;
        let repeats = if rows > 50_000 { 3 } else { 7 };
        let (ms, acc) = synthetic::bench_tree(&data, repeats, || origin.elapsed().as_secs_f64() * 1e3);
        println!("{{\"runner\":\"native\",\"shape\":\"{rows}x{cols}\",\"fit_ms\":{ms:.2},\"accuracy\":{acc:.4}}}");
    }
    Ok(())
}

fn write_csv(path: &std::path::Path, data: &micro_models::model::Dataset) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let cols = data.x.n_cols();
    let Target::Classes { y, .. } = &data.target else { unreachable!("synthetic data is a classification") };
    writeln!(f, "{},y", (0..cols).map(|j| format!("x{j}")).collect::<Vec<_>>().join(","))?;
    for (r, label) in y.iter().enumerate() {
        for j in 0..cols {
            write!(f, "{:?},", data.x.column(j)[r])?;
        }
        writeln!(f, "{label}")?;
    }
    Ok(())
}
