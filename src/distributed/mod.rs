//! Data-parallel training and hyper-parameter search over MPI processes (feature `mpi`).
//!
//! Mini-batch gradient descent (course 2, week 2) splits naturally over `K` processes
//! ("ranks"), each holding a full copy of the network. For a global mini-batch `X{t}` of `B`
//! samples (columns), rank `r` takes its shard of the columns, runs forward
//! `Z[l] = W[l]·a[l-1] + b[l]` and backward on them, and gets the gradient of *its* columns.
//! Because the cost is a mean over the columns,
//!
//! ```text
//! J{t} = (1/B)·Σ_columns L(ŷ, y)        dW[l] = (1/B)·Σ_r Σ_{columns of r} dW[l] per column
//! ```
//!
//! so the global gradient is the sum over ranks of each rank's gradient scaled by
//! `m_r / B` (its `m_r` columns out of `B`). That sum is one all-reduce of one flat buffer
//! holding every `dW[l]`, `db[l]` per step; every rank then takes the same optimizer step
//! (Adam, momentum, …) on the same bits and keeps the same `W[l]`. `K` ranks at global batch
//! `B` therefore train the same parameters as one process at batch `B`, up to the order of
//! the floating-point sums. Batch normalization is the exception: its `μ`, `σ²` are computed
//! over a rank's shard, not over the whole mini-batch.
//!
//! What is shared and who does what:
//! - rank 0's initial parameters are broadcast, so the ranks start equal whatever their seed;
//! - every rank reads the whole data set and the same shuffled order of each epoch (the seed
//!   is shared), and takes its shard `(rank, size)` of each mini-batch;
//! - rank 0 alone prints progress, evaluates on the dev set and writes checkpoints (atomic and
//!   resumable as with [`train::fit`](crate::train::fit));
//! - an error on any rank ends the whole job with that rank's message ([`Mpi::abort_with`]),
//!   never a hang.
//!
//! | item | what |
//! |---|---|
//! | [`fit`] | [`train::fit`](crate::train::fit) on every rank of an MPI job |
//! | [`Mpi`] | the world communicator: rank, size, sums that give every rank the same bits, abort |
//! | [`RandomSearch::run_mpi`](crate::search::RandomSearch::run_mpi) | trials spread over ranks, the report on rank 0 |
//!
//! Programs run under `mpiexec -n K`; see `examples/c4_lenet_distributed.rs` and the README.

mod fit;
mod mpi;
mod search;
mod wire;

pub use fit::fit;
pub use mpi::Mpi;
