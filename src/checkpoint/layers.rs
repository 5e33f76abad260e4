//! Loading some layers of a checkpoint (course 3, transfer learning): the lower layers of a
//! network trained on one task go into a new network for another task, whose other layers
//! (a new output head) keep their fresh initialization.

use std::collections::BTreeSet;
use std::path::Path;

use super::decode::{Wanted, commit, model_tensors, parse, stage};
use crate::layer::{Params, layer_names};
use crate::{Error, Result, Scalar};

/// Loads the tensors of `layers` (field paths such as `"c1"` or `"base.c1"`) from the
/// checkpoint at `path` into the layers of `model` with the same names, all or nothing;
/// every other tensor of the model is left as it is, and the file's other tensors are
/// ignored. Returns the full names of the loaded tensors.
///
/// ```
/// use constnn::models::LeNet5;
/// use constnn::prelude::*;
/// use constnn::checkpoint;
///
/// let dir = std::env::temp_dir().join("constnn-doc-load-layers");
/// std::fs::create_dir_all(&dir).unwrap();
/// let digits = LeNet5::new(1); // pretend it was trained on MNIST
/// checkpoint::save(&digits, dir.join("digits.safetensors"))?;
///
/// let mut clothes = LeNet5::new(2); // a new network with a fresh head
/// let loaded = checkpoint::load_layers(&mut clothes, dir.join("digits.safetensors"),
///                                      &["c1", "c2", "d1", "d2"])?;
/// assert_eq!(loaded.len(), 8); // weight and bias of four layers
/// assert_eq!(clothes.c1.w, digits.c1.w);
/// assert_ne!(clothes.out.w, digits.out.w);
/// # Ok::<(), constnn::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownLayer`] when a name matches no parameter of the model;
/// [`Error::Io`], [`Error::Checkpoint`], [`Error::CheckpointMissing`],
/// [`Error::CheckpointDtype`], [`Error::CheckpointShape`] as for
/// [`load`](super::load), for the selected tensors. On error the model is unchanged.
pub fn load_layers<T: Scalar, M: Params<T>>(
    model: &mut M,
    path: impl AsRef<Path>,
    layers: &[&str],
) -> Result<Vec<String>> {
    let pairs: Vec<(&str, &str)> = layers.iter().map(|l| (*l, *l)).collect();
    load_layers_renamed(model, path, &pairs)
}

/// [`load_layers`] where layers have other names in the file: each `(in_file, in_model)`
/// pair loads the file's tensors under `in_file` into the model's under `in_model`
/// (`("c1", "base.c1")` reads `c1.weight` into `base.c1.weight`).
///
/// # Errors
/// As [`load_layers`]; a missing tensor is named as the file names it.
pub fn load_layers_renamed<T: Scalar, M: Params<T>>(
    model: &mut M,
    path: impl AsRef<Path>,
    pairs: &[(&str, &str)],
) -> Result<Vec<String>> {
    let path = path.as_ref();
    let tensors = model_tensors(model, path)?;
    let mut wanted = Vec::new();
    let mut taken = BTreeSet::new();
    for &(in_file, in_model) in pairs {
        let before = wanted.len();
        for (name, shape) in &tensors {
            let Some(rest) = under(name, in_model) else {
                continue;
            };
            if taken.insert(name.clone()) {
                wanted.push(Wanted {
                    model: name.clone(),
                    file: format!("{in_file}{rest}"),
                    shape: *shape,
                });
            }
        }
        if wanted.len() == before && !taken.iter().any(|t| under(t, in_model).is_some()) {
            return Err(Error::UnknownLayer {
                name: in_model.to_string(),
                known: layer_names(model),
            });
        }
    }
    let bytes = super::read::read_bounded(path, false)?;
    let file = parse(&bytes, path)?;
    let staged = stage::<T>(&file, &wanted, path)?;
    commit(model, staged);
    Ok(wanted.into_iter().map(|w| w.model).collect())
}

/// The part of `name` after the layer `prefix` (`".weight"` for `c1.weight` under `c1`; `""`
/// when `name` is `prefix` itself), or `None` when `name` is not under `prefix`.
fn under<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = name.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}
