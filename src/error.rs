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
    /// Training produced a non-finite cost (a learning rate too large, exploding gradients).
    #[error("training diverged at epoch {epoch}, step {step}: the cost became {cost}")]
    Diverged {
        /// 1-based epoch.
        epoch: usize,
        /// 1-based optimizer step, counted from the start of training.
        step: usize,
        /// The non-finite cost.
        cost: f64,
    },
    /// A command-line flag has a bad value.
    #[error("flag {flag}: {reason}")]
    Flag {
        /// The flag, e.g. `--lr`.
        flag: String,
        /// What is wrong with its value.
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
}

/// `[6, 1, 5, 5]`.
fn dims(d: &[usize]) -> String {
    let parts: Vec<String> = d.iter().map(usize::to_string).collect();
    format!("[{}]", parts.join(", "))
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
