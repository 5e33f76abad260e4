//! The typenum ↔ const-generic tables of `constnn::shape::nat`, generated rather than written
//! out (about 37 000 entries).
//!
//! `__nat_tables!(MAX_DIM, LIMIT, CHUNK)` writes, in the module where it is called (which
//! declares `Dim`, `ToNat`, `Chunk`, `HiChunk` and `Pick`):
//!
//! * `impl ToNat for Dim<n> { type Nat = <n in typenum>; }` for `n` in `0..=MAX_DIM`;
//! * for each `hi` below `LIMIT / CHUNK`: a unit struct `K{hi}`, `impl HiChunk for <hi>` and
//!   `impl Chunk for K{hi}` whose item `D{lo}` is `Dim<hi·CHUNK + lo>`;
//! * `impl<K: Chunk> Pick<<lo>> for K { type Dim = K::D{lo}; }` for `lo` in `0..CHUNK`.
//!
//! `__nat_chunk_items!(CHUNK)` writes the item declarations `type D0; … type D{CHUNK-1};`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{LitInt, Token};

/// The typenum type of `n`: `UInt<UInt<UTerm, B1>, B0>` for 2.
fn typenum(n: usize) -> TokenStream {
    if n == 0 {
        return quote!(::typenum::UTerm);
    }
    let high = typenum(n >> 1);
    let bit = if n & 1 == 1 {
        quote!(::typenum::B1)
    } else {
        quote!(::typenum::B0)
    };
    quote!(::typenum::UInt<#high, #bit>)
}

/// Reads `N, N, …` (exactly `count` integers).
fn numbers(input: TokenStream, count: usize) -> syn::Result<Vec<usize>> {
    let lits = Punctuated::<LitInt, Token![,]>::parse_terminated.parse2(input)?;
    if lits.len() != count {
        return Err(syn::Error::new(
            Span::call_site(),
            format!("expected {count} integers"),
        ));
    }
    lits.iter().map(LitInt::base10_parse).collect()
}

/// `__nat_chunk_items!(CHUNK)`.
pub fn chunk_items(input: TokenStream) -> syn::Result<TokenStream> {
    let chunk = numbers(input, 1)?[0];
    let items = (0..chunk).map(|lo| {
        let d = format_ident!("D{}", lo);
        quote!(#[doc(hidden)] type #d;)
    });
    Ok(quote!(#(#items)*))
}

/// `__nat_tables!(MAX_DIM, LIMIT, CHUNK)`.
pub fn tables(input: TokenStream) -> syn::Result<TokenStream> {
    let n = numbers(input, 3)?;
    let (max_dim, limit, chunk) = (n[0], n[1], n[2]);
    if chunk == 0 || limit % chunk != 0 {
        return Err(syn::Error::new(
            Span::call_site(),
            "LIMIT must be a multiple of CHUNK",
        ));
    }
    let to_nat = (0..=max_dim).map(|n| {
        let t = typenum(n);
        quote!(impl ToNat for Dim<#n> { type Nat = #t; })
    });
    let chunks = (0..limit / chunk).map(|hi| {
        let k = format_ident!("K{}", hi);
        let hi_t = typenum(hi);
        let entries = (0..chunk).map(|lo| {
            let d = format_ident!("D{}", lo);
            let n = hi * chunk + lo;
            quote!(type #d = Dim<#n>;)
        });
        quote! {
            #[doc(hidden)]
            pub struct #k;
            #[diagnostic::do_not_recommend]
            impl HiChunk for #hi_t { type K = #k; }
            impl Chunk for #k { #(#entries)* }
        }
    });
    let picks = (0..chunk).map(|lo| {
        let d = format_ident!("D{}", lo);
        let lo_t = typenum(lo);
        quote!(impl<K: Chunk> Pick<#lo_t> for K { type Dim = K::#d; })
    });
    Ok(quote!(#(#to_nat)* #(#chunks)* #(#picks)*))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typenum_types_are_binary_most_significant_bit_outermost() {
        // 6 = 0b110: UInt<UInt<UInt<UTerm, B1>, B1>, B0>.
        let six = typenum(6).to_string().replace(' ', "");
        assert_eq!(
            six,
            "::typenum::UInt<::typenum::UInt<::typenum::UInt<::typenum::UTerm,::typenum::B1>,::typenum::B1>,::typenum::B0>"
        );
    }

    #[test]
    fn tables_have_one_entry_per_value() {
        let out = tables(quote!(3, 8, 4)).unwrap().to_string();
        assert_eq!(out.matches("impl ToNat").count(), 4); // 0..=3
        assert_eq!(out.matches("impl HiChunk").count(), 2); // 8 / 4
        assert_eq!(out.matches("impl < K : Chunk > Pick").count(), 4);
        assert!(out.contains("type D3 = Dim < 7usize >"), "{out}");
        assert!(tables(quote!(3, 9, 4)).is_err());
    }
}
