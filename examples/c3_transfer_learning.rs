//! Course 3, week 2: transfer learning — from handwritten digits to clothing.
//!
//! `cargo run --release --example c3_transfer_learning [-- --per-class 2,10 --draws 3]`
//!
//! Two studies, each pre-training LeNet-5 on a task A with lots of data, then learning a task B
//! from `k` labelled images per class:
//!
//! 1. digits 0–4 (the ~30 600 MNIST training images of those digits) → digits 5–9 (drawn from
//!    the MNIST test images of those digits): the same domain, where the notes expect the
//!    low-level features of A to help B;
//! 2. digits 0–9 (all 60 000 MNIST training images) → clothing (Fashion-MNIST, from the 10 000
//!    test images shipped in `data/fashion-mnist/`): another domain.
//!
//! Task B's images are split (seeded) into a pool to draw labelled sets from (20 %), a dev set
//! for early stopping (5 %) and a test set (75 %). For each `k`, `draws` different labelled sets
//! train four networks on the same images:
//!
//! * **scratch**: LeNet-5 from a random initialization, every layer trained;
//! * **head only**: task A's `c1`, `c2`, `d1`, `d2` loaded ([`checkpoint::load_layers`]), a
//!   new output layer `W[L]`, `b[L]`, and only that layer trained ([`Frozen::all_except`]) —
//!   the notes' choice when task B's data is small;
//! * **last layers**: the convolutions frozen, `d1`, `d2` and the new head trained;
//! * **fine-tune all**: every layer trained, starting from task A's weights.
//!
//! Adam (batch 32, α = 0.001, 0.01 for the head alone), early stopping on the dev cost; inputs
//! standardized with each task's own pixel mean and deviation. The table gives the mean and
//! standard deviation of the test accuracy over the draws and how often a method beat
//! training from scratch on the same images. The frozen layers are compared bit for bit
//! before and after fine-tuning.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cli::Args;
use constnn::checkpoint;
use constnn::data::mnist::{Mnist, Part};
use constnn::data::{Split, one_hot};
use constnn::layer::{ParamRef, param_paths};
use constnn::models::LeNet5;
use constnn::optim::{Frozen, Optimizer};
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::train::{FitConfig, evaluate, fit};
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};

mod cli;

type Pictures = Images<1, 28, 28>;

const USAGE: &str = "usage: c3_transfer_learning [--pretrain-epochs <n>] [--per-class <k,k,...>] [--draws <n>] [--epochs <n>] [--lr <f64>] [--lr-head <f64>] [--seed <n>]";
const FLAGS: &[(&str, &str)] = &[
    (
        "--pretrain-epochs",
        "epochs of LeNet-5 on MNIST (task A; default 2)",
    ),
    (
        "--per-class",
        "labelled task-B images per class (default 2,10)",
    ),
    ("--draws", "training sets drawn per size (default 3)"),
    (
        "--epochs",
        "maximum epochs on task B, with early stopping (default 60)",
    ),
    (
        "--seed",
        "seed of the splits, weights and shuffles (default 1)",
    ),
];

/// Images and one-hot labels of a subset.
struct Set {
    x: Pictures,
    y: Batch<10>,
}

impl Set {
    /// The images `idx` of `data`, standardized as `(x − μ)/σ` with `stats = (μ, σ)`.
    fn of(data: &Mnist<f32>, idx: &[usize], stats: (f32, f32)) -> Result<Self> {
        let labels: Vec<usize> = idx.iter().map(|&i| data.labels[i]).collect();
        let mut x: Pictures = reshape(&data.x.select(idx));
        x.as_mut_slice()
            .iter_mut()
            .for_each(|v| *v = (*v - stats.0) / stats.1);
        Ok(Self {
            x,
            y: one_hot(&labels)?,
        })
    }
}

/// The mean `μ` and standard deviation `σ` of the pixels of the images `idx` (the notes'
/// input normalization, with one `μ`, `σ` for all pixels as is usual for images).
fn pixel_stats(data: &Mnist<f32>, idx: &[usize]) -> (f32, f32) {
    let x = data.x.select(idx);
    let v = x.as_slice();
    let n = v.len().max(1) as f64;
    let mean = v.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let var = v
        .iter()
        .map(|&p| (f64::from(p) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean as f32, var.sqrt().max(1e-6) as f32)
}

/// How a network for task B starts and what it trains.
#[derive(Clone, Copy)]
enum Method {
    Scratch,
    HeadOnly,
    LastLayers,
    FineTuneAll,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Scratch => "scratch",
            Method::HeadOnly => "head only",
            Method::LastLayers => "last layers",
            Method::FineTuneAll => "fine-tune all",
        }
    }
}

fn adam(lr: f64) -> Result<Adam> {
    Adam::new(AdamConfig {
        lr,
        ..AdamConfig::default()
    })
}

/// The settings shared by both studies.
struct Settings {
    pre_epochs: usize,
    epochs: usize,
    seed: u64,
    lr_all: f64,
    lr_head: f64,
    per_class: Vec<usize>,
    draws: usize,
    out: PathBuf,
}

fn run(args: &Args) -> cli::Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("out");
    std::fs::create_dir_all(&out).map_err(|source| Error::Io {
        path: out.clone(),
        source,
    })?;
    let s = Settings {
        pre_epochs: args.get("--pretrain-epochs", 2usize)?,
        epochs: args.get("--epochs", 60usize)?,
        seed: args.get("--seed", 1u64)?,
        lr_all: args.positive("--lr", 0.001)?,
        lr_head: args.positive("--lr-head", 0.01)?,
        per_class: parse_sizes(&args.get("--per-class", "2,10".to_string())?)?,
        draws: args.get("--draws", 3usize)?.max(1),
        out,
    };
    let start = Instant::now();
    let digits = Mnist::<f32>::load(root.join("data/mnist"), Part::Train)?;
    let digits_test = Mnist::<f32>::load(root.join("data/mnist"), Part::Test)?;
    let fashion = Mnist::<f32>::load(root.join("data/fashion-mnist"), Part::Test)?;
    let which = |data: &Mnist<f32>, keep: fn(usize) -> bool| -> Vec<usize> {
        (0..data.len()).filter(|&i| keep(data.labels[i])).collect()
    };

    println!("== study 1: digits 0–4 (task A) → digits 5–9 (task B), same domain");
    let a = which(&digits, |d| d < 5);
    let b = which(&digits_test, |d| d >= 5);
    study(&s, "digits04", (&digits, &a), (&digits_test, &b))?;

    println!("\n== study 2: digits 0–9 (task A) → Fashion-MNIST clothing (task B), another domain");
    let a: Vec<usize> = (0..digits.len()).collect();
    let b: Vec<usize> = (0..fashion.len()).collect();
    study(&s, "digits", (&digits, &a), (&fashion, &b))?;
    println!(
        "\n(trained = parameters the optimizer updated; the frozen ones were checked bit for bit)"
    );
    println!("total {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Pre-trains LeNet-5 on the images `a` (task A), then compares the four methods on few
/// labelled images of `b` (task B; its images are split into a pool to draw training sets
/// from, a dev set and a test set).
fn study(
    s: &Settings,
    name: &str,
    a: (&Mnist<f32>, &[usize]),
    b: (&Mnist<f32>, &[usize]),
) -> cli::Result {
    let start = Instant::now();
    let set_a = Set::of(a.0, a.1, pixel_stats(a.0, a.1))?;
    let mut base = LeNet5::new(s.seed);
    let cfg = FitConfig {
        epochs: s.pre_epochs,
        seed: s.seed,
        ..FitConfig::default()
    };
    let (xa, ya) = (&set_a.x, &set_a.y);
    fit(
        &mut base,
        &SoftmaxCrossEntropy,
        &mut adam(0.001)?,
        (xa, ya),
        None,
        &cfg,
    )?;
    let weights = s.out.join(format!("c3_{name}_lenet5.safetensors"));
    checkpoint::save(&base, &weights)?;
    println!(
        "task A: {} images, {} epochs, {:.1} s; weights: {}",
        a.1.len(),
        s.pre_epochs,
        start.elapsed().as_secs_f64(),
        weights.display()
    );

    let split = Split::shuffled(b.1.len(), 0.2, 0.05, s.seed)?;
    let pick = |part: &[usize]| -> Vec<usize> { part.iter().map(|&i| b.1[i]).collect() };
    let (pool, dev_idx, test_idx) = (pick(&split.train), pick(&split.dev), pick(&split.test));
    let stats = pixel_stats(b.0, &pool);
    let dev = Set::of(b.0, &dev_idx, stats)?;
    let test = Set::of(b.0, &test_idx, stats)?;
    println!(
        "task B: pool of {} images to draw labels from, dev {}, test {}; {} draws per size",
        pool.len(),
        dev_idx.len(),
        test_idx.len(),
        s.draws
    );
    println!(
        "{:>7}  {:<14} {:>8}  {:>16}  {:>8}  {:>10}",
        "labels", "method", "trained", "test acc (± sd)", "dev acc", "beats scratch"
    );
    let methods = [
        Method::Scratch,
        Method::HeadOnly,
        Method::LastLayers,
        Method::FineTuneAll,
    ];
    for &k in &s.per_class {
        // results[method][draw] = (dev accuracy, test accuracy)
        let mut results = vec![Vec::new(); methods.len()];
        let mut trained = [0; 4];
        let mut labelled = 0;
        for draw in 0..s.draws {
            let seed = s.seed + draw as u64;
            let idx = per_class_sample(&b.0.labels, &pool, k, seed)?;
            labelled = idx.len();
            let set_b = Set::of(b.0, &idx, stats)?;
            for (i, &method) in methods.iter().enumerate() {
                let (mut net, mut opt) = prepare(method, &weights, seed + 1, s)?;
                let before = net.values_to_vec();
                let cfg = FitConfig {
                    epochs: s.epochs,
                    batch_size: 32,
                    seed,
                    verbose: false,
                    early_stopping: Some(8),
                    ..FitConfig::default()
                };
                let train = (&set_b.x, &set_b.y);
                let dev_pair = Some((&dev.x, &dev.y));
                fit(
                    &mut net,
                    &SoftmaxCrossEntropy,
                    &mut opt,
                    train,
                    dev_pair,
                    &cfg,
                )?;
                check_frozen(&net, &opt, &before)?;
                trained[i] = count_trained(&net, &opt);
                let d = evaluate(&net, &SoftmaxCrossEntropy, &dev.x, &dev.y, 1000)?;
                let t = evaluate(&net, &SoftmaxCrossEntropy, &test.x, &test.y, 1000)?;
                results[i].push((d.accuracy, t.accuracy));
            }
        }
        for (i, method) in methods.iter().enumerate() {
            let tests: Vec<f64> = results[i].iter().map(|r| r.1).collect();
            let (mean, sd) = mean_sd(&tests);
            let dev_mean = mean_sd(&results[i].iter().map(|r| r.0).collect::<Vec<_>>()).0;
            let wins = if i == 0 {
                "—".to_string()
            } else {
                let w = (0..s.draws)
                    .filter(|&d| results[i][d].1 > results[0][d].1)
                    .count();
                format!("{w}/{}", s.draws)
            };
            println!(
                "{labelled:>7}  {:<14} {:>8}  {mean:>9.4} ± {sd:.4}  {dev_mean:>8.4}  {wins:>10}",
                method.name(),
                trained[i],
            );
        }
    }
    Ok(())
}

/// A new LeNet-5 for task B set up for `method`, and its optimizer.
fn prepare(
    method: Method,
    weights: &Path,
    seed: u64,
    s: &Settings,
) -> Result<(LeNet5, Frozen<Adam>)> {
    let (lr_all, lr_head) = (s.lr_all, s.lr_head);
    let mut net = LeNet5::new(seed);
    let (trainable, lr): (&[&str], f64) = match method {
        Method::Scratch => (&["c1", "c2", "d1", "d2", "out"], lr_all),
        Method::HeadOnly => (&["out"], lr_head),
        Method::LastLayers => (&["d1", "d2", "out"], lr_all),
        Method::FineTuneAll => (&["c1", "c2", "d1", "d2", "out"], lr_all),
    };
    if !matches!(method, Method::Scratch) {
        checkpoint::load_layers(&mut net, weights, &["c1", "c2", "d1", "d2"])?;
    }
    let opt = Frozen::all_except(adam(lr)?, &net, trainable)?;
    Ok((net, opt))
}

/// `k` images of each class from `pool`, after a shuffle seeded by `seed`.
fn per_class_sample(
    labels: &[usize],
    pool: &[usize],
    k: usize,
    seed: u64,
) -> cli::Result<Vec<usize>> {
    let mut order = pool.to_vec();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let mut taken = [0; 10];
    let mut out = Vec::with_capacity(10 * k);
    for i in order {
        let c = labels[i];
        if taken[c] < k {
            taken[c] += 1;
            out.push(i);
        }
    }
    let classes = taken.iter().filter(|&&t| t > 0).count();
    if taken.iter().any(|&t| t > 0 && t < k) || out.len() != classes * k {
        return Err(cli::Error::Flag {
            flag: "--per-class".into(),
            reason: format!(
                "the pool of {} images has fewer than {k} of some class",
                pool.len()
            ),
        });
    }
    Ok(out)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// The parameters of `net` that `opt` updates.
fn count_trained(net: &LeNet5, opt: &impl Optimizer<f32>) -> usize {
    let mut lens = Vec::new();
    net.visit_ref(&mut |p: ParamRef<'_, f32>| lens.push(p.value.len()));
    param_paths(net)
        .iter()
        .zip(lens)
        .filter(|(path, _)| opt.updates(&path.iter().map(String::as_str).collect::<Vec<_>>()))
        .map(|(_, n)| n)
        .sum()
}

/// Every parameter `opt` does not update has the value it had before training.
fn check_frozen(net: &LeNet5, opt: &impl Optimizer<f32>, before: &[f32]) -> Result<()> {
    let mut offset = 0;
    let mut changed = None;
    let paths = param_paths(net);
    let mut k = 0;
    net.visit_ref(&mut |p: ParamRef<'_, f32>| {
        let path: Vec<&str> = paths[k].iter().map(String::as_str).collect();
        let old = &before[offset..offset + p.value.len()];
        let same = old
            .iter()
            .zip(p.value)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        if !opt.updates(&path) && !same && changed.is_none() {
            changed = Some(path.join("."));
        }
        offset += p.value.len();
        k += 1;
    });
    match changed {
        None => Ok(()),
        Some(name) => Err(Error::Data {
            what: name,
            reason: "a frozen tensor changed during training".into(),
        }),
    }
}

fn parse_sizes(text: &str) -> cli::Result<Vec<usize>> {
    text.split(',')
        .map(|s| {
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| cli::Error::Flag {
                    flag: "--labels".into(),
                    reason: format!("`{s}` is not a positive number"),
                })
        })
        .collect()
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
