//! The mini-batch training loop (course 2, week 2).
//!
//! For each epoch: shuffle, then for each mini-batch `X{t}, Y{t}`: forward in [`Train`] mode,
//! the cost `J{t}` and `dZ[L]`, backward, one optimizer step. Buffers for the batch, the
//! output, the cache and the gradient are created once and reused. A non-finite cost stops
//! training with [`Error::Diverged`] naming the epoch and step. A progress bar (indicatif)
//! shows the running cost; each epoch ends with one line of train and dev figures.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

pub use super::config::FitConfig;
use super::{Classify, History, MiniBatches, evaluate};
use crate::layer::{Layer, Params, Train};
use crate::loss::Loss;
use crate::optim::Optimizer;
use crate::tensor::Tensor;
use crate::{Error, Result, Scalar};

/// Cost and accuracy of a network on a data set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evaluation {
    /// `J` over the whole set.
    pub cost: f64,
    /// Share of samples whose predicted class is the label's.
    pub accuracy: f64,
}

/// Figures of one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochStats {
    /// 1-based.
    pub epoch: usize,
    /// Mean of the mini-batch costs over the epoch (weighted by batch size).
    pub train: Evaluation,
    /// On the dev set, after the epoch.
    pub dev: Option<Evaluation>,
    /// Wall-clock seconds of the epoch's training steps.
    pub seconds: f64,
}

fn check_pair<X: Tensor, Y: Tensor>(what: &str, x: &X, y: &Y) -> Result<usize> {
    let (m, n) = (x.batch_size(), y.batch_size());
    if m != n {
        return Err(Error::Data {
            what: what.into(),
            reason: format!("{m} samples but {n} labels"),
        });
    }
    if m == 0 {
        return Err(Error::Data {
            what: what.into(),
            reason: "no samples".into(),
        });
    }
    Ok(m)
}

/// Trains `net` on `train = (X, Y)` with mini-batch gradient steps of `opt`, evaluating on
/// `dev` after each epoch.
///
/// # Errors
/// [`Error::Data`] when samples and labels disagree in number or a set is empty;
/// [`Error::Diverged`] when a cost is not finite.
pub fn fit<T, X, Y, N, L, O>(
    net: &mut N,
    loss: &L,
    opt: &mut O,
    train: (&X, &Y),
    dev: Option<(&X, &Y)>,
    cfg: &FitConfig,
) -> Result<History>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Y> + Params<T> + Send,
    L: Loss<Y> + Sync,
    O: Optimizer<T> + Send,
{
    // The loop runs on a thread of rayon's pool, where the kernels' two-thread splits use the
    // worker's own queue; forked from any other thread, rayon allocates a queue block every
    // 63 forks, and a training step is meant to allocate nothing (tests/alloc.rs).
    rayon::scope(|_| fit_on_pool(net, loss, opt, train, dev, cfg))
}

/// [`fit`]'s loop, on whatever thread calls it.
fn fit_on_pool<T, X, Y, N, L, O>(
    net: &mut N,
    loss: &L,
    opt: &mut O,
    train: (&X, &Y),
    dev: Option<(&X, &Y)>,
    cfg: &FitConfig,
) -> Result<History>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Y> + Params<T>,
    L: Loss<Y>,
    O: Optimizer<T>,
{
    let (x, y) = train;
    let m = check_pair("training set", x, y)?;
    if let Some((dx, dy)) = dev {
        check_pair("dev set", dx, dy)?;
    }
    let mut plan = MiniBatches::new(m, cfg.batch_size, cfg.seed);
    let (mut xb, mut yb, mut out, mut dout) =
        (X::default(), Y::default(), Y::default(), Y::default());
    let mut cache = N::Cache::default();
    let mut history = History::default();
    let lr0 = opt.learning_rate();
    let mut best: Option<(f64, usize, Vec<T>)> = None; // dev cost, epoch, parameters
    let bar = if cfg.verbose {
        ProgressBar::new(plan.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} [{elapsed}<{eta}]")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    for epoch in 1..=cfg.epochs {
        plan.shuffle();
        bar.reset();
        bar.set_prefix(format!("epoch {epoch}/{}", cfg.epochs));
        let start = Instant::now();
        let (mut total, mut correct) = (0.0, 0);
        for (t, idx) in plan.iter().enumerate() {
            let step = history.costs.len() + 1;
            if let Some(s) = &cfg.schedule {
                opt.set_learning_rate(s.rate(lr0, epoch - 1, step));
            }
            x.gather_into(idx, &mut xb);
            y.gather_into(idx, &mut yb);
            net.forward::<Train>(&xb, &mut out, &mut cache);
            let cost = loss.cost_and_grad(&out, &yb, &mut dout).as_f64()
                + cfg.regularization.cost(net, idx.len());
            if !cost.is_finite() {
                bar.abandon();
                return Err(Error::Diverged { epoch, step, cost });
            }
            net.backward(&xb, &out, &mut cache, &dout, None);
            cfg.regularization.add_grad(net, idx.len());
            if let Some(c) = &cfg.clip {
                c.apply(net);
            }
            opt.step(net);
            history.costs.push(cost);
            total += cost * idx.len() as f64;
            correct += out.count_correct(&yb);
            bar.inc(1);
            if t % 16 == 0 {
                bar.set_message(format!("cost {cost:.4}"));
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let train_eval = Evaluation {
            cost: total / m as f64,
            accuracy: correct as f64 / m as f64,
        };
        let dev_eval = dev.map(|(dx, dy)| evaluate(net, loss, dx, dy, 1000));
        if cfg.verbose {
            let dev_text = dev_eval
                .map(|d| format!(", dev cost {:.4} accuracy {:.4}", d.cost, d.accuracy))
                .unwrap_or_default();
            let line = format!(
                "epoch {epoch:>3}: train cost {:.4} accuracy {:.4}{dev_text} ({seconds:.1} s)",
                train_eval.cost, train_eval.accuracy
            );
            if bar.is_hidden() {
                println!("{line}")
            } else {
                bar.println(line)
            }
        }
        history.epochs.push(EpochStats {
            epoch,
            train: train_eval,
            dev: dev_eval,
            seconds,
        });
        if let (Some(patience), Some(d)) = (cfg.early_stopping, dev_eval) {
            if best.as_ref().is_none_or(|b| d.cost < b.0) {
                best = Some((d.cost, epoch, net.values_to_vec()));
            } else if best.as_ref().is_some_and(|b| epoch - b.1 >= patience) {
                break;
            }
        }
    }
    if let Some((_, epoch, values)) = best {
        net.set_values_from(&values);
        history.best_epoch = Some(epoch);
    }
    bar.finish_and_clear();
    Ok(history)
}

#[cfg(test)]
mod tests {
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
        let x = Batch::<1, f64>::from_fn(10, |_, j| j as f64 / 10.0);
        let y = Batch::<1, f64>::from_fn(10, |_, j| f64::from(u8::from(j >= 5)));
        let mut net: Dense<1, 1, f64> = Dense::zeros();
        let h = fit(
            &mut net,
            &BinaryCrossEntropy,
            &mut Sgd::new(0.0),
            (&x, &y),
            None,
            &quiet(2, 4),
        )
        .unwrap();
        assert_eq!(h.costs.len(), 6);
        // With α = 0 nothing moves: every cost is ln 2, and so is the epoch mean.
        assert!(h.costs.iter().all(|c| (c - 2f64.ln()).abs() < 1e-15));
        assert!((h.epochs[1].train.cost - 2f64.ln()).abs() < 1e-15);
        assert_eq!(h.epochs[1].train.accuracy, 0.5); // z = 0 predicts class 0 for all
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
            &mut Sgd::new(50.0),
            (&x, &y),
            None,
            &quiet(1000, 8),
        )
        .unwrap_err();
        match err {
            Error::Diverged { epoch, step, cost } => {
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
            &mut Sgd::new(0.1),
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
                &mut Sgd::new(0.1),
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
            &mut Sgd::new(1.0),
            (&x, &y),
            None,
            &cfg,
        )
        .unwrap();
        assert!((net.w[(0, 0)] - 1.7).abs() < 1e-12, "{:?}", net.w);
        // Inverse-time decay with decay 1: α = 1, ½, ⅓ over epochs 0, 1, 2.
        let mut opt = Sgd::new(1.0);
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
            &mut Sgd::new(0.1),
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
        let mut net = Dense::<2, 1, f64>::from_params(
            crate::tensor::Matrix::from_rows([[0.5, -0.25]]),
            crate::tensor::Vector::from_rows([[0.1]]),
        );
        let whole = evaluate(&mut net, &BinaryCrossEntropy, &x, &y, 100);
        let chunked = evaluate(&mut net, &BinaryCrossEntropy, &x, &y, 3);
        assert!((whole.cost - chunked.cost).abs() < 1e-12);
        assert_eq!(whole.accuracy, chunked.accuracy);
        assert_eq!(predict_classes(&mut net, &x, 2).len(), 7);
    }
}
