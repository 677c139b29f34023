use super::super::{ColumnData, ColumnKind, MISSING_CODE};
use super::*;

fn read(text: &str) -> Table {
    match read_csv(text.as_bytes()) {
        Ok(table) => table,
        Err(error) => panic!("{error}"),
    }
}

fn names(table: &Table) -> Vec<&str> {
    table.columns.iter().map(|column| column.name.as_str()).collect()
}

fn kinds(table: &Table) -> Vec<ColumnKind> {
    table.columns.iter().map(|column| column.inferred).collect()
}

fn numbers<'t>(table: &'t Table, name: &str) -> &'t [f32] {
    let index = table.column_index(name).unwrap();
    table.columns[index].numbers().unwrap()
}

fn levels<'t>(table: &'t Table, name: &str) -> &'t [String] {
    let index = table.column_index(name).unwrap();
    match &table.columns[index].data {
        ColumnData::Text { levels, .. } => levels,
        ColumnData::Numeric(_) | ColumnData::Date(_) => panic!("{name} is not text"),
    }
}

// ---- encodings and empty files ----

#[test]
fn bom_is_stripped() {
    let table = read("\u{FEFF}a,b\n1,2\n");
    assert_eq!(names(&table), ["a", "b"]);
}

#[test]
fn nul_bytes_are_binary() {
    assert_eq!(read_csv(b"a,b\n1,\x002\n"), Err(DataError::NotText));
    assert_eq!(read_csv(b"\x00\x01\x02"), Err(DataError::NotText));
}

#[test]
fn known_formats_are_named() {
    let format = |bytes: &[u8]| match read_csv(bytes) {
        Err(DataError::Binary { format }) => format,
        other => panic!("{other:?}"),
    };
    assert_eq!(format(b"PK\x03\x04\x14\x00\x06\x00"), "a ZIP archive (an Excel .xlsx workbook is one)");
    assert_eq!(format(b"%PDF-1.7\n"), "a PDF document");
    assert_eq!(format(b"\xFF\xD8\xFF\xE0"), "a JPEG image");
}

#[test]
fn one_enormous_line_is_refused_before_parsing() {
    let line = vec![b'a'; 5 << 20];
    let start = std::time::Instant::now();
    // The message names the megabyte that was looked at, not the file's size.
    let refused = read_csv(&line).unwrap_err();
    assert!(start.elapsed().as_millis() < 100, "{:?}", start.elapsed());
    assert_eq!(refused, DataError::NoLineBreak { megabytes: 1 });
    assert_eq!(
        refused.to_string(),
        "The first 1 MB of the file hold no line break, so it is not a table of rows. Check that this is the CSV file you meant."
    );
    // A long header with a line end is still read.
    let mut wide = vec![b'a'; MAX_FIRST_LINE - 10];
    wide.extend_from_slice(b"\n1\n");
    assert_eq!(read_csv(&wide).unwrap().n_rows, 1);
}

// ---- fixtures of files that are not CSV ----

#[test]
fn fixture_png_renamed_csv() {
    assert_eq!(
        read_csv(include_bytes!("../../../../tests/fixtures/image.png.csv")).unwrap_err().to_string(),
        "This is a PNG image, not a CSV file. Save or export the table as CSV and drop that file."
    );
}

#[test]
fn fixture_nul_bytes_and_binary() {
    for bytes in [
        &include_bytes!("../../../../tests/fixtures/nul_bytes.csv")[..],
        include_bytes!("../../../../tests/fixtures/binary.csv"),
    ] {
        assert_eq!(read_csv(bytes), Err(DataError::NotText));
    }
}

#[test]
fn utf16_is_named() {
    // Valid UTF-16 (either byte order) is decoded and read, with a note.
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a,b\n1,é\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("a,b\n1,é\n".encode_utf16().flat_map(u16::to_be_bytes)).collect();
    for bytes in [le, be] {
        let table = read_csv(&bytes).unwrap();
        assert_eq!(names(&table), ["a", "b"]);
        assert_eq!(levels(&table, "b"), ["é"]);
        assert!(table.warnings.iter().any(|w| w.contains("UTF-16")));
    }
    // A lone high surrogate is not text.
    assert_eq!(read_csv(b"\xFF\xFEa\x00\x00\xD8"), Err(DataError::Utf16));
}

#[test]
fn bytes_not_utf8_are_windows_1252_unless_utf8_was_chosen() {
    let table = read_csv(b"a,b\n1,2\r\n3,caf\xE9\n").unwrap();
    assert_eq!(levels(&table, "b"), ["2", "café"]);
    assert_eq!(table.decoding.encoding, TextEncoding::Windows1252);
    assert!(table.warnings[0].starts_with("The file is not UTF-8, so it was read as Windows-1252"), "{:?}", table.warnings);
    // Chosen, UTF-8 names the line of its first bad byte.
    let utf8 = Some(TextEncoding::Utf8);
    let chosen = |bytes: &[u8]| read_csv_with_progress(bytes, utf8, &mut NoProgress);
    assert_eq!(chosen(b"a,b\n1,2\r\n3,caf\xE9\n"), Err(DataError::NotUtf8 { line: 3, byte_offset: 14 }));
    assert_eq!(chosen(b"\xEF\xBB\xBFa\xFF,b\n1,2\n"), Err(DataError::NotUtf8 { line: 1, byte_offset: 4 }));
}

#[test]
fn empty_and_blank_files() {
    assert_eq!(read_csv(b""), Err(DataError::EmptyFile));
    assert_eq!(read_csv(b" \n\r\n\t\n"), Err(DataError::EmptyFile));
    assert_eq!(read_csv(b"\xEF\xBB\xBF"), Err(DataError::EmptyFile));
    assert_eq!(read_csv(b"\"\"\n"), Err(DataError::EmptyFile));
}

#[test]
fn header_without_rows() {
    assert_eq!(read_csv(b"a,b,c"), Err(DataError::HeaderOnly));
    assert_eq!(read_csv(b"a;b;c\r\n\r\n  \r\n"), Err(DataError::HeaderOnly));
}

// ---- ragged rows ----

#[test]
fn ragged_rows_name_row_and_line() {
    assert_eq!(read_csv(b"a,b,c\n1,2,3\n4,5\n"), Err(DataError::Ragged { row: 2, line: 3, found: 2, expected: 3 }));
    assert_eq!(read_csv(b"a,b\n1,2\n3,4,5\n"), Err(DataError::Ragged { row: 2, line: 3, found: 3, expected: 2 }));
}

#[test]
fn ragged_line_counts_every_line_an_editor_shows() {
    let ragged_line = |text: &str| match read_csv(text.as_bytes()) {
        Err(DataError::Ragged { line, .. }) => line,
        other => panic!("{other:?}"),
    };
    assert_eq!(ragged_line("name,note\nAnn,\"two\nlines\"\n\nBob,ok,extra\n"), 5, "quoted newline, blank line");
    assert_eq!(ragged_line("a,b\r\n1,2\r\n\r\n3,4\r\n5\r\n"), 5, "CRLF");
    assert_eq!(ragged_line("a,b\r1,2\r5\r"), 3, "CR only");
    assert_eq!(ragged_line("\n  \na,b\n1,2\n   \n5\n"), 6, "blank lines before the header");
}

#[test]
fn lines_count_lf_crlf_and_lone_cr() {
    assert_eq!(line_at(b"a\nb\r\nc\rd", 0), 1);
    assert_eq!(line_at(b"a\nb\r\nc\rd", 2), 2);
    assert_eq!(line_at(b"a\nb\r\nc\rd", 5), 3);
    assert_eq!(line_at(b"a\nb\r\nc\rd", 7), 4);
    assert_eq!(line_at(b"a\n", 99), 2);
}

// ---- delimiters ----

#[test]
fn semicolon_with_decimal_comma() {
    let table = read("x;y;label\n1,5;2;a\n-0,25;3,0;b\n");
    assert_eq!(names(&table), ["x", "y", "label"]);
    assert_eq!(numbers(&table, "x"), [1.5, -0.25]);
    assert_eq!(numbers(&table, "y"), [2.0, 3.0]);
    assert_eq!(
        table.warnings,
        ["The file is separated by semicolons, so a comma in a number is its decimal point (e.g. '1,5' = 1.5)."]
    );
    assert!(read("x;y\n1.5;2\n").warnings.is_empty(), "no note without a decimal comma");
}

#[test]
fn excel_sep_hint_names_the_delimiter_and_is_not_data() {
    // As Excel saves in a locale that writes decimal commas: without the hint,
    // the "sep=;" line would be the header and every later line ragged.
    let table = read("sep=;\r\nname;price;rooms\r\na;1,5;3\r\nb;2,25;4\r\n");
    assert_eq!(names(&table), ["name", "price", "rooms"]);
    assert_eq!(numbers(&table, "price"), [1.5, 2.25]);
    assert_eq!(table.n_rows, 2);
    // Quoted, and naming a delimiter the sniffer would not pick.
    let table = read("\"sep=,\"\na;b\n1;2\n");
    assert_eq!(names(&table), ["a;b"]);
    assert_eq!(table.columns.len(), 1, "the hint's comma, not the semicolon the sniffer would pick");
    // Lines keep counting from the top of the file, hint line included.
    assert_eq!(read_csv(b"sep=|\na|b\n1|2\n3\n"), Err(DataError::Ragged { row: 2, line: 4, found: 1, expected: 2 }));
    // "sep=" followed by more than one character is a header like any other.
    assert_eq!(names(&read("sep=ab,c\n1,2\n")), ["sep=ab", "c"]);
}

#[test]
fn decimal_comma_only_with_semicolons() {
    let table = read("x,y\n\"1,5\",1\n\"2,5\",2\n");
    assert_eq!(levels(&table, "x"), ["1,5", "2,5"]);
    let table = read("x\ty\n1,5\t1\n2,5\t2\n");
    assert_eq!(levels(&table, "x"), ["1,5", "2,5"]);
}

#[test]
fn tab_and_pipe() {
    let tab = read("a b\tc\n1\t2\n3\t4\n");
    assert_eq!(names(&tab), ["a b", "c"]);
    assert_eq!(numbers(&tab, "c"), [2.0, 4.0]);
    let pipe = read("a|b|c\n1|x, y|3\n");
    assert_eq!(names(&pipe), ["a", "b", "c"]);
    assert_eq!(levels(&pipe, "b"), ["x, y"]);
}

#[test]
fn delimiters_inside_text_do_not_fool_the_sniffer() {
    let table = read("name,note\nAnn,a;b;c\nBob,d;e\nCy,f\n");
    assert_eq!(names(&table), ["name", "note"]);
    let table = read("id;text\n1;\"x, y, z\"\n2;\"u, v\"\n");
    assert_eq!(names(&table), ["id", "text"]);
    assert_eq!(levels(&table, "text"), ["x, y, z", "u, v"]);
}

#[test]
fn one_column_file() {
    let table = read("value\n1\n2\n");
    assert_eq!(names(&table), ["value"]);
    assert_eq!(numbers(&table, "value"), [1.0, 2.0]);
}

// ---- quoting and line ends ----

#[test]
fn quoted_fields() {
    let table = read("name,quote\n\"Smith, J\",\"She said \"\"hi\"\"\"\n\"Doe\",\"line one\nline two\"\n");
    assert_eq!(table.n_rows, 2);
    assert_eq!(levels(&table, "name"), ["Smith, J", "Doe"]);
    assert_eq!(levels(&table, "quote"), ["She said \"hi\"", "line one\nline two"]);
}

#[test]
fn crlf_no_final_newline_and_trailing_blank_lines() {
    for text in ["a,b\r\n1,x\r\n2,y", "a,b\n1,x\n2,y\n\n\n", "a,b\r\n1,x\r\n2,y\r\n  \r\n\r\n"] {
        let table = read(text);
        assert_eq!(table.n_rows, 2, "{text:?}");
        assert_eq!(numbers(&table, "a"), [1.0, 2.0]);
        assert_eq!(levels(&table, "b"), ["x", "y"]);
    }
}

// ---- header ----

#[test]
fn header_names_are_trimmed_named_and_unique() {
    let table = read(" a ,,b,a,,a\n1,2,3,4,5,6\n");
    assert_eq!(names(&table), ["a", "column 2", "b", "a (2)", "column 5", "a (3)"]);
    assert_eq!(
        table.warnings,
        [
            "Columns without a name in the header were named 'column 2', 'column 5'.",
            "Repeated column names were made unique: 'a (2)', 'a (3)'."
        ]
    );
}

#[test]
fn generated_names_never_take_a_written_one() {
    let table = read("a,a,a (2),,column 4\n1,2,3,4,5\n");
    assert_eq!(names(&table), ["a", "a (3)", "a (2)", "column 4 (2)", "column 4"]);
}

#[test]
fn many_renames_are_summarized() {
    let table = read(",,,,,,\n1,2,3,4,5,6,7\n");
    assert!(table.warnings.contains(&"Columns without a name in the header were named 'column 1', 'column 2', 'column 3', 'column 4', 'column 5', and 2 more.".to_owned()));
}

#[test]
fn numeric_header_is_flagged() {
    let table = read("5.1,3.5,setosa\n4.9,3.0,setosa\n");
    assert!(table.warnings.is_empty());
    let table = read("5.1,3.5\n4.9,3.0\n");
    assert_eq!(table.warnings.len(), 1);
    assert!(table.warnings[0].starts_with("The first line holds only numbers"));
}

#[test]
fn unnamed_first_column_is_an_index() {
    let table = read(",x\n0,a\n1,b\n2,a\n");
    assert_eq!(names(&table), ["column 1", "x"]);
    assert_eq!(kinds(&table), [ColumnKind::Identifier, ColumnKind::Categorical]);
}

// ---- cells ----

#[test]
fn missing_tokens_and_trimming() {
    let table = read("x,y\n 1 , NA \nN/A,a\nn/a,?\nnull,NULL\nNaN,nan\n,b\n2, a\n");
    let x = &table.columns[0];
    let y = &table.columns[1];
    assert_eq!(x.missing, 5);
    assert_eq!(x.inferred, ColumnKind::Numeric);
    assert_eq!(y.missing, 4);
    let categories = y.categories();
    assert_eq!(categories.levels, ["a", "b"]);
    assert_eq!(categories.codes, [MISSING_CODE, 0, MISSING_CODE, MISSING_CODE, MISSING_CODE, 1, 0]);
}

#[test]
fn preview_keeps_the_first_five_rows_as_written() {
    let table = read("a,b\n1,NA\n2,x\n3,?\n4,y\n5,z\n6,w\n");
    assert_eq!(table.n_rows, 6);
    assert_eq!(table.preview, [["1", "NA"], ["2", "x"], ["3", "?"], ["4", "y"], ["5", "z"]]);
    assert_eq!(read("a\n1\n").preview, [["1"]]);
}

#[test]
fn all_missing_column_is_empty() {
    let table = read("a,b\n1,\n2,NA\n");
    assert_eq!(kinds(&table), [ColumnKind::Numeric, ColumnKind::Empty]);
}

// ---- never panic ----

#[test]
fn odd_inputs_give_a_table_or_an_error() {
    let odd: [&[u8]; 10] = [
        b"\"",
        b"\"a,b\n1,2",
        b"a,\"b\n1,2\n",
        b",\n,\n",
        b"\r\r\r",
        b"a\rb\r1\r",
        b"|;\t,\n",
        b"\xEF\xBB",
        b"\xF0\x9F\x98",
        "é,ü\n√,∞\n".as_bytes(),
    ];
    for bytes in odd {
        match read_csv(bytes) {
            Ok(table) => assert!(table.n_rows > 0 && !table.columns.is_empty()),
            Err(error) => assert!(!error.to_string().is_empty()),
        }
    }
}

// ---- fixtures shared with the browser tests ----

#[test]
fn fixture_empty() {
    assert_eq!(read_csv(include_bytes!("../../../../tests/fixtures/empty.csv")), Err(DataError::EmptyFile));
}

#[test]
fn fixture_header_only() {
    assert_eq!(read_csv(include_bytes!("../../../../tests/fixtures/header_only.csv")), Err(DataError::HeaderOnly));
}

#[test]
fn fixture_ragged() {
    assert_eq!(
        read_csv(include_bytes!("../../../../tests/fixtures/ragged.csv")),
        Err(DataError::Ragged { row: 3, line: 4, found: 4, expected: 3 })
    );
}

#[test]
fn fixture_not_utf8() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/not_utf8.csv")).unwrap();
    assert_eq!(levels(&table, "city"), ["Paris", "Montréal"]);
    assert_eq!(table.decoding.samples, ["Zoé", "Montréal"]);
}

#[test]
fn fixture_semicolon_decimal_comma() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/semicolon_decimal_comma.csv")).unwrap();
    assert_eq!(names(&table), ["name", "height", "weight", "group"]);
    assert_eq!(numbers(&table, "height"), [1.62, 1.8, 1.75, 1.68]);
    assert_eq!(numbers(&table, "weight"), [55.5, 81.0, 70.25, 60.0]);
    assert_eq!(kinds(&table), [ColumnKind::Categorical, ColumnKind::Numeric, ColumnKind::Numeric, ColumnKind::Categorical]);
}

#[test]
fn fixture_damage_levels() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/damage_levels.csv")).unwrap();
    assert_eq!(
        kinds(&table),
        [ColumnKind::Identifier, ColumnKind::Categorical, ColumnKind::Numeric, ColumnKind::Boolean, ColumnKind::Boolean]
    );
    // "None" is a damage level, kept; "?" is read as missing, and said so.
    assert_eq!(levels(&table, "damage"), ["None", "Minor", "Major"]);
    let tokens = |name: &str| -> Vec<(String, usize, bool)> {
        let column = &table.columns[table.column_index(name).unwrap()];
        column.info().tokens.into_iter().map(|t| (t.token, t.count, t.missing)).collect()
    };
    assert_eq!(tokens("damage"), [("None".into(), 10, false), ("?".into(), 4, true)]);
    assert_eq!(tokens("repair_cost"), [("NA".into(), 3, true), ("?".into(), 4, true), ("-".into(), 3, true)]);
    assert!(table.warnings.is_empty(), "{:?}", table.warnings);
}

#[test]
fn fixture_numbers_on_purpose() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/numbers_on_purpose.csv")).unwrap();
    assert_eq!(numbers(&table, "plus")[..3], [0.5, 1.5, 2.5]);
    assert_eq!(numbers(&table, "exponent")[..2], [1000.0, 0.002]);
    assert_eq!(
        kinds(&table),
        [
            ColumnKind::Numeric,
            ColumnKind::Numeric,
            ColumnKind::Numeric,
            ColumnKind::Boolean,
            ColumnKind::Boolean,
            ColumnKind::Boolean,
            ColumnKind::Categorical,
            ColumnKind::Boolean
        ]
    );
    assert_eq!(
        table.warnings,
        [
            "Column 'extreme' has 3 values that are infinite or beyond ±3.4e38, the range of the 32-bit numbers this page stores (row 4: 'inf', row 6: '-Infinity', row 8: '1e39'); treated as missing.",
            "Column 'code' mixes numbers and text: 2 of 12 cells are text (row 5: 'x7', row 10: 'n.a.'); treated as categorical."
        ]
    );
}

#[test]
fn fixture_dates() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/dates.csv")).unwrap();
    assert_eq!(kinds(&table)[..7], [ColumnKind::Date; 7]);
    let first_dates: Vec<String> =
        table.columns[..7].iter().map(|c| crate::data::format_date(c.dates().unwrap()[1])).collect();
    assert_eq!(first_dates[0], "2024-01-12");
    assert_eq!(first_dates[1], "2024-01-12 05:07");
    for (name, date) in names(&table).iter().zip(&first_dates).skip(2) {
        let expected = if *name == "either_way" { "2024-02-02" } else { "2024-01-12" };
        assert_eq!(date, expected, "{name}");
    }
    assert_eq!(
        table.warnings,
        ["Column 'either_way' has dates that read either way (e.g. '01/01/2024'); read as month/day/year, as US exports write them."]
    );
}

#[test]
fn fixture_long_and_right_to_left_names() {
    let table = read_csv(include_bytes!("../../../../tests/fixtures/long_rtl_names.csv")).unwrap();
    let names = names(&table);
    assert_eq!(names[0].chars().count(), 500);
    assert_eq!(names[1..], ["الطول", "גובה", "label"]);
}

// ---- the bundled datasets ----

fn dataset(bytes: &[u8], rows: usize, cols: usize) -> Table {
    let table = read_csv(bytes).unwrap();
    assert_eq!((table.n_rows, table.columns.len()), (rows, cols));
    assert!(table.warnings.is_empty(), "{:?}", table.warnings);
    for column in &table.columns {
        let info = column.info();
        assert!(info.allowed.contains(&info.inferred), "{}", column.name);
        let stored = match &column.data {
            ColumnData::Numeric(values) | ColumnData::Date(values) => values.len(),
            ColumnData::Text { codes, .. } => codes.len(),
        };
        assert_eq!(stored, rows, "{}", column.name);
    }
    table
}

fn kind_of(table: &Table, name: &str) -> ColumnKind {
    table.columns[table.column_index(name).unwrap()].inferred
}

#[test]
fn iris() {
    let table = dataset(include_bytes!("../../../../www/datasets/iris.csv"), 150, 5);
    assert_eq!(names(&table)[0], "sepal length (cm)");
    assert_eq!(kinds(&table)[..4], [ColumnKind::Numeric; 4]);
    assert_eq!(kind_of(&table, "species"), ColumnKind::Categorical);
    assert_eq!(levels(&table, "species"), ["setosa", "versicolor", "virginica"]);
    assert_eq!(table.preview[0], ["5.1", "3.5", "1.4", "0.2", "setosa"]);
}

#[test]
fn penguins() {
    let table = dataset(include_bytes!("../../../../www/datasets/penguins.csv"), 344, 8);
    let missing: usize = table.columns.iter().map(|column| column.missing).sum();
    assert_eq!(missing, 19);
    for name in ["species", "island", "sex"] {
        assert_eq!(kind_of(&table, name), ColumnKind::Categorical, "{name}");
    }
    for name in ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"] {
        assert_eq!(kind_of(&table, name), ColumnKind::Numeric, "{name}");
    }
    assert_eq!(levels(&table, "species").len(), 3);
    assert_eq!(levels(&table, "island").len(), 3);
    assert_eq!(levels(&table, "sex"), ["male", "female"]);
}

#[test]
fn wine() {
    let table = dataset(include_bytes!("../../../../www/datasets/wine.csv"), 178, 14);
    assert!(table.column_index("od280/od315_of_diluted_wines").is_some());
    assert_eq!(kinds(&table)[..13], [ColumnKind::Numeric; 13]);
    assert_eq!(kind_of(&table, "cultivar"), ColumnKind::Categorical);
    assert_eq!(levels(&table, "cultivar"), ["class_0", "class_1", "class_2"]);
}

#[test]
fn breast_cancer() {
    let table = dataset(include_bytes!("../../../../www/datasets/breast_cancer.csv"), 569, 31);
    assert_eq!(kinds(&table)[..30], [ColumnKind::Numeric; 30]);
    assert_eq!(kind_of(&table, "diagnosis"), ColumnKind::Categorical);
    let mut diagnosis = levels(&table, "diagnosis").to_vec();
    diagnosis.sort();
    assert_eq!(diagnosis, ["benign", "malignant"]);
}

#[test]
fn diabetes() {
    let table = dataset(include_bytes!("../../../../www/datasets/diabetes.csv"), 442, 11);
    assert_eq!(kinds(&table), [ColumnKind::Numeric; 11]);
    let sex = &table.columns[table.column_index("sex").unwrap()];
    assert_eq!(sex.categories().levels, ["1", "2"]);
    assert!(sex.info().allowed.contains(&ColumnKind::Boolean));
}

#[test]
fn digits() {
    let table = dataset(include_bytes!("../../../../www/datasets/digits.csv"), 1797, 65);
    // Three pixel columns only ever hold 0 and 1 in this sample.
    let booleans: Vec<&str> = table
        .columns
        .iter()
        .filter(|column| column.inferred == ColumnKind::Boolean)
        .map(|column| column.name.as_str())
        .collect();
    assert_eq!(booleans, ["pixel_3_0", "pixel_3_7", "pixel_7_0"]);
    assert!(table.columns.iter().all(|column| column.inferred.is_feature() && column.numbers().is_some()));
    assert_eq!(kind_of(&table, "digit"), ColumnKind::Numeric);
    assert_eq!(table.columns[table.column_index("digit").unwrap()].distinct(), 10);
    assert_eq!(table.columns[0].distinct(), 1, "pixel_0_0 is constant");
}

/// Throughput and memory on a generated 1M × 10 file (8 decimal columns, a
/// whole-number one, a 5-level category), the shape the page promises to
/// hold. A measurement, not a check: run with
/// `cargo test --release -p micro_models --lib -- --ignored --nocapture throughput`;
/// with `MM_BENCH_CSV=path` it reads that file instead (scripts/bench-csv
/// uses this to time the same bytes as pandas and the browser).
#[test]
#[ignore]
#[cfg(not(target_arch = "wasm32"))]
fn throughput() {
    struct Count(usize, usize);
    impl Progress for Count {
        fn report(&mut self, done: usize, total: usize, _: &str) {
            assert!(done <= total);
            self.0 += 1;
            self.1 = done;
        }
    }
    let text = match std::env::var("MM_BENCH_CSV") {
        Ok(path) => std::fs::read_to_string(path).unwrap(),
        Err(_) => million_rows(),
    };
    let start = std::time::Instant::now();
    let mut progress = Count(0, 0);
    let table = read_csv_with_progress(text.as_bytes(), None, &mut progress).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!((table.n_rows, table.columns.len()), (1_000_000, 10));
    // The page's summary of the columns (their distinct values) follows the read.
    let start = std::time::Instant::now();
    let infos: Vec<_> = table.columns.iter().map(crate::data::Column::info).collect();
    let summary = start.elapsed().as_secs_f64();
    assert_eq!(infos[8].distinct, 1000);
    let stored: usize = table
        .columns
        .iter()
        .map(|c| match &c.data {
            ColumnData::Numeric(v) | ColumnData::Date(v) => v.len() * 4,
            ColumnData::Text { codes, levels } => codes.len() * 4 + levels.iter().map(|l| l.len() + 24).sum::<usize>(),
        })
        .sum();
    let megabytes = text.len() as f64 / 1e6;
    println!(
        "{megabytes:.1} MB, 1,000,000 rows × 10 columns in {:.0} ms: {:.0} MB/s; {} progress reports; {:.2} bytes per cell stored; the columns' summary {:.0} ms",
        seconds * 1e3,
        megabytes / seconds,
        progress.0,
        stored as f64 / 1e7,
        summary * 1e3
    );
}

/// A 1M × 10 CSV like the ones the page must hold.
#[cfg(not(target_arch = "wasm32"))]
fn million_rows() -> String {
    let mut text = String::from("x0,x1,x2,x3,x4,x5,x6,x7,count,group\n");
    let groups = ["alpha", "beta", "gamma", "delta", "epsilon"];
    for row in 0..1_000_000u32 {
        for c in 0..8u32 {
            let v = f64::from(row.wrapping_mul(2_654_435_761).wrapping_add(c * 40_503) % 1_000_000) / 997.0;
            text.push_str(&format!("{v:.4},"));
        }
        text.push_str(&format!("{},{}\n", row % 1000, groups[(row % 5) as usize]));
    }
    text
}

/// The cells' trim decides on bytes where `str::trim` decodes characters:
/// every mix of ASCII white space, Unicode white space (no-break space, ideographic
/// space, U+0085), other non-ASCII and ASCII letters trims alike.
#[test]
fn trim_on_bytes_is_str_trim() {
    const PIECES: [&str; 12] = ["", " ", "\t", "\r", "\n", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}", "\u{85}", "é", "1"];
    let mut cells = 0;
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                for d in PIECES {
                    let cell = format!("{a}{b}{c}{d}");
                    assert_eq!(trim(&cell), cell.trim(), "{cell:?}");
                    cells += 1;
                }
            }
        }
    }
    assert_eq!(cells, 12usize.pow(4));
}
