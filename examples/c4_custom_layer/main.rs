//! Course 4 with layers of one's own: a learned per-channel gain and a global average pool,
//! written outside constnn (`layers.rs`), gradient-checked, and trained inside a derived
//! network on MNIST.
//!
//! `cargo run --release --example c4_custom_layer [-- --epochs 6 --train 20000 --seed 1]`
//!
//! CONV(16@3×3, pad 1) → ReLU → MAXPOOL(2) → CONV(32@3×3, pad 1) → SCALE(32) → ReLU → MAXPOOL(2)
//! → CONV(32@3×3, pad 1) → ReLU → GLOBAL AVERAGE POOL → FC10. `GlobalAvgPool<32>` takes
//! 32-channel images of any size, so the network has no flatten width to get right: its shape
//! rule (`reduce(1)`) gives 32 features after 7×7 here, and would after 5×5 or 14×14 too.

#[path = "../cli/mod.rs"]
mod cli;
#[path = "layers.rs"]
mod layers;

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::mnist::{Mnist, Part};
use constnn::data::{Split, one_hot};
use constnn::gradcheck::check_layer;
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate, fit};
use layers::{GlobalAvgPool, Scale};
use rand::RngExt;

/// The network: the custom layers are fields like any other.
#[derive(Network, Clone)]
#[network(input = (1, 28, 28), init = he)]
struct GapNet<T: Scalar = f32> {
    c1: Conv2d<1, 16, 3, 1, 1, T>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<16, 32, 3, 1, 1, T>,
    s2: Scale<32, T>,
    r2: Relu,
    p2: MaxPool2d<2>,
    c3: Conv2d<32, 32, 3, 1, 1, T>,
    r3: Relu,
    gap: GlobalAvgPool<32>,
    #[layer(init = glorot)]
    out: Dense<32, 10, T>,
}

/// The same layers small, in f64, for the gradient check.
#[derive(Network, Clone)]
#[network(input = (2, 5, 5), init = he)]
struct Small {
    c: Conv2d<2, 3, 3, 1, 1, f64>,
    s: Scale<3, f64>,
    gap: GlobalAvgPool<3>,
    out: Dense<3, 2, f64>,
}

const USAGE: &str = "usage: c4_custom_layer [--epochs <n>] [--train <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 6)"),
    (
        "--train",
        "training images, the first n of MNIST's 60000 (default 20000)",
    ),
    ("--seed", "seed of the weights and the shuffles (default 1)"),
];

/// Two-sided gradient checks of each custom layer alone and of the small network.
fn gradient_checks(seed: u64) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = Images::<3, 5, 5, f64>::from_fn(4, |_, _, _, _| rng.random_range(-1.0..1.0));
    let mut scale = Scale::<3, f64>::build(Init::He, &mut rng);
    scale.g = Vector::from_rows([[0.5], [-1.5], [2.0]]); // away from the identity
    let checks = [
        ("Scale<3>", check_layer(&mut scale, &x, 1e-6, seed)?),
        (
            "GlobalAvgPool<3>",
            check_layer(&mut GlobalAvgPool::<3>, &x, 1e-6, seed)?,
        ),
        ("network conv → scale → pool → dense", {
            let x = Images::<2, 5, 5, f64>::from_fn(4, |_, _, _, _| rng.random_range(-1.0..1.0));
            check_layer(&mut Small::new(seed), &x, 1e-6, seed)?
        }),
    ];
    for (what, report) in &checks {
        println!("gradient check {what:<38} {report}");
        if report.max_error() > 1e-7 {
            return Err(Error::Data {
                what: format!("gradient check of {what}"),
                reason: format!("relative error {:.1e} > 1e-7", report.max_error()),
            });
        }
    }
    Ok(())
}

fn run(args: &Args) -> cli::Result {
    let (epochs, limit, seed) = (
        args.get("--epochs", 6)?,
        args.get("--train", 20_000usize)?,
        args.get("--seed", 1u64)?,
    );
    gradient_checks(seed)?;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let train = Mnist::<f32>::load_first(root.join("data/mnist"), Part::Train, limit)?;
    let test = Mnist::<f32>::load(root.join("data/mnist"), Part::Test)?;
    let split = Split::holdout(train.len(), (train.len() / 10).max(1), seed)?;
    let y_all: Batch<10> = one_hot(&train.labels)?;
    let x_train: Images<1, 28, 28> = reshape(&train.x.select(&split.train));
    let x_dev: Images<1, 28, 28> = reshape(&train.x.select(&split.dev));
    let (y_train, y_dev) = (y_all.select(&split.train), y_all.select(&split.dev));
    let x_test: Images<1, 28, 28> = reshape(&test.x);
    let y_test: Batch<10> = one_hot(&test.labels)?;

    let mut net = GapNet::new(seed);
    println!("\n{}", net.summary());
    let cfg = FitConfig {
        epochs,
        batch_size: 64,
        seed,
        ..FitConfig::default()
    };
    let mut opt = Adam::new(AdamConfig {
        lr: 0.003,
        ..AdamConfig::default()
    })?;
    fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x_train, &y_train),
        Some((&x_dev, &y_dev)),
        &cfg,
    )?;
    let gains: Vec<String> = net
        .s2
        .g
        .as_slice()
        .iter()
        .map(|g| format!("{g:.2}"))
        .collect();
    println!("learned gains of s2: [{}]", gains.join(", "));
    let result = evaluate(&net, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    println!("test accuracy {:.4}", result.accuracy);
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
