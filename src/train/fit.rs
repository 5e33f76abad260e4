//! The mini-batch training loop (course 2, week 2).
//!
//! For each epoch: shuffle, then for each mini-batch `X{t}, Y{t}`: a training forward,
//! the cost `J{t}` and `dZ[L]`, backward, one optimizer step. Buffers for the batch, the
//! output, the cache and the gradient are created once and reused. A progress bar (indicatif)
//! shows the running cost; each epoch ends with one line of train and dev figures.
//!
//! Nothing is silently wrong when `fit` returns `Ok`: the settings are checked before
//! anything runs ([`Error::Setting`]); a NaN or an infinity in the data is refused up front
//! ([`Error::NonFiniteInput`]); training stops with [`Error::Diverged`] naming the epoch and
//! step as soon as a mini-batch cost, a parameter or buffer after an update (by its full
//! name, e.g. `d1.weight`), or a dev cost is not finite; a layer that cannot train on a
//! mini-batch stops it with [`Error::Refused`]; and a checkpoint path that cannot be
//! written is reported before the first epoch.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::collective::{Collective, Local};
pub use super::config::FitConfig;
use super::data_parallel::DataParallel;
use super::health::{GradientMonitor, LayerGradient, check_set, non_finite_tensor};
use super::{Classify, History, MiniBatches, evaluate};
use crate::checkpoint::{Progress, RunSettings, save_training};
use crate::error::Divergence;
use crate::layer::{Layer, Params};
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
    /// Per-layer gradient norms over the epoch, in visiting order; empty unless
    /// [`FitConfig::gradient_norms`] is set.
    pub gradients: Vec<LayerGradient>,
}

impl EpochStats {
    /// The layers whose gradient was exactly 0 at every step of the epoch (with
    /// [`FitConfig::gradient_norms`]).
    pub fn dead_layers(&self) -> impl Iterator<Item = &str> {
        self.gradients
            .iter()
            .filter(|g| g.dead)
            .map(|g| g.layer.as_str())
    }
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
/// [`Error::Setting`] for a setting out of range ([`FitConfig::validate`], the optimizer's
/// learning rate, early stopping without a dev set); [`Error::Data`] when samples and labels
/// disagree in number or a set is empty; [`Error::NonFiniteInput`] naming the set, sample and
/// feature of a NaN or infinity in the data; [`Error::Diverged`] when a cost, a parameter or
/// buffer, or the dev cost is not finite; [`Error::Refused`] when a layer cannot train on a
/// mini-batch (batch normalization of one sample); with [`FitConfig::checkpoint`],
/// [`Error::Io`] at once when the file cannot be written, [`Error::ResumeMismatch`] when it
/// was written by a run with other settings, and the errors of
/// [`checkpoint::save_training`](crate::checkpoint::save_training) and
/// [`load_training`](crate::checkpoint::load_training).
///
/// # Workers
/// Each mini-batch is shared by [`FitConfig::auto_workers`] data-parallel workers (see
/// [`FitConfig::workers`] and [`DataParallel`](super::DataParallel)): `net` and clones of it
/// made once at the start, hence the `N: Clone` bound (derive it: `#[derive(Network, Clone)]`).
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
    N: Layer<X, Output = Y> + Params<T> + Clone + Send,
    L: Loss<Y> + Sync,
    O: Optimizer<T> + Send,
{
    // The loop runs on a thread of rayon's pool, where the kernels' two-thread splits use the
    // worker's own queue; off the pool a split spawns a boxed job (kernel/fork.rs), and a
    // training step is meant to allocate nothing (tests/alloc.rs).
    rayon::scope(|_| fit_with(net, loss, opt, train, dev, cfg, &Local))
}

/// [`fit`]'s loop, on whatever thread calls it, as one of `comm`'s processes: each process
/// trains on its shard of every mini-batch (all draw the same shuffles), the gradients and
/// the step's figures are summed over them, and only rank 0 prints and writes checkpoints.
pub(crate) fn fit_with<T, X, Y, N, L, O>(
    net: &mut N,
    loss: &L,
    opt: &mut O,
    train: (&X, &Y),
    dev: Option<(&X, &Y)>,
    cfg: &FitConfig,
    comm: &impl Collective,
) -> Result<History>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Output = Y> + Params<T> + Clone + Send,
    L: Loss<Y> + Sync,
    O: Optimizer<T>,
{
    let lead = comm.rank() == 0;
    cfg.validate()?;
    crate::setting::positive("optimizer learning rate", opt.learning_rate())?;
    if cfg.early_stopping.is_some() && dev.is_none() {
        return Err(Error::Setting {
            setting: "FitConfig early_stopping".into(),
            value: format!("{:?}", cfg.early_stopping),
            reason: "needs a dev set".into(),
        });
    }
    let (x, y) = train;
    let m = check_pair("training set", x, y)?;
    check_set("training set", x, y)?;
    if let Some((dx, dy)) = dev {
        check_pair("dev set", dx, dy)?;
        check_set("dev set", dx, dy)?;
    }
    if let Some(path) = cfg.checkpoint.as_ref().filter(|_| lead) {
        crate::atomic::check_writable(path)?;
    }
    let run = RunSettings {
        samples: m,
        batch_size: cfg.batch_size,
        seed: cfg.seed,
    };
    let mut plan = MiniBatches::new(m, cfg.batch_size, cfg.seed);
    let mut lr0 = opt.learning_rate();
    let (mut first_epoch, mut steps_before) = (1, 0);
    if let Some(path) = cfg.checkpoint.as_ref().filter(|p| cfg.resume && p.exists()) {
        let done = super::resume::resume(net, opt, path, &run, cfg.resume_with_changes)?;
        (lr0, steps_before) = (done.lr0, done.steps);
        first_epoch = done.epochs.saturating_add(1);
        // Replaying more shuffles than the run has epochs would change nothing it trains.
        for _ in 1..first_epoch.min(cfg.epochs + 1) {
            plan.shuffle(); // the shuffles of the completed epochs, so the next one matches
        }
    }
    // Shuffled batches are drawn from sample-major copies (see `SampleMajor`).
    let mut workers = DataParallel::new_in(net, x, y, cfg.auto_workers(), comm)?;
    let mut history = History::default();
    let mut best: Option<(f64, usize, Vec<T>)> = None; // dev cost, epoch, parameters
    let mut monitor = cfg.gradient_norms.then(|| GradientMonitor::new(net));
    let bar = if cfg.verbose && lead {
        ProgressBar::new(plan.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) =
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} [{elapsed}<{eta}]")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    for epoch in first_epoch..=cfg.epochs {
        plan.shuffle();
        bar.reset();
        bar.set_prefix(format!("epoch {epoch}/{}", cfg.epochs));
        let start = Instant::now();
        let (mut total, mut correct, mut counted) = (0.0, 0, 0);
        for (t, idx) in plan.iter().enumerate() {
            let step = steps_before.saturating_add(history.costs.len() + 1);
            if let Some(s) = &cfg.schedule {
                opt.set_learning_rate(s.rate(lr0, epoch - 1, step));
            }
            let refused = |reason: String| Error::Refused {
                epoch,
                step,
                reason,
            };
            let figures = match workers.gradients_in(net, loss, idx, comm)? {
                Ok(f) => f,
                Err(e) => {
                    bar.abandon();
                    return Err(refused(e.to_string()));
                }
            };
            let cost = figures.cost + cfg.regularization.cost(net, idx.len());
            if !cost.is_finite() {
                bar.abandon();
                let cause = Divergence::Cost(cost);
                return Err(Error::Diverged { epoch, step, cause });
            }
            if let Some(monitor) = &mut monitor {
                monitor.record(net);
            }
            cfg.regularization.add_grad(net, idx.len());
            if let Some(c) = &cfg.clip {
                c.apply(net);
            }
            opt.step(net);
            if let Some(cause) = non_finite_tensor(net) {
                bar.abandon();
                return Err(Error::Diverged { epoch, step, cause });
            }
            workers.sync_in(net, comm)?;
            history.costs.push(cost);
            total += cost * idx.len() as f64;
            (correct, counted) = (correct + figures.correct, counted + figures.counted);
            bar.inc(1);
            if t % 16 == 0 {
                bar.set_message(format!("cost {cost:.4}"));
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let train_eval = Evaluation {
            cost: total / m as f64,
            accuracy: correct as f64 / counted.max(1) as f64,
        };
        let steps = steps_before.saturating_add(history.costs.len());
        // Rank 0 alone evaluates; the others get its figures (same parameters, same set).
        let dev_eval = dev
            .map(|(dx, dy)| -> Result<Evaluation> {
                let mut figures = [0.0; 2];
                if lead {
                    let e = evaluate(net, loss, dx, dy, 1000)?;
                    figures = [e.cost, e.accuracy];
                }
                if comm.size() > 1 {
                    comm.broadcast_f64(&mut figures)?;
                }
                let [cost, accuracy] = figures;
                Ok(Evaluation { cost, accuracy })
            })
            .transpose()?;
        if let Some(d) = dev_eval.filter(|d| !d.cost.is_finite()) {
            bar.abandon();
            let cause = Divergence::DevCost(d.cost);
            return Err(Error::Diverged {
                epoch,
                step: steps,
                cause,
            });
        }
        let stats = EpochStats {
            epoch,
            train: train_eval,
            dev: dev_eval,
            seconds,
            gradients: monitor
                .as_mut()
                .map(|g| g.finish_epoch())
                .unwrap_or_default(),
        };
        if cfg.verbose && lead {
            for line in epoch_lines(&stats) {
                if bar.is_hidden() {
                    println!("{line}")
                } else {
                    bar.println(line)
                }
            }
        }
        history.epochs.push(stats);
        if let Some(path) = cfg.checkpoint.as_ref().filter(|_| lead) {
            let done = Progress {
                epochs: epoch,
                steps,
                lr0,
                run: Some(run),
            };
            save_training(net, opt, &done, path)?;
        }
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

/// The lines printed after an epoch: the figures, then the gradient norms and a warning for
/// each dead layer when they were recorded.
fn epoch_lines(s: &EpochStats) -> Vec<String> {
    let dev_text = s
        .dev
        .map(|d| format!(", dev cost {:.4} accuracy {:.4}", d.cost, d.accuracy))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "epoch {:>3}: train cost {:.4} accuracy {:.4}{dev_text} ({:.1} s)",
        s.epoch, s.train.cost, s.train.accuracy, s.seconds
    )];
    if !s.gradients.is_empty() {
        let norms: Vec<String> = (s.gradients.iter())
            .map(|g| format!("{} {:.2e}", g.layer, g.mean_norm))
            .collect();
        lines.push(format!(
            "           mean gradient norms: {}",
            norms.join(", ")
        ));
    }
    for layer in s.dead_layers() {
        lines.push(format!(
            "           warning: the gradient of `{layer}` was exactly 0 for the whole epoch \
             (dead ReLUs?): it did not learn"
        ));
    }
    lines
}

#[cfg(test)]
#[path = "fit_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "fit_checks_tests.rs"]
mod checks_tests;

#[cfg(test)]
#[path = "fit_parallel_tests.rs"]
mod parallel_tests;
