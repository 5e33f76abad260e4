//! Tests of data-parallel [`super::fit`] ([`FitConfig::workers`], `DataParallel`).
//!
//! Every comparison trains the same seeded network on the same seeded data for 20 Adam steps
//! (4 epochs of 5 mini-batches, the last one of each epoch ragged) with `K` = 1, 2, 3 workers.

use super::*;
use crate::activation::Relu;
use crate::layer::ParamCount;
use crate::layer::{Conv2d, Dense, Flatten, MaxPool2d};
use crate::loss::SoftmaxCrossEntropy;
use crate::optim::{Adam, AdamConfig};
use crate::tensor::{Batch, Images, Init};
use crate::train::collective::Collective;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

#[derive(crate::Network, Clone)]
struct Mlp {
    d1: Dense<12, 16>,
    r1: Relu,
    out: Dense<16, 3>,
}

#[derive(crate::Network, Clone)]
#[network(input = (1, 8, 8))]
struct ConvNet {
    c1: Conv2d<1, 4, 3>,
    r1: Relu,
    p1: MaxPool2d<2>,
    flat: Flatten,
    out: Dense<36, 3>,
}

fn mlp() -> Mlp {
    let mut rng = StdRng::seed_from_u64(11);
    Mlp {
        d1: Dense::new(Init::He, &mut rng),
        r1: Relu,
        out: Dense::new(Init::Glorot, &mut rng),
    }
}

fn conv_net() -> ConvNet {
    let mut rng = StdRng::seed_from_u64(12);
    ConvNet {
        c1: Conv2d::new(Init::He, &mut rng),
        r1: Relu,
        p1: MaxPool2d,
        flat: Flatten,
        out: Dense::new(Init::Glorot, &mut rng),
    }
}

/// `m` seeded samples of `X` in `[−1, 1)` with one-hot labels of 3 classes.
fn data<X: Tensor<Elem = f32>>(m: usize) -> (X, Batch<3>) {
    let mut rng = StdRng::seed_from_u64(m as u64);
    let mut x = X::zeros(m);
    (x.as_mut_slice().iter_mut()).for_each(|v| *v = rng.random_range(-1.0..1.0));
    let y = Batch::from_fn(m, |i, j| f32::from(u8::from(i == (j * 5 + j / 3) % 3)));
    (x, y)
}

/// 4 epochs of 5 batches (4 full, 1 ragged) of `batch`: 20 Adam steps.
fn cfg(batch: usize, workers: usize) -> FitConfig {
    FitConfig {
        epochs: 4,
        batch_size: batch,
        seed: 5,
        verbose: false,
        workers: Some(workers),
        ..FitConfig::default()
    }
}

/// The parameters and mini-batch costs after 20 Adam steps with `workers` workers.
fn train<X, N>(net: &N, batch: usize, workers: usize) -> (Vec<f32>, Vec<f64>)
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<3>> + Params<f32> + Clone + Send,
{
    let m = 4 * batch + batch / 3;
    let (x, y) = data::<X>(m);
    let mut net = net.clone();
    let mut opt = Adam::new(AdamConfig::default()).unwrap();
    let h = fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &cfg(batch, workers),
    );
    let h = h.unwrap();
    assert_eq!(h.costs.len(), 20);
    (net.values_to_vec(), h.costs)
}

/// `‖a − b‖ / ‖b‖`.
fn relative(a: &[f32], b: &[f32]) -> f64 {
    let d: f64 = a.iter().zip(b).map(|(a, b)| f64::from(a - b).powi(2)).sum();
    let n: f64 = b.iter().map(|b| f64::from(*b).powi(2)).sum();
    (d / n).sqrt()
}

fn workers_match_one_worker<X, N>(net: &N)
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<3>> + Params<f32> + Clone + Send,
{
    for batch in [64, 37] {
        let (one, one_costs) = train::<X, N>(net, batch, 1);
        for k in [2, 3] {
            let (many, costs) = train::<X, N>(net, batch, k);
            let r = relative(&many, &one);
            assert!(
                r < 1e-5,
                "K = {k}, batch {batch}: relative difference {r:e}"
            );
            assert!(
                r > 0.0 || k == 1,
                "K = {k} took exactly the 1-worker sums (suspicious)"
            );
            for (c, c1) in costs.iter().zip(&one_costs) {
                assert!(
                    (c - c1).abs() <= 1e-5 * c1.abs(),
                    "K = {k}: cost {c} vs {c1}"
                );
            }
            assert_eq!(
                train::<X, N>(net, batch, k),
                (many, costs),
                "K = {k} run twice"
            );
        }
    }
}

#[test]
fn mlp_with_2_or_3_workers_matches_1_worker_and_repeats_bit_for_bit() {
    workers_match_one_worker::<Batch<12>, _>(&mlp());
}

#[test]
fn conv_net_with_2_or_3_workers_matches_1_worker_and_repeats_bit_for_bit() {
    workers_match_one_worker::<Images<1, 8, 8>, _>(&conv_net());
}

#[test]
fn one_worker_is_the_plain_training_loop_bit_for_bit() {
    // The loop `fit` ran before data parallelism: gather, forward, cost, backward, step.
    for batch in [64, 37] {
        let (fitted, costs) = train::<Images<1, 8, 8>, _>(&conv_net(), batch, 1);
        let m = 4 * batch + batch / 3;
        let (x, y) = data::<Images<1, 8, 8>>(m);
        let (mut net, mut opt) = (conv_net(), Adam::new(AdamConfig::default()).unwrap());
        let mut plan = MiniBatches::new(m, batch, 5);
        let (mut xb, mut yb, mut out, mut dout) = Default::default();
        let mut cache = Default::default();
        let mut plain = Vec::new();
        for _ in 0..4 {
            plan.shuffle();
            for idx in plan.iter() {
                x.gather_into(idx, &mut xb);
                y.gather_into(idx, &mut yb);
                net.forward(&xb, &mut out, &mut cache).unwrap();
                plain.push(
                    SoftmaxCrossEntropy
                        .cost_and_grad(&out, &yb, &mut dout)
                        .as_f64(),
                );
                net.backward(&xb, &out, &mut cache, &dout, None);
                opt.step(&mut net);
            }
        }
        assert_eq!(
            (net.values_to_vec(), plain),
            (fitted, costs),
            "batch {batch}"
        );
    }
}

#[test]
fn more_workers_than_samples_leave_the_extra_shards_empty() {
    // Batch 2 with 3 workers: shards of 1, 1 and 0 samples, the same step up to rounding.
    let (x, y) = data::<Batch<12>>(6);
    let run = |workers| {
        let mut net = mlp();
        let mut opt = Adam::new(AdamConfig::default()).unwrap();
        let cfg = FitConfig {
            batch_size: 2,
            ..cfg(2, workers)
        };
        fit(
            &mut net,
            &SoftmaxCrossEntropy,
            &mut opt,
            (&x, &y),
            None,
            &cfg,
        )
        .unwrap();
        net.values_to_vec()
    };
    let r = relative(&run(3), &run(1));
    assert!(r < 1e-5, "{r:e}");
}

#[test]
fn automatic_workers_follow_the_pool_and_the_batch() {
    let pool = |threads: usize, cfg: FitConfig| {
        let p = rayon::ThreadPoolBuilder::new().num_threads(threads);
        p.build().unwrap().install(|| cfg.auto_workers())
    };
    let auto = |batch| FitConfig {
        batch_size: batch,
        ..FitConfig::default()
    };
    let min = FitConfig::MIN_SHARD;
    assert_eq!(pool(2, auto(2 * min)), 2);
    assert_eq!(pool(2, auto(2 * min - 1)), 1);
    assert_eq!(pool(4, auto(3 * min)), 3);
    assert_eq!(pool(1, auto(256)), 1);
    assert_eq!(pool(16, auto(min - 1)), 1);
    assert_eq!(pool(1, cfg(64, 3)), 3, "a forced K is kept");
}

/// Two processes simulated by two threads of this one: `sum` adds both buffers in rank order
/// (what an MPI all-reduce must give every rank), `broadcast` copies rank 0's.
struct TwoRanks {
    rank: usize,
    slots: std::sync::Arc<(std::sync::Mutex<[Vec<f64>; 2]>, std::sync::Barrier)>,
}

impl TwoRanks {
    fn exchange(&self, buf: &mut [f64], reduce: impl Fn(&[Vec<f64>; 2], usize) -> f64) {
        let (slots, barrier) = &*self.slots;
        slots.lock().unwrap()[self.rank] = buf.to_vec();
        barrier.wait();
        let both = slots.lock().unwrap().clone();
        barrier.wait(); // both have read before either writes again
        buf.iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = reduce(&both, i));
    }

    /// `f32` through the same `f64` slots: exact, and the sum is rounded as an `f32` add.
    fn exchange_f32(&self, buf: &mut [f32], reduce: impl Fn(f32, f32) -> f32) {
        let mut wide: Vec<f64> = buf.iter().map(|&v| f64::from(v)).collect();
        self.exchange(&mut wide, |s, i| {
            f64::from(reduce(s[0][i] as f32, s[1][i] as f32))
        });
        buf.iter_mut().zip(wide).for_each(|(b, w)| *b = w as f32);
    }
}

impl Collective for TwoRanks {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        2
    }
    fn sum_f32(&self, buf: &mut [f32]) -> Result<()> {
        self.exchange_f32(buf, |a, b| a + b);
        Ok(())
    }
    fn sum_f64(&self, buf: &mut [f64]) -> Result<()> {
        self.exchange(buf, |s, i| s[0][i] + s[1][i]);
        Ok(())
    }
    fn broadcast_f32(&self, buf: &mut [f32]) -> Result<()> {
        self.exchange_f32(buf, |a, _| a);
        Ok(())
    }
    fn broadcast_f64(&self, buf: &mut [f64]) -> Result<()> {
        self.exchange(buf, |s, i| s[0][i]);
        Ok(())
    }
}

#[test]
fn two_processes_of_one_worker_equal_one_process_of_two_bit_for_bit() {
    // Rank r's shard of each mini-batch is worker r's shard of the 2-worker run, and both sum
    // dW₀ + dW₁ in that order. Rank 1 starts from other weights: rank 0's are broadcast.
    for batch in [64, 37] {
        let local = train::<Images<1, 8, 8>, _>(&conv_net(), batch, 2);
        let (x, y) = data::<Images<1, 8, 8>>(4 * batch + batch / 3);
        let slots = std::sync::Arc::new((Default::default(), std::sync::Barrier::new(2)));
        let ranks: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|rank| {
                    let (x, y, comm) = (
                        &x,
                        &y,
                        TwoRanks {
                            rank,
                            slots: slots.clone(),
                        },
                    );
                    s.spawn(move || {
                        let mut net = conv_net();
                        if rank == 1 {
                            net.set_values_from(&vec![0.5; net.num_params()]);
                        }
                        let mut opt = Adam::new(AdamConfig::default()).unwrap();
                        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                        let h = pool.unwrap().install(|| {
                            let cfg = cfg(batch, 1);
                            let loss = &SoftmaxCrossEntropy;
                            fit_with(&mut net, loss, &mut opt, (x, y), None, &cfg, &comm)
                        });
                        (net.values_to_vec(), h.unwrap().costs)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(ranks[0], local, "rank 0, batch {batch}");
        assert_eq!(ranks[1], local, "rank 1, batch {batch}");
    }
}
