//! Layers of one's own, as a user crate writes them: this test is compiled as its own crate and
//! sees constnn's public API only. The layers are those of `examples/c4_custom_layer` (a
//! learned gain per channel and a global average pool over any `H × W`).

#[path = "../examples/c4_custom_layer/layers.rs"]
mod layers;

use std::path::Path;
use std::sync::Arc;

use constnn::data::{Split, Table};
use constnn::gradcheck::check_layer;
use constnn::prelude::*;
use constnn::shape::{Describe, Rule, Shape, apply};
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate, fit};
use layers::{GlobalAvgPool, Scale};
use rand::RngExt;

/// A small CNN for the 8×8 digits with both custom layers inside a derived network.
#[derive(Network, Clone)]
#[network(input = (1, 8, 8), init = he)]
struct DigitsNet<T: Scalar = f32> {
    c1: Conv2d<1, 8, 3, 1, 1, T>,
    s1: Scale<8, T>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<8, 16, 3, 1, 1, T>,
    r2: Relu,
    gap: GlobalAvgPool<16>,
    #[layer(init = glorot)]
    out: Dense<16, 10, T>,
}

fn random_images<const C: usize, const H: usize, const W: usize>(
    m: usize,
    seed: u64,
) -> Images<C, H, W, f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Images::from_fn(m, |_, _, _, _| rng.random_range(-1.0..1.0))
}

#[test]
fn the_custom_layers_pass_the_gradient_check() {
    let x = random_images::<3, 5, 4>(3, 1);
    let mut scale = Scale::<3, f64> {
        g: Vector::from_rows([[0.5], [-1.5], [2.0]]),
        dg: Vector::zeros(),
    };
    let r = check_layer(&mut scale, &x, 1e-6, 2).unwrap();
    assert_eq!(r.num_params, 3);
    assert!(r.max_error() < 1e-7, "{r}");
    let r = check_layer(&mut GlobalAvgPool::<3>, &x, 1e-6, 3).unwrap();
    assert!(r.max_error() < 1e-7, "{r}");
    let r = check_layer(&mut DigitsNet::<f64>::new(4), &random_images(5, 5), 1e-6, 4).unwrap();
    assert!(r.max_error() < 1e-7, "{r}");
}

#[test]
fn global_average_pooling_takes_any_height_and_width() {
    // Channel c of every pixel is c + 10·j for sample j: the mean is the same value.
    fn pooled<const H: usize, const W: usize>() -> Batch<2, f64> {
        let x = Images::<2, H, W, f64>::from_fn(3, |c, _, _, j| (c + 10 * j) as f64);
        GlobalAvgPool::<2>.predict(&x)
    }
    let want = [0.0, 10.0, 20.0, 1.0, 11.0, 21.0];
    let close = |b: Batch<2, f64>| {
        b.as_slice()
            .iter()
            .zip(&want)
            .all(|(a, w)| (a - w).abs() < 1e-12)
    };
    assert!(close(pooled::<5, 5>()));
    assert!(close(pooled::<7, 3>()));
    assert!(close(pooled::<1, 1>()));
    // Its shape rule, composed from the algebra's ops, says the same for the derive.
    const RULE: Rule = <GlobalAvgPool<2> as Describe>::RULE;
    assert_eq!(apply(&RULE, Shape::image(2, 7, 3)), Ok(Shape::flat(2)));
    assert!(apply(&RULE, Shape::image(3, 7, 3)).is_err());
}

/// The digits as 1×8×8 images in [0, 1], split mod 5 (row i is test when i % 5 == 4).
fn digits() -> (Images<1, 8, 8>, Batch<10>, Images<1, 8, 8>, Batch<10>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = Table::read(root.join("data/digits.csv")).expect("the vendored digits");
    let x: Batch<64> = table
        .features::<64, f32>()
        .expect("64 pixels")
        .map(|v| v / 16.0);
    let y: Batch<10> = table.one_hot().expect("labels 0-9");
    let split = Split::mod5(table.len());
    (
        reshape(&x.select(&split.train)),
        y.select(&split.train),
        reshape(&x.select(&split.test)),
        y.select(&split.test),
    )
}

#[test]
fn a_derived_network_with_custom_layers_learns_the_digits() {
    let (x, y, x_test, y_test) = digits();
    let mut net = DigitsNet::new(1);
    let before = evaluate(&net, &SoftmaxCrossEntropy, &x_test, &y_test, 500).unwrap();
    let cfg = FitConfig {
        epochs: 15,
        batch_size: 32,
        seed: 2,
        verbose: false,
        ..FitConfig::default()
    };
    let mut opt = Adam::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .expect("a valid α");
    fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &cfg,
    )
    .expect("trains");
    let after = evaluate(&net, &SoftmaxCrossEntropy, &x_test, &y_test, 500).unwrap();
    // Chance is 0.1; measured 0.150 before and 0.975 after with these seeds.
    assert!(before.accuracy < 0.3, "untrained: {}", before.accuracy);
    assert!(after.accuracy > 0.85, "trained: {}", after.accuracy);
    assert!(
        net.s1.g.as_slice().iter().any(|&g| g != 1.0),
        "the gains learned"
    );
    let s = net.summary();
    let rows: Vec<(&str, &str)> = s.rows.iter().map(|r| (r.field, r.ty.as_str())).collect();
    assert_eq!(rows[1], ("s1", "Scale<8>"));
    assert_eq!(rows[6], ("gap", "GlobalAvgPool<16>"));
    assert_eq!(s.rows[6].output, Shape::flat(16));
    assert_eq!(s.total_params(), 80 + 8 + 1168 + 170);
}

#[test]
fn one_network_serves_four_threads_through_an_arc() {
    let (_, _, x_test, _) = digits();
    let net = Arc::new(DigitsNet::new(3));
    let alone = net.predict(&x_test);
    let outputs: Vec<Batch<10>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let net = Arc::clone(&net);
                let x = &x_test;
                s.spawn(move || {
                    // Each thread its own buffers; the same `&DigitsNet`.
                    let mut p = Predictor::new(&*net);
                    (0..3).map(|_| p.run(x).clone()).last().expect("three runs")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    for out in outputs {
        assert_eq!(out, alone, "bit for bit the single-thread output");
    }
    // A clone is an independent copy with the same outputs.
    let copy = (*net).clone();
    assert_eq!(copy.predict(&x_test), alone);
}
