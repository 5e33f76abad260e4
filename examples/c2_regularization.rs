//! Course 2, week 1: regularization, L2 and dropout against over-fitting.
//!
//! `cargo run --release --example c2_regularization [-- --epochs 400 --lambda 0.05 --keep-prob 0.5]`
//!
//! The 8×8 digits (pixel counts ÷ 16) with only 150 training images and the other 1647 as the
//! dev set, and a network far larger than 150 images can pin down:
//! `64 → 256 → ReLU → 256 → ReLU → 10` (85 002 parameters), softmax cross-entropy, mini-batch
//! gradient descent (batches of 25), trained long enough that the training set is learned by
//! heart. Then the same network, the same initialization and the same batches, twice more:
//!
//! * L2: `J = J₀ + (λ/2m)·Σ_l ‖W[l]‖²_F`, so every step also shrinks `W[l]` by `α·(λ/m)·W[l]`
//!   (`m` is the mini-batch size here, so `λ = 0.05` acts like `λ = 0.3` on the full 150);
//! * inverted dropout after each hidden ReLU: `A[l] := A[l] ⊙ D[l] / keep_prob` in training,
//!   the identity at evaluation.
//!
//! Prints train and dev accuracy and dev cost of the three runs. All three fit the training
//! set perfectly; both regularizers lower the dev cost and raise the dev accuracy. The digits
//! are an easy set, so the gains are modest (under a point for L2, about two for dropout with
//! the default seed) and vary with the seed and the split.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::data::{Split, Table};
use constnn::loss::Regularization;
use constnn::prelude::*;
use constnn::train::{Evaluation, FitConfig, evaluate, fit};
use rand::{SeedableRng, rngs::StdRng};

mod cli;

const USAGE: &str = "usage: c2_regularization [--epochs <n>] [--lr <f64>] [--lambda <f64>] \
                     [--keep-prob <f64>] [--train <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 400)"),
    ("--lr", "learning rate α (default 0.3)"),
    ("--lambda", "L2 strength λ (default 0.05)"),
    ("--keep-prob", "dropout keep probability (default 0.5)"),
    (
        "--train",
        "training images, the rest is the dev set (default 150)",
    ),
    (
        "--seed",
        "seed of the split, the initialization and the batches (default 3)",
    ),
];

/// The over-fitting network.
#[derive(Network, Clone)]
struct Mlp {
    d1: Dense<64, 256>,
    r1: Relu,
    d2: Dense<256, 256>,
    r2: Relu,
    d3: Dense<256, 10>,
}

/// The same network with dropout after each hidden layer.
#[derive(Network, Clone)]
struct DropoutMlp {
    d1: Dense<64, 256>,
    r1: Relu,
    drop1: Dropout,
    d2: Dense<256, 256>,
    r2: Relu,
    drop2: Dropout,
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

    /// The same weights with dropout layers in between.
    fn with_dropout(self, keep_prob: f64, seed: u64) -> Result<DropoutMlp> {
        Ok(DropoutMlp {
            d1: self.d1,
            r1: Relu,
            drop1: Dropout::new(keep_prob, seed)?,
            d2: self.d2,
            r2: Relu,
            drop2: Dropout::new(keep_prob, seed.wrapping_add(1))?,
            d3: self.d3,
        })
    }
}

/// The data and the settings shared by the three runs.
struct Experiment {
    train: (Batch<64>, Batch<10>),
    dev: (Batch<64>, Batch<10>),
    cfg: FitConfig,
    lr: f64,
}

/// One row of the result table.
struct Row {
    name: String,
    train: Evaluation,
    dev: Evaluation,
}

impl Experiment {
    /// Trains `net` with `reg`, then evaluates it on both sets by inference (no dropout).
    fn run<N>(&self, name: String, net: &mut N, reg: Regularization) -> Result<Row>
    where
        N: Layer<Batch<64>, Output = Batch<10>> + Params<f32> + Clone + Send,
    {
        let start = Instant::now();
        let cfg = FitConfig {
            regularization: reg,
            ..self.cfg.clone()
        };
        let (x, y) = (&self.train.0, &self.train.1);
        let history = fit(
            net,
            &SoftmaxCrossEntropy,
            &mut Sgd::new(self.lr)?,
            (x, y),
            None,
            &cfg,
        )?;
        let last = history.costs.last().copied().unwrap_or(f64::NAN);
        println!(
            "{name:<22} last mini-batch cost {last:.4}, trained in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        let train = evaluate(net, &SoftmaxCrossEntropy, x, y, 1000)?;
        let dev = evaluate(net, &SoftmaxCrossEntropy, &self.dev.0, &self.dev.1, 1000)?;
        Ok(Row { name, train, dev })
    }
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = Table::read(root.join("data/digits.csv"))?;
    let x: Batch<64> = table.features::<64, f32>()?.map(|v| v / 16.0);
    let y: Batch<10> = table.one_hot()?;
    let seed: u64 = args.get("--seed", 3)?;
    let m = table.len();
    let n_train: usize = args.get("--train", 150)?;
    if n_train == 0 || n_train >= m {
        return Err(cli::Error::Flag {
            flag: "--train".into(),
            reason: format!("{n_train} is not between 1 and {}", m - 1),
        });
    }
    let lambda: f64 = args.get("--lambda", 0.05)?;
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(cli::Error::Flag {
            flag: "--lambda".into(),
            reason: format!("`{lambda}` is not a non-negative number"),
        });
    }
    let keep_prob: f64 = args.get("--keep-prob", 0.5)?;
    let mut dropout_net =
        Mlp::new(seed)
            .with_dropout(keep_prob, seed)
            .map_err(|e| cli::Error::Flag {
                flag: "--keep-prob".into(),
                reason: e.to_string(),
            })?;
    let frac = n_train as f64 / m as f64;
    let split = Split::shuffled(m, frac, 1.0 - frac, seed)?;
    let exp = Experiment {
        train: (x.select(&split.train), y.select(&split.train)),
        dev: (x.select(&split.dev), y.select(&split.dev)),
        cfg: FitConfig {
            epochs: args.get("--epochs", 400)?,
            batch_size: 25,
            seed,
            verbose: false,
            ..FitConfig::default()
        },
        lr: args.positive("--lr", 0.3)?,
    };
    println!(
        "digits: {} training and {} dev images; network 64-256-256-10 ({} parameters)",
        split.train.len(),
        split.dev.len(),
        Mlp::new(seed).num_params()
    );

    let none = Regularization::None;
    let rows = [
        exp.run("no regularization".into(), &mut Mlp::new(seed), none)?,
        exp.run(
            format!("L2, λ = {lambda}"),
            &mut Mlp::new(seed),
            Regularization::L2(lambda),
        )?,
        exp.run(format!("dropout, keep {keep_prob}"), &mut dropout_net, none)?,
    ];

    println!();
    println!(
        "{:<22} {:>10} {:>10} {:>10}",
        "model", "train acc", "dev acc", "dev cost"
    );
    for r in &rows {
        println!(
            "{:<22} {:>10.4} {:>10.4} {:>10.4}",
            r.name, r.train.accuracy, r.dev.accuracy, r.dev.cost
        );
    }
    for r in &rows[1..] {
        let gain = 100.0 * (r.dev.accuracy - rows[0].dev.accuracy);
        println!(
            "{}: dev accuracy {gain:+.2} points over no regularization",
            r.name
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
