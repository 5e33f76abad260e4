//! Tests of partial loads (transfer learning), frozen layers and training checkpoints.

use std::path::PathBuf;

use super::*;
use crate::loss::SoftmaxCrossEntropy;
use crate::optim::{Adam, AdamConfig, Frozen, Momentum, MomentumConfig, Optimizer};
use crate::prelude::*;
use crate::train::{FitConfig, fit};
use rand::{RngExt, SeedableRng, rngs::StdRng};

#[derive(Network, Clone)]
#[network(input = 4)]
struct Small {
    d1: Dense<4, 6, f64>,
    a1: Tanh,
    d2: Dense<6, 5, f64>,
    a2: Tanh,
    out: Dense<5, 3, f64>,
}

/// `Small`'s two hidden layers inside a `base` field, with a 2-class head.
#[derive(Network, Clone)]
#[network(input = 4)]
struct Base {
    d1: Dense<4, 6, f64>,
    a1: Tanh,
    d2: Dense<6, 5, f64>,
    a2: Tanh,
}

#[derive(Network, Clone)]
#[network(input = 4)]
struct Nested {
    base: Base,
    head: Dense<5, 2, f64>,
}

fn small(seed: u64) -> Small {
    let mut rng = StdRng::seed_from_u64(seed);
    Small {
        d1: Dense::new(Init::Xavier, &mut rng),
        a1: Tanh,
        d2: Dense::new(Init::Xavier, &mut rng),
        a2: Tanh,
        out: Dense::new(Init::Xavier, &mut rng),
    }
}

fn nested(seed: u64) -> Nested {
    let mut rng = StdRng::seed_from_u64(seed);
    Nested {
        base: Base {
            d1: Dense::new(Init::Xavier, &mut rng),
            a1: Tanh,
            d2: Dense::new(Init::Xavier, &mut rng),
            a2: Tanh,
        },
        head: Dense::new(Init::Xavier, &mut rng),
    }
}

fn temp(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("constnn-tl-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("model.safetensors")
}

/// 40 samples of 4 features, 3 classes by which third of the plane the sum falls in.
fn data() -> (Batch<4, f64>, Batch<3, f64>) {
    let mut rng = StdRng::seed_from_u64(7);
    let x = Batch::<4, f64>::from_fn(40, |_, _| rng.random_range(-1.0..1.0));
    let y = Batch::<3, f64>::from_fn(40, |i, j| {
        let s: f64 = x.column(j).iter().sum();
        let class = if s < -0.5 {
            0
        } else if s < 0.5 {
            1
        } else {
            2
        };
        f64::from(u8::from(i == class))
    });
    (x, y)
}

fn quiet(epochs: usize) -> FitConfig {
    FitConfig {
        epochs,
        batch_size: 8,
        seed: 5,
        verbose: false,
        schedule: Some(crate::optim::LrSchedule::InverseTime { decay: 0.3 }),
        ..FitConfig::default()
    }
}

fn adam() -> Adam<f64> {
    Adam::new(AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    })
    .unwrap()
}

#[test]
fn load_layers_copies_the_named_layers_only_and_renames() {
    let path = temp("layers");
    let trained = small(1);
    save(&trained, &path).unwrap();

    let mut fresh = small(2);
    let before_out = fresh.out.w.clone();
    let loaded = load_layers(&mut fresh, &path, &["d1", "d2"]).unwrap();
    assert_eq!(loaded, ["d1.weight", "d1.bias", "d2.weight", "d2.bias"]);
    assert_eq!(
        (fresh.d1.w.clone(), fresh.d2.b.clone()),
        (trained.d1.w.clone(), trained.d2.b.clone())
    );
    assert_eq!(fresh.out.w, before_out);

    // Into a network that nests the same layers under `base` and has another head.
    let mut other = nested(3);
    let head = other.head.w.clone();
    let pairs = [("d1", "base.d1"), ("d2", "base.d2")];
    let loaded = load_layers_renamed(&mut other, &path, &pairs).unwrap();
    assert_eq!(loaded.len(), 4);
    assert_eq!(other.base.d2.w, trained.d2.w);
    assert_eq!(other.head.w, head);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn load_layers_errors_name_the_layer_or_tensor_and_change_nothing() {
    let path = temp("layers-err");
    save(&small(1), &path).unwrap();
    let mut other = nested(3);
    let before = other.values_to_vec();

    let err = load_layers(&mut other, &path, &["d9"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no layer `d9` with parameters in the model (layers with parameters: base.d1, base.d2, head)"
    );
    // `out` in the file is 3 × 5, `head` 2 × 5: the shape error names the file's tensor.
    let err =
        load_layers_renamed(&mut other, &path, &[("d1", "base.d1"), ("out", "head")]).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("out.weight: expected shape [2, 5], found [3, 5]"),
        "{err}"
    );
    // `base.d1` would load fine, but the load is all or nothing.
    assert_eq!(other.values_to_vec(), before);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn frozen_layers_stay_bit_identical_through_training() {
    let (x, y) = data();
    let mut net = small(4);
    let (d1, d2, out) = (net.d1.w.clone(), net.d2.clone().b, net.out.w.clone());
    let mut opt = Frozen::new(adam(), &net, &["d1", "d2.bias"]).unwrap();
    fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &quiet(3),
    )
    .unwrap();
    assert_eq!(net.d1.w, d1);
    assert_eq!(net.d2.b, d2);
    assert_ne!(net.out.w, out);
    // Adam keeps state only for what it updates: d2.weight, out.weight, out.bias.
    assert_eq!(opt.snapshot().tensors.len(), 3);
    assert!(!opt.updates(&["d1", "bias"]) && opt.updates(&["d2", "weight"]));
}

#[test]
fn a_resumed_run_takes_the_same_steps_as_an_uninterrupted_one() {
    let (x, y) = data();
    let mut straight = small(4);
    let whole = fit(
        &mut straight,
        &SoftmaxCrossEntropy,
        &mut adam(),
        (&x, &y),
        None,
        &quiet(5),
    )
    .unwrap();

    let path = temp("resume");
    let cfg = |epochs| FitConfig {
        checkpoint: Some(path.clone()),
        resume: true,
        ..quiet(epochs)
    };
    let mut first = small(4);
    fit(
        &mut first,
        &SoftmaxCrossEntropy,
        &mut adam(),
        (&x, &y),
        None,
        &cfg(2),
    )
    .unwrap();
    // A new process: another initialization and a fresh optimizer, then resume.
    let mut resumed = small(9);
    let mut opt = adam();
    let rest = fit(
        &mut resumed,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &cfg(5),
    )
    .unwrap();
    let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
    assert_eq!(
        bits(resumed.values_to_vec()),
        bits(straight.values_to_vec())
    );
    assert_eq!(
        rest.epochs.iter().map(|e| e.epoch).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert_eq!(rest.costs, whole.costs[2 * 5..]);
    assert_eq!(opt.steps(), 25); // 5 steps per epoch (40 samples, batches of 8)

    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn training_checkpoints_name_their_optimizer_tensors_and_check_the_kind() {
    let (x, y) = data();
    let path = temp("kind");
    let mut net = small(4);
    let mut opt = Frozen::all_except(adam(), &net, &["out"]).unwrap();
    let cfg = FitConfig {
        checkpoint: Some(path.clone()),
        ..quiet(1)
    };
    fit(
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &cfg,
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let mut names: Vec<&str> = file
        .names()
        .into_iter()
        .filter(|n| n.starts_with("optim"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "optimizer.s.out.bias",
            "optimizer.s.out.weight",
            "optimizer.v.out.bias",
            "optimizer.v.out.weight"
        ]
    );
    assert_eq!(
        file.tensor("optimizer.v.out.weight").unwrap().shape(),
        [3, 5]
    );
    // The optimizer must be the same kind and update the same tensors.
    let mut copy = small(0);
    let mut momentum = Momentum::<f64>::new(MomentumConfig::default()).unwrap();
    let err = load_training(&mut copy, &mut momentum, &path).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("holds the state of Adam, the optimizer is Momentum"),
        "{err}"
    );
    // All trainable: Adam expects state for d1, which the file lacks.
    let err = load_training(&mut copy, &mut adam(), &path).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("optimizer.v.d1.weight: missing from the checkpoint"),
        "{err}"
    );
    assert_eq!(copy.values_to_vec(), small(0).values_to_vec()); // unchanged
    let mut same = Frozen::all_except(adam(), &copy, &["out"]).unwrap();
    let progress = load_training(&mut copy, &mut same, &path).unwrap();
    assert_eq!(
        (progress.epochs, progress.steps, progress.lr0),
        (1, 5, 0.05)
    );
    assert_eq!(copy.values_to_vec(), net.values_to_vec());
    assert_eq!(same.inner().steps(), 5);

    // A plain checkpoint has no training metadata.
    save(&net, &path).unwrap();
    let err = load_training(&mut copy, &mut adam(), &path).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("no `constnn.optimizer` in the header: not a training checkpoint"),
        "{err}"
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}
