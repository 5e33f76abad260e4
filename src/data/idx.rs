//! IDX files, the format of MNIST and Fashion-MNIST (course 4), gzipped or plain.
//!
//! ```text
//! offset  bytes            images file                  labels file
//! 0       4  (u32, BE)     magic 2051 = 0x00000803      magic 2049 = 0x00000801
//! 4       4  (u32, BE)     count                        count
//! 8       4  (u32, BE)     rows                         the labels: count × u8
//! 12      4  (u32, BE)     cols
//! 16      count·rows·cols  pixels: u8, row-major, image after image (0 background, 255 ink)
//! ```
//!
//! A file that starts with the gzip magic bytes `1f 8b` is decompressed on the fly (the
//! `.gz` files as distributed); any other file is read as plain IDX. Reads are bounded: a
//! header announcing over [`MAX_DATA_BYTES`] is refused at once; otherwise the data is read
//! as far as it goes (at most what the header announces) and compared with it, and at most
//! [`MAX_TRAILING_BYTES`] after it are inflated to report them: no gzip bomb costs more.
//!
//! [`parse_images`] and [`parse_labels`] decode a file already in memory, with the same checks.
//!
//! The `_first` readers stop after `n` samples: they neither decompress nor check the rest
//! of the file (including the gzip checksum at its end).
//!
//! ```
//! use constnn::data::idx;
//! use constnn::tensor::Batch;
//!
//! let images = idx::read_images_first("data/mnist/t10k-images-idx3-ubyte.gz", 2)?;
//! assert_eq!((images.len(), images.count_in_file()), (2, 10_000));
//! images.check_dims(28, 28)?;
//! let x: Batch<784, f32> = images.to_batch()?;   // 784 × 2, values in [0, 1]
//! let labels = idx::read_labels_first("data/mnist/t10k-labels-idx1-ubyte.gz", 2)?;
//! assert_eq!(labels, [7, 2]);
//! # Ok::<(), constnn::Error>(())
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

mod parse;
pub use parse::{parse_images, parse_labels};

/// Magic number of an images file: unsigned bytes (`0x08`), three dimensions.
pub const IMAGES_MAGIC: u32 = 0x0803;
/// Magic number of a labels file: unsigned bytes (`0x08`), one dimension.
pub const LABELS_MAGIC: u32 = 0x0801;

/// The most sample bytes a file may announce: 1 GiB (MNIST's training images: 47 MB).
pub const MAX_DATA_BYTES: u64 = 1 << 30;
/// The most bytes read after the announced samples to report them: 1 MiB ("at least").
pub const MAX_TRAILING_BYTES: u64 = 1 << 20;

/// Images read from an IDX file: `len()` images of `rows × cols` bytes each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Images {
    path: PathBuf,
    count_in_file: usize,
    len: usize,
    rows: usize,
    cols: usize,
    pixels: Vec<u8>, // invariant: pixels.len() == len · rows · cols
}

/// Reads every image of an IDX images file (plain or gzipped).
///
/// # Errors
/// * [`Error::Io`] when the file cannot be opened or read.
/// * [`Error::Idx`] naming the file for a corrupt gzip stream, a magic number other than
///   2051, a header shorter than 16 bytes, fewer pixel bytes than the header announces, or
///   bytes after the last image.
pub fn read_images(path: impl AsRef<Path>) -> Result<Images> {
    read_images_limited(path.as_ref(), None)
}

/// Reads the first `n` images (all of them when the file holds fewer).
///
/// # Errors
/// As [`read_images`], except that bytes after the `n`-th image are not read.
pub fn read_images_first(path: impl AsRef<Path>, n: usize) -> Result<Images> {
    read_images_limited(path.as_ref(), Some(n))
}

/// Reads every label of an IDX labels file (plain or gzipped).
///
/// # Errors
/// * [`Error::Io`] when the file cannot be opened or read.
/// * [`Error::Idx`] naming the file for a corrupt gzip stream, a magic number other than
///   2049, a header shorter than 8 bytes, fewer labels than the header announces, or bytes
///   after the last label.
pub fn read_labels(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    Ok(read_labels_counted(path.as_ref(), None)?.1)
}

/// Reads the first `n` labels (all of them when the file holds fewer).
///
/// # Errors
/// As [`read_labels`], except that bytes after the `n`-th label are not read.
pub fn read_labels_first(path: impl AsRef<Path>, n: usize) -> Result<Vec<u8>> {
    Ok(read_labels_counted(path.as_ref(), Some(n))?.1)
}

impl Images {
    /// The number of images read.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no image was read.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of images the file's header announces (more than [`len`](Self::len) after
    /// [`read_images_first`]).
    pub fn count_in_file(&self) -> usize {
        self.count_in_file
    }

    /// Pixel rows per image.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Pixel columns per image.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The file the images came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All pixels as in the file: image after image, each row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The `rows · cols` pixels of image `k`, row-major.
    ///
    /// # Panics
    /// When `k ≥ len()`.
    pub fn image(&self, k: usize) -> &[u8] {
        assert!(
            k < self.len,
            "image {k} out of range for {} images",
            self.len
        );
        let size = self.rows * self.cols;
        &self.pixels[k * size..(k + 1) * size]
    }

    /// Checks that the images are `rows × cols`.
    ///
    /// # Errors
    /// [`Error::Idx`] naming the file and both sizes otherwise.
    pub fn check_dims(&self, rows: usize, cols: usize) -> Result<()> {
        if (self.rows, self.cols) == (rows, cols) {
            return Ok(());
        }
        Err(idx_error(
            &self.path,
            format!(
                "images are {} × {}, expected {rows} × {cols}",
                self.rows, self.cols
            ),
        ))
    }

    /// The images as `X: N × m`, one column per image, pixel `p` of image `j` at `(p, j)`
    /// with the value `byte / 255` in `[0, 1]`.
    ///
    /// # Errors
    /// [`Error::Idx`] when `rows · cols ≠ N`.
    pub fn to_batch<const N: usize, T: Scalar>(&self) -> Result<Batch<N, T>> {
        let (m, size) = (self.len, self.rows * self.cols);
        if size != N {
            let (r, c) = (self.rows, self.cols);
            let reason = format!("images are {r} × {c} = {size} pixels, expected {N}");
            return Err(idx_error(&self.path, reason));
        }
        if N == 0 {
            return Ok(Batch::zeros(m));
        }
        let scale: [T; 256] = core::array::from_fn(|b| T::of(b as f64 / 255.0));
        let mut data = vec![T::zero(); N * m];
        // Transpose by blocks of 32 images: the block's pixels (25 kB for MNIST) stay in L1
        // while each of the N output rows receives 32 contiguous values.
        for j0 in (0..m).step_by(32) {
            let j1 = (j0 + 32).min(m);
            let block = &self.pixels[j0 * N..j1 * N];
            for (i, row) in data.chunks_exact_mut(m).enumerate() {
                for (out, image) in row[j0..j1].iter_mut().zip(block.chunks_exact(N)) {
                    *out = scale[usize::from(image[i])];
                }
            }
        }
        // `data` was allocated with N · m values, so `from_vec` accepts it.
        Ok(Batch::from_vec(m, data).expect("N · m values by construction"))
    }
}

/// [`read_labels`] or [`read_labels_first`], with the count announced by the header.
pub(super) fn read_labels_counted(path: &Path, limit: Option<usize>) -> Result<(usize, Vec<u8>)> {
    let (header, labels) = decode(path, open(path)?, LABELS, limit)?;
    Ok((header.count, labels))
}

fn read_images_limited(path: &Path, limit: Option<usize>) -> Result<Images> {
    images_from(path, open(path)?, limit)
}

/// The images of `input`, an IDX images file named `path` in errors.
fn images_from(path: &Path, input: impl BufRead, limit: Option<usize>) -> Result<Images> {
    let (header, pixels) = decode(path, input, IMAGES, limit)?;
    let size = header.rows * header.cols;
    let len = match size {
        0 => limit.map_or(header.count, |n| n.min(header.count)),
        _ => pixels.len() / size,
    };
    Ok(Images {
        path: path.to_owned(),
        count_in_file: header.count,
        len,
        rows: header.rows,
        cols: header.cols,
        pixels,
    })
}

/// What an IDX file holds: its magic number, a name for messages, and the number of
/// dimensions after the count in its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Kind {
    magic: u32,
    name: &'static str,
    dims: usize,
}

const IMAGES: Kind = Kind {
    magic: IMAGES_MAGIC,
    name: "images",
    dims: 2,
};
const LABELS: Kind = Kind {
    magic: LABELS_MAGIC,
    name: "labels",
    dims: 0,
};

#[derive(Debug)]
struct Header {
    count: usize,
    rows: usize,
    cols: usize,
}

fn idx_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Idx {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn open(path: &Path) -> Result<BufReader<File>> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })
}

/// Reads an IDX file of the given kind from `input`, gunzipping it when it starts with
/// `1f 8b`; `path` names the file in errors.
fn decode(
    path: &Path,
    mut input: impl BufRead,
    kind: Kind,
    limit: Option<usize>,
) -> Result<(Header, Vec<u8>)> {
    let io_error = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let gzipped = input
        .fill_buf()
        .map_err(io_error)?
        .starts_with(&[0x1f, 0x8b]);
    if gzipped {
        let gz = flate2::bufread::MultiGzDecoder::new(input);
        decode_plain(path, gz, kind, limit, true)
    } else {
        decode_plain(path, input, kind, limit, false)
    }
}

fn decode_plain(
    path: &Path,
    mut input: impl Read,
    kind: Kind,
    limit: Option<usize>,
    gzipped: bool,
) -> Result<(Header, Vec<u8>)> {
    let fail = |reason: String| idx_error(path, reason);
    let read_error = |source: io::Error| {
        use io::ErrorKind::{InvalidData, InvalidInput, UnexpectedEof};
        if gzipped && matches!(source.kind(), InvalidData | InvalidInput | UnexpectedEof) {
            fail(format!("gzip decoding failed: {source}"))
        } else {
            Error::Io {
                path: path.to_owned(),
                source,
            }
        }
    };
    let mut read_up_to = |limit: u64, buf: &mut Vec<u8>| {
        (&mut input)
            .take(limit)
            .read_to_end(buf)
            .map_err(read_error)
    };
    let header_len = 8 + 4 * kind.dims;
    let mut head = Vec::with_capacity(header_len);
    let got = read_up_to(header_len as u64, &mut head)?;
    let words: Vec<u32> = head
        .chunks_exact(4)
        .map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
        .collect();
    let truncated = || {
        let name = kind.name;
        fail(format!(
            "truncated header: {got} bytes, an IDX {name} header has {header_len}"
        ))
    };
    let magic = *words.first().ok_or_else(truncated)?;
    if magic != kind.magic {
        let known = match magic {
            IMAGES_MAGIC => " (images)",
            LABELS_MAGIC => " (labels)",
            _ => "",
        };
        let (expected, name) = (kind.magic, kind.name);
        return Err(fail(format!(
            "expected magic {expected} ({name}), found {magic}{known}"
        )));
    }
    if got < header_len {
        return Err(truncated());
    }
    // Labels have no rows and cols: each sample is 1 × 1. (u32 → usize is lossless on the
    // 32- and 64-bit targets.)
    let dim = |k: usize| words.get(k).map_or(1, |&w| w as usize);
    let header = Header {
        count: dim(1),
        rows: dim(2),
        cols: dim(3),
    };
    let n = limit.map_or(header.count, |n| n.min(header.count));
    // At most (2³² − 1)³ < 2⁹⁶: exact in u128, and never allocated.
    let needed = n as u128 * header.rows as u128 * header.cols as u128;
    let what = match kind.dims {
        0 => format!("{n} {}", kind.name),
        _ => format!("{n} {} of {} × {}", kind.name, header.rows, header.cols),
    };
    if needed > u128::from(MAX_DATA_BYTES) {
        return Err(fail(format!(
            "the header announces {what} = {needed} bytes, more than the {MAX_DATA_BYTES} \
             (1 GiB) an IDX file may hold"
        )));
    }
    // Reserve a bounded amount; the vector grows only as far as the real data goes.
    let mut data = Vec::with_capacity(needed.min(1 << 20) as usize);
    let got = read_up_to(needed as u64, &mut data)?; // ≤ 1 GiB, checked above
    if (got as u128) < needed {
        return Err(fail(format!(
            "truncated data: expected {needed} bytes for {what} after the header, found {got}"
        )));
    }
    if limit.is_none() {
        let mut rest = (&mut input).take(MAX_TRAILING_BYTES);
        let extra = io::copy(&mut rest, &mut io::sink()).map_err(read_error)?;
        if extra > 0 {
            let s = if extra == 1 { "" } else { "s" };
            let least = ["", "at least "][usize::from(extra == MAX_TRAILING_BYTES)];
            return Err(fail(format!(
                "{least}{extra} byte{s} after the {what} the header announces"
            )));
        }
    }
    Ok((header, data))
}

#[cfg(test)]
mod tests;
