//! Coarse to fine (course 2, week 3): after a coarse random search, zoom in on the region
//! where the best trials are and sample it more densely.
//!
//! [`Space::zoom`] shrinks every hyper-parameter's distribution to the smallest one of the same
//! kind that contains the values of the `top` best trials: a range becomes
//! `[min, max]` of their values (still on its own scale, so a [`LogUniform`](super::LogUniform)
//! stays log-uniform), and a [`Choice`](super::Choice) keeps only the options they used.
//! Run a second [`RandomSearch`](super::RandomSearch) on the zoomed space, with a new seed.
//!
//! ```
//! use constnn::metrics::Criterion;
//! use constnn::search::{LogUniform, Outcome, RandomSearch, RandomSearchConfig, Space};
//!
//! let space = Space::new().with("lr", LogUniform { lo: 1e-4, hi: 1.0 });
//! let cfg = RandomSearchConfig { trials: 20, seed: 1, verbose: false, ..Default::default() };
//! let peak_at_0_01 = |t: &constnn::search::Trial| {
//!     let r = t.f64("lr")?.log10();
//!     Ok(Outcome::new().with("dev_accuracy", 1.0 - (r + 2.0).powi(2)))
//! };
//! let coarse = RandomSearch::new(space, cfg.clone());
//! let report = coarse.run(Criterion::maximize("dev_accuracy"), peak_at_0_01)?;
//! let fine = coarse.space.zoom(&report, 3); // the 3 best trials' span of α
//! let best = report.best().map(|r| r.trial.f64("lr")).transpose()?.unwrap_or(0.0);
//! assert!(fine.trial(2, 0).f64("lr")? <= 1.0 && best > 0.0);
//! print!("{fine}"); // lr ~ log-uniform [0.00…, 0.0…]
//! let _finer = RandomSearch::new(fine, RandomSearchConfig { seed: 2, ..cfg });
//! # Ok::<(), constnn::Error>(())
//! ```

use super::{Report, Space, Value};

impl Space {
    /// This space narrowed to the hyper-parameter values of the `top` best succeeded trials
    /// of `report` (fewer when fewer succeeded). A hyper-parameter the report's trials do not
    /// have, or a space with no succeeded trial, stays as it is.
    pub fn zoom(&self, report: &Report, top: usize) -> Space {
        let best: Vec<_> = report.succeeded().take(top).collect();
        let params = self
            .params
            .iter()
            .map(|(name, dist)| {
                let values: Vec<Value> = best.iter().filter_map(|r| r.trial.get(name)).collect();
                (name.clone(), dist.narrowed(&values))
            })
            .collect();
        Space { params }
    }
}

#[cfg(test)]
mod tests {
    use super::super::distribution::short;
    use super::super::{
        Choice, IntRange, LogUniform, Outcome, RandomSearch, RandomSearchConfig, Trial,
    };
    use crate::metrics::Criterion;
    use crate::{Error, Result};

    use super::*;

    #[test]
    fn zoom_keeps_the_box_around_the_best_trials() {
        let space = Space::new()
            .with("lr", LogUniform { lo: 1e-4, hi: 1.0 })
            .with("batch", Choice::new([32, 64, 128, 256]))
            .with("layers", IntRange { lo: 1, hi: 6 });
        let cfg = RandomSearchConfig {
            trials: 40,
            seed: 3,
            verbose: false,
            ..Default::default()
        };
        // Best near α = 0.01 and 3 layers; batch size does not matter; α > 0.5 fails.
        let objective = |t: &Trial| -> Result<Outcome> {
            let (lr, layers) = (t.f64("lr")?, t.f64("layers")?);
            if lr > 0.5 {
                return Err(Error::Diverged {
                    epoch: 1,
                    step: 1,
                    cause: crate::Divergence::Cost(f64::NAN),
                });
            }
            let score = -(lr.log10() + 2.0).powi(2) - (layers - 3.0).powi(2);
            Ok(Outcome::new().with("score", score))
        };
        let search = RandomSearch::new(space, cfg);
        let report = search.run(Criterion::maximize("score"), objective).unwrap();
        let fine = search.space.zoom(&report, 5);

        let top: Vec<&Trial> = report.succeeded().take(5).map(|r| &r.trial).collect();
        let lrs: Vec<f64> = top.iter().map(|t| t.f64("lr").unwrap()).collect();
        let (lo, hi) = lrs
            .iter()
            .fold((f64::MAX, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
        let layers: Vec<usize> = top.iter().map(|t| t.usize("layers").unwrap()).collect();
        let text = fine.to_string();
        let expected = format!("lr     ~ log-uniform [{}, {}]", short(lo), short(hi));
        assert!(text.contains(&expected), "{text}");
        let (l_lo, l_hi) = (layers.iter().min().unwrap(), layers.iter().max().unwrap());
        assert!(
            text.contains(&format!("layers ~ integer {l_lo}..={l_hi}")),
            "{text}"
        );
        // The fine space is narrower than the coarse one, and every draw lies in it.
        assert!(lo > 1e-4 && hi < 1.0 && l_hi - l_lo < 5);
        for k in 0..50 {
            let lr = fine.trial(9, k).f64("lr").unwrap();
            assert!((lo..=hi).contains(&lr));
        }
    }

    #[test]
    fn zooming_on_a_report_without_successes_changes_nothing() {
        let space = Space::new().with("lr", LogUniform { lo: 1e-4, hi: 1.0 });
        let cfg = RandomSearchConfig {
            trials: 3,
            verbose: false,
            ..Default::default()
        };
        let search = RandomSearch::new(space, cfg);
        let report = search
            .run(Criterion::maximize("score"), |_| {
                Err(Error::Diverged {
                    epoch: 1,
                    step: 1,
                    cause: crate::Divergence::Cost(f64::NAN),
                })
            })
            .unwrap();
        assert_eq!(
            search.space.zoom(&report, 5).to_string(),
            search.space.to_string()
        );
    }
}
