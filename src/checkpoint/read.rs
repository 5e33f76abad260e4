//! Reading a checkpoint file without trusting it: the bytes read are bounded by what the
//! header promises and by fixed caps, so a file such as `/dev/zero`, a pipe that never ends,
//! or a header that claims terabytes costs at most the caps, not all the memory there is.
//!
//! A safetensors file is `n` (u64, little-endian) · `n` bytes of JSON header · the tensors'
//! data, whose length is the largest end offset in the header. The reader takes the 8 bytes,
//! refuses `n` above [`MAX_HEADER_BYTES`], reads the header, and then the data the header
//! announces (refused above [`MAX_FILE_BYTES`]) plus one byte, so a file with bytes after its
//! data is still recognised as such by the parser. Whatever is malformed is left to the
//! parser, which reports it.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::{checkpoint_error, guard};
use crate::{Error, Result};

/// Largest header accepted: safetensors' own limit (`MAX_HEADER_SIZE`, 100 MB).
pub const MAX_HEADER_BYTES: u64 = 100_000_000;

/// Largest checkpoint accepted, header and data together: 4 GiB, a billion `f32` values
/// (the parameters and Adam's two buffers of a 300-million-parameter model), far beyond the
/// networks constnn trains on a CPU.
pub const MAX_FILE_BYTES: u64 = 1 << 32;

/// The header, or the whole file when `header_only` is false, read with the bounds above.
pub(super) fn read_bounded(path: &Path, header_only: bool) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut input = BufReader::new(File::open(path).map_err(io)?);
    let mut bytes = Vec::new();
    let mut read = |limit: u64, bytes: &mut Vec<u8>| (&mut input).take(limit).read_to_end(bytes);
    read(8, &mut bytes).map_err(io)?;
    let Ok(prefix) = <[u8; 8]>::try_from(bytes.as_slice()) else {
        return Ok(bytes); // shorter than 8 bytes: the parser says so
    };
    let n = u64::from_le_bytes(prefix);
    if n > MAX_HEADER_BYTES {
        let e = format!(
            "not a safetensors checkpoint: its first 8 bytes announce a header of {n} bytes, \
             more than the {MAX_HEADER_BYTES} safetensors allows"
        );
        return Err(checkpoint_error(path, e));
    }
    read(n, &mut bytes).map_err(io)?;
    if header_only || bytes.len() as u64 != 8 + n {
        return Ok(bytes);
    }
    let Some(data) = guard::data_len(&bytes[8..]) else {
        return Ok(bytes); // a header the parser will reject, with its own message
    };
    let total = (8 + n).saturating_add(data as u64);
    if total > MAX_FILE_BYTES {
        let e = format!(
            "the header announces {total} bytes in all, more than the {MAX_FILE_BYTES} \
             (4 GiB) a checkpoint may have"
        );
        return Err(checkpoint_error(path, e));
    }
    read(data as u64 + 1, &mut bytes).map_err(io)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::{load, save};
    use crate::layer::Dense;

    #[test]
    fn dev_zero_is_refused_after_a_few_bytes() {
        // Before: `load(&mut m, "/dev/zero")` read until memory ran out. Its 8 zero bytes
        // announce an empty header, which the parser refuses at once.
        if !Path::new("/dev/zero").exists() {
            return;
        }
        let err = load(&mut Dense::<2, 1>::zeros(), "/dev/zero").unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("/dev/zero: not a readable safetensors checkpoint"),
            "{text}"
        );
        assert_eq!(
            read_bounded(Path::new("/dev/zero"), false).unwrap().len(),
            8
        );
    }

    #[test]
    fn a_header_or_data_larger_than_the_caps_is_refused_before_reading_it() {
        let dir = std::env::temp_dir().join(format!("constnn-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge-header.safetensors");
        std::fs::write(&path, (MAX_HEADER_BYTES + 1).to_le_bytes()).unwrap();
        let err = load(&mut Dense::<2, 1>::zeros(), &path).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "its first 8 bytes announce a header of 100000001 bytes, more than the 100000000 \
             safetensors allows"
            ),
            "{err}"
        );
        // One U8 tensor of 2³² bytes: 8 + header + 2³² > 4 GiB. Only the header is written.
        let header = r#"{"t":{"dtype":"U8","shape":[4294967296],"data_offsets":[0,4294967296]}}"#;
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        let path = dir.join("huge-data.safetensors");
        std::fs::write(&path, &bytes).unwrap();
        let err = load(&mut Dense::<2, 1>::zeros(), &path).unwrap_err();
        let want = format!("announces {} bytes in all", 8 + header.len() + (1 << 32));
        assert!(err.to_string().contains(&want), "{err}");
        // A valid file reads whole, and loads.
        let path = dir.join("ok.safetensors");
        save(&Dense::<2, 1>::zeros(), &path).unwrap();
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        assert_eq!(read_bounded(&path, false).unwrap().len(), len);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
