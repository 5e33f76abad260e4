//! What `#[derive(Network)]` builds on: the per-layer buffers of a network's cache, the
//! Keras-style summary, and building a network's layers from an initialization.
//!
//! A derived network is itself a [`Layer`](super::Layer): forward chains the fields in order,
//! backward runs them in reverse, and its cache holds one [`Step`] per inner connection, so
//! every activation `A[l]` and gradient `dA[l]` lives in a buffer reused across steps.

use core::fmt;

use rand::rngs::StdRng;

use crate::shape::Shape;
use crate::tensor::Init;

/// The buffers between layer `l` and layer `l + 1`: the output `A[l]`, layer `l`'s own
/// cache, and the gradient `dA[l]` that backward hands from layer `l + 1` to layer `l`.
#[derive(Clone, Debug, Default)]
pub struct Step<Y, C> {
    /// `A[l]`.
    pub y: Y,
    /// Layer `l`'s cache.
    pub cache: C,
    /// `dA[l]`.
    pub dy: Y,
}

/// Implemented by `#[derive(Network)]`: the network's name, input shape and summary.
pub trait Network {
    /// The struct's name.
    const NAME: &'static str;
    /// The per-sample input shape (declared, or the first layer's).
    const INPUT: Shape;
    /// A table of the layers: field, type, output shape, parameter count.
    fn summary(&self) -> Summary;
}

/// A layer built from an initialization and a seeded generator: what
/// `#[derive(Network)]`'s `#[network(init = he)]` calls for each field. Layers with weights
/// draw them with `init`; layers without parameters ignore both; derived networks build
/// their fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be built from an initialization",
    label = "`{Self}` does not implement `constnn::layer::Build`",
    note = "give its field `#[layer(with = …)]`: an expression of the field's type, with `init: Init` and `rng: &mut StdRng` in scope"
)]
pub trait Build {
    /// A new layer.
    fn build(init: Init, rng: &mut StdRng) -> Self;
}

/// The type `T` as a summary shows it: without module paths, and without the element type
/// when it is the default `f32` (`Dense<400, 120>`, `Dense<13, 16, f64>`).
pub fn type_text<T: ?Sized>() -> String {
    let full = core::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    for ch in full.chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == ':' {
            word.push(ch);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or_default());
            word.clear();
            out.push(ch);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or_default());
    out.replace(", f32>", ">").replace("<f32>", "")
}

/// One row of a [`Summary`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// The field name.
    pub field: &'static str,
    /// The layer's concrete type ([`type_text`]).
    pub ty: String,
    /// Per-sample output shape.
    pub output: Shape,
    /// Learnable scalars.
    pub params: usize,
}

/// A network's layers, printed like Keras' `model.summary()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The network's name.
    pub name: &'static str,
    /// Per-sample input shape.
    pub input: Shape,
    /// One row per field, in order.
    pub rows: Vec<SummaryRow>,
}

impl Summary {
    /// Total learnable scalars.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }
}

fn shape_text(s: Shape) -> String {
    let dims: Vec<String> = s.dims[..s.rank].iter().map(usize::to_string).collect();
    format!("{} × m", dims.join("×"))
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layer_col = |r: &SummaryRow| format!("{} ({})", r.field, r.ty);
        let w0 = self
            .rows
            .iter()
            .map(|r| layer_col(r).chars().count())
            .max()
            .unwrap_or(0)
            .max(12);
        let w1 = self
            .rows
            .iter()
            .map(|r| shape_text(r.output).chars().count())
            .max()
            .unwrap_or(0)
            .max(12);
        let width = w0 + w1 + 14;
        writeln!(
            f,
            "Model: \"{}\"  (input {})",
            self.name,
            shape_text(self.input)
        )?;
        writeln!(f, "{}", "─".repeat(width))?;
        writeln!(
            f,
            "{:<w0$}  {:<w1$}  {:>10}",
            "Layer (type)", "Output shape", "Param #"
        )?;
        writeln!(f, "{}", "═".repeat(width))?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<w0$}  {:<w1$}  {:>10}",
                layer_col(r),
                shape_text(r.output),
                r.params
            )?;
        }
        writeln!(f, "{}", "═".repeat(width))?;
        write!(f, "Total params: {}", self.total_params())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::prelude::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[derive(Network)]
    struct Mlp<T: Scalar> {
        d1: Dense<4, 5, T>,
        a1: Tanh,
        d2: Dense<5, 3, T>,
        a2: Relu,
        d3: Dense<3, 2, T>,
    }

    fn mlp<T: Scalar>(seed: u64) -> Mlp<T> {
        let mut rng = StdRng::seed_from_u64(seed);
        Mlp {
            d1: Dense::new(Init::Glorot, &mut rng),
            a1: Tanh,
            d2: Dense::new(Init::He, &mut rng),
            a2: Relu,
            d3: Dense::new(Init::Glorot, &mut rng),
        }
    }

    #[test]
    fn derived_forward_equals_the_hand_chain() {
        let net = mlp::<f64>(3);
        let x = Batch::<4, f64>::from_fn(6, |i, j| (i as f64 - j as f64) * 0.3);
        let by_hand = {
            let n = mlp::<f64>(3);
            let h = n.d1.predict(&x);
            let h = n.d2.predict(&Tanh.predict(&h));
            n.d3.predict(&Relu.predict(&h))
        };
        assert_eq!(net.predict(&x), by_hand);
    }

    #[test]
    fn derived_backward_passes_gradcheck() {
        let mut net = mlp::<f64>(5);
        let x = Batch::<4, f64>::from_fn(7, |i, j| ((i * 5 + j * 3) % 7) as f64 / 3.0 - 1.0);
        let report = gradcheck::check_layer(&mut net, &x, 1e-6, 9).unwrap();
        assert_eq!(report.num_params, 25 + 18 + 8);
        assert!(report.max_error() < 1e-7, "{report}");
    }

    #[test]
    fn params_are_named_by_field() {
        let names: Vec<String> = crate::layer::param_paths(&mlp::<f32>(1))
            .iter()
            .map(|p| p.join("."))
            .collect();
        assert_eq!(
            names,
            [
                "d1.weight",
                "d1.bias",
                "d2.weight",
                "d2.bias",
                "d3.weight",
                "d3.bias"
            ]
        );
    }

    #[test]
    fn derived_summary_lists_every_field() {
        let s = mlp::<f32>(1).summary();
        assert_eq!(s.input, Shape::flat(4));
        let rows: Vec<_> = s
            .rows
            .iter()
            .map(|r| (r.field, r.ty.as_str(), r.output.dims[0], r.params))
            .collect();
        // The types are the concrete ones (`T = f32`, the default, is not written).
        assert_eq!(
            rows,
            [
                ("d1", "Dense<4, 5>", 5, 25),
                ("a1", "Tanh", 5, 0),
                ("d2", "Dense<5, 3>", 3, 18),
                ("a2", "Relu", 3, 0),
                ("d3", "Dense<3, 2>", 2, 8)
            ]
        );
        assert_eq!(s.total_params(), 51);
        assert_eq!(mlp::<f64>(1).summary().rows[0].ty, "Dense<4, 5, f64>");
    }

    /// Networks nest: a derived network is a layer.
    #[derive(Network)]
    struct Stacked(Mlp<f64>, Sigmoid);

    #[test]
    fn networks_nest() {
        let mut net = Stacked(mlp::<f64>(2), Sigmoid);
        let x = Batch::<4, f64>::zeros(1);
        let y: Batch<2, f64> = net.predict(&x);
        assert!(y.as_slice().iter().all(|v| (0.0..1.0).contains(v)));
        assert_eq!(net.summary().rows[0].params, 51);
        assert!(
            gradcheck::check_layer(
                &mut net,
                &Batch::from_fn(3, |i, j| (i + j) as f64 * 0.2),
                1e-6,
                1
            )
            .unwrap()
            .max_error()
                < 1e-7
        );
    }

    #[test]
    fn summary_prints_a_table_with_totals() {
        let s = Summary {
            name: "Tiny",
            input: Shape::flat(3),
            rows: vec![
                SummaryRow {
                    field: "d1",
                    ty: "Dense<3, 2>".into(),
                    output: Shape::flat(2),
                    params: 8,
                },
                SummaryRow {
                    field: "r1",
                    ty: "Relu".into(),
                    output: Shape::flat(2),
                    params: 0,
                },
            ],
        };
        let text = s.to_string();
        assert!(text.starts_with("Model: \"Tiny\"  (input 3 × m)"), "{text}");
        assert!(
            text.contains("d1 (Dense<3, 2>)  2 × m                  8"),
            "{text}"
        );
        assert!(text.ends_with("Total params: 8"), "{text}");
    }

    /// A small convolutional network in f64, to gradient-check conv, pool and flatten
    /// through the derived chain.
    #[derive(Network)]
    #[network(input = (2, 6, 6))]
    struct SmallCnn {
        c1: Conv2d<2, 3, 3, 1, 1, f64>,
        a1: Tanh,
        p1: MaxPool2d<2>,
        c2: Conv2d<3, 2, 2, 1, 0, f64>,
        p2: AvgPool2d<2>,
        flat: Flatten,
        out: Dense<2, 2, f64>,
    }

    #[test]
    fn derived_cnn_backward_passes_gradcheck() {
        let mut rng = StdRng::seed_from_u64(8);
        let mut net = SmallCnn {
            c1: Conv2d::new(Init::He, &mut rng),
            a1: Tanh,
            p1: MaxPool2d,
            c2: Conv2d::new(Init::He, &mut rng),
            p2: AvgPool2d,
            flat: Flatten,
            out: Dense::new(Init::Glorot, &mut rng),
        };
        let x = Images::<2, 6, 6, f64>::from_fn(3, |c, h, w, j| {
            (((c * 6 + h) * 6 + w) * 53 + j * 31) as f64 % 89.0 / 40.0 - 1.0
        });
        let report = gradcheck::check_layer(&mut net, &x, 1e-6, 5).unwrap();
        assert_eq!(report.num_params, 2 * 3 * 9 + 3 + 3 * 2 * 4 + 2 + 2 * 2 + 2);
        assert!(report.max_error() < 1e-7, "{report}");
        let shapes: Vec<Shape> = net.summary().rows.iter().map(|r| r.output).collect();
        assert_eq!(shapes[4], Shape::image(2, 1, 1));
        assert_eq!(shapes[6], Shape::flat(2));
    }
}
