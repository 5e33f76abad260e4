//! Flatten (course 4): an image `C × H × W` becomes `C·H·W` features, in `(c, h, w)` order
//! (PyTorch's `flatten` order). With constnn's layout (features × batch) this is a copy;
//! backward copies the gradient back.

use super::{Build, Layer, Params};
use crate::Scalar;
use crate::shape::{Describe, Rule};
use crate::tensor::typed::Flattened;
use crate::tensor::{Images, Init, Tensor};

/// `Images<C, H, W>` → `Batch<{C·H·W}>`, the width computed by the compiler (up to
/// [`MAX_FEATURES`](crate::shape::MAX_FEATURES); beyond it, `tensor::reshape` by hand).
#[derive(Clone, Copy, Debug, Default, Params)]
pub struct Flatten;

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Layer<Images<C, H, W, T>>
    for Flatten
where
    Images<C, H, W, T>: Flattened<T>,
{
    type Output = <Images<C, H, W, T> as Flattened<T>>::Out;
    type Cache = ();

    fn forward(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Self::Output,
        c: &mut (),
    ) -> crate::Result<()> {
        self.infer(x, y, c);
        Ok(())
    }

    fn infer(&self, x: &Images<C, H, W, T>, y: &mut Self::Output, _: &mut ()) {
        y.set_batch_size(x.batch_size());
        y.as_mut_slice().copy_from_slice(x.as_slice());
    }

    fn backward(
        &mut self,
        _x: &Images<C, H, W, T>,
        _y: &Self::Output,
        _: &mut (),
        dy: &Self::Output,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        if let Some(dx) = dx {
            dx.set_batch_size(dy.batch_size());
            dx.as_mut_slice().copy_from_slice(dy.as_slice());
        }
    }
}

impl Describe for Flatten {
    const RULE: Rule = Rule::flatten();
}

impl Build for Flatten {
    fn build(_: Init, _: &mut rand::rngs::StdRng) -> Self {
        Self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::tensor::Batch;

    #[test]
    fn features_are_in_channel_row_column_order() {
        let x = Images::<2, 2, 2, f64>::from_fn(2, |c, h, w, j| {
            (c * 4 + h * 2 + w) as f64 + 10.0 * j as f64
        });
        let y: Batch<8, f64> = Flatten.predict(&x);
        assert_eq!(y.column(1), (10..18).map(f64::from).collect::<Vec<_>>());
        let r = gradcheck::check_layer(&mut Flatten, &x, 1e-6, 1).unwrap();
        assert!(r.max_error() < 1e-7, "{r}");
    }
}
