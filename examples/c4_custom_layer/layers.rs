//! Two layers written outside constnn, with its public API only (the layer module's guide,
//! "Writing your own layer"): a learned gain per channel and a global average pool that takes
//! images of any height and width. Used by `examples/c4_custom_layer/main.rs` and by the
//! outside-user test `tests/custom_layer.rs`.

use constnn::prelude::*;
use constnn::shape::{Describe, Rule};
use constnn::tensor::Tensor;

/// `y[c, h, w] = g[c]·x[c, h, w]`: one learned gain per channel (starts at 1).
///
/// Backward: `dg[c] = (1/m)·Σ dy[c, ·]·x[c, ·]` over the batch and the positions,
/// `dx = g[c]·dy`.
#[derive(Clone, Debug, Params)]
pub struct Scale<const C: usize, T = f32> {
    /// `g`, one per channel.
    #[param(grad = dg, name = "gain", shape = [C])]
    pub g: Vector<C, T>,
    /// `dg` from the latest backward.
    pub dg: Vector<C, T>,
}

impl<const C: usize, T: Scalar> Build for Scale<C, T> {
    /// Gains of 1 (the identity) whatever the initialization.
    fn build(_: Init, _: &mut StdRng) -> Self {
        Self {
            g: Vector::from_fn(|_, _| T::one()),
            dg: Vector::zeros(),
        }
    }
}

impl<const C: usize, T> Describe for Scale<C, T> {
    /// `C`-channel images of any size, unchanged in shape.
    const RULE: Rule = Rule::images().channels(C);
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Layer<Images<C, H, W, T>>
    for Scale<C, T>
{
    type Output = Images<C, H, W, T>;
    type Cache = ();

    fn forward(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Self::Output,
        c: &mut (),
    ) -> constnn::Result<()> {
        self.infer(x, y, c);
        Ok(())
    }

    fn infer(&self, x: &Images<C, H, W, T>, y: &mut Self::Output, _: &mut ()) {
        y.set_batch_size(x.batch_size());
        let group = H * W * x.batch_size(); // channel c is one run of H·W·m values
        let runs = y.as_mut_slice().chunks_mut(group.max(1));
        for (ch, (out, xs)) in runs.zip(x.as_slice().chunks(group.max(1))).enumerate() {
            let g = self.g[(ch, 0)];
            out.iter_mut().zip(xs).for_each(|(o, &v)| *o = g * v);
        }
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _: &Self::Output,
        _: &mut (),
        dy: &Self::Output,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let m = x.batch_size();
        let group = (H * W * m).max(1);
        let inv_m = T::one() / T::of(m.max(1) as f64);
        for (ch, (d, xs)) in dy
            .as_slice()
            .chunks(group)
            .zip(x.as_slice().chunks(group))
            .enumerate()
        {
            self.dg[(ch, 0)] = d.iter().zip(xs).map(|(&d, &v)| d * v).sum::<T>() * inv_m;
        }
        if let Some(dx) = dx {
            dx.set_batch_size(m);
            for (ch, (o, d)) in dx
                .as_mut_slice()
                .chunks_mut(group)
                .zip(dy.as_slice().chunks(group))
                .enumerate()
            {
                let g = self.g[(ch, 0)];
                o.iter_mut().zip(d).for_each(|(o, &d)| *o = g * d);
            }
        }
    }
}

/// Global average pooling: `C × H × W` images (any `H`, `W`) to `C` features, each the mean
/// of its channel. No parameters. Backward spreads `dy[c] / (H·W)` over the channel.
#[derive(Clone, Copy, Debug, Default, Params)]
pub struct GlobalAvgPool<const C: usize>;

impl<const C: usize> Build for GlobalAvgPool<C> {
    fn build(_: Init, _: &mut StdRng) -> Self {
        Self
    }
}

impl<const C: usize> Describe for GlobalAvgPool<C> {
    /// `C`-channel images of any size to `C` features.
    const RULE: Rule = Rule::images().channels(C).reduce(1);
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Layer<Images<C, H, W, T>>
    for GlobalAvgPool<C>
{
    type Output = Batch<C, T>;
    type Cache = ();

    fn forward(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Batch<C, T>,
        c: &mut (),
    ) -> constnn::Result<()> {
        self.infer(x, y, c);
        Ok(())
    }

    fn infer(&self, x: &Images<C, H, W, T>, y: &mut Batch<C, T>, _: &mut ()) {
        let m = x.batch_size();
        y.set_batch_size(m);
        let inv = T::one() / T::of((H * W) as f64);
        let out = y.as_mut_slice();
        out.fill(T::zero());
        // x holds C·H·W rows of m values: row (c, h, w) adds into row c of y.
        for (row, xs) in x.as_slice().chunks(m.max(1)).enumerate() {
            let c = row / (H * W);
            for (o, &v) in out[c * m..][..m].iter_mut().zip(xs) {
                *o = *o + v * inv;
            }
        }
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _: &Batch<C, T>,
        _: &mut (),
        dy: &Batch<C, T>,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let Some(dx) = dx else { return };
        let m = x.batch_size();
        dx.set_batch_size(m);
        let inv = T::one() / T::of((H * W) as f64);
        for (row, o) in dx.as_mut_slice().chunks_mut(m.max(1)).enumerate() {
            let c = row / (H * W);
            o.iter_mut().zip(dy.row(c)).for_each(|(o, &d)| *o = d * inv);
        }
    }
}
