//! End-to-end training checks through the public API.
//!
//! Logistic regression on `data/breast_cancer.csv` (course 1 week 2), run exactly as
//! `examples/c1_logistic_regression.rs` runs it, and checked against a plain-Rust
//! implementation of the notes' formulas that shares no code with the library.

use std::path::{Path, PathBuf};

use constnn::data::{Split, Standardizer, Table};
use constnn::prelude::*;

const LR: f64 = 0.1;

fn data_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/breast_cancer.csv")
}

/// The standardized mod-5 split: `(x_train, y_train, x_test, y_test)`.
fn breast_cancer() -> (Batch<30, f64>, Batch<1, f64>, Batch<30, f64>, Batch<1, f64>) {
    let table = Table::read(data_path()).expect("data/breast_cancer.csv is vendored");
    let x: Batch<30, f64> = table.features().expect("30 feature columns");
    let y: Batch<1, f64> = table.binary_labels().expect("labels are 0 or 1");
    let split = Split::mod5(table.len());
    let (x_train, x_test) = (x.select(&split.train), x.select(&split.test));
    let norm = Standardizer::fit(&x_train).expect("456 training samples");
    (
        norm.transform(&x_train),
        y.select(&split.train),
        norm.transform(&x_test),
        y.select(&split.test),
    )
}

/// One step of the example's loop; returns the cost before the update.
fn step(
    layer: &mut Dense<30, 1, f64>,
    opt: &mut Sgd,
    x: &Batch<30, f64>,
    y: &Batch<1, f64>,
) -> f64 {
    let (mut z, mut dz) = (Batch::default(), Batch::default());
    layer
        .forward(x, &mut z, &mut ())
        .expect("a dense layer trains on any batch");
    let cost = BinaryCrossEntropy.cost_and_grad(&z, y, &mut dz);
    layer.backward(x, &z, &mut (), &dz, None);
    opt.step(layer);
    cost
}

fn accuracy(layer: &mut Dense<30, 1, f64>, x: &Batch<30, f64>, y: &Batch<1, f64>) -> f64 {
    let z = layer.predict(x);
    let right = z
        .as_slice()
        .iter()
        .zip(y.as_slice())
        .filter(|&(&z, &y)| (z > 0.0) == (y == 1.0))
        .count();
    right as f64 / y.batch_size() as f64
}

#[test]
fn logistic_regression_learns_breast_cancer() {
    let (x_train, y_train, x_test, y_test) = breast_cancer();
    let mut layer = Dense::<30, 1, f64>::zeros();
    let mut opt = Sgd::new(LR).unwrap();
    let costs: Vec<f64> = (0..2000)
        .map(|_| step(&mut layer, &mut opt, &x_train, &y_train))
        .collect();
    // w = 0, b = 0: every A = σ(0) = ½ and J = −ln ½ = ln 2.
    assert!(
        (costs[0] - 2f64.ln()).abs() < 1e-12,
        "first cost {}",
        costs[0]
    );
    let printed: Vec<f64> = costs.iter().copied().step_by(100).collect();
    for (k, pair) in printed.windows(2).enumerate() {
        assert!(
            pair[1] < pair[0],
            "cost rose from iter {} to {}: {pair:?}",
            k * 100,
            (k + 1) * 100
        );
    }
    let test_acc = accuracy(&mut layer, &x_test, &y_test);
    assert!(test_acc >= 0.95, "test accuracy {test_acc}");
    assert!(accuracy(&mut layer, &x_train, &y_train) >= 0.95);
}

/// The notes' logistic regression on plain vectors: reads the CSV with `str::split`, splits
/// mod 5, standardizes with the population σ, and runs batch gradient descent.
struct Reference {
    x: Vec<Vec<f64>>, // one Vec of 30 features per training sample
    y: Vec<f64>,
    w: Vec<f64>,
    b: f64,
}

impl Reference {
    fn new() -> Self {
        let text = std::fs::read_to_string(data_path()).unwrap();
        let (mut x, mut y) = (vec![], vec![]);
        for (i, line) in text.lines().skip(1).enumerate() {
            let cells: Vec<f64> = line.split(',').map(|c| c.parse().unwrap()).collect();
            if i % 5 != 4 {
                x.push(cells[..30].to_vec());
                y.push(cells[30]);
            }
        }
        let m = x.len() as f64;
        for f in 0..30 {
            let mu = x.iter().map(|s| s[f]).sum::<f64>() / m;
            let sd = (x.iter().map(|s| (s[f] - mu).powi(2)).sum::<f64>() / m).sqrt();
            x.iter_mut().for_each(|s| s[f] = (s[f] - mu) / sd);
        }
        Self {
            x,
            y,
            w: vec![0.0; 30],
            b: 0.0,
        }
    }

    /// `A = σ(wᵀX + b)`, `J`, `dw = (1/m)·X·(A − Y)ᵀ`, `db = (1/m)·Σ(A − Y)`, then the update.
    fn step(&mut self, lr: f64) -> f64 {
        let m = self.x.len() as f64;
        let a: Vec<f64> = self
            .x
            .iter()
            .map(|s| 1.0 / (1.0 + (-(dot(&self.w, s) + self.b)).exp()))
            .collect();
        let cost = -a
            .iter()
            .zip(&self.y)
            .map(|(a, y)| y * a.ln() + (1.0 - y) * (1.0 - a).ln())
            .sum::<f64>()
            / m;
        let dz: Vec<f64> = a.iter().zip(&self.y).map(|(a, y)| a - y).collect();
        for f in 0..30 {
            let dw = self.x.iter().zip(&dz).map(|(s, d)| s[f] * d).sum::<f64>() / m;
            self.w[f] -= lr * dw;
        }
        self.b -= lr * dz.iter().sum::<f64>() / m;
        cost
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

#[test]
fn first_three_steps_match_the_plain_rust_reference() {
    let (x_train, y_train, ..) = breast_cancer();
    let mut reference = Reference::new();
    assert_eq!(reference.x.len(), x_train.batch_size());
    let mut layer = Dense::<30, 1, f64>::zeros();
    let mut opt = Sgd::new(LR).unwrap();
    for k in 0..3 {
        let want_cost = reference.step(LR);
        let cost = step(&mut layer, &mut opt, &x_train, &y_train);
        assert!(
            (cost - want_cost).abs() < 1e-12,
            "iter {k}: cost {cost} vs {want_cost}"
        );
        for (f, (w, want)) in layer.w.as_slice().iter().zip(&reference.w).enumerate() {
            assert!(
                (w - want).abs() < 1e-12,
                "iter {k}: w[{f}] = {w}, reference {want}"
            );
        }
        let b = layer.b.as_slice()[0];
        assert!(
            (b - reference.b).abs() < 1e-12,
            "iter {k}: b = {b}, reference {}",
            reference.b
        );
    }
    assert!(reference.w.iter().any(|&w| w != 0.0), "the steps moved w");
}
