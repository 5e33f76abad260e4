//! [`fit`]: the training loop of [`train::fit`](crate::train::fit) on every rank of an MPI
//! job (course 2, week 2's mini-batch gradient descent, data-parallel).
//!
//! It is the same loop: `train::fit` is this function on one process. Per global mini-batch
//! `X{t}` of `B` columns, rank `r` takes its contiguous shard of the columns (then cuts it
//! over its threads, [`FitConfig::workers`](crate::train::FitConfig::workers)), and its gradient,
//! scaled by `m_r / B`, goes into one flat buffer summed over the ranks with
//! [`Mpi::sum_f32`] (the same bits on every rank); the mini-batch cost and the correct
//! predictions are summed the same way. See the [module doc](super) for the sums.

use super::Mpi;
use crate::Result;
use crate::Scalar;
use crate::layer::{Layer, Params};
use crate::loss::Loss;
use crate::optim::Optimizer;
use crate::tensor::Tensor;
use crate::train::{Classify, FitConfig, History};

/// Trains `net` data-parallel over the ranks of `mpi`: every rank calls it with the same
/// data, loss, optimizer settings and `cfg`, and every rank ends with the same parameters,
/// those one process would train at the same global batch `cfg.batch_size` (up to the order
/// of the floating-point sums).
///
/// Rank 0's initial parameters (and batch-norm buffers) are broadcast first, so the ranks may
/// build `net` from any seed. Rank 0 alone shows the progress bar and the epoch lines and
/// writes [`FitConfig::checkpoint`] (atomically; with [`FitConfig::resume`] every rank loads
/// it, so the file must be readable by every rank: one machine or a shared file system). The
/// returned [`History`] has the global figures on every rank.
///
/// # Errors
/// Those of [`train::fit`](crate::train::fit), on the rank where they happen. A settings or
/// data error, or a divergence of the summed cost, happens on every rank; a refusal by a
/// layer, or a divergence of one rank's own state, on one rank only, while the others wait
/// in the next sum. So end the job on any error with [`Mpi::exit_on_error`]: it aborts every
/// rank with this rank's message instead of leaving the others waiting.
pub fn fit<T, X, Y, N, L, O>(
    mpi: &Mpi,
    net: &mut N,
    loss: &L,
    opt: &mut O,
    train: (&X, &Y),
    dev: Option<(&X, &Y)>,
    cfg: &FitConfig,
) -> Result<History>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Output = Y> + Params<T> + Clone + Send,
    L: Loss<Y> + Sync,
    O: Optimizer<T> + Send,
{
    // On a thread of rayon's pool, as `train::fit` (a step allocates nothing there).
    rayon::scope(|_| crate::train::fit_with(net, loss, opt, train, dev, cfg, mpi))
}
