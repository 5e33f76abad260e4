//! Reading checkpoints: parse, check every wanted tensor's presence, dtype and shape, stage
//! the values, and only then write them into the model (all or nothing).

use std::collections::BTreeMap;
use std::path::Path;

use safetensors::{Dtype, SafeTensors};

use super::walk::{Lister, Writer};
use super::{dtype_of, guard};
use crate::layer::{ParamShape, Params};
use crate::{Error, Result, Scalar};

/// One tensor to read: its full name in the model, its name in the file, its shape.
pub(super) struct Wanted {
    pub(super) model: String,
    pub(super) file: String,
    pub(super) shape: ParamShape,
}

/// The model's tensors (parameters and buffers): (full name, shape), in visiting order.
pub(super) fn model_tensors<T: Scalar, M: Params<T> + ?Sized>(
    model: &M,
    path: &Path,
) -> Result<Vec<(String, ParamShape)>> {
    let mut lister = Lister::new(|name, shape: ParamShape, _: &[T]| (name, shape));
    model.visit_ref(&mut lister);
    lister.finish(path)
}

/// Parses `bytes` as safetensors, rejecting what would make the parser panic.
pub(super) fn parse<'a>(bytes: &'a [u8], path: &Path) -> Result<SafeTensors<'a>> {
    if let Some(offset) = guard::offset_beyond_end(bytes) {
        let len = bytes.len();
        let e = format!("data offset {offset} beyond the end of the file ({len} bytes)");
        return Err(unreadable(path, &e));
    }
    SafeTensors::deserialize(bytes).map_err(|e| unreadable(path, &e))
}

/// Every tensor of `wanted` from `file`, checked and decoded, by model name.
///
/// # Errors
/// [`Error::CheckpointMissing`], [`Error::CheckpointDtype`], [`Error::CheckpointShape`] naming
/// the first wanted tensor (in order) that is absent or differs (by its name in the file).
pub(super) fn stage<T: Scalar>(
    file: &SafeTensors<'_>,
    wanted: &[Wanted],
    path: &Path,
) -> Result<BTreeMap<String, Vec<T>>> {
    let dtype = dtype_of::<T>(path)?;
    let at = |tensor: &str| (path.to_path_buf(), tensor.to_string());
    let mut staged = BTreeMap::new();
    for w in wanted {
        let Ok(view) = file.tensor(&w.file) else {
            let (path, tensor) = at(&w.file);
            return Err(Error::CheckpointMissing { path, tensor });
        };
        if view.dtype() != dtype {
            let (path, tensor) = at(&w.file);
            return Err(Error::CheckpointDtype {
                path,
                tensor,
                expected: dtype.to_string(),
                found: view.dtype().to_string(),
            });
        }
        if view.shape() != w.shape.dims() {
            let (path, tensor) = at(&w.file);
            return Err(Error::CheckpointShape {
                path,
                tensor,
                expected: w.shape.dims().to_vec(),
                found: view.shape().to_vec(),
            });
        }
        // Same shape and dtype, and safetensors checked the byte count against them, so
        // this has `shape.len()` values: as many as the model's slice (`Lister` checked).
        let _ = staged.insert(w.model.clone(), from_bytes(view.data(), dtype));
    }
    Ok(staged)
}

/// Writes staged values into the model by full name. `visit` reports the tensors
/// `visit_ref` did, so every staged tensor finds its place.
pub(super) fn commit<T: Scalar, M: Params<T> + ?Sized>(
    model: &mut M,
    staged: BTreeMap<String, Vec<T>>,
) {
    let mut writer = Writer::new(staged);
    model.visit(&mut writer);
    debug_assert!(
        writer.is_done(),
        "visit and visit_ref report different tensors"
    );
}

/// [`super::load`] from bytes: every tensor of the model, no other tensor in the file.
pub(super) fn decode_into<T: Scalar, M: Params<T> + ?Sized>(
    model: &mut M,
    bytes: &[u8],
    path: &Path,
) -> Result<()> {
    let file = parse(bytes, path)?;
    let staged = stage_all(model, &file, path, None)?;
    commit(model, staged);
    Ok(())
}

/// Stages every tensor of the model from `file` and checks that the file has no other,
/// apart from names starting with `ignore`.
pub(super) fn stage_all<T: Scalar, M: Params<T> + ?Sized>(
    model: &M,
    file: &SafeTensors<'_>,
    path: &Path,
    ignore: Option<&str>,
) -> Result<BTreeMap<String, Vec<T>>> {
    let wanted: Vec<Wanted> = model_tensors(model, path)?
        .into_iter()
        .map(|(name, shape)| Wanted {
            file: name.clone(),
            model: name,
            shape,
        })
        .collect();
    let staged = stage(file, &wanted, path)?;
    let mut extra: Vec<String> = file
        .names()
        .into_iter()
        .filter(|n| !staged.contains_key(*n) && ignore.is_none_or(|i| !n.starts_with(i)))
        .map(str::to_string)
        .collect();
    if !extra.is_empty() {
        extra.sort();
        return Err(Error::CheckpointExtra {
            path: path.to_path_buf(),
            tensors: extra,
        });
    }
    Ok(staged)
}

pub(super) fn unreadable(path: &Path, e: &dyn core::fmt::Display) -> Error {
    Error::Checkpoint {
        path: path.to_path_buf(),
        reason: format!("not a readable safetensors checkpoint (truncated or corrupt?): {e}"),
    }
}

/// The inverse of [`super::to_bytes`]; `data.len()` is a multiple of the element size (safetensors
/// checked it against the shape).
pub(super) fn from_bytes<T: Scalar>(data: &[u8], dtype: Dtype) -> Vec<T> {
    if dtype == Dtype::F32 {
        data.chunks_exact(4)
            .map(|c| T::of(f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]]))))
            .collect()
    } else {
        data.chunks_exact(8)
            .map(|c| {
                let mut b = [0; 8];
                b.copy_from_slice(c);
                T::of(f64::from_le_bytes(b))
            })
            .collect()
    }
}
