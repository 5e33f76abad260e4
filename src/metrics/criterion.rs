//! The optimizing metric and the satisficing constraints of model selection (course 3, week 1).
//!
//! ```text
//! optimizing   maximize accuracy                 (one metric, as good as possible)
//! satisficing  latency_ms ≤ 100, recall[3] ≥ 0.9   (any number, each only good enough)
//! ```
//!
//! A constraint's bound is inclusive: `latency_ms = 100` meets `latency_ms ≤ 100`.
//!
//! ```
//! use constnn::metrics::{Constraint, Criterion, Goal};
//!
//! let optimizing = Criterion::maximize("accuracy");
//! assert_eq!(optimizing.goal, Goal::Maximize);
//! let fast_enough = Constraint::at_most("latency_ms", 100.0);
//! assert!(fast_enough.is_met_by(100.0) && !fast_enough.is_met_by(100.5));
//! assert_eq!(fast_enough.to_string(), "latency_ms ≤ 100");
//! ```

use core::fmt;

/// Which way the optimizing metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Larger is better (accuracy, F1).
    Maximize,
    /// Smaller is better (error rate, cost).
    Minimize,
}

/// The optimizing metric: the one number that decides between feasible models.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    /// The metric's name, as in [`ModelScore::metrics`](super::ModelScore::metrics).
    pub metric: String,
    /// Whether larger or smaller is better.
    pub goal: Goal,
}

impl Criterion {
    /// Larger `metric` is better.
    pub fn maximize(metric: impl Into<String>) -> Self {
        Self {
            metric: metric.into(),
            goal: Goal::Maximize,
        }
    }

    /// Smaller `metric` is better.
    pub fn minimize(metric: impl Into<String>) -> Self {
        Self {
            metric: metric.into(),
            goal: Goal::Minimize,
        }
    }
}

/// The side of a [`Constraint`]'s threshold that is acceptable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// `value ≤ threshold` (running time, memory, false-positive rate).
    AtMost(f64),
    /// `value ≥ threshold` (recall of a class that matters).
    AtLeast(f64),
}

/// A satisficing metric: it only has to be good enough.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// The metric's name, as in [`ModelScore::metrics`](super::ModelScore::metrics).
    pub metric: String,
    /// The acceptable side of the threshold (inclusive).
    pub bound: Bound,
}

impl Constraint {
    /// `metric ≤ threshold`.
    pub fn at_most(metric: impl Into<String>, threshold: f64) -> Self {
        Self {
            metric: metric.into(),
            bound: Bound::AtMost(threshold),
        }
    }

    /// `metric ≥ threshold`.
    pub fn at_least(metric: impl Into<String>, threshold: f64) -> Self {
        Self {
            metric: metric.into(),
            bound: Bound::AtLeast(threshold),
        }
    }

    /// Whether `value` satisfies the constraint (bounds are inclusive).
    pub fn is_met_by(&self, value: f64) -> bool {
        match self.bound {
            Bound::AtMost(t) => value <= t,
            Bound::AtLeast(t) => value >= t,
        }
    }

    /// The threshold, whichever its side.
    pub fn threshold(&self) -> f64 {
        match self.bound {
            Bound::AtMost(t) | Bound::AtLeast(t) => t,
        }
    }
}

/// `c` as the notes write it: `latency_ms ≤ 100`.
impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bound {
            Bound::AtMost(t) => write!(f, "{} ≤ {t}", self.metric),
            Bound::AtLeast(t) => write!(f, "{} ≥ {t}", self.metric),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        let at_most = Constraint::at_most("latency_ms", 100.0);
        assert!(at_most.is_met_by(99.0) && at_most.is_met_by(100.0));
        assert!(!at_most.is_met_by(100.1));
        let at_least = Constraint::at_least("recall[3]", 0.9);
        assert!(at_least.is_met_by(0.9) && !at_least.is_met_by(0.89));
        assert_eq!((at_most.threshold(), at_least.threshold()), (100.0, 0.9));
    }

    #[test]
    fn nan_never_meets_a_constraint() {
        // NaN compares false both ways; select_best rejects NaN values before this matters.
        assert!(!Constraint::at_most("x", 1.0).is_met_by(f64::NAN));
        assert!(!Constraint::at_least("x", 1.0).is_met_by(f64::NAN));
    }

    #[test]
    fn constraints_print_as_inequalities() {
        assert_eq!(
            Constraint::at_least("recall[3]", 0.9).to_string(),
            "recall[3] ≥ 0.9"
        );
        assert_eq!(
            Constraint::at_most("latency_ms", 100.0).to_string(),
            "latency_ms ≤ 100"
        );
    }
}
