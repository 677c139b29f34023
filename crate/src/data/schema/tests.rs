use super::infer::{infer_column, parse_number, Notes};
use super::missing::{token_index, Missing, MISSING_TOKENS};
use super::ColumnKind;
use crate::data::{Categories, Column, Table, MISSING_CODE};

/// The column and its warnings.
fn infer_named(raw_name: &str, cells: &[&str]) -> (Column, Vec<String>) {
    let column = infer_column(raw_name.to_owned(), raw_name, cells, false, Missing::Default, &mut Notes::default());
    let notes = column.origin.notes.clone();
    (column, notes)
}

fn kind(raw_name: &str, cells: &[&str]) -> ColumnKind {
    infer_named(raw_name, cells).0.inferred
}

fn numbered(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("v{i}")).collect()
}

#[test]
fn labels_are_the_page_contract() {
    let labels = ColumnKind::ALL.map(ColumnKind::label);
    assert_eq!(labels, ["numeric", "categorical", "boolean", "identifier", "text", "all-missing", "date"]);
    for kind in ColumnKind::ALL {
        // A new kind stops this match compiling: add it to `ALL` too.
        match kind {
            ColumnKind::Numeric
            | ColumnKind::Categorical
            | ColumnKind::Boolean
            | ColumnKind::Identifier
            | ColumnKind::Text
            | ColumnKind::Empty
            | ColumnKind::Date => assert_eq!(ColumnKind::from_label(kind.label()), Some(kind)),
        }
    }
    assert_eq!(ColumnKind::from_label("number"), None);
}

#[test]
fn only_numeric_categorical_boolean_are_features() {
    assert!(ColumnKind::Numeric.is_feature());
    assert!(ColumnKind::Categorical.is_feature());
    assert!(ColumnKind::Boolean.is_feature());
    assert!(!ColumnKind::Identifier.is_feature());
    assert!(!ColumnKind::Text.is_feature());
    assert!(!ColumnKind::Empty.is_feature());
}

#[test]
fn missing_tokens_are_exact_and_case_sensitive() {
    for token in ["", "NA", "N/A", "n/a", "null", "NULL", "NaN", "nan", "None", "?", "-", "."] {
        assert!(token_index(token).is_some(), "{token:?}");
    }
    // token_index tells numbers apart by their first byte.
    for (index, token) in MISSING_TOKENS.iter().enumerate() {
        assert_eq!(token_index(token), Some(index), "{token:?}");
    }
    for token in ["na", "Null", "none", "--", "0", "NA ", "NONE"] {
        assert_eq!(token_index(token), None, "{token:?}");
    }
}

fn token_counts(column: &Column) -> Vec<(String, usize, bool)> {
    column.info().tokens.into_iter().map(|t| (t.token, t.count, t.missing)).collect()
}

#[test]
fn every_token_is_missing_among_numbers() {
    let (column, _) = infer_named("x", &["1", "NA", "None", "?", "-", ".", "", "null", "2", "?"]);
    assert_eq!(column.inferred, ColumnKind::Numeric);
    assert_eq!(column.missing, 8);
    assert_eq!(
        token_counts(&column),
        [
            ("NA".into(), 1, true),
            ("null".into(), 1, true),
            ("None".into(), 1, true),
            ("?".into(), 2, true),
            ("-".into(), 1, true),
            (".".into(), 1, true)
        ],
        "the empty cell is always missing and not listed"
    );
}

#[test]
fn none_is_a_level_among_text_and_the_rest_is_missing() {
    let (column, _) = infer_named("damage", &["None", "Minor", "?", "Major", "None", "NA"]);
    assert_eq!(column.inferred, ColumnKind::Categorical);
    let Categories { codes, levels } = column.categories();
    assert_eq!(levels, ["None", "Minor", "Major"]);
    assert_eq!(codes, [0, 1, MISSING_CODE, 2, 0, MISSING_CODE]);
    assert_eq!(column.missing, 2);
    assert_eq!(token_counts(&column), [("NA".into(), 1, true), ("None".into(), 2, false), ("?".into(), 1, true)]);
    assert_eq!(column.missing_tokens(), ["NA", "?"]);
}

#[test]
fn undo_keeps_a_token_as_a_value_and_redo_reads_it_missing_again() {
    let cells = ["Minor", "?", "Major", "?", "NA", "Minor"];
    let (column, _) = infer_named("damage", &cells);
    assert_eq!(column.categories().levels, ["Minor", "Major"]);
    assert_eq!(column.missing, 3);

    let kept = column.retyped(&["NA".to_owned()], false);
    let Categories { codes, levels } = kept.categories();
    assert_eq!(levels, ["Minor", "?", "Major"]);
    assert_eq!(codes, [0, 1, 2, 1, MISSING_CODE, 0]);
    assert_eq!(kept.missing, 1);
    assert_eq!(token_counts(&kept), [("NA".into(), 1, true), ("?".into(), 2, false)]);

    let back = kept.retyped(&["NA".to_owned(), "?".to_owned()], false);
    assert_eq!(back, column, "the same column as first read");

    // "None" kept among text by default can be read as missing instead.
    let (column, _) = infer_named("damage", &["None", "Minor", "None"]);
    let emptied = column.retyped(&["None".to_owned()], false);
    assert_eq!((emptied.missing, emptied.categories().levels), (2, vec!["Minor".to_owned()]));
}

#[test]
fn undo_in_a_numeric_column_makes_it_categorical_with_a_warning() {
    let (column, _) = infer_named("grade", &["1", "2.50", "?", "3", "?"]);
    assert_eq!(column.inferred, ColumnKind::Numeric);
    let kept = column.retyped(&[], false);
    assert_eq!(kept.inferred, ColumnKind::Categorical);
    assert_eq!(kept.categories().levels, ["1", "2.5", "?", "3"], "numbers in their shortest form");
    assert_eq!(
        kept.origin.notes,
        ["Column 'grade' mixes numbers and text: 2 of 5 cells are text (row 3: '?', row 5: '?'); treated as categorical."]
    );
    let bits = |c: &Column| c.numbers().unwrap().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&kept.retyped(&["?".to_owned()], false)), bits(&column));
    // Even "NaN" kept as a value is text, not a non-finite number.
    assert_eq!(infer_named("x", &["1", "NaN"]).0.retyped(&[], false).categories().levels, ["1", "NaN"]);
}

#[test]
fn retyping_a_table_column_swaps_its_warnings() {
    let mut table = crate::data::read_csv(b"a,b\n1,x\n?,y\n2,x\n").unwrap();
    assert!(table.warnings.is_empty());
    table.set_missing(0, &[]).unwrap();
    assert_eq!(table.columns[0].inferred, ColumnKind::Categorical);
    assert_eq!(
        table.warnings,
        ["Column 'a' mixes numbers and text: 1 of 3 cells is text (row 2: '?'); treated as categorical."]
    );
    table.set_missing(0, &["?".to_owned()]).unwrap();
    assert!(table.warnings.is_empty());
    assert_eq!(table.columns[0].inferred, ColumnKind::Numeric);
    assert!(table.set_missing(5, &[]).is_none());
}

#[test]
fn number_syntax() {
    assert_eq!(parse_number("+1.5", false), Some(1.5));
    assert_eq!(parse_number("-2e3", false), Some(-2000.0));
    assert_eq!(parse_number(".5", false), Some(0.5));
    assert_eq!(parse_number("-inf", false), Some(f32::NEG_INFINITY));
    assert_eq!(parse_number("1e39", false), Some(f32::INFINITY));
    assert_eq!(parse_number("1,5", false), None);
    // Thousands separators, as spreadsheets export quoted numbers.
    assert_eq!(parse_number("1,234", false), Some(1234.0));
    assert_eq!(parse_number("-12,345,678.5", false), Some(-12_345_678.5));
    assert_eq!(parse_number("+1,000", false), Some(1000.0));
    assert_eq!(parse_number("1,23", false), None);
    assert_eq!(parse_number("1234,567", false), None);
    assert_eq!(parse_number(",123", false), None);
    let table = crate::data::read_csv(b"price,y\n\"1,234\",a\n\"12,000.5\",b\n7,a\n").unwrap();
    assert_eq!(table.columns[0].numbers(), Some(&[1234.0, 12000.5, 7.0][..]));
    assert_eq!(
        table.warnings,
        ["Column 'price' writes numbers with thousands separators (e.g. '1,234' = 1234); read as numbers."]
    );
    assert_eq!(parse_number("1,5", true), Some(1.5));
    assert_eq!(parse_number("-0,25", true), Some(-0.25));
    assert_eq!(parse_number("2.5", true), Some(2.5));
    assert_eq!(parse_number("1,2,3", true), None);
    assert_eq!(parse_number("1,000.5", true), None);
    assert_eq!(parse_number("abc", true), None);
    assert!(parse_number("-0", false).is_some_and(f32::is_sign_positive));
}

#[test]
fn all_missing_is_empty() {
    let (column, notes) = infer_named("x", &["", "NA", "?"]);
    assert_eq!(column.inferred, ColumnKind::Empty);
    assert_eq!(column.missing, 3);
    assert_eq!(column.distinct(), 0);
    assert_eq!(column.info().allowed, [ColumnKind::Empty]);
    assert!(notes.is_empty());
}

#[test]
fn numbers_with_missing_are_numeric() {
    let (column, _) = infer_named("height", &["1.5", "NA", "+2", "3e1"]);
    assert_eq!(column.inferred, ColumnKind::Numeric);
    assert_eq!(column.missing, 1);
    let values = column.numbers().unwrap();
    assert_eq!(values.len(), 4);
    assert_eq!((values[0], values[2], values[3]), (1.5, 2.0, 30.0));
    assert!(values[1].is_nan());
    assert_eq!(column.info().allowed, [ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Identifier]);
}

#[test]
fn zero_one_is_boolean_only_with_both() {
    assert_eq!(kind("flag", &["0", "1", "1", "NA"]), ColumnKind::Boolean);
    assert_eq!(kind("flag", &["1", "1", "1"]), ColumnKind::Numeric);
    assert_eq!(kind("flag", &["1", "2", "1"]), ColumnKind::Numeric);
    assert_eq!(kind("flag", &["0", "1", "2"]), ColumnKind::Numeric);
}

#[test]
fn distinct_integers_under_an_id_name_are_identifiers() {
    let cells = ["3", "1", "2", "10"];
    for name in ["", "id", "ID", "index", "#", "Unnamed: 0", "customer_id", "Row ID", "PassengerId", "UserID"] {
        assert_eq!(kind(name, &cells), ColumnKind::Identifier, "{name:?}");
    }
    for name in ["age", "valid", "VALID", "paid", "idea"] {
        assert_eq!(kind(name, &cells), ColumnKind::Numeric, "{name:?}");
    }
    assert_eq!(kind("id", &["1", "2", "2"]), ColumnKind::Numeric, "repeats");
    assert_eq!(kind("id", &["1.5", "2", "3"]), ColumnKind::Numeric, "fractions");
    // 123456789 and 123456790 are the same f32 but different keys.
    assert_eq!(kind("id", &["123456789", "123456790"]), ColumnKind::Identifier);
}

#[test]
fn infinities_become_missing_with_a_warning() {
    let (column, notes) = infer_named("x", &["1", "inf", "2", "1e39"]);
    assert_eq!(column.inferred, ColumnKind::Numeric);
    assert_eq!(column.missing, 2);
    assert_eq!(
        notes,
        ["Column 'x' has 2 values that are infinite or beyond ±3.4e38, the range of the 32-bit numbers this page stores (row 2: 'inf', row 4: '1e39'); treated as missing."]
    );
    let (column, _) = infer_named("x", &["inf", "-inf"]);
    assert_eq!(column.inferred, ColumnKind::Empty);
    let (column, notes) = infer_named("x", &["Infinity", "-Infinity", "+1e5", "-2.5E-3", "1e39", "3.4e38"]);
    assert_eq!(column.numbers().unwrap()[2..4], [1e5, -2.5e-3]);
    assert_eq!(column.numbers().unwrap()[5], 3.4e38, "the largest f32s are still numbers");
    assert!(
        notes[0].contains("has 3 values that are infinite")
            && notes[0].ends_with("(row 1: 'Infinity', row 2: '-Infinity', row 5: '1e39'); treated as missing."),
        "{notes:?}"
    );
}

#[test]
fn a_mixed_column_names_a_few_of_its_minority_cells() {
    let mut cells = vec!["1"; 10];
    cells.extend(["n.a.", "x", "y", "z"]);
    let (column, notes) = infer_named("x", &cells);
    assert_eq!(column.inferred, ColumnKind::Categorical);
    assert_eq!(notes, ["Column 'x' mixes numbers and text: 4 of 14 cells are text (row 11: 'n.a.', row 12: 'x', row 13: 'y', …); treated as categorical."]);
    let (_, notes) = infer_named("x", &["a", "b", "7", "a", "b"]);
    assert_eq!(notes, ["Column 'x' mixes numbers and text: 1 of 5 cells is a number (row 3: '7'); treated as categorical."]);
}

#[test]
fn dates_are_their_own_kind_and_not_features_by_default() {
    let (column, notes) = infer_named("when", &["2024-03-05", "NA", "2024-03-06 12:00", "None", "?"]);
    assert_eq!(column.inferred, ColumnKind::Date);
    assert!(notes.is_empty());
    assert_eq!(column.missing, 3, "tokens are missing among dates as among numbers");
    assert_eq!(column.categories().levels, ["2024-03-05", "2024-03-06 12:00"]);
    assert_eq!(column.info().allowed, [ColumnKind::Date, ColumnKind::Categorical, ColumnKind::Identifier]);
    assert_eq!((column.numbers(), column.booleans()), (None, None));
    assert!(!ColumnKind::Date.is_feature());
    assert!(ColumnKind::Date.why_excluded().unwrap().contains("year, month and weekday"));
    let (column, notes) = infer_named("when", &["05/03/2024", "01/02/2024"]);
    assert_eq!(column.categories().levels, ["2024-01-02", "2024-05-03"]);
    assert_eq!(notes, ["Column 'when' has dates that read either way (e.g. '05/03/2024'); read as month/day/year, as US exports write them."]);
    assert_eq!(infer_named("when", &["2024-03-05", "soon"]).0.inferred, ColumnKind::Categorical);
    assert_eq!(infer_named("year", &["2024", "2025"]).0.inferred, ColumnKind::Numeric);
    // Undo keeps a token as a value: no longer all dates.
    let (column, _) = infer_named("when", &["2024-03-05", "?"]);
    assert_eq!(column.retyped(&[], false).inferred, ColumnKind::Categorical);
    assert_eq!(column.retyped(&["?".to_owned()], false).categories(), column.categories());
}

#[test]
fn word_pairs_are_boolean() {
    assert_eq!(kind("ok", &["Yes", "No", "yes"]), ColumnKind::Categorical, "three levels");
    assert_eq!(kind("ok", &["Yes", "No", "NA"]), ColumnKind::Boolean);
    assert_eq!(kind("ok", &["TRUE", "FALSE"]), ColumnKind::Boolean);
    assert_eq!(kind("ok", &["y", "n"]), ColumnKind::Boolean);
    assert_eq!(kind("ok", &["T", "F"]), ColumnKind::Boolean);
    assert_eq!(kind("ok", &["yes", "false"]), ColumnKind::Categorical);
    assert_eq!(kind("sex", &["male", "female"]), ColumnKind::Categorical);
}

#[test]
fn text_kinds() {
    let unique = numbered(10);
    let unique: Vec<&str> = unique.iter().map(String::as_str).collect();
    assert_eq!(kind("code", &unique), ColumnKind::Identifier);
    assert_eq!(kind("code", &unique[..9]), ColumnKind::Categorical, "too few rows to call it a key");

    let mut many = numbered(25);
    many.extend(numbered(20));
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(kind("word", &many), ColumnKind::Text, "25 distinct of 45");

    let mut some = numbered(21);
    some.extend(numbered(21));
    let some: Vec<&str> = some.iter().map(String::as_str).collect();
    assert_eq!(kind("word", &some), ColumnKind::Categorical, "21 distinct of 42 is not more than half");

    let long = "a sentence that is clearly longer than thirty characters";
    assert_eq!(kind("note", &[long, long, "short"]), ColumnKind::Text);
    assert_eq!(kind("note", &["a", "b", "a"]), ColumnKind::Categorical);
}

#[test]
fn mixed_numbers_and_text_warns() {
    let (column, notes) = infer_named("x", &["1", "2", "abc", "3", "NA"]);
    assert_eq!(column.inferred, ColumnKind::Categorical);
    assert_eq!(column.missing, 1);
    assert_eq!(notes, ["Column 'x' mixes numbers and text: 1 of 4 cells is text (row 3: 'abc'); treated as categorical."]);
    let Categories { codes, levels } = column.categories();
    assert_eq!(levels, ["1", "2", "abc", "3"]);
    assert_eq!(codes, [0, 1, 2, 3, MISSING_CODE]);
    assert!(infer_named("x", &["a", "b"]).1.is_empty());
}

#[test]
fn decimal_comma_is_noted_only_when_used() {
    let mut notes = Notes::default();
    let column = infer_column("w".to_owned(), "w", &["2.5", "1,5"], true, Missing::Default, &mut notes);
    assert_eq!(column.numbers(), Some(&[2.5, 1.5][..]));
    assert_eq!(notes.decimal_comma, Some(("1,5".to_owned(), 1.5)));

    let mut notes = Notes::default();
    infer_column("w".to_owned(), "w", &["2.5", "1"], true, Missing::Default, &mut notes);
    assert_eq!(notes.decimal_comma, None);
}

#[test]
fn numeric_categories_sort_and_format() {
    let (column, _) = infer_named("x", &["3", "2.5", "NA", "3", "-0", "0", "10"]);
    let Categories { codes, levels } = column.categories();
    assert_eq!(levels, ["0", "2.5", "3", "10"]);
    assert_eq!(codes, [2, 1, MISSING_CODE, 2, 0, 0, 3]);
    assert_eq!(column.distinct(), 4);
}

#[test]
fn booleans_from_numbers() {
    let (column, _) = infer_named("sex", &["2", "1", "NA", "2"]);
    assert_eq!(column.inferred, ColumnKind::Numeric);
    let bits = column.booleans().unwrap();
    assert_eq!((bits[0], bits[1], bits[3]), (1.0, 0.0, 1.0));
    assert!(bits[2].is_nan());
    assert!(column.info().allowed.contains(&ColumnKind::Boolean));

    let (three, _) = infer_named("x", &["1", "2", "3"]);
    assert_eq!(three.booleans(), None);
    assert!(!three.info().allowed.contains(&ColumnKind::Boolean));
}

#[test]
fn booleans_from_text() {
    let bits = |cells: &[&str]| infer_named("x", cells).0.booleans();
    assert_eq!(bits(&["no", "Yes", "no"]), Some(vec![0.0, 1.0, 0.0]));
    assert_eq!(bits(&["T", "F"]), Some(vec![1.0, 0.0]));
    assert_eq!(bits(&["female", "male"]), Some(vec![0.0, 1.0]));
    assert_eq!(bits(&["male", "female"]), Some(vec![1.0, 0.0]));
    let with_missing = bits(&["n", "NA", "y"]).unwrap();
    assert_eq!((with_missing[0], with_missing[2]), (0.0, 1.0));
    assert!(with_missing[1].is_nan());
    assert_eq!(bits(&["a", "b", "c"]), None);
}

#[test]
fn allowed_kinds_follow_storage_and_include_the_inferred_one() {
    let (text, _) = infer_named("x", &["a", "b", "a"]);
    let info = text.info();
    assert_eq!(info.allowed, [ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier, ColumnKind::Text]);
    assert_eq!((info.inferred, info.distinct, info.missing), (ColumnKind::Categorical, 2, 0));
    assert_eq!(text.numbers(), None);

    let (flag, _) = infer_named("x", &["0", "1"]);
    assert_eq!(
        flag.info().allowed,
        [ColumnKind::Numeric, ColumnKind::Categorical, ColumnKind::Boolean, ColumnKind::Identifier]
    );
    let (words, _) = infer_named("x", &["a", "b", "c"]);
    assert_eq!(words.info().allowed, [ColumnKind::Categorical, ColumnKind::Identifier, ColumnKind::Text]);
}

#[test]
fn column_index_finds_exact_names() {
    let table = Table {
        columns: vec![infer_named("a", &["1"]).0, infer_named("b", &["x"]).0],
        n_rows: 1,
        preview: vec![],
        warnings: vec![],
        decimal_comma: false,
        decoding: Default::default(),
    };
    assert_eq!(table.column_index("b"), Some(1));
    assert_eq!(table.column_index("B"), None);
}
