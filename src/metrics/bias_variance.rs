//! Bias, variance and data mismatch from the error at each level (course 3, weeks 1 and 2).
//!
//! ```text
//! human-level (≈ Bayes) ┐
//!                       ├ avoidable bias      = train − human
//! training              ┤
//!                       ├ variance            = train-dev − train
//! train-dev             ┤
//!                       ├ data mismatch       = dev − train-dev
//! dev                   ┤
//!                       └ overfitting to dev  = test − dev
//! test
//! ```
//!
//! The train-dev set comes from the training distribution but is not trained on
//! ([`Split::with_train_dev`](crate::data::Split::with_train_dev)). Without one, `dev − train`
//! is reported as variance and includes any data mismatch. The largest gap says what to work
//! on, and [`Gap::remedies`] lists the notes' knobs for it.
//!
//! ```
//! use constnn::metrics::{BiasVariance, Gap};
//!
//! # fn main() -> constnn::Result<()> {
//! // The notes' example: human 1 %, training 1.5 %, train-dev 2 %, dev 8 %.
//! let report = BiasVariance::new(0.01, 0.015, 0.08)?.with_train_dev(0.02)?;
//! let (gap, size) = report.largest().unwrap();
//! assert_eq!(gap, Gap::DataMismatch);
//! assert!((size - 0.06).abs() < 1e-12);
//! print!("{report}");
//! # Ok(())
//! # }
//! ```

use core::fmt;

use crate::{Error, Result};

/// One of the four gaps between adjacent error levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// `train − human`: the model underfits the training set.
    AvoidableBias,
    /// `train-dev − train` (or `dev − train` without a train-dev set): it does not
    /// generalize to unseen data of the training distribution.
    Variance,
    /// `dev − train-dev`: the dev/test distribution differs from the training distribution.
    DataMismatch,
    /// `test − dev`: the dev set has been tuned to too often.
    DevOverfitting,
}

impl Gap {
    /// The gap's name as the notes write it.
    pub fn name(self) -> &'static str {
        match self {
            Gap::AvoidableBias => "avoidable bias",
            Gap::Variance => "variance",
            Gap::DataMismatch => "data mismatch",
            Gap::DevOverfitting => "overfitting to dev",
        }
    }

    /// What the notes suggest to reduce this gap.
    pub fn remedies(self) -> &'static [&'static str] {
        match self {
            Gap::AvoidableBias => &[
                "train a bigger model",
                "train longer",
                "use a better optimizer (momentum, RMSprop, Adam)",
                "try another architecture or hyperparameters",
            ],
            Gap::Variance => &[
                "get more training data",
                "regularize (L2, dropout, data augmentation)",
                "try another architecture or hyperparameters",
            ],
            Gap::DataMismatch => &[
                "do error analysis to learn how training and dev/test data differ",
                "make training data more like dev/test (artificial data synthesis)",
                "collect more training data like dev/test",
            ],
            Gap::DevOverfitting => &["get a bigger dev set"],
        }
    }
}

/// Error rates (fractions in `[0, 1]`) from human level to test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BiasVariance {
    /// Human-level error, the proxy for Bayes error.
    pub human: f64,
    /// Training error.
    pub train: f64,
    /// Train-dev error, when a train-dev set was held out.
    pub train_dev: Option<f64>,
    /// Dev error.
    pub dev: f64,
    /// Test error, when measured.
    pub test: Option<f64>,
}

fn check(level: &str, e: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&e) {
        Ok(e)
    } else {
        Err(Error::Data {
            what: "bias/variance report".to_owned(),
            reason: format!("{level} error {e} is not a fraction in [0, 1]"),
        })
    }
}

impl BiasVariance {
    /// The three levels every report has.
    ///
    /// # Errors
    /// [`Error::Data`] naming the level when an error is not a number in `[0, 1]`.
    pub fn new(human: f64, train: f64, dev: f64) -> Result<Self> {
        Ok(Self {
            human: check("human-level", human)?,
            train: check("training", train)?,
            train_dev: None,
            dev: check("dev", dev)?,
            test: None,
        })
    }

    /// Adds the train-dev error, which separates variance from data mismatch.
    ///
    /// # Errors
    /// [`Error::Data`] when it is not a number in `[0, 1]`.
    pub fn with_train_dev(mut self, error: f64) -> Result<Self> {
        self.train_dev = Some(check("train-dev", error)?);
        Ok(self)
    }

    /// Adds the test error, which shows overfitting to the dev set.
    ///
    /// # Errors
    /// [`Error::Data`] when it is not a number in `[0, 1]`.
    pub fn with_test(mut self, error: f64) -> Result<Self> {
        self.test = Some(check("test", error)?);
        Ok(self)
    }

    /// The size of `gap` (negative when the later level is lower), or `None` when a level it
    /// needs was not measured: data mismatch needs train-dev, overfitting to dev needs test.
    pub fn gap(&self, gap: Gap) -> Option<f64> {
        match gap {
            Gap::AvoidableBias => Some(self.train - self.human),
            Gap::Variance => Some(self.train_dev.unwrap_or(self.dev) - self.train),
            Gap::DataMismatch => self.train_dev.map(|td| self.dev - td),
            Gap::DevOverfitting => self.test.map(|t| t - self.dev),
        }
    }

    /// Every measurable gap, from avoidable bias to overfitting to dev.
    pub fn gaps(&self) -> Vec<(Gap, f64)> {
        [
            Gap::AvoidableBias,
            Gap::Variance,
            Gap::DataMismatch,
            Gap::DevOverfitting,
        ]
        .into_iter()
        .filter_map(|g| self.gap(g).map(|v| (g, v)))
        .collect()
    }

    /// The largest positive gap (the earlier one on a tie), or `None` when no gap is above 0.
    pub fn largest(&self) -> Option<(Gap, f64)> {
        self.gaps()
            .into_iter()
            .filter(|&(_, v)| v > 0.0)
            .fold(None, |best, (g, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((g, v)),
            })
    }
}

/// A table of the levels in percent with the gap between each and the one above, in
/// percentage points, then the largest gap and its remedies.
impl fmt::Display for BiasVariance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |e: f64| format!("{:.2} %", 100.0 * e);
        let variance = if self.train_dev.is_some() {
            "variance"
        } else {
            "variance (+ data mismatch: no train-dev set)"
        };
        let mut rows = vec![
            ("human-level", self.human, None),
            (
                "training",
                self.train,
                Some(("avoidable bias", Gap::AvoidableBias)),
            ),
        ];
        if let Some(td) = self.train_dev {
            rows.push(("train-dev", td, Some((variance, Gap::Variance))));
            rows.push(("dev", self.dev, Some(("data mismatch", Gap::DataMismatch))));
        } else {
            rows.push(("dev", self.dev, Some((variance, Gap::Variance))));
        }
        if let Some(t) = self.test {
            let overfit = Some(("overfitting to dev", Gap::DevOverfitting));
            rows.push(("test", t, overfit));
        }
        writeln!(f, "level        error    gap (points)")?;
        for (level, e, gap) in rows {
            write!(f, "{level:<11}  {:>7}", pct(e))?;
            if let Some((name, g)) = gap {
                let v = self.gap(g).unwrap_or(f64::NAN);
                write!(f, "  {:>+6.2}  {name}", 100.0 * v)?;
            }
            writeln!(f)?;
        }
        match self.largest() {
            None => writeln!(f, "no gap above zero"),
            Some((g, v)) => {
                writeln!(
                    f,
                    "largest gap: {} ({:.2} points); try:",
                    g.name(),
                    100.0 * v
                )?;
                for r in g.remedies() {
                    writeln!(f, "  - {r}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn the_notes_examples_name_the_right_gap() {
        // Course 3 week 1: human 1 %, train 8 %, dev 10 % → avoidable bias 7 > variance 2.
        let r = BiasVariance::new(0.01, 0.08, 0.10).unwrap();
        assert!(close(r.gap(Gap::AvoidableBias), 0.07));
        assert!(close(r.gap(Gap::Variance), 0.02));
        assert_eq!(r.largest().map(|g| g.0), Some(Gap::AvoidableBias));
        // Human 7.5 %, same train and dev: bias 0.5 < variance 2.
        let r = BiasVariance::new(0.075, 0.08, 0.10).unwrap();
        assert_eq!(r.largest().map(|g| g.0), Some(Gap::Variance));
        // Week 2: human 0 %, train 1 %, train-dev 1.5 %, dev 10 % → mismatch 8.5 points.
        let r = BiasVariance::new(0.0, 0.01, 0.10)
            .unwrap()
            .with_train_dev(0.015)
            .unwrap();
        assert!(close(r.gap(Gap::Variance), 0.005));
        assert!(close(r.gap(Gap::DataMismatch), 0.085));
        assert_eq!(r.gap(Gap::DevOverfitting), None);
        assert_eq!(r.largest().map(|g| g.0), Some(Gap::DataMismatch));
        // A test error 3 points above dev is the largest gap here.
        let r = BiasVariance::new(0.01, 0.011, 0.02)
            .unwrap()
            .with_test(0.05)
            .unwrap();
        assert!(close(r.gap(Gap::DevOverfitting), 0.03));
        assert_eq!(r.largest().map(|g| g.0), Some(Gap::DevOverfitting));
    }

    #[test]
    fn ties_go_to_the_earlier_gap_and_negatives_never_win() {
        // Bias ¼ and variance ¼, exact in binary: the earlier, bias, is named.
        let r = BiasVariance::new(0.25, 0.5, 0.75).unwrap();
        assert_eq!(r.largest().map(|g| g.0), Some(Gap::AvoidableBias));
        // Training error below human level, dev below training: nothing to report.
        let r = BiasVariance::new(0.02, 0.01, 0.005).unwrap();
        assert!(close(r.gap(Gap::AvoidableBias), -0.01));
        assert_eq!(r.largest(), None);
    }

    #[test]
    fn display_is_a_table_with_remedies() {
        let r = BiasVariance::new(0.002, 0.004, 0.03)
            .unwrap()
            .with_train_dev(0.01)
            .unwrap()
            .with_test(0.031)
            .unwrap();
        let expected = "\
level        error    gap (points)
human-level   0.20 %
training      0.40 %   +0.20  avoidable bias
train-dev     1.00 %   +0.60  variance
dev           3.00 %   +2.00  data mismatch
test          3.10 %   +0.10  overfitting to dev
largest gap: data mismatch (2.00 points); try:
  - do error analysis to learn how training and dev/test data differ
  - make training data more like dev/test (artificial data synthesis)
  - collect more training data like dev/test
";
        assert_eq!(r.to_string(), expected);
        let r = BiasVariance::new(0.0, 0.0, 0.0).unwrap();
        assert!(
            r.to_string()
                .contains("variance (+ data mismatch: no train-dev set)")
        );
        assert!(r.to_string().ends_with("no gap above zero\n"));
    }

    #[test]
    fn errors_outside_zero_one_are_data_errors_naming_the_level() {
        let e = BiasVariance::new(0.0, 1.5, 0.1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bias/variance report: training error 1.5 is not a fraction in [0, 1]"
        );
        let r = BiasVariance::new(0.0, 0.1, 0.1).unwrap();
        assert!(r.with_train_dev(f64::NAN).is_err());
        assert!(r.with_test(-0.1).is_err());
    }
}
