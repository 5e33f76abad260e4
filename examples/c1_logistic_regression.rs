//! Course 1, week 2: logistic regression as a neural network, on breast cancer diagnoses.
//!
//! `cargo run --release --example c1_logistic_regression [-- --lr 0.1 --iters 2000]`
//!
//! `X: 30 × m` (one column per patient), `Y: 1 × m` (1 = benign, 0 = malignant), split "mod 5"
//! (every fifth sample is a test sample) and standardized with the training set's `μ`, `σ`.
//! Starting from `w = 0`, `b = 0`, each iteration of batch gradient descent computes
//!
//! ```text
//! Z = wᵀX + b        A = σ(Z)        J = −(1/m)·Σ (Y·ln A + (1 − Y)·ln(1 − A))
//! dZ = A − Y         dw = (1/m)·X·dZᵀ        db = (1/m)·Σ dZ
//! w := w − α·dw      b := b − α·db
//! ```
//!
//! and every 100 iterations prints `iter <k> cost <J>` (the cost before update `k`). With
//! `w = 0` every `A` is ½, so the first cost is `ln 2 = 0.69314718`. The prediction is
//! `ŷ = 1` when `Z > 0` (i.e. `A > ½`).

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::{Split, Standardizer, Table, fmt_sig};
use constnn::prelude::*;

mod cli;

const USAGE: &str = "usage: c1_logistic_regression [--lr <f64 > 0>] [--iters <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--lr", "learning rate α (default 0.1)"),
    ("--iters", "gradient-descent iterations (default 2000)"),
];

/// The fraction of samples whose prediction `Z > 0` matches the label `y ∈ {0, 1}`.
fn accuracy(layer: &mut Dense<30, 1, f64>, x: &Batch<30, f64>, y: &Batch<1, f64>) -> f64 {
    let z = layer.predict(x);
    let right = z
        .as_slice()
        .iter()
        .zip(y.as_slice())
        .filter(|&(&z, &y)| (z > 0.0) == (y == 1.0))
        .count();
    right as f64 / y.batch_size().max(1) as f64
}

fn run(args: &Args) -> cli::Result {
    let (lr, iters) = (args.positive("--lr", 0.1)?, args.get("--iters", 2000usize)?);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/breast_cancer.csv");
    let table = Table::read(&path)?;
    let (x, y): (Batch<30, f64>, Batch<1, f64>) = (table.features()?, table.binary_labels()?);
    let split = Split::mod5(table.len());
    let (x_train, y_train) = (x.select(&split.train), y.select(&split.train));
    let (x_test, y_test) = (x.select(&split.test), y.select(&split.test));
    let norm = Standardizer::fit(&x_train)?;
    let (x_train, x_test) = (norm.transform(&x_train), norm.transform(&x_test));

    let mut layer = Dense::<30, 1, f64>::zeros();
    let mut opt = Sgd::new(lr)?;
    let (mut z, mut dz) = (Batch::default(), Batch::default());
    for k in 0..iters {
        layer.forward(&x_train, &mut z, &mut ())?;
        let cost = BinaryCrossEntropy.cost_and_grad(&z, &y_train, &mut dz);
        if k % 100 == 0 {
            println!("iter {k} cost {}", fmt_sig(cost, 8));
        }
        layer.backward(&x_train, &z, &mut (), &dz, None);
        opt.step(&mut layer);
    }
    let train_acc = accuracy(&mut layer, &x_train, &y_train);
    let test_acc = accuracy(&mut layer, &x_test, &y_test);
    println!("train accuracy {}", fmt_sig(train_acc, 8));
    println!("test accuracy {}", fmt_sig(test_acc, 8));
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
