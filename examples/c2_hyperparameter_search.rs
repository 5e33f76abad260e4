//! Course 2, week 3: hyper-parameter tuning by random search on the 8×8 handwritten digits.
//!
//! `cargo run --release --example c2_hyperparameter_search [-- --trials 32 --seed 1 --epochs 30]`
//!
//! The data: `X: 64 × m` (pixel counts 0..16, divided by 16), `Y: 10 × m` one-hot. The "mod 5"
//! split keeps every fifth sample for the test set; the rest is split again into train and a
//! dev set of one fifth, on which the trials are compared. The test set is used once, for the
//! best trial.
//!
//! Each trial trains `64 → H → ReLU → 10 → softmax` with momentum, sampling
//!
//! ```text
//! α      log-uniform on [0.001, 10]         (each decade equally likely)
//! β      1 − β log-uniform on [0.001, 0.1]  (β ∈ [0.9, 0.999], half of them ≥ 0.99)
//! batch  one of 32, 64, 128, 256
//! H      one of 32, 64, 128                 (three compiled networks, chosen by a `match`)
//! ```
//!
//! All trials run in parallel on every core (the notes' "caviar" strategy). The program
//! prints the ranked table, the region a coarse-to-fine search would zoom into, and the best
//! trial retrained with its own seed (it reproduces its dev accuracy) with its test accuracy.

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::{Split, Table};
use constnn::metrics::Criterion;
use constnn::prelude::*;
use constnn::search::{
    Choice, LogUniform, OneMinusLogUniform, Outcome, RandomSearch, RandomSearchConfig, Space, Trial,
};
use constnn::train::{FitConfig, evaluate, fit};
use rand::SeedableRng;
use rand::rngs::StdRng;

mod cli;

const USAGE: &str = "usage: c2_hyperparameter_search [--trials <n>] [--seed <n>] [--epochs <n>] \
                     [--threads <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--trials", "number of random trials (default 24)"),
    (
        "--seed",
        "seed of the search: every trial's values and init (default 1)",
    ),
    (
        "--epochs",
        "passes over the training set in each trial (default 20)",
    ),
    ("--threads", "worker threads (default: every core)"),
];

// One network per width: a derived network's dims are concrete types, so the search picks
// among these three with a `match` on the sampled width.
#[derive(Network, Clone)]
struct Mlp32(Dense<64, 32>, Relu, Dense<32, 10>);

#[derive(Network, Clone)]
struct Mlp64(Dense<64, 64>, Relu, Dense<64, 10>);

#[derive(Network, Clone)]
struct Mlp128(Dense<64, 128>, Relu, Dense<128, 10>);

/// The train, dev and test sets.
struct Sets {
    train: (Batch<64>, Batch<10>),
    dev: (Batch<64>, Batch<10>),
    test: (Batch<64>, Batch<10>),
}

fn load(root: &Path) -> Result<Sets> {
    let table = Table::read(root.join("data/digits.csv"))?;
    let x: Batch<64> = table.features::<64, f32>()?.map(|v| v / 16.0);
    let y: Batch<10> = table.one_hot()?;
    let outer = Split::mod5(table.len());
    let (x_rest, y_rest) = (x.select(&outer.train), y.select(&outer.train));
    let inner = Split::holdout(outer.train.len(), outer.train.len() / 5, 0)?;
    Ok(Sets {
        train: (x_rest.select(&inner.train), y_rest.select(&inner.train)),
        dev: (x_rest.select(&inner.dev), y_rest.select(&inner.dev)),
        test: (x.select(&outer.test), y.select(&outer.test)),
    })
}

fn space() -> Space {
    Space::new()
        .with("lr", LogUniform { lo: 1e-3, hi: 10.0 })
        .with("beta", OneMinusLogUniform { lo: 0.9, hi: 0.999 })
        .with("batch", Choice::new([32, 64, 128, 256]))
        .with("hidden", Choice::new([32, 64, 128]))
}

/// What every trial shares: the data, the number of epochs, and whether to measure the test
/// set too (only for the best trial, after the search).
struct Job<'a> {
    sets: &'a Sets,
    epochs: usize,
    test: bool,
}

/// Trains the network of the trial's width, initialized from the trial's seed.
fn objective(trial: &Trial, job: &Job<'_>) -> Result<Outcome> {
    let rng = &mut StdRng::seed_from_u64(trial.seed);
    let (he, xavier) = (Init::He, Init::Xavier);
    match trial.usize("hidden")? {
        32 => {
            let net = Mlp32(Dense::new(he, rng), Relu, Dense::new(xavier, rng));
            train(net, trial, job)
        }
        64 => {
            let net = Mlp64(Dense::new(he, rng), Relu, Dense::new(xavier, rng));
            train(net, trial, job)
        }
        128 => {
            let net = Mlp128(Dense::new(he, rng), Relu, Dense::new(xavier, rng));
            train(net, trial, job)
        }
        h => Err(Error::Data {
            what: "hidden".into(),
            reason: format!("no network of width {h} was compiled"),
        }),
    }
}

/// Mini-batch momentum with the trial's `α`, `β` and batch size, then the dev-set figures.
fn train<N>(mut net: N, trial: &Trial, job: &Job<'_>) -> Result<Outcome>
where
    N: Layer<Batch<64>, Output = Batch<10>> + Params<f32> + Clone + Send,
{
    let mut opt = Momentum::new(MomentumConfig {
        lr: trial.f64("lr")?,
        beta: trial.f64("beta")?,
    })?;
    let cfg = FitConfig {
        epochs: job.epochs,
        batch_size: trial.usize("batch")?,
        seed: trial.seed,
        verbose: false,
        // The trials already run in parallel, one per thread: one worker each.
        workers: Some(1),
        ..FitConfig::default()
    };
    let ((x, y), (x_dev, y_dev)) = (&job.sets.train, &job.sets.dev);
    fit(&mut net, &SoftmaxCrossEntropy, &mut opt, (x, y), None, &cfg)?;
    let mut outcome = Outcome::from(evaluate(&net, &SoftmaxCrossEntropy, x_dev, y_dev, 1000)?);
    if job.test {
        let (x_test, y_test) = &job.sets.test;
        let test = evaluate(&net, &SoftmaxCrossEntropy, x_test, y_test, 1000)?;
        outcome = outcome.with("test_accuracy", test.accuracy);
    }
    Ok(outcome)
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sets = load(root)?;
    let epochs = args.get("--epochs", 30)?;
    let threads = args.get("--threads", 0usize)?;
    let cfg = RandomSearchConfig {
        trials: args.get("--trials", 32)?,
        seed: args.get("--seed", 1)?,
        threads: (threads > 0).then_some(threads),
        verbose: true,
    };
    println!(
        "digits: {} train, {} dev, {} test images of 8×8 pixels; {} trials of {epochs} epochs, \
         momentum, 64 → H → ReLU → 10\n",
        sets.train.0.batch_size(),
        sets.dev.0.batch_size(),
        sets.test.0.batch_size(),
        cfg.trials
    );
    let search = RandomSearch::new(space(), cfg);
    print!("search space:\n{}\n", search.space);

    let job = Job {
        sets: &sets,
        epochs,
        test: false,
    };
    let report = search.run(Criterion::maximize("dev_accuracy"), |trial| {
        objective(trial, &job)
    })?;
    println!("{report}");

    println!(
        "coarse to fine, the region of the 4 best trials:\n{}",
        search.space.zoom(&report, 4)
    );
    let Some(best) = report.best() else {
        println!("every trial failed");
        return Ok(());
    };
    let again = objective(&best.trial, &Job { test: true, ..job })?;
    let figure = |o: &Outcome, m: &str| o.get(m).unwrap_or(f64::NAN);
    let searched = best
        .outcome
        .as_ref()
        .map_or(f64::NAN, |o| figure(o, "dev_accuracy"));
    println!(
        "best, {}\nretrained with its seed: dev accuracy {:.4} (in the search {searched:.4}), \
         test accuracy {:.4}",
        best.trial,
        figure(&again, "dev_accuracy"),
        figure(&again, "test_accuracy")
    );
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
