//! Compile-time shape rules.
//!
//! Shapes are checked at two levels, both before a program runs:
//!
//! * **In `const` code**, for `#[derive(Network)]`: every layer describes how it maps a
//!   per-sample input shape to its output as a [`Rule`] (a short program of [`Op`]s in an
//!   associated const, see [`Describe`]), and the derive checks each connection in an
//!   item-level `const` that fails at `cargo check` with a message naming the fields and dims:
//!
//!   ```text
//!   error[E0080]: evaluation panicked: `Mlp`: field `d2` (Dense<64, 10>) expects 64 features,
//!                 but field `r1` (Relu) outputs 128 features
//!   ```
//!
//! * **In types**, for code written by hand: a layer's output type is computed from its input
//!   type ([`Layer::Output`](crate::layer::Layer::Output)), so `conv.predict(&x)` is an
//!   `Images<6, 24, 24>` without an annotation. Stable Rust cannot compute
//!   `⌊(n + 2p − f)/s⌋ + 1` or `C·H·W` in a const generic, so [`nat`] does it with typenum's
//!   type-level naturals and maps the result back to a const generic through generated
//!   tables. Those tables bound what can be computed in types: dims up to [`MAX_DIM`] and
//!   flattened widths up to [`MAX_FEATURES`] (the derive's checks report a network beyond
//!   them by name; see [`nat`] for why and for the way around).
//!
//! Nothing outside this module computes an output dimension.

mod check;
mod message;
pub mod nat;
mod rule;

pub use check::{
    accepts, connection_error, input_error, known_or_empty, lenient_input, network_input,
    next_input,
};
pub use message::Message;
pub use nat::{Dim, MAX_DIM, MAX_FEATURES};
pub use rule::{Mismatch, Op, Refusal, Rule, apply, apply_lenient, window_out};

/// The per-sample shape of a tensor: `n` features (rank 1), a `C × H × W` image (rank 3), or
/// any other rank up to 4 for rules of users' own layers. Unused trailing dims are 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The number of axes, 1 to 4.
    pub rank: usize,
    /// The sizes of the axes, outermost first; `dims[rank..]` are 1.
    pub dims: [usize; 4],
}

impl Shape {
    /// `n` features.
    pub const fn flat(n: usize) -> Self {
        Self {
            rank: 1,
            dims: [n, 1, 1, 1],
        }
    }

    /// A `C × H × W` image.
    pub const fn image(c: usize, h: usize, w: usize) -> Self {
        Self {
            rank: 3,
            dims: [c, h, w, 1],
        }
    }

    /// A shape of rank `R` (1 to 4; another rank is a build error).
    pub const fn new<const R: usize>(dims: [usize; R]) -> Self {
        const { assert!(R >= 1 && R <= 4, "a Shape has 1 to 4 axes") };
        let mut all = [1; 4];
        let mut i = 0;
        while i < R {
            all[i] = dims[i];
            i += 1;
        }
        Self { rank: R, dims: all }
    }

    /// Values per sample: the product of the dims.
    pub const fn numel(&self) -> usize {
        self.dims[0] * self.dims[1] * self.dims[2] * self.dims[3]
    }

    /// Equality, usable in `const` code.
    pub const fn same(&self, other: &Shape) -> bool {
        self.rank == other.rank
            && self.dims[0] == other.dims[0]
            && self.dims[1] == other.dims[1]
            && self.dims[2] == other.dims[2]
            && self.dims[3] == other.dims[3]
    }
}

impl core::fmt::Display for Shape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(Message::new().shape(*self).as_str())
    }
}

/// How a layer's output shape follows from its input shape, for the checks of
/// `#[derive(Network)]` and its summary. Every layer in constnn implements it, the derive
/// implements it for networks (so networks nest), and a layer of your own implements it
/// with a [`Rule`] built from the [`Op`]s:
///
/// ```
/// use constnn::shape::{Describe, Rule};
///
/// /// Global average pooling: `C × H × W` (any `H`, `W`) to `C` features.
/// struct GlobalAvgPool<const C: usize>;
///
/// impl<const C: usize> Describe for GlobalAvgPool<C> {
///     const RULE: Rule = Rule::images().channels(C).reduce(1);
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no shape rule: implement `Describe`",
    label = "`{Self}` does not implement `constnn::shape::Describe`",
    note = "a layer states how its output shape follows from its input with `impl Describe for {Self} {{ const RULE: Rule = … }}` (see the `shape` module); networks get it from `#[derive(Network)]`"
)]
pub trait Describe {
    /// The shape rule.
    const RULE: Rule;
}
