//! Optimizer state: `K` buffers per parameter tensor (`v_dW` for momentum, `s_dW` for RMSprop,
//! both for Adam), matched to the tensors by their position in the fixed visiting order of
//! [`Params`]. The buffers are allocated, zeroed, on the first step, so an optimizer can be
//! built before it sees the model.

use crate::Scalar;
use crate::layer::{Param, ParamRef, Params};

/// `K` zero-initialised buffers per parameter tensor, in visiting order.
#[derive(Clone, Debug)]
pub(crate) struct State<T, const K: usize> {
    /// One entry per tensor; empty until the first step.
    buffers: Vec<[Vec<T>; K]>,
    started: bool,
}

impl<T, const K: usize> Default for State<T, K> {
    fn default() -> Self {
        Self {
            buffers: Vec::new(),
            started: false,
        }
    }
}

impl<T: Scalar, const K: usize> State<T, K> {
    /// The buffers, `[tensor][slot]`, for a [`Snapshot`](super::Snapshot).
    pub(crate) fn to_vecs(&self) -> Vec<Vec<Vec<T>>> {
        self.buffers.iter().map(|b| b.to_vec()).collect()
    }

    /// Replaces the buffers by `tensors` (`[tensor][slot]`, `K` slots each, as checked by
    /// [`Snapshot::check`](super::Snapshot)); empty means "not started". The next step checks
    /// them against the model as it checks a first step's.
    pub(crate) fn set_vecs(&mut self, tensors: Vec<Vec<Vec<T>>>) {
        self.started = !tensors.is_empty();
        self.buffers = tensors
            .into_iter()
            .map(|slots| {
                let mut it = slots.into_iter();
                core::array::from_fn(|_| it.next().unwrap_or_default())
            })
            .collect();
    }

    /// Calls `update(param, buffers)` for every parameter tensor of `model` in visiting order,
    /// allocating the buffers on the first call.
    ///
    /// # Panics
    /// When `model` has a different number of parameter tensors, or a tensor a different size,
    /// than at the first step: the optimizer is being used on another model (`who` names the
    /// optimizer in the message). The check runs before any parameter is changed.
    pub(crate) fn for_each(
        &mut self,
        who: &str,
        model: &mut dyn Params<T>,
        mut update: impl FnMut(Param<'_, T>, &mut [Vec<T>; K]),
    ) {
        if self.started {
            self.check(who, model);
        } else {
            let buffers = &mut self.buffers;
            model.visit_ref(&mut |p: ParamRef<'_, T>| {
                buffers.push(core::array::from_fn(|_| vec![T::zero(); p.value.len()]))
            });
            self.started = true;
        }
        let mut i = 0;
        let buffers = &mut self.buffers;
        model.visit(&mut |p: Param<'_, T>| {
            update(p, &mut buffers[i]); // in range: `check` counted the tensors
            i += 1;
        });
    }

    fn check(&self, who: &str, model: &dyn Params<T>) {
        let mut i = 0;
        model.visit_ref(&mut |p: ParamRef<'_, T>| {
            let expected = self.buffers.get(i).map(|b| b[0].len());
            assert!(
                expected == Some(p.value.len()),
                "{who}: parameter tensor {i} (`{}`, {} entries) does not match the first step's \
                 model ({}); an optimizer's state belongs to one model",
                p.name,
                p.value.len(),
                expected.map_or("no such tensor".to_string(), |n| format!("{n} entries")),
            );
            i += 1;
        });
        assert!(
            i == self.buffers.len(),
            "{who}: the model's parameter tensor count {i} differs from the first step's {}; an \
             optimizer's state belongs to one model",
            self.buffers.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Free;

    fn free(n: usize) -> Free<f64> {
        Free {
            value: vec![0.0; n],
            grad: vec![1.0; n],
        }
    }

    #[test]
    fn buffers_are_zero_then_persist_between_steps() {
        let mut s = State::<f64, 2>::default();
        let mut seen = vec![];
        for _ in 0..2 {
            s.for_each("test", &mut free(3), |_, [a, b]| {
                seen.push((a.clone(), b.len()));
                a[0] += 1.0;
            });
        }
        assert_eq!(seen, [(vec![0.0; 3], 3), (vec![1.0, 0.0, 0.0], 3)]);
    }

    #[test]
    #[should_panic(expected = "parameter tensor 0 (`theta`, 4 entries) does not match")]
    fn a_resized_tensor_is_a_programming_error() {
        let mut s = State::<f64, 1>::default();
        s.for_each("test", &mut free(3), |_, _| {});
        s.for_each("test", &mut free(4), |_, _| {});
    }

    #[test]
    #[should_panic(expected = "parameter tensor count 1 differs from the first step's 2")]
    fn a_missing_tensor_is_a_programming_error() {
        struct Two(Free<f64>, Free<f64>);
        impl crate::layer::ParamCount for Two {
            fn num_params(&self) -> usize {
                6
            }
        }
        impl Params<f64> for Two {
            fn visit(&mut self, v: &mut dyn crate::layer::Visitor<f64>) {
                self.0.visit(v);
                self.1.visit(v);
            }
            fn visit_ref(&self, v: &mut dyn crate::layer::VisitorRef<f64>) {
                self.0.visit_ref(v);
                self.1.visit_ref(v);
            }
        }
        let mut s = State::<f64, 1>::default();
        s.for_each("test", &mut Two(free(3), free(3)), |_, _| {});
        s.for_each("test", &mut free(3), |_, _| {});
    }
}
