//! Training (course 2): mini-batches, the training loop with its progress bar, evaluation,
//! and the cost curves.
//!
//! ```
//! use constnn::prelude::*;
//! use constnn::train::{fit, FitConfig};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! // Learn y = 1 when x₀ + x₁ > 0 with logistic regression.
//! let x = Batch::<2, f64>::from_fn(200, |i, j| ((j * 7 + i * 13) % 19) as f64 / 9.0 - 1.0);
//! let y = Batch::<1, f64>::from_fn(200, |_, j| f64::from(u8::from(x.get(0, j) + x.get(1, j) > 0.0)));
//! let mut model: Dense<2, 1, f64> = Dense::zeros();
//! let cfg = FitConfig { epochs: 20, batch_size: 32, seed: 1, verbose: false, ..FitConfig::default() };
//! let history = fit(&mut model, &BinaryCrossEntropy, &mut Sgd::new(0.5)?, (&x, &y), None, &cfg)?;
//! assert!(history.epochs.last().unwrap().train.accuracy > 0.95);
//! # Ok::<(), constnn::Error>(())
//! ```

mod batches;
mod classify;
mod collective;
mod config;
mod data_parallel;
mod evaluate;
mod fit;
mod health;
mod history;
pub mod plot;
mod resume;

pub use batches::MiniBatches;
// The MPI backend (`distributed`, feature `mpi`) runs the same loop with its communicator.
pub use classify::Classify;
#[cfg(feature = "mpi")]
pub(crate) use collective::Collective;
pub use data_parallel::{DataParallel, StepFigures};
pub use evaluate::{evaluate, predict_classes};
#[cfg(feature = "mpi")]
pub(crate) use fit::fit_with;
pub use fit::{EpochStats, Evaluation, FitConfig, fit};
pub use health::LayerGradient;
pub use history::History;
