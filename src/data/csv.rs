//! Tabular data sets from CSV files: one sample per line, the class id in the last column.
//!
//! The format (that of every CSV file under `data/`):
//!
//! ```text
//! mean_radius,mean_texture,…,label      ← header: feature names, then `label`
//! 17.99,10.38,…,0                       ← one sample: n numbers, then a class id ≥ 0
//! ```
//!
//! UTF-8, `\n` or `\r\n` line endings, no quoting; spaces around a cell are ignored. Features
//! parse as finite `f64`, labels as non-negative integers.
//!
//! A file holds `m` samples, one per line. The notes put samples in **columns**, so
//! [`Table::features`] returns `X: n × m`, feature `i` of sample `j` at `(i, j)`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::label::{binary_labels_of, one_hot_of};
use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

/// A CSV data set: `m` samples of `n` features and a class id each.
#[derive(Clone, Debug)]
pub struct Table {
    path: PathBuf,
    names: Vec<String>,
    values: Vec<f64>, // m × n, one sample after another, as in the file
    labels: Vec<usize>,
}

impl Table {
    /// Reads and checks a CSV file (format in the [module docs](self)).
    ///
    /// # Errors
    /// * [`Error::Io`] when the file cannot be read.
    /// * [`Error::Csv`] with the 1-based line (the header is line 1) and column for an empty
    ///   file, a header without a last column `label`, an empty or repeated column name, a
    ///   row with the wrong number of cells, a feature that is not a finite number, a label
    ///   that is not a non-negative integer, or a file with no samples. Column 0 means the
    ///   whole line.
    pub fn read(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &bytes)
    }

    /// Parses the contents of a CSV file; `path` only names the file in errors.
    ///
    /// # Errors
    /// As [`Table::read`], without [`Error::Io`].
    pub fn parse(path: impl AsRef<Path>, bytes: &[u8]) -> Result<Self> {
        let path = path.as_ref();
        let fail = |line: usize, column: usize, reason: String| Error::Csv {
            path: path.to_owned(),
            line,
            column,
            reason,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            fail(line, 0, "not valid UTF-8".into())
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines();
        let header = lines.next().unwrap_or("");
        if header.trim().is_empty() {
            return Err(fail(1, 0, "empty file, expected a header line".into()));
        }
        let names: Vec<&str> = header.split(',').map(str::trim).collect();
        let width = names.len();
        let mut seen = HashMap::new();
        for (c, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(fail(1, c + 1, "empty column name".into()));
            }
            if let Some(first) = seen.insert(*name, c + 1) {
                let reason = format!("column name `{name}` repeats column {first}");
                return Err(fail(1, c + 1, reason));
            }
        }
        // `split` yields at least one cell, so `width ≥ 1`.
        let last = names[width - 1];
        if last != "label" {
            let reason = format!("last column is `{last}`, expected `label`");
            return Err(fail(1, width, reason));
        }
        if width == 1 {
            return Err(fail(1, 1, "no feature columns before `label`".into()));
        }
        let n = width - 1;
        let (mut values, mut labels) = (Vec::new(), Vec::new());
        for (k, row) in lines.enumerate() {
            let line = k + 2;
            if row.trim().is_empty() {
                return Err(fail(line, 0, format!("blank line, expected {width} cells")));
            }
            let count = row.split(',').count();
            if count != width {
                let column = if count < width { count + 1 } else { width + 1 };
                let reason = format!("expected {width} cells as in the header, found {count}");
                return Err(fail(line, column, reason));
            }
            for (c, cell) in row.split(',').map(str::trim).enumerate() {
                if c < n {
                    values.push(parse_feature(cell).map_err(|r| fail(line, c + 1, r))?);
                } else {
                    labels.push(parse_label(cell).map_err(|r| fail(line, c + 1, r))?);
                }
            }
        }
        if labels.is_empty() {
            return Err(fail(2, 0, "no samples after the header".into()));
        }
        Ok(Self {
            path: path.to_owned(),
            names: names[..n].iter().map(|s| (*s).to_owned()).collect(),
            values,
            labels,
        })
    }

    /// The file this table was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The feature column names (without `label`), in file order.
    pub fn feature_names(&self) -> &[String] {
        &self.names
    }

    /// The number of features `n`.
    pub fn num_features(&self) -> usize {
        self.names.len()
    }

    /// The number of samples `m`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// `true` when there are no samples (never for a table that was read successfully).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The class id `y⁽ⁱ⁾` of every sample, in file order.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The features as `X: N × m`, one column per sample, in file order.
    ///
    /// # Errors
    /// [`Error::Data`] naming the file and both counts when the file does not have `N`
    /// feature columns.
    pub fn features<const N: usize, T: Scalar>(&self) -> Result<Batch<N, T>> {
        let n = self.num_features();
        if n != N {
            return Err(Error::Data {
                what: self.path.display().to_string(),
                reason: format!("has {n} feature columns, the program expects N = {N}"),
            });
        }
        let v = &self.values;
        Ok(Batch::from_fn(self.len(), |i, j| T::of(v[j * n + i])))
    }

    /// The labels as `Y: 1 × m` of 0s and 1s (binary classification).
    ///
    /// # Errors
    /// [`Error::Data`] naming the file when a label is neither 0 nor 1.
    pub fn binary_labels<T: Scalar>(&self) -> Result<Batch<1, T>> {
        binary_labels_of(&self.path.display().to_string(), &self.labels)
    }

    /// The labels as the one-hot `Y: K × m` (see [`one_hot`](super::one_hot)).
    ///
    /// # Errors
    /// [`Error::Data`] naming the file when a label is `≥ K`.
    pub fn one_hot<const K: usize, T: Scalar>(&self) -> Result<Batch<K, T>> {
        one_hot_of(&self.path.display().to_string(), &self.labels)
    }
}

fn parse_feature(cell: &str) -> core::result::Result<f64, String> {
    if cell.is_empty() {
        return Err("empty cell, expected a number".into());
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(format!("`{cell}` is not a finite number")),
        Err(_) => Err(format!("`{cell}` is not a number")),
    }
}

fn parse_label(cell: &str) -> core::result::Result<usize, String> {
    let negative = cell.starts_with('-') && cell[1..].parse::<f64>().is_ok();
    match cell.parse::<usize>() {
        Ok(y) => Ok(y),
        Err(_) if cell.is_empty() => Err("empty label, expected a class id".into()),
        Err(_) if negative => Err(format!(
            "label `{cell}` is negative, expected a class id ≥ 0"
        )),
        Err(_) => Err(format!("label `{cell}` is not an integer class id")),
    }
}

#[cfg(test)]
mod tests {
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
        let err = read_text(text).expect_err(text);
        let Error::Csv {
            line,
            column,
            reason,
            ..
        } = err
        else {
            panic!("expected a CSV error for {text:?}, got {err}")
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
    fn crlf_spaces_bom_and_missing_final_newline_are_accepted() {
        let t = read_text("\u{feff}a , label\r\n -1.5 , 2\r\n0,0").unwrap();
        assert_eq!(t.features::<1, f64>().unwrap().as_slice(), &[-1.5, 0.]);
        assert_eq!(t.labels(), [2, 0]);
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
    fn header_without_label_last_is_rejected() {
        let (line, column, reason) = csv_error("a,b,c\n1,2,3\n");
        assert_eq!((line, column), (1, 3));
        assert_eq!(reason, "last column is `c`, expected `label`");
        assert_eq!(csv_error("label,a\n0,1\n").1, 2);
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
            "no feature columns before `label`"
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
        assert_eq!(csv_error("a,label\n1,0\n\n2,1\n").0, 3);
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
    fn invalid_utf8_names_its_line() {
        let err = Table::parse("mem.csv", b"a,label\n1,0\n\xff,1\n").unwrap_err();
        assert_eq!(err.to_string(), "mem.csv:3: column 0: not valid UTF-8");
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
        let valid = b"a,b,label\n1.5,-2,0\n3,4e2,1\n".to_vec();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..2000 {
            let mut bytes = valid.clone();
            for _ in 0..rng.random_range(1..4) {
                let at = rng.random_range(0..bytes.len());
                bytes[at] = *b",\n-.0x \xff9"
                    .get(rng.random_range(0..10))
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
}
