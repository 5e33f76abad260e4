//! A steady-state training step allocates nothing (DESIGN.md §4: "0 heap allocations per train
//! step").
//!
//! A counting `#[global_allocator]` wraps `std::alloc::System` and counts `alloc`,
//! `alloc_zeroed` and `realloc` while a flag is set, on every thread (the rayon workers that
//! the large products fork onto are part of the step). Everything runs in one `#[test]`, so no
//! other test of this binary allocates while the flag is set.
//!
//! For the MLP 784-128(ReLU)-10 and LeNet-5, one warm-up step at batch 64 (which allocates the
//! buffers, the caches and Adam's `v_dW`, `s_dW`; every rayon worker has run a job before it) is
//! followed by steps at batch 64, a partial batch of 37 and a single sample in turn, each
//! phase counted on its own: gathering the mini-batch into reused buffers, `forward`,
//! `cost_and_grad`, `backward`, `Adam::step`.
//!
//! The same steps with two data-parallel workers (`train::DataParallel`, what `fit` runs with
//! `workers: Some(2)`) are counted too: the workers' jobs on the pool, the gradient sum, Adam and
//! the copy of the new parameters for the replica.
//!
//! `CONSTNN_ALLOC_TRACE=8 cargo test --test alloc -- --nocapture` prints a backtrace for each of
//! the first 8 allocations counted after the warm-up steps, to find where one comes from.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use constnn::models::LeNet5;
use constnn::prelude::*;
use constnn::train::DataParallel;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Counts allocations while `COUNTING` is set.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static TRACE: AtomicBool = AtomicBool::new(false);
static TRACED: AtomicUsize = AtomicUsize::new(0);
/// Backtraces to print, from `CONSTNN_ALLOC_TRACE`; 0 disables tracing.
static MAX_TRACES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set while this thread prints a backtrace: its own allocations are neither counted
    /// nor traced.
    static IN_TRACE: Cell<bool> = const { Cell::new(false) };
}

impl Counting {
    fn record(&self) {
        if !COUNTING.load(Ordering::Relaxed) || IN_TRACE.with(Cell::get) {
            return;
        }
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        if TRACE.load(Ordering::Relaxed)
            && TRACED.fetch_add(1, Ordering::Relaxed) < MAX_TRACES.load(Ordering::Relaxed)
        {
            IN_TRACE.with(|t| t.set(true));
            let bt = std::backtrace::Backtrace::force_capture();
            eprintln!(
                "--- counted allocation on thread {:?}:\n{bt}",
                std::thread::current().name()
            );
            IN_TRACE.with(|t| t.set(false));
        }
    }
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds `GlobalAlloc`'s
// contract; the counting touches only atomics and a const-initialised thread-local.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.record();
        // SAFETY: the caller's `layout` obligations are passed on as they are.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.record();
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.record();
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f`.
fn count<R>(f: impl FnOnce() -> R) -> (usize, R) {
    ALLOCATIONS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let r = f();
    COUNTING.store(false, Ordering::SeqCst);
    (ALLOCATIONS.load(Ordering::SeqCst), r)
}

const PHASES: [&str; 5] = [
    "gather_into (x, y)",
    "forward",
    "SoftmaxCrossEntropy::cost_and_grad",
    "backward",
    "Adam::step",
];

/// The phases of a data-parallel step (`train::DataParallel`, as `fit` runs it).
const PARALLEL_PHASES: [&str; 3] = [
    "DataParallel::gradients (gather, forward, cost, backward per worker; sum)",
    "Adam::step",
    "DataParallel::sync",
];

/// The MLP of workload W1.
#[derive(Network, Clone)]
struct Mlp {
    d1: Dense<784, 128>,
    r1: Relu,
    out: Dense<128, 10>,
}

/// A network, its optimizer and every buffer a training loop reuses (as `train::fit` holds
/// them), over a seeded data set of `x` and one-hot `y`.
struct Trainer<X: Tensor<Elem = f32>, N: Layer<X, Output = Batch<10>>> {
    net: N,
    opt: Adam,
    x: X,
    y: Batch<10>,
    xb: X,
    yb: Batch<10>,
    out: Batch<10>,
    dout: Batch<10>,
    cache: N::Cache,
}

impl<X: Tensor<Elem = f32>, N: Layer<X, Output = Batch<10>> + Params<f32>> Trainer<X, N> {
    fn new(net: N, samples: usize, seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut x = X::zeros(samples);
        x.as_mut_slice()
            .iter_mut()
            .for_each(|v| *v = rng.random_range(0.0..1.0));
        let y = Batch::from_fn(samples, |i, j| f32::from(u8::from(i == (j * 7) % 10)));
        Self {
            net,
            opt: Adam::new(AdamConfig::default()).unwrap(),
            x,
            y,
            xb: X::default(),
            yb: Batch::default(),
            out: Batch::default(),
            dout: Batch::default(),
            cache: N::Cache::default(),
        }
    }

    /// One training step on the samples `idx`; the allocations of each phase of [`PHASES`].
    fn step(&mut self, idx: &[usize]) -> [usize; 5] {
        let s = self;
        let (gather, ()) = count(|| {
            s.x.gather_into(idx, &mut s.xb);
            s.y.gather_into(idx, &mut s.yb);
        });
        let (forward, trained) = count(|| s.net.forward(&s.xb, &mut s.out, &mut s.cache));
        trained.expect("no batch norm here");
        let (loss, cost) = count(|| SoftmaxCrossEntropy.cost_and_grad(&s.out, &s.yb, &mut s.dout));
        assert!(cost.is_finite(), "cost {cost}");
        let (backward, ()) = count(|| s.net.backward(&s.xb, &s.out, &mut s.cache, &s.dout, None));
        let (update, ()) = count(|| s.opt.step(&mut s.net));
        [gather, forward, loss, backward, update]
    }

    /// After a warm-up step at batch 64, `rounds` × (steps at 64, 37 and 1): the
    /// allocations per phase summed over the measured steps, and the number of such steps.
    fn steady_state(&mut self, rounds: usize) -> ([usize; 5], usize) {
        let full: Vec<usize> = (0..64).collect();
        let partial: Vec<usize> = (64..101).collect();
        let one = vec![100];
        // Every worker of the pool runs a job first: a worker that starts late registers
        // itself (`WorkerThread` set-up, `crossbeam_epoch::Local::register`) on its first
        // job, which under load could fall inside a counted step.
        rayon::broadcast(|_| ());
        self.step(&full);
        TRACE.store(true, Ordering::SeqCst);
        let mut total = [0; 5];
        for _ in 0..rounds {
            for idx in [&full, &partial, &one] {
                let counts = self.step(idx);
                total.iter_mut().zip(counts).for_each(|(t, c)| *t += c);
            }
        }
        TRACE.store(false, Ordering::SeqCst);
        (total, 3 * rounds)
    }
}

impl<X, N> Trainer<X, N>
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<10>> + Params<f32> + Clone + Send,
{
    /// Like [`Trainer::steady_state`] with `workers` data-parallel workers: with 2, the
    /// shards are 32 + 32, 19 + 18 and 1 + 0 samples.
    fn data_parallel(&mut self, workers: usize, rounds: usize) -> ([usize; 3], usize) {
        let mut par = DataParallel::new(&self.net, &self.x, &self.y, workers).unwrap();
        let mut step = |s: &mut Self, idx: &[usize]| {
            let (gradients, figures) =
                count(|| par.gradients(&mut s.net, &SoftmaxCrossEntropy, idx));
            assert!(figures.expect("no batch norm here").cost.is_finite());
            let (update, ()) = count(|| s.opt.step(&mut s.net));
            let (sync, ()) = count(|| par.sync(&s.net));
            [gradients, update, sync]
        };
        let full: Vec<usize> = (0..64).collect();
        let partial: Vec<usize> = (64..101).collect();
        let one = vec![100];
        rayon::broadcast(|_| ());
        step(self, &full);
        TRACE.store(true, Ordering::SeqCst);
        let mut total = [0; 3];
        for _ in 0..rounds {
            for idx in [&full, &partial, &one] {
                let counts = step(self, idx);
                total.iter_mut().zip(counts).for_each(|(t, c)| *t += c);
            }
        }
        TRACE.store(false, Ordering::SeqCst);
        (total, 3 * rounds)
    }
}

fn report<const P: usize>(
    name: &str,
    phases: [&str; P],
    (counts, steps): ([usize; P], usize),
) -> Option<String> {
    let bad: Vec<String> = phases
        .iter()
        .zip(counts)
        .filter(|&(_, c)| c > 0)
        .map(|(p, c)| format!("{p}: {c}"))
        .collect();
    (!bad.is_empty()).then(|| {
        format!(
            "{name}: allocations over {steps} steady-state steps (batches 64, 37 and 1 in turn) \
             — {}",
            bad.join(", ")
        )
    })
}

#[test]
fn steady_state_training_steps_do_not_allocate() {
    let traces = std::env::var("CONSTNN_ALLOC_TRACE").map_or(0, |v| v.parse().unwrap_or(8));
    MAX_TRACES.store(traces, Ordering::SeqCst);
    // A self-check of the counter, so a zero below means something.
    let (n, v) = count(|| vec![1u8; 3]);
    assert_eq!((n, v.len()), (1, 3), "the counting allocator counts");

    let mut rng = StdRng::seed_from_u64(1);
    let mlp = Mlp {
        d1: Dense::new(Init::He, &mut rng),
        r1: Relu,
        out: Dense::new(Init::Glorot, &mut rng),
    };
    let lenet = LeNet5::new(7);
    // On a rayon worker, as `train::fit` runs its loop: off the pool, each of the kernels'
    // two-thread splits spawns a boxed job onto it (src/kernel/fork.rs).
    let (mlp2, lenet2) = (mlp.clone(), lenet.clone());
    let mlp = rayon::scope(|_| Trainer::<Batch<784>, _>::new(mlp, 101, 2).steady_state(50));
    let lenet =
        rayon::scope(|_| Trainer::<Images<1, 28, 28>, _>::new(lenet, 101, 3).steady_state(20));
    // Two data-parallel workers, on the pool as `fit` runs them.
    let mlp2 = rayon::scope(|_| Trainer::<Batch<784>, _>::new(mlp2, 101, 2).data_parallel(2, 50));
    let lenet2 =
        rayon::scope(|_| Trainer::<Images<1, 28, 28>, _>::new(lenet2, 101, 3).data_parallel(2, 20));
    let failures: Vec<String> = [
        report("MLP 784-128-10", PHASES, mlp),
        report("LeNet-5", PHASES, lenet),
        report("MLP 784-128-10, 2 workers", PARALLEL_PHASES, mlp2),
        report("LeNet-5, 2 workers", PARALLEL_PHASES, lenet2),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // One-sample inference through a `Predictor` (a shared `&LeNet5`), from this thread:
    // after the first sample, nothing is allocated.
    let net = LeNet5::new(5);
    let mut p = Predictor::<_, Images<1, 28, 28>>::new(&net);
    let mut pixels = constnn::generic_array::GenericArray::default();
    pixels
        .iter_mut()
        .enumerate()
        .for_each(|(i, v)| *v = (i % 7) as f32 / 7.0);
    let first = p.sample(&pixels);
    let (n, last) = count(|| {
        (0..20)
            .map(|_| p.sample(std::hint::black_box(&pixels)))
            .last()
    });
    assert_eq!(n, 0, "allocations over 20 one-sample inferences");
    assert_eq!(last, Some(first));
}
