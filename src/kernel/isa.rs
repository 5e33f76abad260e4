//! Which instruction set the kernels use, detected once at run time.
//!
//! The crate is compiled for plain x86-64 (SSE2); AVX2+FMA and AVX-512 kernels are compiled
//! with `#[target_feature]` (`kernel::dispatch`) and chosen here on the first call. `CONSTNN_ISA=scalar|avx2|avx512`
//! forces a path (tests and benches use it to compare variants); a forced ISA the CPU lacks
//! falls back to the best available one, so a forced path can never execute an illegal
//! instruction.

use std::sync::OnceLock;

/// An instruction-set level with its own kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// Portable code (SSE2 on x86-64, what the compiler auto-vectorizes).
    Scalar,
    /// AVX2 with FMA: 8 lanes of f32.
    Avx2,
    /// AVX-512F: 16 lanes of f32.
    Avx512,
}

impl Isa {
    /// Every ISA this CPU can run, from `Scalar` up.
    pub fn available() -> Vec<Isa> {
        let mut out = vec![Isa::Scalar];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                out.push(Isa::Avx2);
                if std::arch::is_x86_feature_detected!("avx512f") {
                    out.push(Isa::Avx512);
                }
            }
        }
        out
    }

    /// The best ISA this CPU can run, detected once. The levels nest (AVX-512 is offered only
    /// with AVX2 and FMA), so every ISA up to this one is available.
    pub fn best() -> Isa {
        static BEST: OnceLock<Isa> = OnceLock::new();
        *BEST.get_or_init(|| *Isa::available().last().unwrap_or(&Isa::Scalar))
    }

    /// `self` when this CPU can run it, else `Scalar` (no allocation: kernels call it on every
    /// product).
    pub fn or_scalar(self) -> Isa {
        if self <= Isa::best() {
            self
        } else {
            Isa::Scalar
        }
    }

    /// The ISA the kernels use: `CONSTNN_ISA` when set and available, else the best available.
    pub fn get() -> Isa {
        static CHOSEN: OnceLock<Isa> = OnceLock::new();
        *CHOSEN.get_or_init(|| {
            let available = Isa::available();
            let best = *available.last().unwrap_or(&Isa::Scalar);
            match std::env::var("CONSTNN_ISA")
                .ok()
                .as_deref()
                .and_then(Isa::parse)
            {
                Some(isa) if available.contains(&isa) => isa,
                _ => best,
            }
        })
    }

    /// `"scalar"`, `"avx2"` or `"avx512"`.
    pub fn parse(s: &str) -> Option<Isa> {
        match s.trim().to_ascii_lowercase().as_str() {
            "scalar" => Some(Isa::Scalar),
            "avx2" => Some(Isa::Avx2),
            "avx512" => Some(Isa::Avx512),
            _ => None,
        }
    }

    /// The name `parse` accepts.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_scalar_is_always_there() {
        for isa in [Isa::Scalar, Isa::Avx2, Isa::Avx512] {
            assert_eq!(Isa::parse(isa.name()), Some(isa));
        }
        assert_eq!(Isa::parse("AVX512 "), Some(Isa::Avx512));
        assert_eq!(Isa::parse("neon"), None);
        assert_eq!(Isa::available()[0], Isa::Scalar);
        assert!(Isa::available().contains(&Isa::get()));
    }
}
