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

mod message;

pub use message::Message;

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

/// How a layer maps its input shape to its output shape.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Element-wise: any shape to the same shape (activations, dropout).
    Same,
    /// Exactly `input` to `output` (a dense layer: `n[l-1]` features to `n[l]`).
    Map {
        /// The only accepted input.
        input: Shape,
        /// The output.
        output: Shape,
    },
    /// A sequence of layers (a derived network), applied in order.
    Seq(&'static [LayerInfo]),
}

/// A layer's shape rule and its number of learnable scalars.
#[derive(Clone, Copy, Debug)]
pub struct LayerInfo {
    /// The shape rule.
    pub rule: Rule,
    /// Learnable scalars (`n[l]·n[l-1] + n[l]` for a dense layer).
    pub params: usize,
}

/// Why a layer refuses an input.
#[derive(Clone, Copy, Debug)]
pub struct Mismatch {
    /// Index of the refusing layer inside nested sequences (0 for a plain layer).
    pub layer: usize,
    /// The input it expects.
    pub expected: Shape,
    /// The input it was given.
    pub found: Shape,
}

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

/// Output shape of `rule` on input `x`, or why it refuses `x`.
pub const fn apply(rule: &Rule, x: Shape) -> Result<Shape, Mismatch> {
    match *rule {
        Rule::Same => Ok(x),
        Rule::Map { input, output } => {
            if input.same(&x) {
                Ok(output)
            } else {
                Err(Mismatch {
                    layer: 0,
                    expected: input,
                    found: x,
                })
            }
        }
        Rule::Seq(layers) => {
            let mut k = 0;
            let mut cur = x;
            while k < layers.len() {
                cur = match apply(&layers[k].rule, cur) {
                    Ok(s) => s,
                    Err(mut e) => {
                        e.layer = k;
                        return Err(e);
                    }
                };
                k += 1;
            }
            Ok(cur)
        }
    }
}

/// The output of `rule` on `x`, or when it refuses `x` the output it would give its expected
/// input, so checks further down a network report only the first mismatch.
pub const fn apply_lenient(rule: &Rule, x: Shape) -> Shape {
    match apply(rule, x) {
        Ok(s) => s,
        Err(_) => match *rule {
            Rule::Map { output, .. } => output,
            _ => x,
        },
    }
}

/// The only input `rule` accepts, when that is fixed (the first layer of a network usually
/// tells the network's input this way).
pub const fn fixed_input(rule: &Rule) -> Option<Shape> {
    match *rule {
        Rule::Same => None,
        Rule::Map { input, .. } => Some(input),
        Rule::Seq(layers) => {
            if layers.is_empty() {
                None
            } else {
                fixed_input(&layers[0].rule)
            }
        }
    }
}

/// Sum of the parameter counts of `layers`.
pub const fn total_params(layers: &[LayerInfo]) -> usize {
    let (mut k, mut n) = (0, 0);
    while k < layers.len() {
        n += layers[k].params;
        k += 1;
    }
    n
}

/// The input shape of layer `k` of a network with input `input`.
pub const fn input_of(layers: &[LayerInfo], input: Shape, k: usize) -> Shape {
    let (mut i, mut cur) = (0, input);
    while i < k {
        cur = apply_lenient(&layers[i].rule, cur);
        i += 1;
    }
    cur
}

/// The check `#[derive(Network)]` emits for field `k` (spanned on that field): panics at
/// compile time with a message naming both fields and the dims when layer `k` refuses the
/// output of layer `k − 1` (or the network input, for `k = 0`).
pub const fn check_connection(
    net: &str,
    fields: &[&str],
    types: &[&str],
    layers: &[LayerInfo],
    input: Shape,
    k: usize,
) {
    let x = input_of(layers, input, k);
    if let Err(e) = apply(&layers[k].rule, x) {
        let msg = Message::connection(net, fields, types, k, e);
        panic!("{}", msg.as_str());
    }
}

/// The network input: `declared` when the struct says it, otherwise the fixed input of the
/// first layer; panics at compile time when neither is known.
pub const fn network_input(
    net: &str,
    first_field: &str,
    declared: Option<Shape>,
    layers: &[LayerInfo],
) -> Shape {
    if let Some(s) = declared {
        return s;
    }
    match fixed_input(&layers[0].rule) {
        Some(s) => s,
        None => {
            let msg = Message::new()
                .str("`")
                .str(net)
                .str("`: the input shape cannot be inferred from its first field `")
                .str(first_field)
                .str("`; declare it with #[network(input = ...)]");
            panic!("{}", msg.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DENSE_4_3: LayerInfo = LayerInfo {
        rule: Rule::Map {
            input: Shape::flat(4),
            output: Shape::flat(3),
        },
        params: 15,
    };
    const RELU: LayerInfo = LayerInfo {
        rule: Rule::Same,
        params: 0,
    };
    const DENSE_2_1: LayerInfo = LayerInfo {
        rule: Rule::Map {
            input: Shape::flat(2),
            output: Shape::flat(1),
        },
        params: 3,
    };

    #[test]
    fn sequences_propagate_shapes() {
        const NET: Rule = Rule::Seq(&[DENSE_4_3, RELU]);
        assert_eq!(apply(&NET, Shape::flat(4)).unwrap(), Shape::flat(3));
        assert_eq!(fixed_input(&NET), Some(Shape::flat(4)));
    }

    #[test]
    fn first_refusal_is_reported_with_its_index() {
        const NET: Rule = Rule::Seq(&[DENSE_4_3, RELU, DENSE_2_1]);
        let e = apply(&NET, Shape::flat(4)).unwrap_err();
        assert_eq!(
            (e.layer, e.expected, e.found),
            (2, Shape::flat(2), Shape::flat(3))
        );
    }

    #[test]
    fn lenient_application_continues_with_the_declared_output() {
        let layers = [DENSE_4_3, DENSE_2_1, RELU];
        assert_eq!(input_of(&layers, Shape::flat(4), 2), Shape::flat(1));
        assert_eq!(total_params(&layers), 18);
    }
}
