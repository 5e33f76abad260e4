//! Shape rules as data: a layer's [`Rule`] is a short program of [`Op`]s that `const fn`s run
//! on the per-sample input shape at compile time.
//!
//! | op | the input must | the output |
//! |---|---|---|
//! | `Rank(r)` | have `r` axes | unchanged |
//! | `Exactly(s)` | be exactly `s` | unchanged |
//! | `Axis { axis, n }` | have `n` along `axis` (a convolution's input channels) | unchanged |
//! | `Window { axis, f, s, p }` | fit a window `f` (padding `p`) along `axis` | `n → ⌊(n + 2p − f)/s⌋ + 1` along `axis` |
//! | `Resize { axis, n }` | — | `n` along `axis` (a convolution's output channels) |
//! | `Reduce { keep }` | have more than `keep` axes | the first `keep` axes (global pooling) |
//! | `Flatten` | — | one axis of all the values (`C·H·W`) |
//! | `Output(s)` | — | exactly `s` (a dense layer's `n[l]`) |
//! | `Seq(rules)` | fit the first rule | the rules applied in order (a network) |
//!
//! The layers compose these: a dense layer is `Exactly(n[l-1]) → Output(n[l])`, a convolution
//! `Rank(3) → Axis(0, C_IN) → Window(1) → Window(2) → Resize(0, C_OUT)`, max pooling
//! `Rank(3) → Window(1) → Window(2)`, an activation the empty rule [`Rule::SAME`].
//!
//! `Window` and `Flatten` also refuse shapes beyond what constnn computes in types
//! ([`MAX_DIM`], [`MAX_FEATURES`]): the layers built on them infer their output type through
//! [`nat`](super::nat), which stops there.

use super::Shape;
use super::nat::{MAX_DIM, MAX_FEATURES};

/// One step of a [`Rule`]; see the module doc for what each does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// The input has this many axes.
    Rank(usize),
    /// The input is exactly this shape.
    Exactly(Shape),
    /// The input has `n` along `axis`.
    Axis {
        /// Which axis (0 = outermost, the channels of an image).
        axis: usize,
        /// Its required size.
        n: usize,
    },
    /// A window of `f` moved with stride `s` over the input padded by `p` along `axis`.
    Window {
        /// Which axis.
        axis: usize,
        /// Window size.
        f: usize,
        /// Stride.
        s: usize,
        /// Padding on each side.
        p: usize,
    },
    /// The output has `n` along `axis`.
    Resize {
        /// Which axis.
        axis: usize,
        /// Its new size.
        n: usize,
    },
    /// Keeps the first `keep` axes, reducing over the others (global pooling).
    Reduce {
        /// Axes kept.
        keep: usize,
    },
    /// All axes become one.
    Flatten,
    /// The output is exactly this shape.
    Output(Shape),
    /// Rules applied in order: a network used as a layer.
    Seq(&'static [Rule]),
}

const CAP: usize = 8;

/// How a layer maps its input shape to its output shape: up to 8 [`Op`]s, built in `const`
/// code with the methods below.
///
/// ```
/// use constnn::shape::{Rule, Shape, apply};
/// // A 1-D convolution over `C × 1 × L` inputs: 4 → 8 channels, window 3, stride 2.
/// const CONV1D: Rule = Rule::images().channels(4).window(2, 3, 2, 0).resize(0, 8);
/// assert_eq!(apply(&CONV1D, Shape::image(4, 1, 11)), Ok(Shape::image(8, 1, 5)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    ops: [Op; CAP],
    len: usize,
}

impl Rule {
    /// The empty rule: any shape to itself (activations, dropout).
    pub const SAME: Rule = Rule {
        ops: [Op::Flatten; CAP],
        len: 0,
    };

    /// This rule followed by `op`.
    ///
    /// # Panics
    /// At compile time, when the rule already has 8 ops.
    pub const fn then(mut self, op: Op) -> Rule {
        assert!(self.len < CAP, "a shape rule has at most 8 ops");
        self.ops[self.len] = op;
        self.len += 1;
        self
    }

    /// The ops, in order.
    pub const fn ops(&self) -> &[Op] {
        self.ops.split_at(self.len).0
    }

    /// Exactly `input` to exactly `output` (a dense layer).
    pub const fn map(input: Shape, output: Shape) -> Rule {
        Rule::SAME.then(Op::Exactly(input)).then(Op::Output(output))
    }

    /// Accepts images (`C × H × W`); continue with [`channels`](Rule::channels),
    /// [`window`](Rule::window), … .
    pub const fn images() -> Rule {
        Rule::SAME.then(Op::Rank(3))
    }

    /// … whose axis 0 (channels) is `c`.
    pub const fn channels(self, c: usize) -> Rule {
        self.then(Op::Axis { axis: 0, n: c })
    }

    /// … with a window `f`, stride `s`, padding `p` along `axis`.
    pub const fn window(self, axis: usize, f: usize, s: usize, p: usize) -> Rule {
        self.then(Op::Window { axis, f, s, p })
    }

    /// … with the same window along the height and the width (axes 1 and 2).
    pub const fn window2d(self, f: usize, s: usize, p: usize) -> Rule {
        self.window(1, f, s, p).window(2, f, s, p)
    }

    /// … then `n` along `axis`.
    pub const fn resize(self, axis: usize, n: usize) -> Rule {
        self.then(Op::Resize { axis, n })
    }

    /// … then keep the first `keep` axes.
    pub const fn reduce(self, keep: usize) -> Rule {
        self.then(Op::Reduce { keep })
    }

    /// Any shape to one axis of all its values.
    pub const fn flatten() -> Rule {
        Rule::SAME.then(Op::Flatten)
    }

    /// The rules of a network's layers, in order.
    pub const fn seq(rules: &'static [Rule]) -> Rule {
        Rule::SAME.then(Op::Seq(rules))
    }

    /// The only input this rule accepts, when its first op fixes it (how a network whose first
    /// layer is dense knows its input).
    pub const fn fixed_input(&self) -> Option<Shape> {
        match self.ops() {
            [Op::Exactly(s), ..] => Some(*s),
            [Op::Seq(rules), ..] if !rules.is_empty() => rules[0].fixed_input(),
            _ => None,
        }
    }
}

/// Why a layer refuses an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It takes inputs of this rank only.
    Rank(usize),
    /// It takes exactly this shape.
    Exactly(Shape),
    /// It takes `n` along `axis`.
    Axis {
        /// The axis.
        axis: usize,
        /// The size it takes.
        n: usize,
    },
    /// Its window `f` (padding `p`) is larger than the input along `axis`, or `s = 0`.
    Window {
        /// The axis.
        axis: usize,
        /// Window size.
        f: usize,
        /// Stride.
        s: usize,
        /// Padding.
        p: usize,
    },
    /// A size along `axis` is beyond [`MAX_DIM`], which window layers compute in types.
    DimRange {
        /// The axis.
        axis: usize,
    },
    /// The flattened width is beyond [`MAX_FEATURES`], which `Flatten` computes in types.
    FeatureRange,
    /// Nothing left to reduce: the input has `keep` axes or fewer.
    Reduce {
        /// Axes kept.
        keep: usize,
    },
}

/// A refusal, the input it refused, and where (the index inside nested sequences).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Index of the refusing layer inside a `Seq` (0 for a plain layer).
    pub layer: usize,
    /// Why.
    pub refusal: Refusal,
    /// The input the refusing layer was given.
    pub found: Shape,
}

/// `⌊(n + 2p − f)/s⌋ + 1`, the output size of a window `f` with stride `s`, padding `p`
/// (the caller has checked `f ≤ n + 2p` and `s > 0`).
pub const fn window_out(n: usize, f: usize, s: usize, p: usize) -> usize {
    (n + 2 * p - f) / s + 1
}

/// One op on `x` ([`Op::Seq`] excluded): the new shape, or why `x` is refused.
const fn step(op: &Op, x: Shape) -> Result<Shape, Refusal> {
    let mut y = x;
    match *op {
        Op::Rank(r) if x.rank != r => return Err(Refusal::Rank(r)),
        Op::Exactly(s) if !x.same(&s) => return Err(Refusal::Exactly(s)),
        Op::Axis { axis, n } if axis >= x.rank || x.dims[axis] != n => {
            return Err(Refusal::Axis { axis, n });
        }
        Op::Window { axis, f, s, p } => {
            if axis >= x.rank || s == 0 || f == 0 || f > x.dims[axis] + 2 * p {
                return Err(Refusal::Window { axis, f, s, p });
            }
            if x.dims[axis] > MAX_DIM || f > MAX_DIM || s > MAX_DIM || p > MAX_DIM {
                return Err(Refusal::DimRange { axis });
            }
            y.dims[axis] = window_out(x.dims[axis], f, s, p);
        }
        Op::Resize { axis, n } if axis < x.rank => y.dims[axis] = n,
        Op::Reduce { keep } => {
            if x.rank <= keep || keep == 0 {
                return Err(Refusal::Reduce { keep });
            }
            let mut k = keep;
            while k < 4 {
                y.dims[k] = 1;
                k += 1;
            }
            y.rank = keep;
        }
        Op::Flatten => {
            let mut k = 0;
            while k < x.rank {
                if x.dims[k] > MAX_DIM {
                    return Err(Refusal::DimRange { axis: k });
                }
                k += 1;
            }
            if x.numel() > MAX_FEATURES {
                return Err(Refusal::FeatureRange);
            }
            y = Shape::flat(x.numel());
        }
        Op::Output(s) => y = s,
        _ => {}
    }
    Ok(y)
}

/// The output shape of `rule` on input `x`, or the first refusal.
pub const fn apply(rule: &Rule, x: Shape) -> Result<Shape, Mismatch> {
    let ops = rule.ops();
    let (mut k, mut cur) = (0, x);
    while k < ops.len() {
        cur = match &ops[k] {
            Op::Seq(rules) => {
                let mut i = 0;
                while i < rules.len() {
                    cur = match apply(&rules[i], cur) {
                        Ok(s) => s,
                        Err(mut e) => {
                            e.layer = i;
                            return Err(e);
                        }
                    };
                    i += 1;
                }
                cur
            }
            op => match step(op, cur) {
                Ok(s) => s,
                Err(refusal) => {
                    return Err(Mismatch {
                        layer: 0,
                        refusal,
                        found: x,
                    });
                }
            },
        };
        k += 1;
    }
    Ok(cur)
}

/// The output of `rule` on `x` when it accepts `x`; otherwise the output it *declares*, so
/// that the checks further down a network report only mismatches of their own: a wrong
/// exact input or axis size is taken as the declared one and the rule goes on. `None` when
/// the output cannot be told (a wrong rank, a window that does not fit, a size out of range):
/// the layers after it are not checked.
pub const fn apply_lenient(rule: &Rule, x: Shape) -> Option<Shape> {
    let ops = rule.ops();
    let (mut k, mut cur) = (0, x);
    while k < ops.len() {
        cur = match &ops[k] {
            Op::Seq(rules) => {
                let mut i = 0;
                while i < rules.len() {
                    cur = match apply_lenient(&rules[i], cur) {
                        Some(s) => s,
                        None => return None,
                    };
                    i += 1;
                }
                cur
            }
            op => match step(op, cur) {
                Ok(s) => s,
                Err(Refusal::Exactly(s)) => s,
                Err(Refusal::Axis { axis, n }) if axis < cur.rank => {
                    cur.dims[axis] = n;
                    cur
                }
                Err(_) => return None,
            },
        };
        k += 1;
    }
    Some(cur)
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
