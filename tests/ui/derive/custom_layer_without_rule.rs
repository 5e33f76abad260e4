// A layer of one's own used in a derived network before its shape rule was written: the
// compiler names the missing `Describe` on the field.
use constnn::prelude::*;

/// `y = 2x`.
#[derive(Clone, Debug, Default, Params)]
struct Twice;

impl<X: constnn::tensor::Tensor> Layer<X> for Twice {
    type Output = X;
    type Cache = ();
    fn forward(&mut self, x: &X, y: &mut X, c: &mut ()) -> constnn::Result<()> {
        self.infer(x, y, c);
        Ok(())
    }
    fn infer(&self, x: &X, y: &mut X, _: &mut ()) {
        *y = x.clone();
        y.as_mut_slice().iter_mut().for_each(|v| *v = *v + *v);
    }
    fn backward(&mut self, _: &X, _: &X, _: &mut (), dy: &X, dx: Option<&mut X>) {
        if let Some(dx) = dx {
            *dx = dy.clone();
            dx.as_mut_slice().iter_mut().for_each(|v| *v = *v + *v);
        }
    }
}

#[derive(Network)]
struct Net {
    d1: Dense<4, 3>,
    twice: Twice,
    out: Dense<3, 1>,
}

fn main() {}
