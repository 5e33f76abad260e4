//! The processes of one training job, for data-parallel training over several of them.
//!
//! [`fit`](super::fit) sums the gradients of its local workers, then asks its [`Collective`]
//! to sum them over the processes (an MPI all-reduce; nothing for [`Local`], the single
//! process), so that every process takes the same optimizer step. A step's figures (cost,
//! correct predictions) are summed the same way, and rank 0's initial parameters and buffers
//! are broadcast at the start. See `FitConfig::workers` for the local workers.

use crate::{Result, Scalar, ScalarSliceMut};

/// The processes of one training job (MPI ranks); [`Local`] is the single process.
pub(crate) trait Collective {
    /// This process's index, `0..size()`.
    fn rank(&self) -> usize;
    /// The number of processes.
    fn size(&self) -> usize;
    /// Sums `buf` element-wise over all processes; every process gets the same bits.
    fn sum_f32(&self, buf: &mut [f32]) -> Result<()>;
    /// Sums `buf` element-wise over all processes; every process gets the same bits.
    fn sum_f64(&self, buf: &mut [f64]) -> Result<()>;
    /// Copies rank 0's `buf` to every process.
    fn broadcast_f32(&self, buf: &mut [f32]) -> Result<()>;
    /// Copies rank 0's `buf` to every process.
    fn broadcast_f64(&self, buf: &mut [f64]) -> Result<()>;
}

/// The single process: rank 0 of 1, every method a no-op.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Local;

impl Collective for Local {
    fn rank(&self) -> usize {
        0
    }
    fn size(&self) -> usize {
        1
    }
    fn sum_f32(&self, _: &mut [f32]) -> Result<()> {
        Ok(())
    }
    fn sum_f64(&self, _: &mut [f64]) -> Result<()> {
        Ok(())
    }
    fn broadcast_f32(&self, _: &mut [f32]) -> Result<()> {
        Ok(())
    }
    fn broadcast_f64(&self, _: &mut [f64]) -> Result<()> {
        Ok(())
    }
}

/// [`Collective::sum_f32`] or [`Collective::sum_f64`], as `T` is.
pub(crate) fn sum<T: Scalar>(comm: &impl Collective, buf: &mut [T]) -> Result<()> {
    match T::slice_mut(buf) {
        ScalarSliceMut::F32(b) => comm.sum_f32(b),
        ScalarSliceMut::F64(b) => comm.sum_f64(b),
    }
}

/// [`Collective::broadcast_f32`] or [`Collective::broadcast_f64`], as `T` is.
pub(crate) fn broadcast<T: Scalar>(comm: &impl Collective, buf: &mut [T]) -> Result<()> {
    match T::slice_mut(buf) {
        ScalarSliceMut::F32(b) => comm.broadcast_f32(b),
        ScalarSliceMut::F64(b) => comm.broadcast_f64(b),
    }
}

/// The `i`-th of `parts` contiguous pieces of `0..len`, sizes differing by at most 1 (the
/// first `len mod parts` pieces one longer); empty when `parts > len` and `i ≥ len`.
pub(crate) fn shard(len: usize, parts: usize, i: usize) -> core::ops::Range<usize> {
    let (base, extra) = (len / parts, len % parts);
    let start = i * base + i.min(extra);
    start..start + base + usize::from(i < extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_batch_in_order_with_sizes_within_one() {
        for (len, parts) in [(64, 2), (37, 3), (37, 6), (2, 3), (0, 2), (1, 1)] {
            let pieces: Vec<_> = (0..parts).map(|i| shard(len, parts, i)).collect();
            assert_eq!(pieces[0].start, 0);
            assert_eq!(pieces[parts - 1].end, len, "{len}/{parts}");
            assert!(pieces.windows(2).all(|w| w[0].end == w[1].start));
            let sizes: Vec<usize> = pieces.iter().map(|r| r.len()).collect();
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "{sizes:?}");
        }
        // 37 = 13 + 12 + 12.
        assert_eq!(
            [shard(37, 3, 0), shard(37, 3, 1), shard(37, 3, 2)],
            [0..13, 13..25, 25..37]
        );
    }

    #[test]
    fn local_is_one_process_that_leaves_buffers_alone() {
        let mut v = [1.5f32, -2.0];
        sum(&Local, &mut v).unwrap();
        broadcast(&Local, &mut v).unwrap();
        assert_eq!((Local.rank(), Local.size(), v), (0, 1, [1.5, -2.0]));
    }
}
