//! A fixed-capacity string builder usable in `const fn`, for compile-time error messages
//! (const panics take a `&str` built at compile time, not `format!`).

use super::nat::{MAX_DIM, MAX_FEATURES};
use super::{Refusal, Shape};

const CAP: usize = 512;

/// A string of at most 512 bytes built in `const` code (longer input is cut).
#[derive(Clone, Copy)]
pub struct Message {
    buf: [u8; CAP],
    len: usize,
}

impl Message {
    /// Empty.
    pub const fn new() -> Self {
        Self {
            buf: [0; CAP],
            len: 0,
        }
    }

    /// Appends `s`.
    pub const fn str(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() && self.len < CAP {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// Appends `n` in decimal.
    pub const fn num(mut self, mut n: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut k = 0;
        loop {
            digits[k] = b'0' + (n % 10) as u8;
            k += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while k > 0 && self.len < CAP {
            k -= 1;
            self.buf[self.len] = digits[k];
            self.len += 1;
        }
        self
    }

    /// Appends a shape: `128 features`, `6×14×14 image`, or `4×9 input` for other ranks.
    pub const fn shape(self, s: Shape) -> Self {
        if s.rank == 1 {
            return self.num(s.dims[0]).str(" features");
        }
        let mut m = self.num(s.dims[0]);
        let mut k = 1;
        while k < s.rank {
            m = m.str("×").num(s.dims[k]);
            k += 1;
        }
        m.str(if s.rank == 3 { " image" } else { " input" })
    }

    /// The name of `axis` of an input of rank `rank`: `height`, `width`, or `axis 3`.
    const fn axis(self, rank: usize, axis: usize) -> Self {
        match (rank, axis) {
            (3, 0) => self.str("channels"),
            (3, 1) => self.str("height"),
            (3, 2) => self.str("width"),
            _ => self.str("axis ").num(axis),
        }
    }

    /// What a layer wants, after "field `c2` (Conv2d<6, 16, 5>) "; `found` is the input it
    /// refused.
    pub const fn refusal(self, r: Refusal, found: Shape) -> Self {
        match r {
            Refusal::Rank(1) => self.str("expects features"),
            Refusal::Rank(3) => self.str("expects images"),
            Refusal::Rank(k) => self.str("expects inputs with ").num(k).str(" axes"),
            Refusal::Exactly(s) => self.str("expects ").shape(s),
            Refusal::Axis { axis: 0, n } if found.rank == 3 => {
                self.str("expects ").num(n).str("-channel images")
            }
            Refusal::Axis { axis, n } => self
                .str("expects ")
                .num(n)
                .str(" along ")
                .axis(found.rank, axis),
            Refusal::Window { s: 0, .. } => self.str("has stride 0"),
            Refusal::Window { axis, f, p, .. } => {
                let m = self.str("has a window of ").num(f).str(" (padding ").num(p);
                let m = m.str(") larger than the ").axis(found.rank, axis);
                if axis < found.rank {
                    m.str(" ").num(found.dims[axis]).str(" of its input")
                } else {
                    m.str(" of its input")
                }
            }
            Refusal::DimRange { axis } => self
                .str("computes its output in types for sizes up to ")
                .num(MAX_DIM)
                .str(", not a ")
                .axis(found.rank, axis)
                .str(" of ")
                .num(if axis < 4 { found.dims[axis] } else { 0 }),
            Refusal::FeatureRange => self
                .str("would output ")
                .num(found.numel())
                .str(" features, more than the ")
                .num(MAX_FEATURES)
                .str(" constnn computes in types (use `tensor::reshape` by hand)"),
            Refusal::Reduce { keep } => self
                .str("keeps ")
                .num(keep)
                .str(" axes and reduces the others, but its input has no others"),
        }
    }

    /// The text. The buffer only ever receives whole `&str`s and ASCII digits; should the
    /// 512-byte cut fall inside a multi-byte character, the valid prefix is returned.
    pub const fn as_str(&self) -> &str {
        let (bytes, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let (valid, _) = bytes.split_at(e.valid_up_to());
                match core::str::from_utf8(valid) {
                    Ok(s) => s,
                    Err(_) => "",
                }
            }
        }
    }
}

impl Default for Message {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_refusals_read_like_the_notes() {
        let text = |r, found| Message::new().refusal(r, found).as_str().to_owned();
        assert_eq!(
            Message::new().shape(Shape::image(6, 14, 14)).as_str(),
            "6×14×14 image"
        );
        assert_eq!(
            Message::new().shape(Shape::new([4, 9])).as_str(),
            "4×9 input"
        );
        assert_eq!(
            text(Refusal::Axis { axis: 0, n: 8 }, Shape::image(6, 14, 14)),
            "expects 8-channel images"
        );
        let window = Refusal::Window {
            axis: 2,
            f: 5,
            s: 1,
            p: 0,
        };
        assert_eq!(
            text(window, Shape::image(3, 9, 4)),
            "has a window of 5 (padding 0) larger than the width 4 of its input"
        );
        assert_eq!(
            text(Refusal::FeatureRange, Shape::image(512, 14, 14)),
            "would output 100352 features, more than the 32767 constnn computes in types (use `tensor::reshape` by hand)"
        );
    }

    #[test]
    fn numbers_and_overflow() {
        assert_eq!(
            Message::new().num(0).num(4_294_967_296).as_str(),
            "04294967296"
        );
        // 1 + 2·300 bytes: the cut at 512 falls inside an "é", which is dropped.
        let long = Message::new().str("x").str(&"é".repeat(300));
        assert_eq!(long.as_str().len(), 511);
    }
}
