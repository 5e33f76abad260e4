//! MNIST handwritten digits (course 4's LeNet-5 data): 28 × 28 grey images of the digits
//! 0 to 9, 60000 for training and 10000 for testing, in the [IDX](super::idx) format.
//!
//! [`Mnist::load`] reads the images and labels files of one [`Part`] from a directory
//! (`data/mnist/` in this repository) and returns `X: 784 × m`, one column per image with
//! pixel `p = 28·row + col` at row `p` scaled to `[0, 1]` (0 background, 1 ink), and the
//! digits `y⁽ⁱ⁾` as class ids. The official test set is `t10k`; for a dev set, hold out part
//! of the 60000 training images with [`Split::holdout`](super::Split::holdout).
//!
//! Fashion-MNIST uses the same file names, format and ten classes, so the loader reads a
//! Fashion-MNIST directory too.
//!
//! ```
//! use constnn::data::mnist::{Mnist, Part};
//!
//! let test = Mnist::<f32>::load_first("data/mnist", Part::Test, 100)?;
//! assert_eq!(test.x.batch_size(), 100);          // X: 784 × 100
//! assert_eq!(test.labels[..3], [7, 2, 1]);
//! # Ok::<(), constnn::Error>(())
//! ```

use std::path::{Path, PathBuf};

use super::idx::{self, Images};
use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

/// Pixel rows of an image.
pub const ROWS: usize = 28;
/// Pixel columns of an image.
pub const COLS: usize = 28;
/// Features per sample: `n⁽⁰⁾ = 28 · 28 = 784`.
pub const PIXELS: usize = ROWS * COLS;
/// Number of classes (the digits 0 to 9).
pub const CLASSES: usize = 10;

/// One of the two official parts of the data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The 60000 training images (`train-*`).
    Train,
    /// The 10000 test images (`t10k-*`).
    Test,
}

impl Part {
    /// The images file name, gzipped (`train-images-idx3-ubyte.gz`, `t10k-images-idx3-ubyte.gz`).
    pub fn images_file(self) -> &'static str {
        match self {
            Part::Train => "train-images-idx3-ubyte.gz",
            Part::Test => "t10k-images-idx3-ubyte.gz",
        }
    }

    /// The labels file name, gzipped (`train-labels-idx1-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`).
    pub fn labels_file(self) -> &'static str {
        match self {
            Part::Train => "train-labels-idx1-ubyte.gz",
            Part::Test => "t10k-labels-idx1-ubyte.gz",
        }
    }
}

/// Images and labels of one part of MNIST.
#[derive(Clone, Debug, PartialEq)]
pub struct Mnist<T = f32> {
    /// `X: 784 × m`, pixel values `byte / 255` in `[0, 1]`, one column per image.
    pub x: Batch<PIXELS, T>,
    /// The digit of each image, `0 ≤ y⁽ⁱ⁾ ≤ 9`.
    pub labels: Vec<usize>,
}

impl<T: Scalar> Mnist<T> {
    /// Reads all images and labels of `part` from `dir`. Each file is looked up by its `.gz`
    /// name ([`Part::images_file`]) and, when that does not exist, without the `.gz`; either
    /// may be gzipped or plain.
    ///
    /// # Errors
    /// * [`Error::Io`] when a file cannot be opened or read.
    /// * [`Error::Idx`] naming the file for any error of [`idx::read_images`] or
    ///   [`idx::read_labels`], images that are not 28 × 28, a labels file whose count differs
    ///   from the images file's, or a label above 9.
    pub fn load(dir: impl AsRef<Path>, part: Part) -> Result<Self> {
        Self::read(dir.as_ref(), part, None)
    }

    /// Reads the first `n` images and labels of `part` (all of them when there are fewer),
    /// decompressing only as much as that needs: for fast tests and smoke runs.
    ///
    /// # Errors
    /// As [`Mnist::load`], for the header and the first `n` samples.
    pub fn load_first(dir: impl AsRef<Path>, part: Part, n: usize) -> Result<Self> {
        Self::read(dir.as_ref(), part, Some(n))
    }

    /// The number of samples `m`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there is no sample.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    fn read(dir: &Path, part: Part, limit: Option<usize>) -> Result<Self> {
        let labels_path = find(dir, part.labels_file());
        let (label_count, labels) = idx::read_labels_counted(&labels_path, limit)?;
        if let Some(i) = labels.iter().position(|&y| usize::from(y) >= CLASSES) {
            return Err(Error::Idx {
                path: labels_path,
                reason: format!(
                    "sample {} has label {}, expected a digit from 0 to 9",
                    i + 1,
                    labels[i]
                ),
            });
        }
        let images_path = find(dir, part.images_file());
        let images: Images = match limit {
            Some(n) => idx::read_images_first(&images_path, n)?,
            None => idx::read_images(&images_path)?,
        };
        images.check_dims(ROWS, COLS)?;
        if images.count_in_file() != label_count {
            return Err(Error::Idx {
                path: labels_path,
                reason: format!(
                    "{label_count} labels for the {} images of {}",
                    images.count_in_file(),
                    images_path.display()
                ),
            });
        }
        Ok(Self {
            x: images.to_batch()?,
            labels: labels.into_iter().map(usize::from).collect(),
        })
    }
}

/// `dir/name`, or `dir/name` without `.gz` when only the uncompressed file exists.
fn find(dir: &Path, name: &str) -> PathBuf {
    let gz = dir.join(name);
    match name.strip_suffix(".gz").map(|plain| dir.join(plain)) {
        Some(plain) if !gz.exists() && plain.exists() => plain,
        _ => gz,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn repo_mnist() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/mnist")
    }

    #[test]
    fn the_test_set_is_10000_digits_with_the_published_first_labels() {
        let test = Mnist::<f32>::load(repo_mnist(), Part::Test).unwrap();
        assert_eq!((test.len(), test.x.batch_size()), (10_000, 10_000));
        // The first 10 t10k labels, as published (shared data README).
        assert_eq!(test.labels[..10], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
        // The widely published class counts of the MNIST test set.
        let mut counts = [0; CLASSES];
        test.labels.iter().for_each(|&y| counts[y] += 1);
        assert_eq!(
            counts,
            [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
        );
        // Bytes 0 (background) and 255 (ink) both occur, so the range is exactly [0, 1].
        let px = test.x.as_slice();
        let (lo, hi) = px
            .iter()
            .fold((1.0f32, 0.0f32), |(l, h), &v| (l.min(v), h.max(v)));
        assert_eq!((lo, hi), (0.0, 1.0));
    }

    #[test]
    fn the_training_labels_are_60000_with_the_published_first_ten() {
        let labels = idx::read_labels(repo_mnist().join(Part::Train.labels_file())).unwrap();
        assert_eq!(labels.len(), 60_000);
        assert_eq!(labels[..10], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
        let first = Mnist::<f64>::load_first(repo_mnist(), Part::Train, 10).unwrap();
        assert_eq!(first.labels, [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
        assert_eq!(first.x.batch_size(), 10);
    }

    /// A fresh directory holding the given gzipped test-part files.
    fn dir_with(name: &str, images: &[u8], labels: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("constnn-mnist-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (file, bytes) in [
            (Part::Test.images_file(), images),
            (Part::Test.labels_file(), labels),
        ] {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(bytes).unwrap();
            std::fs::write(dir.join(file), enc.finish().unwrap()).unwrap();
        }
        dir
    }

    fn header(words: &[u32]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    fn idx_reason(dir: &Path, expected_file: &str) -> String {
        let err = Mnist::<f32>::load(dir, Part::Test).unwrap_err();
        let _ = std::fs::remove_dir_all(dir);
        match err {
            Error::Idx { path, reason } => {
                assert!(path.ends_with(expected_file), "{}", path.display());
                reason
            }
            other => panic!("expected Error::Idx, got {other}"),
        }
    }

    #[test]
    fn a_label_above_9_is_an_error_naming_the_sample() {
        let images = [header(&[idx::IMAGES_MAGIC, 3, 28, 28]), vec![0; 3 * PIXELS]].concat();
        let labels = [header(&[idx::LABELS_MAGIC, 3]), vec![1, 10, 2]].concat();
        let dir = dir_with("label", &images, &labels);
        assert_eq!(
            idx_reason(&dir, Part::Test.labels_file()),
            "sample 2 has label 10, expected a digit from 0 to 9"
        );
    }

    #[test]
    fn images_and_labels_counts_must_agree() {
        let images = [header(&[idx::IMAGES_MAGIC, 2, 28, 28]), vec![0; 2 * PIXELS]].concat();
        let labels = [header(&[idx::LABELS_MAGIC, 3]), vec![1, 2, 3]].concat();
        let dir = dir_with("count", &images, &labels);
        let images_path = dir.join(Part::Test.images_file());
        assert_eq!(
            idx_reason(&dir, Part::Test.labels_file()),
            format!("3 labels for the 2 images of {}", images_path.display())
        );
    }

    #[test]
    fn images_must_be_28_by_28() {
        let images = [header(&[idx::IMAGES_MAGIC, 1, 32, 32]), vec![0; 32 * 32]].concat();
        let labels = [header(&[idx::LABELS_MAGIC, 1]), vec![1]].concat();
        let dir = dir_with("dims", &images, &labels);
        assert_eq!(
            idx_reason(&dir, Part::Test.images_file()),
            "images are 32 × 32, expected 28 × 28"
        );
    }

    #[test]
    fn a_missing_directory_is_an_io_error() {
        let err = Mnist::<f32>::load("no/such/mnist", Part::Train).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with("no/such/mnist/train-labels-idx1-ubyte.gz: ")
        );
    }
}
