//! Tensor types computed from shapes: what the layers' [`Output`](crate::layer::Layer::Output)
//! types and `#[derive(Network)]`'s intermediate types are made of.
//!
//! * From [`Dim`] types (computed by [`shape::nat`](crate::shape::nat)): [`BatchOf`],
//!   [`ImagesOf`], and the outputs of window layers ([`Windowed`]) and of a flatten
//!   ([`Flattened`]).
//! * From `const` shapes (computed by the derive's checks): [`TensorOf`].

use super::{Batch, Images, Tensor};
use crate::Scalar;
use crate::shape::Dim;
use crate::shape::nat::{Product, Window};

/// `Dim<N>` → `Batch<N, T>`.
pub trait BatchOf<T> {
    /// The batch type.
    type Batch: Tensor<Elem = T>;
}

impl<const N: usize, T: Scalar> BatchOf<T> for Dim<N> {
    type Batch = Batch<N, T>;
}

/// `(Dim<H>, Dim<W>)` → `Images<C, H, W, T>`.
pub trait ImagesOf<const C: usize, T> {
    /// The images type.
    type Images: Tensor<Elem = T>;
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> ImagesOf<C, T>
    for (Dim<H>, Dim<W>)
{
    type Images = Images<C, H, W, T>;
}

/// The output of a window layer on these images of `T`: `C_OUT` channels of
/// `(⌊(H + 2P − F)/S⌋ + 1) × (⌊(W + 2P − F)/S⌋ + 1)` (a convolution; pooling keeps `C`).
///
/// (`T` is a parameter rather than `Self::Elem`: with a `Tensor` supertrait, a bound
/// `Images<C, H, W, T>: Windowed<…>` would hide that the images' `Elem` is `T`.)
pub trait Windowed<const C_OUT: usize, const F: usize, const S: usize, const P: usize, T> {
    /// The output images.
    type Out: Tensor<Elem = T>;
}

/// The window's output size along one axis of `Dim<N>`.
type Side<const N: usize, const F: usize, const S: usize, const P: usize> =
    <Dim<N> as Window<F, S, P>>::Out;

impl<
    const C: usize,
    const H: usize,
    const W: usize,
    T: Scalar,
    const C_OUT: usize,
    const F: usize,
    const S: usize,
    const P: usize,
> Windowed<C_OUT, F, S, P, T> for Images<C, H, W, T>
where
    Dim<H>: Window<F, S, P>,
    Dim<W>: Window<F, S, P>,
    (Side<H, F, S, P>, Side<W, F, S, P>): ImagesOf<C_OUT, T>,
{
    type Out = <(Side<H, F, S, P>, Side<W, F, S, P>) as ImagesOf<C_OUT, T>>::Images;
}

/// These images of `T` flattened: `Batch<{C·H·W}, T>`.
pub trait Flattened<T> {
    /// The flat batch.
    type Out: Tensor<Elem = T>;
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Flattened<T> for Images<C, H, W, T>
where
    (Dim<C>, Dim<H>, Dim<W>): Product,
    <(Dim<C>, Dim<H>, Dim<W>) as Product>::Out: BatchOf<T>,
{
    type Out = <<(Dim<C>, Dim<H>, Dim<W>) as Product>::Out as BatchOf<T>>::Batch;
}

/// A shape as a type, `Dims<rank, d0, d1, d2>`; with [`ShapeTensor`] it names the tensor type
/// of a shape computed in `const` code (what `#[derive(Network)]` needs).
#[derive(Clone, Copy, Debug)]
pub struct Dims<const R: usize, const D0: usize, const D1: usize, const D2: usize>;

/// The tensor type holding samples of a shape.
#[diagnostic::on_unimplemented(
    message = "no tensor type holds samples of shape `{Self}`",
    label = "constnn's tensors are `Batch` (rank 1) and `Images` (rank 3)",
    note = "a layer of a derived network must output features or images"
)]
pub trait ShapeTensor<T> {
    /// `Batch<d0>` for rank 1, `Images<d0, d1, d2>` for rank 3.
    type Tensor: Tensor<Elem = T>;
}

impl<const D0: usize, const D1: usize, const D2: usize, T: Scalar> ShapeTensor<T>
    for Dims<1, D0, D1, D2>
{
    type Tensor = Batch<D0, T>;
}

impl<const D0: usize, const D1: usize, const D2: usize, T: Scalar> ShapeTensor<T>
    for Dims<3, D0, D1, D2>
{
    type Tensor = Images<D0, D1, D2, T>;
}

/// The tensor type of shape `(R, D0, D1, D2)` with elements `T`.
pub type TensorOf<const R: usize, const D0: usize, const D1: usize, const D2: usize, T> =
    <Dims<R, D0, D1, D2> as ShapeTensor<T>>::Tensor;

/// Type equality as a bound (`X: Is<Y>` holds only for `X = Y`); pins a derived network's
/// generic input to its declared tensor type.
#[doc(hidden)]
pub trait Is<T: ?Sized> {}
impl<T: ?Sized> Is<T> for T {}
