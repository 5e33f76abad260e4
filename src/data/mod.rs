//! Data sets: loading, input normalization and splits (course 1 week 2, course 2 week 1,
//! course 3 week 1).
//!
//! In the notes' layout the samples are **columns**: a data set of `m` samples with `n`
//! features is `X: n × m`, its labels `Y: 1 × m` (binary) or `K × m` (one-hot). A CSV file has
//! one sample per **line**, so [`Table`] transposes once when it hands out a
//! [`Batch<N>`](crate::tensor::Batch).
//!
//! * [`Table`]: a CSV file with a header, feature columns and a label column (by name, index
//!   or last; [`CsvOptions`]).
//! * [`one_hot`], [`binary_labels`]: labels `y⁽ⁱ⁾` as the matrix `Y` a loss takes.
//! * [`Standardizer`]: `x := (x − μ) / σ` per feature, with `μ`, `σ²` from the training set
//!   only and reused on the dev and test sets.
//! * [`Split`]: the fixed "mod 5" train/test split, a seeded shuffled train/dev/test split, a
//!   seeded dev hold-out from a fixed training set, and a train-dev set.
//! * [`idx`], [`Mnist`]: IDX files (gzipped or plain) and the MNIST digits as `X: 784 × m`.
//! * [`augment`]: seeded random shifts, rotations (bilinear) and noise for image batches.
//! * [`fmt_sig`]: numbers with a fixed count of significant digits, for cost traces.
//!
//! ```no_run
//! use constnn::data::{Split, Standardizer, Table};
//! use constnn::tensor::Batch;
//!
//! # fn main() -> constnn::Result<()> {
//! let table = Table::read("data/breast_cancer.csv")?;
//! let x: Batch<30, f64> = table.features()?;          // 30 × 569
//! let y: Batch<1, f64> = table.binary_labels()?;      //  1 × 569
//! let split = Split::mod5(table.len());
//! let (x_train, x_test) = (x.select(&split.train), x.select(&split.test));
//! let norm = Standardizer::fit(&x_train)?;            // μ, σ of the 455 training columns
//! let (x_train, x_test) = (norm.transform(&x_train), norm.transform(&x_test));
//! # let _ = (y, x_train, x_test);
//! # Ok(())
//! # }
//! ```

pub mod augment;
pub mod csv;
pub mod idx;
pub mod label;
pub mod mnist;
pub mod report;
pub mod split;
pub mod standardize;

pub use csv::{CsvOptions, LabelColumn, Table};
pub use label::{binary_labels, one_hot};
pub use mnist::Mnist;
pub use report::fmt_sig;
pub use split::Split;
pub use standardize::Standardizer;
