//! How a derived network calls its fields: `Connect<X, Y, OK>` is the field's own
//! [`Layer`] when `OK` is `true`, and a stub when `OK` is `false`.
//!
//! `#[derive(Network)]` computes `OK` for each field in `const` code: `false` exactly when a
//! field before it, or it, refuses its input — and then a check of the same derive fails at
//! `cargo check` with a message naming the fields. The stub keeps the network a `Layer` in
//! that case, so `net.predict(&x)` in the user's code adds no second error (no `E0599` "method
//! not found"). Since the program does not compile, the stub never runs.

use super::Layer;
use crate::tensor::Tensor;

/// A field of a derived network, called with input `X` and output `Y`; see the module doc.
pub trait Connect<X: Tensor, Y: Tensor, const OK: bool> {
    /// The field's cache.
    type Cache: Default + Send;
    /// [`Layer::forward`].
    fn forward(&mut self, x: &X, y: &mut Y, cache: &mut Self::Cache) -> crate::Result<()>;
    /// [`Layer::infer`].
    fn infer(&self, x: &X, y: &mut Y, cache: &mut Self::Cache);
    /// [`Layer::backward`].
    fn backward(&mut self, x: &X, y: &Y, cache: &mut Self::Cache, dy: &Y, dx: Option<&mut X>);
}

impl<L: Layer<X, Output = Y>, X: Tensor, Y: Tensor> Connect<X, Y, true> for L {
    type Cache = L::Cache;
    #[inline]
    fn forward(&mut self, x: &X, y: &mut Y, cache: &mut Self::Cache) -> crate::Result<()> {
        Layer::forward(self, x, y, cache)
    }
    #[inline]
    fn infer(&self, x: &X, y: &mut Y, cache: &mut Self::Cache) {
        Layer::infer(self, x, y, cache)
    }
    #[inline]
    fn backward(&mut self, x: &X, y: &Y, cache: &mut Self::Cache, dy: &Y, dx: Option<&mut X>) {
        Layer::backward(self, x, y, cache, dy, dx)
    }
}

/// The stub of a field whose shapes do not fit: a compile error has been reported.
impl<L, X: Tensor, Y: Tensor> Connect<X, Y, false> for L {
    type Cache = ();
    fn forward(&mut self, _: &X, _: &mut Y, _: &mut ()) -> crate::Result<()> {
        Ok(())
    }
    fn infer(&self, _: &X, _: &mut Y, _: &mut ()) {}
    fn backward(&mut self, _: &X, _: &Y, _: &mut (), _: &Y, _: Option<&mut X>) {}
}
