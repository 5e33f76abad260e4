//! Visiting the learnable parameters of a layer or network.
//!
//! Optimizers, gradient checking, regularization, parameter counts and checkpoints all walk
//! the parameters in one fixed order through [`Params`]. A layer reports each tensor with a
//! local name (`"weight"`, `"bias"`); a network wraps its fields in `enter(field)`/`leave()`,
//! so a visitor can build names such as `d1.weight`.

/// What a parameter is, for rules that treat them differently (L1/L2 act on weights only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A weight matrix `W[l]` (regularized).
    Weight,
    /// A bias `b[l]` (not regularized).
    Bias,
    /// Anything else learnable (e.g. batch-norm `γ`, `β`; not regularized).
    Other,
}

/// One parameter tensor with its gradient, mutable.
#[derive(Debug)]
pub struct Param<'a, T> {
    /// Local name, e.g. `"weight"`.
    pub name: &'static str,
    /// Weight, bias or other.
    pub kind: ParamKind,
    /// The values.
    pub value: &'a mut [T],
    /// `∂J/∂value`, as left by the latest backward.
    pub grad: &'a mut [T],
}

/// One parameter tensor with its gradient, read-only.
#[derive(Debug, Clone, Copy)]
pub struct ParamRef<'a, T> {
    /// Local name, e.g. `"weight"`.
    pub name: &'static str,
    /// Weight, bias or other.
    pub kind: ParamKind,
    /// The values.
    pub value: &'a [T],
    /// `∂J/∂value`, as left by the latest backward.
    pub grad: &'a [T],
}

/// Receives parameters from [`Params::visit`].
pub trait Visitor<T> {
    /// One parameter tensor.
    fn param(&mut self, p: Param<'_, T>);
    /// Entering a sub-layer named `scope` (a network field).
    fn enter(&mut self, _scope: &'static str) {}
    /// Leaving the sub-layer entered last.
    fn leave(&mut self) {}
}

/// Receives parameters from [`Params::visit_ref`].
pub trait VisitorRef<T> {
    /// One parameter tensor.
    fn param(&mut self, p: ParamRef<'_, T>);
    /// Entering a sub-layer named `scope` (a network field).
    fn enter(&mut self, _scope: &'static str) {}
    /// Leaving the sub-layer entered last.
    fn leave(&mut self) {}
}

impl<T, F: FnMut(Param<'_, T>)> Visitor<T> for F {
    fn param(&mut self, p: Param<'_, T>) {
        self(p)
    }
}

impl<T, F: FnMut(ParamRef<'_, T>)> VisitorRef<T> for F {
    fn param(&mut self, p: ParamRef<'_, T>) {
        self(p)
    }
}

/// The learnable parameters of a layer or network of element type `T`, in a fixed order.
/// Layers without parameters use the provided (empty) methods.
pub trait Params<T> {
    /// Visits every parameter mutably.
    fn visit(&mut self, _v: &mut dyn Visitor<T>) {}
    /// Visits every parameter read-only.
    fn visit_ref(&self, _v: &mut dyn VisitorRef<T>) {}

    /// The number of learnable scalars.
    fn num_params(&self) -> usize {
        let mut n = 0;
        self.visit_ref(&mut |p: ParamRef<'_, T>| n += p.value.len());
        n
    }

    /// Every parameter value in visiting order, as one vector (a snapshot).
    fn values_to_vec(&self) -> Vec<T>
    where
        T: Copy,
    {
        let mut out = Vec::new();
        self.visit_ref(&mut |p: ParamRef<'_, T>| out.extend_from_slice(p.value));
        out
    }

    /// Overwrites the parameters from a vector made by [`Params::values_to_vec`] of a model
    /// of the same type.
    ///
    /// # Panics
    /// When `values` is shorter than the model's parameters.
    fn set_values_from(&mut self, values: &[T])
    where
        T: Copy,
    {
        let mut offset = 0;
        self.visit(&mut |p: Param<'_, T>| {
            let n = p.value.len();
            p.value.copy_from_slice(&values[offset..offset + n]);
            offset += n;
        });
    }

    /// Sets every gradient to zero.
    fn zero_grads(&mut self)
    where
        T: num_traits::Zero + Copy,
    {
        self.visit(&mut |p: Param<'_, T>| p.grad.fill(T::zero()));
    }
}
