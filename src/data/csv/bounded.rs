//! A reader that stops a CSV file at a total size and a line length, so that `/dev/zero`, an
//! endless pipe or one gigantic cell costs at most the bounds: the `csv` crate grows its
//! record buffer as long as a record goes on, and [`Table`](super::Table) keeps every value.

use std::io::{self, Read};

/// `inner`, failing once more than `max_bytes` in all or `max_line` on one line were read;
/// [`Bounded::exceeded`] then says where and why.
pub(super) struct Bounded<R> {
    inner: R,
    max_bytes: u64,
    max_line: u64,
    read: u64,
    line: u64,
    on_line: u64,
    exceeded: Option<(u64, String)>,
}

impl<R> Bounded<R> {
    pub(super) fn new(inner: R, max_bytes: u64, max_line: u64) -> Self {
        Self {
            inner,
            max_bytes,
            max_line,
            read: 0,
            line: 1,
            on_line: 0,
            exceeded: None,
        }
    }

    /// The 1-based line where a bound was exceeded, and which bound.
    pub(super) fn exceeded(&self) -> Option<(u64, String)> {
        self.exceeded.clone()
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded.is_some() {
            return Err(super::bound_error());
        }
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.read += 1;
            if self.read > self.max_bytes {
                let reason = format!(
                    "the file is longer than the {} bytes allowed",
                    self.max_bytes
                );
                self.exceeded = Some((self.line, reason));
                return Err(super::bound_error());
            }
            if b == b'\n' {
                self.line += 1;
                self.on_line = 0;
            } else {
                self.on_line += 1;
                if self.on_line > self.max_line {
                    let reason = format!(
                        "the line is longer than the {} bytes allowed",
                        self.max_line
                    );
                    self.exceeded = Some((self.line, reason));
                    return Err(super::bound_error());
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_stop_the_reading_and_say_where() {
        let mut out = Vec::new();
        let mut r = Bounded::new(&b"ab\ncdef\n"[..], 100, 3);
        assert!(r.read_to_end(&mut out).is_err());
        assert_eq!(
            r.exceeded(),
            Some((2, "the line is longer than the 3 bytes allowed".into()))
        );
        let mut r = Bounded::new(std::io::repeat(b'\n'), 10, 3);
        assert!(r.read_to_end(&mut Vec::new()).is_err());
        let (_, reason) = r.exceeded().unwrap();
        assert_eq!(reason, "the file is longer than the 10 bytes allowed");
        let mut r = Bounded::new(&b"ab\ncd\n"[..], 6, 2);
        r.read_to_end(&mut out).unwrap();
        assert_eq!(r.exceeded(), None);
    }
}
