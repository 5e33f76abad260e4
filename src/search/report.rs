//! The outcome of a search: every trial, ranked by one optimizing metric (course 2, week 3,
//! with course 3's single-number evaluation metric).
//!
//! ```text
//! rank = trials that returned an outcome, best optimizing metric first (ties: lower index)
//!        then the failed trials (an error, a missing or NaN metric), by index
//! ```
//!
//! A failed trial is kept with its hyper-parameters and its error: a learning rate that makes
//! training diverge is a finding, not noise. The `Display` is an aligned table; metrics have 4
//! significant digits, or `N` decimals with `{:.N}`; `{:#}` leaves out the seconds, so two
//! runs of one seed (on one process, on threads or on MPI ranks) print the same text.
//!
//! The table of this file's test (five made-up trials, one diverged, one without the metric):
//!
//! ```text
//! random search: 5 trials, seed 7, maximize dev_accuracy; 3 succeeded, 2 failed (1.5 s)
//! rank  trial        lr  dev_accuracy  dev_cost  seconds
//!    1      2   0.01000        0.9500   0.05000     0.25
//!    2      3  0.003000        0.9500   0.05000     0.25
//!    3      0  0.001000        0.9000    0.1000     0.25
//!    -      1     2.000             -         -     0.25  failed: training diverged at epoch 1, …
//!    -      4    0.1000             -         -     0.25  failed: trial 4, optimizing metric …
//! ```

use core::cmp::Ordering;
use core::fmt;

use super::Trial;
use crate::data::fmt_sig;
use crate::metrics::{Criterion, Goal};
use crate::train::Evaluation;
use crate::{Error, Result};

/// What an objective measured on one trial's model: named metrics, e.g. on the dev set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// `(name, value)` pairs, shown in this order.
    pub metrics: Vec<(String, f64)>,
}

impl Outcome {
    /// No metrics yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the metric `name = value`.
    pub fn with(mut self, name: impl Into<String>, value: f64) -> Self {
        self.metrics.push((name.into(), value));
        self
    }

    /// The value of metric `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v)
    }
}

/// A dev-set evaluation as `dev_accuracy` and `dev_cost`.
impl From<Evaluation> for Outcome {
    fn from(dev: Evaluation) -> Self {
        Self::new()
            .with("dev_accuracy", dev.accuracy)
            .with("dev_cost", dev.cost)
    }
}

/// One trial and what came of it.
#[derive(Debug)]
pub struct TrialResult {
    /// The hyper-parameters.
    pub trial: Trial,
    /// The objective's metrics, or why the trial failed.
    pub outcome: Result<Outcome>,
    /// Wall-clock seconds the objective took.
    pub seconds: f64,
}

impl TrialResult {
    /// The optimizing metric's value, when the trial succeeded.
    pub fn score(&self, optimizing: &Criterion) -> Option<f64> {
        self.outcome.as_ref().ok()?.get(&optimizing.metric)
    }
}

/// Every trial of a search, succeeded ones best first, then the failed ones.
#[derive(Debug)]
pub struct Report {
    /// The metric the trials are ranked by, and which way is better.
    pub optimizing: Criterion,
    /// The search's seed.
    pub seed: u64,
    /// The hyper-parameters' names, in the space's order.
    pub names: Vec<String>,
    /// The trials in rank order.
    pub results: Vec<TrialResult>,
    /// Wall-clock seconds of the whole search.
    pub seconds: f64,
}

impl Report {
    /// Ranks `results` by `optimizing`. An outcome without the optimizing metric, or with a
    /// NaN value, becomes a failure ([`Error::Data`]) saying so.
    pub fn rank(
        optimizing: Criterion,
        seed: u64,
        names: Vec<String>,
        mut results: Vec<TrialResult>,
        seconds: f64,
    ) -> Self {
        for r in &mut results {
            let problem = match &r.outcome {
                Ok(o) => match o.get(&optimizing.metric) {
                    None => Some("has no such metric"),
                    Some(v) if v.is_nan() => Some("is NaN"),
                    Some(_) => None,
                },
                Err(_) => None,
            };
            if let Some(p) = problem {
                r.outcome = Err(Error::Data {
                    what: format!(
                        "trial {}, optimizing metric `{}`",
                        r.trial.index, optimizing.metric
                    ),
                    reason: p.into(),
                });
            }
        }
        let key = |r: &TrialResult| r.score(&optimizing);
        results.sort_by(|a, b| {
            let by_score = match (key(a), key(b)) {
                (Some(x), Some(y)) => match optimizing.goal {
                    Goal::Maximize => y.total_cmp(&x),
                    Goal::Minimize => x.total_cmp(&y),
                },
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_score.then(a.trial.index.cmp(&b.trial.index))
        });
        Self {
            optimizing,
            seed,
            names,
            results,
            seconds,
        }
    }

    /// The best trial, or `None` when every trial failed.
    pub fn best(&self) -> Option<&TrialResult> {
        self.results.first().filter(|r| r.outcome.is_ok())
    }

    /// The trials that returned an outcome, best first.
    pub fn succeeded(&self) -> impl Iterator<Item = &TrialResult> {
        self.results.iter().filter(|r| r.outcome.is_ok())
    }

    /// The trials that failed, by index.
    pub fn failed(&self) -> impl Iterator<Item = &TrialResult> {
        self.results.iter().filter(|r| r.outcome.is_err())
    }

    /// Metric names over all outcomes, the optimizing one first, then in order of appearance.
    fn metric_names(&self) -> Vec<&str> {
        let mut names = vec![self.optimizing.metric.as_str()];
        for o in self.succeeded().filter_map(|r| r.outcome.as_ref().ok()) {
            for (n, _) in &o.metrics {
                if !names.contains(&n.as_str()) {
                    names.push(n);
                }
            }
        }
        names
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let goal = match self.optimizing.goal {
            Goal::Maximize => "maximize",
            Goal::Minimize => "minimize",
        };
        let failed = self.failed().count();
        // `{:#}`: no timings, so two runs of one seed print the same text.
        let timed = !f.alternate();
        write!(
            f,
            "random search: {} trials, seed {}, {goal} {}; {} succeeded, {failed} failed",
            self.results.len(),
            self.seed,
            self.optimizing.metric,
            self.results.len() - failed,
        )?;
        match timed {
            true => writeln!(f, " ({:.1} s)", self.seconds)?,
            false => writeln!(f)?,
        }
        let metrics = self.metric_names();
        let decimals = f.precision();
        let number = |x: f64| match decimals {
            Some(d) => format!("{x:.d$}"),
            None => fmt_sig(x, 4),
        };
        // Cells as text first, so every column can be as wide as its widest cell.
        let mut rank = 0;
        let rows: Vec<Vec<String>> = self
            .results
            .iter()
            .map(|r| {
                let mut row = vec![
                    match r.outcome {
                        Ok(_) => {
                            rank += 1;
                            rank.to_string()
                        }
                        Err(_) => "-".into(),
                    },
                    r.trial.index.to_string(),
                ];
                row.extend(self.names.iter().map(|n| match r.trial.get(n) {
                    Some(v) => v.to_string(),
                    None => "-".into(),
                }));
                row.extend(metrics.iter().map(|m| {
                    let v = r.outcome.as_ref().ok().and_then(|o| o.get(m));
                    v.map_or_else(|| "-".into(), number)
                }));
                if timed {
                    row.push(format!("{:.2}", r.seconds));
                }
                row
            })
            .collect();
        let header: Vec<&str> = ["rank", "trial"]
            .into_iter()
            .chain(self.names.iter().map(String::as_str))
            .chain(metrics.iter().copied())
            .chain(timed.then_some("seconds"))
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|j| {
                rows.iter()
                    .map(|r| r[j].chars().count())
                    .chain([header[j].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            for (j, (text, w)) in cells.iter().zip(&widths).enumerate() {
                let sep = if j == 0 { "" } else { "  " };
                write!(f, "{sep}{text:>w$}")?;
            }
            Ok(())
        };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        line(f, &header)?;
        writeln!(f)?;
        for (r, row) in self.results.iter().zip(&rows) {
            line(f, row)?;
            match &r.outcome {
                Ok(_) => writeln!(f)?,
                Err(e) => writeln!(f, "  failed: {e}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Value;
    use super::*;

    fn result(index: usize, lr: f64, outcome: Result<Outcome>) -> TrialResult {
        TrialResult {
            trial: Trial {
                index,
                seed: 0,
                values: vec![("lr".into(), Value::Float(lr))],
            },
            outcome,
            seconds: 0.25,
        }
    }

    fn acc(a: f64) -> Result<Outcome> {
        Ok(Outcome::new()
            .with("dev_accuracy", a)
            .with("dev_cost", 1.0 - a))
    }

    fn report(optimizing: Criterion) -> Report {
        let results = vec![
            result(0, 0.001, acc(0.90)),
            result(
                1,
                2.0,
                Err(Error::Diverged {
                    epoch: 1,
                    step: 3,
                    cause: crate::Divergence::Cost(f64::NAN),
                }),
            ),
            result(2, 0.01, acc(0.95)),
            result(3, 0.003, acc(0.95)),
            result(4, 0.1, Ok(Outcome::new().with("dev_cost", 0.2))),
        ];
        Report::rank(optimizing, 7, vec!["lr".into()], results, 1.5)
    }

    fn order(r: &Report) -> Vec<usize> {
        r.results.iter().map(|t| t.trial.index).collect()
    }

    #[test]
    fn succeeded_trials_rank_by_the_metric_then_failures_by_index() {
        let r = report(Criterion::maximize("dev_accuracy"));
        // 0.95 (trials 2 and 3, tie → lower index first), 0.90, then failures 1 and 4.
        assert_eq!(order(&r), [2, 3, 0, 1, 4]);
        assert_eq!(r.best().map(|t| t.trial.index), Some(2));
        assert_eq!(r.failed().count(), 2);
        // Trial 4 lacks the optimizing metric: a failure that says so.
        let missing = r.results[4].outcome.as_ref().unwrap_err().to_string();
        assert_eq!(
            missing,
            "trial 4, optimizing metric `dev_accuracy`: has no such metric"
        );
    }

    #[test]
    fn minimizing_reverses_the_order() {
        let r = report(Criterion::minimize("dev_cost"));
        // Costs: 0 → 0.10, 2 → 0.05, 3 → 0.05, 4 → 0.2; trial 1 diverged.
        assert_eq!(order(&r), [2, 3, 0, 4, 1]);
    }

    #[test]
    fn all_failed_means_no_best() {
        let results = vec![result(
            0,
            5.0,
            Err(Error::Diverged {
                epoch: 1,
                step: 1,
                cause: crate::Divergence::Cost(f64::INFINITY),
            }),
        )];
        let r = Report::rank(
            Criterion::maximize("dev_accuracy"),
            0,
            vec!["lr".into()],
            results,
            0.1,
        );
        assert!(r.best().is_none());
    }

    #[test]
    fn table_is_aligned_and_lists_failures_with_their_error() {
        let r = report(Criterion::maximize("dev_accuracy"));
        let text = r.to_string();
        let expected = "\
random search: 5 trials, seed 7, maximize dev_accuracy; 3 succeeded, 2 failed (1.5 s)
rank  trial        lr  dev_accuracy  dev_cost  seconds
   1      2   0.01000        0.9500   0.05000     0.25
   2      3  0.003000        0.9500   0.05000     0.25
   3      0  0.001000        0.9000    0.1000     0.25
   -      1     2.000             -         -     0.25  failed: training diverged at epoch 1, step 3: the cost became NaN
   -      4    0.1000             -         -     0.25  failed: trial 4, optimizing metric `dev_accuracy`: has no such metric
";
        assert_eq!(text, expected);
        // {:.2}: metrics with 2 decimals.
        assert!(format!("{r:.2}").contains("0.95      0.05"));
        // {:#}: the same table without the timings.
        let untimed = format!("{r:#}");
        assert!(untimed.starts_with("random search: 5 trials, seed 7, maximize dev_accuracy; 3 succeeded, 2 failed\nrank  trial        lr  dev_accuracy  dev_cost\n"));
        assert!(untimed.contains("\n   1      2   0.01000        0.9500   0.05000\n"));
        assert!(!untimed.contains("0.25"));
    }
}
