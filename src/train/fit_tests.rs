//! Tests of [`super::fit`].

use super::*;
use crate::layer::Dense;
use crate::loss::{BinaryCrossEntropy, MeanSquaredError};
use crate::optim::{Clip, LrSchedule, Sgd};
use crate::tensor::Batch;

fn quiet(epochs: usize, batch_size: usize) -> FitConfig {
    FitConfig {
        epochs,
        batch_size,
        seed: 3,
        verbose: false,
        ..FitConfig::default()
    }
}

#[test]
fn every_sample_is_used_including_the_partial_batch() {
    // m = 10 in batches of 4 → 3 steps per epoch; the per-epoch cost averages all 10.
    // Labels y = ½ at z = 0: dZ = σ(0) − ½ = 0, so nothing moves whatever α (α = 0 is no
    // longer a valid setting) and every cost is −(½·ln ½ + ½·ln ½) = ln 2.
    let x = Batch::<1, f64>::from_fn(10, |_, j| j as f64 / 10.0);
    let y = Batch::<1, f64>::from_fn(10, |_, _| 0.5);
    let mut net: Dense<1, 1, f64> = Dense::zeros();
    let h = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut Sgd::new(0.5).unwrap(),
        (&x, &y),
        None,
        &quiet(2, 4),
    )
    .unwrap();
    assert_eq!(h.costs.len(), 6);
    assert!(h.costs.iter().all(|c| (c - 2f64.ln()).abs() < 1e-15));
    assert!((h.epochs[1].train.cost - 2f64.ln()).abs() < 1e-15);
    assert_eq!(net.w[(0, 0)], 0.0);
}

#[test]
fn a_too_large_learning_rate_is_reported_as_divergence() {
    // Linear regression y = 3x with α = 50: each step multiplies the error by about −49.
    let x = Batch::<1, f64>::from_fn(8, |_, j| 1.0 + j as f64);
    let y = x.map(|v| 3.0 * v);
    let mut net: Dense<1, 1, f64> = Dense::zeros();
    let err = fit(
        &mut net,
        &MeanSquaredError,
        &mut Sgd::new(50.0).unwrap(),
        (&x, &y),
        None,
        &quiet(1000, 8),
    )
    .unwrap_err();
    match err {
        Error::Diverged {
            epoch,
            step,
            cause: crate::Divergence::Cost(cost),
        } => {
            assert_eq!(epoch, step); // one step per epoch
            assert!(!cost.is_finite());
            assert!(step > 10 && step < 1000, "step {step}");
        }
        e => panic!("expected divergence, got {e}"),
    }
}

#[test]
fn early_stopping_restores_the_best_epoch() {
    // Training on one set and "dev" on the opposite labels: the dev cost rises from the
    // first epoch on, so training stops after `patience` more epochs and epoch 1 is kept.
    let x = Batch::<1, f64>::from_fn(8, |_, j| j as f64 - 3.5);
    let y = Batch::<1, f64>::from_fn(8, |_, j| f64::from(u8::from(j >= 4)));
    let y_dev = y.map(|v| 1.0 - v);
    let mut net: Dense<1, 1, f64> = Dense::zeros();
    let cfg = FitConfig {
        early_stopping: Some(2),
        ..quiet(50, 8)
    };
    let h = fit(
        &mut net,
        &BinaryCrossEntropy,
        &mut Sgd::new(0.1).unwrap(),
        (&x, &y),
        Some((&x, &y_dev)),
        &cfg,
    )
    .unwrap();
    assert_eq!(h.epochs.len(), 3);
    assert_eq!(h.best_epoch, Some(1));
    let after_epoch_1 = {
        let mut n: Dense<1, 1, f64> = Dense::zeros();
        fit(
            &mut n,
            &BinaryCrossEntropy,
            &mut Sgd::new(0.1).unwrap(),
            (&x, &y),
            None,
            &quiet(1, 8),
        )
        .unwrap();
        n
    };
    assert_eq!(net.w, after_epoch_1.w);
}

#[test]
fn decay_and_clipping_shape_the_steps() {
    // One sample x = 1, y = 0 under MSE: dW = db = (W + b)·1 > 0.1 throughout, so clipping by
    // value at 0.1 makes each update exactly α·0.1: W = 2 → 1.9 → 1.8 → 1.7.
    let x = Batch::<1, f64>::from_rows(1, &[&[1.0]]);
    let y = Batch::<1, f64>::zeros(1);
    let mut net = Dense::<1, 1, f64>::from_params(
        crate::tensor::Matrix::from_rows([[2.0]]),
        crate::tensor::Vector::zeros(),
    );
    let cfg = FitConfig {
        clip: Some(Clip::Value(0.1)),
        ..quiet(3, 1)
    };
    fit(
        &mut net,
        &MeanSquaredError,
        &mut Sgd::new(1.0).unwrap(),
        (&x, &y),
        None,
        &cfg,
    )
    .unwrap();
    assert!((net.w[(0, 0)] - 1.7).abs() < 1e-12, "{:?}", net.w);
    // Inverse-time decay with decay 1: α = 1, ½, ⅓ over epochs 0, 1, 2.
    let mut opt = Sgd::new(1.0).unwrap();
    let cfg = FitConfig {
        schedule: Some(LrSchedule::InverseTime { decay: 1.0 }),
        ..quiet(3, 1)
    };
    fit(
        &mut Dense::<1, 1, f64>::zeros(),
        &MeanSquaredError,
        &mut opt,
        (&x, &y),
        None,
        &cfg,
    )
    .unwrap();
    assert!((opt.lr - 1.0 / 3.0).abs() < 1e-15);
}

#[test]
fn mismatched_labels_are_an_error() {
    let x = Batch::<1, f64>::zeros(4);
    let y = Batch::<1, f64>::zeros(3);
    let mut net: Dense<1, 1, f64> = Dense::zeros();
    let err = fit(
        &mut net,
        &MeanSquaredError,
        &mut Sgd::new(0.1).unwrap(),
        (&x, &y),
        None,
        &quiet(1, 2),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "training set: 4 samples but 3 labels");
}

#[test]
fn evaluation_in_chunks_equals_one_pass() {
    use crate::train::predict_classes;
    let x = Batch::<2, f64>::from_fn(7, |i, j| (i + j) as f64 - 3.0);
    let y = Batch::<1, f64>::from_fn(7, |_, j| f64::from(u8::from(j % 2 == 0)));
    let net = Dense::<2, 1, f64>::from_params(
        crate::tensor::Matrix::from_rows([[0.5, -0.25]]),
        crate::tensor::Vector::from_rows([[0.1]]),
    );
    let whole = evaluate(&net, &BinaryCrossEntropy, &x, &y, 100).unwrap();
    let chunked = evaluate(&net, &BinaryCrossEntropy, &x, &y, 3).unwrap();
    assert!((whole.cost - chunked.cost).abs() < 1e-12);
    assert_eq!(whole.accuracy, chunked.accuracy);
    assert_eq!(predict_classes(&net, &x, 2).len(), 7);
    // Before: a sample-count mismatch panicked here, where `fit` returns an error.
    let y6 = Batch::<1, f64>::zeros(6);
    let err = evaluate(&net, &BinaryCrossEntropy, &x, &y6, 3).unwrap_err();
    assert_eq!(err.to_string(), "evaluation set: 7 samples but 6 labels");
}
