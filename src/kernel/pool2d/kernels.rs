//! The f32 pooling bodies as kernels of `kernel::dispatch`: each compiled for the ISA the
//! caller chose, with the reference loops as the scalar path of backward and of average
//! pooling (see the module doc of `pool2d`).

use super::PoolDims;
use super::reference::{
    avg_backward_reference, avg_forward_reference, max_backward_reference, max_forward_reference,
};
use super::rows::max_rows_body;
use super::simd::{avg_backward_body, avg_forward_body, max_backward_body, max_forward_body};
use crate::kernel::dispatch::{Simd, WithSimd};
use crate::kernel::isa::Isa;

/// One pooling call on one share of the channels (`c0` is the share's first channel).
pub(super) enum Pool<'a> {
    /// Max forward, with the argmax when given.
    Max(
        PoolDims,
        usize,
        &'a [f32],
        &'a mut [f32],
        Option<&'a mut [u32]>,
    ),
    /// Max forward without the argmax, by rows (`rows`).
    MaxRows(PoolDims, &'a [f32], &'a mut [f32]),
    /// Max backward from `dY` and the argmax.
    MaxBack(PoolDims, usize, &'a [f32], &'a [u32], &'a mut [f32]),
    /// Average forward with `1/f²`.
    Avg(PoolDims, f32, &'a [f32], &'a mut [f32]),
    /// Average backward with `1/f²`.
    AvgBack(PoolDims, f32, &'a [f32], &'a mut [f32]),
    /// The previous kernel: the reference loops compiled for the ISA (auto-vectorized).
    Autovec(PoolDims, &'a [f32], &'a mut [f32], &'a mut [u32]),
}

impl WithSimd for Pool<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let simd = S::ISA != Isa::Scalar;
        match self {
            Pool::Max(d, c0, x, y, Some(a)) => max_forward_body::<S::F32, true>(d, x, y, a, c0),
            Pool::Max(d, c0, x, y, None) => max_forward_body::<S::F32, false>(d, x, y, &mut [], c0),
            Pool::MaxRows(d, x, y) => max_rows_body::<S::F32>(d, x, y),
            Pool::MaxBack(d, c0, dy, arg, dx) if simd => {
                max_backward_body::<S::F32>(d, dy, arg, dx, c0)
            }
            Pool::MaxBack(d, _, dy, arg, dx) => max_backward_reference(d, 0.0, dy, arg, dx),
            Pool::Avg(d, inv, x, y) if simd => avg_forward_body::<S::F32>(d, inv, x, y),
            Pool::Avg(d, inv, x, y) => avg_forward_reference(d, inv, x, y),
            Pool::AvgBack(d, inv, dy, dx) if simd => avg_backward_body::<S::F32>(d, inv, dy, dx),
            Pool::AvgBack(d, inv, dy, dx) => avg_backward_reference(d, inv, dy, dx),
            Pool::Autovec(d, x, y, arg) => max_forward_reference(d, x, y, arg),
        }
    }
}
