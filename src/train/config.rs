//! The settings of a training run ([`fit`](super::fit)).

use std::path::PathBuf;

use crate::loss::Regularization;
use crate::optim::{Clip, LrSchedule};

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
    /// resumed epochs only. Default `false`.
    pub resume: bool,
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
        }
    }
}
