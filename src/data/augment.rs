//! Data augmentation: small random shifts, rotations and noise for image batches (course 3
//! week 2, "artificial data synthesis"; course 4 week 2, "data augmentation").
//!
//! Each image `j` gets its own [`Transform`]: rotate by `θ` (counter-clockwise as displayed,
//! rows going down) about the centre `c = ((H − 1)/2, (W − 1)/2)`, then shift by `(dy, dx)`
//! pixels. Output pixel `p = (h, w)` reads the source by inverting that map,
//!
//! ```text
//! q = p − (dy, dx) − c          (y, x) = q
//! source = c + (x·sin θ + y·cos θ,  x·cos θ − y·sin θ)
//! ```
//!
//! with bilinear interpolation between the four pixels around `source` and 0 (background)
//! outside the image. A shift by whole pixels and a rotation by a multiple of 90° on a square
//! image therefore move pixels exactly; other angles blend neighbours.
//!
//! [`Augmenter`] draws, per image and from a seeded [`StdRng`], a whole-pixel shift in
//! `−s..=s` on each axis, an angle uniform in `[−θmax, θmax]` and additive Gaussian noise
//! `N(0, σ²)` per pixel, and writes the batch into a destination whose allocation is reused,
//! so augmenting every epoch allocates nothing once the buffers have grown.
//!
//! ```
//! use constnn::data::augment::{AugmentConfig, Augmenter};
//! use constnn::tensor::Images;
//!
//! # fn main() -> constnn::Result<()> {
//! let x = Images::<1, 28, 28>::from_fn(64, |_, h, w, _| f32::from(u8::from(h == 14 && w == 14)));
//! let cfg = AugmentConfig { max_shift: 2, max_degrees: 15.0, noise: 0.0 };
//! let mut aug = Augmenter::new(cfg, 7)?;
//! let mut out = Images::default();
//! aug.apply_into(&x, &mut out);       // 64 new images: the dot moved by at most 2 pixels
//! assert_eq!(out.batch_size(), 64);
//! # Ok(())
//! # }
//! ```

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::tensor::Images;
use crate::tensor::init::standard_normal;
use crate::{Error, Result, Scalar};

/// A rotation about the image centre followed by a shift, for one image.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Transform {
    /// Rows to move the content down (negative: up).
    pub dy: f64,
    /// Columns to move the content right (negative: left).
    pub dx: f64,
    /// Counter-clockwise rotation in degrees, as displayed.
    pub degrees: f64,
}

/// The ranges [`Augmenter`] draws from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AugmentConfig {
    /// Largest shift in whole pixels, on each axis. Default 2.
    pub max_shift: usize,
    /// Largest rotation in degrees, either way. Default 10.
    pub max_degrees: f64,
    /// Standard deviation `σ` of the additive Gaussian noise. Default 0 (none).
    pub noise: f64,
}

impl Default for AugmentConfig {
    fn default() -> Self {
        Self {
            max_shift: 2,
            max_degrees: 10.0,
            noise: 0.0,
        }
    }
}

/// `dst ←` every image of `src` under its own transform (`transforms[j]` for image `j`);
/// `dst` takes `src`'s batch size and reuses its allocation.
///
/// # Panics
/// When `transforms.len()` differs from the batch size.
pub fn transform_into<const C: usize, const H: usize, const W: usize, T: Scalar>(
    src: &Images<C, H, W, T>,
    transforms: &[Transform],
    dst: &mut Images<C, H, W, T>,
) {
    let m = src.batch_size();
    assert_eq!(
        transforms.len(),
        m,
        "transform_into: {} transforms for {m} images",
        transforms.len()
    );
    crate::tensor::Tensor::set_batch_size(dst, m);
    let (cy, cx) = ((H as f64 - 1.0) / 2.0, (W as f64 - 1.0) / 2.0);
    let (s, d) = (src.as_slice(), dst.as_mut_slice());
    for (j, t) in transforms.iter().enumerate() {
        let (sin, cos) = t.degrees.to_radians().sin_cos();
        for h in 0..H {
            for w in 0..W {
                let (y, x) = (h as f64 - t.dy - cy, w as f64 - t.dx - cx);
                let (sy, sx) = (cy + x * sin + y * cos, cx + x * cos - y * sin);
                for c in 0..C {
                    let plane = &s[c * H * W * m..(c + 1) * H * W * m];
                    d[((c * H + h) * W + w) * m + j] = bilinear::<H, W, T>(plane, m, j, sy, sx);
                }
            }
        }
    }
}

/// Value of one `H × W` plane of sample `j` (stride `m`) at the real position `(y, x)`,
/// 0 outside the image.
fn bilinear<const H: usize, const W: usize, T: Scalar>(
    plane: &[T],
    m: usize,
    j: usize,
    y: f64,
    x: f64,
) -> T {
    let (y0, x0) = (y.floor(), x.floor());
    let (fy, fx) = (y - y0, x - x0);
    let mut v = 0.0;
    for (dy, wy) in [(0, 1.0 - fy), (1, fy)] {
        for (dx, wx) in [(0, 1.0 - fx), (1, fx)] {
            let (r, c) = (y0 as isize + dy, x0 as isize + dx);
            let weight = wy * wx;
            if weight != 0.0 && (0..H as isize).contains(&r) && (0..W as isize).contains(&c) {
                v += weight * plane[(r as usize * W + c as usize) * m + j].as_f64();
            }
        }
    }
    T::of(v)
}

/// Adds `N(0, σ²)` noise, drawn from `rng`, to every value of `x`.
pub fn add_noise<const C: usize, const H: usize, const W: usize, T: Scalar>(
    x: &mut Images<C, H, W, T>,
    sigma: f64,
    rng: &mut StdRng,
) {
    if sigma == 0.0 {
        return;
    }
    for v in x.as_mut_slice() {
        *v = T::of(v.as_f64() + sigma * standard_normal(rng));
    }
}

/// Draws a random [`Transform`] and noise per image, from a seeded generator.
#[derive(Debug)]
pub struct Augmenter {
    cfg: AugmentConfig,
    rng: StdRng,
    transforms: Vec<Transform>,
}

impl Augmenter {
    /// An augmenter drawing from `cfg`'s ranges with a [`StdRng`] seeded by `seed`: the same
    /// seed and the same calls give the same images.
    ///
    /// # Errors
    /// [`Error::Data`] when `max_degrees` or `noise` is negative or not finite.
    pub fn new(cfg: AugmentConfig, seed: u64) -> Result<Self> {
        for (name, v) in [("max_degrees", cfg.max_degrees), ("noise", cfg.noise)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::Data {
                    what: "augmentation".to_owned(),
                    reason: format!("{name} = {v}, expected a finite number ≥ 0"),
                });
            }
        }
        Ok(Self {
            cfg,
            rng: StdRng::seed_from_u64(seed),
            transforms: Vec::new(),
        })
    }

    /// The transforms drawn by the latest [`Augmenter::apply_into`], one per image.
    pub fn transforms(&self) -> &[Transform] {
        &self.transforms
    }

    /// `dst ←` a randomly shifted, rotated and noisy copy of every image of `src`.
    pub fn apply_into<const C: usize, const H: usize, const W: usize, T: Scalar>(
        &mut self,
        src: &Images<C, H, W, T>,
        dst: &mut Images<C, H, W, T>,
    ) {
        let s = self.cfg.max_shift as i64;
        let deg = self.cfg.max_degrees;
        self.transforms.clear();
        for _ in 0..src.batch_size() {
            let dy = self.rng.random_range(-s..=s) as f64;
            let dx = self.rng.random_range(-s..=s) as f64;
            let degrees = if deg > 0.0 {
                self.rng.random_range(-deg..=deg)
            } else {
                0.0
            };
            self.transforms.push(Transform { dy, dx, degrees });
        }
        transform_into(src, &self.transforms, dst);
        add_noise(dst, self.cfg.noise, &mut self.rng);
    }
}

#[cfg(test)]
mod tests;
