//! Training-step benchmarks (DESIGN.md §4): W1 (MLP 784-128(ReLU)-10, SGD), W2 (LeNet-5,
//! Adam) and W2i (LeNet-5 inference), all on a batch of 64 seeded random samples.
//!
//! One iteration is one full step as `train::fit` does it: `forward`,
//! `SoftmaxCrossEntropy::cost_and_grad`, `backward`, the optimizer's `step`, with the output,
//! gradient, cache and input buffers reused across iterations, and the iterations run on a
//! thread of rayon's pool (`rayon::scope`) as `fit`'s loop does, so the kernels' two-thread
//! splits fork from a worker. `Throughput::Elements` counts
//! **samples** (64 per step), so criterion's "elem/s" reads as samples/s. Nothing here
//! asserts on time.
//!
//! Baselines. The ISA the library uses is chosen once per process (`Isa::get`), so it cannot
//! be switched inside one run. Therefore:
//! * W1's group holds, beside the library step, a hand-written step of the same network whose
//!   three kinds of product are the scalar `kernel::gemm::{nn,nt,tn}_reference` (same
//!   weights, same data; its first cost is checked against the library's before timing);
//! * W1's group also runs the library step in a rayon pool of one thread, so the medians on
//!   one and on all of the pool's threads read side by side;
//! * W2's and W2i's groups hold, beside the library, the same LeNet-5 on the previous kernels
//!   (`LeNet5Previous`: convolutions by im2col + GEMM, max pooling by the auto-vectorized
//!   reference loops), with the same parameters and data;
//! * for every group, the dispatched-vs-scalar comparison is this binary run twice:
//!   `cargo bench --bench train_step` and `CONSTNN_ISA=scalar cargo bench --bench train_step`
//!   (criterion then also reports the change from the previous run).
//!
//! The data-parallel groups (`W1 … data-parallel b64/b256`, `W2 … data-parallel b64/b256`)
//! time the step `fit` takes with `FitConfig::workers` (`train::DataParallel`): `K = 1` on a
//! one-thread pool, `K = 1` on the whole pool (the kernels split in two), and `K = 2`
//! workers on the whole pool. `cargo bench --bench train_step -- data-parallel` runs them alone.
//!
//! The PyTorch figures of the same workloads come from `benches/compare_pytorch.py`.

mod common;

use std::hint::black_box;

use common::{BATCH, seeded_labels, seeded_vec};
use constnn::data::one_hot;
use constnn::kernel::gemm::{Dims, nn_reference, nt_reference, tn_reference};
use constnn::kernel::isa::Isa;
use constnn::models::LeNet5;
use constnn::prelude::*;
use constnn::train::DataParallel;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// SGD's learning rate in W1 (the value only matters for the weights staying finite).
const LR: f64 = 0.01;

/// W1's network.
#[derive(Network, Clone)]
struct Mlp {
    d1: Dense<784, 128>,
    r1: Relu,
    out: Dense<128, 10>,
}

/// A network with its optimizer and the buffers a training loop reuses.
struct Step<X: Tensor<Elem = f32>, N: Layer<X, Output = Batch<10>>, O> {
    net: N,
    opt: O,
    x: X,
    y: Batch<10>,
    out: Batch<10>,
    dout: Batch<10>,
    cache: N::Cache,
}

impl<X, N, O> Step<X, N, O>
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<10>> + Params<f32>,
    O: Optimizer<f32>,
{
    /// `net` on a batch of 64 seeded samples with seeded one-hot labels.
    fn new(net: N, opt: O, seed: u64) -> Self {
        let mut x = X::zeros(BATCH);
        x.as_mut_slice()
            .copy_from_slice(&seeded_vec(X::FEATURES * BATCH, seed));
        let y = one_hot(&seeded_labels(BATCH, 10, seed + 1)).expect("labels below 10");
        Self {
            net,
            opt,
            x,
            y,
            out: Batch::default(),
            dout: Batch::default(),
            cache: N::Cache::default(),
        }
    }

    /// One training step; the cost before the update.
    fn train(&mut self) -> f32 {
        self.net
            .forward(black_box(&self.x), &mut self.out, &mut self.cache)
            .expect("no batch norm in these networks");
        let cost = SoftmaxCrossEntropy.cost_and_grad(&self.out, &self.y, &mut self.dout);
        self.net
            .backward(&self.x, &self.out, &mut self.cache, &self.dout, None);
        self.opt.step(&mut self.net);
        cost
    }

    /// Inference on the batch.
    fn infer(&mut self) {
        self.net
            .infer(black_box(&self.x), &mut self.out, &mut self.cache);
    }
}

/// W1 written out by hand on the scalar reference products: `Z1 = W1·X + b1`, `A1 = ReLU(Z1)`,
/// `Z2 = W2·A1 + b2`, `dZ2 = softmax(Z2) − Y`, `dW2 = (1/m)·dZ2·A1ᵀ`, `dA1 = W2ᵀ·dZ2`,
/// `dZ1 = dA1 ⊙ [Z1 > 0]`, `dW1 = (1/m)·dZ1·Xᵀ`, then `W := W − α·dW`, `b := b − α·db`.
struct ReferenceMlp {
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
    z1: Vec<f32>,
    a1: Vec<f32>,
    z2: Vec<f32>,
    dz2: Vec<f32>,
    da1: Vec<f32>,
    dw1: Vec<f32>,
    db1: Vec<f32>,
    dw2: Vec<f32>,
    db2: Vec<f32>,
}

impl ReferenceMlp {
    const IN: usize = 784;
    const HIDDEN: usize = 128;
    const OUT: usize = 10;

    /// The same parameters as `net`, buffers for a batch of `m`.
    fn from(net: &Mlp, m: usize) -> Self {
        let (h, o) = (Self::HIDDEN, Self::OUT);
        Self {
            w1: net.d1.w.as_slice().to_vec(),
            b1: net.d1.b.as_slice().to_vec(),
            w2: net.out.w.as_slice().to_vec(),
            b2: net.out.b.as_slice().to_vec(),
            z1: vec![0.0; h * m],
            a1: vec![0.0; h * m],
            z2: vec![0.0; o * m],
            dz2: vec![0.0; o * m],
            da1: vec![0.0; h * m],
            dw1: vec![0.0; h * Self::IN],
            db1: vec![0.0; h],
            dw2: vec![0.0; o * h],
            db2: vec![0.0; o],
        }
    }

    /// One SGD step on `x` (784 × m) and one-hot `y` (10 × m); the cost before the update.
    fn train(&mut self, x: &[f32], y: &[f32], lr: f32) -> f32 {
        let (n_in, h, o) = (Self::IN, Self::HIDDEN, Self::OUT);
        let m = x.len() / n_in;
        let inv_m = 1.0 / m as f32;
        // Forward.
        nn_reference(
            Dims {
                m: h,
                k: n_in,
                n: m,
            },
            1.0,
            &self.w1,
            x,
            0.0,
            &mut self.z1,
        );
        add_bias(&mut self.z1, &self.b1);
        for (a, &z) in self.a1.iter_mut().zip(&self.z1) {
            *a = z.max(0.0);
        }
        nn_reference(
            Dims { m: o, k: h, n: m },
            1.0,
            &self.w2,
            &self.a1,
            0.0,
            &mut self.z2,
        );
        add_bias(&mut self.z2, &self.b2);
        // Softmax cross-entropy: dZ2 = softmax(Z2) − Y, J = −(1/m)·Σ y·log softmax(Z2).
        let mut cost = 0.0;
        for j in 0..m {
            let max = (0..o).map(|i| self.z2[i * m + j]).fold(f32::MIN, f32::max);
            let sum: f32 = (0..o).map(|i| (self.z2[i * m + j] - max).exp()).sum();
            for i in 0..o {
                let k = i * m + j;
                cost -= y[k] * (self.z2[k] - max - sum.ln());
                self.dz2[k] = (self.z2[k] - max).exp() / sum - y[k];
            }
        }
        // Backward.
        nt_reference(
            Dims { m: o, k: m, n: h },
            inv_m,
            &self.dz2,
            &self.a1,
            0.0,
            &mut self.dw2,
        );
        sum_rows(&self.dz2, inv_m, &mut self.db2);
        tn_reference(
            Dims { m: h, k: o, n: m },
            1.0,
            &self.w2,
            &self.dz2,
            0.0,
            &mut self.da1,
        );
        for (d, &z) in self.da1.iter_mut().zip(&self.z1) {
            if z <= 0.0 {
                *d = 0.0;
            }
        }
        let dz1 = &self.da1;
        nt_reference(
            Dims {
                m: h,
                k: m,
                n: n_in,
            },
            inv_m,
            dz1,
            x,
            0.0,
            &mut self.dw1,
        );
        sum_rows(dz1, inv_m, &mut self.db1);
        // SGD.
        for (w, g) in [
            (&mut self.w1, &self.dw1),
            (&mut self.b1, &self.db1),
            (&mut self.w2, &self.dw2),
            (&mut self.b2, &self.db2),
        ] {
            w.iter_mut().zip(g.iter()).for_each(|(w, &g)| *w -= lr * g);
        }
        cost * inv_m
    }
}

/// `z[i][j] += b[i]` for rows of length `z.len() / b.len()`.
fn add_bias(z: &mut [f32], b: &[f32]) {
    let m = z.len() / b.len();
    for (row, &bias) in z.chunks_exact_mut(m).zip(b) {
        row.iter_mut().for_each(|v| *v += bias);
    }
}

/// `out[i] = alpha·Σ_j d[i][j]` for rows of length `d.len() / out.len()`.
fn sum_rows(d: &[f32], alpha: f32, out: &mut [f32]) {
    let m = d.len() / out.len();
    for (o, row) in out.iter_mut().zip(d.chunks_exact(m)) {
        *o = alpha * row.iter().sum::<f32>();
    }
}

fn isa_label() -> String {
    format!("dispatched: {}", Isa::get().name())
}

/// W1: MLP 784-128(ReLU)-10, softmax cross-entropy, SGD, batch 64.
fn w1_mlp(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let net = Mlp {
        d1: Dense::new(Init::He, &mut rng),
        r1: Relu,
        out: Dense::new(Init::Glorot, &mut rng),
    };
    let mut reference = ReferenceMlp::from(&net, BATCH);
    let mut step = Step::<Batch<784>, _, _>::new(net, Sgd::new(LR).expect("valid settings"), 11);
    let (x, y) = (step.x.as_slice().to_vec(), step.y.as_slice().to_vec());
    // Both compute the same thing: their first costs agree (a correctness check, not timing).
    let (lib, hand) = (step.train(), reference.train(&x, &y, LR as f32));
    assert!(
        (lib - hand).abs() <= 1e-4 * lib.abs().max(1.0),
        "library cost {lib} vs hand-written {hand}"
    );

    let mut g = c.benchmark_group("W1 mlp 784-128-10 train b64");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function(
        format!("derive(Network) + Sgd, 64 samples ({})", isa_label()),
        |bench| rayon::scope(|_| bench.iter(|| step.train())),
    );
    // The same step in a pool of one thread, where no product splits.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    g.bench_function(
        format!(
            "derive(Network) + Sgd, 64 samples, 1 thread ({})",
            isa_label()
        ),
        |bench| one.install(|| bench.iter(|| step.train())),
    );
    g.bench_function(
        "hand-written step on {nn,nt,tn}_reference (scalar), 64 samples",
        |bench| bench.iter(|| reference.train(black_box(&x), &y, LR as f32)),
    );
    g.finish();
}

/// LeNet-5 on the previous kernels (the W2/W2i baseline): the same struct with its
/// convolutions on im2col + GEMM and its max pooling on the previous auto-vectorized kernel
/// (argmax always) and the reference backward.
#[derive(Network)]
#[network(input = (1, 28, 28))]
struct LeNet5Previous {
    c1: previous::Conv<1, 6, 5, 1, 2>,
    r1: Relu,
    p1: previous::MaxPool<2>,
    c2: previous::Conv<6, 16, 5>,
    r2: Relu,
    p2: previous::MaxPool<2>,
    flat: Flatten,
    d1: Dense<400, 120>,
    r3: Relu,
    d2: Dense<120, 84>,
    r4: Relu,
    out: Dense<84, 10>,
}

impl LeNet5Previous {
    /// The same parameters as `LeNet5::new(seed)`.
    fn new(seed: u64) -> Self {
        let n = LeNet5::new(seed);
        Self {
            c1: previous::Conv(n.c1),
            r1: Relu,
            p1: previous::MaxPool,
            c2: previous::Conv(n.c2),
            r2: Relu,
            p2: previous::MaxPool,
            flat: Flatten,
            d1: n.d1,
            r3: Relu,
            d2: n.d2,
            r4: Relu,
            out: n.out,
        }
    }
}

/// The layers of the W2 baseline: the library's parameters and shape rules, the previous
/// kernels.
mod previous {
    use constnn::kernel::conv2d::ConvDims;
    use constnn::kernel::im2col;
    use constnn::kernel::isa::Isa;
    use constnn::kernel::pool2d::{PoolDims, max_backward_reference, max_forward_autovec};
    use constnn::layer::{Layer, MaxPool2d};
    use constnn::prelude::*;
    use constnn::shape::{Describe, Rule};
    use constnn::tensor::typed::Windowed;

    /// `Conv2d` computed by im2col + GEMM.
    #[derive(Params)]
    pub struct Conv<
        const CI: usize,
        const CO: usize,
        const F: usize,
        const S: usize = 1,
        const P: usize = 0,
    >(#[layer] pub Conv2d<CI, CO, F, S, P>);

    impl<const CI: usize, const CO: usize, const F: usize, const S: usize, const P: usize> Describe
        for Conv<CI, CO, F, S, P>
    {
        const RULE: Rule = <Conv2d<CI, CO, F, S, P> as Describe>::RULE;
    }

    impl<
        const CI: usize,
        const CO: usize,
        const F: usize,
        const S: usize,
        const P: usize,
        const H: usize,
        const W: usize,
    > Layer<Images<CI, H, W>> for Conv<CI, CO, F, S, P>
    where
        Images<CI, H, W>: Windowed<CO, F, S, P, f32>,
    {
        type Output = <Images<CI, H, W> as Windowed<CO, F, S, P, f32>>::Out;
        /// im2col's matrix and its gradient.
        type Cache = (Vec<f32>, Vec<f32>);

        fn forward(
            &mut self,
            x: &Images<CI, H, W>,
            z: &mut Self::Output,
            c: &mut Self::Cache,
        ) -> constnn::Result<()> {
            self.infer(x, z, c);
            Ok(())
        }

        fn infer(&self, x: &Images<CI, H, W>, z: &mut Self::Output, (col, _): &mut Self::Cache) {
            let d = dims::<CI, CO, F, S, P>((H, W), Self::Output::SHAPE, x.batch_size());
            z.set_batch_size(d.m);
            let c = &self.0;
            im2col::forward(d, x.as_slice(), &c.w, &c.b, col, z.as_mut_slice());
        }

        fn backward(
            &mut self,
            x: &Images<CI, H, W>,
            _z: &Self::Output,
            (col, dcol): &mut Self::Cache,
            dz: &Self::Output,
            dx: Option<&mut Images<CI, H, W>>,
        ) {
            let d = dims::<CI, CO, F, S, P>((H, W), Self::Output::SHAPE, x.batch_size());
            let dx = dx.map(|dx| {
                dx.set_batch_size(d.m);
                (dx.as_mut_slice(), dcol)
            });
            let c = &mut self.0;
            let alpha = 1.0 / d.m.max(1) as f32;
            im2col::backward(d, alpha, &c.w, col, dz.as_slice(), &mut c.dw, &mut c.db, dx);
        }
    }

    fn dims<const CI: usize, const CO: usize, const F: usize, const S: usize, const P: usize>(
        (h, w): (usize, usize),
        out: constnn::shape::Shape,
        m: usize,
    ) -> ConvDims {
        ConvDims {
            c_in: CI,
            h,
            w,
            c_out: CO,
            oh: out.dims[1],
            ow: out.dims[2],
            f: F,
            s: S,
            p: P,
            m,
        }
    }

    /// `MaxPool2d<F>` on the previous kernels.
    #[derive(Params)]
    pub struct MaxPool<const F: usize>;

    impl<const F: usize> Describe for MaxPool<F> {
        const RULE: Rule = <MaxPool2d<F> as Describe>::RULE;
    }

    impl<const F: usize, const C: usize, const H: usize, const W: usize> Layer<Images<C, H, W>>
        for MaxPool<F>
    where
        Images<C, H, W>: Windowed<C, F, F, 0, f32>,
    {
        type Output = <Images<C, H, W> as Windowed<C, F, F, 0, f32>>::Out;
        type Cache = Vec<u32>;

        fn forward(
            &mut self,
            x: &Images<C, H, W>,
            y: &mut Self::Output,
            arg: &mut Vec<u32>,
        ) -> constnn::Result<()> {
            self.infer(x, y, arg);
            Ok(())
        }

        fn infer(&self, x: &Images<C, H, W>, y: &mut Self::Output, arg: &mut Vec<u32>) {
            let d = pool_dims::<F>((C, H, W), Self::Output::SHAPE, x.batch_size());
            y.set_batch_size(d.m);
            arg.resize(C * d.oh * d.ow * d.m, 0);
            max_forward_autovec(Isa::get(), d, x.as_slice(), y.as_mut_slice(), arg);
        }

        fn backward(
            &mut self,
            x: &Images<C, H, W>,
            _y: &Self::Output,
            arg: &mut Vec<u32>,
            dy: &Self::Output,
            dx: Option<&mut Images<C, H, W>>,
        ) {
            let Some(dx) = dx else { return };
            let d = pool_dims::<F>((C, H, W), Self::Output::SHAPE, x.batch_size());
            dx.set_batch_size(d.m);
            max_backward_reference(d, 0.0, dy.as_slice(), arg, dx.as_mut_slice());
        }
    }
    /// The sizes of a `MaxPool<F>` (stride `F`) on `m` samples.
    fn pool_dims<const F: usize>(
        (c, h, w): (usize, usize, usize),
        out: constnn::shape::Shape,
        m: usize,
    ) -> PoolDims {
        PoolDims {
            c,
            h,
            w,
            oh: out.dims[1],
            ow: out.dims[2],
            f: F,
            s: F,
            m,
        }
    }
}

/// W2: LeNet-5 training step with Adam, batch 64, beside the same step on the previous
/// kernels (same parameters, same data: their first costs are checked equal before timing).
fn w2_lenet_train(c: &mut Criterion) {
    let opt = || Adam::new(AdamConfig::default()).expect("valid settings");
    let mut step = Step::<Images<1, 28, 28>, _, _>::new(LeNet5::new(2), opt(), 21);
    let mut prev = Step::<Images<1, 28, 28>, _, _>::new(LeNet5Previous::new(2), opt(), 21);
    let (lib, old) = (step.train(), prev.train());
    assert!(
        (lib - old).abs() <= 1e-4 * lib.abs().max(1.0),
        "library cost {lib} vs previous kernels {old}"
    );
    let mut g = c.benchmark_group("W2 lenet train b64");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function(
        format!("derive(Network) + Adam, 64 samples ({})", isa_label()),
        |bench| rayon::scope(|_| bench.iter(|| step.train())),
    );
    g.bench_function(
        "previous kernels: im2col conv, autovec max pool, 64 samples",
        |bench| rayon::scope(|_| bench.iter(|| prev.train())),
    );
    g.finish();
}

/// W2i: LeNet-5 inference (`infer`), batch 64, beside the previous kernels.
fn w2i_lenet_infer(c: &mut Criterion) {
    let mut step = Step::<Images<1, 28, 28>, _, _>::new(
        LeNet5::new(3),
        Sgd::new(LR).expect("valid settings"),
        31,
    );
    let mut prev = Step::<Images<1, 28, 28>, _, _>::new(
        LeNet5Previous::new(3),
        Sgd::new(LR).expect("valid settings"),
        31,
    );
    let mut g = c.benchmark_group("W2i lenet infer b64");
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function(format!("infer, 64 samples ({})", isa_label()), |bench| {
        rayon::scope(|_| bench.iter(|| step.infer()))
    });
    g.bench_function(
        "previous kernels: im2col conv, autovec max pool, 64 samples",
        |bench| rayon::scope(|_| bench.iter(|| prev.infer())),
    );
    g.finish();
}

/// A data-parallel training step as `fit` takes it (`train::DataParallel`: the workers'
/// gradients, their sum, the optimizer's step, the copy to the replicas) on one batch of
/// seeded samples.
struct ParallelStep<X: Tensor<Elem = f32>, N: Layer<X, Output = Batch<10>>, O> {
    net: N,
    opt: O,
    par: DataParallel<X, N>,
    idx: Vec<usize>,
}

impl<X, N, O> ParallelStep<X, N, O>
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<10>> + Params<f32> + Clone + Send,
    O: Optimizer<f32>,
{
    fn new(net: N, opt: O, batch: usize, workers: usize) -> Self {
        let mut x = X::zeros(batch);
        x.as_mut_slice()
            .copy_from_slice(&seeded_vec(X::FEATURES * batch, 41));
        let y = one_hot(&seeded_labels(batch, 10, 42)).expect("labels below 10");
        let par = DataParallel::new(&net, &x, &y, workers).expect("at least one worker");
        Self {
            net,
            opt,
            par,
            idx: (0..batch).collect(),
        }
    }

    /// One step; the cost before the update.
    fn train(&mut self) -> f64 {
        let step = (self.par)
            .gradients(&mut self.net, &SoftmaxCrossEntropy, black_box(&self.idx))
            .expect("no batch norm in these networks");
        self.opt.step(&mut self.net);
        self.par.sync(&self.net);
        step.cost
    }
}

/// `K = 1` (one worker: the kernels' two-thread splits) on a one-thread pool and on the whole
/// pool, beside `K = 2` data-parallel workers on the whole pool, at batch `batch`.
fn data_parallel_group<X, N, O>(
    c: &mut Criterion,
    id: &str,
    batch: usize,
    make: impl Fn() -> (N, O),
) where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<10>> + Params<f32> + Clone + Send,
    O: Optimizer<f32> + Send,
{
    let (net, opt) = make();
    let mut one = ParallelStep::<X, _, _>::new(net, opt, batch, 1);
    let (net, opt) = make();
    let mut two = ParallelStep::<X, _, _>::new(net, opt, batch, 2);
    let (c1, c2) = (one.train(), two.train());
    assert!(
        (c1 - c2).abs() <= 1e-5 * c1.abs(),
        "K = 1 cost {c1} vs K = 2 {c2}"
    );
    let threads = rayon::current_num_threads();
    let pool1 = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut g = c.benchmark_group(format!("{id} data-parallel b{batch}"));
    g.throughput(Throughput::Elements(batch as u64));
    g.bench_function("K = 1, 1 thread", |bench| {
        pool1.install(|| bench.iter(|| one.train()))
    });
    g.bench_function(
        format!("K = 1 (kernel splits), {threads} threads"),
        |bench| rayon::scope(|_| bench.iter(|| one.train())),
    );
    g.bench_function(format!("K = 2 workers, {threads} threads"), |bench| {
        rayon::scope(|_| bench.iter(|| two.train()))
    });
    g.finish();
}

/// W1 and W2 with data-parallel workers (`FitConfig::workers`), batches 64 and 256.
fn data_parallel(c: &mut Criterion) {
    for batch in [64, 256] {
        data_parallel_group::<Batch<784>, _, _>(c, "W1 mlp 784-128-10 Sgd", batch, || {
            let mut rng = StdRng::seed_from_u64(1);
            let net = Mlp {
                d1: Dense::new(Init::He, &mut rng),
                r1: Relu,
                out: Dense::new(Init::Glorot, &mut rng),
            };
            (net, Sgd::new(LR).expect("valid settings"))
        });
        data_parallel_group::<Images<1, 28, 28>, _, _>(c, "W2 lenet Adam", batch, || {
            let opt = Adam::new(AdamConfig::default()).expect("valid settings");
            (LeNet5::new(2), opt)
        });
    }
}

criterion_group!(
    benches,
    w1_mlp,
    w2_lenet_train,
    w2i_lenet_infer,
    data_parallel
);
criterion_main!(benches);
