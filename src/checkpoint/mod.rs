//! Checkpoints: a model's parameters and buffers in a [safetensors] file, the format PyTorch
//! and the Python `safetensors` package read.
//!
//! Every tensor is stored under its full dotted name, built from the fields of derived
//! networks (`c1.weight`, `c1.bias`, `d1.weight`, `bn1.running_mean`, …; a bare layer's are
//! just `weight`, `bias`), with dtype `F32` or `F64` and its shape in PyTorch's order: a dense
//! weight is `[n[l], n[l-1]]`, a convolution weight `[C_OUT, C_IN, F, F]`, a bias `[n[l]]`.
//! Batch-norm running statistics are saved as buffers (see [`crate::layer::Buffer`]).
//! Values are stored exactly: every value but a NaN's payload round-trips bit for bit.
//!
//! * [`save`] writes through [`crate::atomic::write`]: the bytes go to a temporary file that
//!   is renamed over the target only once complete, so an interrupted save leaves the
//!   previous checkpoint intact.
//! * [`load`] is all-or-nothing: it checks that every tensor of the model is in the file
//!   with the model's dtype and shape, and that the file has no other tensor, before it
//!   writes any value into the model. On error the model is unchanged.
//!
//! * [`load_layers`] / [`load_layers_renamed`] read chosen layers only, into a network that
//!   shares them (transfer learning: a new head keeps its initialization).
//! * [`save_training`] / [`load_training`] add the optimizer's state and the run's progress,
//!   so training resumes where it stopped (`FitConfig::checkpoint` and `resume` do it per
//!   epoch).
//!
//! ```
//! use constnn::prelude::*;
//! use constnn::checkpoint;
//!
//! let w = Matrix::from_fn(|i, j| (i + j) as f32);
//! let dense: Dense<3, 2> = Dense::from_params(w, Vector::zeros());
//! let bytes = checkpoint::save_bytes(&dense)?;
//! let mut copy: Dense<3, 2> = Dense::zeros();
//! checkpoint::load_bytes(&mut copy, &bytes)?;
//! assert_eq!(copy.w, dense.w);
//!
//! let mut wider: Dense<4, 2> = Dense::zeros();
//! let err = checkpoint::load_bytes(&mut wider, &bytes).unwrap_err();
//! assert_eq!(err.to_string(), "<memory>: weight: expected shape [2, 4], found [2, 3]");
//! # Ok::<(), constnn::Error>(())
//! ```
//!
//! [safetensors]: https://huggingface.co/docs/safetensors

mod decode;
mod guard;
mod layers;
mod read;
mod training;
mod walk;

use std::borrow::Cow;
use std::path::Path;

use safetensors::{Dtype, View};

use crate::layer::{ParamShape, Params};
use crate::{Error, Result, Scalar};
use decode::decode_into;
pub use layers::{load_layers, load_layers_renamed};
pub use read::{MAX_FILE_BYTES, MAX_HEADER_BYTES};
pub use training::{Progress, RunSettings, load_training, save_training, training_progress};
use walk::Lister;

/// The path named in the errors of [`save_bytes`] and [`load_bytes`].
pub const MEMORY: &str = "<memory>";

/// Writes every parameter and buffer of `model` to `path` in safetensors format, atomically.
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be written (the previous file, if any, is
/// left as it was); [`Error::Checkpoint`] when two tensors of the model have the same full
/// name, or a layer reports a shape that does not match its number of values.
pub fn save<T: Scalar, M: Params<T> + ?Sized>(model: &M, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let bytes = encode(model, path)?;
    crate::atomic::write(path, &bytes)
}

/// The bytes [`save`] would write.
///
/// # Errors
/// [`Error::Checkpoint`] as for [`save`].
pub fn save_bytes<T: Scalar, M: Params<T> + ?Sized>(model: &M) -> Result<Vec<u8>> {
    encode(model, Path::new(MEMORY))
}

/// Reads the checkpoint at `path` into `model`, all or nothing.
///
/// # Errors
/// [`Error::Io`] naming the file when it cannot be read; [`Error::Checkpoint`] when it is
/// truncated or not safetensors, or its header announces more than [`MAX_HEADER_BYTES`] of
/// header or [`MAX_FILE_BYTES`] in all (nothing beyond what the header announces is read);
/// [`Error::CheckpointMissing`], [`Error::CheckpointDtype`],
/// [`Error::CheckpointShape`] naming the first tensor of the model (in visiting order) that
/// is absent or differs; [`Error::CheckpointExtra`] naming the file's tensors the model lacks.
/// On error the model is unchanged.
pub fn load<T: Scalar, M: Params<T> + ?Sized>(model: &mut M, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let bytes = read::read_bounded(path, false)?;
    decode_into(model, &bytes, path)
}

/// [`load`] from the bytes of a checkpoint; errors name the path `<memory>`.
///
/// # Errors
/// As [`load`], except [`Error::Io`].
pub fn load_bytes<T: Scalar, M: Params<T> + ?Sized>(model: &mut M, bytes: &[u8]) -> Result<()> {
    decode_into(model, bytes, Path::new(MEMORY))
}

/// The safetensors dtype of `T`.
fn dtype_of<T: Scalar>(path: &Path) -> Result<Dtype> {
    match T::NAME {
        "f32" => Ok(Dtype::F32),
        "f64" => Ok(Dtype::F64),
        other => Err(checkpoint_error(
            path,
            format!("element type {other} has no checkpoint dtype"),
        )),
    }
}

fn checkpoint_error(path: &Path, reason: String) -> Error {
    Error::Checkpoint {
        path: path.to_path_buf(),
        reason,
    }
}

fn encode<T: Scalar, M: Params<T> + ?Sized>(model: &M, path: &Path) -> Result<Vec<u8>> {
    serialize(encoded(model, path)?, None, path)
}

/// Every tensor of `model` (parameters and buffers) under its full name, encoded.
fn encoded<T: Scalar, M: Params<T> + ?Sized>(
    model: &M,
    path: &Path,
) -> Result<Vec<(String, Encoded)>> {
    let dtype = dtype_of::<T>(path)?;
    let mut lister = Lister::new(|name, shape: ParamShape, values: &[T]| {
        (name, Encoded::new(dtype, shape, values))
    });
    model.visit_ref(&mut lister);
    lister.finish(path)
}

/// The safetensors bytes of `tensors`, with `metadata` in the header.
fn serialize(
    tensors: Vec<(String, Encoded)>,
    metadata: Option<Vec<(String, String)>>,
    path: &Path,
) -> Result<Vec<u8>> {
    let metadata = metadata.map(|m| m.into_iter().collect());
    safetensors::serialize(tensors, metadata)
        .map_err(|e| checkpoint_error(path, format!("cannot encode the checkpoint: {e}")))
}

/// One tensor ready for [`safetensors::serialize`].
struct Encoded {
    dtype: Dtype,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl Encoded {
    fn new<T: Scalar>(dtype: Dtype, shape: ParamShape, values: &[T]) -> Self {
        Self {
            dtype,
            shape: shape.dims().to_vec(),
            data: to_bytes(values, dtype),
        }
    }
}

impl View for Encoded {
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.data)
    }
    fn data_len(&self) -> usize {
        self.data.len()
    }
}

/// Little-endian bytes of `values` as `dtype` (`F32` or `F64`, the dtype of `T`: exact).
fn to_bytes<T: Scalar>(values: &[T], dtype: Dtype) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 8);
    for v in values {
        if dtype == Dtype::F32 {
            out.extend_from_slice(&(v.as_f64() as f32).to_le_bytes());
        } else {
            out.extend_from_slice(&v.as_f64().to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod training_tests;
#[cfg(test)]
mod transfer_tests;
