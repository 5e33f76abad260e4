//! Course 4, week 2: LeNet-5 on MNIST, data-parallel over MPI processes (course 2, week 2's
//! mini-batch gradient descent with each mini-batch's columns split over the ranks).
//!
//! `mpiexec -n 2 cargo run --release --features mpi --example c4_lenet_distributed [-- --epochs 6 --batch 128 --lr 0.003 --decay 0.5 --seed 1]`
//!
//! The network, data and settings are those of `c4_lenet_mnist` (55 000 training images, a
//! dev set of 5 000, Adam with α0 = 0.003 halved after every epoch, batch 128): every rank
//! loads the data and takes its shard of each global mini-batch of `--batch` images; the
//! gradients are summed over the ranks once per step, so every rank takes the same Adam
//! step. Rank 0 prints the epoch lines, the test accuracy on the 10 000 test images and the
//! training throughput in images/s (all ranks together), and writes `--checkpoint`
//! (resumable). Any error on any rank, a missing data file (`-- --data nowhere`) as much as
//! a diverged cost, ends the whole job with `rank R: <error>` and a non-zero status. With 2
//! ranks on a 2-core machine, give each rank one thread: `RAYON_NUM_THREADS=1 mpiexec -n 2
//! …`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::data::mnist::{Mnist, Part};
use constnn::data::{Split, one_hot};
use constnn::distributed::{self, Mpi};
use constnn::models::LeNet5;
use constnn::optim::LrSchedule;
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate};

mod cli;

type Digits = Images<1, 28, 28>;

const USAGE: &str = "usage: mpiexec -n <ranks> c4_lenet_distributed [--epochs <n>] [--batch <n>] [--lr <f64>] [--decay <f64>] [--seed <n>] [--train <n>] [--data <dir>] [--checkpoint <path>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 6)"),
    (
        "--batch",
        "global mini-batch size, split over the ranks (default 128)",
    ),
    ("--lr", "Adam learning rate α0 (default 0.003)"),
    (
        "--decay",
        "learning-rate decay per epoch, α = decay^epoch·α0 (default 0.5; 1: none)",
    ),
    (
        "--seed",
        "seed of the weights, the dev split and the shuffles (default 1)",
    ),
    (
        "--train",
        "use only the first n training images (default: all 60000)",
    ),
    (
        "--data",
        "directory of the MNIST files, read by every rank (default data/mnist)",
    ),
    (
        "--checkpoint",
        "training checkpoint written by rank 0 after every epoch; training resumes from it when it exists (default: none)",
    ),
];

fn run(mpi: &Mpi, args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (epochs, batch, seed) = (
        args.at_least_one("--epochs", 6)?,
        args.at_least_one("--batch", 128)?,
        args.get("--seed", 1u64)?,
    );
    let lr = args.positive("--lr", 0.003)?;
    let decay = args.positive("--decay", 0.5)?;
    let limit = args.get("--train", 60_000usize)?;
    let dir = root.join(args.get("--data", String::from("data/mnist"))?);
    let checkpoint: Option<PathBuf> = match args.get("--checkpoint", String::new())? {
        p if p.is_empty() => None,
        p => Some(p.into()),
    };

    let start = Instant::now();
    let train = Mnist::<f32>::load_first(&dir, Part::Train, limit)?;
    let test = Mnist::<f32>::load(&dir, Part::Test)?;
    let split = Split::holdout(train.len(), (train.len() / 12).max(1), seed)?;
    let y_all: Batch<10> = one_hot(&train.labels)?;
    let x_train: Digits = reshape(&train.x.select(&split.train));
    let y_train = y_all.select(&split.train);
    let x_dev: Digits = reshape(&train.x.select(&split.dev));
    let y_dev = y_all.select(&split.dev);
    if mpi.is_root() {
        println!(
            "MNIST: {} training, {} dev, {} test images on {} ranks, global batch {batch} (loaded in {:.1} s)",
            split.train.len(),
            split.dev.len(),
            test.len(),
            mpi.size(),
            start.elapsed().as_secs_f64()
        );
    }

    if let Some(p) = checkpoint.as_ref().filter(|p| p.exists() && mpi.is_root()) {
        println!("resuming from {}", p.display());
    }
    let mut net = LeNet5::new(seed); // rank 0's weights are broadcast to the others
    let cfg = FitConfig {
        epochs,
        batch_size: batch,
        seed,
        schedule: (decay != 1.0).then_some(LrSchedule::Exponential { base: decay }),
        verbose: mpi.is_root(),
        checkpoint,
        resume: true,
        ..FitConfig::default()
    };
    let mut opt = Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })?;
    let history = distributed::fit(
        mpi,
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x_train, &y_train),
        Some((&x_dev, &y_dev)),
        &cfg,
    )?;
    if !mpi.is_root() {
        return Ok(());
    }
    let x_test: Digits = reshape(&test.x);
    let y_test: Batch<10> = one_hot(&test.labels)?;
    let result = evaluate(&net, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    if history.epochs.is_empty() {
        println!("the checkpoint had completed all {epochs} epochs: nothing left to train");
    } else {
        let seconds: f64 = history.epochs.iter().map(|e| e.seconds).sum();
        let per_epoch = seconds / history.epochs.len() as f64;
        println!(
            "mean epoch time {per_epoch:.1} s ({:.0} images/s, {} rank(s) together)",
            split.train.len() as f64 / per_epoch,
            mpi.size()
        );
    }
    println!("test cost {:.4}", result.cost);
    println!("test accuracy {:.4}", result.accuracy);
    Ok(())
}

fn main() -> ExitCode {
    let mpi = match Mpi::init() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let help = || {
        let lines: Vec<String> = (FLAGS.iter())
            .map(|(f, h)| format!("  {f:<14} {h}"))
            .collect();
        format!("{USAGE}\n{}", lines.join("\n"))
    };
    let outcome = cli::Args::parse(std::env::args_os().skip(1), FLAGS).and_then(|args| {
        if args.wants_help() {
            if mpi.is_root() {
                println!("{}", help());
            }
            return Ok(());
        }
        run(&mpi, &args)
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // Every rank has the same flags, so every rank stops here, before any collective.
        Err(e @ cli::Error::Flag { .. }) => {
            if mpi.is_root() {
                eprintln!("error: {e}\n{}", help());
            }
            ExitCode::from(2)
        }
        // Possibly on this rank alone, while the others wait in a sum: end them all.
        Err(cli::Error::Lib(e)) => mpi.abort_with(&e),
    }
}
