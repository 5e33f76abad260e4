//! Output sizes computed in types, so that hand-written code needs no annotation:
//! `Conv2d<1, 6, 5>` on an `Images<1, 28, 28>` *is* a layer to `Images<6, 24, 24>`.
//!
//! Stable Rust cannot compute `⌊(n + 2p − f)/s⌋ + 1` or `C·H·W` in a const generic
//! (`generic_const_exprs` is nightly-only). typenum computes it on its type-level naturals
//! (`UInt<UInt<UTerm, B1>, B0>` is 2), and two generated tables translate:
//!
//! * [`ToNat`]: a const dim to typenum, `Dim<28>` → 28 as a typenum natural, for `0..=MAX_DIM`;
//! * [`FromNat`]: back, typenum → `Dim<24>`, for `0..=MAX_FEATURES`; from `Dim<N>` the tensor
//!   types take `N` as an ordinary const generic (see `tensor::typed`).
//!
//! [`Window`] and [`Product`] are the two computations the built-in layers need; a layer of
//! your own can use them too (a 1-D convolution is a `Window` along one axis).
//!
//! **Range.** A table entry costs compile time of constnn itself (once, not in your crate):
//! [`MAX_DIM`] = 4096 covers any image side, channel count, filter, stride and padding a CPU
//! network uses; [`MAX_FEATURES`] = 32767 covers every flattened width of the course's
//! networks (LeNet-5's 400, 6·28·28 = 4704) and VGG-16's 512·7·7 = 25088. Beyond them the
//! compiler says so by name (a derived network gets one error naming the field), and
//! `tensor::reshape` flattens by hand with an annotated type, checked when the program is
//! built. Measured: the two tables add about 2 s to a clean `cargo check` of constnn; a
//! hand-written VGG-16 chain checks in 0.2 s.
//!
//! Errors speak in dims, never in typenum's binary types:
//!
//! ```text
//! error[E0277]: a window of 5 with stride 1 and padding 0 does not fit in a size of 4
//! ```

use core::ops::{Add, BitAnd, Div, Mul, Sub};

use typenum::{
    Add1, And, B1, Diff, Gr, IsGreater, IsLessOrEqual, LeEq, Max, Maximum, Prod, Quot, Sum, U0, U1,
    U2,
};

/// The largest dim [`ToNat`] translates to typenum (image sides, channels, filters, …).
pub const MAX_DIM: usize = 4096;

/// The largest size [`FromNat`] translates back from typenum (a flattened width).
pub const MAX_FEATURES: usize = 32767;

/// A dim as a type: `Dim<28>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dim<const N: usize>;

/// A const dim as a typenum natural (implemented for `Dim<0>` to `Dim<MAX_DIM>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is larger than the 4096 constnn computes output sizes with in types",
    label = "this size is beyond `constnn::shape::MAX_DIM`",
    note = "annotate the output by hand instead (`tensor::reshape` for a flatten)"
)]
pub trait ToNat {
    /// The typenum natural.
    type Nat;
}

/// The typenum natural of `N`.
pub type NatOf<const N: usize> = <Dim<N> as ToNat>::Nat;

/// A typenum natural as a [`Dim`] (implemented for `0..=MAX_FEATURES`).
pub trait FromNat {
    /// `Dim<N>`.
    type Dim;
}

/// `⌊(n + 2p − f)/s⌋ + 1` for `Self = Dim<n>`: a window `F` moved with stride `S` over `n`
/// values padded by `P` on each side.
///
/// ```
/// use constnn::shape::{Dim, nat::Window};
/// let out: <Dim<28> as Window<5, 1, 2>>::Out = Dim::<28>; // (28 + 4 − 5)/1 + 1 = 28
/// let out: <Dim<28> as Window<5, 2, 0>>::Out = Dim::<12>; // (28 − 5)/2 + 1 = 12
/// ```
pub trait Window<const F: usize, const S: usize, const P: usize> {
    /// The output size, `Dim<n_out>`.
    type Out;
}

/// The assertion behind [`Window`]: holds for `B1` (the window fits and `S > 0`).
#[diagnostic::on_unimplemented(
    message = "a window of {F} with stride {S} and padding {P} does not fit in a size of {N}",
    label = "the window is larger than its padded input, or the stride is 0",
    note = "the output size ⌊(n + 2p − f)/s⌋ + 1 needs f ≤ n + 2p and s ≥ 1"
)]
pub trait WindowFits<const N: usize, const F: usize, const S: usize, const P: usize> {}

#[diagnostic::do_not_recommend]
impl<const N: usize, const F: usize, const S: usize, const P: usize> WindowFits<N, F, S, P> for B1 {}

type Padded<const N: usize, const P: usize> = Sum<NatOf<N>, Prod<NatOf<P>, U2>>;
/// `max(n + 2p, f) − f`: never negative, so typenum has nothing to refuse; the real
/// condition is checked by [`WindowFits`], which names the dims.
type Span<const N: usize, const F: usize, const P: usize> =
    Diff<Maximum<Padded<N, P>, NatOf<F>>, NatOf<F>>;
type Steps<const N: usize, const F: usize, const S: usize, const P: usize> =
    Quot<Span<N, F, P>, Maximum<NatOf<S>, U1>>;
type Fits<const N: usize, const F: usize, const S: usize, const P: usize> =
    And<LeEq<NatOf<F>, Padded<N, P>>, Gr<NatOf<S>, U0>>;

impl<const N: usize, const F: usize, const S: usize, const P: usize> Window<F, S, P> for Dim<N>
where
    Dim<N>: ToNat,
    Dim<F>: ToNat,
    Dim<S>: ToNat,
    Dim<P>: ToNat,
    NatOf<P>: Mul<U2>,
    NatOf<N>: Add<Prod<NatOf<P>, U2>>,
    Padded<N, P>: Max<NatOf<F>>,
    Maximum<Padded<N, P>, NatOf<F>>: Sub<NatOf<F>>,
    NatOf<S>: Max<U1>,
    Span<N, F, P>: Div<Maximum<NatOf<S>, U1>>,
    Steps<N, F, S, P>: Add<B1>,
    Add1<Steps<N, F, S, P>>: FromNat,
    NatOf<F>: IsLessOrEqual<Padded<N, P>>,
    NatOf<S>: IsGreater<U0>,
    LeEq<NatOf<F>, Padded<N, P>>: BitAnd<Gr<NatOf<S>, U0>>,
    Fits<N, F, S, P>: WindowFits<N, F, S, P>,
{
    type Out = <Add1<Steps<N, F, S, P>> as FromNat>::Dim;
}

/// The product of dims: `(Dim<A>, Dim<B>)` or `(Dim<A>, Dim<B>, Dim<C>)` to `Dim<A·B·C>`
/// (a flattened width).
///
/// ```
/// use constnn::shape::{Dim, nat::Product};
/// let flat: <(Dim<16>, Dim<5>, Dim<5>) as Product>::Out = Dim::<400>;
/// ```
#[diagnostic::on_unimplemented(
    message = "the product of `{Self}` cannot be computed in types",
    label = "constnn computes products of dims up to 4096 each, of at most 32767",
    note = "flatten by hand instead, with an annotated type checked when the program is built: `let y: Batch<N> = tensor::reshape(&x)`"
)]
pub trait Product {
    /// `Dim<product>`.
    type Out;
}

#[diagnostic::do_not_recommend]
impl<const A: usize, const B: usize> Product for (Dim<A>, Dim<B>)
where
    Dim<A>: ToNat,
    Dim<B>: ToNat,
    NatOf<A>: Mul<NatOf<B>>,
    Prod<NatOf<A>, NatOf<B>>: FromNat,
{
    type Out = <Prod<NatOf<A>, NatOf<B>> as FromNat>::Dim;
}

#[diagnostic::do_not_recommend]
impl<const A: usize, const B: usize, const C: usize> Product for (Dim<A>, Dim<B>, Dim<C>)
where
    Dim<A>: ToNat,
    Dim<B>: ToNat,
    Dim<C>: ToNat,
    NatOf<A>: Mul<NatOf<B>>,
    Prod<NatOf<A>, NatOf<B>>: Mul<NatOf<C>>,
    Prod<Prod<NatOf<A>, NatOf<B>>, NatOf<C>>: FromNat,
{
    type Out = <Prod<Prod<NatOf<A>, NatOf<B>>, NatOf<C>> as FromNat>::Dim;
}

/// The generated tables. `FromNat` splits `n` into `hi·256 + lo`: `HiChunk` maps `hi` to one
/// of 128 chunk types, each holding 256 entries as associated types, and `Pick` selects
/// entry `lo`. Keeping each trait's impls few is what keeps the table cheap to compile
/// (one trait with 32 768 impls took minutes: coherence compares them pairwise).
#[doc(hidden)]
pub mod table {
    use core::ops::{BitAnd, Shr};

    use typenum::{And, Shright, U8, U255};

    use super::{Dim, FromNat, ToNat};

    /// A chunk of 256 consecutive entries of the `FromNat` table.
    pub trait Chunk {
        constnn_macros::__nat_chunk_items!(256);
    }

    /// `hi` → its chunk.
    #[diagnostic::on_unimplemented(
        message = "a size above 32767 cannot be computed in types",
        label = "beyond `constnn::shape::MAX_FEATURES`",
        note = "annotate the output by hand instead (`tensor::reshape` for a flatten)"
    )]
    pub trait HiChunk {
        /// The chunk holding `hi·256 ..= hi·256 + 255`.
        type K: Chunk;
    }

    /// Entry `Lo` of a chunk.
    pub trait Pick<Lo> {
        /// `Dim<hi·256 + lo>`.
        type Dim;
    }

    constnn_macros::__nat_tables!(4096, 32768, 256);

    impl<X> FromNat for X
    where
        X: Shr<U8> + BitAnd<U255>,
        Shright<X, U8>: HiChunk,
        <Shright<X, U8> as HiChunk>::K: Pick<And<X, U255>>,
    {
        type Dim = <<Shright<X, U8> as HiChunk>::K as Pick<And<X, U255>>>::Dim;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Dim<N> → typenum → Dim<N>` is the identity, checked by the compiler for a few values
    /// across both tables (a wrong entry would not type-check).
    #[test]
    fn tables_translate_both_ways() {
        fn round<const N: usize>() -> <NatOf<N> as FromNat>::Dim
        where
            Dim<N>: ToNat,
            NatOf<N>: FromNat,
        {
            unreachable!()
        }
        let _: fn() -> Dim<0> = round::<0>;
        let _: fn() -> Dim<255> = round::<255>;
        let _: fn() -> Dim<256> = round::<256>;
        let _: fn() -> Dim<4096> = round::<4096>;
        let _: <typenum::U32767 as FromNat>::Dim = Dim::<32767>;
        let _: <(Dim<512>, Dim<7>, Dim<7>) as Product>::Out = Dim::<25088>;
        let _: <(Dim<64>, Dim<64>) as Product>::Out = Dim::<4096>;
    }

    #[test]
    fn window_sizes_follow_the_formula() {
        // ⌊(7 + 2 − 3)/2⌋ + 1 = 4; ⌊(28 − 2)/2⌋ + 1 = 14; ⌊(5 − 5)/1⌋ + 1 = 1.
        let _: <Dim<7> as Window<3, 2, 1>>::Out = Dim::<4>;
        let _: <Dim<28> as Window<2, 2, 0>>::Out = Dim::<14>;
        let _: <Dim<5> as Window<5, 1, 0>>::Out = Dim::<1>;
        let _: <Dim<4096> as Window<1, 1, 0>>::Out = Dim::<4096>;
    }
}
