//! A [`Conv2d`] layer whose filters are given edge detectors, so a network layer computes the
//! same edge maps as [`cross_correlate`](super::cross_correlate) (course 4, week 1).
//!
//! A `Conv2d<1, K, F, S, P>` holds `K` filters of `1 × F × F` weights (`W[o, 0, u, v]` at
//! `(o·F + u)·F + v`) and computes, for each filter `o`,
//! `Z[o, y, x] = b[o] + Σ_{u, v} W[o, 0, u, v] · A_pad[y·S + u, x·S + v]`: with zero
//! biases, channel `o` of its output is the input cross-correlated with filter `o`.
//!
//! ```
//! use constnn::prelude::*;
//! use constnn::vision::{Gray, SOBEL_HORIZONTAL, SOBEL_VERTICAL, cross_correlate, edge_layer};
//!
//! let mut sobel: Conv2d<1, 2, 3, 1, 1> = edge_layer(&[SOBEL_VERTICAL, SOBEL_HORIZONTAL]);
//! let image = Gray::from_fn(5, 5, |y, x| (y * 5 + x) as f32);
//! let z: Images<2, 5, 5> = sobel.predict(&image.to_images::<5, 5>());
//! let horizontal = Gray::from_images(&z, 1, 0);
//! let expected = cross_correlate(&image, &SOBEL_HORIZONTAL, 1, 1);
//! assert!(horizontal.max_abs_diff(&expected).unwrap() < 1e-4);
//! ```

use super::filters::{Filter, flatten};
use crate::layer::Conv2d;

/// A `Conv2d<1, K, F, S, P>` with `filters[o]` as filter `o` and zero biases; `S` and `P`
/// come from the annotated type.
pub fn edge_layer<const K: usize, const F: usize, const S: usize, const P: usize>(
    filters: &[Filter<F>; K],
) -> Conv2d<1, K, F, S, P, f32> {
    let w: Vec<f32> = filters.iter().flat_map(flatten).collect();
    // K filters of F·F weights and K biases are exactly the lengths `from_params` checks
    // (C_OUT · C_IN · F · F with C_IN = 1, and C_OUT).
    Conv2d::from_params(w, vec![0.0; K]).expect("K·F·F weights and K biases")
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::*;
    use crate::layer::Layer;
    use crate::tensor::Images;
    use crate::vision::filters::{EDGE_FILTERS, VERTICAL};
    use crate::vision::{Gray, cross_correlate};

    fn random_batch<const H: usize, const W: usize>(m: usize, seed: u64) -> Images<1, H, W, f32> {
        let mut rng = StdRng::seed_from_u64(seed);
        Images::from_fn(m, |_, _, _, _| rng.random_range(0.0f32..1.0))
    }

    /// Largest |layer − cross_correlate| over every filter and sample, relative to the
    /// largest |value| (the layer sums in another order through im2col + GEMM).
    fn max_rel_diff<
        const K: usize,
        const OH: usize,
        const OW: usize,
        const H: usize,
        const W: usize,
    >(
        filters: &[Filter<3>; K],
        x: &Images<1, H, W, f32>,
        z: &Images<K, OH, OW, f32>,
        pad: usize,
        stride: usize,
    ) -> f32 {
        let mut worst = 0.0f32;
        for j in 0..x.batch_size() {
            let image = Gray::from_images(x, 0, j);
            for (o, k) in filters.iter().enumerate() {
                let expected = cross_correlate(&image, k, pad, stride);
                let got = Gray::from_images(z, o, j);
                let diff = got.max_abs_diff(&expected).expect("same size");
                worst = worst.max(diff / expected.max_abs().max(1.0));
            }
        }
        worst
    }

    #[test]
    fn layer_output_equals_cross_correlation_with_same_padding() {
        let filters = EDGE_FILTERS.map(|(_, k)| k);
        let conv: Conv2d<1, 6, 3, 1, 1> = edge_layer(&filters);
        let x = random_batch::<8, 9>(3, 1);
        let z: Images<6, 8, 9> = conv.predict(&x);
        assert!(max_rel_diff(&filters, &x, &z, 1, 1) < 1e-6);
    }

    #[test]
    fn layer_output_equals_cross_correlation_with_stride_two_and_no_padding() {
        let filters = EDGE_FILTERS.map(|(_, k)| k);
        let conv: Conv2d<1, 6, 3, 2, 0> = edge_layer(&filters);
        let x = random_batch::<9, 8>(2, 2);
        // ⌊(9 − 3)/2⌋ + 1 = 4, ⌊(8 − 3)/2⌋ + 1 = 3
        let z: Images<6, 4, 3> = conv.predict(&x);
        assert!(max_rel_diff(&filters, &x, &z, 0, 2) < 1e-6);
    }

    #[test]
    fn the_layer_finds_the_notes_vertical_edge() {
        let conv: Conv2d<1, 1, 3> = edge_layer(&[VERTICAL]);
        let image = Gray::from_fn(6, 6, |_, x| if x < 3 { 10.0 } else { 0.0 });
        let z: Images<1, 4, 4> = conv.predict(&image.to_images::<6, 6>());
        let edges = Gray::from_images(&z, 0, 0);
        for y in 0..4 {
            assert_eq!(edges.row(y), [0.0, 30.0, 30.0, 0.0]); // integers: exact in any order
        }
    }

    #[test]
    fn filters_are_stored_as_w_o_0_u_v() {
        let conv: Conv2d<1, 2, 3> = edge_layer(&[VERTICAL, crate::vision::HORIZONTAL]);
        assert_eq!(conv.weight(0, 0, 1, 2), -1.0); // VERTICAL[1][2]
        assert_eq!(conv.weight(1, 0, 2, 0), -1.0); // HORIZONTAL[2][0]
        assert_eq!(conv.weight(1, 0, 1, 1), 0.0);
        assert_eq!(conv.b, [0.0, 0.0]);
    }
}
