//! Compile-time shape rules.
//!
//! Every layer describes how it maps an input shape to an output shape as a [`Rule`] (plain
//! data in an associated const, see [`Describe`]). [`apply`] is a `const fn` that runs a rule,
//! so a derived network can check each connection in an item-level `const` that fails at
//! `cargo check` with a message naming the fields and the dims:
//!
//! ```text
//! error[E0080]: evaluation panicked: `Mlp`: field `d2` (Dense<64, 10>) expects 64 features,
//!               but field `r1` (Relu) outputs 128 features
//! ```
//!
//! Nothing outside this module computes an output dimension.

mod check;
mod message;
mod rule;

pub use check::{check_connection, check_window_output, network_input};
pub use message::Message;
pub use rule::{
    LayerInfo, Mismatch, Refusal, Rule, apply, apply_lenient, fixed_input, input_of, total_params,
    window_out,
};

/// The per-sample shape of a tensor: `n` features (rank 1) or a `C × H × W` image (rank 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// 1 for feature vectors, 3 for images.
    pub rank: usize,
    /// `[n, 1, 1]` or `[C, H, W]`.
    pub dims: [usize; 3],
}

impl Shape {
    /// `n` features.
    pub const fn flat(n: usize) -> Self {
        Self {
            rank: 1,
            dims: [n, 1, 1],
        }
    }

    /// A `C × H × W` image.
    pub const fn image(c: usize, h: usize, w: usize) -> Self {
        Self {
            rank: 3,
            dims: [c, h, w],
        }
    }

    /// Values per sample.
    pub const fn numel(&self) -> usize {
        self.dims[0] * self.dims[1] * self.dims[2]
    }

    /// Equality, usable in `const` code.
    pub const fn same(&self, other: &Shape) -> bool {
        self.rank == other.rank
            && self.dims[0] == other.dims[0]
            && self.dims[1] == other.dims[1]
            && self.dims[2] == other.dims[2]
    }
}

impl core::fmt::Display for Shape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(Message::new().shape(*self).as_str())
    }
}

/// A shape as a type: `Dims<rank, d0, d1, d2>`. With [`ShapeTensor`] it names the tensor
/// type of a shape computed in `const` code (what `#[derive(Network)]` needs).
#[derive(Clone, Copy, Debug)]
pub struct Dims<const R: usize, const D0: usize, const D1: usize, const D2: usize>;

/// The tensor type holding samples of a shape.
pub trait ShapeTensor<T> {
    /// `Batch<d0>` for rank 1, `Images<d0, d1, d2>` for rank 3.
    type Tensor;
}

impl<const D0: usize, const D1: usize, const D2: usize, T> ShapeTensor<T> for Dims<1, D0, D1, D2> {
    type Tensor = crate::tensor::Batch<D0, T>;
}

impl<const D0: usize, const D1: usize, const D2: usize, T> ShapeTensor<T> for Dims<3, D0, D1, D2> {
    type Tensor = crate::tensor::Images<D0, D1, D2, T>;
}

/// The tensor type of shape `(R, D0, D1, D2)` with elements `T`.
pub type TensorOf<const R: usize, const D0: usize, const D1: usize, const D2: usize, T> =
    <Dims<R, D0, D1, D2> as ShapeTensor<T>>::Tensor;

/// Type equality as a bound (`X: Is<Y>` holds only for `X = Y`); pins a derived network's
/// generic input to its declared tensor type.
#[doc(hidden)]
pub trait Is<T: ?Sized> {}
impl<T: ?Sized> Is<T> for T {}

/// The layers whose shapes [`Rule`] describes. Implemented by every layer in constnn and by
/// `#[derive(Network)]` for networks (so networks nest).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a layer",
    label = "this field is not a layer",
    note = "every field of a `#[derive(Network)]` struct must be a layer (Dense, Relu, a derived network, …)"
)]
pub trait Describe {
    /// The shape rule and parameter count.
    const INFO: LayerInfo;
}
