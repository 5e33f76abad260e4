//! IDX files already in memory (downloaded, embedded, or handed over by a fuzzer): the
//! same decoding and checks as [`read_images`](super::read_images) and
//! [`read_labels`](super::read_labels), from a byte slice.

use std::path::Path;

use super::{Images, LABELS, decode, images_from};
use crate::Result;

/// Parses the bytes of an IDX images file, plain or gzipped; `path` only names the file in
/// errors. `limit = None` reads every image as [`read_images`](super::read_images) does;
/// `Some(n)` reads the first `n` as [`read_images_first`](super::read_images_first) does.
///
/// ```
/// use constnn::data::idx;
///
/// // Header: magic 2051, 1 image of 1 × 2 pixels; then the pixels 0 and 255.
/// let bytes = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255];
/// let images = idx::parse_images("tiny.idx", &bytes, None)?;
/// assert_eq!((images.len(), images.rows(), images.cols()), (1, 1, 2));
/// assert_eq!(images.image(0), [0, 255]);
///
/// let err = idx::parse_images("tiny.idx", &bytes[..17], None).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "tiny.idx: truncated data: expected 2 bytes for 1 images of 1 × 2 after the header, found 1"
/// );
/// # Ok::<(), constnn::Error>(())
/// ```
///
/// # Errors
/// [`Error::Idx`](crate::Error::Idx) naming `path`, for the reasons given at
/// [`read_images`](super::read_images).
pub fn parse_images(path: impl AsRef<Path>, bytes: &[u8], limit: Option<usize>) -> Result<Images> {
    images_from(path.as_ref(), bytes, limit)
}

/// Parses the bytes of an IDX labels file, plain or gzipped; `path` only names the file in
/// errors. `limit` as for [`parse_images`].
///
/// ```
/// use constnn::data::idx;
///
/// // Header: magic 2049, 3 labels; then the labels.
/// let bytes = [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1];
/// assert_eq!(idx::parse_labels("tiny.idx", &bytes, None)?, [7, 2, 1]);
/// assert_eq!(idx::parse_labels("tiny.idx", &bytes, Some(2))?, [7, 2]);
/// # Ok::<(), constnn::Error>(())
/// ```
///
/// # Errors
/// [`Error::Idx`](crate::Error::Idx) naming `path`, for the reasons given at
/// [`read_labels`](super::read_labels).
pub fn parse_labels(path: impl AsRef<Path>, bytes: &[u8], limit: Option<usize>) -> Result<Vec<u8>> {
    Ok(decode(path.as_ref(), bytes, LABELS, limit)?.1)
}
