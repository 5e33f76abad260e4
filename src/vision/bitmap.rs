//! `Bitmap`: an 8-bit grey raster to look at, built from real-valued images by a linear map
//! of `lo..hi` to `0..255`, enlarged by nearest-neighbour upscaling and laid out side by
//! side, then saved as PNG ([`png`]).
//!
//! For a signed edge map the range `−a..a` with `a = max |value|` shows no edge as mid-grey
//! (128), a light-to-dark edge as white and a dark-to-light edge as black; for an input
//! image in `[0, 1]` the range is `0..1`.
//!
//! ```
//! use constnn::vision::{Bitmap, Gray, to_gray8};
//! assert_eq!(to_gray8(&[-30.0, 0.0, 30.0], -30.0, 30.0), [0, 128, 255]);
//! let edges = Gray::from_rows(&[[0.0, 30.0, 30.0, 0.0]]);
//! let a = edges.max_abs();
//! let big = Bitmap::from_gray(&edges, -a, a).upscale(8);
//! assert_eq!((big.width(), big.height()), (32, 8));
//! ```

use std::cmp::Ordering;
use std::path::Path;

use super::gray::Gray;
use super::png;
use crate::Result;

/// `v ↦ round(255·(clamp(v, lo, hi) − lo)/(hi − lo))`: `lo` and below to 0, `hi` and above
/// to 255. When `hi ≤ lo` (or either is NaN) every pixel is 0, and so is a NaN value.
pub fn to_gray8(values: &[f32], lo: f32, hi: f32) -> Vec<u8> {
    if hi.partial_cmp(&lo) != Some(Ordering::Greater) {
        return vec![0; values.len()];
    }
    let scale = 255.0 / (hi - lo);
    // `as u8` saturates and maps NaN to 0; the clamp keeps the value in 0..=255 anyway.
    values
        .iter()
        .map(|&v| ((v.clamp(lo, hi) - lo) * scale).round() as u8)
        .collect()
}

/// A `width × height` grey raster, one byte per pixel (0 black, 255 white), row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    width: usize,
    height: usize,
    pixels: Vec<u8>, // invariant: len == width * height
}

impl Bitmap {
    /// From `width·height` bytes row by row, or `None` when the length is not `width·height`.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Option<Self> {
        (pixels.len() == width * height).then_some(Self {
            width,
            height,
            pixels,
        })
    }

    /// A raster filled with `value`.
    pub fn filled(width: usize, height: usize, value: u8) -> Self {
        Self {
            width,
            height,
            pixels: vec![value; width * height],
        }
    }

    /// The image with `lo..hi` mapped linearly to `0..255` ([`to_gray8`]).
    pub fn from_gray(image: &Gray, lo: f32, hi: f32) -> Self {
        Self {
            width: image.width(),
            height: image.height(),
            pixels: to_gray8(image.as_slice(), lo, hi),
        }
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The bytes, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Each pixel as a `k × k` block (nearest neighbour), so a 28 × 28 digit becomes
    /// `28k × 28k`.
    ///
    /// # Panics
    /// When `k` is 0.
    pub fn upscale(&self, k: usize) -> Self {
        assert!(k > 0, "upscale: the factor must be at least 1");
        let width = self.width * k;
        let mut pixels = Vec::with_capacity(self.pixels.len() * k * k);
        for row in self.pixels.chunks(self.width.max(1)) {
            let wide: Vec<u8> = row
                .iter()
                .flat_map(|&p| std::iter::repeat_n(p, k))
                .collect();
            for _ in 0..k {
                pixels.extend_from_slice(&wide);
            }
        }
        debug_assert_eq!(pixels.len(), width * self.height * k);
        Self {
            width,
            height: self.height * k,
            pixels,
        }
    }

    /// The panels left to right, top-aligned, `gap` columns of `fill` between them and
    /// around shorter panels.
    pub fn side_by_side(panels: &[Bitmap], gap: usize, fill: u8) -> Self {
        let height = panels.iter().map(|p| p.height).max().unwrap_or(0);
        let width =
            panels.iter().map(|p| p.width).sum::<usize>() + gap * panels.len().saturating_sub(1);
        let mut out = Self::filled(width, height, fill);
        let mut left = 0;
        for p in panels {
            for y in 0..p.height {
                let dst = y * width + left;
                out.pixels[dst..dst + p.width].copy_from_slice(&p.pixels[y * p.width..][..p.width]);
            }
            left += p.width + gap;
        }
        out
    }

    /// Saves the raster as an 8-bit grey PNG file (atomically).
    ///
    /// # Errors
    /// As [`png::write_gray8`]: an empty raster is an [`Error::Data`](crate::Error::Data),
    /// an unwritable file an [`Error::Io`](crate::Error::Io).
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<()> {
        png::write_gray8(path, self.width, self.height, &self.pixels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_gray8_maps_the_range_linearly_and_clamps() {
        // 255·(v − lo)/(hi − lo) for lo = 0, hi = 1: 0.5 → 127.5 → 128 (ties round away
        // from zero), 0.1 → 25.5 → 26.
        assert_eq!(
            to_gray8(&[-1.0, 0.0, 0.1, 0.5, 1.0, 2.0], 0.0, 1.0),
            [0, 0, 26, 128, 255, 255]
        );
        assert_eq!(to_gray8(&[f32::NAN, 1.0], 0.0, 1.0), [0, 255]);
        assert_eq!(to_gray8(&[1.0, 2.0], 3.0, 3.0), [0, 0]);
    }

    #[test]
    fn upscale_repeats_each_pixel_as_a_block() {
        let b = Bitmap::new(2, 1, vec![10, 20]).unwrap();
        let up = b.upscale(2);
        assert_eq!((up.width(), up.height()), (4, 2));
        assert_eq!(up.pixels(), [10, 10, 20, 20, 10, 10, 20, 20]);
        assert_eq!(b.upscale(1), b);
    }

    #[test]
    fn side_by_side_places_panels_with_gaps() {
        let a = Bitmap::new(1, 2, vec![1, 2]).unwrap();
        let b = Bitmap::new(2, 1, vec![3, 4]).unwrap();
        let strip = Bitmap::side_by_side(&[a, b], 1, 9);
        // 1 + 1 (gap) + 2 columns, 2 rows; b is shorter, its second row is fill.
        assert_eq!((strip.width(), strip.height()), (4, 2));
        assert_eq!(strip.pixels(), [1, 9, 3, 4, 2, 9, 9, 9]);
    }

    #[test]
    fn from_gray_uses_the_symmetric_range_with_zero_as_mid_grey() {
        let edges = Gray::from_rows(&[[0.0, 30.0, -30.0]]);
        let a = edges.max_abs();
        assert_eq!(Bitmap::from_gray(&edges, -a, a).pixels(), [128, 255, 0]);
        assert_eq!(Bitmap::new(2, 2, vec![0; 3]), None);
    }
}
