//! Training checkpoints: the model, the optimizer's state and where the run stands, in one
//! safetensors file, so that a stopped run can resume and take the same steps it would have
//! taken without the stop ([`FitConfig::checkpoint`](crate::train::FitConfig::checkpoint)).
//!
//! The model's tensors are stored under their usual names (a training checkpoint loads into
//! PyTorch like a plain one, once the `optimizer.*` tensors are dropped); the optimizer's
//! buffers under `optimizer.<buffer>.<parameter>` with the parameter's shape
//! (`optimizer.v.c1.weight`, `optimizer.s.c1.weight` for Adam); the optimizer's kind, step
//! count and the run's progress in the header's metadata (`constnn.*` keys).

use std::path::Path;

use safetensors::SafeTensors;

use super::decode::{Wanted, commit, parse, stage, stage_all};
use super::{Encoded, checkpoint_error, dtype_of, encoded, serialize};
use crate::layer::{ParamRef, ParamShape, Params, param_paths};
use crate::optim::{Optimizer, Snapshot};
use crate::{Error, Result, Scalar};

/// Where a training run stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Epochs completed.
    pub epochs: usize,
    /// Optimizer steps taken since the start of training.
    pub steps: usize,
    /// The initial learning rate `α₀` that a decay schedule starts from.
    pub lr0: f64,
    /// The settings the run's steps depend on; `None` in checkpoints written before they
    /// were recorded (such a checkpoint resumes without the comparison).
    pub run: Option<RunSettings>,
}

/// The settings that fix which steps a run takes, besides `α₀`: resuming with other values
/// would not continue the same run ([`Error::ResumeMismatch`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSettings {
    /// Training samples `m`.
    pub samples: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Progress {
    /// Checks what [`load_training`] will require of the file: `α₀` finite and `> 0`, and a
    /// run of at least one sample in batches of at least one.
    ///
    /// # Errors
    /// [`Error::Setting`] naming the field.
    pub fn validate(&self) -> Result<()> {
        crate::setting::positive("Progress lr0", self.lr0)?;
        if let Some(run) = &self.run {
            for (setting, v) in [("samples", run.samples), ("batch_size", run.batch_size)] {
                if v == 0 {
                    return Err(Error::Setting {
                        setting: format!("RunSettings {setting}"),
                        value: "0".into(),
                        reason: "must be at least 1".into(),
                    });
                }
            }
        }
        Ok(())
    }
}

const PREFIX: &str = "optimizer.";
const KEY_KIND: &str = "constnn.optimizer";
const KEY_OPT_STEPS: &str = "constnn.optimizer.steps";
const KEY_EPOCHS: &str = "constnn.epochs";
const KEY_STEPS: &str = "constnn.steps";
const KEY_LR0: &str = "constnn.lr0";
const KEY_SAMPLES: &str = "constnn.samples";
const KEY_BATCH: &str = "constnn.batch_size";
const KEY_SEED: &str = "constnn.seed";

/// The parameters `opt` updates: (full name, shape), in visiting order.
fn updated<T: Scalar, O: Optimizer<T> + ?Sized>(
    model: &dyn Params<T>,
    opt: &O,
) -> Vec<(String, ParamShape)> {
    let mut shapes = Vec::new();
    model.visit_ref(&mut |p: ParamRef<'_, T>| shapes.push(p.shape));
    param_paths(model)
        .into_iter()
        .zip(shapes)
        .filter(|(path, _)| {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            opt.updates(&path)
        })
        .map(|(path, shape)| (path.join("."), shape))
        .collect()
}

/// Writes `model`, `opt`'s state and `progress` to `path`, atomically (see
/// [`save`](super::save)).
///
/// # Errors
/// [`Error::Setting`] when `progress` is not one [`load_training`] would accept
/// ([`Progress::validate`]), before anything is written; as [`save`](super::save);
/// [`Error::Checkpoint`] when the optimizer's state does not match the parameters it updates.
pub fn save_training<T, M, O>(
    model: &M,
    opt: &O,
    progress: &Progress,
    path: impl AsRef<Path>,
) -> Result<()>
where
    T: Scalar,
    M: Params<T>,
    O: Optimizer<T> + ?Sized,
{
    let path = path.as_ref();
    progress.validate()?;
    let dtype = dtype_of::<T>(path)?;
    let mut tensors = encoded(model, path)?;
    let snap = opt.snapshot();
    let params = updated(model, opt);
    if !snap.tensors.is_empty() && snap.tensors.len() != params.len() {
        let (n, k) = (snap.tensors.len(), params.len());
        let e = format!("the optimizer keeps state for {n} tensors but updates {k}");
        return Err(checkpoint_error(path, e));
    }
    for ((name, shape), buffers) in params.iter().zip(&snap.tensors) {
        for (slot, values) in snap.slots.iter().zip(buffers) {
            if values.len() != shape.len() {
                let e = format!("optimizer state {slot} of {name} does not match its shape");
                return Err(checkpoint_error(path, e));
            }
            let encoded = Encoded::new(dtype, *shape, values);
            tensors.push((format!("{PREFIX}{slot}.{name}"), encoded));
        }
    }
    let mut metadata = vec![
        (KEY_KIND.to_string(), snap.kind.to_string()),
        (KEY_OPT_STEPS.to_string(), snap.steps.to_string()),
        (KEY_EPOCHS.to_string(), progress.epochs.to_string()),
        (KEY_STEPS.to_string(), progress.steps.to_string()),
        (KEY_LR0.to_string(), progress.lr0.to_string()),
    ];
    if let Some(run) = &progress.run {
        metadata.push((KEY_SAMPLES.to_string(), run.samples.to_string()));
        metadata.push((KEY_BATCH.to_string(), run.batch_size.to_string()));
        metadata.push((KEY_SEED.to_string(), run.seed.to_string()));
    }
    let bytes = serialize(tensors, Some(metadata), path)?;
    crate::atomic::write(path, &bytes)
}

/// Reads a checkpoint written by [`save_training`] into `model` and `opt`, all or nothing,
/// and returns the run's progress. `opt` must be the same kind of optimizer, updating the
/// same parameters (the same frozen layers).
///
/// # Errors
/// As [`load`](super::load) for the model's tensors; [`Error::Checkpoint`] when the file has
/// no training metadata or holds another optimizer's state; [`Error::CheckpointMissing`] /
/// [`Error::CheckpointShape`] naming an `optimizer.*` tensor that is absent or differs;
/// [`Error::CheckpointExtra`] for optimizer tensors of parameters `opt` does not update.
/// On error the model and the optimizer are unchanged.
pub fn load_training<T, M, O>(
    model: &mut M,
    opt: &mut O,
    path: impl AsRef<Path>,
) -> Result<Progress>
where
    T: Scalar,
    M: Params<T>,
    O: Optimizer<T> + ?Sized,
{
    let path = path.as_ref();
    let bytes = super::read::read_bounded(path, false)?;
    let file = parse(&bytes, path)?;
    let meta = Metadata::read(&bytes, path)?;
    let staged_model = stage_all(model, &file, path, Some(PREFIX))?;

    let mine = opt.snapshot();
    if meta.text(KEY_KIND)? != mine.kind {
        let e = format!(
            "holds the state of {}, the optimizer is {}",
            meta.text(KEY_KIND)?,
            mine.kind
        );
        return Err(checkpoint_error(path, e));
    }
    let progress = meta.progress()?;
    let opt_steps: u64 = meta.number(KEY_OPT_STEPS)?;
    let started = file.names().iter().any(|n| n.starts_with(PREFIX));
    let params = updated(model, opt);
    let mut wanted = Vec::new();
    if started {
        for (name, shape) in &params {
            for slot in mine.slots {
                let file_name = format!("{PREFIX}{slot}.{name}");
                let model_name = file_name.clone();
                wanted.push(Wanted {
                    model: model_name,
                    file: file_name,
                    shape: *shape,
                });
            }
        }
    }
    let mut staged_opt = stage::<T>(&file, &wanted, path)?;
    check_no_extra(&file, &wanted, path)?;
    let tensors = params
        .iter()
        .filter(|_| started)
        .map(|(name, _)| {
            mine.slots
                .iter()
                .map(|slot| {
                    staged_opt
                        .remove(&format!("{PREFIX}{slot}.{name}"))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    // Everything is read and checked before the optimizer and the model change.
    opt.restore(Snapshot {
        tensors,
        steps: opt_steps,
        ..mine
    })?;
    commit(model, staged_model);
    Ok(progress)
}

/// The progress recorded in the training checkpoint at `path`, reading its header only (a
/// run can compare its settings with the checkpoint's before loading anything).
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Checkpoint`] when it is not a
/// training checkpoint or a progress field is malformed.
pub fn training_progress(path: impl AsRef<Path>) -> Result<Progress> {
    let path = path.as_ref();
    let bytes = super::read::read_bounded(path, true)?;
    Metadata::read(&bytes, path)?.progress()
}

/// Optimizer tensors in the file that `wanted` does not list.
fn check_no_extra(file: &SafeTensors<'_>, wanted: &[Wanted], path: &Path) -> Result<()> {
    let mut extra: Vec<String> = file
        .names()
        .into_iter()
        .filter(|n| n.starts_with(PREFIX) && !wanted.iter().any(|w| w.file == **n))
        .map(str::to_string)
        .collect();
    if extra.is_empty() {
        return Ok(());
    }
    extra.sort();
    Err(Error::CheckpointExtra {
        path: path.to_path_buf(),
        tensors: extra,
    })
}

/// The `constnn.*` metadata of a training checkpoint.
struct Metadata<'a> {
    pairs: Vec<(String, String)>,
    path: &'a Path,
}

impl<'a> Metadata<'a> {
    /// From the file's first bytes (the whole file or just its header): the header is
    /// decoded by safetensors' own `Metadata` deserializer, as the parser does.
    fn read(bytes: &[u8], path: &'a Path) -> Result<Self> {
        let unreadable =
            |e: &dyn core::fmt::Display| checkpoint_error(path, format!("unreadable header: {e}"));
        let n = bytes
            .get(..8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| unreadable(&"shorter than 8 bytes"))?;
        let header = usize::try_from(n)
            .ok()
            .and_then(|n| bytes.get(8..8usize.checked_add(n)?))
            .ok_or_else(|| unreadable(&format!("{n} header bytes announced, not all present")))?;
        let meta: safetensors::tensor::Metadata =
            serde_json::from_slice(header).map_err(|e| unreadable(&e))?;
        let pairs = meta
            .metadata()
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Self { pairs, path })
    }

    fn text(&self, key: &str) -> Result<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                let e = format!("no `{key}` in the header: not a training checkpoint");
                checkpoint_error(self.path, e)
            })
    }

    /// The run's progress, checked as [`Progress::validate`] would.
    fn progress(&self) -> Result<Progress> {
        let run = match self.pairs.iter().any(|(k, _)| k == KEY_SAMPLES) {
            false => None,
            true => Some(RunSettings {
                samples: self.number(KEY_SAMPLES)?,
                batch_size: self.number(KEY_BATCH)?,
                seed: self.number(KEY_SEED)?,
            }),
        };
        let progress = Progress {
            epochs: self.number(KEY_EPOCHS)?,
            steps: self.number(KEY_STEPS)?,
            lr0: self.number(KEY_LR0)?,
            run,
        };
        if !(progress.lr0.is_finite() && progress.lr0 > 0.0) {
            let e = format!(
                "`{KEY_LR0}` is {}, not a positive learning rate",
                progress.lr0
            );
            return Err(checkpoint_error(self.path, e));
        }
        if run.is_some_and(|r| r.samples == 0 || r.batch_size == 0) {
            let e = "a run of 0 samples or batches of 0 samples".to_string();
            return Err(checkpoint_error(self.path, e));
        }
        Ok(progress)
    }

    fn number<N: core::str::FromStr>(&self, key: &str) -> Result<N> {
        let text = self.text(key)?;
        text.parse()
            .map_err(|_| checkpoint_error(self.path, format!("`{key}` is `{text}`, not a number")))
    }
}
