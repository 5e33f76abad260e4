//! # constnn
//!
//! A deep-learning library whose shapes are checked by the Rust compiler, built around the
//! notes of the Deep Learning specialization: activations are `n[l] × m` (features × samples,
//! one column per sample), a dense layer computes `Z[l] = W[l]·A[l-1] + b[l]`, and feeding a
//! layer the wrong width is a compile error, on stable Rust.
//!
//! ```
//! use constnn::prelude::*;
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(1);
//! let mut hidden: Dense<2, 4> = Dense::new(Init::Xavier, &mut rng);
//! let mut out: Dense<4, 1> = Dense::new(Init::Xavier, &mut rng);
//! let x = Batch::<2>::from_columns(&[[0.5, -1.0], [1.0, 2.0], [0.0, 0.0]]); // m = 3
//! let a1 = Tanh.predict(&hidden.predict(&x));
//! let z2: Batch<1> = out.predict(&a1);
//! assert_eq!(z2.batch_size(), 3);
//! ```
//!
//! ```compile_fail,E0277
//! use constnn::prelude::*;
//! let mut layer: Dense<3, 2> = Dense::zeros();
//! let _ = layer.predict(&Batch::<4>::zeros(1)); // a 4-wide input for a 3-wide layer
//! ```
//!
//! ## Code map
//! | module | what | course |
//! |---|---|---|
//! | [`tensor`] | `Matrix<R, C>`, `Batch<N>` (n × m), `Images<C, H, W>`, initialization | 1, 4 |
//! | [`kernel`] | GEMM, direct (stride 1) and im2col convolution, pooling: AVX2/AVX-512 by runtime dispatch, scalar reference | — |
//! | [`activation`] | sigmoid, tanh, ReLU, leaky ReLU, softmax | 1 |
//! | [`layer`] | `Layer<X>` (output computed from the input type; training `forward`, `&self` `infer`), `Dense`, `Conv2d`, pooling, `Flatten`, dropout, batch norm, writing your own layer | 1, 2, 4 |
//! | [`loss`] | binary and categorical cross-entropy from logits, MSE, multi-task with unknown labels | 1, 2, 3 |
//! | [`optim`] | gradient descent, momentum, RMSprop, Adam, EWMA, decay, clipping, `minimize`, frozen layers | 1, 2, 3 |
//! | [`gradcheck`] | two-sided numerical gradient checking | 2 |
//! | [`shape`] | compile-time shape rules and their messages | — |
//! | [`data`] | CSV and IDX (MNIST) loading, standardization, splits, one-hot labels, image augmentation | 1, 3, 4 |
//! | [`train`] | mini-batches, the training loop, evaluation, cost curves | 2 |
//! | [`metrics`] | accuracy, confusion matrix, precision/recall/F1, satisficing metrics, bias / variance / data-mismatch report, error-analysis tables, per-task accuracy | 3 |
//! | [`models`] | LeNet-5, ready to train, fine-tune or load | 3, 4 |
//! | [`vision`] | edge filters, cross-correlation vs convolution, PNG output | 4 |
//! | [`search`] | random hyper-parameter search (log scales, rayon, ranked report) | 2 |
//! | `distributed` | (feature `mpi`) data-parallel training and search over MPI ranks | 2 |
//! | [`checkpoint`] | save/load parameters and batch-norm statistics as safetensors (PyTorch-readable), atomic writes, all-or-nothing loads, partial loads for transfer learning, training checkpoints for resuming | 3 |

#![deny(unsafe_code)]

// Lets `#[derive(Network)]`'s `::constnn::…` paths resolve inside this crate's own tests.
extern crate self as constnn;

pub mod activation;
pub mod atomic;
pub mod checkpoint;
pub mod data;
#[cfg(feature = "mpi")]
pub mod distributed;
// The byte encoding of the distributed search runs its tests in the default build too, so
// CI need not build the whole unit-test binary a second time with the feature.
#[cfg(all(test, not(feature = "mpi")))]
#[path = "distributed/wire.rs"]
mod distributed_wire;
pub mod error;
pub mod gradcheck;
#[allow(unsafe_code)] // the only unsafe: kernel::dispatch, lanes, tiles; see kernel/
pub mod kernel;
pub mod layer;
pub mod loss;
pub mod metrics;
pub mod models;
pub mod optim;
mod scalar;
pub mod search;
mod setting;
pub mod shape;
pub mod tensor;
pub mod train;
pub mod vision;

pub use constnn_macros::{Network, Params};
pub use error::{Divergence, Error, Result, SettingChange};
/// Fixed-size arrays whose length is a typenum natural ([`tensor::Sample`]), re-exported so a
/// program uses the same version as constnn.
pub use generic_array;
/// The seeded random generator every initialization and shuffle takes (re-exported from
/// `rand`, so a program needs no `rand` dependency of its own).
pub use rand::{SeedableRng, rngs::StdRng};
pub use scalar::{Scalar, ScalarSliceMut};
/// Type-level naturals ([`shape::nat`]), re-exported so a program uses the same version.
pub use typenum;

/// The names most programs need.
pub mod prelude {
    pub use crate::activation::{LeakyRelu, Relu, Sigmoid, Tanh};
    pub use crate::gradcheck;
    pub use crate::layer::{
        AvgPool2d, BatchNorm, BatchNorm2d, Build, Conv2d, Dense, Dropout, Flatten, Layer,
        MaxPool2d, Network as _, ParamCount, Params, Predictor,
    };
    pub use crate::loss::{BinaryCrossEntropy, Loss, MeanSquaredError, SoftmaxCrossEntropy};
    pub use crate::optim::{
        Adam, AdamConfig, Momentum, MomentumConfig, Optimizer, RmsProp, RmsPropConfig, Sgd,
    };
    pub use crate::tensor::{Batch, Images, Init, Matrix, Tensor, Vector};
    pub use crate::{Error, Result, Scalar};
    pub use crate::{Network, SeedableRng, StdRng};
}
