//! W6: LeNet-5 inference on small batches — one image (serving one request at a time), and
//! the group for batches m = 1, 2, 4, 8, 16 — beside the same network on the kernels as they
//! were before the small-batch paths (`Before`: convolutions on row tiles only,
//! `conv2d::forward_rows_with`; dense products with the columns no tile covers one value at
//! a time, `gemm::nn_previous_with`), with the same parameters and data.
//!
//! `cargo bench --bench small_batch`. Inference (`infer`) is called from the
//! bench's main thread, as a server's own loop would call it; `RAYON_NUM_THREADS=1` keeps it
//! on one thread (at these sizes nothing splits anyway). `Throughput::Elements` counts
//! samples. Nothing here asserts on time.

mod common;

use std::hint::black_box;

use common::seeded_vec;
use constnn::models::LeNet5;
use constnn::prelude::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// LeNet-5 on the kernels before the small-batch paths, with `LeNet5::new(seed)`'s
/// parameters.
#[derive(Network)]
#[network(input = (1, 28, 28))]
struct Before {
    c1: before::Conv<1, 6, 5, 1, 2>,
    r1: Relu,
    p1: before::MaxPool<2>,
    c2: before::Conv<6, 16, 5>,
    r2: Relu,
    p2: before::MaxPool<2>,
    flat: Flatten,
    d1: before::Dense<400, 120>,
    r3: Relu,
    d2: before::Dense<120, 84>,
    r4: Relu,
    out: before::Dense<84, 10>,
}

impl Before {
    fn new(seed: u64) -> Self {
        let n = LeNet5::new(seed);
        Self {
            c1: before::Conv(n.c1),
            r1: Relu,
            p1: before::MaxPool,
            c2: before::Conv(n.c2),
            r2: Relu,
            p2: before::MaxPool,
            flat: Flatten,
            d1: before::Dense(n.d1),
            r3: Relu,
            d2: before::Dense(n.d2),
            r4: Relu,
            out: before::Dense(n.out),
        }
    }
}

/// Inference-only layers on the previous kernels (no backward: W6 does not train).
mod before {
    use constnn::kernel::conv2d::{ConvDims, ConvScratch, forward_rows_with};
    use constnn::kernel::eltwise::add_bias_with;
    use constnn::kernel::gemm::{Dims, nn_previous_with};
    use constnn::kernel::isa::Isa;
    use constnn::kernel::pool2d::{PoolDims, max_forward_windows_with};
    use constnn::layer::Layer;
    use constnn::prelude::*;
    use constnn::shape::{Describe, Rule};
    use constnn::tensor::typed::Windowed;

    /// `Conv2d` on row tiles only.
    #[derive(Params)]
    pub struct Conv<
        const CI: usize,
        const CO: usize,
        const F: usize,
        const S: usize = 1,
        const P: usize = 0,
    >(pub Conv2d<CI, CO, F, S, P>);

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
        type Cache = ConvScratch<f32>;

        fn forward(
            &mut self,
            x: &Images<CI, H, W>,
            z: &mut Self::Output,
            s: &mut Self::Cache,
        ) -> constnn::Result<()> {
            self.infer(x, z, s);
            Ok(())
        }

        fn infer(&self, x: &Images<CI, H, W>, z: &mut Self::Output, s: &mut Self::Cache) {
            let (m, out) = (x.batch_size(), Self::Output::SHAPE);
            let d = ConvDims {
                c_in: CI,
                h: H,
                w: W,
                c_out: CO,
                oh: out.dims[1],
                ow: out.dims[2],
                f: F,
                s: S,
                p: P,
                m,
            };
            z.set_batch_size(m);
            let c = &self.0;
            forward_rows_with(Isa::get(), d, x.as_slice(), &c.w, &c.b, s, z.as_mut_slice());
        }

        fn backward(
            &mut self,
            _: &Images<CI, H, W>,
            _: &Self::Output,
            _: &mut Self::Cache,
            _: &Self::Output,
            _: Option<&mut Images<CI, H, W>>,
        ) {
            unreachable!("W6 only infers")
        }
    }

    /// `MaxPool2d<F>` window by window along the batch.
    #[derive(Params)]
    pub struct MaxPool<const F: usize>;

    impl<const F: usize> Describe for MaxPool<F> {
        const RULE: Rule = <constnn::layer::MaxPool2d<F> as Describe>::RULE;
    }

    impl<const F: usize, const C: usize, const H: usize, const W: usize> Layer<Images<C, H, W>>
        for MaxPool<F>
    where
        Images<C, H, W>: Windowed<C, F, F, 0, f32>,
    {
        type Output = <Images<C, H, W> as Windowed<C, F, F, 0, f32>>::Out;
        type Cache = ();

        fn forward(
            &mut self,
            x: &Images<C, H, W>,
            y: &mut Self::Output,
            c: &mut (),
        ) -> constnn::Result<()> {
            self.infer(x, y, c);
            Ok(())
        }

        fn infer(&self, x: &Images<C, H, W>, y: &mut Self::Output, _: &mut ()) {
            let (m, out) = (x.batch_size(), Self::Output::SHAPE);
            let d = PoolDims {
                c: C,
                h: H,
                w: W,
                oh: out.dims[1],
                ow: out.dims[2],
                f: F,
                s: F,
                m,
            };
            y.set_batch_size(m);
            max_forward_windows_with(Isa::get(), d, x.as_slice(), y.as_mut_slice(), None);
        }

        fn backward(
            &mut self,
            _: &Images<C, H, W>,
            _: &Self::Output,
            _: &mut (),
            _: &Self::Output,
            _: Option<&mut Images<C, H, W>>,
        ) {
            unreachable!("W6 only infers")
        }
    }

    /// `Dense` with the previous edge of the product.
    #[derive(Params)]
    pub struct Dense<const I: usize, const O: usize>(#[layer] pub constnn::layer::Dense<I, O>);

    impl<const I: usize, const O: usize> Describe for Dense<I, O> {
        const RULE: Rule = <constnn::layer::Dense<I, O> as Describe>::RULE;
    }

    impl<const I: usize, const O: usize> Layer<Batch<I>> for Dense<I, O> {
        type Output = Batch<O>;
        type Cache = ();

        fn forward(&mut self, a: &Batch<I>, z: &mut Batch<O>, c: &mut ()) -> constnn::Result<()> {
            self.infer(a, z, c);
            Ok(())
        }

        fn infer(&self, a: &Batch<I>, z: &mut Batch<O>, _: &mut ()) {
            let m = a.batch_size();
            z.set_batch_size(m);
            let d = Dims { m: O, k: I, n: m };
            let (w, b) = (self.0.w.as_slice(), self.0.b.as_slice());
            nn_previous_with(Isa::get(), d, 1.0, w, a.as_slice(), 0.0, z.as_mut_slice());
            add_bias_with(Isa::get(), z.as_mut_slice(), b);
        }

        fn backward(
            &mut self,
            _: &Batch<I>,
            _: &Batch<O>,
            _: &mut (),
            _: &Batch<O>,
            _: Option<&mut Batch<I>>,
        ) {
            unreachable!("W6 only infers")
        }
    }
}

/// `m` seeded images and the buffers inference reuses.
struct Infer<N: Layer<Images<1, 28, 28>, Output = Batch<10>>> {
    net: N,
    x: Images<1, 28, 28>,
    out: Batch<10>,
    cache: N::Cache,
}

impl<N: Layer<Images<1, 28, 28>, Output = Batch<10>>> Infer<N> {
    fn new(net: N, m: usize) -> Self {
        let mut x = Images::zeros(m);
        x.as_mut_slice().copy_from_slice(&seeded_vec(784 * m, 61));
        Self {
            net,
            x,
            out: Batch::default(),
            cache: N::Cache::default(),
        }
    }
    fn run(&mut self) -> &[f32] {
        self.net
            .infer(black_box(&self.x), &mut self.out, &mut self.cache);
        self.out.as_slice()
    }
}

fn isa() -> &'static str {
    constnn::kernel::isa::Isa::get().name()
}

/// Both networks give the same logits (a correctness check before timing).
fn same_logits(m: usize) -> (Infer<LeNet5>, Infer<Before>) {
    let (mut now, mut before) = (Infer::new(LeNet5::new(6), m), Infer::new(Before::new(6), m));
    let (a, b) = (now.run().to_vec(), before.run().to_vec());
    let close = a
        .iter()
        .zip(&b)
        .all(|(x, y)| (x - y).abs() <= 1e-4 * (1.0 + y.abs()));
    assert!(close, "batch {m}: {a:?} vs {b:?}");
    (now, before)
}

/// W6: one image.
fn w6_one_image(c: &mut Criterion) {
    let (mut now, mut before) = same_logits(1);
    let mut g = c.benchmark_group("W6 lenet infer b1");
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("forward::<Eval>, 1 image ({})", isa()), |b| {
        b.iter(|| now.run()[0])
    });
    g.bench_function("before the small-batch paths, 1 image", |b| {
        b.iter(|| before.run()[0])
    });
    g.finish();
}

/// W6m: batches 1, 2, 4, 8, 16.
fn w6_small_batches(c: &mut Criterion) {
    let mut g = c.benchmark_group("W6m lenet infer small batches");
    for m in [1, 2, 4, 8, 16] {
        let (mut now, mut before) = same_logits(m);
        g.throughput(Throughput::Elements(m as u64));
        g.bench_with_input(
            BenchmarkId::new(format!("now ({})", isa()), m),
            &m,
            |b, _| b.iter(|| now.run()[0]),
        );
        g.bench_with_input(BenchmarkId::new("before", m), &m, |b, _| {
            b.iter(|| before.run()[0])
        });
    }
    g.finish();
}

criterion_group!(benches, w6_one_image, w6_small_batches);
criterion_main!(benches);
