//! Course 1, week 3: planar data classification with one hidden layer.
//!
//! `cargo run --release --example c1_shallow_network`
//!
//! The "flower" data set of the week-3 assignment (m = 400 points in the plane, two classes
//! forming petals) is not linearly separable. Logistic regression, `ŷ = σ(W·x + b)`, stays
//! near chance; a 2-layer network with 4 tanh hidden units,
//!
//! `Z[1] = W[1]·X + b[1]`, `A[1] = tanh(Z[1])`, `Z[2] = W[2]·A[1] + b[2]`, `ŷ = σ(Z[2])`,
//!
//! trained by full-batch gradient descent (α = 1.2, 10 000 iterations as in the course)
//! separates the petals (the course reports ~47% and ~90% training accuracy).
//! Forward and backward are chained by hand through the `Layer` trait so every step of the
//! notes is visible: `dZ[2] = A[2] − Y`, `dA[1] = W[2]ᵀ·dZ[2]`, `dZ[1] = dA[1] ⊙ (1 − A[1]²)`.

use constnn::prelude::*;
use constnn::tensor::init::standard_normal;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Samples per class (m = 2·200 = 400).
const PER_CLASS: usize = 200;
/// Full-batch gradient-descent iterations and learning rate α (course values).
const ITERATIONS: usize = 10_000;
const LEARNING_RATE: f64 = 1.2;

/// The planar "flower": for class j, `t = linspace(3.12·j, 3.12·(j+1), 200) + 0.2·N(0, 1)`,
/// `r = 4·sin(4t) + 0.2·N(0, 1)`, point `(r·sin t, r·cos t)`, label j. Returns `X` (2 × m)
/// and `Y` (1 × m).
fn flower(rng: &mut StdRng) -> (Batch<2, f64>, Batch<1, f64>) {
    let a = 4.0; // maximum ray of the flower
    let mut points = Vec::with_capacity(2 * PER_CLASS);
    let mut labels = Vec::with_capacity(2 * PER_CLASS);
    for j in 0..2 {
        let (start, end) = (3.12 * j as f64, 3.12 * (j + 1) as f64);
        for k in 0..PER_CLASS {
            let linspace = start + (end - start) * k as f64 / (PER_CLASS - 1) as f64;
            let t = linspace + 0.2 * standard_normal(rng);
            let r = a * (4.0 * t).sin() + 0.2 * standard_normal(rng);
            points.push([r * t.sin(), r * t.cos()]);
            labels.push([j as f64]);
        }
    }
    (Batch::from_columns(&points), Batch::from_columns(&labels))
}

/// Percentage of samples where `σ(z) > 0.5` (i.e. `z > 0`) agrees with the label.
fn accuracy(z: &Batch<1, f64>, y: &Batch<1, f64>) -> f64 {
    let hits = z
        .row(0)
        .iter()
        .zip(y.row(0))
        .filter(|&(&z, &y)| f64::from(u8::from(z > 0.0)) == y)
        .count();
    100.0 * hits as f64 / y.batch_size() as f64
}

/// (a) Logistic regression `Dense<2, 1>` from zeros; returns the training accuracy.
fn logistic_regression(x: &Batch<2, f64>, y: &Batch<1, f64>) -> Result<f64> {
    let mut unit: Dense<2, 1, f64> = Dense::zeros();
    let mut opt = Sgd::new(LEARNING_RATE)?;
    let (mut z, mut dz) = (Batch::default(), Batch::default());
    for i in 0..ITERATIONS {
        unit.forward(x, &mut z, &mut ())?;
        let cost = BinaryCrossEntropy.cost_and_grad(&z, y, &mut dz); // dZ = A − Y
        unit.backward(x, &z, &mut (), &dz, None); // dW = (1/m)·dZ·Xᵀ, db = (1/m)·Σ dZ
        opt.step(&mut unit);
        if i % 1000 == 0 {
            println!("  cost after iteration {i:>5}: {cost:.6}");
        }
    }
    Ok(accuracy(&unit.predict(x), y))
}

/// (b) 2 → 4 (tanh) → 1 with `W[l] ~ N(0, 1)·0.01`; returns the training accuracy.
fn shallow_network(x: &Batch<2, f64>, y: &Batch<1, f64>, rng: &mut StdRng) -> Result<f64> {
    let mut l1: Dense<2, 4, f64> = Dense::new(Init::Random, rng);
    let mut g1 = Tanh;
    let mut l2: Dense<4, 1, f64> = Dense::new(Init::Random, rng);
    let mut opt = Sgd::new(LEARNING_RATE)?;

    // Buffers, allocated once and reused by every iteration (4 × m and 1 × m).
    let (mut z1, mut a1, mut z2) = (Batch::default(), Batch::default(), Batch::default());
    let (mut dz2, mut da1, mut dz1) = (Batch::default(), Batch::default(), Batch::default());
    for i in 0..ITERATIONS {
        l1.forward(x, &mut z1, &mut ())?; // Z[1] = W[1]·X + b[1]
        g1.forward(&z1, &mut a1, &mut ())?; // A[1] = tanh(Z[1])
        l2.forward(&a1, &mut z2, &mut ())?; // Z[2] = W[2]·A[1] + b[2]
        let cost = BinaryCrossEntropy.cost_and_grad(&z2, y, &mut dz2); // dZ[2] = A[2] − Y

        l2.backward(&a1, &z2, &mut (), &dz2, Some(&mut da1)); // dW[2], db[2], dA[1]
        g1.backward(&z1, &a1, &mut (), &da1, Some(&mut dz1)); // dZ[1] = dA[1] ⊙ (1 − A[1]²)
        l1.backward(x, &z1, &mut (), &dz1, None); // dW[1], db[1]
        opt.step(&mut l1);
        opt.step(&mut l2);
        if i % 1000 == 0 {
            println!("  cost after iteration {i:>5}: {cost:.6}");
        }
    }
    Ok(accuracy(&l2.predict(&g1.predict(&l1.predict(x))), y))
}

fn main() -> Result<()> {
    let mut rng = StdRng::seed_from_u64(1);
    let (x, y) = flower(&mut rng);
    println!(
        "planar flower data: X is 2 × {m}, Y is 1 × {m}",
        m = x.batch_size()
    );

    println!("(a) logistic regression, Dense<2, 1>");
    let acc_lr = logistic_regression(&x, &y)?;
    println!("(b) 2-layer network, Dense<2, 4> → tanh → Dense<4, 1>");
    let acc_nn = shallow_network(&x, &y, &mut StdRng::seed_from_u64(2))?;

    println!("accuracy of logistic regression: {acc_lr:.1}% (course: ~47%)");
    println!("accuracy of the 2-layer network: {acc_nn:.1}% (course: ~90%)");
    Ok(())
}
