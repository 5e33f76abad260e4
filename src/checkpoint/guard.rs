//! A check in front of the safetensors parser. With overflow checks on (debug and test
//! builds), safetensors 0.8.0's `SafeTensors::read_metadata` computes
//! `buffer_end + 8 + header_len` without checking, so a crafted header whose data offsets
//! add up to nearly `usize::MAX` makes it panic instead of returning an error (release builds
//! wrap and then reject the file). In a valid file every data offset is at most the file's
//! length, so rejecting a larger one first changes no other outcome.
//!
//! The header is decoded by safetensors' own `Metadata` deserializer (with `serde_json`, as
//! `read_metadata` does), so the offsets checked are exactly the ones the parser will add:
//! a key spelled with JSON escapes (`"data\u005foffsets"`) is the same key to both.
//! `Metadata`'s own validation uses checked arithmetic only.

use safetensors::tensor::Metadata;

/// The smallest data offset in the header of `bytes` larger than `bytes.len()`, if any.
/// Bytes without a complete, well-formed header pass (the parser reports those).
pub(super) fn offset_beyond_end(bytes: &[u8]) -> Option<usize> {
    let len_prefix: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let n = usize::try_from(u64::from_le_bytes(len_prefix)).ok()?;
    let header = core::str::from_utf8(bytes.get(8..8usize.checked_add(n)?)?).ok()?;
    let metadata: Metadata = serde_json::from_str(header).ok()?;
    // `Metadata` checked that the tensors' byte ranges are contiguous from 0, so the ends
    // bound every offset.
    let tensors = metadata.tensors();
    let ends = tensors.values().map(|info| info.data_offsets.1);
    ends.filter(|&end| end > bytes.len()).min()
}

/// The length of the data section a safetensors header (the JSON, without its 8-byte length
/// prefix) announces: the largest end offset, `Metadata` having checked that the tensors'
/// byte ranges are contiguous from 0. `None` when the header does not decode.
pub(super) fn data_len(header: &[u8]) -> Option<usize> {
    let metadata: Metadata = serde_json::from_slice(header).ok()?;
    let tensors = metadata.tensors();
    Some(
        tensors
            .values()
            .map(|info| info.data_offsets.1)
            .max()
            .unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use crate::checkpoint::load_bytes;
    use crate::layer::Dense;

    #[test]
    fn offsets_near_usize_max_are_an_error_not_an_overflow() {
        // Eight U8 tensors of 2⁶¹ − 1 bytes each declare 2⁶⁴ − 8 bytes of data: safetensors
        // 0.8.0 alone panics on `buffer_end + 8 + n` with overflow checks on.
        let size: u64 = (1 << 61) - 1;
        let tensors: Vec<String> = (0..8u64)
            .map(|k| {
                let (start, end) = (k * size, (k + 1) * size);
                format!(
                    r#""t{k}":{{"dtype":"U8","shape":[{size}],"data_offsets":[{start}, {end}]}}"#
                )
            })
            .collect();
        let header = format!("{{{}}}", tensors.join(","));
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        let err = load_bytes(&mut Dense::<2, 1>::zeros(), &bytes).unwrap_err();
        // The first offset past the end is t0's end, 2⁶¹ − 1 = 2305843009213693951.
        let want = format!(
            "<memory>: not a readable safetensors checkpoint (truncated or corrupt?): \
             data offset 2305843009213693951 beyond the end of the file ({} bytes)",
            bytes.len()
        );
        assert_eq!(err.to_string(), want);
    }

    #[test]
    fn offsets_under_an_escaped_key_are_an_error_not_an_overflow() {
        // The test above with the key spelled `"data\u005foffsets"`, which JSON reads as
        // `data_offsets`: the former scan of the header's text for that token missed it, and
        // the parser panicked again. The file is the crafted input on which the fuzz target
        // fuzz/fuzz_targets/checkpoint.rs panicked before the fix.
        let bytes = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/regressions/checkpoint/escaped-data-offsets-key.safetensors"
        ));
        assert!(bytes.windows(19).any(|w| w == br#""data\u005foffsets""#));
        let err = load_bytes(&mut Dense::<2, 1>::zeros(), bytes).unwrap_err();
        let want = "<memory>: not a readable safetensors checkpoint (truncated or corrupt?): \
                    data offset 2305843009213693951 beyond the end of the file (894 bytes)";
        assert_eq!(err.to_string(), want);
    }
}
