//! Edge detection, the first example of course 4, week 1: what a convolution layer computes,
//! done by hand on one grey image, and a way to look at the result.
//!
//! * [`filters`]: the vertical, horizontal, Sobel and Scharr 3 × 3 filters, with the notes'
//!   6 × 6 example;
//! * [`correlate`]: cross-correlation (what CNN layers compute) and the mathematical
//!   convolution (the filter rotated by 180°), with padding `p` and stride `s`, output size
//!   `⌊(n + 2p − f)/s⌋ + 1`;
//! * [`edge_layer`](mod@edge_layer): a [`Conv2d`](crate::layer::Conv2d) loaded with given
//!   filters, so the layer computes the same edge maps;
//! * [`gray`] and [`bitmap`]: a real-valued grey image and an 8-bit raster to view it;
//! * [`png`]: PNG output (the `png` crate).
//!
//! ```
//! use constnn::vision::{Bitmap, Gray, VERTICAL, cross_correlate};
//! let image = Gray::from_fn(6, 6, |_, x| if x < 3 { 10.0 } else { 0.0 });
//! let edges = cross_correlate(&image, &VERTICAL, 0, 1);
//! assert_eq!(edges.to_string(), " 0 30 30  0\n 0 30 30  0\n 0 30 30  0\n 0 30 30  0\n");
//! let a = edges.max_abs();
//! let view = Bitmap::from_gray(&edges, -a, a).upscale(8); // 32 × 32, ready for `save_png`
//! assert_eq!(view.pixels()[8], 255);
//! ```

pub mod bitmap;
pub mod correlate;
pub mod edge_layer;
pub mod filters;
pub mod gray;
pub mod png;

pub use bitmap::{Bitmap, to_gray8};
pub use correlate::{convolve, cross_correlate};
pub use edge_layer::edge_layer;
pub use filters::{
    EDGE_FILTERS, Filter, HORIZONTAL, SCHARR_HORIZONTAL, SCHARR_VERTICAL, SOBEL_HORIZONTAL,
    SOBEL_VERTICAL, VERTICAL, rotate_180, transpose,
};
pub use gray::Gray;
