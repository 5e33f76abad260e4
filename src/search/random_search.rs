//! Random search run in parallel: the notes' "caviar" strategy (course 2, week 3).
//!
//! With enough compute, train many models at once, each with its own hyper-parameters, and
//! keep the best (caviar), instead of babysitting one model and nudging its learning rate day
//! by day (panda). [`RandomSearch::run`] draws `n` trials from a [`Space`] and runs the
//! objective on all of them with rayon's work-stealing pool, one trial per task, using every
//! core (or `threads`).
//!
//! Why random points and not a grid: with a 5 × 5 grid over `α` and `ε`, only 5 values of `α`
//! are tried, and if `ε` hardly matters, 20 of the 25 runs are wasted. 25 random points try
//! 25 values of each, and one cannot know in advance which hyper-parameters matter.
//!
//! Reproducibility: trial `k`'s hyper-parameters and model seed come from `(seed, k)` alone
//! (see [`Space`]), results are gathered in trial order and ranked with ties broken by index,
//! so with a deterministic objective the [`Report`] is the same for every thread count and
//! schedule; only the measured seconds differ.
//!
//! ```
//! use constnn::metrics::Criterion;
//! use constnn::search::{LogUniform, Outcome, RandomSearch, RandomSearchConfig, Space};
//!
//! // A stand-in for training: the "dev accuracy" peaks at α = 0.01.
//! let space = Space::new().with("lr", LogUniform { lo: 1e-4, hi: 1.0 });
//! let search = RandomSearch::new(space, RandomSearchConfig { trials: 16, seed: 1, verbose: false, ..Default::default() });
//! let report = search.run(Criterion::maximize("dev_accuracy"), |trial| {
//!     let r = trial.f64("lr")?.log10();
//!     Ok(Outcome::new().with("dev_accuracy", 1.0 - 0.05 * (r + 2.0).powi(2)))
//! })?;
//! let best = report.best().expect("no trial failed");
//! assert!((best.trial.f64("lr")?.log10() + 2.0).abs() < 0.5);
//! println!("{report}");
//! # Ok::<(), constnn::Error>(())
//! ```

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::{Outcome, Report, Space, Trial, TrialResult};
use crate::metrics::Criterion;
use crate::{Error, Result};

/// Settings of [`RandomSearch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomSearchConfig {
    /// Number of trials `n`. Default 20.
    pub trials: usize,
    /// Seed from which every trial's hyper-parameters and model seed derive. Default 0.
    pub seed: u64,
    /// Worker threads; `None` uses rayon's global pool (every core, or `RAYON_NUM_THREADS`).
    /// Default `None`.
    pub threads: Option<usize>,
    /// Show a progress bar of finished trials (on a terminal). Default `true`.
    pub verbose: bool,
}

impl Default for RandomSearchConfig {
    fn default() -> Self {
        Self {
            trials: 20,
            seed: 0,
            threads: None,
            verbose: true,
        }
    }
}

/// `n` random points of a search space, evaluated in parallel.
#[derive(Clone, Debug)]
pub struct RandomSearch {
    /// The hyper-parameters and their distributions.
    pub space: Space,
    /// Trials, seed, threads.
    pub cfg: RandomSearchConfig,
}

impl RandomSearch {
    /// A search of `space` with `cfg`.
    pub fn new(space: Space, cfg: RandomSearchConfig) -> Self {
        Self { space, cfg }
    }

    /// The `n` trials the search runs, in index order.
    ///
    /// # Errors
    /// [`Error::Data`] when the space is invalid (see [`Space::check`]) or `n = 0`.
    pub fn trials(&self) -> Result<Vec<Trial>> {
        self.space.check()?;
        if self.cfg.trials == 0 {
            return Err(Error::Data {
                what: "random search".into(),
                reason: "0 trials requested".into(),
            });
        }
        Ok((0..self.cfg.trials)
            .map(|k| self.space.trial(self.cfg.seed, k))
            .collect())
    }

    /// Runs `objective` on every trial in parallel and ranks the results by `optimizing`.
    /// A trial whose objective returns an error (e.g. [`Error::Diverged`]) is kept in the
    /// report as failed.
    ///
    /// # Errors
    /// [`Error::Data`] when the space is invalid, `n = 0`, or the thread pool cannot be built;
    /// no trial has run then.
    ///
    /// # Panics
    /// A panic in `objective` is not caught: it reaches the caller once the running trials
    /// end. Return an error instead to keep the other trials.
    pub fn run<F>(&self, optimizing: Criterion, objective: F) -> Result<Report>
    where
        F: Fn(&Trial) -> Result<Outcome> + Sync,
    {
        let trials = self.trials()?;
        let start = Instant::now();
        let timed = self.run_trials(&trials, self.cfg.verbose, &objective)?;
        let results = trials
            .into_iter()
            .zip(timed)
            .map(|(trial, (outcome, seconds))| TrialResult {
                trial,
                outcome,
                seconds,
            })
            .collect();
        Ok(self.rank(optimizing, results, start.elapsed().as_secs_f64()))
    }

    /// Runs `objective` on `trials` in parallel (rayon, [`RandomSearchConfig::threads`]):
    /// each trial's outcome and seconds, in the order of `trials`.
    pub(crate) fn run_trials<F>(
        &self,
        trials: &[Trial],
        verbose: bool,
        objective: &F,
    ) -> Result<Vec<(Result<Outcome>, f64)>>
    where
        F: Fn(&Trial) -> Result<Outcome> + Sync,
    {
        let bar = self.progress_bar(trials.len(), verbose);
        let work = || -> Vec<(Result<Outcome>, f64)> {
            trials
                .par_iter()
                .map(|trial| {
                    let t0 = Instant::now();
                    let outcome = objective(trial);
                    bar.inc(1);
                    (outcome, t0.elapsed().as_secs_f64())
                })
                .collect()
        };
        let timed = match self.cfg.threads {
            None => work(),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| Error::Data {
                    what: format!("thread pool of {n} threads"),
                    reason: e.to_string(),
                })?
                .install(work),
        };
        bar.finish_and_clear();
        Ok(timed)
    }

    /// The report of `results` (every trial of the search, in any order).
    pub(crate) fn rank(
        &self,
        optimizing: Criterion,
        results: Vec<TrialResult>,
        seconds: f64,
    ) -> Report {
        let names = self.space.names().map(str::to_owned).collect();
        Report::rank(optimizing, self.cfg.seed, names, results, seconds)
    }

    fn progress_bar(&self, n: usize, verbose: bool) -> ProgressBar {
        if !verbose {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(n as u64);
        if let Ok(style) =
            ProgressStyle::with_template("search [{bar:30}] {pos}/{len} trials [{elapsed}<{eta}]")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::{Choice, LogUniform, OneMinusLogUniform};
    use super::*;

    fn search(trials: usize, threads: Option<usize>) -> RandomSearch {
        let space = Space::new()
            .with("lr", LogUniform { lo: 1e-4, hi: 1.0 })
            .with("beta", OneMinusLogUniform { lo: 0.9, hi: 0.999 })
            .with("batch", Choice::new([32, 64, 128, 256]));
        let cfg = RandomSearchConfig {
            trials,
            seed: 5,
            threads,
            verbose: false,
        };
        RandomSearch::new(space, cfg)
    }

    /// Deterministic stand-in for training: best at α = 0.01, β = 0.99, batch 64; "diverges"
    /// for α > 0.3. The model seed enters too, as initialization would.
    fn objective(t: &Trial) -> Result<Outcome> {
        let (lr, beta, batch) = (t.f64("lr")?, t.f64("beta")?, t.usize("batch")?);
        if lr > 0.3 {
            return Err(Error::Diverged {
                epoch: 1,
                step: 2,
                cause: crate::Divergence::Cost(f64::INFINITY),
            });
        }
        let (a, b) = (lr.log10() + 2.0, (1.0 - beta).log10() + 2.0);
        let c = (batch as f64).log2() - 6.0;
        let noise = (t.seed % 1000) as f64 * 1e-7;
        let acc = 1.0 - 0.02 * (a * a + b * b + c * c) + noise;
        Ok(Outcome::new().with("dev_accuracy", acc))
    }

    /// What must not depend on threads: the order, the hyper-parameters, the outcomes.
    fn fingerprint(r: &Report) -> Vec<(Trial, Option<f64>)> {
        r.results
            .iter()
            .map(|t| (t.trial.clone(), t.score(&r.optimizing)))
            .collect()
    }

    #[test]
    fn same_seed_gives_the_same_report_whatever_the_thread_count() {
        let crit = || Criterion::maximize("dev_accuracy");
        let one = search(24, Some(1)).run(crit(), objective).unwrap();
        for threads in [Some(2), Some(4), None] {
            let other = search(24, threads).run(crit(), objective).unwrap();
            assert_eq!(fingerprint(&one), fingerprint(&other), "{threads:?}");
        }
        // And the ranking really is by the metric.
        let scores: Vec<f64> = one
            .succeeded()
            .filter_map(|t| t.score(&one.optimizing))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn a_longer_search_starts_with_the_shorter_ones_trials() {
        let short = search(8, Some(2)).trials().unwrap();
        let long = search(16, Some(2)).trials().unwrap();
        assert_eq!(short[..], long[..8]);
    }

    #[test]
    fn failed_trials_are_kept_and_listed_last() {
        // lr ~ log-uniform [1e-4, 1]: P(lr > 0.3) = log10(1/0.3)/4 ≈ 0.13, so some of the 24
        // trials (this seed: counted below) fail.
        let report = search(24, None)
            .run(Criterion::maximize("dev_accuracy"), objective)
            .unwrap();
        assert_eq!(report.results.len(), 24);
        let failed: Vec<&TrialResult> = report.failed().collect();
        assert!(!failed.is_empty());
        assert!(failed.iter().all(|t| t.trial.f64("lr").unwrap() > 0.3));
        let first_failed = report.results.len() - failed.len();
        assert!(
            report.results[first_failed..]
                .iter()
                .all(|t| t.outcome.is_err())
        );
        let text = report.to_string();
        assert_eq!(
            text.matches("failed: training diverged at epoch 1, step 2")
                .count(),
            failed.len()
        );
    }

    #[test]
    fn a_bad_space_fails_before_any_trial_runs() {
        let calls = AtomicUsize::new(0);
        let mut s = search(4, None);
        s.space = s.space.with("lr", LogUniform { lo: 1e-3, hi: 1e-2 }); // "lr" twice
        let counting = |t: &Trial| {
            let _ = calls.fetch_add(1, Ordering::Relaxed);
            objective(t)
        };
        assert!(
            s.run(Criterion::maximize("dev_accuracy"), counting)
                .is_err()
        );
        assert!(search(0, None).trials().is_err());
        assert_eq!(calls.load(Ordering::Relaxed), 0);
    }
}
