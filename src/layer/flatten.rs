//! Flatten (course 4): an image `C × H × W` becomes `C·H·W` features, in `(c, h, w)` order
//! (PyTorch's `flatten` order). With constnn's layout (features × batch) this is a copy;
//! backward copies the gradient back.

use super::{Layer, Mode, Params};
use crate::Scalar;
use crate::shape::{Describe, LayerInfo, Message, Rule, Shape};
use crate::tensor::{Batch, Images, Tensor};

/// `Images<C, H, W>` → `Batch<{C·H·W}>`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flatten;

impl<const C: usize, const H: usize, const W: usize, const N: usize, T: Scalar>
    Layer<Images<C, H, W, T>, Batch<N, T>> for Flatten
{
    type Cache = ();

    fn forward<M: Mode>(&mut self, x: &Images<C, H, W, T>, y: &mut Batch<N, T>, _: &mut ()) {
        const {
            if N != C * H * W {
                let msg = Message::new()
                    .str("Flatten of a ")
                    .shape(Shape::image(C, H, W))
                    .str(" gives ");
                panic!(
                    "{}",
                    msg.num(C * H * W)
                        .str(" features (C·H·W), not the ")
                        .num(N)
                        .str(" annotated")
                        .as_str()
                );
            }
        }
        y.set_batch_size(x.batch_size());
        y.as_mut_slice().copy_from_slice(x.as_slice());
    }

    fn backward(
        &mut self,
        _x: &Images<C, H, W, T>,
        _y: &Batch<N, T>,
        _: &mut (),
        dy: &Batch<N, T>,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        if let Some(dx) = dx {
            dx.set_batch_size(dy.batch_size());
            dx.as_mut_slice().copy_from_slice(dy.as_slice());
        }
    }
}

impl Describe for Flatten {
    const INFO: LayerInfo = LayerInfo {
        rule: Rule::Flatten,
        params: 0,
    };
}
impl<T> Params<T> for Flatten {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;

    #[test]
    fn features_are_in_channel_row_column_order() {
        let x = Images::<2, 2, 2, f64>::from_fn(2, |c, h, w, j| {
            (c * 4 + h * 2 + w) as f64 + 10.0 * j as f64
        });
        let y: Batch<8, f64> = Flatten.predict(&x);
        assert_eq!(y.column(1), (10..18).map(f64::from).collect::<Vec<_>>());
        let r = gradcheck::check_layer::<f64, _, Batch<8, f64>, _>(&mut Flatten, &x, 1e-6, 1);
        assert!(r.max_error() < 1e-7, "{r}");
    }
}
