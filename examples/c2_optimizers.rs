//! Course 2, week 2: mini-batch gradient descent, momentum and Adam on the "moons" data set.
//!
//! `cargo run --release --example c2_optimizers [-- --epochs 5000 --lr 0.0007 --seed 3]`
//!
//! The programming assignment's setup: m = 300 points on two interleaving half circles with
//! Gaussian noise (σ = 0.2), a 3-layer network `2 → 5 (ReLU) → 2 (ReLU) → 1 (sigmoid)` with He
//! initialization, mini-batches of 64 and `α = 0.0007`. The same initial weights and the same
//! mini-batch shuffles are trained three times:
//!
//! ```text
//! gradient descent   W := W − α·dW
//! momentum           v_dW = β·v_dW + (1 − β)·dW,  W := W − α·v_dW                 (β = 0.9)
//! Adam               v̂_dW, ŝ_dW bias-corrected,  W := W − α·v̂_dW / (√ŝ_dW + ε)   (β1 = 0.9, β2 = 0.999)
//! ```
//!
//! Prints the cost of the three runs every few epochs, the first epoch each reaches a cost
//! threshold, their final train cost and accuracy, and writes the three cost curves to
//! `out/c2_optimizers_cost.svg`.
//!
//! What to expect: Adam leaves the plateau near `J = ln 2` within a few dozen epochs, gradient
//! descent only after thousands. Momentum in the notes' form follows gradient descent closely at
//! this small `α` (as the assignment itself observes): `v_dW` is an average of `dW`, so once it
//! has warmed up the step is still about `α·dW`. Its damping pays off at a large `α`, where the
//! mini-batch noise makes the gradient-descent cost jump: try `--lr 1`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use constnn::cli::{self, Args};
use constnn::prelude::*;
use constnn::tensor::init::standard_normal;
use constnn::train::plot::{Chart, Series};
use constnn::train::{FitConfig, History, evaluate, fit};
use rand::SeedableRng;
use rand::rngs::StdRng;

const USAGE: &str = "usage: c2_optimizers [--epochs <n>] [--lr <f64>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 5000)"),
    ("--lr", "learning rate α of all three runs (default 0.0007)"),
    (
        "--seed",
        "seed of the data, the initial weights and the shuffles (default 3)",
    ),
];
/// The cost whose first crossing is reported for each optimizer.
const THRESHOLD: f64 = 0.5;

#[derive(Network)]
struct Net {
    d1: Dense<2, 5, f64>,
    r1: Relu,
    d2: Dense<5, 2, f64>,
    r2: Relu,
    out: Dense<2, 1, f64>,
}

impl Net {
    fn he(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Net {
            d1: Dense::new(Init::He, &mut rng),
            r1: Relu,
            d2: Dense::new(Init::He, &mut rng),
            r2: Relu,
            out: Dense::new(Init::He, &mut rng),
        }
    }
}

/// `m` points: the upper half circle `(cos t, sin t)` (label 0) and the lower one shifted,
/// `(1 − cos t, 0.5 − sin t)` (label 1), `t` evenly spaced in `[0, π]`, plus N(0, noise²) on
/// each coordinate (scikit-learn's `make_moons`).
fn moons(m: usize, noise: f64, rng: &mut StdRng) -> (Batch<2, f64>, Batch<1, f64>) {
    let outer = m / 2;
    let mut points = Vec::with_capacity(m);
    let mut labels = Vec::with_capacity(m);
    for (n, label) in [(outer, 0.0), (m - outer, 1.0)] {
        for i in 0..n {
            let t = core::f64::consts::PI * i as f64 / (n.max(2) - 1) as f64;
            let (x, y) = if label == 0.0 {
                (t.cos(), t.sin())
            } else {
                (1.0 - t.cos(), 0.5 - t.sin())
            };
            points.push([
                x + noise * standard_normal(rng),
                y + noise * standard_normal(rng),
            ]);
            labels.push(label);
        }
    }
    let y = Batch::from_fn(m, |_, j| labels[j]);
    (Batch::from_columns(&points), y)
}

fn first_below(history: &History, threshold: f64) -> String {
    history
        .epochs
        .iter()
        .find(|e| e.train.cost <= threshold)
        .map_or("not reached".to_string(), |e| format!("epoch {}", e.epoch))
}

/// Trains a freshly initialised network (the same weights for every call with `seed`).
fn train(
    mut opt: impl Optimizer<f64> + Send,
    seed: u64,
    x: &Batch<2, f64>,
    y: &Batch<1, f64>,
    cfg: &FitConfig,
) -> Result<(Net, History)> {
    let mut net = Net::he(seed);
    let history = fit(&mut net, &BinaryCrossEntropy, &mut opt, (x, y), None, cfg)?;
    Ok((net, history))
}

fn run(args: &Args) -> Result<()> {
    let epochs: usize = args.get("--epochs", 5000)?;
    let lr = args.positive("--lr", 0.0007)?;
    let seed: u64 = args.get("--seed", 3)?;
    let (x, y) = moons(300, 0.2, &mut StdRng::seed_from_u64(seed));
    println!(
        "moons: m = {}, 2 → 5 → 2 → 1, mini-batches of 64, α = {lr}, {epochs} epochs",
        x.batch_size()
    );
    let cfg = FitConfig {
        epochs,
        batch_size: 64,
        seed,
        verbose: false,
        ..FitConfig::default()
    };

    let start = Instant::now();
    let mut runs = [
        ("gradient descent", train(Sgd::new(lr), seed, &x, &y, &cfg)?),
        (
            "momentum",
            train(
                Momentum::new(MomentumConfig {
                    lr,
                    ..MomentumConfig::default()
                }),
                seed,
                &x,
                &y,
                &cfg,
            )?,
        ),
        (
            "Adam",
            train(
                Adam::new(AdamConfig {
                    lr,
                    ..AdamConfig::default()
                }),
                seed,
                &x,
                &y,
                &cfg,
            )?,
        ),
    ];
    let seconds = start.elapsed().as_secs_f64();

    println!(
        "\n{:>6} {:>17} {:>10} {:>10}",
        "epoch", runs[0].0, runs[1].0, runs[2].0
    );
    let every = (epochs / 10).max(1);
    for e in (0..epochs).filter(|e| e % every == 0 || e + 1 == epochs) {
        let cost = |r: usize| runs[r].1.1.epochs[e].train.cost;
        println!(
            "{:>6} {:>17.4} {:>10.4} {:>10.4}",
            e + 1,
            cost(0),
            cost(1),
            cost(2)
        );
    }
    println!();
    for (name, (net, history)) in &mut runs {
        let eval = evaluate(net, &BinaryCrossEntropy, &x, &y, 1000);
        println!(
            "{name:<16}: train cost {:.4}, accuracy {:.4}; cost ≤ {THRESHOLD} first at {}",
            eval.cost,
            eval.accuracy,
            first_below(history, THRESHOLD)
        );
    }
    println!("trained 3 × {epochs} epochs in {seconds:.1} s");

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(root.join("out")).map_err(|source| Error::Io {
        path: root.join("out"),
        source,
    })?;
    let chart = Chart {
        title: format!("moons, 2-5-2-1 network, mini-batch 64, α = {lr}"),
        x_label: "epoch".into(),
        y_label: "cost J (epoch mean)".into(),
        series: runs
            .iter()
            .map(|(name, (_, h))| Series {
                name: (*name).into(),
                points: h
                    .epochs
                    .iter()
                    .map(|e| (e.epoch as f64, e.train.cost))
                    .collect(),
            })
            .collect(),
    };
    let path = root.join("out/c2_optimizers_cost.svg");
    chart.save(&path)?;
    println!("cost curves written to {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
