//! Frozen layers (course 3, transfer learning): an optimizer that leaves chosen layers alone.
//!
//! After loading a pre-trained network's lower layers
//! ([`checkpoint::load_layers`](crate::checkpoint::load_layers)), the notes retrain only the
//! new output layer `W[L]`, `b[L]` when the new data set is small, or the last few layers
//! when it is larger. [`Frozen`] wraps any optimizer and hides the frozen layers' parameters
//! from it: they get no update (no weight decay either), and the optimizer keeps no state for
//! them. Layers are named by their field paths as in checkpoints (`c1`, `base.c1`; a full
//! tensor name such as `out.bias` works too).
//!
//! Backward still computes the frozen layers' gradients (they are needed for nothing but
//! cost the same time), and `FitConfig::clip` with [`Clip::Norm`](super::Clip::Norm)
//! measures the norm over every gradient, frozen ones included; batch-norm layers keep
//! updating their running statistics in training forwards even when frozen.
//!
//! ```
//! use constnn::models::LeNet5;
//! use constnn::layer::Param;
//! use constnn::optim::{Frozen, Optimizer, Sgd};
//! use constnn::prelude::*;
//!
//! let mut net = LeNet5::new(0);
//! // Train only the head: everything but `out` is frozen.
//! let mut opt = Frozen::all_except(Sgd::new(0.1)?, &net, &["out"])?;
//! let c1_before = net.c1.w.clone();
//! net.visit(&mut |p: Param<'_, f32>| p.grad.fill(1.0)); // pretend a backward ran
//! opt.step(&mut net);
//! assert_eq!(net.c1.w, c1_before);            // frozen: bit-identical
//! assert_eq!(net.out.b[(0, 0)], -0.1);        // trained: b := b − α·1
//!
//! let err = Frozen::new(Sgd::new(0.1)?, &net, &["c3"]).unwrap_err();
//! assert!(err.to_string().starts_with("no layer `c3` with parameters"));
//! # Ok::<(), constnn::Error>(())
//! ```

use core::cell::RefCell;

use super::{Optimizer, Snapshot};
use crate::layer::{
    Buffer, BufferRef, Param, ParamCount, ParamRef, Params, Scope, Visitor, VisitorRef,
};
use crate::{Error, Result, Scalar};

/// Which layers a [`Frozen`] optimizer skips.
#[derive(Clone, Debug, PartialEq)]
enum Rule {
    /// These layers are frozen, the rest trained.
    Freeze(Vec<Vec<String>>),
    /// Only these layers are trained.
    TrainOnly(Vec<Vec<String>>),
}

/// `inner`, stepping every parameter except those of the frozen layers.
#[derive(Clone, Debug)]
pub struct Frozen<O> {
    inner: O,
    rule: Rule,
    /// The field path during a walk, kept between steps so a step does not allocate.
    scope: Scope,
}

impl<O> Frozen<O> {
    /// Freezes `layers` of `model` (field paths such as `"c1"`, `"base.c1"`); `inner`
    /// updates every other parameter.
    ///
    /// # Errors
    /// [`Error::UnknownLayer`] when a name matches no parameter of `model` (a typo, or a layer
    /// without parameters such as a ReLU), naming the layers that have some.
    pub fn new<T>(inner: O, model: &dyn Params<T>, layers: &[&str]) -> Result<Self> {
        Ok(Self::with(inner, Rule::Freeze(resolve(model, layers)?)))
    }

    /// Freezes every layer of `model` except `trainable`, e.g. `&["out"]` to retrain only the
    /// output layer `W[L]`, `b[L]`.
    ///
    /// # Errors
    /// [`Error::UnknownLayer`] as for [`Frozen::new`].
    pub fn all_except<T>(inner: O, model: &dyn Params<T>, trainable: &[&str]) -> Result<Self> {
        Ok(Self::with(
            inner,
            Rule::TrainOnly(resolve(model, trainable)?),
        ))
    }

    fn with(inner: O, rule: Rule) -> Self {
        Self {
            inner,
            rule,
            scope: Scope::default(),
        }
    }

    /// The wrapped optimizer.
    pub fn inner(&self) -> &O {
        &self.inner
    }

    /// The wrapped optimizer, mutably (e.g. to change its settings).
    pub fn inner_mut(&mut self) -> &mut O {
        &mut self.inner
    }
}

/// Splits `names` into field paths, each matching some parameter of `model`.
fn resolve<T>(model: &dyn Params<T>, names: &[&str]) -> Result<Vec<Vec<String>>> {
    let paths = crate::layer::param_paths(model);
    names
        .iter()
        .map(|name| {
            let prefix: Vec<String> = name.split('.').map(str::to_string).collect();
            if paths.iter().any(|p| p.starts_with(&prefix)) {
                Ok(prefix)
            } else {
                Err(Error::UnknownLayer {
                    name: (*name).to_string(),
                    known: crate::layer::layer_names(model),
                })
            }
        })
        .collect()
}

impl Rule {
    /// Whether the parameter at `scope` + `local` is trained.
    fn trains(&self, scope: &[&str], local: &str) -> bool {
        let under = |prefixes: &[Vec<String>]| {
            prefixes
                .iter()
                .any(|p| crate::layer::path_has_prefix(scope, local, p))
        };
        match self {
            Rule::Freeze(p) => !under(p),
            Rule::TrainOnly(p) => under(p),
        }
    }
}

impl<T: Scalar, O: Optimizer<T>> Optimizer<T> for Frozen<O> {
    fn step(&mut self, model: &mut dyn Params<T>) {
        let mut scope = core::mem::take(&mut self.scope);
        scope.clear();
        let mut view = View {
            model,
            rule: &self.rule,
            scope: RefCell::new(scope),
        };
        self.inner.step(&mut view);
        self.scope = view.scope.into_inner();
    }
    fn learning_rate(&self) -> f64 {
        self.inner.learning_rate()
    }
    fn set_learning_rate(&mut self, lr: f64) {
        self.inner.set_learning_rate(lr);
    }
    fn snapshot(&self) -> Snapshot<T> {
        self.inner.snapshot()
    }
    fn restore(&mut self, snapshot: Snapshot<T>) -> Result<()> {
        self.inner.restore(snapshot)
    }
    fn updates(&self, path: &[&str]) -> bool {
        match path.split_last() {
            Some((local, scope)) => self.rule.trains(scope, local) && self.inner.updates(path),
            None => false,
        }
    }
}

/// `model` with the frozen parameters hidden.
struct View<'a, T> {
    model: &'a mut dyn Params<T>,
    rule: &'a Rule,
    /// In a `RefCell` because `visit_ref` walks through `&self` too.
    scope: RefCell<Scope>,
}

/// Forwards the trained parameters of a walk to `v`.
struct Filter<'a, V: ?Sized> {
    v: &'a mut V,
    rule: &'a Rule,
    scope: &'a mut Scope,
}

impl<T> ParamCount for View<'_, T> {
    fn num_params(&self) -> usize {
        let mut n = 0;
        self.visit_ref(&mut |p: ParamRef<'_, T>| n += p.value.len());
        n
    }
}

impl<T> Params<T> for View<'_, T> {
    fn visit(&mut self, v: &mut dyn Visitor<T>) {
        let (rule, scope) = (self.rule, self.scope.get_mut());
        self.model.visit(&mut Filter { v, rule, scope });
    }
    fn visit_ref(&self, v: &mut dyn VisitorRef<T>) {
        let (rule, mut scope) = (self.rule, self.scope.borrow_mut());
        self.model.visit_ref(&mut Filter {
            v,
            rule,
            scope: &mut scope,
        });
    }
}

impl<T> Visitor<T> for Filter<'_, dyn Visitor<T> + '_> {
    fn param(&mut self, p: Param<'_, T>) {
        if self.rule.trains(self.scope.fields(), p.name) {
            self.v.param(p);
        }
    }
    fn buffer(&mut self, b: Buffer<'_, T>) {
        self.v.buffer(b);
    }
    fn enter(&mut self, scope: &'static str) {
        self.scope.enter(scope);
        self.v.enter(scope);
    }
    fn leave(&mut self) {
        self.scope.leave();
        self.v.leave();
    }
}

impl<T> VisitorRef<T> for Filter<'_, dyn VisitorRef<T> + '_> {
    fn param(&mut self, p: ParamRef<'_, T>) {
        if self.rule.trains(self.scope.fields(), p.name) {
            self.v.param(p);
        }
    }
    fn buffer(&mut self, b: BufferRef<'_, T>) {
        self.v.buffer(b);
    }
    fn enter(&mut self, scope: &'static str) {
        self.scope.enter(scope);
        self.v.enter(scope);
    }
    fn leave(&mut self) {
        self.scope.leave();
        self.v.leave();
    }
}
