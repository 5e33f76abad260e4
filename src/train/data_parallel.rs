//! Data-parallel training steps: `K` workers share each mini-batch (issue 13).
//!
//! Worker 0 trains the caller's network; workers `1..K` train replicas, clones made once. For
//! a mini-batch `X{t}` of `B` samples (columns), worker `k` takes the `k`-th of `K` contiguous
//! shards (sizes within one of each other) and runs its own training forward, the cost and
//! backward on its `m_k` samples, with its own input, output, cache and gradient buffers.
//! Every backward averages over its own shard (`dW[l] = (1/m_k)·dZ[l]·A[l-1]ᵀ`), so `dZ[L]` is
//! first scaled by `m_k / B`; the sum of the workers' gradients, taken in worker order
//! (`((dW₀ + dW₁) + dW₂) + …`), is then the mini-batch's `dW[l] = (1/B)·dZ[l]·A[l-1]ᵀ` up to
//! the order of the float sums. The caller then updates its network once, and
//! [`DataParallel::sync`] hands the new values to the replicas, which copy them at the start
//! of their next step. With the same `K`, every run gives the same bits; with `K = 1` nothing is
//! scaled, packed or copied: the step is the plain one.
//!
//! * **Batch normalization** uses the statistics of each worker's own shard (as PyTorch's
//!   `DistributedDataParallel` without `SyncBatchNorm`), and the running statistics of worker
//!   0 are copied into the replicas after each step.
//! * **Dropout**: worker `k` of process `r` draws its masks from stream `r·K + k` of its
//!   layer's generator (the caller's network keeps its own stream on rank 0), so the shards'
//!   masks are independent, and the same on every run with the same `K`.
//! * A shard of one sample is refused by batch normalization as a batch of one is.
//!
//! The workers run on rayon's pool through a recursive `rayon::join` (no allocation on the
//! pool). When there are at least as many workers as threads, the kernels' own two-thread
//! splits are off inside the workers (every thread is busy with a worker already); with fewer
//! workers than threads, a worker's products still split.

use super::Classify;
use super::batches::SampleMajor;
use super::collective::{self, Collective, Local, shard};
use crate::kernel::fork;
use crate::layer::{Generator, Layer, Param, Params, Visitor, flat};
use crate::loss::Loss;
use crate::tensor::Tensor;
use crate::{Error, Result, Scalar};

/// The figures of one mini-batch, over every worker (and process).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepFigures {
    /// The mini-batch cost `J{t}` (without regularization).
    pub cost: f64,
    /// Samples whose predicted class is their label's ([`Loss::count_correct`]).
    pub correct: usize,
    /// Labels counted for accuracy.
    pub counted: usize,
}

/// One worker: a replica (none for worker 0, which trains the caller's network) and the
/// buffers of its shard.
struct Worker<X: Tensor, N: Layer<X>> {
    replica: Option<N>,
    xb: X,
    yb: N::Output,
    out: N::Output,
    dout: N::Output,
    cache: N::Cache,
    /// Its gradients, flat (empty when they need not be moved).
    grads: Vec<X::Elem>,
    /// The shard's cost `J`.
    cost: f64,
    /// `[J·m_k, correct, counted, refusals]` of the latest shard.
    figures: [f64; 4],
    refused: Option<Error>,
}

/// What every worker of a step reads.
struct Job<'a, T, L> {
    xs: &'a SampleMajor<T>,
    ys: &'a SampleMajor<T>,
    loss: &'a L,
    /// This process's samples of the mini-batch.
    idx: &'a [usize],
    /// `B`, the mini-batch's samples over all processes.
    global: usize,
    /// Shards over all processes and workers.
    parts: usize,
    workers: usize,
    /// The caller's values and buffers, when the replicas must take them first.
    state: Option<&'a [T]>,
    params: usize,
    /// At least one worker per thread of the pool: the kernels do not split.
    serial: bool,
}

/// `K` workers training one network on shards of each mini-batch (see the module doc).
///
/// ```
/// use constnn::prelude::*;
/// use constnn::train::DataParallel;
///
/// let x = Batch::<2, f64>::from_fn(8, |i, j| (i + j) as f64 / 8.0);
/// let y = Batch::<1, f64>::from_fn(8, |_, j| f64::from(u8::from(j % 2 == 0)));
/// let mut net: Dense<2, 1, f64> = Dense::zeros();
/// let mut opt = Sgd::new(0.1)?;
/// let mut par = DataParallel::new(&net, &x, &y, 2)?;
/// let step = par.gradients(&mut net, &BinaryCrossEntropy, &[0, 1, 2, 3, 4, 5])?;
/// opt.step(&mut net);
/// par.sync(&net); // the replica takes the new weights
/// assert!((step.cost - 2f64.ln()).abs() < 1e-12); // σ(0) = ½ for every sample
/// # Ok::<(), constnn::Error>(())
/// ```
pub struct DataParallel<X: Tensor, N: Layer<X>> {
    workers: Vec<Worker<X, N>>,
    xs: SampleMajor<X::Elem>,
    ys: SampleMajor<X::Elem>,
    /// The caller's values, then its buffers, after the latest update.
    state: Vec<X::Elem>,
    params: usize,
    /// The replicas have not yet copied `state`.
    fresh: bool,
}

impl<T, X, N> DataParallel<X, N>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    N: Layer<X> + Params<T> + Clone + Send,
    N::Output: Classify,
{
    /// `workers` workers training `net` on the samples of `(x, y)` (copied once, sample-major,
    /// as [`fit`](super::fit) does): `workers − 1` clones of `net` and every worker's flat
    /// gradient buffer are made here.
    ///
    /// # Errors
    /// [`Error::Setting`] when `workers` is 0.
    pub fn new(net: &N, x: &X, y: &N::Output, workers: usize) -> Result<Self> {
        Self::new_in(&mut net.clone(), x, y, workers, &Local)
    }

    /// [`DataParallel::new`] in one of `comm`'s processes: rank 0's parameters and buffers are
    /// first broadcast into `net`.
    pub(crate) fn new_in(
        net: &mut N,
        x: &X,
        y: &N::Output,
        workers: usize,
        comm: &impl Collective,
    ) -> Result<Self> {
        crate::setting::at_least_one("FitConfig workers", workers)?;
        let params = net.num_params();
        let moved = workers > 1 || comm.size() > 1;
        let state_len = if moved {
            params + flat::buffer_len(net)
        } else {
            0
        };
        let mut state = vec![T::zero(); state_len];
        if comm.size() > 1 {
            flat::values_into(net, &mut state[..params]);
            flat::buffers_into(net, &mut state[params..]);
            collective::broadcast(comm, &mut state)?;
            net.set_values_from(&state[..params]);
            flat::buffers_from(net, &state[params..]);
        }
        let first = comm.rank() * workers;
        if first > 0 {
            set_streams(net, first);
        }
        let workers = (0..workers)
            .map(|k| Worker {
                replica: (k > 0).then(|| {
                    let mut replica = net.clone();
                    set_streams(&mut replica, k);
                    replica
                }),
                xb: X::default(),
                yb: N::Output::default(),
                out: N::Output::default(),
                dout: N::Output::default(),
                cache: N::Cache::default(),
                grads: vec![T::zero(); if moved { params } else { 0 }],
                cost: 0.0,
                figures: [0.0; 4],
                refused: None,
            })
            .collect();
        Ok(Self {
            workers,
            xs: SampleMajor::new(x),
            ys: SampleMajor::new(y),
            state,
            params,
            fresh: false,
        })
    }

    /// The number of workers `K`.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Training forward, cost and backward of the mini-batch `idx` (sample indices of the
    /// set), shared by the workers; leaves the mini-batch's gradient in `net`'s (the sum of
    /// the workers'). Then update `net` and call [`DataParallel::sync`].
    ///
    /// # Errors
    /// The error of a layer that refuses its shard (batch normalization of one sample), the
    /// first in worker order.
    pub fn gradients<L: Loss<N::Output> + Sync>(
        &mut self,
        net: &mut N,
        loss: &L,
        idx: &[usize],
    ) -> Result<StepFigures> {
        self.gradients_in(net, loss, idx, &Local)?
    }

    /// [`DataParallel::gradients`] for this process's share of a mini-batch `idx` of all of
    /// `comm`'s processes; the gradient and the figures are summed over them. The outer error
    /// is `comm`'s, the inner one a layer's refusal (in any process: all return it).
    pub(crate) fn gradients_in<L: Loss<N::Output> + Sync>(
        &mut self,
        net: &mut N,
        loss: &L,
        idx: &[usize],
        comm: &impl Collective,
    ) -> Result<Result<StepFigures>> {
        let workers = self.workers.len();
        let parts = workers * comm.size();
        let job = Job {
            xs: &self.xs,
            ys: &self.ys,
            loss,
            idx: &idx[shard(idx.len(), comm.size(), comm.rank())],
            global: idx.len(),
            parts,
            workers,
            state: self.fresh.then_some(&self.state[..]),
            params: self.params,
            serial: workers > 1 && workers >= rayon::current_num_threads(),
        };
        run(Some(net), &mut self.workers, &job, 0);
        self.fresh = false;
        let mut figures = [0.0; 4];
        for w in &self.workers {
            figures.iter_mut().zip(w.figures).for_each(|(f, w)| *f += w);
        }
        if comm.size() > 1 {
            comm.sum_f64(&mut figures)?;
        }
        if figures[3] > 0.0 {
            let mine = self.workers.iter_mut().find_map(|w| w.refused.take());
            return Ok(Err(mine.unwrap_or_else(|| Error::Data {
                what: "mini-batch".into(),
                reason: "a layer refused its shard in another process".into(),
            })));
        }
        if parts > 1 {
            let (first, rest) = self.workers.split_at_mut(1);
            let sum = &mut first[0].grads;
            for w in rest {
                sum.iter_mut().zip(&w.grads).for_each(|(s, g)| *s = *s + *g);
            }
            if comm.size() > 1 {
                collective::sum(comm, sum)?;
            }
            flat::grads_from(net, sum);
        }
        let cost = if parts == 1 {
            self.workers[0].cost
        } else {
            figures[0] / idx.len().max(1) as f64
        };
        Ok(Ok(StepFigures {
            cost,
            correct: figures[1] as usize,
            counted: figures[2] as usize,
        }))
    }

    /// After `net`'s update: the replicas take its parameters and buffers (copied once here,
    /// and by each worker at the start of its next step).
    pub fn sync(&mut self, net: &N) {
        if self.workers.len() > 1 {
            flat::values_into(net, &mut self.state[..self.params]);
            flat::buffers_into(net, &mut self.state[self.params..]);
            self.fresh = true;
        }
    }

    /// [`DataParallel::sync`] in one of `comm`'s processes: rank 0's buffers (running
    /// statistics, which each process moved with its own shards) are first broadcast into
    /// `net`. Parameters need no broadcast: every process applied the same update.
    pub(crate) fn sync_in(&mut self, net: &mut N, comm: &impl Collective) -> Result<()> {
        let buffers = self.state.get_mut(self.params..).unwrap_or_default();
        if comm.size() > 1 && !buffers.is_empty() {
            flat::buffers_into(net, buffers);
            collective::broadcast(comm, buffers)?;
            flat::buffers_from(net, buffers);
        }
        self.sync(net);
        Ok(())
    }
}

/// Moves every random generator of `net` (dropout's) `by` streams on: worker `k` of process
/// `r` draws from stream `r·K + k` after the caller's, so no two shards share masks.
fn set_streams<T>(net: &mut dyn Params<T>, by: usize) {
    struct Streams(u64);
    impl<T> Visitor<T> for Streams {
        fn param(&mut self, _: Param<'_, T>) {}
        fn generator(&mut self, mut g: Generator<'_>) {
            g.set_stream(g.stream().wrapping_add(self.0));
        }
    }
    net.visit(&mut Streams(by as u64));
}

/// Runs `ws` (workers `from..`) on the pool, halving recursively; `first` is the caller's
/// network, for worker 0.
fn run<T, X, N, L>(first: Option<&mut N>, ws: &mut [Worker<X, N>], job: &Job<'_, T, L>, from: usize)
where
    T: Scalar,
    X: Tensor<Elem = T>,
    N: Layer<X> + Params<T> + Send,
    N::Output: Classify,
    L: Loss<N::Output> + Sync,
{
    if let [w] = ws {
        w.step(first, job, from);
    } else if !ws.is_empty() {
        let mid = ws.len() / 2;
        let (a, b) = ws.split_at_mut(mid);
        fork::join(
            || run(first, a, job, from),
            || run(None, b, job, from + mid),
        );
    }
}

impl<T, X, N> Worker<X, N>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    N: Layer<X> + Params<T>,
    N::Output: Classify,
{
    /// Worker `k`'s part of the step, without kernel splits when every thread has a worker.
    fn step<L: Loss<N::Output>>(&mut self, first: Option<&mut N>, job: &Job<'_, T, L>, k: usize) {
        if job.serial {
            fork::serial(|| self.shard_step(first, job, k))
        } else {
            self.shard_step(first, job, k)
        }
    }

    /// Worker `k`'s part of the step: forward, cost, backward on its shard.
    fn shard_step<L: Loss<N::Output>>(
        &mut self,
        first: Option<&mut N>,
        job: &Job<'_, T, L>,
        k: usize,
    ) {
        let is_replica = self.replica.is_some();
        let Some(net) = first.or(self.replica.as_mut()) else {
            return; // every worker but 0 has a replica, and worker 0 gets the caller's
        };
        if let (Some(state), true) = (job.state, is_replica) {
            net.set_values_from(&state[..job.params]);
            flat::buffers_from(net, &state[job.params..]);
        }
        (self.cost, self.figures, self.refused) = (0.0, [0.0; 4], None);
        let part = &job.idx[shard(job.idx.len(), job.workers, k)];
        if part.is_empty() {
            self.grads.fill(T::zero());
            return;
        }
        job.xs.gather_into(part, &mut self.xb);
        job.ys.gather_into(part, &mut self.yb);
        if let Err(e) = net.forward(&self.xb, &mut self.out, &mut self.cache) {
            (self.figures[3], self.refused) = (1.0, Some(e));
            return;
        }
        self.cost = (job.loss.cost_and_grad(&self.out, &self.yb, &mut self.dout)).as_f64();
        let m = part.len() as f64;
        if job.parts > 1 {
            let share = T::of(m / job.global as f64);
            self.dout
                .as_mut_slice()
                .iter_mut()
                .for_each(|d| *d = *d * share);
        }
        let (correct, counted) = job.loss.count_correct(&self.out, &self.yb);
        self.figures = [self.cost * m, correct as f64, counted as f64, 0.0];
        net.backward(&self.xb, &self.out, &mut self.cache, &self.dout, None);
        if !self.grads.is_empty() {
            flat::grads_into(net, &mut self.grads);
        }
    }
}
