//! The classic 3 × 3 edge-detection filters (course 4, week 1), ready to cross-correlate with
//! a grey image or to load into a [`Conv2d`](crate::layer::Conv2d) layer.
//!
//! A vertical-edge filter responds where the image gets darker from left to right. The notes'
//! 6 × 6 example is an image with a bright left half (10) and a dark right half (0); filtered
//! with [`VERTICAL`] (no padding, stride 1) it gives a 4 × 4 map with a bright band in the
//! middle, where the edge is:
//!
//! ```text
//! 10 10 10  0  0  0                          0 30 30  0
//! 10 10 10  0  0  0      1  0 −1             0 30 30  0
//! 10 10 10  0  0  0   ⋆  1  0 −1      =      0 30 30  0
//! 10 10 10  0  0  0      1  0 −1             0 30 30  0
//! 10 10 10  0  0  0
//! 10 10 10  0  0  0
//! ```
//!
//! (`30 = 3·(10 − 0)`: the left column of the window sees the bright half and the right
//! column the dark half.) Flip the image (dark left, bright right) and the band becomes `−30`:
//! the sign tells a light-to-dark edge from a dark-to-light one. Sobel and Scharr weigh the
//! middle row more, which makes the filter a little more robust to noise. The horizontal
//! filters are the transposes of the vertical ones.
//!
//! ```
//! use constnn::vision::{Gray, VERTICAL, cross_correlate};
//! let image = Gray::from_fn(6, 6, |_, x| if x < 3 { 10.0 } else { 0.0 });
//! let edges = cross_correlate(&image, &VERTICAL, 0, 1);
//! assert_eq!(edges.row(0), [0.0, 30.0, 30.0, 0.0]);
//! assert_eq!(edges.height(), 4);
//! ```
//!
//! In a CNN these nine numbers are not hand-picked but learned by backpropagation, like any
//! other parameter; these filters are what such a layer often ends up close to.

/// A square filter of `F × F` weights, `filter[u][v]` at row `u`, column `v`.
pub type Filter<const F: usize> = [[f32; F]; F];

/// Vertical edges, `[[1, 0, −1], [1, 0, −1], [1, 0, −1]]`: bright where the image gets
/// darker from left to right.
pub const VERTICAL: Filter<3> = [[1.0, 0.0, -1.0], [1.0, 0.0, -1.0], [1.0, 0.0, -1.0]];

/// Horizontal edges, the transpose of [`VERTICAL`], `[[1, 1, 1], [0, 0, 0], [−1, −1, −1]]`:
/// bright where the image gets darker from top to bottom.
pub const HORIZONTAL: Filter<3> = transpose(&VERTICAL);

/// Sobel's vertical filter, `[[1, 0, −1], [2, 0, −2], [1, 0, −1]]`: more weight on the
/// middle row.
pub const SOBEL_VERTICAL: Filter<3> = [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]];

/// Sobel's horizontal filter, the transpose of [`SOBEL_VERTICAL`].
pub const SOBEL_HORIZONTAL: Filter<3> = transpose(&SOBEL_VERTICAL);

/// Scharr's vertical filter, `[[3, 0, −3], [10, 0, −10], [3, 0, −3]]`.
pub const SCHARR_VERTICAL: Filter<3> = [[3.0, 0.0, -3.0], [10.0, 0.0, -10.0], [3.0, 0.0, -3.0]];

/// Scharr's horizontal filter, the transpose of [`SCHARR_VERTICAL`].
pub const SCHARR_HORIZONTAL: Filter<3> = transpose(&SCHARR_VERTICAL);

/// All six edge filters with their names, vertical before horizontal.
pub const EDGE_FILTERS: [(&str, Filter<3>); 6] = [
    ("vertical", VERTICAL),
    ("horizontal", HORIZONTAL),
    ("sobel_vertical", SOBEL_VERTICAL),
    ("sobel_horizontal", SOBEL_HORIZONTAL),
    ("scharr_vertical", SCHARR_VERTICAL),
    ("scharr_horizontal", SCHARR_HORIZONTAL),
];

/// `filterᵀ`: row `u` becomes column `u`, turning a vertical-edge filter into a horizontal one.
pub const fn transpose<const F: usize>(filter: &Filter<F>) -> Filter<F> {
    let mut out = [[0.0; F]; F];
    let mut u = 0;
    while u < F {
        let mut v = 0;
        while v < F {
            out[v][u] = filter[u][v];
            v += 1;
        }
        u += 1;
    }
    out
}

/// The filter turned by 180°, i.e. flipped horizontally and vertically:
/// `out[u][v] = filter[F−1−u][F−1−v]`. Convolution is cross-correlation with this filter.
pub const fn rotate_180<const F: usize>(filter: &Filter<F>) -> Filter<F> {
    let mut out = [[0.0; F]; F];
    let mut u = 0;
    while u < F {
        let mut v = 0;
        while v < F {
            out[u][v] = filter[F - 1 - u][F - 1 - v];
            v += 1;
        }
        u += 1;
    }
    out
}

/// The filter as `F·F` weights, row by row (the layout of one `Conv2d` filter with one
/// input channel).
pub fn flatten<const F: usize>(filter: &Filter<F>) -> Vec<f32> {
    filter.iter().flatten().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizontal_filters_are_the_written_out_transposes() {
        // The notes' horizontal filter, written out by hand.
        assert_eq!(
            HORIZONTAL,
            [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -1.0, -1.0]]
        );
        assert_eq!(
            SOBEL_HORIZONTAL,
            [[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]
        );
        assert_eq!(
            SCHARR_HORIZONTAL,
            [[3.0, 10.0, 3.0], [0.0, 0.0, 0.0], [-3.0, -10.0, -3.0]]
        );
    }

    #[test]
    fn edge_filters_sum_to_zero_so_flat_regions_give_zero() {
        for (name, f) in EDGE_FILTERS {
            let sum: f32 = f.iter().flatten().sum();
            assert_eq!(sum, 0.0, "{name}");
        }
    }

    #[test]
    fn rotating_an_edge_filter_by_180_degrees_negates_it() {
        // [[1, 0, −1], …] read backwards row by row and column by column is [[−1, 0, 1], …].
        for (name, f) in EDGE_FILTERS {
            let negated = f.map(|row| row.map(|x| -x));
            assert_eq!(rotate_180(&f), negated, "{name}");
        }
    }

    #[test]
    fn rotate_180_moves_the_top_left_weight_to_the_bottom_right() {
        let f = [[1.0, 2.0], [3.0, 4.0]];
        assert_eq!(rotate_180(&f), [[4.0, 3.0], [2.0, 1.0]]);
        assert_eq!(rotate_180(&rotate_180(&f)), f);
        assert_eq!(transpose(&f), [[1.0, 3.0], [2.0, 4.0]]);
        assert_eq!(flatten(&f), [1.0, 2.0, 3.0, 4.0]);
    }
}
