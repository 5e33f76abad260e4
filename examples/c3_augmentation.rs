//! Course 3 week 2 / course 4 week 2: data augmentation against over-fitting, on MNIST.
//!
//! `cargo run --release --example c3_augmentation [-- --train 1000 --epochs 60 --shift 2 --degrees 12 --noise 0 --seed 1]`
//!
//! A network trained on the first `--train` MNIST training images only, evaluated on a dev set
//! of the next 10 000 training images, twice with the same initialization:
//!
//! * **plain**: every epoch sees the same images;
//! * **augmented**: every epoch sees a fresh copy of each image, shifted by up to `--shift`
//!   pixels on each axis, rotated by up to `--degrees` (bilinear) and with Gaussian noise of
//!   standard deviation `--noise` (`constnn::data::augment`, seeded).
//!
//! Both run for two models, an MLP 784-256-256-10 and a small CNN (CONV 8@5×5 → POOL →
//! CONV 16@5×5 → POOL → FC 10), with Adam. Training accuracy is measured on the original
//! (not augmented) training images, so the train − dev gap is the over-fitting of each run.
//!
//! With the defaults (seed 1) augmentation narrows the gap from 10.1 to 6.1 points for the MLP
//! and from 7.2 to 3.4 for the CNN, raising dev accuracy by 3.3 and 2.0 points. Most of it
//! comes from the shifts (`--degrees 0`: gaps 6.8 and 3.1); rotations alone (`--shift 0`)
//! narrow them to 8.7 and 5.8; noise alone (`--shift 0 --degrees 0 --noise 0.2`) changes
//! nothing measurable (9.9 and 7.2): a digit with grainy pixels is not a new kind of digit.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::data::augment::{AugmentConfig, Augmenter};
use constnn::data::mnist::{Mnist, Part};
use constnn::data::one_hot;
use constnn::layer::Params;
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate, fit};
use rand::{SeedableRng, rngs::StdRng};

mod cli;

type Digits = Images<1, 28, 28>;

/// A multi-layer perceptron with far more parameters (269 322) than 1 000 images pin down.
#[derive(Network, Clone)]
struct Mlp {
    d1: Dense<784, 256>,
    r1: Relu,
    d2: Dense<256, 256>,
    r2: Relu,
    d3: Dense<256, 10>,
}

impl Mlp {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            d1: Dense::new(Init::He, &mut rng),
            r1: Relu,
            d2: Dense::new(Init::He, &mut rng),
            r2: Relu,
            d3: Dense::new(Init::Glorot, &mut rng),
        }
    }
}

/// A small convolutional network: 28 → 24 → 12 → 8 → 4, 16·4·4 = 256 features.
#[derive(Network, Clone)]
#[network(input = (1, 28, 28))]
struct SmallCnn {
    c1: Conv2d<1, 8, 5>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<8, 16, 5>,
    r2: Relu,
    p2: MaxPool2d<2>,
    flat: Flatten,
    out: Dense<256, 10>,
}

impl SmallCnn {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            c1: Conv2d::new(Init::He, &mut rng),
            r1: Relu,
            p1: MaxPool2d,
            c2: Conv2d::new(Init::He, &mut rng),
            r2: Relu,
            p2: MaxPool2d,
            flat: Flatten,
            out: Dense::new(Init::Glorot, &mut rng),
        }
    }
}

const USAGE: &str = "usage: c3_augmentation [--train <n>] [--epochs <n>] [--shift <n>] [--degrees <f64>] [--noise <f64>] [--lr <f64>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--train", "training images (default 1000)"),
    ("--epochs", "passes over the training set (default 60)"),
    ("--shift", "largest shift in pixels (default 2)"),
    ("--degrees", "largest rotation in degrees (default 12)"),
    (
        "--noise",
        "standard deviation of the pixel noise (default 0)",
    ),
    ("--lr", "Adam learning rate α (default 0.001)"),
    (
        "--seed",
        "seed of the weights, the shuffles and the augmentation (default 1)",
    ),
];

/// Train and dev accuracy at the end of a run.
struct Outcome {
    train: f64,
    dev: f64,
    seconds: f64,
}

struct Data<'a> {
    x: &'a Digits,
    y: &'a Batch<10>,
    x_dev: &'a Digits,
    y_dev: &'a Batch<10>,
}

/// Trains `net` one epoch at a time, on the original images or on a fresh augmentation of
/// them each epoch; prints the accuracies every `epochs / 6` epochs.
fn train_run<X, N>(
    name: &str,
    net: &mut N,
    data: &Data<'_>,
    augment: Option<AugmentConfig>,
    epochs: usize,
    lr: f64,
    seed: u64,
) -> Result<Outcome>
where
    X: Tensor<Elem = f32>,
    N: Layer<X, Output = Batch<10>> + Params<f32> + Clone + Send,
{
    let mut opt = Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })?;
    let mut augmenter = augment.map(|cfg| Augmenter::new(cfg, seed)).transpose()?;
    let (x_plain, x_dev): (X, X) = (reshape(data.x), reshape(data.x_dev));
    let mut warped = Digits::default();
    let mut seconds = 0.0;
    let every = epochs.div_ceil(6);
    for epoch in 1..=epochs {
        let start = Instant::now();
        let x_epoch: X = match &mut augmenter {
            Some(a) => {
                a.apply_into(data.x, &mut warped);
                reshape(&warped)
            }
            None => x_plain.clone(),
        };
        let cfg = FitConfig {
            epochs: 1,
            batch_size: 64,
            seed: seed * 10_000 + epoch as u64,
            verbose: false,
            ..FitConfig::default()
        };
        fit(
            net,
            &SoftmaxCrossEntropy,
            &mut opt,
            (&x_epoch, data.y),
            None,
            &cfg,
        )?;
        seconds += start.elapsed().as_secs_f64();
        if epoch % every == 0 || epoch == epochs {
            let train = evaluate(net, &SoftmaxCrossEntropy, &x_plain, data.y, 1000)?;
            let dev = evaluate(net, &SoftmaxCrossEntropy, &x_dev, data.y_dev, 1000)?;
            println!(
                "  {name:<9} epoch {epoch:>3}: train accuracy {:.4}, dev accuracy {:.4}, gap {:+.4}",
                train.accuracy,
                dev.accuracy,
                train.accuracy - dev.accuracy
            );
        }
    }
    Ok(Outcome {
        train: evaluate(net, &SoftmaxCrossEntropy, &x_plain, data.y, 1000)?.accuracy,
        dev: evaluate(net, &SoftmaxCrossEntropy, &x_dev, data.y_dev, 1000)?.accuracy,
        seconds,
    })
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = args.get("--train", 1000usize)?;
    let (epochs, seed) = (args.get("--epochs", 60usize)?, args.get("--seed", 1u64)?);
    let lr = args.positive("--lr", 0.001)?;
    let cfg = AugmentConfig {
        max_shift: args.get("--shift", 2usize)?,
        max_degrees: args.get("--degrees", 12.0f64)?,
        noise: args.get("--noise", 0.0f64)?,
    };
    let all = Mnist::<f32>::load_first(root.join("data/mnist"), Part::Train, n + 10_000)?;
    if all.len() < n + 1 {
        return Err(cli::Error::Flag {
            flag: "--train".into(),
            reason: format!("{n} leaves no dev images of the {}", all.len()),
        });
    }
    let (train_idx, dev_idx): (Vec<usize>, Vec<usize>) =
        ((0..n).collect(), (n..all.len()).collect());
    let y: Batch<10> = one_hot(&all.labels)?;
    let (x, x_dev): (Digits, Digits) = (
        reshape(&all.x.select(&train_idx)),
        reshape(&all.x.select(&dev_idx)),
    );
    let (y_train, y_dev) = (y.select(&train_idx), y.select(&dev_idx));
    let data = Data {
        x: &x,
        y: &y_train,
        x_dev: &x_dev,
        y_dev: &y_dev,
    };
    println!(
        "MNIST: {} training images, {} dev images; augmentation: shift ≤ {} px, rotation ≤ {}°, noise σ = {}",
        n,
        dev_idx.len(),
        cfg.max_shift,
        cfg.max_degrees,
        cfg.noise
    );

    let mut rows = Vec::new();
    println!("\nMLP 784-256-256-10, {epochs} epochs");
    let plain =
        train_run::<Batch<784>, _>("plain", &mut Mlp::new(seed), &data, None, epochs, lr, seed)?;
    let aug = train_run::<Batch<784>, _>(
        "augmented",
        &mut Mlp::new(seed),
        &data,
        Some(cfg),
        epochs,
        lr,
        seed,
    )?;
    rows.push(("MLP", plain, aug));
    println!("\nCNN 8@5×5-16@5×5-10, {epochs} epochs");
    let plain = train_run::<Digits, _>(
        "plain",
        &mut SmallCnn::new(seed),
        &data,
        None,
        epochs,
        lr,
        seed,
    )?;
    let aug = train_run::<Digits, _>(
        "augmented",
        &mut SmallCnn::new(seed),
        &data,
        Some(cfg),
        epochs,
        lr,
        seed,
    )?;
    rows.push(("CNN", plain, aug));

    println!("\nmodel  run        train acc  dev acc  train − dev  seconds");
    for (model, plain, aug) in &rows {
        for (run, o) in [("plain", plain), ("augmented", aug)] {
            println!(
                "{model:<5}  {run:<9}  {:>9.4}  {:>7.4}  {:>11.4}  {:>7.1}",
                o.train,
                o.dev,
                o.train - o.dev,
                o.seconds
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
