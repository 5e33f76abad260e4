//! Course 4, week 2: LeNet-5 on MNIST — the main job of the README.
//!
//! `cargo run --release --example c4_lenet_mnist [-- --epochs 6 --batch 128 --lr 0.003 --decay 0.5 --seed 1]`
//! (`--workers K` forces the data-parallel workers; `RAYON_NUM_THREADS` sets the threads;
//! `benches/scaling.sh` tabulates images/s over thread counts)
//!
//! CONV(6@5×5, pad 2) → ReLU → MAXPOOL(2) → CONV(16@5×5) → ReLU → MAXPOOL(2) → FLATTEN(400)
//! → FC120 → ReLU → FC84 → ReLU → FC10 → softmax, trained with Adam (α0 = 0.003, halved
//! after every epoch) on mini-batches of 128 of the 60 000 training images less a dev set
//! of 5 000, printing train and dev accuracy per epoch, then the test accuracy on the
//! official 10 000 test images. With `--full` it trains on all 60 000 training images and
//! prints the test accuracy after every epoch instead of a dev accuracy (the test set takes
//! the dev set's place in the epoch lines; nothing is chosen on it: no early stopping),
//! then the seconds of training until the test accuracy first reached 0.985 (the
//! time-to-accuracy figure of the README). The cost curve goes to
//! `out/c4_lenet_mnist_cost.svg` and the trained weights to `out/lenet5.safetensors`
//! (readable by PyTorch; see `tests/python/read_checkpoint.py`).
//!
//! The network is [`constnn::models::LeNet5`] (src/models/mod.rs): every intermediate size
//! (6×28×28, 6×14×14, 16×10×10, 16×5×5, 400) is computed by `#[derive(Network)]` at compile
//! time; change `c2` to `Conv2d<6, 16, 3>` there and `cargo check` reports that `d1` expects
//! 400 features but `flat` outputs 576.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::data::mnist::{Mnist, Part};
use constnn::data::{Split, one_hot};
use constnn::loss::Regularization;
use constnn::models::LeNet5;
use constnn::optim::LrSchedule;
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate, fit};

mod cli;

type Digits = Images<1, 28, 28>;

const USAGE: &str = "usage: c4_lenet_mnist [--epochs <n>] [--batch <n>] [--lr <f64>] [--seed <n>] [--train <n>] [--decay <f64>] [--l2 <f64>] [--checkpoint <path>] [--resume-with-changes true] [--full 1] [--workers <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--epochs", "passes over the training set (default 6)"),
    ("--batch", "mini-batch size (default 128)"),
    ("--lr", "Adam learning rate α0 (default 0.003)"),
    (
        "--seed",
        "seed of the weights, the dev split and the shuffles (default 1)",
    ),
    (
        "--train",
        "use only the first n training images (default: all 60000)",
    ),
    (
        "--decay",
        "learning-rate decay per epoch, α = decay^epoch·α0 (default 0.5; 1: none)",
    ),
    ("--l2", "L2 regularization λ (default 0)"),
    (
        "--workers",
        "data-parallel workers K sharing each mini-batch (default 0: automatic, FitConfig::auto_workers; threads follow RAYON_NUM_THREADS)",
    ),
    (
        "--full",
        "1: train on all training images, print the test accuracy after each epoch and the training time to 0.985 (default 0)",
    ),
    (
        "--checkpoint",
        "training checkpoint written after every epoch; when the file exists, training resumes from it if it was written with the same --train, --batch, --seed and --lr (default: none)",
    ),
    (
        "--resume-with-changes",
        "true: resume from a checkpoint written with other --train, --batch, --seed or --lr, continuing with the new ones (default false)",
    ),
];

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (epochs, batch, seed) = (
        args.at_least_one("--epochs", 6)?,
        args.at_least_one("--batch", 128)?,
        args.get("--seed", 1u64)?,
    );
    let lr = args.positive("--lr", 0.003)?;
    let limit = args.get("--train", 60_000usize)?;
    let full = args.get("--full", 0u8)? == 1;
    let decay = args.positive("--decay", 0.5)?;
    let l2 = args.get("--l2", 0.0f64)?;

    let start = Instant::now();
    let train = Mnist::<f32>::load_first(root.join("data/mnist"), Part::Train, limit)?;
    let test = Mnist::<f32>::load(root.join("data/mnist"), Part::Test)?;
    let dev_count = (train.len() / 12).max(1);
    let (train_idx, dev_idx) = match full {
        false => {
            let split = Split::holdout(train.len(), dev_count, seed)?;
            (split.train, split.dev)
        }
        true => ((0..train.len()).collect(), Vec::new()),
    };
    let y_all: Batch<10> = one_hot(&train.labels)?;
    let x_train: Digits = reshape(&train.x.select(&train_idx));
    let y_train = y_all.select(&train_idx);
    let x_test: Digits = reshape(&test.x);
    let y_test: Batch<10> = one_hot(&test.labels)?;
    let (x_dev, y_dev): (Digits, Batch<10>) = match full {
        false => (reshape(&train.x.select(&dev_idx)), y_all.select(&dev_idx)),
        true => (x_test.clone(), y_test.clone()),
    };
    println!(
        "MNIST: {} training, {} {}, {} test images (loaded in {:.1} s)",
        train_idx.len(),
        x_dev.batch_size(),
        if full { "test (as dev)" } else { "dev" },
        test.len(),
        start.elapsed().as_secs_f64()
    );

    let mut net = LeNet5::new(seed);
    println!("{}", net.summary());
    let checkpoint: Option<PathBuf> = match args.get("--checkpoint", String::new())? {
        p if p.is_empty() => None,
        p => Some(p.into()),
    };
    if let Some(p) = checkpoint.as_ref().filter(|p| p.exists()) {
        println!("resuming from {}", p.display());
    }
    let cfg = FitConfig {
        schedule: (decay != 1.0).then_some(LrSchedule::Exponential { base: decay }),
        regularization: if l2 > 0.0 {
            Regularization::L2(l2)
        } else {
            Regularization::None
        },
        epochs,
        batch_size: batch,
        seed,
        verbose: true,
        checkpoint: checkpoint.clone(),
        resume: true,
        resume_with_changes: args.get("--resume-with-changes", false)?,
        workers: match args.get("--workers", 0usize)? {
            0 => None,
            k => Some(k),
        },
        ..FitConfig::default()
    };
    println!(
        "{} data-parallel worker(s) on {} thread(s)",
        cfg.auto_workers(),
        rayon::current_num_threads()
    );
    let mut opt = Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })?;
    let history = fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x_train, &y_train),
        Some((&x_dev, &y_dev)),
        &cfg,
    )?;

    let result = evaluate(&net, &SoftmaxCrossEntropy, &x_test, &y_test, 1000)?;
    if history.epochs.is_empty() {
        println!("the checkpoint had completed all {epochs} epochs: nothing left to train");
    } else {
        let seconds: f64 = history.epochs.iter().map(|e| e.seconds).sum();
        let per_epoch = seconds / history.epochs.len() as f64;
        println!(
            "mean epoch time {per_epoch:.1} s ({:.0} images/s)",
            train_idx.len() as f64 / per_epoch
        );
    }
    println!("test cost {:.4}", result.cost);
    println!("test accuracy {:.4}", result.accuracy);
    if full {
        let mut seconds = 0.0;
        let reached = history.epochs.iter().find(|e| {
            seconds += e.seconds;
            e.dev.is_some_and(|d| d.accuracy >= 0.985)
        });
        match reached {
            Some(e) => println!(
                "test accuracy 0.985 reached after epoch {} ({seconds:.2} s of training)",
                e.epoch
            ),
            None => println!("test accuracy 0.985 not reached in {} epochs", epochs),
        }
    }

    let out = root.join("out");
    std::fs::create_dir_all(&out).map_err(|source| Error::Io {
        path: out.clone(),
        source,
    })?;
    history.save_cost_chart(
        out.join("c4_lenet_mnist_cost.svg"),
        "LeNet-5 on MNIST: mini-batch cost (Adam)",
    )?;
    println!(
        "cost curve: {}",
        out.join("c4_lenet_mnist_cost.svg").display()
    );
    let weights = out.join("lenet5.safetensors");
    constnn::checkpoint::save(&net, &weights)?;
    println!("weights: {}", weights.display());
    Ok(())
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
