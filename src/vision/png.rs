//! PNG output for 8-bit grey and RGB images (edge maps, digits), written with the
//! [`png`](https://docs.rs/png) crate: filtered and deflate-compressed, so an edge map of
//! mostly flat grey takes a fraction of its `width·height` bytes (a hand-written writer
//! stored the pixels uncompressed before).
//!
//! ```
//! use constnn::vision::png;
//! let bytes = png::encode_gray8(2, 1, &[0, 255])?;
//! assert_eq!(bytes[..8], png::SIGNATURE);
//! # Ok::<(), constnn::Error>(())
//! ```

use std::path::Path;

use crate::{Error, Result};

/// The 8 bytes every PNG file starts with.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// A PNG file of a `width × height` grey image, one byte per pixel, row by row.
///
/// # Errors
/// [`Error::Data`] when a side is 0 or above 2³¹ − 1, or `pixels` is not `width·height` long.
pub fn encode_gray8(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<u8>> {
    encode(width, height, ::png::ColorType::Grayscale, pixels)
}

/// A PNG file of a `width × height` RGB image, three bytes per pixel, row by row.
///
/// # Errors
/// As [`encode_gray8`], with `pixels` `3·width·height` long.
pub fn encode_rgb8(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<u8>> {
    encode(width, height, ::png::ColorType::Rgb, pixels)
}

/// Writes a grey image as a PNG file, atomically ([`crate::atomic::write`]).
///
/// # Errors
/// As [`encode_gray8`], and [`Error::Io`] when the file cannot be written.
pub fn write_gray8(
    path: impl AsRef<Path>,
    width: usize,
    height: usize,
    pixels: &[u8],
) -> Result<()> {
    crate::atomic::write(path, &encode_gray8(width, height, pixels)?)
}

/// Writes an RGB image as a PNG file, atomically ([`crate::atomic::write`]).
///
/// # Errors
/// As [`encode_rgb8`], and [`Error::Io`] when the file cannot be written.
pub fn write_rgb8(
    path: impl AsRef<Path>,
    width: usize,
    height: usize,
    pixels: &[u8],
) -> Result<()> {
    crate::atomic::write(path, &encode_rgb8(width, height, pixels)?)
}

fn encode(width: usize, height: usize, color: ::png::ColorType, pixels: &[u8]) -> Result<Vec<u8>> {
    let bad = |reason: String| Error::Data {
        what: "PNG image".into(),
        reason,
    };
    const SIDE_MAX: usize = (1 << 31) - 1; // the PNG spec's limit on each side
    if !(1..=SIDE_MAX).contains(&width) || !(1..=SIDE_MAX).contains(&height) {
        return Err(bad(format!(
            "a {width}×{height} image: each side must be between 1 and 2^31 − 1"
        )));
    }
    let channels = color.samples();
    let row_len = width
        .checked_mul(channels)
        .ok_or_else(|| bad(format!("{width} pixels per row is too many")))?;
    if row_len.checked_mul(height) != Some(pixels.len()) {
        return Err(bad(format!(
            "{} bytes for a {width}×{height} image of {channels} byte(s) per pixel",
            pixels.len()
        )));
    }
    let mut out = Vec::new();
    // Both sides are at most 2³¹ − 1 (checked above), so they fit a u32.
    let mut encoder = ::png::Encoder::new(&mut out, width as u32, height as u32);
    encoder.set_color(color);
    encoder.set_depth(::png::BitDepth::Eight);
    let failed = |e: ::png::EncodingError| bad(format!("the PNG encoder failed: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(width, height, colour type, pixels)` as the `png` crate's decoder reads them.
    fn decode(bytes: &[u8]) -> (u32, u32, ::png::ColorType, Vec<u8>) {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(info.bit_depth, ::png::BitDepth::Eight);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, info.color_type, pixels)
    }

    #[test]
    fn a_grey_image_round_trips() {
        let png = encode_gray8(2, 2, &[0, 255, 128, 64]).unwrap();
        assert_eq!(png[..8], SIGNATURE);
        let want = (2, 2, ::png::ColorType::Grayscale, vec![0, 255, 128, 64]);
        assert_eq!(decode(&png), want);
    }

    #[test]
    fn a_large_flat_image_is_compressed() {
        // 300 × 300 of a smooth ramp: 90 000 pixel bytes; the hand-written writer stored them
        // all (90 351 bytes). Filtered and deflated, the file is a small fraction of that.
        let pixels: Vec<u8> = (0..300 * 300).map(|k| (k % 300 / 2) as u8).collect();
        let png = encode_gray8(300, 300, &pixels).unwrap();
        assert!(png.len() < 90_000 / 10, "{} bytes", png.len());
        assert_eq!(decode(&png).3, pixels);
    }

    #[test]
    fn an_rgb_image_round_trips() {
        let pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255]; // red, green, blue
        let png = encode_rgb8(3, 1, &pixels).unwrap();
        assert_eq!(decode(&png), (3, 1, ::png::ColorType::Rgb, pixels.to_vec()));
    }

    #[test]
    fn bad_sizes_are_data_errors() {
        let err = encode_gray8(0, 3, &[]).unwrap_err();
        assert!(err.to_string().contains("0×3"), "{err}");
        let err = encode_rgb8(2, 2, &[0; 4]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PNG image: 4 bytes for a 2×2 image of 3 byte(s) per pixel"
        );
    }

    #[test]
    fn write_gray8_creates_a_decodable_file() {
        let dir = std::env::temp_dir().join(format!("constnn-png-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.png");
        write_gray8(&path, 1, 2, &[7, 9]).unwrap();
        let got = decode(&std::fs::read(&path).unwrap());
        assert_eq!(got, (1, 2, ::png::ColorType::Grayscale, vec![7, 9]));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
