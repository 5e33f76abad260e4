//! Course 2, week 1: gradient checking.
//!
//! `cargo run --release --example c2_gradient_check [-- --eps 1e-6 --seed 7]`
//!
//! Compares the gradients of backward propagation with two-sided differences,
//!
//! ```text
//! dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε
//! relative error = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)     (< 1e-7 correct, > 1e-3 a bug)
//! ```
//!
//! on a small `f64` network `4 → 5 → batch norm → tanh → dropout → 3 → tanh → 1`, checking every
//! parameter (`W`, `b`, `γ`, `β`) and the input gradient `dX`. Four checks:
//!
//! 1. the network with dropout off (`keep_prob = 1`, as the notes advise): passes;
//! 2. dropout on with a fixed mask ([`Dropout::fixed_mask`]: the same mask at every forward,
//!    so `J` is one function of `θ`): passes;
//! 3. dropout on with a new mask at every forward: `J` changes between the evaluations of the
//!    difference quotient, so the check fails even though backward is right;
//! 4. a deliberately broken backward: the first dense layer "forgets" the `1/m` in
//!    `dW[1] = (1/m)·dZ[1]·A[0]ᵀ`, and the check reports a large error.

use std::process::ExitCode;

use cli::Args;
use constnn::gradcheck::{Report, check_layer};
use constnn::prelude::*;
use constnn::shape::{Describe, Rule};
use rand::RngExt;

mod cli;

const USAGE: &str = "usage: c2_gradient_check [--eps <f64>] [--m <n>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--eps", "ε of the two-sided differences (default 1e-6)"),
    ("--m", "samples in the checked batch (default 6)"),
    ("--seed", "seed of the weights and the input (default 7)"),
];

/// The network under test.
#[derive(Network)]
struct Net {
    d1: Dense<4, 5, f64>,
    bn1: BatchNorm<5, f64>,
    a1: Tanh,
    drop1: Dropout,
    d2: Dense<5, 3, f64>,
    a2: Tanh,
    d3: Dense<3, 1, f64>,
}

/// The same network whose first layer has the broken backward.
#[derive(Network)]
struct BrokenNet {
    d1: ForgetsOneOverM,
    bn1: BatchNorm<5, f64>,
    a1: Tanh,
    drop1: Dropout,
    d2: Dense<5, 3, f64>,
    a2: Tanh,
    d3: Dense<3, 1, f64>,
}

/// A dense layer whose backward returns `dZ·Aᵀ` instead of `(1/m)·dZ·Aᵀ` for `dW` (the bug).
#[derive(Params)]
struct ForgetsOneOverM(#[layer] Dense<4, 5, f64>);

impl Layer<Batch<4, f64>> for ForgetsOneOverM {
    type Output = Batch<5, f64>;
    type Cache = ();

    fn forward(
        &mut self,
        x: &Batch<4, f64>,
        z: &mut Batch<5, f64>,
        c: &mut (),
    ) -> constnn::Result<()> {
        self.0.forward(x, z, c)
    }

    fn infer(&self, x: &Batch<4, f64>, z: &mut Batch<5, f64>, c: &mut ()) {
        self.0.infer(x, z, c);
    }

    fn backward(
        &mut self,
        x: &Batch<4, f64>,
        z: &Batch<5, f64>,
        c: &mut (),
        dz: &Batch<5, f64>,
        dx: Option<&mut Batch<4, f64>>,
    ) {
        self.0.backward(x, z, c, dz, dx);
        let m = x.batch_size() as f64;
        self.0.dw.as_mut_slice().iter_mut().for_each(|g| *g *= m); // the bug
    }
}

impl Describe for ForgetsOneOverM {
    const RULE: Rule = <Dense<4, 5, f64> as Describe>::RULE;
}

/// Seeded weights; `γ`, `β` moved away from 1 and 0 so their gradients are checked at a
/// generic point.
fn net(seed: u64, drop1: Dropout) -> Net {
    let mut rng = StdRng::seed_from_u64(seed);
    let bn1 = BatchNorm {
        gamma: Vector::from_fn(|k, _| 0.8 + 0.1 * k as f64),
        beta: Vector::from_fn(|k, _| 0.2 - 0.1 * k as f64),
        ..BatchNorm::new()
    };
    Net {
        d1: Dense::new(Init::Xavier, &mut rng),
        bn1,
        a1: Tanh,
        drop1,
        d2: Dense::new(Init::Xavier, &mut rng),
        a2: Tanh,
        d3: Dense::new(Init::Xavier, &mut rng),
    }
}

/// One line per check: the errors and the verdict by the notes' thresholds.
fn show(what: &str, r: &Report) {
    let e = r.max_error();
    let verdict = if e < 1e-7 {
        format!("correct: {e:.1e} < 1e-7")
    } else if e > 1e-3 {
        format!("WRONG: {e:.1e} > 1e-3")
    } else {
        format!("suspicious: 1e-7 ≤ {e:.1e} ≤ 1e-3")
    };
    let input = r.input.map_or(String::new(), |i| format!(", dX {i:.1e}"));
    println!("{what:<42} params {:.1e}{input}  →  {verdict}", r.params);
}

fn run(args: &Args) -> cli::Result {
    let eps: f64 = args.positive("--eps", 1e-6)?;
    let m: usize = args.get("--m", 6)?;
    if m < 2 {
        return Err(cli::Error::Flag {
            flag: "--m".into(),
            reason: format!("{m} samples: batch norm needs at least 2 to have a variance"),
        });
    }
    let seed: u64 = args.get("--seed", 7)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let x = Batch::<4, f64>::from_fn(m, |_, _| rng.random_range(-1.0..1.0));

    let mut correct = net(seed, Dropout::new(1.0, 0)?);
    println!("{}", correct.summary());
    println!(
        "checking {} parameters and dX on a batch of m = {m}, ε = {eps:e}\n",
        correct.num_params()
    );

    let off = check_layer(&mut correct, &x, eps, seed)?;
    show("1. dropout off (keep_prob = 1)", &off);
    let fixed = check_layer(&mut net(seed, Dropout::fixed_mask(0.5, 3)?), &x, eps, seed)?;
    show("2. dropout 0.5 with a fixed mask", &fixed);
    let fresh = check_layer(&mut net(seed, Dropout::new(0.5, 3)?), &x, eps, seed)?;
    show("3. dropout 0.5, new mask every forward", &fresh);
    let n = net(seed, Dropout::new(1.0, 0)?);
    let mut broken = BrokenNet {
        d1: ForgetsOneOverM(n.d1),
        bn1: n.bn1,
        a1: Tanh,
        drop1: n.drop1,
        d2: n.d2,
        a2: Tanh,
        d3: n.d3,
    };
    let bug = check_layer(&mut broken, &x, eps, seed)?;
    show("4. d1 backward forgets the 1/m in dW", &bug);

    // Locating the bug, as the notes suggest: check the components one at a time.
    println!("\nlocating the bug in 4: each layer of that network checked alone");
    let mut random = |_: usize, _: usize| rng.random_range(-1.0..1.0);
    let (x5, x3) = (
        Batch::<5, f64>::from_fn(m, &mut random),
        Batch::<3, f64>::from_fn(m, &mut random),
    );
    show(
        "   d1 (the broken dense layer)",
        &check_layer(&mut broken.d1, &x, eps, seed)?,
    );
    show("   bn1", &check_layer(&mut broken.bn1, &x5, eps, seed)?);
    show("   d2", &check_layer(&mut broken.d2, &x5, eps, seed)?);
    show("   d3", &check_layer(&mut broken.d3, &x3, eps, seed)?);
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
