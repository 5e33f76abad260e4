//! The properties the fuzz targets check, one function per reader of untrusted bytes. Each
//! panics (which libFuzzer reports as a crash) when a reader panics, aborts on a huge
//! allocation (libFuzzer's `-malloc_limit_mb`), or breaks its contract:
//!
//! * an error must be the reader's typed error naming the file, never `Error::Io` (there is
//!   no I/O when parsing a byte slice);
//! * a success must be self-consistent (counts, sizes, a save/load round trip);
//! * a failed checkpoint load must leave the model (and a training load the optimizer)
//!   unchanged (all or nothing).
//!
//! The `training` target's properties are in the `training` module.

use std::sync::OnceLock;

use constnn::data::{Table, idx};
use constnn::prelude::*;
use constnn::{Error, checkpoint};

mod training;
pub use training::{FROZEN, Mlp, adam, frozen_adam, trained, training};

/// The file name the targets pass to the readers.
pub const NAME: &str = "fuzz.input";

/// The network checkpoints are loaded into: a convolution (4-d weight), 2-d and 1-d batch
/// norm (parameters and running-statistics buffers) and dense layers, generic over the
/// element type so both dtypes are tried. Input 1×4×4; the 3×3 convolution with padding 1
/// keeps 4×4, so flatten gives 2·4·4 = 32 features.
#[derive(Network)]
#[network(input = (1, 4, 4))]
pub struct Net<T: Scalar> {
    c1: Conv2d<1, 2, 3, 1, 1, T>,
    cbn: BatchNorm2d<2, T>,
    r1: Relu,
    flat: Flatten,
    d1: Dense<32, 3, T>,
    bn1: BatchNorm<3, T>,
    d2: Dense<3, 2, T>,
}

impl<T: Scalar> Net<T> {
    /// Parameter `k` (in visiting order) set to `scale · (k + 1)`; buffers at their defaults.
    pub fn numbered(scale: f64) -> Self {
        let mut net = Net {
            c1: Conv2d::from_params(vec![T::zero(); 18], vec![T::zero(); 2])
                .expect("2·1·3·3 weights and 2 biases"),
            cbn: BatchNorm2d::new(),
            r1: Relu,
            flat: Flatten,
            d1: Dense::zeros(),
            bn1: BatchNorm::new(),
            d2: Dense::zeros(),
        };
        let values: Vec<T> = (0..net.num_params())
            .map(|k| T::of(scale * (k + 1) as f64))
            .collect();
        net.set_values_from(&values);
        net
    }
}

/// Checks that `e` is the reader's own error naming [`NAME`].
fn assert_typed(e: &Error, reader: &str) {
    let named = match e {
        Error::Idx { path, .. } if reader == "idx" => path.ends_with(NAME),
        Error::Csv { path, line, .. } if reader == "csv" => path.ends_with(NAME) && *line >= 1,
        _ => false,
    };
    assert!(named, "{reader}: unexpected error {e:?}");
    let _ = e.to_string();
}

/// IDX images and labels, whole and the first 2 samples.
pub fn idx(data: &[u8]) {
    for limit in [None, Some(2)] {
        match idx::parse_images(NAME, data, limit) {
            Ok(images) => check_images(&images, limit),
            Err(e) => assert_typed(&e, "idx"),
        }
        match idx::parse_labels(NAME, data, limit) {
            Ok(labels) => {
                let max = limit.unwrap_or(usize::MAX);
                assert!(labels.len() <= max, "{} labels > limit {max}", labels.len());
            }
            Err(e) => assert_typed(&e, "idx"),
        }
    }
}

fn check_images(images: &idx::Images, limit: Option<usize>) {
    let (len, size) = (images.len(), images.rows() * images.cols());
    assert_eq!(images.pixels().len(), len * size, "pixels of {len} images");
    assert!(len <= images.count_in_file(), "more images than the header");
    match limit {
        None => assert_eq!(len, images.count_in_file(), "a full read stops short"),
        Some(n) => assert!(len <= n, "{len} images > limit {n}"),
    }
    if len > 0 {
        assert_eq!(images.image(len - 1).len(), size);
    }
    let _ = images.check_dims(28, 28);
    assert_eq!(images.to_batch::<1, f32>().is_ok(), size == 1);
    assert_eq!(images.to_batch::<2, f64>().is_ok(), size == 2);
    assert_eq!(images.to_batch::<784, f32>().is_ok(), size == 784);
}

/// A CSV table and the matrices it hands out.
pub fn csv(data: &[u8]) {
    let table = match Table::parse(NAME, data) {
        Ok(table) => table,
        Err(e) => return assert_typed(&e, "csv"),
    };
    let (m, n) = (table.len(), table.num_features());
    assert!(
        m > 0 && n > 0,
        "an accepted table has {m} samples of {n} features"
    );
    assert_eq!(table.labels().len(), m);
    assert_eq!(table.feature_names().len(), n);
    match table.features::<2, f64>() {
        Ok(x) => {
            assert_eq!((n, x.batch_size()), (2, m));
            assert!(
                x.as_slice().iter().all(|v| v.is_finite()),
                "non-finite feature"
            );
        }
        Err(_) => assert_ne!(n, 2),
    }
    let few = table.labels().iter().all(|&y| y < 10);
    assert_eq!(table.one_hot::<10, f32>().is_ok(), few);
    let binary = table.labels().iter().all(|&y| y < 2);
    assert_eq!(table.binary_labels::<f64>().is_ok(), binary);
}

/// A checkpoint loaded into [`Net`] in `f32` and in `f64`.
pub fn checkpoint(data: &[u8]) {
    load::<f32>(data);
    load::<f64>(data);
}

/// `save_bytes(&Net::<T>::numbered(0.25))`, computed once per element type.
fn numbered_bytes<T: Scalar>() -> &'static [u8] {
    static F32: OnceLock<Vec<u8>> = OnceLock::new();
    static F64: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if T::NAME == "f32" { &F32 } else { &F64 };
    cell.get_or_init(|| checkpoint::save_bytes(&Net::<T>::numbered(0.25)).expect("saves"))
}

fn load<T: Scalar>(data: &[u8]) {
    let mut net = Net::<T>::numbered(0.25);
    match checkpoint::load_bytes(&mut net, data) {
        Ok(()) => {
            // What was loaded saves and loads again to the same bytes.
            let saved = checkpoint::save_bytes(&net).expect("the network saves");
            let mut again = Net::<T>::numbered(0.5);
            checkpoint::load_bytes(&mut again, &saved).expect("a saved checkpoint loads");
            assert!(saved == checkpoint::save_bytes(&again).expect("saves"));
        }
        Err(e) => {
            let typed = matches!(
                e,
                Error::Checkpoint { .. }
                    | Error::CheckpointShape { .. }
                    | Error::CheckpointDtype { .. }
                    | Error::CheckpointMissing { .. }
                    | Error::CheckpointExtra { .. }
            );
            assert!(typed, "checkpoint: unexpected error {e:?}");
            let _ = e.to_string();
            let after = checkpoint::save_bytes(&net).expect("the network saves");
            assert!(
                after == numbered_bytes::<T>(),
                "a failed load changed the model: {e}"
            );
        }
    }
}
