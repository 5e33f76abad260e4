//! Course 2, week 3: softmax regression on the 8×8 handwritten digits.
//!
//! `cargo run --release --example c2_softmax_digits [-- --epochs 60 --lr 0.5 --batch 32]`
//!
//! `X: 64 × m` (pixel counts 0..16, divided by 16), `Y: 10 × m` one-hot, split "mod 5" (every
//! fifth sample is a test sample). One dense layer and softmax:
//!
//! ```text
//! Z = W·X + b      Ŷ = softmax(Z)      J = −(1/m)·Σ Σ_k y_k·ln ŷ_k      dZ = Ŷ − Y
//! ```
//!
//! trained with mini-batch gradient descent. Prints the cost per epoch (with a progress bar)
//! and the test accuracy, and writes the cost curve to `out/c2_softmax_digits_cost.svg`.

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::{Split, Table};
use constnn::prelude::*;
use constnn::train::{FitConfig, evaluate, fit};

mod cli;

const USAGE: &str =
    "usage: c2_softmax_digits [--epochs <n>] [--lr <f64>] [--batch <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 60)"),
    ("--lr", "learning rate α (default 0.5)"),
    ("--batch", "mini-batch size (default 32)"),
    ("--seed", "shuffling seed (default 1)"),
];

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = Table::read(root.join("data/digits.csv"))?;
    let x: Batch<64> = table.features::<64, f32>()?.map(|v| v / 16.0);
    let y: Batch<10> = table.one_hot()?;
    let split = Split::mod5(table.len());
    let (x_train, y_train) = (x.select(&split.train), y.select(&split.train));
    let (x_test, y_test) = (x.select(&split.test), y.select(&split.test));
    println!(
        "digits: {} training and {} test images of 8×8 pixels",
        split.train.len(),
        split.test.len()
    );

    let mut model: Dense<64, 10> = Dense::zeros();
    let cfg = FitConfig {
        epochs: args.get("--epochs", 60)?,
        batch_size: args.get("--batch", 32)?,
        seed: args.get("--seed", 1)?,
        verbose: true,
        ..FitConfig::default()
    };
    let mut opt = Sgd::new(args.positive("--lr", 0.5)?)?;
    let history = fit(
        &mut model,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x_train, &y_train),
        None,
        &cfg,
    )?;

    let train = evaluate(&model, &SoftmaxCrossEntropy, &x_train, &y_train, 1000)?;
    let test = evaluate(&model, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    println!(
        "train cost {:.4} accuracy {:.4}",
        train.cost, train.accuracy
    );
    println!("test cost {:.4} accuracy {:.4}", test.cost, test.accuracy);
    let chart = root.join("out/c2_softmax_digits_cost.svg");
    std::fs::create_dir_all(root.join("out")).map_err(|source| Error::Io {
        path: root.join("out"),
        source,
    })?;
    history.save_cost_chart(&chart, "softmax regression on digits: mini-batch cost")?;
    println!("cost curve written to {}", chart.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
