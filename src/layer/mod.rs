//! Layers: the building blocks of `A[l] = g[l](W[l]·A[l-1] + b[l])`.
//!
//! A layer maps an input tensor `X` to an output tensor. Its input type is a type parameter,
//! so an activation such as [`Relu`](crate::activation::Relu) accepts any shape while
//! [`Dense<N_IN, N_OUT>`](Dense) accepts exactly `Batch<N_IN>`: feeding it anything else is a
//! compile error that names the layer and the input.
//!
//! Buffers belong to the caller. `forward` writes the output into `y` (resized to the batch
//! size, reusing its allocation) and whatever backward needs beyond `x` and `y` into `cache`
//! (the notes' "cache"). `backward` receives `x`, `y`, the cache and `dY`, stores the
//! parameter gradients inside the layer (`dW`, `db`), and writes `dX` when asked for it.
//!
//! Gradients of activations are per sample, as in the notes: `dZ[L] = A[L] − Y`,
//! `dA[l-1] = W[l]ᵀ·dZ[l]`; parameter gradients are averaged: `dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ`.

mod batch_norm;
mod batch_norm2d;
mod conv2d;
mod dense;
mod dropout;
mod flatten;
mod mode;
mod names;
mod network;
mod params;
mod pool2d;
pub(crate) mod refusal;

pub use batch_norm::{BatchNorm, BatchNormCache};
pub use batch_norm2d::{BatchNorm2d, BatchNorm2dCache};
pub use conv2d::{Conv2d, ConvCache};
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;
pub use mode::{Eval, Mode, Train};
pub use names::{layer_names, param_paths};
pub use network::{Network, Step, Summary, SummaryRow};
pub use params::{
    Buffer, BufferRef, Param, ParamKind, ParamRef, ParamShape, Params, Visitor, VisitorRef,
};
pub use pool2d::{AvgPool2d, MaxPool2d};

use crate::tensor::Tensor;

/// A differentiable map from input tensors `X` to output tensors `Y`.
///
/// The output type is a parameter, not an associated type: a convolution's output size
/// `⌊(n + 2p − f)/s⌋ + 1` cannot be computed in a type on stable Rust, so `Conv2d` accepts any
/// `(X, Y)` pair and checks the sizes in a `const` block, while `#[derive(Network)]` computes
/// every intermediate type for you. Layers with a single possible output (dense,
/// activations) let the compiler infer `Y`.
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot map `{X}` to `{Y}`",
    label = "`{Self}` does not map `{X}` to `{Y}`",
    note = "a layer's input must have exactly the shape the layer was declared with"
)]
pub trait Layer<X: Tensor, Y: Tensor<Elem = X::Elem>> {
    /// What backward needs besides `x` and `y` (dropout masks, max-pool positions, …).
    type Cache: Default + Send;

    /// Computes `y` from `x`; `M` is [`Train`] or [`Eval`].
    fn forward<M: Mode>(&mut self, x: &X, y: &mut Y, cache: &mut Self::Cache);

    /// Given `dY`, stores the parameter gradients in `self` and, when `dx` is `Some`, writes `dX`.
    /// `x`, `y` and `cache` must be those of the latest `forward::<Train>`.
    fn backward(&mut self, x: &X, y: &Y, cache: &mut Self::Cache, dy: &Y, dx: Option<&mut X>);

    /// Inference on `x` with fresh buffers ([`Eval`] mode): convenient, allocates its output.
    fn predict(&mut self, x: &X) -> Y {
        let (mut y, mut cache) = (Y::default(), Self::Cache::default());
        self.forward::<Eval>(x, &mut y, &mut cache);
        y
    }
}
