//! Course 3, week 2: multi-task learning with unknown labels, on MNIST.
//!
//! `cargo run --release --example c3_multi_task [-- --train 10000 --hidden 0.5 --epochs 8 --seed 1]`
//!
//! One network with four sigmoid outputs answers four yes/no questions about a digit image,
//! each derived from the digit's label:
//!
//! | task | 1 for the digits |
//! |---|---|
//! | even | 0 2 4 6 8 |
//! | big (> 4) | 5 6 7 8 9 |
//! | loop (a closed loop) | 0 6 8 9 — `4` counts as open: MNIST's writers mostly draw the open-top 4, though printed fonts close it |
//! | prime | 2 3 5 7 |
//!
//! A share `--hidden` of the training labels is replaced by `?` (each (image, task) pair
//! independently, seeded), as when annotators label only some of the objects in an image.
//! Three networks 784-128(ReLU)-4 are trained with Adam and `constnn::loss::MultiTask`, which
//! leaves a `?` out of the cost and its gradient:
//!
//! 1. **all labels**: the reference, nothing hidden;
//! 2. **masked**: every image, with its `?`s masked out;
//! 3. **dropped**: only the images with no `?` at all (what one has to do with a loss that
//!    cannot skip a label), given as many optimizer steps as the masked run.
//!
//! Dev (5 000 images held out of the training set) and test (the official 10 000) have every
//! label; the accuracy of each task is printed for each run.

use std::path::Path;
use std::process::ExitCode;

use cli::Args;
use constnn::data::Split;
use constnn::data::mnist::{Mnist, Part};
use constnn::loss::MultiTask;
use constnn::metrics::TaskAccuracy;
use constnn::prelude::*;
use constnn::train::{FitConfig, fit};
use rand::{RngExt, SeedableRng, rngs::StdRng};

mod cli;

/// Four logistic units on one hidden layer; the sigmoids are in the loss.
#[derive(Network, Clone)]
struct TaskNet {
    d1: Dense<784, 128>,
    a1: Relu,
    d2: Dense<128, 4>,
}

impl TaskNet {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            d1: Dense::new(Init::He, &mut rng),
            a1: Relu,
            d2: Dense::new(Init::Glorot, &mut rng),
        }
    }
}

const TASKS: [&str; 4] = ["even", "big (>4)", "loop", "prime"];

/// The four answers for a digit.
fn attributes(digit: usize) -> [bool; 4] {
    [
        digit.is_multiple_of(2),
        digit > 4,
        matches!(digit, 0 | 6 | 8 | 9),
        matches!(digit, 2 | 3 | 5 | 7),
    ]
}

fn labels_of(digits: &[usize]) -> Batch<4> {
    let rows: Vec<[Option<bool>; 4]> = digits.iter().map(|&d| attributes(d).map(Some)).collect();
    MultiTask::labels(&rows)
}

const USAGE: &str =
    "usage: c3_multi_task [--train <n>] [--hidden <f64>] [--epochs <n>] [--lr <f64>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    (
        "--train",
        "training images, taken from the first n + 5000 of MNIST's training set (default 10000)",
    ),
    (
        "--hidden",
        "share of the training labels replaced by ? (default 0.5)",
    ),
    ("--epochs", "passes over the training set (default 8)"),
    ("--lr", "Adam learning rate α (default 0.001)"),
    (
        "--seed",
        "seed of the weights, the dev split, the hidden labels and the shuffles (default 1)",
    ),
];

/// What one run leaves: its name, training images, known labels used, dev and test scores.
struct Run {
    name: &'static str,
    images: usize,
    labels: usize,
    steps: usize,
    dev: TaskAccuracy<4>,
    test: TaskAccuracy<4>,
}

struct Sets<'a> {
    dev: (&'a Batch<784>, &'a Batch<4>),
    test: (&'a Batch<784>, &'a Batch<4>),
}

/// Trains a fresh network on `(x, y)` for `epochs` passes, printing one line per epoch with
/// the dev figures.
fn train_run(
    name: &'static str,
    (x, y): (&Batch<784>, &Batch<4>),
    epochs: usize,
    lr: f64,
    seed: u64,
    sets: &Sets<'_>,
) -> Result<Run> {
    let mut net = TaskNet::new(seed);
    let mut opt = Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })?;
    let mut steps = 0;
    let every = epochs.div_ceil(8); // at most about 8 lines per run
    println!(
        "\n{name}: {} training images, {epochs} epochs",
        x.batch_size()
    );
    for epoch in 1..=epochs {
        // One epoch per call, each with its own shuffle, to print the dev accuracy of every
        // task after it (`fit`'s own figures are the accuracy over all known labels).
        let cfg = FitConfig {
            epochs: 1,
            batch_size: 64,
            seed: seed * 1000 + epoch as u64,
            verbose: false,
            ..FitConfig::default()
        };
        let h = fit(&mut net, &MultiTask, &mut opt, (x, y), Some(sets.dev), &cfg)?;
        steps += h.costs.len();
        let e = &h.epochs[0];
        if epoch % every != 0 && epoch != epochs {
            continue;
        }
        let dev = TaskAccuracy::from_logits(&net.predict(sets.dev.0), sets.dev.1)?;
        let per_task: Vec<String> = dev
            .tasks()
            .iter()
            .map(|t| format!("{:.4}", t.accuracy().unwrap_or(f64::NAN)))
            .collect();
        println!(
            "  epoch {epoch}: train cost {:.4}, dev cost {:.4}, dev accuracy per task {}",
            e.train.cost,
            e.dev.map_or(f64::NAN, |d| d.cost),
            per_task.join(" ")
        );
    }
    let known = y.as_slice().iter().filter(|v| !v.is_nan()).count();
    Ok(Run {
        name,
        images: x.batch_size(),
        labels: known,
        steps,
        dev: TaskAccuracy::from_logits(&net.predict(sets.dev.0), sets.dev.1)?.with_names(&TASKS),
        test: TaskAccuracy::from_logits(&net.predict(sets.test.0), sets.test.1)?.with_names(&TASKS),
    })
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (n_train, epochs, seed) = (
        args.get("--train", 10_000usize)?,
        args.get("--epochs", 8usize)?,
        args.get("--seed", 1u64)?,
    );
    let hidden = args.get("--hidden", 0.5f64)?;
    if !(0.0..1.0).contains(&hidden) {
        return Err(cli::Error::Flag {
            flag: "--hidden".into(),
            reason: format!("`{hidden}` is not a share in [0, 1)"),
        });
    }
    let lr = args.positive("--lr", 0.001)?;

    let all = Mnist::<f32>::load_first(root.join("data/mnist"), Part::Train, n_train + 5_000)?;
    let test = Mnist::<f32>::load(root.join("data/mnist"), Part::Test)?;
    let split = Split::holdout(all.len(), 5_000.min(all.len() / 2), seed)?;
    let x_train = all.x.select(&split.train);
    let digits: Vec<usize> = split.train.iter().map(|&i| all.labels[i]).collect();
    let x_dev = all.x.select(&split.dev);
    let dev_digits: Vec<usize> = split.dev.iter().map(|&i| all.labels[i]).collect();
    let (y_dev, y_test) = (labels_of(&dev_digits), labels_of(&test.labels));
    let sets = Sets {
        dev: (&x_dev, &y_dev),
        test: (&test.x, &y_test),
    };

    // Hide each (image, task) label with probability `hidden`.
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let partial: Vec<[Option<bool>; 4]> = digits
        .iter()
        .map(|&d| attributes(d).map(|a| (rng.random::<f64>() >= hidden).then_some(a)))
        .collect();
    let y_full = labels_of(&digits);
    let y_masked: Batch<4> = MultiTask::labels(&partial);
    let complete: Vec<usize> = (0..partial.len())
        .filter(|&i| partial[i].iter().all(Option::is_some))
        .collect();
    let (x_complete, y_complete) = (x_train.select(&complete), y_masked.select(&complete));
    let hidden_count = partial.iter().flatten().filter(|a| a.is_none()).count();
    println!(
        "MNIST: {} training images ({} of their {} labels hidden, {} images with no ?), {} dev, {} test",
        digits.len(),
        hidden_count,
        4 * digits.len(),
        complete.len(),
        x_dev.batch_size(),
        test.len()
    );
    println!("tasks: even; big (>4); loop (0 6 8 9, 4 counted as open); prime (2 3 5 7)");
    if complete.is_empty() {
        return Err(Error::Data {
            what: "dropped run".into(),
            reason: "no training image has all four labels; lower --hidden".into(),
        }
        .into());
    }

    let full = train_run("all labels", (&x_train, &y_full), epochs, lr, seed, &sets)?;
    let masked = train_run("masked", (&x_train, &y_masked), epochs, lr, seed, &sets)?;
    // As many optimizer steps as the masked run: epochs scaled by the size ratio.
    let steps_per_epoch = complete.len().div_ceil(64);
    let drop_epochs = masked.steps.div_ceil(steps_per_epoch);
    let dropped = train_run(
        "dropped",
        (&x_complete, &y_complete),
        drop_epochs,
        lr,
        seed,
        &sets,
    )?;

    for r in [&full, &masked, &dropped] {
        print!(
            "\n{} ({} images, {} known labels, {} steps): test accuracy per task\n{}",
            r.name, r.images, r.labels, r.steps, r.test
        );
    }
    println!("\nrun          images  labels  steps  dev mean  test mean");
    for r in [&full, &masked, &dropped] {
        println!(
            "{:<11} {:>7} {:>7} {:>6}  {:>8.4}  {:>9.4}",
            r.name,
            r.images,
            r.labels,
            r.steps,
            r.dev.mean().unwrap_or(f64::NAN),
            r.test.mean().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
