//! Why a linear model scores one row as it does: from the intercept, input by
//! input (coefficient × input), to the score. Drawn as a waterfall.

use serde::{Deserialize, Serialize};

use crate::model::view::CoefficientsView;

/// Inputs shown one by one; the rest are summed into one bar, so a wide model
/// (digits has 64 inputs) still reads at a glance.
pub const MAX_ITEMS: usize = 8;

/// A linear score taken apart for one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContributionsView {
    pub title: String,
    /// What the score is, e.g. "log-odds of Gentoo" or "progression".
    pub output: String,
    pub intercept: f64,
    /// Each input's coefficient × its (encoded) value, largest magnitude first,
    /// labelled with the input and its value in the column's terms; inputs past
    /// `MAX_ITEMS` are summed into a last "N other inputs" item. Inputs that
    /// contribute exactly 0 (a one-hot level the row does not have) are left out.
    pub items: Vec<(String, f64)>,
    /// `intercept + Σ items`: the score itself.
    pub total: f64,
}

impl CoefficientsView {
    /// The contributions to output `output` for one encoded input `row`, with
    /// `labels[j]` naming input j and its value. `None` when the row does not
    /// fit the view.
    pub fn contributions(&self, output: usize, row: &[f32], labels: &[String]) -> Option<ContributionsView> {
        let coef = self.values.get(output)?;
        let intercept = *self.intercepts.get(output)?;
        if coef.len() != row.len() || labels.len() != row.len() {
            return None;
        }
        let mut parts: Vec<(String, f64)> = coef
            .iter()
            .zip(row)
            .zip(labels)
            .map(|((&w, &x), label)| (label.clone(), w * x as f64))
            .filter(|(_, c)| *c != 0.0)
            .collect();
        crate::base::sort_with(&mut parts, &|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let total = intercept + parts.iter().map(|(_, c)| c).sum::<f64>();
        if parts.len() > MAX_ITEMS {
            let rest = parts.split_off(MAX_ITEMS - 1);
            parts.push((format!("{} other inputs", rest.len()), rest.iter().map(|(_, c)| c).sum()));
        }
        let name = self.outputs.get(output).cloned().unwrap_or_default();
        Some(ContributionsView {
            title: format!("How the inputs add up to {name}"),
            output: name,
            intercept,
            items: parts,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(inputs: usize) -> CoefficientsView {
        CoefficientsView {
            title: "Logistic regression".into(),
            outputs: vec!["log-odds of Gentoo".into()],
            inputs: (0..inputs).map(|i| format!("x{i}")).collect(),
            values: vec![(0..inputs).map(|i| i as f64 - 1.0).collect()],
            intercepts: vec![0.5],
            unit: String::new(),
        }
    }

    #[test]
    fn contributions_add_up_to_the_score() {
        // Coefficients −1, 0, 1, 2 on inputs 2, 5, −1, 0.25: contributions −2, 0, −1, 0.5;
        // the zero is left out, the rest sorted by size: −2, −1, 0.5; score 0.5 − 2.5 = −2.
        let labels: Vec<String> = ["a = 2", "b = 5", "c = −1", "d = 0.25"].map(String::from).to_vec();
        let c = view(4).contributions(0, &[2.0, 5.0, -1.0, 0.25], &labels).unwrap();
        assert_eq!(c.items, vec![("a = 2".into(), -2.0), ("c = −1".into(), -1.0), ("d = 0.25".into(), 0.5)]);
        assert_eq!(c.total, -2.0);
        assert_eq!(c.output, "log-odds of Gentoo");
    }

    #[test]
    fn a_wide_row_keeps_the_largest_and_sums_the_rest() {
        let n = 20;
        let labels: Vec<String> = (0..n).map(|i| format!("x{i}")).collect();
        let c = view(n).contributions(0, &vec![1.0; n], &labels).unwrap();
        assert_eq!(c.items.len(), MAX_ITEMS);
        // Input 0 has coefficient −1 and input 1 has 0 (left out); 2..20 give 1..18.
        assert_eq!(c.items[0], ("x19".to_string(), 18.0));
        let expected_total = 0.5 - 1.0 + (1..=18).sum::<i32>() as f64;
        assert_eq!(c.total, expected_total);
        let shown: f64 = c.items.iter().map(|i| i.1).sum();
        assert!((c.intercept + shown - c.total).abs() < 1e-9);
        assert_eq!(c.items.last().unwrap().0, format!("{} other inputs", n - 1 - (MAX_ITEMS - 1)));
    }

    #[test]
    fn a_row_that_does_not_fit_gives_none() {
        assert!(view(3).contributions(0, &[1.0, 2.0], &["a".into(), "b".into()]).is_none());
        assert!(view(2).contributions(1, &[1.0, 2.0], &["a".into(), "b".into()]).is_none());
    }
}
