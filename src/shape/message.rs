//! A fixed-capacity string builder usable in `const fn`, for compile-time error messages
//! (const panics take a `&str` built at compile time, not `format!`).

use super::{Mismatch, Refusal, Shape};

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

    /// Appends a shape: `128 features` or `6×14×14 image`.
    pub const fn shape(self, s: Shape) -> Self {
        if s.rank == 1 {
            self.num(s.dims[0]).str(" features")
        } else {
            self.num(s.dims[0])
                .str("×")
                .num(s.dims[1])
                .str("×")
                .num(s.dims[2])
                .str(" image")
        }
    }

    /// What a layer wants, after "field `c2` (Conv2d<6, 16, 5>) ".
    pub const fn refusal(self, r: Refusal) -> Self {
        match r {
            Refusal::Expected(s) => self.str("expects ").shape(s),
            Refusal::NotAnImage => self.str("expects images"),
            Refusal::Channels(c) => self.str("expects ").num(c).str("-channel images"),
            Refusal::WindowTooLarge { f, p } => self
                .str("has a ")
                .num(f)
                .str("×")
                .num(f)
                .str(" window (padding ")
                .num(p)
                .str(") larger than its input"),
            Refusal::ZeroStride => self.str("has stride 0"),
        }
    }

    /// "`Net`: field `d2` (Dense<64, 10>) expects 64 features, but field `r1` (Relu) outputs
    /// 128 features" — or "… but the network input is …" for the first field.
    pub const fn connection(
        net: &str,
        fields: &[&str],
        types: &[&str],
        k: usize,
        e: Mismatch,
    ) -> Self {
        let m = Self::new()
            .str("`")
            .str(net)
            .str("`: field `")
            .str(fields[k])
            .str("` (")
            .str(types[k])
            .str(") ")
            .refusal(e.refusal)
            .str(", but ");
        let m = if k == 0 {
            m.str("the network input is ")
        } else {
            m.str("field `")
                .str(fields[k - 1])
                .str("` (")
                .str(types[k - 1])
                .str(") outputs ")
        };
        m.shape(e.found)
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
    fn connection_message_names_fields_and_dims() {
        let e = Mismatch {
            layer: 0,
            refusal: Refusal::Expected(Shape::flat(64)),
            found: Shape::flat(128),
        };
        let m = Message::connection(
            "Mlp",
            &["d1", "r1", "d2"],
            &["Dense<784, 128>", "Relu", "Dense<64, 10>"],
            2,
            e,
        );
        assert_eq!(
            m.as_str(),
            "`Mlp`: field `d2` (Dense<64, 10>) expects 64 features, but field `r1` (Relu) outputs 128 features"
        );
        let first = Message::connection(
            "Mlp",
            &["d1"],
            &["Dense<3, 1>"],
            0,
            Mismatch {
                layer: 0,
                refusal: Refusal::Expected(Shape::flat(3)),
                found: Shape::image(1, 2, 2),
            },
        );
        assert_eq!(
            first.as_str(),
            "`Mlp`: field `d1` (Dense<3, 1>) expects 3 features, but the network input is 1×2×2 image"
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
