//! Training health (course 2's vanishing and exploding gradients, made visible): inputs that
//! must be finite before training starts, parameters that must stay finite after every
//! update, and an optional per-layer report of gradient norms with a warning for layers whose
//! gradient stays exactly zero for a whole epoch (dead ReLUs).
//!
//! The checks of a training step allocate nothing: the finiteness pass counts tensors and
//! only a failure walks the model again to build the tensor's name.

use num_traits::Float;

use super::Classify;
use crate::error::Divergence;
use crate::layer::{BufferRef, ParamRef, Params, VisitorRef, param_paths};
use crate::tensor::Tensor;
use crate::{Error, Result, Scalar};

/// Whether every value of `v` is finite: a branch-free `&` over blocks of 16 (which the
/// compiler vectorizes), stopping at the first block with a NaN or an infinity.
fn all_finite<T: Scalar>(v: &[T]) -> bool {
    let mut blocks = v.chunks_exact(16);
    for block in &mut blocks {
        if !block.iter().fold(true, |ok, x| ok & x.is_finite()) {
            return false;
        }
    }
    blocks.remainder().iter().all(|x| x.is_finite())
}

/// The first non-finite value of `x` as [`Error::NonFiniteInput`] naming `what`, the sample
/// and the feature (the layout is features × samples, [`Tensor`]'s contract).
pub(super) fn check_inputs<X: Tensor>(what: &str, x: &X) -> Result<()> {
    let values = x.as_slice();
    if all_finite(values) {
        return Ok(());
    }
    let m = x.batch_size().max(1);
    let (k, v) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !v.is_finite())
        .map_or((0, f64::NAN), |(k, v)| (k, v.as_f64()));
    Err(Error::NonFiniteInput {
        what: what.into(),
        sample: k % m,
        feature: k / m,
        value: v,
    })
}

/// Both halves of a data set (the labels are checked too: a NaN label is a NaN cost).
pub(super) fn check_set<X: Tensor, Y: Classify>(what: &str, x: &X, y: &Y) -> Result<()> {
    check_inputs(what, x)?;
    check_inputs(&format!("{what} labels"), y)
}

/// Finds the first tensor (parameters and buffers, in visiting order) holding a non-finite
/// value: `(tensor ordinal, entry, value)`.
struct FirstNonFinite {
    seen: usize,
    found: Option<(usize, usize, f64)>,
}

impl FirstNonFinite {
    fn look<T: Scalar>(&mut self, values: &[T]) {
        if self.found.is_none() && !all_finite(values) {
            let (i, v) = values
                .iter()
                .enumerate()
                .find(|(_, v)| !v.is_finite())
                .map_or((0, f64::NAN), |(i, v)| (i, v.as_f64()));
            self.found = Some((self.seen, i, v));
        }
        self.seen += 1;
    }
}

impl<T: Scalar> VisitorRef<T> for FirstNonFinite {
    fn param(&mut self, p: ParamRef<'_, T>) {
        self.look(p.value);
    }
    fn buffer(&mut self, b: BufferRef<'_, T>) {
        self.look(b.value);
    }
}

/// The full dotted name of tensor number `ordinal` (parameters and buffers in visiting
/// order).
fn tensor_name<T>(model: &dyn Params<T>, ordinal: usize) -> String {
    struct Names {
        scope: Vec<&'static str>,
        out: Vec<String>,
    }
    impl Names {
        fn push(&mut self, name: &str) {
            let mut full = self.scope.join(".");
            if !full.is_empty() {
                full.push('.');
            }
            full.push_str(name);
            self.out.push(full);
        }
    }
    impl<T> VisitorRef<T> for Names {
        fn param(&mut self, p: ParamRef<'_, T>) {
            self.push(p.name);
        }
        fn buffer(&mut self, b: BufferRef<'_, T>) {
            self.push(b.name);
        }
        fn enter(&mut self, scope: &'static str) {
            self.scope.push(scope);
        }
        fn leave(&mut self) {
            let _ = self.scope.pop();
        }
    }
    let mut names = Names {
        scope: Vec::new(),
        out: Vec::new(),
    };
    model.visit_ref(&mut names);
    names
        .out
        .swap_remove(ordinal.min(names.out.len().saturating_sub(1)))
}

/// `None` when every parameter and buffer of `model` is finite, else the first that is not.
pub(super) fn non_finite_tensor<T: Scalar>(model: &dyn Params<T>) -> Option<Divergence> {
    let mut finder = FirstNonFinite {
        seen: 0,
        found: None,
    };
    model.visit_ref(&mut finder);
    let (ordinal, index, value) = finder.found?;
    Some(Divergence::Tensor {
        name: tensor_name(model, ordinal),
        index,
        value,
    })
}

/// The gradient of one layer over an epoch ([`FitConfig::gradient_norms`](super::FitConfig)).
#[derive(Clone, Debug, PartialEq)]
pub struct LayerGradient {
    /// The layer's field path (`c1`, `base.d1`); `(model)` for a bare layer's parameters.
    pub layer: String,
    /// The mean over the epoch's steps of `‖g‖₂`, the L2 norm of all the layer's parameter
    /// gradients together, as backward left them (before regularization and clipping).
    pub mean_norm: f64,
    /// The largest of those norms.
    pub max_norm: f64,
    /// Every entry of the layer's gradient was exactly 0 at every step of the epoch: the
    /// layer did not learn (e.g. all its ReLUs were inactive on every sample).
    pub dead: bool,
}

/// Per-layer gradient norms accumulated over an epoch. The buffers are sized once; a step
/// allocates nothing.
pub(super) struct GradientMonitor {
    layers: Vec<String>,
    /// Layer index of each parameter tensor, in visiting order.
    layer_of: Vec<usize>,
    step_sq: Vec<f64>,
    sum: Vec<f64>,
    max: Vec<f64>,
    nonzero: Vec<bool>,
    steps: usize,
}

impl GradientMonitor {
    pub(super) fn new<T>(model: &dyn Params<T>) -> Self {
        let (mut layers, mut layer_of) = (Vec::<String>::new(), Vec::new());
        for path in param_paths(model) {
            let name = match path[..path.len() - 1].join(".") {
                n if n.is_empty() => "(model)".to_string(),
                n => n,
            };
            if layers.last() != Some(&name) {
                layers.push(name);
            }
            layer_of.push(layers.len() - 1);
        }
        let n = layers.len();
        Self {
            layers,
            layer_of,
            step_sq: vec![0.0; n],
            sum: vec![0.0; n],
            max: vec![0.0; n],
            nonzero: vec![false; n],
            steps: 0,
        }
    }

    /// Adds the gradients backward just left.
    pub(super) fn record<T: Scalar>(&mut self, model: &dyn Params<T>) {
        self.step_sq.fill(0.0);
        let mut k = 0;
        model.visit_ref(&mut |p: ParamRef<'_, T>| {
            let layer = self.layer_of.get(k).copied().unwrap_or(0);
            k += 1;
            let sq: f64 = p.grad.iter().map(|g| g.as_f64() * g.as_f64()).sum();
            self.step_sq[layer] += sq;
            self.nonzero[layer] |= p.grad.iter().any(|g| *g != T::zero());
        });
        for ((sq, sum), max) in self.step_sq.iter().zip(&mut self.sum).zip(&mut self.max) {
            let norm = sq.sqrt();
            *sum += norm;
            *max = max.max(norm);
        }
        self.steps += 1;
    }

    /// The epoch's figures, and a fresh start for the next epoch.
    pub(super) fn finish_epoch(&mut self) -> Vec<LayerGradient> {
        let steps = self.steps.max(1) as f64;
        let out = (self.layers.iter().enumerate())
            .map(|(i, layer)| LayerGradient {
                layer: layer.clone(),
                mean_norm: self.sum[i] / steps,
                max_norm: self.max[i],
                dead: self.steps > 0 && !self.nonzero[i],
            })
            .collect();
        self.sum.fill(0.0);
        self.max.fill(0.0);
        self.nonzero.fill(false);
        self.steps = 0;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::{BatchNorm, Dense};
    use crate::tensor::{Batch, Matrix, Vector};

    #[derive(crate::Network)]
    struct Two {
        d1: Dense<2, 3, f64>,
        bn: BatchNorm<3, f64>,
        d2: Dense<3, 1, f64>,
    }

    fn two() -> Two {
        Two {
            d1: Dense::zeros(),
            bn: BatchNorm::new(),
            d2: Dense::zeros(),
        }
    }

    #[test]
    fn the_first_non_finite_input_is_named_by_sample_and_feature() {
        // 3 features × 4 samples; value (feature 2, sample 1) sits at 2·4 + 1 = 9.
        let mut x = Batch::<3, f64>::zeros(4);
        x.as_mut_slice()[9] = f64::NAN;
        x.as_mut_slice()[11] = f64::INFINITY; // later in the layout: not the one reported
        let err = check_inputs("training set", &x).unwrap_err();
        assert_eq!(
            err.to_string(),
            "training set: feature 2 of sample 1 is NaN (0-based indices)"
        );
        assert!(check_inputs("x", &Batch::<3, f64>::zeros(40)).is_ok());
    }

    #[test]
    fn a_non_finite_parameter_or_buffer_is_named_in_full() {
        let mut net = two();
        assert_eq!(non_finite_tensor(&net), None);
        net.bn.running_var.as_mut_slice()[1] = f64::INFINITY;
        net.d2.w = Matrix::from_rows([[0.0, f64::NAN, 1.0]]);
        // Visiting order: d1.weight, d1.bias, bn.weight, bn.bias, bn.running_mean,
        // bn.running_var, d2.weight, …: the buffer comes first.
        let want = Divergence::Tensor {
            name: "bn.running_var".into(),
            index: 1,
            value: f64::INFINITY,
        };
        assert_eq!(non_finite_tensor(&net), Some(want));
        net.bn.running_var = Vector::from_rows([[1.0], [1.0], [1.0]]);
        let got = non_finite_tensor(&net).unwrap().to_string();
        assert_eq!(got, "`d2.weight` became NaN (entry 1)");
    }

    #[test]
    fn long_tensors_are_checked_past_the_blocks_of_16() {
        let mut v = vec![0.5f32; 37]; // two blocks of 16 and a remainder of 5
        assert!(all_finite(&v));
        v[20] = f32::NEG_INFINITY;
        assert!(!all_finite(&v));
        v[20] = 0.0;
        v[36] = f32::NAN;
        assert!(!all_finite(&v));
    }

    #[test]
    fn gradient_norms_are_per_layer_and_a_zero_layer_is_dead() {
        let mut net = two();
        let mut monitor = GradientMonitor::new(&net);
        // Step 1: d1's gradient (3, 4) in dW, 0 in db → ‖g‖ = 5; step 2: ‖g‖ = 1.
        net.d1.dw = Matrix::from_rows([[3.0, 4.0], [0.0, 0.0], [0.0, 0.0]]);
        net.bn.dgamma = Vector::from_rows([[1.0], [0.0], [0.0]]);
        monitor.record(&net);
        net.d1.dw = Matrix::from_rows([[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]);
        monitor.record(&net);
        let epoch = monitor.finish_epoch();
        let names: Vec<&str> = epoch.iter().map(|g| g.layer.as_str()).collect();
        assert_eq!(names, ["d1", "bn", "d2"]);
        assert_eq!((epoch[0].mean_norm, epoch[0].max_norm), (3.0, 5.0));
        assert!(!epoch[0].dead && !epoch[1].dead);
        assert!(epoch[2].dead, "d2's gradient was 0 at both steps");
        // The next epoch starts from zero.
        let d = Dense::<1, 1, f64>::zeros();
        let mut bare = GradientMonitor::new(&d);
        assert_eq!(bare.finish_epoch()[0].layer, "(model)");
    }
}
