//! What the page's downloads are called and how a table of numbers becomes
//! text: native, so it is tested without a browser. The buttons and the
//! downloads themselves are `app::export`'s.

/// A download's file name: the dataset, the model and the view, each as
/// lowercase letters, digits and underscores (`penguins-decision_tree-boundary.png`),
/// so the files of one session sort together and survive any file system.
pub fn file_name(dataset: &str, model: &str, view: &str, extension: &str) -> String {
    let dataset = dataset.strip_suffix(".csv").or_else(|| dataset.strip_suffix(".CSV")).unwrap_or(dataset);
    let parts: Vec<String> = [dataset, model, view].iter().map(|p| slug(p)).filter(|p| !p.is_empty()).collect();
    let stem = if parts.is_empty() { "micro_models".to_string() } else { parts.join("-") };
    format!("{stem}.{extension}")
}

/// The trained model as a file name knows it: its registry id (`decision_tree`)
/// when `model_name` is a registered model's name, else the name itself (an
/// ensemble, a student), which [`file_name`] shortens to letters and digits.
pub fn model_part(model_name: &str) -> &str {
    crate::model::CATALOG.iter().find(|spec| spec.name == model_name).map_or(model_name, |spec| spec.id)
}

/// `text` in lowercase letters and digits, every other run of characters one `_`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A table as delimited text, header first: `b','` for a CSV file, `b'\t'` for
/// the clipboard (a spreadsheet pastes tabs into cells). The csv crate quotes a
/// cell holding the delimiter, a quote or a line break.
pub fn table_text(head: &[String], rows: &[Vec<String>], delimiter: u8) -> Result<String, String> {
    let mut out = csv::WriterBuilder::new().delimiter(delimiter).flexible(true).from_writer(Vec::new());
    out.write_record(head).map_err(|e| e.to_string())?;
    for row in rows {
        out.write_record(row).map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_after_dataset_model_and_view() {
        assert_eq!(file_name("penguins", "Decision tree", "boundary", "png"), "penguins-decision_tree-boundary.png");
        assert_eq!(file_name("My data (2024).csv", "k-means", "model-view", "svg"), "my_data_2024-k_means-model_view.svg");
        assert_eq!(
            file_name("iris", "Logistic regression", "predictions", "csv"),
            "iris-logistic_regression-predictions.csv"
        );
        assert_eq!(file_name("données", "", "roc", "png"), "données-roc.png");
        assert_eq!(file_name("", "", "", "png"), "micro_models.png");
    }

    #[test]
    fn a_registered_model_is_named_by_its_id() {
        assert_eq!(model_part("Decision tree (CART)"), "decision_tree");
        assert_eq!(model_part("Soft vote of 3 models"), "Soft vote of 3 models");
        assert_eq!(
            file_name("penguins", model_part("Decision tree (CART)"), "boundary", "png"),
            "penguins-decision_tree-boundary.png"
        );
    }

    #[test]
    fn a_table_is_written_with_quotes_where_a_cell_needs_them() {
        let head = vec!["feature".to_string(), "mean drop".to_string()];
        let rows = vec![
            vec!["bill length, mm".to_string(), "0.25".to_string()],
            vec!["say \"hi\"".to_string(), "-0.01".to_string()],
        ];
        assert_eq!(
            table_text(&head, &rows, b',').unwrap(),
            "feature,mean drop\n\"bill length, mm\",0.25\n\"say \"\"hi\"\"\",-0.01\n"
        );
        assert_eq!(table_text(&head, &rows[..1], b'\t').unwrap(), "feature\tmean drop\nbill length, mm\t0.25\n");
        // Read back, every cell is what the table held.
        let text = table_text(&head, &rows, b',').unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(back, rows);
    }
}
