//! Tests of [`super::Table`].

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `text` to a fresh file under the temp dir, reads it back as a table, removes it.
fn read_text(text: &str) -> Result<Table> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let k = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("constnn-csv-{}-{k}.csv", std::process::id()));
    std::fs::write(&path, text).expect("temp dir is writable");
    let table = Table::read(&path);
    let _ = std::fs::remove_file(&path);
    table
}

/// The `(line, column, reason)` of a CSV error.
fn csv_error(text: &str) -> (usize, usize, String) {
    csv_error_with(text.as_bytes(), &CsvOptions::default())
}

fn csv_error_with(bytes: &[u8], opts: &CsvOptions) -> (usize, usize, String) {
    let err = Table::parse_with("mem.csv", bytes, opts).expect_err("an error");
    let Error::Csv {
        line,
        column,
        reason,
        ..
    } = err
    else {
        panic!("expected a CSV error, got {err}")
    };
    (line, column, reason)
}

#[test]
fn features_come_out_as_columns() {
    // Two samples (1, 2) and (3, 4.5): X = [[1, 3], [2, 4.5]] (n = 2 × m = 2).
    let t = read_text("a,b,label\n1,2,0\n3,4.5,1\n").unwrap();
    assert_eq!(t.feature_names(), ["a", "b"]);
    assert_eq!((t.len(), t.num_features()), (2, 2));
    assert_eq!(t.labels(), [0, 1]);
    let x: Batch<2, f64> = t.features().unwrap();
    assert_eq!(x.as_slice(), &[1., 3., 2., 4.5]);
    assert_eq!(t.binary_labels::<f32>().unwrap().as_slice(), &[0., 1.]);
    assert_eq!(t.one_hot::<2, f64>().unwrap().as_slice(), &[1., 0., 0., 1.]);
}

#[test]
fn crlf_spaces_bom_blank_lines_and_missing_final_newline_are_accepted() {
    let t = read_text("\u{feff}a , label\r\n -1.5 , 2\r\n\r\n0,0").unwrap();
    assert_eq!(t.feature_names(), ["a"]);
    assert_eq!(t.features::<1, f64>().unwrap().as_slice(), &[-1.5, 0.]);
    assert_eq!(t.labels(), [2, 0]);
}

#[test]
fn quoted_cells_and_names_are_read() {
    // Before: the hand-written reader split on every comma, so both of these failed.
    let t = Table::parse("q.csv", b"\"width, cm\",\"label\"\n\"1.5\",1\n2,\"0\"\n").unwrap();
    assert_eq!(t.feature_names(), ["width, cm"]);
    assert_eq!(t.features::<1, f64>().unwrap().as_slice(), &[1.5, 2.]);
    assert_eq!(t.labels(), [1, 0]);
}

#[test]
fn the_label_column_is_chosen_by_name_index_or_position_and_any_delimiter() {
    // Before: the label had to be the last column and be named `label`.
    let t = Table::parse("first.csv", b"label,a\n0,1\n").unwrap();
    assert_eq!(
        (t.feature_names(), t.labels()),
        (&["a".to_string()][..], &[0][..])
    );
    let opts = |label| CsvOptions {
        delimiter: b'\t',
        label,
        ..CsvOptions::default()
    };
    let tsv = b"x\tdigit\ty\n1\t7\t2\n";
    let by_name = Table::parse_with("t.tsv", tsv, &opts(LabelColumn::Name("digit".into())));
    let by_index = Table::parse_with("t.tsv", tsv, &opts(LabelColumn::Index(1))).unwrap();
    assert_eq!(by_name.unwrap().labels(), by_index.labels());
    assert_eq!(by_index.feature_names(), ["x", "y"]);
    assert_eq!(by_index.features::<2, f64>().unwrap().as_slice(), &[1., 2.]);
    let last = Table::parse_with("t.tsv", tsv, &opts(LabelColumn::Last)).unwrap();
    assert_eq!(
        (last.labels(), last.feature_names()),
        (&[2][..], &["x".to_string(), "digit".into()][..])
    );
    let (line, column, reason) = csv_error_with(tsv, &opts(LabelColumn::Index(3)));
    assert_eq!((line, column), (1, 0));
    assert_eq!(
        reason,
        "label column index 3 (0-based) is past the 3 columns"
    );
}

#[test]
fn missing_file_is_an_io_error() {
    let path = std::env::temp_dir().join("constnn-csv-does-not-exist.csv");
    let err = Table::read(&path).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().starts_with(&path.display().to_string()));
}

#[test]
fn empty_file_is_rejected() {
    assert_eq!(csv_error("").0, 1);
    assert_eq!(csv_error("\n").2, "empty file, expected a header line");
}

#[test]
fn a_header_without_the_label_column_is_rejected() {
    let (line, column, reason) = csv_error("a,b,c\n1,2,3\n");
    assert_eq!((line, column), (1, 0));
    assert_eq!(
        reason,
        "no label column named `label` (columns: `a`, `b`, `c`)"
    );
}

#[test]
fn bad_column_names_are_rejected() {
    assert_eq!(csv_error("a,,label\n").1, 2);
    let (_, column, reason) = csv_error("a,b,a,label\n1,2,3,0\n");
    assert_eq!(
        (column, reason.as_str()),
        (3, "column name `a` repeats column 1")
    );
    assert_eq!(
        csv_error("label\n0\n").2,
        "no feature columns beside the label column `label`"
    );
}

#[test]
fn header_only_has_no_samples() {
    assert_eq!(
        csv_error("a,label\n"),
        (2, 0, "no samples after the header".into())
    );
}

#[test]
fn row_with_the_wrong_cell_count_names_line_and_column() {
    // Line 3 has 2 cells of 3: the first missing one is column 3.
    let (line, column, reason) = csv_error("a,b,label\n1,2,0\n1,2\n");
    assert_eq!((line, column), (3, 3));
    assert_eq!(reason, "expected 3 cells as in the header, found 2");
    // One cell too many: the first extra one is column 4.
    assert_eq!(csv_error("a,b,label\n1,2,0,9\n").1, 4);
    // Lines count the skipped empty ones, with either line ending (the `csv` crate's own
    // record positions count neither).
    assert_eq!(csv_error("a,label\n1,0\n\n2\n").0, 4);
    assert_eq!(csv_error("a,label\r\n1,0\r\n\r\n2\r\n").0, 4);
    assert_eq!(csv_error("\"a\nb\",label\n1,0\n2\n").0, 4);
}

#[test]
fn non_numeric_cell_is_quoted() {
    let (line, column, reason) = csv_error("a,b,label\n1,2,0\n1,x7,1\n");
    assert_eq!((line, column), (3, 2));
    assert_eq!(reason, "`x7` is not a number");
    assert_eq!(
        csv_error("a,label\nNaN,0\n").2,
        "`NaN` is not a finite number"
    );
    assert_eq!(
        csv_error("a,label\n,0\n").2,
        "empty cell, expected a number"
    );
}

#[test]
fn messages_quote_only_a_short_prefix() {
    // Before: the whole cell or header went into the message (1 GiB in one test).
    let cell = "x".repeat(100_000);
    let (_, _, reason) = csv_error(&format!("a,label\n{cell},0\n"));
    assert_eq!(
        reason,
        format!("`{}…` (100000 bytes) is not a number", "x".repeat(32))
    );
    let (_, _, reason) = csv_error(&format!("{cell},{cell}\n1,2\n"));
    assert!(reason.len() < 200, "{} bytes", reason.len());
    // Characters, not bytes: a prefix never splits a UTF-8 sequence.
    assert_eq!(
        short(&"é".repeat(40)),
        format!("`{}…` (80 bytes)", "é".repeat(32))
    );
}

#[test]
fn reads_stop_at_the_bounds() {
    // Before: `Table::read("/dev/zero")` read until memory ran out.
    if Path::new("/dev/zero").exists() {
        let err = Table::read("/dev/zero").unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero:1: column 0: the line is longer than the 1048576 bytes allowed"
        );
    }
    let opts = CsvOptions {
        max_bytes: 20,
        ..CsvOptions::default()
    };
    let (line, column, reason) = csv_error_with(b"a,label\n1,0\n2,1\n3,0\n4,1\n", &opts);
    // Byte 21 is the `4` that starts line 5.
    assert_eq!((line, column), (5, 0));
    assert_eq!(reason, "the file is longer than the 20 bytes allowed");
}

#[test]
fn label_must_be_a_non_negative_integer() {
    let (line, column, reason) = csv_error("a,label\n1,0\n2,1.5\n");
    assert_eq!((line, column), (3, 2));
    assert_eq!(reason, "label `1.5` is not an integer class id");
    assert_eq!(
        csv_error("a,label\n1,-1\n").2,
        "label `-1` is negative, expected a class id ≥ 0"
    );
    assert_eq!(
        csv_error("a,label\n1,cat\n").2,
        "label `cat` is not an integer class id"
    );
    assert_eq!(csv_error("a,label\n1,\n").1, 2);
}

#[test]
fn invalid_utf8_names_its_line_and_column() {
    let err = Table::parse("mem.csv", b"a,label\n1,0\n\xff,1\n").unwrap_err();
    assert_eq!(err.to_string(), "mem.csv:3: column 1: not valid UTF-8");
}

#[test]
fn wrong_feature_count_names_file_and_both_counts() {
    let t = Table::parse("three.csv", b"a,b,c,label\n1,2,3,0\n").unwrap();
    let err = t.features::<2, f64>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "three.csv: has 3 feature columns, the program expects N = 2"
    );
}

#[test]
fn mangled_input_never_panics() {
    // Seeded byte mutations of a valid file: every outcome is Ok or Err, never a panic.
    use rand::{RngExt, SeedableRng, rngs::StdRng};
    let valid = b"a,b,label\n1.5,-2,0\n\"3\",4e2,1\n".to_vec();
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..2000 {
        let mut bytes = valid.clone();
        for _ in 0..rng.random_range(1..4) {
            let at = rng.random_range(0..bytes.len());
            bytes[at] = *b",\n-.0x \xff9\""
                .get(rng.random_range(0..11))
                .unwrap_or(&b'1');
        }
        let _ = Table::parse("fuzz.csv", &bytes);
    }
}

#[test]
fn breast_cancer_has_569_samples_of_30_features() {
    // Counts from data/README.md: 212 malignant (0), 357 benign (1).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/breast_cancer.csv");
    let t = Table::read(path).unwrap();
    assert_eq!((t.len(), t.num_features()), (569, 30));
    assert_eq!(t.labels().iter().filter(|&&y| y == 0).count(), 212);
    let x: Batch<30, f64> = t.features().unwrap();
    assert_eq!((x.get(0, 0), x.get(29, 0)), (17.99, 0.1189)); // first line of the file
}
