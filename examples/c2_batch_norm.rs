//! Course 2, week 3: batch normalization speeds up training.
//!
//! `cargo run --release --example c2_batch_norm [-- --epochs 15 --lr 0.1 --batch 64]`
//!
//! The 8×8 digits (pixel counts ÷ 16, split "mod 5": every fifth image is a test image) and a
//! deep-ish ReLU network `64 → 128 → 128 → 128 → 10`, trained twice from the same weights with
//! the same mini-batches: once plain, once with batch norm between each hidden `Z[l]` and its
//! ReLU,
//!
//! ```text
//! μ = (1/m)·Σ z    σ² = (1/m)·Σ (z − μ)²    ẑ = (z − μ)/√(σ² + ε)    z̃ = γ·ẑ + β    A = ReLU(z̃)
//! ```
//!
//! Prints the training cost per epoch of both runs side by side: with batch norm it falls much
//! faster at the same learning rate. Test accuracies are by inference, where batch norm uses
//! its running averages of `μ` and `σ²` instead of the batch's, so a single image is classified
//! as well as a batch of 360. The per-step cost curves go to `out/c2_batch_norm_cost.svg`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::data::{Split, Table};
use constnn::prelude::*;
use constnn::train::plot::{Chart, Series};
use constnn::train::{FitConfig, History, evaluate, fit};
use rand::{SeedableRng, rngs::StdRng};

mod cli;

const USAGE: &str = "usage: c2_batch_norm [--epochs <n>] [--lr <f64>] [--batch <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 15)"),
    ("--lr", "learning rate α of both runs (default 0.1)"),
    ("--batch", "mini-batch size (default 64)"),
    (
        "--seed",
        "seed of the initialization and the batches (default 1)",
    ),
];

/// Without batch norm.
#[derive(Network, Clone)]
struct Plain {
    d1: Dense<64, 128>,
    r1: Relu,
    d2: Dense<128, 128>,
    r2: Relu,
    d3: Dense<128, 128>,
    r3: Relu,
    d4: Dense<128, 10>,
}

/// The same layers with batch norm after each hidden dense layer, before its ReLU. The dense
/// biases are redundant there (`μ` absorbs them; their gradient is 0) and `β` takes their role.
#[derive(Network, Clone)]
struct WithBatchNorm {
    d1: Dense<64, 128>,
    bn1: BatchNorm<128>,
    r1: Relu,
    d2: Dense<128, 128>,
    bn2: BatchNorm<128>,
    r2: Relu,
    d3: Dense<128, 128>,
    bn3: BatchNorm<128>,
    r3: Relu,
    d4: Dense<128, 10>,
}

impl Plain {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            d1: Dense::new(Init::He, &mut rng),
            r1: Relu,
            d2: Dense::new(Init::He, &mut rng),
            r2: Relu,
            d3: Dense::new(Init::He, &mut rng),
            r3: Relu,
            d4: Dense::new(Init::Glorot, &mut rng),
        }
    }

    /// The same weights with batch norm layers in between (`γ = 1`, `β = 0`).
    fn with_batch_norm(self) -> WithBatchNorm {
        WithBatchNorm {
            d1: self.d1,
            bn1: BatchNorm::new(),
            r1: Relu,
            d2: self.d2,
            bn2: BatchNorm::new(),
            r2: Relu,
            d3: self.d3,
            bn3: BatchNorm::new(),
            r3: Relu,
            d4: self.d4,
        }
    }
}

/// The first epoch whose training cost is below `target`.
fn first_below(h: &History, target: f64) -> Option<usize> {
    h.epochs
        .iter()
        .find(|e| e.train.cost < target)
        .map(|e| e.epoch)
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = Table::read(root.join("data/digits.csv"))?;
    let x: Batch<64> = table.features::<64, f32>()?.map(|v| v / 16.0);
    let y: Batch<10> = table.one_hot()?;
    let split = Split::mod5(table.len());
    let (x_train, y_train) = (x.select(&split.train), y.select(&split.train));
    let (x_test, y_test) = (x.select(&split.test), y.select(&split.test));
    let seed: u64 = args.get("--seed", 1)?;
    let lr = args.positive("--lr", 0.1)?;
    let cfg = FitConfig {
        epochs: args.get("--epochs", 15)?,
        batch_size: args.get("--batch", 64)?,
        seed,
        verbose: false,
        ..FitConfig::default()
    };
    println!(
        "digits: {} training and {} test images; 64-128-128-128-10 ReLU, α = {lr}, batch {}",
        split.train.len(),
        split.test.len(),
        cfg.batch_size
    );

    let mut plain = Plain::new(seed);
    let mut bn = Plain::new(seed).with_batch_norm();
    let train = (&x_train, &y_train);
    let test = Some((&x_test, &y_test));
    let start = Instant::now();
    let h_plain = fit(
        &mut plain,
        &SoftmaxCrossEntropy,
        &mut Sgd::new(lr)?,
        train,
        test,
        &cfg,
    )?;
    let t_plain = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let h_bn = fit(
        &mut bn,
        &SoftmaxCrossEntropy,
        &mut Sgd::new(lr)?,
        train,
        test,
        &cfg,
    )?;
    let t_bn = start.elapsed().as_secs_f64();

    println!();
    println!("        ─── training cost ───   ── test accuracy (infer) ──");
    println!(
        "epoch   {:>9}  {:>10}   {:>9}  {:>10}",
        "plain", "batch norm", "plain", "batch norm"
    );
    for (p, b) in h_plain.epochs.iter().zip(&h_bn.epochs) {
        let acc = |e: &constnn::train::EpochStats| e.dev.map_or(f64::NAN, |d| d.accuracy);
        println!(
            "{:>5}   {:>9.4}  {:>10.4}   {:>9.4}  {:>10.4}",
            p.epoch,
            p.train.cost,
            b.train.cost,
            acc(p),
            acc(b)
        );
    }
    println!("training time: plain {t_plain:.1} s, batch norm {t_bn:.1} s");
    for target in [0.5, 0.2, 0.1] {
        let show = |e: Option<usize>| e.map_or("not reached".into(), |e| format!("epoch {e}"));
        println!(
            "training cost below {target}: plain {}, batch norm {}",
            show(first_below(&h_plain, target)),
            show(first_below(&h_bn, target))
        );
    }

    // Inference: the running averages replace the batch statistics, so the prediction of an
    // image does not depend on which other images share its batch.
    let whole = evaluate(&bn, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    let single = evaluate(&bn, &SoftmaxCrossEntropy, &x_test, &y_test, 1)?;
    let plain_test = evaluate(&plain, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    println!(
        "test accuracy by inference: plain {:.4}; batch norm {:.4} (one batch of {}) = {:.4} (one image at a time)",
        plain_test.accuracy,
        whole.accuracy,
        split.test.len(),
        single.accuracy
    );
    let r = &bn.bn1.running_mean.as_slice()[..3];
    println!("bn1 running mean of the first three features: {r:.3?}");

    let chart = Chart {
        title: "digits 64-128-128-128-10: mini-batch cost with and without batch norm".into(),
        x_label: "iteration".into(),
        y_label: "cost J".into(),
        series: vec![
            Series::from_values("plain", &h_plain.costs),
            Series::from_values("batch norm", &h_bn.costs),
        ],
    };
    let out = root.join("out");
    std::fs::create_dir_all(&out).map_err(|source| Error::Io {
        path: out.clone(),
        source,
    })?;
    let path = out.join("c2_batch_norm_cost.svg");
    chart.save(&path)?;
    println!("cost curves written to {}", path.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
