//! Layers: the building blocks of `A[l] = g[l](W[l]·A[l-1] + b[l])`.
//!
//! A layer maps an input tensor `X` to its [`Output`](Layer::Output), which the compiler
//! computes from `X`: a [`Dense<N_IN, N_OUT>`](Dense) takes exactly `Batch<N_IN>` and gives
//! `Batch<N_OUT>`, a [`Conv2d<1, 6, 5>`](Conv2d) takes any `Images<1, H, W>` and gives
//! `Images<6, H − 4, W − 4>`, an activation gives what it takes. Feeding a layer anything else
//! is a compile error at your line that names the dims, so a whole network can be written by
//! hand without one annotation:
//!
//! ```
//! use constnn::prelude::*;
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let c1: Conv2d<1, 6, 5, 1, 2> = Conv2d::new(Init::He, &mut rng);
//! let c2: Conv2d<6, 16, 5> = Conv2d::new(Init::He, &mut rng);
//! let d1: Dense<400, 10> = Dense::new(Init::He, &mut rng);
//! let x = Images::<1, 28, 28>::zeros(2);
//! let a = MaxPool2d::<2>.predict(&Relu.predict(&c1.predict(&x))); // Images<6, 14, 14>
//! let a = MaxPool2d::<2>.predict(&Relu.predict(&c2.predict(&a))); // Images<16, 5, 5>
//! let z = d1.predict(&Flatten.predict(&a));                       // Batch<10>
//! assert_eq!(z.batch_size(), 2);
//! ```
//!
//! Buffers belong to the caller. [`forward`](Layer::forward) (training) and
//! [`infer`](Layer::infer) (inference, through `&self`, so one trained model serves many
//! threads) write the output into `y` (resized to the batch size, reusing its allocation)
//! and whatever backward needs beyond `x` and `y` into `cache` (the notes' "cache").
//! [`backward`](Layer::backward) receives `x`, `y`, the cache and `dY`, stores the parameter
//! gradients inside the layer (`dW`, `db`), and writes `dX` when asked for it.
//!
//! Gradients of activations are per sample, as in the notes: `dZ[L] = A[L] − Y`,
//! `dA[l-1] = W[l]ᵀ·dZ[l]`; parameter gradients are averaged: `dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ`.
//!
//! # Writing your own layer
//!
//! A layer is a struct with four impls, and nothing in constnn to edit:
//!
//! 1. [`Layer<X>`](Layer) for each input type it takes: `Output`, `Cache`, `forward`,
//!    `infer`, `backward`. An output computed from the input's dims (a window, a product)
//!    comes from [`shape::nat`](crate::shape::nat), as [`Conv2d`]'s does.
//! 2. [`Describe`](crate::shape::Describe): its shape rule, from the
//!    [`Op`](crate::shape::Op)s, for the checks of `#[derive(Network)]`.
//! 3. `#[derive(Params)]`: the parameter walk, from `#[param(grad = …)]`, `#[buffer]` and
//!    `#[layer]` on its fields (a layer without parameters derives it too).
//! 4. [`Build`], when `#[network(init = …)]` should build it.
//!
//! `examples/c4_custom_layer.rs` writes a learned per-channel scale and a global average pool
//! this way, gradient-checks both, and trains them inside a derived network on MNIST.

mod batch_norm;
mod batch_norm2d;
mod connect;
mod conv2d;
mod dense;
mod dropout;
pub(crate) mod flat;
mod flatten;
mod names;
mod network;
mod params;
mod pool2d;
mod predictor;

pub use batch_norm::{BatchNorm, BatchNormCache};
pub use batch_norm2d::{BatchNorm2d, BatchNorm2dCache};
#[doc(hidden)]
pub use connect::Connect;
pub use conv2d::{Conv2d, ConvCache};
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub(crate) use names::path_has_prefix;
pub use names::{Scope, layer_names, param_paths};
pub use network::{Build, Network, Step, Summary, SummaryRow, type_text};
pub use params::{
    Buffer, BufferRef, Generator, Param, ParamCount, ParamKind, ParamRef, ParamShape, ParamTensor,
    Params, Visitor, VisitorRef,
};
pub use pool2d::{AvgPool2d, MaxPool2d};
pub use predictor::Predictor;

/// `#[derive(Params)]`: see [`Params`](trait@Params).
pub use constnn_macros::Params;

use crate::tensor::Tensor;

/// A differentiable map from input tensors `X` to [`Output`](Layer::Output) tensors.
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take `{X}`",
    label = "`{Self}` does not accept `{X}`",
    note = "a layer's input must have exactly the shape the layer was declared with"
)]
pub trait Layer<X: Tensor> {
    /// The output tensor, computed from `X` by the compiler.
    type Output: Tensor<Elem = X::Elem>;

    /// What backward needs besides `x` and `y` (dropout masks, max-pool positions, …), and
    /// the scratch a layer reuses across calls.
    type Cache: Default + Send;

    /// Training forward: computes `y` from `x` and keeps in `cache` what
    /// [`backward`](Layer::backward) needs; dropout draws a mask, batch norm uses the batch's
    /// statistics and updates its running averages.
    ///
    /// # Errors
    /// [`Error::Layer`](crate::Error::Layer) when the layer cannot train on this mini-batch
    /// (batch normalization of a single value per feature); a derived network puts the
    /// field's name in it.
    fn forward(
        &mut self,
        x: &X,
        y: &mut Self::Output,
        cache: &mut Self::Cache,
    ) -> crate::Result<()>;

    /// Inference: computes `y` from `x` through `&self` (dropout is the identity, batch norm
    /// uses its running averages). One model can serve several threads, each with its own
    /// `y` and `cache`.
    fn infer(&self, x: &X, y: &mut Self::Output, cache: &mut Self::Cache);

    /// Given `dY`, stores the parameter gradients in `self` and, when `dx` is `Some`, writes
    /// `dX`. `x`, `y` and `cache` must be those of the latest [`forward`](Layer::forward).
    fn backward(
        &mut self,
        x: &X,
        y: &Self::Output,
        cache: &mut Self::Cache,
        dy: &Self::Output,
        dx: Option<&mut X>,
    );

    /// Inference on `x` with fresh buffers: convenient, allocates its output and cache (keep
    /// them and call [`infer`](Layer::infer) to allocate nothing).
    fn predict(&self, x: &X) -> Self::Output {
        let (mut y, mut cache) = (Self::Output::default(), Self::Cache::default());
        self.infer(x, &mut y, &mut cache);
        y
    }
}
