//! Train / dev / test sets (course 3, week 1; course 1 uses a plain train/test split).
//!
//! A split is three lists of sample indices (column indices of `X`), to be applied with
//! [`Batch::select`](crate::tensor::Batch::select):
//!
//! * [`Split::mod5`]: sample `i` is a test sample when `i mod 5 = 4`, every other one trains;
//!   no shuffling, no seed, so it gives the same split everywhere (20 % test).
//! * [`Split::shuffled`]: a seeded random permutation cut into train, dev and test fractions
//!   (e.g. 60/20/20 for small data, 98/1/1 for a million samples, as in the notes).

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::{Error, Result};

/// Sample indices of the training, dev (hold-out / cross-validation) and test sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Samples to fit the parameters on.
    pub train: Vec<usize>,
    /// Samples to choose hyperparameters on (empty for [`Split::mod5`]).
    pub dev: Vec<usize>,
    /// Samples for the final, unbiased estimate.
    pub test: Vec<usize>,
}

impl Split {
    /// Sample `i < m` is a test sample when `i % 5 == 4`, a training sample otherwise, both
    /// in increasing order; `dev` is empty.
    ///
    /// ```
    /// use constnn::data::Split;
    /// let s = Split::mod5(11);
    /// assert_eq!(s.test, [4, 9]);
    /// assert_eq!(s.train, [0, 1, 2, 3, 5, 6, 7, 8, 10]);
    /// ```
    pub fn mod5(m: usize) -> Self {
        let (test, train) = (0..m).partition(|i| i % 5 == 4);
        Self {
            train,
            dev: Vec::new(),
            test,
        }
    }

    /// Shuffles `0..m` with a [`StdRng`] seeded by `seed`, then takes the first
    /// `round(train · m)` indices for training, the next `round(dev · m)` (at most what is
    /// left) for dev and the rest for test. Within each set the order is the shuffled one.
    ///
    /// The same `seed` gives the same split for a given `rand` version (`StdRng` does not
    /// promise the same stream across versions).
    ///
    /// ```
    /// use constnn::data::Split;
    /// let s = Split::shuffled(10, 0.6, 0.2, 42)?;
    /// assert_eq!((s.train.len(), s.dev.len(), s.test.len()), (6, 2, 2));
    /// # Ok::<(), constnn::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] when a fraction is negative or not finite, or `train + dev > 1`.
    pub fn shuffled(m: usize, train: f64, dev: f64, seed: u64) -> Result<Self> {
        let bad = |reason: String| Error::Data {
            what: "split".into(),
            reason,
        };
        for (name, f) in [("train", train), ("dev", dev)] {
            if !(f.is_finite() && f >= 0.0) {
                return Err(bad(format!(
                    "{name} fraction {f} is not a number in [0, 1]"
                )));
            }
        }
        if train + dev > 1.0 + 1e-12 {
            return Err(bad(format!(
                "train + dev fractions are {train} + {dev} > 1, nothing can be left for test"
            )));
        }
        let mut order: Vec<usize> = (0..m).collect();
        order.shuffle(&mut StdRng::seed_from_u64(seed));
        let count = |f: f64| ((f * m as f64).round() as usize).min(m);
        let n_train = count(train);
        let n_dev = count(dev).min(m - n_train);
        let test = order.split_off(n_train + n_dev);
        let dev = order.split_off(n_train);
        Ok(Self {
            train: order,
            dev,
            test,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<usize>) -> Vec<usize> {
        v.sort_unstable();
        v
    }

    #[test]
    fn mod5_puts_every_fifth_sample_in_test() {
        // m = 12: i % 5 == 4 for i = 4 and 9.
        let s = Split::mod5(12);
        assert_eq!(s.test, [4, 9]);
        assert_eq!(s.train, [0, 1, 2, 3, 5, 6, 7, 8, 10, 11]);
        assert!(s.dev.is_empty());
    }

    #[test]
    fn mod5_of_breast_cancer_is_456_train_113_test() {
        // 569 = 5·113 + 4: the test indices are 4, 9, …, 564 (113 of them).
        let s = Split::mod5(569);
        assert_eq!((s.train.len(), s.test.len()), (456, 113));
        assert_eq!(s.test.last(), Some(&564));
    }

    #[test]
    fn shuffled_partitions_every_index_once() {
        let s = Split::shuffled(103, 0.7, 0.15, 3).unwrap();
        // round(72.1) = 72, round(15.45) = 15, 103 − 87 = 16.
        assert_eq!((s.train.len(), s.dev.len(), s.test.len()), (72, 15, 16));
        let all = sorted([s.train, s.dev, s.test].concat());
        assert_eq!(all, (0..103).collect::<Vec<_>>());
    }

    #[test]
    fn shuffled_is_reproducible_from_its_seed() {
        let a = Split::shuffled(50, 0.6, 0.2, 9).unwrap();
        assert_eq!(a, Split::shuffled(50, 0.6, 0.2, 9).unwrap());
        assert_ne!(a, Split::shuffled(50, 0.6, 0.2, 10).unwrap());
        assert_ne!(a.train, sorted(a.train.clone()), "the order is shuffled");
    }

    #[test]
    fn shuffled_handles_edges() {
        let all_train = Split::shuffled(5, 1.0, 0.0, 0).unwrap();
        assert_eq!((all_train.train.len(), all_train.test.len()), (5, 0));
        let empty = Split::shuffled(0, 0.5, 0.5, 0).unwrap();
        assert!(empty.train.is_empty() && empty.dev.is_empty() && empty.test.is_empty());
        // 0.5·3 and 0.5·3 both round to 2: dev gets only the 1 that is left.
        let s = Split::shuffled(3, 0.5, 0.5, 0).unwrap();
        assert_eq!((s.train.len(), s.dev.len(), s.test.len()), (2, 1, 0));
    }

    #[test]
    fn shuffled_rejects_bad_fractions() {
        for (train, dev) in [
            (0.8, 0.3),
            (-0.1, 0.5),
            (f64::NAN, 0.1),
            (0.5, f64::INFINITY),
        ] {
            let err = Split::shuffled(10, train, dev, 0).unwrap_err();
            assert!(matches!(err, Error::Data { .. }), "{err}");
        }
    }
}
