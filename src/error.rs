//! Runtime errors. Shape errors never appear here: they are compile errors.

use std::path::PathBuf;

/// Everything that can go wrong at run time in constnn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A CSV file has a malformed cell, row or header.
    #[error("{path}:{line}: column {column}: {reason}")]
    Csv {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number (the header is line 1).
        line: usize,
        /// 1-based column number, or 0 when the whole line is at fault.
        column: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// An IDX file (MNIST, Fashion-MNIST) is corrupt, truncated or not what the caller asked
    /// for (a wrong magic number, image size, count or label).
    #[error("{path}: {reason}")]
    Idx {
        /// The file involved.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Data that was read fine does not fit what the caller asked for
    /// (a feature count, a label range, an empty set).
    #[error("{what}: {reason}")]
    Data {
        /// The data set, file or field involved.
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Training produced a non-finite value: a cost, the dev cost, or a parameter after an
    /// update (a learning rate too large, exploding gradients).
    #[error("training diverged at epoch {epoch}, step {step}: {cause}")]
    Diverged {
        /// 1-based epoch.
        epoch: usize,
        /// 1-based optimizer step, counted from the start of training (for the dev cost: the
        /// epoch's last step).
        step: usize,
        /// What became non-finite.
        cause: Divergence,
    },
    /// Training data holds a NaN or an infinity, which would poison the parameters (a ReLU
    /// maps NaN to 0, so the cost alone does not show it).
    #[error("{what}: feature {feature} of sample {sample} is {value} (0-based indices)")]
    NonFiniteInput {
        /// The set, e.g. `training set`.
        what: String,
        /// The sample (column) index.
        sample: usize,
        /// The feature (row) index within the sample.
        feature: usize,
        /// The value.
        value: f64,
    },
    /// A setting (a learning rate, `β`, `λ`, a clipping threshold, a batch size) is outside
    /// the range where it means anything.
    #[error("{setting} = {value}: {reason}")]
    Setting {
        /// The setting, e.g. `Sgd lr` or `FitConfig batch_size`.
        setting: String,
        /// Its value as given.
        value: String,
        /// The range it must be in.
        reason: String,
    },
    /// A training checkpoint was written by a run with other settings than the one asked to
    /// resume from it.
    #[error(
        "{path}: written by a run with other settings: {}; resume with the same settings, remove the file, or set FitConfig::resume_with_changes",
        .changes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    ResumeMismatch {
        /// The checkpoint.
        path: PathBuf,
        /// Every setting that differs.
        changes: Vec<SettingChange>,
    },
    /// A layer's training forward refused its mini-batch (batch normalization of a single
    /// value per feature: its variance is 0). `layer` is the field path in a derived network
    /// (`bn1`, `base.bn1`), empty for a layer used alone.
    #[error("{}{reason}", if layer.is_empty() { String::new() } else { format!("layer `{layer}`: ") })]
    Layer {
        /// The field path of the layer.
        layer: String,
        /// Why.
        reason: String,
    },
    /// A layer cannot train on a mini-batch (batch normalization of a single value per
    /// feature: its variance is 0).
    #[error("training stopped at epoch {epoch}, step {step}: {reason}")]
    Refused {
        /// 1-based epoch.
        epoch: usize,
        /// 1-based optimizer step.
        step: usize,
        /// The layer's reason.
        reason: String,
    },
    /// A checkpoint cannot be read (truncated, corrupt, not safetensors) or a model cannot be
    /// written as one (two tensors with one name).
    #[error("{path}: {reason}")]
    Checkpoint {
        /// The file involved (`<memory>` for in-memory checkpoints).
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A tensor of a checkpoint has another shape than the model's parameter of that name.
    #[error("{path}: {tensor}: expected shape {}, found {}", dims(.expected), dims(.found))]
    CheckpointShape {
        /// The file involved.
        path: PathBuf,
        /// The tensor's full name, e.g. `c1.weight`.
        tensor: String,
        /// The model's shape.
        expected: Vec<usize>,
        /// The file's shape.
        found: Vec<usize>,
    },
    /// A tensor of a checkpoint has another element type than the model.
    #[error("{path}: {tensor}: expected dtype {expected}, found {found}")]
    CheckpointDtype {
        /// The file involved.
        path: PathBuf,
        /// The tensor's full name.
        tensor: String,
        /// The model's safetensors dtype (`F32` or `F64`).
        expected: String,
        /// The file's dtype.
        found: String,
    },
    /// The model has a tensor that the checkpoint lacks.
    #[error("{path}: {tensor}: missing from the checkpoint")]
    CheckpointMissing {
        /// The file involved.
        path: PathBuf,
        /// The tensor's full name.
        tensor: String,
    },
    /// The checkpoint has tensors that the model lacks.
    #[error("{path}: tensors the model does not have: {}", .tensors.join(", "))]
    CheckpointExtra {
        /// The file involved.
        path: PathBuf,
        /// Their names, sorted.
        tensors: Vec<String>,
    },
    /// A layer named by the caller (to freeze, train or load) is not in the model, or has no
    /// parameters.
    #[error("no layer `{name}` with parameters in the model (layers with parameters: {})", .known.join(", "))]
    UnknownLayer {
        /// The name as given, e.g. `c3` or `base.c1`.
        name: String,
        /// The model's layers that have parameters, in visiting order.
        known: Vec<String>,
    },
    /// The MPI library could not be started or did not do what was asked of it (see
    /// `constnn::distributed`, feature `mpi`).
    #[error("MPI: {reason}")]
    Mpi {
        /// What went wrong.
        reason: String,
    },
    /// An error that happened on another process of a distributed job, received as its text
    /// (a failed trial of a distributed search). Its message is that process's message,
    /// unchanged, so a report reads the same as on one process.
    #[error("{message}")]
    Remote {
        /// The rank (process number) it happened on.
        rank: usize,
        /// The error's message on that rank.
        message: String,
    },
}

/// What became non-finite when training diverged ([`Error::Diverged`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Divergence {
    /// The mini-batch cost `J{t}` before the update.
    Cost(f64),
    /// The dev set's cost after the epoch.
    DevCost(f64),
    /// A parameter or buffer after the update: the first non-finite tensor in visiting
    /// order, by its full name (`d1.weight`), and its first non-finite entry.
    Tensor {
        /// Full dotted name.
        name: String,
        /// Index of the entry in the tensor's values.
        index: usize,
        /// The entry.
        value: f64,
    },
}

impl core::fmt::Display for Divergence {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Divergence::Cost(c) => write!(f, "the cost became {c}"),
            Divergence::DevCost(c) => write!(f, "the dev cost became {c}"),
            Divergence::Tensor { name, index, value } => {
                write!(f, "`{name}` became {value} (entry {index})")
            }
        }
    }
}

/// One setting that differs between a checkpoint and the run resuming from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingChange {
    /// The setting, e.g. `batch size`.
    pub setting: String,
    /// Its value in the checkpoint.
    pub saved: String,
    /// Its value now.
    pub now: String,
}

impl core::fmt::Display for SettingChange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} {} in the checkpoint, {} now",
            self.setting, self.saved, self.now
        )
    }
}

/// `[6, 1, 5, 5]`.
fn dims(d: &[usize]) -> String {
    let parts: Vec<String> = d.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// The error of a field of a derived network: an [`Error::Layer`] gets `field` in front of
    /// its path (`bn1`, then `base.bn1` one network up); other errors are unchanged.
    pub fn within(self, field: &str) -> Self {
        match self {
            Error::Layer { layer, reason } => Error::Layer {
                layer: if layer.is_empty() {
                    field.to_string()
                } else {
                    format!("{field}.{layer}")
                },
                reason,
            },
            other => other,
        }
    }
}
