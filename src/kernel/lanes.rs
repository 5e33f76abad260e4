//! Vectors of lanes for the generic bodies of the convolution and pooling kernels.
//!
//! A body is written once over [`Lanes`]; `kernel::dispatch`'s ISA tokens instantiate it with
//! [`F32x16`] (AVX-512F) or [`F32x8`] (AVX2+FMA), and the scalar paths with [`One`]. Explicit
//! vectors keep a register tile in registers whatever the tile's shape, where the
//! auto-vectorizer keeps some shapes and spills others.

use super::gemm::Element;

/// `N` lanes of `E` in one register (or one value).
pub trait Lanes: Copy {
    /// The element type.
    type E: Element + PartialOrd + Send + Sync;
    /// Lanes per vector.
    const N: usize;
    /// Every lane `v`.
    fn splat(v: Self::E) -> Self;
    /// Lanes `p[0..N]`.
    ///
    /// # Safety
    /// `p` must be valid for `N` reads.
    unsafe fn load(p: *const Self::E) -> Self;
    /// `p[0..N] ←` the lanes.
    ///
    /// # Safety
    /// `p` must be valid for `N` writes.
    unsafe fn store(self, p: *mut Self::E);
    /// Lanes `p[0..n]`, the others 0 (one masked load on the SIMD types).
    ///
    /// # Safety
    /// `n ≤ N` and `p[0..n]` must be valid for reads.
    unsafe fn load_first(p: *const Self::E, n: usize) -> Self;
    /// `p[lo..hi] ←` lanes `lo..hi` (one masked store on the SIMD types).
    ///
    /// # Safety
    /// `lo ≤ hi ≤ N` and `p + lo .. p + hi` must be valid for writes (`p` itself may point
    /// before the allocation: it is only offset, with wrapping arithmetic).
    unsafe fn store_range(self, p: *mut Self::E, lo: usize, hi: usize);
    /// `self·x + acc` per lane (one FMA on the SIMD types).
    fn madd(self, x: Self, acc: Self) -> Self;
    /// `self + o` per lane.
    fn add(self, o: Self) -> Self;
    /// `self·o` per lane.
    fn mul(self, o: Self) -> Self;
    /// The sum of the lanes.
    fn sum(self) -> Self::E;

    /// One `bool` per lane.
    type Mask: Copy;
    /// One `u32` per lane (max pooling's argmax positions).
    type I: Copy;
    /// `self > o` per lane (false when either is NaN).
    fn gt(self, o: Self) -> Self::Mask;
    /// `a` where `m`, else `b`.
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// Every index lane `i`.
    fn splat_index(i: u32) -> Self::I;
    /// `a` where `m`, else `b`.
    fn select_index(m: Self::Mask, a: Self::I, b: Self::I) -> Self::I;
    /// `a == b` per lane.
    fn index_eq(a: Self::I, b: Self::I) -> Self::Mask;
    /// Index lanes `p[0..N]`.
    ///
    /// # Safety
    /// `p` must be valid for `N` reads.
    unsafe fn load_index(p: *const u32) -> Self::I;
    /// `p[0..N] ←` the index lanes.
    ///
    /// # Safety
    /// `p` must be valid for `N` writes.
    unsafe fn store_index(i: Self::I, p: *mut u32);
}

/// One lane of `T`: the scalar path, and the last few values of a row on every path.
#[derive(Clone, Copy, Debug)]
pub struct One<T>(pub T);

impl<T: Element + PartialOrd + Send + Sync> Lanes for One<T> {
    type E = T;
    const N: usize = 1;
    #[inline(always)]
    fn splat(v: T) -> Self {
        One(v)
    }
    #[inline(always)]
    unsafe fn load(p: *const T) -> Self {
        // SAFETY: the caller guarantees one readable value at `p`.
        One(unsafe { *p })
    }
    #[inline(always)]
    unsafe fn store(self, p: *mut T) {
        // SAFETY: the caller guarantees one writable value at `p`.
        unsafe { *p = self.0 }
    }
    #[inline(always)]
    unsafe fn load_first(p: *const T, n: usize) -> Self {
        // SAFETY: with `n = 1` the caller guarantees `p[0]` is readable.
        One(if n > 0 { unsafe { *p } } else { T::ZERO })
    }
    #[inline(always)]
    unsafe fn store_range(self, p: *mut T, lo: usize, hi: usize) {
        if lo < hi {
            // SAFETY: `lo = 0 < hi = 1`: the caller guarantees `p[0]` is writable.
            unsafe { *p = self.0 }
        }
    }
    #[inline(always)]
    fn madd(self, x: Self, acc: Self) -> Self {
        One(self.0 * x.0 + acc.0)
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        One(self.0 + o.0)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        One(self.0 * o.0)
    }
    #[inline(always)]
    fn sum(self) -> T {
        self.0
    }
    type Mask = bool;
    type I = u32;
    #[inline(always)]
    fn gt(self, o: Self) -> bool {
        self.0 > o.0
    }
    #[inline(always)]
    fn select(m: bool, a: Self, b: Self) -> Self {
        if m { a } else { b }
    }
    #[inline(always)]
    fn splat_index(i: u32) -> u32 {
        i
    }
    #[inline(always)]
    fn select_index(m: bool, a: u32, b: u32) -> u32 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn index_eq(a: u32, b: u32) -> bool {
        a == b
    }
    #[inline(always)]
    unsafe fn load_index(p: *const u32) -> u32 {
        // SAFETY: the caller guarantees one readable value at `p`.
        unsafe { *p }
    }
    #[inline(always)]
    unsafe fn store_index(i: u32, p: *mut u32) {
        // SAFETY: the caller guarantees one writable value at `p`.
        unsafe { *p = i }
    }
}

#[cfg(target_arch = "x86_64")]
pub use x86::{F32x8, F32x16};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::Lanes;
    use core::arch::x86_64::*;

    /// 16 f32 lanes in a zmm register. Only kernels run by `kernel::dispatch` on its AVX-512
    /// token use it (the token's `Simd::F32`), and those run only after
    /// [`Isa`](crate::kernel::isa::Isa) detected AVX-512F: that is the SAFETY argument of
    /// every intrinsic below.
    #[derive(Clone, Copy, Debug)]
    pub struct F32x16(__m512);

    /// 8 f32 lanes in a ymm register, under the same rule with AVX2 and FMA.
    #[derive(Clone, Copy, Debug)]
    pub struct F32x8(__m256);

    impl Lanes for F32x16 {
        type E = f32;
        const N: usize = 16;
        #[inline(always)]
        fn splat(v: f32) -> Self {
            // SAFETY: AVX-512F is enabled where this is used (see the type's doc).
            F32x16(unsafe { _mm512_set1_ps(v) })
        }
        #[inline(always)]
        unsafe fn load(p: *const f32) -> Self {
            // SAFETY: the caller guarantees 16 readable values; AVX-512F as above.
            F32x16(unsafe { _mm512_loadu_ps(p) })
        }
        #[inline(always)]
        unsafe fn store(self, p: *mut f32) {
            // SAFETY: the caller guarantees 16 writable values; AVX-512F as above.
            unsafe { _mm512_storeu_ps(p, self.0) }
        }
        #[inline(always)]
        unsafe fn load_first(p: *const f32, n: usize) -> Self {
            let mask = ((1u32 << n) - 1) as __mmask16;
            // SAFETY: the caller guarantees `p[0..n]` is readable; masked lanes are not
            // accessed. AVX-512F as above.
            F32x16(unsafe { _mm512_maskz_loadu_ps(mask, p) })
        }
        #[inline(always)]
        unsafe fn store_range(self, p: *mut f32, lo: usize, hi: usize) {
            let mask = ((1u32 << hi) - (1u32 << lo)) as __mmask16;
            // SAFETY: the caller guarantees the unmasked lanes `lo..hi` are writable; masked
            // lanes are not accessed (AVX-512 suppresses their faults). AVX-512F as above.
            unsafe { _mm512_mask_storeu_ps(p, mask, self.0) }
        }
        #[inline(always)]
        fn madd(self, x: Self, acc: Self) -> Self {
            // SAFETY: AVX-512F as above.
            F32x16(unsafe { _mm512_fmadd_ps(self.0, x.0, acc.0) })
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            // SAFETY: AVX-512F as above.
            F32x16(unsafe { _mm512_add_ps(self.0, o.0) })
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            // SAFETY: AVX-512F as above.
            F32x16(unsafe { _mm512_mul_ps(self.0, o.0) })
        }
        #[inline(always)]
        fn sum(self) -> f32 {
            // SAFETY: AVX-512F as above.
            unsafe { _mm512_reduce_add_ps(self.0) }
        }
        type Mask = __mmask16;
        type I = __m512i;
        #[inline(always)]
        fn gt(self, o: Self) -> __mmask16 {
            // SAFETY: AVX-512F as above.
            unsafe { _mm512_cmp_ps_mask::<_CMP_GT_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn select(m: __mmask16, a: Self, b: Self) -> Self {
            // SAFETY: AVX-512F as above.
            F32x16(unsafe { _mm512_mask_blend_ps(m, b.0, a.0) })
        }
        #[inline(always)]
        fn splat_index(i: u32) -> __m512i {
            // SAFETY: AVX-512F as above.
            unsafe { _mm512_set1_epi32(i as i32) }
        }
        #[inline(always)]
        fn select_index(m: __mmask16, a: __m512i, b: __m512i) -> __m512i {
            // SAFETY: AVX-512F as above.
            unsafe { _mm512_mask_blend_epi32(m, b, a) }
        }
        #[inline(always)]
        fn index_eq(a: __m512i, b: __m512i) -> __mmask16 {
            // SAFETY: AVX-512F as above.
            unsafe { _mm512_cmpeq_epi32_mask(a, b) }
        }
        #[inline(always)]
        unsafe fn load_index(p: *const u32) -> __m512i {
            // SAFETY: the caller guarantees 16 readable values; AVX-512F as above.
            unsafe { _mm512_loadu_si512(p.cast()) }
        }
        #[inline(always)]
        unsafe fn store_index(i: __m512i, p: *mut u32) {
            // SAFETY: the caller guarantees 16 writable values; AVX-512F as above.
            unsafe { _mm512_storeu_si512(p.cast(), i) }
        }
    }

    impl Lanes for F32x8 {
        type E = f32;
        const N: usize = 8;
        #[inline(always)]
        fn splat(v: f32) -> Self {
            // SAFETY: AVX2 and FMA are enabled where this is used (see the type's doc).
            F32x8(unsafe { _mm256_set1_ps(v) })
        }
        #[inline(always)]
        unsafe fn load(p: *const f32) -> Self {
            // SAFETY: the caller guarantees 8 readable values; AVX as above.
            F32x8(unsafe { _mm256_loadu_ps(p) })
        }
        #[inline(always)]
        unsafe fn store(self, p: *mut f32) {
            // SAFETY: the caller guarantees 8 writable values; AVX as above.
            unsafe { _mm256_storeu_ps(p, self.0) }
        }
        #[inline(always)]
        unsafe fn load_first(p: *const f32, n: usize) -> Self {
            // SAFETY: AVX2 as above; lane `i < n` is loaded, masked lanes are not accessed
            // (and read as 0).
            F32x8(unsafe {
                let iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
                _mm256_maskload_ps(p, _mm256_cmpgt_epi32(_mm256_set1_epi32(n as i32), iota))
            })
        }
        #[inline(always)]
        unsafe fn store_range(self, p: *mut f32, lo: usize, hi: usize) {
            // SAFETY: AVX2 as above; lane `i` is stored when `lo ≤ i < hi` (its mask's sign
            // bit set), and masked lanes are not accessed, so only the caller's writable
            // `p[lo..hi]` is written.
            unsafe {
                let iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
                let (l, h) = (_mm256_set1_epi32(lo as i32), _mm256_set1_epi32(hi as i32));
                let ge_lo = _mm256_cmpgt_epi32(iota, _mm256_sub_epi32(l, _mm256_set1_epi32(1)));
                let lt_hi = _mm256_cmpgt_epi32(h, iota);
                _mm256_maskstore_ps(p, _mm256_and_si256(ge_lo, lt_hi), self.0)
            }
        }
        #[inline(always)]
        fn madd(self, x: Self, acc: Self) -> Self {
            // SAFETY: FMA as above.
            F32x8(unsafe { _mm256_fmadd_ps(self.0, x.0, acc.0) })
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            // SAFETY: AVX as above.
            F32x8(unsafe { _mm256_add_ps(self.0, o.0) })
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            // SAFETY: AVX as above.
            F32x8(unsafe { _mm256_mul_ps(self.0, o.0) })
        }
        #[inline(always)]
        fn sum(self) -> f32 {
            // SAFETY: AVX as above.
            unsafe {
                let half = _mm_add_ps(
                    _mm256_castps256_ps128(self.0),
                    _mm256_extractf128_ps(self.0, 1),
                );
                let pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
                _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)))
            }
        }
        type Mask = __m256;
        type I = __m256i;
        #[inline(always)]
        fn gt(self, o: Self) -> __m256 {
            // SAFETY: AVX as above.
            unsafe { _mm256_cmp_ps::<_CMP_GT_OQ>(self.0, o.0) }
        }
        #[inline(always)]
        fn select(m: __m256, a: Self, b: Self) -> Self {
            // SAFETY: AVX as above.
            F32x8(unsafe { _mm256_blendv_ps(b.0, a.0, m) })
        }
        #[inline(always)]
        fn splat_index(i: u32) -> __m256i {
            // SAFETY: AVX as above.
            unsafe { _mm256_set1_epi32(i as i32) }
        }
        #[inline(always)]
        fn select_index(m: __m256, a: __m256i, b: __m256i) -> __m256i {
            // SAFETY: AVX as above; the blend moves bits, whatever the lanes hold.
            unsafe {
                let (a, b) = (_mm256_castsi256_ps(a), _mm256_castsi256_ps(b));
                _mm256_castps_si256(_mm256_blendv_ps(b, a, m))
            }
        }
        #[inline(always)]
        fn index_eq(a: __m256i, b: __m256i) -> __m256 {
            // SAFETY: AVX2 as above.
            unsafe { _mm256_castsi256_ps(_mm256_cmpeq_epi32(a, b)) }
        }
        #[inline(always)]
        unsafe fn load_index(p: *const u32) -> __m256i {
            // SAFETY: the caller guarantees 8 readable values; AVX as above.
            unsafe { _mm256_loadu_si256(p.cast()) }
        }
        #[inline(always)]
        unsafe fn store_index(i: __m256i, p: *mut u32) {
            // SAFETY: the caller guarantees 8 writable values; AVX as above.
            unsafe { _mm256_storeu_si256(p.cast(), i) }
        }
    }
}
