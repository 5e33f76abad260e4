//! Tests of what [`super::fit`] refuses or stops on: non-finite data, parameters and dev
//! costs, bad settings, batch norm of one sample, unwritable or mismatched checkpoints, and
//! the gradient report. Each names the behaviour before the check existed.

use super::*;
use crate::activation::Relu;
use crate::layer::{BatchNorm, Dense};
use crate::loss::{BinaryCrossEntropy, MeanSquaredError};
use crate::optim::Sgd;
use crate::tensor::{Batch, Matrix, Vector};

/// One dense layer under a field name, so tensors are named `d1.weight`, `d1.bias`.
#[derive(crate::Network, Clone)]
struct Lin {
    d1: Dense<1, 1, f64>,
}

fn lin(w: f64) -> Lin {
    Lin {
        d1: Dense::from_params(Matrix::from_rows([[w]]), Vector::zeros()),
    }
}

#[derive(crate::Network, Clone)]
struct Mlp {
    d1: Dense<2, 3, f64>,
    r1: Relu,
    d2: Dense<3, 1, f64>,
}

/// `d1` with biases `b1`; weights 0.1·(i + j) and `d2 = (0.5, −0.5, 0.25)`, no bias.
fn mlp(b1: f64) -> Mlp {
    Mlp {
        d1: Dense::from_params(
            Matrix::from_fn(|i, j| 0.1 * (i + j) as f64),
            Vector::from_rows([[b1], [b1], [b1]]),
        ),
        r1: Relu,
        d2: Dense::from_params(Matrix::from_rows([[0.5, -0.5, 0.25]]), Vector::zeros()),
    }
}

#[derive(crate::Network, Clone)]
struct WithBn {
    d1: Dense<2, 3, f64>,
    bn: BatchNorm<3, f64>,
    d2: Dense<3, 1, f64>,
}

/// `m` samples in `[−1, 1]²`, label 1 when `x₀ + x₁ > 0`.
fn data(m: usize) -> (Batch<2, f64>, Batch<1, f64>) {
    let x = Batch::from_fn(m, |i, j| ((i * 3 + j * 5) % 7) as f64 / 3.0 - 1.0);
    let y = Batch::from_fn(m, |_, j| {
        f64::from(u8::from(x.get(0, j) + x.get(1, j) > 0.0))
    });
    (x, y)
}

fn quiet(epochs: usize, batch_size: usize) -> FitConfig {
    FitConfig {
        epochs,
        batch_size,
        seed: 1,
        verbose: false,
        ..FitConfig::default()
    }
}

fn sgd(lr: f64) -> Sgd {
    Sgd::new(lr).unwrap()
}

#[test]
fn a_nan_in_the_inputs_is_refused_before_any_step() {
    // Before: the run ended `Ok`. The NaN made `dW[1]` NaN (0·NaN), while ReLU mapped the
    // NaN pre-activations to 0, so every cost stayed finite over a model of NaN weights.
    let (mut x, y) = data(8);
    x.set(1, 5, f64::NAN);
    let mut net = mlp(0.1);
    let before = net.values_to_vec();
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &quiet(2, 4),
    );
    let err = err.unwrap_err().to_string();
    assert_eq!(
        err,
        "training set: feature 1 of sample 5 is NaN (0-based indices)"
    );
    assert_eq!(net.values_to_vec(), before, "no step was taken");
    // Labels and dev inputs are checked the same way.
    let mut y_inf = y.clone();
    y_inf.set(0, 2, f64::INFINITY);
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y_inf),
        None,
        &quiet(1, 4),
    );
    assert!(
        err.unwrap_err()
            .to_string()
            .starts_with("training set: feature 1 of sample 5")
    );
    let (xd, yd) = data(8);
    let mut xd_nan = xd.clone();
    xd_nan.set(0, 7, f64::NEG_INFINITY);
    let (xt, yt) = data(8);
    let dev = Some((&xd_nan, &yd));
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&xt, &yt),
        dev,
        &quiet(1, 4),
    );
    let want = "dev set: feature 0 of sample 7 is -inf (0-based indices)";
    assert_eq!(err.unwrap_err().to_string(), want);
}

#[test]
fn an_update_that_overflows_is_caught_after_the_last_step_by_name() {
    // One sample, one step. x = 10¹⁰, y = 0, W = 1: ŷ = 10¹⁰, J = ½·10²⁰ (finite), dW =
    // (ŷ − y)·x = 10²⁰; with α = 10³⁰⁰, W := 1 − 10³²⁰ = −∞. Before: only the cost before
    // each update was checked, so this one-step run returned `Ok` with W = −∞.
    let x = Batch::<1, f64>::from_rows(1, &[&[1e10]]);
    let y = Batch::<1, f64>::zeros(1);
    let mut net = lin(1.0);
    let err = fit(
        &mut net,
        &MeanSquaredError,
        &mut sgd(1e300),
        (&x, &y),
        None,
        &quiet(1, 1),
    );
    match err.unwrap_err() {
        Error::Diverged { epoch, step, cause } => {
            assert_eq!((epoch, step), (1, 1));
            let want = Divergence::Tensor {
                name: "d1.weight".into(),
                index: 0,
                value: f64::NEG_INFINITY,
            };
            assert_eq!(cause, want);
        }
        e => panic!("expected a divergence, got {e}"),
    }
}

#[test]
fn a_dev_cost_that_is_not_finite_stops_training() {
    // Train on x = 1, y = 0 (one step per epoch, W shrinks from 1 to 0.9); the dev set's
    // x = 10²⁰⁰ gives ŷ ≈ 9·10¹⁹⁹ and ½·ŷ² = ∞ in f64. Before: accepted, with an infinite dev
    // cost in the history.
    let x = Batch::<1, f64>::from_rows(2, &[&[1.0, 1.0]]);
    let y = Batch::<1, f64>::zeros(2);
    let xd = Batch::<1, f64>::from_rows(1, &[&[1e200]]);
    let yd = Batch::<1, f64>::zeros(1);
    let mut net = lin(1.0);
    let dev = Some((&xd, &yd));
    let err = fit(
        &mut net,
        &MeanSquaredError,
        &mut sgd(0.1),
        (&x, &y),
        dev,
        &quiet(3, 2),
    );
    assert_eq!(
        err.unwrap_err().to_string(),
        "training diverged at epoch 1, step 1: the dev cost became inf"
    );
}

#[test]
fn settings_that_cannot_work_are_refused_before_training() {
    let (x, y) = data(8);
    let mut net = mlp(0.1);
    // Before: `Sgd { lr: -1.0 }` (a literal skips `Sgd::new`) ascended the cost silently.
    let mut bad = Sgd { lr: -1.0 };
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut bad,
        (&x, &y),
        None,
        &quiet(1, 4),
    );
    let want = "optimizer learning rate = -1: must be a finite number > 0";
    assert_eq!(err.unwrap_err().to_string(), want);
    // Before: batch size 0 trained in batches of 1, and early stopping without a dev set did
    // nothing.
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &quiet(1, 0),
    );
    assert_eq!(
        err.unwrap_err().to_string(),
        "FitConfig batch_size = 0: must be at least 1"
    );
    let cfg = FitConfig {
        early_stopping: Some(2),
        ..quiet(1, 4)
    };
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &cfg,
    );
    let want = "FitConfig early_stopping = Some(2): needs a dev set";
    assert_eq!(err.unwrap_err().to_string(), want);
}

#[test]
fn a_mini_batch_of_one_sample_through_batch_norm_is_refused_at_its_step() {
    // 5 samples in batches of 2: 2, 2, 1. Before: the third step normalized one value per
    // feature (σ² = 0: output β, no gradient below) and the run ended `Ok`.
    let (x, y) = data(5);
    let mut net = WithBn {
        d1: Dense::from_params(
            Matrix::from_fn(|i, j| 0.3 * (i + 1) as f64 - 0.2 * j as f64),
            Vector::zeros(),
        ),
        bn: BatchNorm::new(),
        d2: Dense::zeros(),
    };
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &quiet(1, 2),
    );
    let err = err.unwrap_err().to_string();
    assert!(err.starts_with("training stopped at epoch 1, step 3: layer `bn`: batch normalization needs at least 2 values per feature"), "{err}");
    // 4 samples in batches of 2 train.
    let (x, y) = data(4);
    fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &quiet(1, 2),
    )
    .unwrap();
}

#[test]
fn a_checkpoint_that_cannot_be_written_is_reported_before_the_first_epoch() {
    // Before: the error came after the first epoch had trained.
    let (x, y) = data(8);
    let mut net = mlp(0.1);
    let before = net.values_to_vec();
    let path = "/nonexistent-constnn-dir/run.safetensors";
    let cfg = FitConfig {
        checkpoint: Some(path.into()),
        ..quiet(2, 4)
    };
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &cfg,
    );
    let err = err.unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&format!("{path}: ")), "{err}");
    assert_eq!(net.values_to_vec(), before, "no step was taken");
}

#[test]
fn resuming_with_other_settings_is_refused_listing_both_unless_deliberate() {
    // Before: a checkpoint of another run (batch size, α₀) was resumed silently.
    let dir = std::env::temp_dir().join(format!("constnn-resume-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.safetensors");
    let cfg = |epochs, batch_size| FitConfig {
        checkpoint: Some(path.clone()),
        resume: true,
        ..quiet(epochs, batch_size)
    };
    let (x, y) = data(8);
    fit(
        &mut mlp(0.1),
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &cfg(1, 2),
    )
    .unwrap();
    let mut net = mlp(0.1);
    let err = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.2),
        (&x, &y),
        None,
        &cfg(2, 4),
    );
    let want = format!(
        "{}: written by a run with other settings: batch size 2 in the checkpoint, 4 now, \
         learning rate α₀ 0.1 in the checkpoint, 0.2 now; resume with the same settings, \
         remove the file, or set FitConfig::resume_with_changes",
        path.display()
    );
    assert_eq!(err.unwrap_err().to_string(), want);
    assert_eq!(
        net.values_to_vec(),
        mlp(0.1).values_to_vec(),
        "nothing was loaded"
    );
    // Deliberately: the run continues from epoch 2 with the new settings.
    let deliberate = FitConfig {
        resume_with_changes: true,
        ..cfg(2, 4)
    };
    let mut opt = sgd(0.2);
    let h = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &deliberate,
    )
    .unwrap();
    assert_eq!(h.epochs.iter().map(|e| e.epoch).collect::<Vec<_>>(), [2]);
    assert_eq!(h.costs.len(), 2, "8 samples in batches of 4");
    assert_eq!(opt.lr, 0.2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn gradient_norms_are_reported_per_layer_and_a_dead_layer_is_named() {
    // d1's biases of −100 keep every ReLU off on inputs in [−1, 1]: dA[1]·g'(Z[1]) = 0, so
    // d1's gradient is exactly 0 at every step, while d2's bias still learns (db[2] ≠ 0).
    let (x, y) = data(8);
    let mut net = mlp(-100.0);
    let cfg = FitConfig {
        gradient_norms: true,
        ..quiet(2, 4)
    };
    let h = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &cfg,
    )
    .unwrap();
    let e = &h.epochs[1];
    let layers: Vec<&str> = e.gradients.iter().map(|g| g.layer.as_str()).collect();
    assert_eq!(layers, ["d1", "d2"]);
    assert_eq!(
        (e.gradients[0].mean_norm, e.gradients[0].max_norm),
        (0.0, 0.0)
    );
    assert!(e.gradients[1].mean_norm > 0.0);
    assert_eq!(e.dead_layers().collect::<Vec<_>>(), ["d1"]);
    let lines = epoch_lines(e);
    assert!(
        lines[1].starts_with("           mean gradient norms: d1 0.00e0, d2 "),
        "{lines:?}"
    );
    assert!(lines[2].contains("the gradient of `d1` was exactly 0 for the whole epoch"));
    // Off by default.
    let h = fit(
        &mut mlp(0.1),
        &BinaryCrossEntropy,
        &mut sgd(0.1),
        (&x, &y),
        None,
        &quiet(1, 4),
    );
    assert!(h.unwrap().epochs[0].gradients.is_empty());
}
