//! Train / train-dev / dev / test sets (course 3, weeks 1 and 2; course 1 uses a plain
//! train/test split).
//!
//! A split is four lists of sample indices (column indices of `X`), to be applied with
//! [`Batch::select`](crate::tensor::Batch::select):
//!
//! * [`Split::mod5`]: sample `i` is a test sample when `i mod 5 = 4`, every other one trains;
//!   no shuffling, no seed, so it gives the same split everywhere (20 % test).
//! * [`Split::shuffled`]: a seeded random permutation cut into train, dev and test fractions
//!   (e.g. 60/20/20 for small data, 98/1/1 for a million samples, as in the notes).
//! * [`Split::holdout`]: for a data set that comes with its own test set (MNIST's official
//!   60000 / 10000), a dev set of a fixed size drawn from the training part.
//! * [`Split::with_train_dev`]: moves a seeded random fraction of the training samples into
//!   a **train-dev** set: the training distribution, but not trained on. With the errors on
//!   the four sets, `train − human level` is the avoidable bias, `train-dev − train` the
//!   variance and `dev − train-dev` the data mismatch (course 3, week 2).
//!
//! ```
//! use constnn::data::Split;
//! // MNIST: 60000 training images, the 10000 t10k images are the test set.
//! let s = Split::holdout(60_000, 10_000, 1)?.with_train_dev(0.02, 2)?;
//! assert_eq!((s.train.len(), s.train_dev.len(), s.dev.len()), (49_000, 1_000, 10_000));
//! # Ok::<(), constnn::Error>(())
//! ```

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::{Error, Result};

/// Sample indices of the training, train-dev, dev (hold-out / cross-validation) and test
/// sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Samples to fit the parameters on.
    pub train: Vec<usize>,
    /// Samples of the training distribution that are not trained on, to tell variance from
    /// data mismatch (empty until [`Split::with_train_dev`]).
    pub train_dev: Vec<usize>,
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
            train_dev: Vec::new(),
            dev: Vec::new(),
            test,
        }
    }

    /// Shuffles `0..m` with a [`StdRng`] seeded by `seed`, then takes the first
    /// `round(train · m)` indices for training, the next `round(dev · m)` (at most what is
    /// left) for dev and the rest for test. Within each set the order is the shuffled one;
    /// `train_dev` is empty.
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
    /// [`Error::Data`] when a fraction is not a number in `[0, 1]`, or `train + dev > 1`.
    pub fn shuffled(m: usize, train: f64, dev: f64, seed: u64) -> Result<Self> {
        check_fraction("train", train)?;
        check_fraction("dev", dev)?;
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
            train_dev: Vec::new(),
            dev,
            test,
        })
    }

    /// Holds out `dev_count` of the samples `0..m`, drawn by a [`StdRng`] seeded by `seed`,
    /// as the dev set; the other `m − dev_count` train. Both sets are in increasing order;
    /// `train_dev` and `test` are empty (the data set's own test set stays separate).
    ///
    /// ```
    /// use constnn::data::Split;
    /// let s = Split::holdout(10, 3, 7)?;
    /// assert_eq!((s.train.len(), s.dev.len(), s.test.len()), (7, 3, 0));
    /// # Ok::<(), constnn::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] when `dev_count > m`.
    pub fn holdout(m: usize, dev_count: usize, seed: u64) -> Result<Self> {
        if dev_count > m {
            return Err(bad(format!(
                "cannot hold out {dev_count} dev samples from {m}"
            )));
        }
        let (dev, train) = pick(&(0..m).collect::<Vec<_>>(), dev_count, seed);
        Ok(Self {
            train,
            train_dev: Vec::new(),
            dev,
            test: Vec::new(),
        })
    }

    /// Moves `round(fraction · train.len())` training samples, drawn by a [`StdRng`] seeded
    /// by `seed`, to the end of `train_dev`. Both sets keep the relative order the samples
    /// had in `train`; `dev` and `test` are unchanged.
    ///
    /// ```
    /// use constnn::data::Split;
    /// let s = Split::mod5(20).with_train_dev(0.25, 3)?; // 16 training samples, 4 move
    /// assert_eq!((s.train.len(), s.train_dev.len(), s.test.len()), (12, 4, 4));
    /// # Ok::<(), constnn::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Data`] when `fraction` is not a number in `[0, 1]`.
    pub fn with_train_dev(mut self, fraction: f64, seed: u64) -> Result<Self> {
        check_fraction("train-dev", fraction)?;
        let n = self.train.len();
        let k = ((fraction * n as f64).round() as usize).min(n);
        let (moved, kept) = pick(&self.train, k, seed);
        self.train = kept;
        self.train_dev.extend(moved);
        Ok(self)
    }
}

fn bad(reason: String) -> Error {
    Error::Data {
        what: "split".into(),
        reason,
    }
}

fn check_fraction(name: &str, f: f64) -> Result<()> {
    if (0.0..=1.0).contains(&f) {
        Ok(())
    } else {
        Err(bad(format!(
            "{name} fraction {f} is not a number in [0, 1]"
        )))
    }
}

/// `k ≤ items.len()` items chosen by a seeded shuffle, and the others, both in `items` order.
fn pick(items: &[usize], k: usize, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let mut chosen = vec![false; items.len()];
    order[..k].iter().for_each(|&p| chosen[p] = true);
    let (mut picked, mut rest) = (Vec::with_capacity(k), Vec::new());
    for (&item, &c) in items.iter().zip(&chosen) {
        if c {
            picked.push(item)
        } else {
            rest.push(item)
        }
    }
    (picked, rest)
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
        assert!(s.dev.is_empty() && s.train_dev.is_empty());
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

    /// Every index of `0..m` in exactly one of the four sets.
    fn assert_partition(s: &Split, m: usize) {
        let all = sorted(
            [&s.train, &s.train_dev, &s.dev, &s.test]
                .map(Vec::clone)
                .concat(),
        );
        assert_eq!(all, (0..m).collect::<Vec<_>>());
    }

    #[test]
    fn holdout_draws_a_dev_set_of_the_given_size() {
        let s = Split::holdout(100, 10, 5).unwrap();
        assert_eq!(
            (s.train.len(), s.train_dev.len(), s.dev.len(), s.test.len()),
            (90, 0, 10, 0)
        );
        assert_partition(&s, 100);
        assert_eq!(s.train, sorted(s.train.clone()));
        assert_eq!(s.dev, sorted(s.dev.clone()));
        assert_ne!(
            s.dev,
            (0..10).collect::<Vec<_>>(),
            "drawn, not the first 10"
        );
    }

    #[test]
    fn holdout_is_reproducible_from_its_seed() {
        let a = Split::holdout(1000, 100, 1).unwrap();
        assert_eq!(a, Split::holdout(1000, 100, 1).unwrap());
        assert_ne!(a.dev, Split::holdout(1000, 100, 2).unwrap().dev);
    }

    #[test]
    fn holdout_handles_edges_and_rejects_too_many() {
        let none = Split::holdout(4, 0, 0).unwrap();
        assert_eq!((none.train, none.dev), (vec![0, 1, 2, 3], vec![]));
        let all = Split::holdout(4, 4, 0).unwrap();
        assert_eq!((all.train, all.dev), (vec![], vec![0, 1, 2, 3]));
        let err = Split::holdout(4, 5, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "split: cannot hold out 5 dev samples from 4"
        );
    }

    #[test]
    fn train_dev_comes_out_of_train_only() {
        let s = Split::shuffled(200, 0.8, 0.1, 1).unwrap();
        let t = s.clone().with_train_dev(0.1, 2).unwrap();
        // round(0.1 · 160) = 16 of the 160 training samples move.
        assert_eq!((t.train.len(), t.train_dev.len()), (144, 16));
        assert_eq!((&t.dev, &t.test), (&s.dev, &s.test));
        assert_partition(&t, 200);
        // Both parts are subsequences of the old training order.
        for part in [&t.train, &t.train_dev] {
            let mut rest = s.train.iter();
            assert!(part.iter().all(|i| rest.any(|j| j == i)));
        }
    }

    #[test]
    fn train_dev_is_reproducible_from_its_seed() {
        let a = Split::mod5(500).with_train_dev(0.05, 3).unwrap();
        assert_eq!(a, Split::mod5(500).with_train_dev(0.05, 3).unwrap());
        assert_ne!(
            a.train_dev,
            Split::mod5(500).with_train_dev(0.05, 4).unwrap().train_dev
        );
        assert_partition(&a, 500);
    }

    #[test]
    fn train_dev_rejects_bad_fractions() {
        for f in [-0.1, 1.5, f64::NAN] {
            let err = Split::mod5(10).with_train_dev(f, 0).unwrap_err();
            assert!(
                err.to_string().starts_with("split: train-dev fraction "),
                "{err}"
            );
        }
        let all = Split::mod5(10).with_train_dev(1.0, 0).unwrap();
        assert_eq!((all.train.len(), all.train_dev.len()), (0, 8));
    }
}
