//! The settings of a training run ([`fit`](super::fit)).

use std::path::PathBuf;

use crate::loss::Regularization;
use crate::optim::{Clip, LrSchedule};
use crate::{Error, Result};

/// Settings of [`fit`](super::fit).
#[derive(Clone, Debug)]
pub struct FitConfig {
    /// Passes over the training set. Default 10.
    pub epochs: usize,
    /// Mini-batch size; the last batch of an epoch keeps the remainder. Default 64.
    pub batch_size: usize,
    /// Seed of the per-epoch shuffles. Default 0.
    pub seed: u64,
    /// Show a progress bar and print one line per epoch. Default `true`.
    pub verbose: bool,
    /// L2 or L1 penalty on the weights. Default none.
    pub regularization: Regularization,
    /// Learning-rate decay from the optimizer's initial `α`. Default none.
    pub schedule: Option<LrSchedule>,
    /// Gradient clipping before each update. Default none.
    pub clip: Option<Clip>,
    /// Stop when the dev cost has not improved for this many epochs, and restore the
    /// parameters of the best epoch (needs a dev set). Default none.
    pub early_stopping: Option<usize>,
    /// Write a training checkpoint here after every epoch, atomically: the model, the
    /// optimizer's state and the run's progress
    /// ([`checkpoint::save_training`](crate::checkpoint::save_training)). Default none.
    pub checkpoint: Option<PathBuf>,
    /// When [`FitConfig::checkpoint`] names an existing file, start from it: load the model
    /// and the optimizer's state, and continue after the epochs it completed. The skipped
    /// epochs' shuffles are replayed and the decay schedule continues from the saved step, so
    /// the run takes the same steps as one that never stopped (a network with dropout draws
    /// other masks: its random generator is not saved). The returned history covers the
    /// resumed epochs only. A checkpoint written by a run with another number of training
    /// samples, batch size, seed or initial learning rate `α₀` is refused with
    /// [`Error::ResumeMismatch`](crate::Error::ResumeMismatch) listing both values, unless
    /// [`FitConfig::resume_with_changes`] is set. Default `false`.
    pub resume: bool,
    /// Resume deliberately from a checkpoint written with other settings (data size, batch
    /// size, seed, `α₀`): the run continues with the new ones and the new `α₀`, and no longer
    /// takes the steps the stopped run would have taken. Default `false`.
    pub resume_with_changes: bool,
    /// Record each layer's gradient norm at every step and report it per epoch
    /// ([`EpochStats::gradients`](super::EpochStats)), with a warning for a layer whose
    /// gradient stayed exactly 0 for a whole epoch (dead ReLUs). Costs one pass over the
    /// gradients per step. Default `false`.
    pub gradient_norms: bool,
    /// Data-parallel workers `K`: each mini-batch is cut into `K` contiguous shards (sizes
    /// within one) trained at once on rayon's pool, by the network and `K − 1` clones of it,
    /// and their gradients are summed in worker order before one optimizer step
    /// ([`DataParallel`](super::DataParallel)). The step equals the one-worker step up to the
    /// order of float sums, and with the same `K` every run gives the same bits; batch
    /// normalization uses per-shard statistics. `None` (the default) chooses
    /// [`FitConfig::auto_workers`]; `Some(k)` forces `k` (more workers than threads is
    /// allowed, and they take turns). `Some(0)` is refused.
    pub workers: Option<usize>,
}

impl FitConfig {
    /// The smallest shard of a full batch that [`FitConfig::auto_workers`] gives a worker.
    pub const MIN_SHARD: usize = 32;

    /// Checks the settings: a batch size of at least 1, a patience of at least 1 epoch, and
    /// valid regularization, schedule and clipping
    /// ([`Regularization::validate`], [`LrSchedule::validate`], [`Clip::validate`]).
    /// [`fit`](super::fit) calls it first.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) naming the setting.
    pub fn validate(&self) -> Result<()> {
        let fail = |setting: &str, value: usize, reason: &str| Error::Setting {
            setting: setting.into(),
            value: value.to_string(),
            reason: reason.into(),
        };
        crate::setting::at_least_one("FitConfig batch_size", self.batch_size)?;
        if let Some(k) = self.workers {
            crate::setting::at_least_one("FitConfig workers", k)?;
        }
        if self.early_stopping == Some(0) {
            return Err(fail(
                "FitConfig early_stopping",
                0,
                "must be at least 1 epoch",
            ));
        }
        self.regularization.validate()?;
        if let Some(s) = &self.schedule {
            s.validate()?;
        }
        if let Some(c) = &self.clip {
            c.validate()?;
        }
        Ok(())
    }

    /// The workers [`fit`](super::fit) uses: [`FitConfig::workers`] when set, else one per
    /// thread of rayon's pool (`rayon::current_num_threads()`, which follows
    /// `RAYON_NUM_THREADS`) as long as every worker gets at least [`FitConfig::MIN_SHARD`] samples of a
    /// full batch: `K = min(threads, max(1, ⌊batch_size / MIN_SHARD⌋))`, so batch 64 gets two
    /// workers on two threads. On the project's 2-core machine, quiet, the main job (LeNet-5,
    /// batch 64) trained at 16.3k images/s with two workers against 10.4k with one worker whose
    /// products split over both threads (README, "Threads"); a small MLP can be faster with
    /// `workers: Some(1)`.
    pub fn auto_workers(&self) -> usize {
        self.workers.unwrap_or_else(|| {
            (self.batch_size / Self::MIN_SHARD).clamp(1, rayon::current_num_threads().max(1))
        })
    }
}

impl Default for FitConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 64,
            seed: 0,
            verbose: true,
            regularization: Regularization::None,
            schedule: None,
            clip: None,
            early_stopping: None,
            checkpoint: None,
            resume: false,
            resume_with_changes: false,
            gradient_norms: false,
            workers: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_named() {
        // Before: batch size 0 trained silently in batches of 1.
        let e = |cfg: FitConfig| cfg.validate().unwrap_err().to_string();
        let d = FitConfig::default();
        assert!(d.validate().is_ok());
        assert_eq!(
            e(FitConfig {
                batch_size: 0,
                ..d.clone()
            }),
            "FitConfig batch_size = 0: must be at least 1"
        );
        assert_eq!(
            e(FitConfig {
                early_stopping: Some(0),
                ..d.clone()
            }),
            "FitConfig early_stopping = 0: must be at least 1 epoch"
        );
        assert_eq!(
            e(FitConfig {
                workers: Some(0),
                ..d.clone()
            }),
            "FitConfig workers = 0: must be at least 1"
        );
        assert_eq!(
            e(FitConfig {
                regularization: Regularization::L2(f64::NAN),
                ..d.clone()
            }),
            "Regularization::L2 λ = NaN: must be a finite number ≥ 0"
        );
        assert_eq!(
            e(FitConfig {
                clip: Some(Clip::Norm(0.0)),
                ..d
            }),
            "Clip::Norm c = 0: must be a finite number > 0"
        );
    }
}
