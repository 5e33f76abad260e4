//! Course 1, week 4: an L-layer network on MNIST.
//!
//! `cargo run --release --example c1_deep_network [-- --epochs 10 --lr 0.1 --batch 64 --seed 1]`
//!
//! `[LINEAR → RELU] × (L − 1) → LINEAR → SOFTMAX` with `L = 3` (784 → 256 → 128 → 10), He
//! initialization, mini-batch gradient descent `W[l] := W[l] − α·dW[l]`, a dev set of 5 000
//! images held out of the 60 000 training images, and the test accuracy on the official
//! 10 000 test images at the end.

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::mnist::{Mnist, Part};
use constnn::data::{Split, one_hot};
use constnn::metrics::ConfusionMatrix;
use constnn::prelude::*;
use constnn::train::{FitConfig, evaluate, fit, predict_classes};
use rand::{SeedableRng, rngs::StdRng};

mod cli;

/// `L = 3` layers with ReLU hidden units; the softmax is in the loss.
#[derive(Network, Clone)]
struct DeepMlp {
    d1: Dense<784, 256>,
    a1: Relu,
    d2: Dense<256, 128>,
    a2: Relu,
    d3: Dense<128, 10>,
}

const USAGE: &str = "usage: c1_deep_network [--epochs <n>] [--lr <f64>] [--batch <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 10)"),
    ("--lr", "learning rate α (default 0.1)"),
    ("--batch", "mini-batch size (default 64)"),
    (
        "--seed",
        "seed of the weights, the dev split and the shuffles (default 1)",
    ),
];

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = args.get("--seed", 1u64)?;
    let train = Mnist::<f32>::load(root.join("data/mnist"), Part::Train)?;
    let test = Mnist::<f32>::load(root.join("data/mnist"), Part::Test)?;
    let split = Split::holdout(train.len(), 5_000, seed)?;
    let y: Batch<10> = one_hot(&train.labels)?;
    let (x_train, y_train) = (train.x.select(&split.train), y.select(&split.train));
    let (x_dev, y_dev) = (train.x.select(&split.dev), y.select(&split.dev));
    let y_test: Batch<10> = one_hot(&test.labels)?;

    let mut rng = StdRng::seed_from_u64(seed);
    let mut net = DeepMlp {
        d1: Dense::new(Init::He, &mut rng),
        a1: Relu,
        d2: Dense::new(Init::He, &mut rng),
        a2: Relu,
        d3: Dense::new(Init::He, &mut rng),
    };
    println!("{}", net.summary());
    let cfg = FitConfig {
        epochs: args.get("--epochs", 10)?,
        batch_size: args.get("--batch", 64)?,
        seed,
        ..FitConfig::default()
    };
    let mut opt = Sgd::new(args.positive("--lr", 0.1)?)?;
    let history = fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x_train, &y_train),
        Some((&x_dev, &y_dev)),
        &cfg,
    )?;
    let seconds: f64 = history.epochs.iter().map(|e| e.seconds).sum();

    let result = evaluate(&net, &SoftmaxCrossEntropy, &test.x, &y_test, 1000)?;
    let predicted = predict_classes(&net, &test.x, 1000);
    let confusion = ConfusionMatrix::<10>::from_labels(&predicted, &test.labels)?;
    println!("{confusion}");
    println!("training time {seconds:.1} s");
    println!("test accuracy {:.4}", result.accuracy);
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
