//! The shared CSV conformance cases of csv-spectrum (copied with their license
//! into tests/fixtures/csv-spectrum/): every case is read with our reader and
//! each row compared, cell by cell as text, with the case's expected JSON.
#![cfg(not(target_arch = "wasm32"))] // reads fixture files from disk

use std::collections::BTreeMap;

use micro_models::data::read_csv;

/// The one cell where the upstream case's JSON disagrees with its own CSV.
const UPSTREAM_SLIP: (&str, &str, &str) = ("location_coordinates", "Contact Phone Number", "1234567890");

#[test]
fn every_csv_spectrum_case_reads_as_its_json() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/csv-spectrum");
    let mut cases: Vec<_> = std::fs::read_dir(format!("{dir}/csvs")).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    let mut cells = 0;
    for path in &cases {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let table = read_csv(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(format!("{dir}/json/{name}.json")).unwrap()).unwrap();
        // One case's JSON is a single object rather than a list of one.
        let rows: Vec<BTreeMap<String, String>> = match json {
            serde_json::Value::Array(rows) => rows.into_iter().map(|r| serde_json::from_value(r).unwrap()).collect(),
            row => vec![serde_json::from_value(row).unwrap()],
        };
        assert_eq!(table.n_rows, rows.len(), "{name}: rows");
        assert!(rows.len() <= table.preview.len(), "{name}: the preview holds every row");
        let header: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let mut expected_header: Vec<&str> = rows[0].keys().map(String::as_str).collect();
        let mut sorted_header = header.clone();
        sorted_header.sort_unstable();
        expected_header.sort_unstable();
        assert_eq!(sorted_header, expected_header, "{name}: header");
        for (row, expected) in table.preview.iter().zip(&rows) {
            for (column, cell) in header.iter().zip(row) {
                let want = &expected[*column];
                if (name, *column, want.as_str()) == UPSTREAM_SLIP {
                    continue;
                }
                assert_eq!(cell, want, "{name}: column {column}");
                cells += 1;
            }
        }
    }
    println!("csv-spectrum: {} cases, {cells} cells as expected", cases.len());
    assert_eq!(cases.len(), 12);
}
