//! A check in front of the safetensors parser. With overflow checks on (debug and test
//! builds), safetensors 0.8.0's `SafeTensors::read_metadata` computes
//! `buffer_end + 8 + header_len` without checking, so a crafted header whose data offsets
//! add up to nearly `usize::MAX` makes it panic instead of returning an error (release builds
//! wrap and then reject the file). In a valid file every data offset is at most the file's
//! length, so rejecting a larger one first changes no other outcome.
//!
//! The scan looks for the token `"data_offsets"` followed by `:` and `[`; inside a JSON
//! string a quote is escaped (`\"`), so the token cannot match text inside a name.

/// The first data offset in the header of `bytes` larger than `bytes.len()`, if any.
/// Bytes without a complete header pass (the parser reports those).
pub(super) fn offset_beyond_end(bytes: &[u8]) -> Option<u128> {
    let len_prefix: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let n = usize::try_from(u64::from_le_bytes(len_prefix)).ok()?;
    let header = bytes.get(8..8usize.checked_add(n)?)?;
    const KEY: &[u8] = b"\"data_offsets\"";
    let mut rest = header;
    while let Some(at) = find(rest, KEY) {
        rest = &rest[at + KEY.len()..];
        let mut s = skip_ws(rest);
        if s.first() != Some(&b':') {
            continue;
        }
        s = skip_ws(&s[1..]);
        if s.first() != Some(&b'[') {
            continue;
        }
        s = &s[1..];
        for _ in 0..2 {
            s = skip_ws(s);
            let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
            let value = s[..digits].iter().try_fold(0u128, |v, &d| {
                v.checked_mul(10)?.checked_add(u128::from(d - b'0'))
            });
            match value {
                Some(v) if v <= bytes.len() as u128 => {}
                // More than 38 digits: certainly beyond the end.
                Some(v) => return Some(v),
                None => return Some(u128::MAX),
            }
            s = skip_ws(&s[digits..]);
            if s.first() != Some(&b',') {
                break;
            }
            s = &s[1..];
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let k = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[k..]
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
}
