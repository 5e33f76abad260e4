//! Cross-correlation and convolution of a grey image with a filter (course 4, week 1).
//!
//! With an `n_H × n_W` image `a`, an `f × f` filter `k`, padding `p` (zeros) and stride `s`,
//! the output is `⌊(n + 2p − f)/s⌋ + 1` on each side ([`window_out`]) and
//!
//! ```text
//! cross-correlation   (a ⋆ k)[y, x] = Σ_{u, v} k[u, v]         · a_pad[y·s + u, x·s + v]
//! convolution         (a ∗ k)[y, x] = Σ_{u, v} k[f−1−u, f−1−v] · a_pad[y·s + u, x·s + v]
//! ```
//!
//! so convolution is cross-correlation with the filter rotated by 180° (flipped horizontally
//! and vertically, [`rotate_180`]). Deep-learning papers and frameworks call the first one
//! "convolution"; it is what every CNN layer computes, and since the filters are learned, the
//! flip would only relabel them. The two coincide for filters that equal their rotation
//! (a blur `[[1, 2, 1], [2, 4, 2], [1, 2, 1]]`) and give the edge filters' opposite sign,
//! as those are antisymmetric. A filter with a single 1 in its top-left corner shows the
//! difference best: cross-correlation moves the image one pixel down and right, convolution
//! one pixel up and left.
//!
//! ```
//! use constnn::vision::{Gray, convolve, cross_correlate};
//! let shift = [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
//! let a = Gray::from_rows(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]);
//! // "same" padding p = (f − 1)/2 = 1 keeps the size.
//! assert_eq!(cross_correlate(&a, &shift, 1, 1).row(1), [0.0, 1.0, 2.0]);
//! assert_eq!(convolve(&a, &shift, 1, 1).row(1), [8.0, 9.0, 0.0]);
//! ```

use super::filters::{Filter, rotate_180};
use super::gray::Gray;
use crate::shape::window_out;

/// `a ⋆ k`: the filter slid over the image padded with `pad` zeros, `stride` pixels at a time,
/// without flipping it (what a [`Conv2d`](crate::layer::Conv2d) layer computes). The output is
/// `⌊(n_H + 2p − f)/s⌋ + 1 × ⌊(n_W + 2p − f)/s⌋ + 1`.
///
/// # Panics
/// When `stride` is 0, or the filter is empty or larger than the padded image.
pub fn cross_correlate<const F: usize>(
    image: &Gray,
    filter: &Filter<F>,
    pad: usize,
    stride: usize,
) -> Gray {
    let (h, w) = (image.height(), image.width());
    assert!(stride > 0, "cross_correlate: the stride must be at least 1");
    assert!(
        F > 0 && F <= h + 2 * pad && F <= w + 2 * pad,
        "cross_correlate: a {F}×{F} filter does not fit a {h}×{w} image padded by {pad}"
    );
    let (oh, ow) = (window_out(h, F, stride, pad), window_out(w, F, stride, pad));
    Gray::from_fn(oh, ow, |y, x| {
        let mut sum = 0.0;
        for (u, row) in filter.iter().enumerate() {
            for (v, &k) in row.iter().enumerate() {
                sum += k * image.padded(y * stride + u, x * stride + v, pad);
            }
        }
        sum
    })
}

/// `a ∗ k`: the mathematical convolution, cross-correlation with the filter rotated by 180°.
/// Same sizes as [`cross_correlate`].
///
/// # Panics
/// As [`cross_correlate`].
pub fn convolve<const F: usize>(
    image: &Gray,
    filter: &Filter<F>,
    pad: usize,
    stride: usize,
) -> Gray {
    cross_correlate(image, &rotate_180(filter), pad, stride)
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::*;
    use crate::vision::filters::{EDGE_FILTERS, HORIZONTAL, VERTICAL};

    fn random_image(h: usize, w: usize, seed: u64) -> Gray {
        let mut rng = StdRng::seed_from_u64(seed);
        Gray::from_fn(h, w, |_, _| rng.random_range(-1.0f32..1.0))
    }

    /// The notes' 6 × 6 image: bright (10) left half, dark (0) right half.
    fn bright_left() -> Gray {
        Gray::from_fn(6, 6, |_, x| if x < 3 { 10.0 } else { 0.0 })
    }

    #[test]
    fn vertical_filter_finds_the_notes_vertical_edge() {
        // Window columns 0..2: 3·10 − 3·10 = 0; 1..3 and 2..4: 3·10 − 0 = 30; 3..5: 0.
        let edges = cross_correlate(&bright_left(), &VERTICAL, 0, 1);
        assert_eq!((edges.height(), edges.width()), (4, 4));
        for y in 0..4 {
            assert_eq!(edges.row(y), [0.0, 30.0, 30.0, 0.0]);
        }
    }

    #[test]
    fn a_dark_to_light_edge_gives_negative_values() {
        // The notes' flipped image (dark left, bright right): −30 in the middle.
        let flipped = bright_left().map(|v| 10.0 - v);
        let edges = cross_correlate(&flipped, &VERTICAL, 0, 1);
        assert_eq!(edges.row(2), [0.0, -30.0, -30.0, 0.0]);
    }

    #[test]
    fn horizontal_filter_reproduces_the_notes_checkerboard_example() {
        // Notes: top-left and bottom-right quadrants 10, the others 0. Output row 1 at x = 1
        // (rows 1..3, columns 1..3): image row 1 sums to 10 + 10 + 0 = 20, row 3 to
        // 0 + 0 + 10 = 10, so 20 − 10 = 10; the other values follow the same way.
        let image = Gray::from_fn(6, 6, |y, x| if (y < 3) == (x < 3) { 10.0 } else { 0.0 });
        let edges = cross_correlate(&image, &HORIZONTAL, 0, 1);
        let expected = Gray::from_rows(&[
            [0.0, 0.0, 0.0, 0.0],
            [30.0, 10.0, -10.0, -30.0],
            [30.0, 10.0, -10.0, -30.0],
            [0.0, 0.0, 0.0, 0.0],
        ]);
        assert_eq!(edges, expected);
    }

    #[test]
    fn output_size_follows_the_window_formula() {
        let a = random_image(7, 9, 1);
        // ⌊(7 + 2·1 − 3)/2⌋ + 1 = 4, ⌊(9 + 2 − 3)/2⌋ + 1 = 5
        let out = cross_correlate(&a, &VERTICAL, 1, 2);
        assert_eq!((out.height(), out.width()), (4, 5));
        // "same" padding keeps the size: p = (f − 1)/2 = 1.
        let same = cross_correlate(&a, &VERTICAL, 1, 1);
        assert_eq!((same.height(), same.width()), (7, 9));
    }

    #[test]
    fn stride_s_subsamples_the_stride_one_output() {
        // Window (y, x) at stride s starts where window (s·y, s·x) starts at stride 1.
        let a = random_image(9, 8, 2);
        for (name, k) in EDGE_FILTERS {
            let dense = cross_correlate(&a, &k, 1, 1);
            let strided = cross_correlate(&a, &k, 1, 3);
            for y in 0..strided.height() {
                for x in 0..strided.width() {
                    assert_eq!(strided.get(y, x), dense.get(3 * y, 3 * x), "{name}");
                }
            }
        }
    }

    #[test]
    fn convolution_and_cross_correlation_coincide_for_a_symmetric_filter() {
        let blur = [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]];
        assert_eq!(rotate_180(&blur), blur);
        let a = random_image(8, 8, 3);
        assert_eq!(convolve(&a, &blur, 1, 1), cross_correlate(&a, &blur, 1, 1));
    }

    #[test]
    fn convolution_is_cross_correlation_with_the_filter_rotated_180_degrees() {
        let k = [[1.0, 2.0, 0.0], [0.0, -1.0, 3.0], [0.5, 0.0, -2.0]];
        let a = random_image(7, 6, 4);
        for (pad, stride) in [(0, 1), (1, 1), (2, 2)] {
            let conv = convolve(&a, &k, pad, stride);
            assert_eq!(conv, cross_correlate(&a, &rotate_180(&k), pad, stride));
            assert_ne!(conv, cross_correlate(&a, &k, pad, stride));
        }
    }

    #[test]
    fn convolution_negates_the_antisymmetric_edge_filters() {
        let a = random_image(6, 7, 5);
        for (name, k) in EDGE_FILTERS {
            let negated = cross_correlate(&a, &k, 1, 1).map(|v| -v);
            assert_eq!(convolve(&a, &k, 1, 1), negated, "{name}");
        }
    }

    #[test]
    fn a_top_left_delta_shifts_opposite_ways() {
        // k[0][0] = 1: (a ⋆ k)[y, x] = a[y − 1, x − 1] and (a ∗ k)[y, x] = a[y + 1, x + 1]
        // (with p = 1, zeros outside the image).
        let shift = [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
        let a = random_image(5, 5, 6);
        let corr = cross_correlate(&a, &shift, 1, 1);
        let conv = convolve(&a, &shift, 1, 1);
        for y in 0..5 {
            for x in 0..5 {
                let at = |y: Option<usize>, x: Option<usize>| match (y, x) {
                    (Some(y), Some(x)) if y < 5 && x < 5 => a.get(y, x),
                    _ => 0.0,
                };
                assert_eq!(corr.get(y, x), at(y.checked_sub(1), x.checked_sub(1)));
                assert_eq!(conv.get(y, x), at(Some(y + 1), Some(x + 1)));
            }
        }
    }

    #[test]
    fn convolving_a_unit_impulse_returns_the_filter() {
        // The defining property of convolution: δ ∗ k = k (full padding p = f − 1 = 2 shows
        // the whole response); cross-correlation returns k rotated by 180° instead.
        let k = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]];
        let delta = Gray::from_rows(&[[1.0]]);
        assert_eq!(convolve(&delta, &k, 2, 1), Gray::from_rows(&k));
        assert_eq!(
            cross_correlate(&delta, &k, 2, 1),
            Gray::from_rows(&rotate_180(&k))
        );
    }

    #[test]
    #[should_panic(expected = "does not fit")]
    fn a_filter_larger_than_the_padded_image_panics() {
        let _ = cross_correlate(&random_image(2, 5, 7), &VERTICAL, 0, 1);
    }
}
