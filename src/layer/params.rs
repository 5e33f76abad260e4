//! Visiting the learnable parameters of a layer or network.
//!
//! Optimizers, gradient checking, regularization, parameter counts and checkpoints all walk
//! the parameters in one fixed order through [`Params`]. A layer reports each tensor with a
//! local name (`"weight"`, `"bias"`) and its shape in PyTorch's order ([`ParamShape`]); a
//! network wraps its fields in `enter(field)`/`leave()`, so a visitor can build names such as
//! `d1.weight`.
//!
//! **Buffers.** State that belongs to the model but is not learned (batch norm's running mean
//! and variance) is reported in the same walk through [`Visitor::buffer`] /
//! [`VisitorRef::buffer`], never through `param`. Both methods default to doing nothing, so
//! every visitor written for parameters only (optimizers, regularization, gradient checking,
//! `values_to_vec`, `num_params`) never sees, updates or perturbs a buffer, while a
//! checkpoint overrides `buffer` to save and restore them. Because buffers travel inside
//! `visit`/`visit_ref`, the `enter`/`leave` scopes of a derived network name them too
//! (`bn1.running_mean`). A separate kind of parameter (`ParamKind::Buffer`) was the other
//! option; it would have made every existing optimizer update buffers unless it learned to
//! skip them.

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

/// The shape of a parameter tensor in PyTorch's order (a dense weight is
/// `[n[l], n[l-1]]`, a convolution weight `[C_OUT, C_IN, F, F]`): up to four dimensions,
/// stored inline (no allocation).
///
/// ```
/// use constnn::layer::ParamShape;
/// let s = ParamShape::new([6, 1, 5, 5]);
/// assert_eq!((s.dims(), s.rank(), s.len()), (&[6, 1, 5, 5][..], 4, 150));
/// assert_eq!(s.to_string(), "[6, 1, 5, 5]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamShape {
    dims: [usize; 4],
    rank: u8,
}

impl ParamShape {
    /// A shape of rank `R ≤ 4` (a larger rank is a build error).
    pub const fn new<const R: usize>(dims: [usize; R]) -> Self {
        const { assert!(R <= 4, "a ParamShape has at most 4 dimensions") };
        let mut all = [0; 4];
        let mut i = 0;
        while i < R {
            all[i] = dims[i];
            i += 1;
        }
        Self {
            dims: all,
            rank: R as u8,
        }
    }

    /// The dimensions, outermost first.
    pub fn dims(&self) -> &[usize] {
        &self.dims[..self.rank as usize]
    }

    /// The number of dimensions.
    pub const fn rank(&self) -> usize {
        self.rank as usize
    }

    /// The number of scalars: the product of the dimensions (1 for rank 0).
    pub fn len(&self) -> usize {
        self.dims().iter().product()
    }

    /// Whether the tensor holds no scalar (some dimension is 0).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl core::fmt::Display for ParamShape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[")?;
        for (i, d) in self.dims().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{d}")?;
        }
        f.write_str("]")
    }
}

/// One parameter tensor with its gradient, mutable.
#[derive(Debug)]
pub struct Param<'a, T> {
    /// Local name, e.g. `"weight"`.
    pub name: &'static str,
    /// Weight, bias or other.
    pub kind: ParamKind,
    /// The tensor's shape; `shape.len() == value.len()`.
    pub shape: ParamShape,
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
    /// The tensor's shape; `shape.len() == value.len()`.
    pub shape: ParamShape,
    /// The values.
    pub value: &'a [T],
    /// `∂J/∂value`, as left by the latest backward.
    pub grad: &'a [T],
}

/// A tensor of non-learnable state (a running statistic), mutable: saved and loaded with
/// the model, never touched by optimizers (see the module doc).
#[derive(Debug)]
pub struct Buffer<'a, T> {
    /// Local name, e.g. `"running_mean"`.
    pub name: &'static str,
    /// The tensor's shape; `shape.len() == value.len()`.
    pub shape: ParamShape,
    /// The values.
    pub value: &'a mut [T],
}

/// A tensor of non-learnable state, read-only.
#[derive(Debug, Clone, Copy)]
pub struct BufferRef<'a, T> {
    /// Local name, e.g. `"running_mean"`.
    pub name: &'static str,
    /// The tensor's shape; `shape.len() == value.len()`.
    pub shape: ParamShape,
    /// The values.
    pub value: &'a [T],
}

/// A layer's random generator (dropout's masks), reported through [`Visitor::generator`]
/// so that data-parallel training can put each replica of a network on its own stream of
/// the same seed ([`crate::train::DataParallel`]).
#[derive(Debug)]
pub struct Generator<'a>(pub(crate) &'a mut rand::rngs::ChaCha12Rng);

impl Generator<'_> {
    /// The generator's stream (ChaCha's 64-bit stream number; 0 unless changed).
    pub fn stream(&self) -> u64 {
        self.0.get_stream()
    }

    /// Moves the generator to stream `stream` at the same position: the same seed then
    /// draws an independent sequence.
    pub fn set_stream(&mut self, stream: u64) {
        self.0.set_stream(stream)
    }
}

/// Receives parameters from [`Params::visit`].
pub trait Visitor<T> {
    /// One parameter tensor.
    fn param(&mut self, p: Param<'_, T>);
    /// One buffer (non-learnable state). Ignored unless overridden, so optimizers never
    /// update buffers.
    fn buffer(&mut self, _b: Buffer<'_, T>) {}
    /// A random generator (dropout's). Ignored unless overridden.
    fn generator(&mut self, _g: Generator<'_>) {}
    /// Entering a sub-layer named `scope` (a network field).
    fn enter(&mut self, _scope: &'static str) {}
    /// Leaving the sub-layer entered last.
    fn leave(&mut self) {}
}

/// Receives parameters from [`Params::visit_ref`].
pub trait VisitorRef<T> {
    /// One parameter tensor.
    fn param(&mut self, p: ParamRef<'_, T>);
    /// One buffer (non-learnable state). Ignored unless overridden.
    fn buffer(&mut self, _b: BufferRef<'_, T>) {}
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

/// The number of learnable scalars of a layer or network, whatever its element type.
/// Implemented with [`Params`] by `#[derive(Params)]` and `#[derive(Network)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `Params` impl",
    label = "`{Self}` does not implement `constnn::layer::Params`",
    note = "a layer reports its parameters (or that it has none) with `#[derive(Params)]` on its struct; see \"Writing your own layer\" in the `layer` module"
)]
pub trait ParamCount {
    /// The number of learnable scalars.
    fn num_params(&self) -> usize;
}

/// A tensor a layer stores its parameters in: its values as one slice and its shape in
/// PyTorch's order. `#[derive(Params)]` reads `#[param]` and `#[buffer]` fields through it.
pub trait ParamTensor {
    /// The element type.
    type Elem;
    /// The values.
    fn values(&self) -> &[Self::Elem];
    /// The values, mutably.
    fn values_mut(&mut self) -> &mut [Self::Elem];
    /// The shape (a matrix `[R, C]`, a vector of values `[len]`).
    fn param_shape(&self) -> ParamShape;
    /// The number of values.
    fn len(&self) -> usize {
        self.values().len()
    }
    /// Whether there are no values.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> ParamTensor for Vec<T> {
    type Elem = T;
    fn values(&self) -> &[T] {
        self
    }
    fn values_mut(&mut self) -> &mut [T] {
        self
    }
    fn param_shape(&self) -> ParamShape {
        ParamShape::new([self.len()])
    }
}

/// A matrix holding a parameter: shape `[R, C]`.
impl<const R: usize, const C: usize, T: crate::Scalar> ParamTensor
    for crate::tensor::Matrix<R, C, T>
{
    type Elem = T;
    fn values(&self) -> &[T] {
        self.as_slice()
    }
    fn values_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
    fn param_shape(&self) -> ParamShape {
        ParamShape::new([R, C])
    }
}

/// The learnable parameters of a layer or network of element type `T`, in a fixed order,
/// and its buffers (non-learnable state, reported in the same walk; see the module doc).
///
/// Derive it: `#[derive(Params)]` on a layer's struct writes both walks from attributes on
/// its fields (`#[param(grad = dw, name = "weight", kind = weight)]`, `#[buffer]`,
/// `#[layer]`), and `#[derive(Network)]` writes it for networks:
///
/// ```
/// use constnn::prelude::*;
///
/// /// `y = g ⊙ x`: a learned gain per feature.
/// #[derive(Params)]
/// struct Gain<const N: usize> {
///     #[param(grad = dg, shape = [N])]
///     g: Vector<N>,
///     dg: Vector<N>,
/// }
///
/// let layer = Gain::<3> { g: Vector::from_fn(|i, _| i as f32), dg: Vector::zeros() };
/// assert_eq!(layer.num_params(), 3);
/// assert_eq!(layer.values_to_vec(), [0.0, 1.0, 2.0]);
/// assert_eq!(constnn::layer::param_paths(&layer), [["g"]]);
/// ```
pub trait Params<T>: ParamCount {
    /// Visits every parameter mutably.
    fn visit(&mut self, _v: &mut dyn Visitor<T>) {}
    /// Visits every parameter read-only.
    fn visit_ref(&self, _v: &mut dyn VisitorRef<T>) {}

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
