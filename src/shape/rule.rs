//! Shape rules as data, interpreted by `const fn`s at compile time.
//!
//! | rule | accepts | gives |
//! |---|---|---|
//! | `Same` | anything | the same shape |
//! | `Map { input, output }` | exactly `input` | `output` (dense: `n[l-1]` → `n[l]` features) |
//! | `Conv2d { c_in, c_out, f, s, p }` | `c_in × n_H × n_W`, `f ≤ n + 2p` | `c_out × (⌊(n_H + 2p − f)/s⌋ + 1) × …` |
//! | `Pool2d { f, s }` | `n_C × n_H × n_W`, `f ≤ n` | `n_C × (⌊(n_H − f)/s⌋ + 1) × …` |
//! | `Flatten` | `C × H × W` (or features) | `C·H·W` features |
//! | `Seq(layers)` | what the first accepts | the chain applied in order |

use super::Shape;

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
    /// A convolution with `c_out` filters of `f × f × c_in`, stride `s`, padding `p`.
    Conv2d {
        /// Input channels.
        c_in: usize,
        /// Output channels (filters).
        c_out: usize,
        /// Filter size.
        f: usize,
        /// Stride.
        s: usize,
        /// Padding.
        p: usize,
    },
    /// Max or average pooling with an `f × f` window and stride `s`, per channel.
    Pool2d {
        /// Window size.
        f: usize,
        /// Stride.
        s: usize,
    },
    /// `C × H × W` to `C·H·W` features.
    Flatten,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It takes exactly this shape.
    Expected(Shape),
    /// It takes images (rank 3) only.
    NotAnImage,
    /// It takes images with this many channels.
    Channels(usize),
    /// Its `f × f` window (with padding `p`) is larger than the input.
    WindowTooLarge {
        /// Window size.
        f: usize,
        /// Padding.
        p: usize,
    },
    /// A stride of 0.
    ZeroStride,
}

/// A refusal, the input it refused, and where (inside nested sequences).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Index of the refusing layer inside nested sequences (0 for a plain layer).
    pub layer: usize,
    /// Why.
    pub refusal: Refusal,
    /// The input it was given.
    pub found: Shape,
}

const fn refuse(refusal: Refusal, found: Shape) -> Result<Shape, Mismatch> {
    Err(Mismatch {
        layer: 0,
        refusal,
        found,
    })
}

/// `⌊(n + 2p − f)/s⌋ + 1`, the output size of a window `f` with stride `s`, padding `p`
/// (the caller has checked `f ≤ n + 2p` and `s > 0`).
pub const fn window_out(n: usize, f: usize, s: usize, p: usize) -> usize {
    (n + 2 * p - f) / s + 1
}

/// Checks an image input for a window layer and returns `(H_out, W_out)`.
const fn window(x: Shape, f: usize, s: usize, p: usize) -> Result<[usize; 2], Refusal> {
    if x.rank != 3 {
        return Err(Refusal::NotAnImage);
    }
    if s == 0 {
        return Err(Refusal::ZeroStride);
    }
    if f == 0 || f > x.dims[1] + 2 * p || f > x.dims[2] + 2 * p {
        return Err(Refusal::WindowTooLarge { f, p });
    }
    Ok([
        window_out(x.dims[1], f, s, p),
        window_out(x.dims[2], f, s, p),
    ])
}

/// Output shape of `rule` on input `x`, or why it refuses `x`.
pub const fn apply(rule: &Rule, x: Shape) -> Result<Shape, Mismatch> {
    match *rule {
        Rule::Same => Ok(x),
        Rule::Map { input, output } => {
            if input.same(&x) {
                Ok(output)
            } else {
                refuse(Refusal::Expected(input), x)
            }
        }
        Rule::Conv2d {
            c_in,
            c_out,
            f,
            s,
            p,
        } => match window(x, f, s, p) {
            Err(r) => refuse(r, x),
            Ok(_) if x.dims[0] != c_in => refuse(Refusal::Channels(c_in), x),
            Ok([h, w]) => Ok(Shape::image(c_out, h, w)),
        },
        Rule::Pool2d { f, s } => match window(x, f, s, 0) {
            Err(r) => refuse(r, x),
            Ok([h, w]) => Ok(Shape::image(x.dims[0], h, w)),
        },
        Rule::Flatten => Ok(Shape::flat(x.numel())),
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

/// The output of `rule` on `x`, or when it refuses `x` the most plausible output (the
/// declared one, or `x`), so checks further down a network report only the first mismatch.
pub const fn apply_lenient(rule: &Rule, x: Shape) -> Shape {
    match apply(rule, x) {
        Ok(s) => s,
        Err(_) => match *rule {
            Rule::Map { output, .. } => output,
            Rule::Conv2d { c_out, .. } if x.rank == 3 => Shape::image(c_out, 1, 1),
            _ => x,
        },
    }
}

/// The only input `rule` accepts, when that is fixed (the first layer of a network usually
/// tells the network's input this way).
pub const fn fixed_input(rule: &Rule) -> Option<Shape> {
    match *rule {
        Rule::Map { input, .. } => Some(input),
        Rule::Seq(layers) if !layers.is_empty() => fixed_input(&layers[0].rule),
        _ => None,
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
            (e.layer, e.refusal, e.found),
            (2, Refusal::Expected(Shape::flat(2)), Shape::flat(3))
        );
    }

    #[test]
    fn lenient_application_continues_with_the_declared_output() {
        let layers = [DENSE_4_3, DENSE_2_1, RELU];
        assert_eq!(input_of(&layers, Shape::flat(4), 2), Shape::flat(1));
        assert_eq!(total_params(&layers), 18);
    }

    #[test]
    fn lenet_shapes_follow_the_formula() {
        // 1×28×28 --conv 6@5×5 pad 2--> 6×28×28 --pool 2--> 6×14×14 --conv 16@5×5--> 16×10×10
        // --pool 2--> 16×5×5 --flatten--> 400.
        let c1 = Rule::Conv2d {
            c_in: 1,
            c_out: 6,
            f: 5,
            s: 1,
            p: 2,
        };
        let p = Rule::Pool2d { f: 2, s: 2 };
        let c2 = Rule::Conv2d {
            c_in: 6,
            c_out: 16,
            f: 5,
            s: 1,
            p: 0,
        };
        let mut x = Shape::image(1, 28, 28);
        for (rule, want) in [
            (c1, Shape::image(6, 28, 28)),
            (p, Shape::image(6, 14, 14)),
            (c2, Shape::image(16, 10, 10)),
            (p, Shape::image(16, 5, 5)),
            (Rule::Flatten, Shape::flat(400)),
        ] {
            x = apply(&rule, x).unwrap();
            assert_eq!(x, want);
        }
        // Stride 2, padding 1 on 7×7 with f = 3: ⌊(7 + 2 − 3)/2⌋ + 1 = 4.
        let s2 = Rule::Conv2d {
            c_in: 2,
            c_out: 1,
            f: 3,
            s: 2,
            p: 1,
        };
        assert_eq!(
            apply(&s2, Shape::image(2, 7, 7)).unwrap(),
            Shape::image(1, 4, 4)
        );
    }

    #[test]
    fn window_layers_refuse_what_they_cannot_take() {
        let c = Rule::Conv2d {
            c_in: 6,
            c_out: 16,
            f: 5,
            s: 1,
            p: 0,
        };
        assert_eq!(
            apply(&c, Shape::image(8, 14, 14)).unwrap_err().refusal,
            Refusal::Channels(6)
        );
        assert_eq!(
            apply(&c, Shape::image(6, 4, 4)).unwrap_err().refusal,
            Refusal::WindowTooLarge { f: 5, p: 0 }
        );
        assert_eq!(
            apply(&c, Shape::flat(400)).unwrap_err().refusal,
            Refusal::NotAnImage
        );
        let p = Rule::Pool2d { f: 2, s: 0 };
        assert_eq!(
            apply(&p, Shape::image(1, 4, 4)).unwrap_err().refusal,
            Refusal::ZeroStride
        );
    }
}
