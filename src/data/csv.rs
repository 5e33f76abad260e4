//! Tabular data sets from CSV files: one sample per row, features and a class id, read with
//! the [`csv`](https://docs.rs/csv) crate (RFC 4180 quoting, any delimiter).
//!
//! The format (that of every CSV file under `data/`):
//!
//! ```text
//! mean_radius,mean_texture,…,label      ← header: column names
//! 17.99,10.38,…,0                       ← one sample: numbers, and a class id ≥ 0
//! ```
//!
//! The label column is found by its name (`label` by default), its index, or as the last
//! column ([`LabelColumn`]); every other column is a feature. Cells may be quoted (`"1.5"`,
//! `"a, b"` as a column name) and spaces around them are ignored; empty lines are skipped.
//! Features parse as finite `f64`, labels as non-negative integers. UTF-8, `\n` or `\r\n`
//! line endings, an optional byte-order mark.
//!
//! Reads are bounded ([`CsvOptions::max_bytes`], [`CsvOptions::max_line_bytes`]), and error
//! messages quote at most the first 32 characters of a cell or column name.
//!
//! A file holds `m` samples, one per row. The notes put samples in **columns**, so
//! [`Table::features`] returns `X: n × m`, feature `i` of sample `j` at `(i, j)`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::label::{binary_labels_of, one_hot_of};
use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

mod bounded;
use bounded::Bounded;

/// Which column holds the class ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelColumn {
    /// The column with this name in the header.
    Name(String),
    /// The column at this 0-based position.
    Index(usize),
    /// The last column.
    Last,
}

/// How [`Table::read_with`] reads a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The field delimiter. Default `b','` (`b';'`, `b'\t'` for others).
    pub delimiter: u8,
    /// The label column. Default: the column named `label`.
    pub label: LabelColumn,
    /// The most bytes read; a longer file is refused. Default 256 MiB (MNIST's 60 000
    /// training images as CSV are 110 MB).
    pub max_bytes: u64,
    /// The most bytes on one line; a longer line is refused. Default 1 MiB.
    pub max_line_bytes: u64,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: b',',
            label: LabelColumn::Name("label".into()),
            max_bytes: 256 << 20,
            max_line_bytes: 1 << 20,
        }
    }
}

/// A CSV data set: `m` samples of `n` features and a class id each.
#[derive(Clone, Debug)]
pub struct Table {
    path: PathBuf,
    names: Vec<String>,
    values: Vec<f64>, // m × n, one sample after another, as in the file
    labels: Vec<usize>,
}

/// `text` as quoted in messages: at most 32 characters, then `…`.
pub(crate) fn short(text: &str) -> String {
    const SHOWN: usize = 32;
    match text.char_indices().nth(SHOWN) {
        None => format!("`{text}`"),
        Some((at, _)) => format!("`{}…` ({} bytes)", &text[..at], text.len()),
    }
}

impl Table {
    /// Reads and checks a CSV file with the default [`CsvOptions`] (comma-separated, labels
    /// in the column named `label`).
    ///
    /// # Errors
    /// * [`Error::Io`] when the file cannot be read.
    /// * [`Error::Csv`] with the 1-based line (the header is line 1) and column for an empty
    ///   file, a missing label column, an empty or repeated column name, a row with the wrong
    ///   number of cells, a cell that is not valid UTF-8, a feature that is not a finite
    ///   number, a label that is not a non-negative integer, a file with no samples, or a
    ///   file or line longer than the options allow. Column 0 means the whole line.
    pub fn read(path: impl AsRef<Path>) -> Result<Self> {
        Self::read_with(path, &CsvOptions::default())
    }

    /// [`Table::read`] with other options.
    ///
    /// ```
    /// use constnn::data::{CsvOptions, LabelColumn, Table};
    /// let opts = CsvOptions { delimiter: b';', label: LabelColumn::Index(0), ..CsvOptions::default() };
    /// let t = Table::parse_with("mem.csv", b"class;\"width, cm\";h\n1;\"2.5\";3\n", &opts)?;
    /// assert_eq!((t.feature_names(), t.labels()), (&["width, cm".to_string(), "h".into()][..], &[1][..]));
    /// # Ok::<(), constnn::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Table::read`].
    pub fn read_with(path: impl AsRef<Path>, opts: &CsvOptions) -> Result<Self> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_reader(path, file, opts)
    }

    /// Parses the contents of a CSV file with the default options; `path` only names the
    /// file in errors.
    ///
    /// # Errors
    /// As [`Table::read`], without [`Error::Io`].
    pub fn parse(path: impl AsRef<Path>, bytes: &[u8]) -> Result<Self> {
        Self::parse_with(path, bytes, &CsvOptions::default())
    }

    /// [`Table::parse`] with other options.
    ///
    /// # Errors
    /// As [`Table::read`], without [`Error::Io`].
    pub fn parse_with(path: impl AsRef<Path>, bytes: &[u8], opts: &CsvOptions) -> Result<Self> {
        Self::from_reader(path.as_ref(), bytes, opts)
    }

    fn from_reader(path: &Path, input: impl Read, opts: &CsvOptions) -> Result<Self> {
        let fail = |line: u64, column: usize, reason: String| Error::Csv {
            path: path.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
            column,
            reason,
        };
        // The whole file, within the bounds, so that errors can name real lines: the `csv`
        // crate's record positions count neither empty lines nor `\r\n` endings.
        let mut bytes = Vec::new();
        let mut bounded = Bounded::new(input, opts.max_bytes, opts.max_line_bytes);
        if let Err(source) = bounded.read_to_end(&mut bytes) {
            return Err(match bounded.exceeded() {
                Some((line, reason)) => fail(line, 0, reason),
                None => Error::Io {
                    path: path.to_owned(),
                    source,
                },
            });
        }
        let line_of = |record: &::csv::ByteRecord| {
            let at = record.position().map_or(0, |p| p.byte());
            line_at(&bytes, usize::try_from(at).unwrap_or(usize::MAX))
        };
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(opts.delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(::csv::Trim::All)
            .from_reader(bytes.as_slice());
        // With a flexible reader over a slice, no error is expected; report one as is.
        let read_error = |e: ::csv::Error| {
            let at = e.position().map_or(0, |p| p.byte());
            fail(
                line_at(&bytes, usize::try_from(at).unwrap_or(usize::MAX)),
                0,
                e.to_string(),
            )
        };
        let mut record = ::csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(read_error)? {
            return Err(fail(1, 0, "empty file, expected a header line".into()));
        }
        let header = record.clone();
        let head = line_of(&header);
        let names = cells(&header, head).map_err(|(c, r)| fail(head, c, r))?;
        let width = names.len();
        let mut seen = HashMap::new();
        for (c, name) in names.iter().enumerate() {
            if name.is_empty() {
                return Err(fail(head, c + 1, "empty column name".into()));
            }
            if let Some(first) = seen.insert(*name, c + 1) {
                let reason = format!("column name {} repeats column {first}", short(name));
                return Err(fail(head, c + 1, reason));
            }
        }
        let label = label_index(&names, &opts.label).map_err(|r| fail(head, 0, r))?;
        if width == 1 {
            let reason = format!(
                "no feature columns beside the label column {}",
                short(names[0])
            );
            return Err(fail(head, 1, reason));
        }
        let feature_names = (names.iter().enumerate())
            .filter(|&(c, _)| c != label)
            .map(|(_, n)| (*n).to_owned())
            .collect();
        let (mut values, mut labels) = (Vec::new(), Vec::new());
        loop {
            if !reader.read_byte_record(&mut record).map_err(read_error)? {
                break;
            }
            let line = line_of(&record);
            let count = record.len();
            if count != width {
                let column = if count < width { count + 1 } else { width + 1 };
                let reason = format!("expected {width} cells as in the header, found {count}");
                return Err(fail(line, column, reason));
            }
            let row = cells(&record, line).map_err(|(c, r)| fail(line, c, r))?;
            for (c, cell) in row.iter().enumerate() {
                if c == label {
                    labels.push(parse_label(cell).map_err(|r| fail(line, c + 1, r))?);
                } else {
                    values.push(parse_feature(cell).map_err(|r| fail(line, c + 1, r))?);
                }
            }
        }
        if labels.is_empty() {
            return Err(fail(2, 0, "no samples after the header".into()));
        }
        Ok(Self {
            path: path.to_owned(),
            names: feature_names,
            values,
            labels,
        })
    }

    /// The file this table was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The feature column names (without the label column), in file order.
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

/// The cells of a record as text (the first line's byte-order mark dropped), or the 1-based
/// column of the first one that is not UTF-8.
fn cells(
    record: &::csv::ByteRecord,
    line: u64,
) -> core::result::Result<Vec<&str>, (usize, String)> {
    (record.iter().enumerate())
        .map(|(c, bytes)| {
            let bytes = match (line, c) {
                (1, 0) => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
                _ => bytes,
            };
            std::str::from_utf8(bytes).map_err(|_| (c + 1, "not valid UTF-8".to_string()))
        })
        .collect()
}

/// The 1-based line of the record the `csv` crate places at byte `at`: it may place it on the
/// line ending before it or on empty lines it skipped, so those are stepped over first.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    let at = at.min(bytes.len());
    let start = at
        + bytes[at..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// The 0-based index of the label column.
fn label_index(names: &[&str], label: &LabelColumn) -> core::result::Result<usize, String> {
    let listed = || {
        let shown: Vec<String> = names.iter().take(8).map(|n| short(n)).collect();
        let more = if names.len() > 8 { ", …" } else { "" };
        format!("{}{more}", shown.join(", "))
    };
    match label {
        LabelColumn::Name(name) => names.iter().position(|n| n == name).ok_or_else(|| {
            format!(
                "no label column named {} (columns: {})",
                short(name),
                listed()
            )
        }),
        LabelColumn::Index(i) if *i < names.len() => Ok(*i),
        LabelColumn::Index(i) => Err(format!(
            "label column index {i} (0-based) is past the {} columns",
            names.len()
        )),
        LabelColumn::Last => Ok(names.len() - 1), // a record has at least one cell
    }
}

fn parse_feature(cell: &str) -> core::result::Result<f64, String> {
    if cell.is_empty() {
        return Err("empty cell, expected a number".into());
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(format!("{} is not a finite number", short(cell))),
        Err(_) => Err(format!("{} is not a number", short(cell))),
    }
}

fn parse_label(cell: &str) -> core::result::Result<usize, String> {
    let negative = cell
        .strip_prefix('-')
        .is_some_and(|c| c.parse::<f64>().is_ok());
    match cell.parse::<usize>() {
        Ok(y) => Ok(y),
        Err(_) if cell.is_empty() => Err("empty label, expected a class id".into()),
        Err(_) if negative => Err(format!(
            "label {} is negative, expected a class id ≥ 0",
            short(cell)
        )),
        Err(_) => Err(format!("label {} is not an integer class id", short(cell))),
    }
}

/// An I/O error standing for an exceeded bound (the reader keeps the details).
fn bound_error() -> io::Error {
    io::Error::other("read bound exceeded")
}

#[cfg(test)]
mod tests;
