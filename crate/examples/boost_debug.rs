use micro_models::model::{find, Dataset, FeatureMatrix, NoProgress, ParamValue, ParamValues, Predictions, Target};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).unwrap();
    let rows: Vec<Vec<f64>> = text.lines().skip(1).map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    let nf = rows[0].len() - 1;
    let x: Vec<Vec<f32>> = rows.iter().map(|r| r[..nf].iter().map(|&v| v as f32).collect()).collect();
    let y: Vec<u32> = rows.iter().map(|r| r[nf] as u32).collect();
    let k = *y.iter().max().unwrap() as usize + 1;
    let data = Dataset { x: FeatureMatrix::from_rows(&x, nf), target: Target::Classes { y, names: (0..k).map(|c| c.to_string()).collect() }, feature_names: (0..nf).map(|i| format!("x{i}")).collect() };
    let mut v = ParamValues::new();
    v.insert("max_iter".into(), ParamValue::Int(a[2].parse().unwrap()));
    v.insert("learning_rate".into(), ParamValue::Float(a[3].parse().unwrap()));
    v.insert("max_leaf_nodes".into(), ParamValue::Int(a[4].parse().unwrap()));
    v.insert("min_samples_leaf".into(), ParamValue::Int(a[5].parse().unwrap()));
    v.insert("l2_regularization".into(), ParamValue::Float(a[6].parse().unwrap()));
    v.insert("early_stopping".into(), ParamValue::Choice("off".into()));
    let m = (find("gradient_boosting").unwrap().fit)(&v, &data, 0, &mut NoProgress).unwrap();
    let Predictions::Classes { proba, .. } = m.predict(&data.x).unwrap() else { panic!() };
    for r in 0..10 { print!("{:.7} ", proba[r * k + 1]); }
    println!();
}
