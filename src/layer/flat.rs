//! Flat copies of a model's gradients, values and buffers, in visiting order, into and out of
//! slices the caller allocated once: what data-parallel training ([`crate::train::DataParallel`])
//! moves between replicas at every step without allocating. [`Params::values_to_vec`] and
//! [`Params::set_values_from`] are the allocating and the non-allocating halves for values.

use super::params::{Buffer, BufferRef, Param, ParamRef, Params, Visitor, VisitorRef};

/// Walks the buffers only (parameters are skipped).
struct Buffers<F>(F);

impl<T, F: FnMut(&mut [T])> Visitor<T> for Buffers<F> {
    fn param(&mut self, _: Param<'_, T>) {}
    fn buffer(&mut self, b: Buffer<'_, T>) {
        (self.0)(b.value)
    }
}

impl<T, F: FnMut(&[T])> VisitorRef<T> for Buffers<F> {
    fn param(&mut self, _: ParamRef<'_, T>) {}
    fn buffer(&mut self, b: BufferRef<'_, T>) {
        (self.0)(b.value)
    }
}

/// The number of buffer values (batch norm's running statistics) of `model`.
pub(crate) fn buffer_len<T>(model: &dyn Params<T>) -> usize {
    let mut n = 0;
    model.visit_ref(&mut Buffers(|b: &[T]| n += b.len()));
    n
}

/// `flat ←` every gradient of `model`, in visiting order.
///
/// Panics when `flat` is shorter than the model's parameters (a caller's invariant).
pub(crate) fn grads_into<T: Copy>(model: &dyn Params<T>, flat: &mut [T]) {
    let mut at = 0;
    model.visit_ref(&mut |p: ParamRef<'_, T>| {
        flat[at..at + p.grad.len()].copy_from_slice(p.grad);
        at += p.grad.len();
    });
}

/// Every gradient of `model` `←` `flat`, in visiting order.
pub(crate) fn grads_from<T: Copy>(model: &mut dyn Params<T>, flat: &[T]) {
    let mut at = 0;
    model.visit(&mut |p: Param<'_, T>| {
        p.grad.copy_from_slice(&flat[at..at + p.grad.len()]);
        at += p.grad.len();
    });
}

/// `flat ←` every parameter value of `model`, in visiting order.
pub(crate) fn values_into<T: Copy>(model: &dyn Params<T>, flat: &mut [T]) {
    let mut at = 0;
    model.visit_ref(&mut |p: ParamRef<'_, T>| {
        flat[at..at + p.value.len()].copy_from_slice(p.value);
        at += p.value.len();
    });
}

/// `flat ←` every buffer of `model`, in visiting order.
pub(crate) fn buffers_into<T: Copy>(model: &dyn Params<T>, flat: &mut [T]) {
    let mut at = 0;
    model.visit_ref(&mut Buffers(|b: &[T]| {
        flat[at..at + b.len()].copy_from_slice(b);
        at += b.len();
    }));
}

/// Every buffer of `model` `←` `flat`, in visiting order.
pub(crate) fn buffers_from<T: Copy>(model: &mut dyn Params<T>, flat: &[T]) {
    let mut at = 0;
    model.visit(&mut Buffers(|b: &mut [T]| {
        b.copy_from_slice(&flat[at..at + b.len()]);
        at += b.len();
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::{BatchNorm, Dense, Layer, ParamCount};
    use crate::tensor::{Batch, Init};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[derive(crate::Network, Clone)]
    struct Net {
        d1: Dense<3, 4, f64>,
        bn: BatchNorm<4, f64>,
        d2: Dense<4, 2, f64>,
    }

    fn net(seed: u64) -> Net {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut n = Net {
            d1: Dense::new(Init::He, &mut rng),
            bn: BatchNorm::new(),
            d2: Dense::new(Init::Glorot, &mut rng),
        };
        // A training forward moves the running statistics and a backward fills the gradients.
        let x = Batch::<3, f64>::from_fn(5, |i, j| (i * 5 + j) as f64 * 0.1 * seed as f64);
        let (mut out, mut cache) = (Batch::default(), Default::default());
        n.forward(&x, &mut out, &mut cache).unwrap();
        let dout = out.clone();
        n.backward(&x, &out, &mut cache, &dout, None);
        n
    }

    #[test]
    fn flat_copies_round_trip_gradients_values_and_buffers() {
        let (a, mut b) = (net(1), net(2));
        let p = a.num_params();
        let nb = buffer_len(&a);
        assert_eq!(nb, 8, "running mean and variance of 4 features");
        let (mut g, mut v, mut buf) = (vec![0.0; p], vec![0.0; p], vec![0.0; nb]);
        grads_into(&a, &mut g);
        values_into(&a, &mut v);
        buffers_into(&a, &mut buf);
        assert_eq!(v, a.values_to_vec());
        assert!(g.iter().any(|&x| x != 0.0) && buf.iter().any(|&x| x != 0.0 && x != 1.0));
        grads_from(&mut b, &g);
        b.set_values_from(&v);
        buffers_from(&mut b, &buf);
        let (mut g2, mut buf2) = (vec![1.0; p], vec![1.0; nb]);
        grads_into(&b, &mut g2);
        buffers_into(&b, &mut buf2);
        assert_eq!((g2, b.values_to_vec(), buf2), (g, v, buf));
    }
}
