//! A dependency-free PNG writer for 8-bit grey and RGB images, enough to look at edge maps.
//!
//! A PNG file is an 8-byte signature and a list of chunks, each `length (u32 BE) · type (4
//! ASCII bytes) · data · CRC-32 of type and data`:
//!
//! * `IHDR`: width, height (u32 BE), bit depth 8, colour type 0 (grey) or 2 (RGB),
//!   compression 0, filter 0, interlace 0;
//! * `IDAT`: the rows, each prefixed by its filter byte (0, none), as a zlib stream;
//! * `IEND`: empty.
//!
//! The zlib stream is "stored" (uncompressed) deflate: the header `0x78 0x01`, blocks of at
//! most 65535 bytes, each `BFINAL/BTYPE byte · LEN (u16 LE) · NLEN = !LEN · bytes`, then the
//! Adler-32 of the raw data (u32 BE). Files are about `width·height·channels` bytes; every
//! decoder reads them (RFC 1950, RFC 1951, PNG spec, ISO/IEC 15948).
//!
//! ```
//! use constnn::vision::png;
//! let bytes = png::encode_gray8(2, 1, &[0, 255])?;
//! assert_eq!(bytes[..8], png::SIGNATURE);
//! assert_eq!(png::crc32(b"IEND"), 0xAE42_6082);
//! # Ok::<(), constnn::Error>(())
//! ```

use std::path::Path;

use crate::{Error, Result};

/// The 8 bytes every PNG file starts with.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// Largest data length of one stored deflate block.
const STORED_MAX: usize = 65_535;

/// `(CMF, FLG)`: deflate with a 32 KiB window, no dictionary, "fastest";
/// `(0x78·256 + 0x01) mod 31 = 0` as RFC 1950 requires.
const ZLIB_HEADER: [u8; 2] = [0x78, 0x01];

/// CRC-32 (ISO-HDLC, reflected polynomial `0xEDB88320`) byte table.
const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

/// The CRC-32 of `bytes` (the one of PNG, zlib's `crc32` and gzip), table-driven.
pub fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// The Adler-32 checksum of `bytes` (zlib's trailer): `B·65536 + A` with
/// `A = 1 + Σ bytes` and `B = Σ A` after each byte, both mod 65521.
pub fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    // 5552 bytes is the most that can be summed before `b` could overflow a u32 (zlib's NMAX).
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// A PNG file of a `width × height` grey image, one byte per pixel, row by row.
///
/// # Errors
/// [`Error::Data`] when a side is 0 or above 2³¹ − 1, or `pixels` is not `width·height` long.
pub fn encode_gray8(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<u8>> {
    encode(width, height, 1, pixels)
}

/// A PNG file of a `width × height` RGB image, three bytes per pixel, row by row.
///
/// # Errors
/// As [`encode_gray8`], with `pixels` `3·width·height` long.
pub fn encode_rgb8(width: usize, height: usize, pixels: &[u8]) -> Result<Vec<u8>> {
    encode(width, height, 3, pixels)
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

fn encode(width: usize, height: usize, channels: usize, pixels: &[u8]) -> Result<Vec<u8>> {
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
    let row_len = width
        .checked_mul(channels)
        .ok_or_else(|| bad(format!("{width} pixels per row is too many")))?;
    if row_len.checked_mul(height) != Some(pixels.len()) {
        return Err(bad(format!(
            "{} bytes for a {width}×{height} image of {channels} byte(s) per pixel",
            pixels.len()
        )));
    }
    let color_type = if channels == 1 { 0 } else { 2 };

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(width as u32).to_be_bytes()); // ≤ 2³¹ − 1, checked above
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, color_type, 0, 0, 0]);

    let mut raw = Vec::with_capacity((row_len + 1) * height);
    for row in pixels.chunks(row_len) {
        raw.push(0); // filter type 0: the row as is
        raw.extend_from_slice(row);
    }

    let mut png = SIGNATURE.to_vec();
    push_chunk(&mut png, b"IHDR", &ihdr);
    push_chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    push_chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

/// A zlib stream holding `raw` in stored deflate blocks.
fn zlib_stored(raw: &[u8]) -> Vec<u8> {
    let blocks = raw.len().div_ceil(STORED_MAX).max(1);
    let mut out = Vec::with_capacity(2 + 5 * blocks + raw.len() + 4);
    out.extend_from_slice(&ZLIB_HEADER);
    for i in 0..blocks {
        let block = &raw[i * STORED_MAX..raw.len().min((i + 1) * STORED_MAX)];
        let len = block.len() as u16; // ≤ 65535 by construction
        out.push(u8::from(i + 1 == blocks)); // BFINAL in bit 0, BTYPE = 00 (stored)
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(raw).to_be_bytes());
    out
}

fn push_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    // An IDAT holds at most 2³¹ − 1 bytes; images that large are far beyond this writer's use.
    debug_assert!(data.len() < 1 << 31);
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PNG reader for what this writer produces (8-bit, filter 0, stored deflate),
    /// checking every CRC, the zlib header, `NLEN` and the Adler-32 on the way:
    /// `(width, height, colour type, pixels)`.
    fn decode(png: &[u8]) -> (usize, usize, u8, Vec<u8>) {
        assert_eq!(png[..8], SIGNATURE);
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let (mut at, mut ihdr, mut idat, mut ended) = (8, Vec::new(), Vec::new(), false);
        while at < png.len() {
            let len = be(&png[at..]);
            let (kind, data) = (&png[at + 4..at + 8], &png[at + 8..at + 8 + len]);
            assert_eq!(
                crc32(&png[at + 4..at + 8 + len]),
                be(&png[at + 8 + len..]) as u32
            );
            match kind {
                b"IHDR" => ihdr = data.to_vec(),
                b"IDAT" => idat.extend_from_slice(data),
                b"IEND" => ended = true,
                other => panic!("unexpected chunk {other:?}"),
            }
            at += 12 + len;
        }
        assert!(ended && at == png.len());
        let (width, height, color) = (be(&ihdr[0..]), be(&ihdr[4..]), ihdr[9]);
        assert_eq!(ihdr[8], 8);
        assert_eq!((u32::from(idat[0]) * 256 + u32::from(idat[1])) % 31, 0);
        let (mut at, mut raw) = (2, Vec::new());
        loop {
            let header = idat[at];
            assert_eq!(header >> 1, 0, "stored blocks only");
            let len = usize::from(u16::from_le_bytes([idat[at + 1], idat[at + 2]]));
            let nlen = u16::from_le_bytes([idat[at + 3], idat[at + 4]]);
            assert_eq!(nlen, !(len as u16));
            raw.extend_from_slice(&idat[at + 5..at + 5 + len]);
            at += 5 + len;
            if header & 1 == 1 {
                break;
            }
        }
        assert_eq!(be(&idat[at..]) as u32, adler32(&raw));
        assert_eq!(at + 4, idat.len());
        let row = width * if color == 0 { 1 } else { 3 };
        let mut pixels = Vec::new();
        for r in raw.chunks(row + 1) {
            assert_eq!(r[0], 0, "filter type 0");
            pixels.extend_from_slice(&r[1..]);
        }
        assert_eq!(pixels.len(), row * height);
        (width, height, color, pixels)
    }

    #[test]
    fn crc32_matches_the_png_and_check_values() {
        // "IEND" with no data: the CRC every PNG ends with (PNG spec); "123456789": the
        // CRC-32/ISO-HDLC check value. Both agree with `python3 -c "import zlib;
        // print(hex(zlib.crc32(b'IEND')), hex(zlib.crc32(b'123456789')))"`.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn adler32_matches_the_wikipedia_example() {
        // Wikipedia's worked example: A = 920 = 0x398, B = 4582 = 0x11E6.
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
        // 70000 bytes of 0xFF: A and B wrap mod 65521 several times (checked against
        // `python3 -c "import zlib; print(hex(zlib.adler32(b'\xff' * 70000)))"`).
        assert_eq!(adler32(&[0xFF; 70_000]), 0x2A28_6E81);
    }

    #[test]
    fn a_2x2_grey_image_has_the_exact_chunk_layout() {
        let png = encode_gray8(2, 2, &[0, 255, 128, 64]).unwrap();
        // 8 (signature) + 25 (IHDR: 12 + 13) + 29 (IDAT: 12 + 17) + 12 (IEND) bytes.
        assert_eq!(png.len(), 74);
        #[rustfmt::skip]
        let ihdr = [
            0, 0, 0, 13, b'I', b'H', b'D', b'R',
            0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0, // 2 × 2, 8 bits, grey
            0x57, 0xDD, 0x52, 0xF8,
        ];
        assert_eq!(png[8..33], ihdr);
        // zlib: header, one final stored block of LEN 6 (NLEN 0xFFF9), the rows with their
        // filter byte 0, Adler-32 0x054201C0. Bytes and both CRCs as given by Python's zlib:
        // `zlib.decompress` accepts the stream, `zlib.crc32(b'IDAT' + stream) = 0x79E909C4`.
        #[rustfmt::skip]
        let idat = [
            0, 0, 0, 17, b'I', b'D', b'A', b'T',
            0x78, 0x01, 0x01, 0x06, 0x00, 0xF9, 0xFF,
            0, 0, 255, 0, 128, 64,
            0x05, 0x42, 0x01, 0xC0,
            0x79, 0xE9, 0x09, 0xC4,
        ];
        assert_eq!(png[33..62], idat);
        let iend = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
        assert_eq!(png[62..], iend);
        assert_eq!(decode(&png), (2, 2, 0, vec![0, 255, 128, 64]));
    }

    #[test]
    fn a_large_image_spans_several_stored_blocks_and_decodes() {
        // 300 rows of 1 + 300 bytes = 90300 raw bytes: blocks of 65535 and 24765.
        let pixels: Vec<u8> = (0..300 * 300).map(|k| (k * 7 % 251) as u8).collect();
        let png = encode_gray8(300, 300, &pixels).unwrap();
        assert_eq!(decode(&png), (300, 300, 0, pixels));
        let idat = 8 + 25 + 8; // first byte of the zlib stream
        assert_eq!(png[idat + 2], 0); // first block not final
        assert_eq!(png[idat + 7 + STORED_MAX], 1); // second block final
    }

    #[test]
    fn an_rgb_image_decodes() {
        let pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255]; // red, green, blue
        let png = encode_rgb8(3, 1, &pixels).unwrap();
        assert_eq!(decode(&png), (3, 1, 2, pixels.to_vec()));
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
        assert_eq!(
            decode(&std::fs::read(&path).unwrap()),
            (1, 2, 0, vec![7, 9])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
