//! Drawing a mini-batch out of a data set: the data set is kept sample-major (`m × F`, one
//! contiguous row per sample), and a batch of `k` samples is copied into the library's
//! feature-major layout (`F × k`) in blocks of 8 samples × 8 features, so every read runs
//! along one sample's contiguous row and every write along one feature's row of the batch.
//!
//! Gathering shuffled columns straight out of a feature-major `F × m` data set reads one
//! value per cache line from `F` rows far apart (`m` values each): LeNet-5's `fit` spent a
//! fifth of its time there.

/// Samples per block.
const B: usize = 8;

/// `dst[c·rows + r] ← src[r·cols + c]`: the `rows × cols` matrix `src` transposed.
pub fn transpose<T: Copy>(src: &[T], rows: usize, cols: usize, dst: &mut [T]) {
    assert_eq!(src.len(), rows * cols, "transpose: source length");
    // Row `r` of `src` is "sample" `r` of `cols` features: gathering all rows in order
    // writes feature `c` of every one to row `c` of `dst`.
    let all: Vec<usize> = (0..rows).collect();
    gather_columns(src, cols, &all, dst);
}

/// `out[f·k + t] ← samples[idx[t]·features + f]` for the `k = idx.len()` samples: a batch in
/// the feature-major layout from a sample-major data set.
///
/// # Panics
/// When `out` does not hold `features·k` values or an index is past the data set.
pub fn gather_columns<T: Copy>(samples: &[T], features: usize, idx: &[usize], out: &mut [T]) {
    let k = idx.len();
    assert_eq!(out.len(), features * k, "gather: output length");
    if features == 0 {
        return;
    }
    for (t0, ids) in (0..k).step_by(B).zip(idx.chunks(B)) {
        let rows: [&[T]; B] = core::array::from_fn(|r| match ids.get(r) {
            Some(&i) => &samples[i * features..][..features],
            None => &[],
        });
        let live = &rows[..ids.len()];
        for f0 in (0..features).step_by(B) {
            for f in f0..(f0 + B).min(features) {
                let dst = &mut out[f * k + t0..][..live.len()];
                for (o, row) in dst.iter_mut().zip(live) {
                    *o = row[f];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_and_gather_match_index_formulas() {
        // A 3-feature × 11-sample set (value = 100·feature + sample), transposed to 11 × 3,
        // then samples [10, 0, 5, 5, 9, 1, 2, 3, 4, 7] gathered back feature-major.
        let (features, m) = (3, 11);
        let fm: Vec<u32> = (0..features * m)
            .map(|v| (v / m * 100 + v % m) as u32)
            .collect();
        let mut sm = vec![0; fm.len()];
        transpose(&fm, features, m, &mut sm);
        assert_eq!(&sm[..6], &[0, 100, 200, 1, 101, 201]);
        let idx = [10, 0, 5, 5, 9, 1, 2, 3, 4, 7];
        let mut out = vec![0; features * idx.len()];
        gather_columns(&sm, features, &idx, &mut out);
        for f in 0..features {
            for (t, &j) in idx.iter().enumerate() {
                assert_eq!(out[f * idx.len() + t], (f * 100 + j) as u32);
            }
        }
    }

    #[test]
    #[should_panic(expected = "gather: output length")]
    fn a_wrong_output_length_is_caught() {
        gather_columns(&[0.0f32; 6], 3, &[0, 1], &mut [0.0; 5]);
    }
}
