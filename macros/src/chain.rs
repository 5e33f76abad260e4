//! The forward/backward chain of a derived network: the concrete tensor type between every
//! two fields, and the `Layer` impl that runs the fields in order and in reverse.
//!
//! The shapes `S0 … S[n]` are `const` items (see `network.rs`) and the tensor after field `k`
//! is `TensorOf<{S[k].rank}, {S[k].dims[0]}, …, E>` (a `Batch` for features, an `Images`
//! for images) with `E` the input's element type. Field `k` is called through
//! `Connect<T[k], T[k+1], { OK[k] }>`: for `OK = true` that is the field's own `Layer` impl;
//! for `OK = false` (a shape error, reported by the checks) a stub that never runs, so the
//! network keeps implementing `Layer` and the user's calls add no error of their own.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Member, Type};

use crate::generics::ImplParts;

/// What the chain needs to know about the network.
pub struct Chain<'a> {
    /// Field types, in order.
    pub tys: &'a [&'a Type],
    /// Field accessors, in order.
    pub members: &'a [&'a Member],
    /// Field names, in order (a refusal names its field).
    pub names: &'a [&'a str],
}

/// `S{k}`: the shape after field `k − 1` (`S0` is the input).
pub fn shape_name(k: usize) -> syn::Ident {
    format_ident!("S{}", k)
}

/// `L{k}`: field `k`'s input shape under lenient application, when it can be told.
pub fn input_name(k: usize) -> syn::Ident {
    format_ident!("L{}", k)
}

/// `OK{k}`: whether fields `0..=k` accept their inputs.
pub fn ok_name(k: usize) -> syn::Ident {
    format_ident!("OK{}", k)
}

/// `TensorOf<{S[k].rank}, {S[k].dims[0]}, {S[k].dims[1]}, {S[k].dims[2]}, E>`.
fn tensor_ty(k: usize) -> TokenStream {
    let s = shape_name(k);
    quote!(::constnn::tensor::TensorOf<{ #s.rank }, { #s.dims[0] }, { #s.dims[1] }, { #s.dims[2] }, <__X as ::constnn::tensor::Tensor>::Elem>)
}

impl Chain<'_> {
    /// The `Layer` impl; `parts` are the struct's generics with `__X: Tensor` appended.
    pub fn layer_impl(&self, ident: &syn::Ident, parts: &ImplParts) -> TokenStream {
        let n = self.tys.len();
        let t: Vec<TokenStream> = (0..=n).map(tensor_ty).collect();
        let (input, output) = (&t[0], &t[n]);
        // Field k maps t[k] to t[k + 1]; its input in code is `__X` for k = 0.
        let x_ty = |k: usize| if k == 0 { quote!(__X) } else { t[k].clone() };
        let connect = |k: usize| {
            let (ty, x, y, ok) = (self.tys[k], x_ty(k), &t[k + 1], ok_name(k));
            quote!(<#ty as ::constnn::layer::Connect<#x, #y, { #ok }>>)
        };
        let bounds = (0..n).map(|k| {
            let (ty, x, y, ok) = (self.tys[k], x_ty(k), &t[k + 1], ok_name(k));
            quote_spanned!(ty.span()=> #ty: ::constnn::layer::Connect<#x, #y, { #ok }>)
        });
        // Cache = (Step<t1, C1>, (Step<t2, C2>, (…, (C_n, ()))))
        let vars: Vec<_> = (1..=n).map(|k| format_ident!("__s{}", k)).collect();
        let (mut cache_ty, mut cache_pat) = (quote!(()), quote!(()));
        for k in (0..n).rev() {
            let (c, v) = (connect(k), &vars[k]);
            let elem = if k + 1 == n {
                quote!(#c::Cache)
            } else {
                let y = &t[k + 1];
                quote!(::constnn::layer::Step<#y, #c::Cache>)
            };
            cache_ty = quote!((#elem, #cache_ty));
            cache_pat = quote!((#v, #cache_pat));
        }
        let prev_y = |k: usize| {
            if k == 0 {
                quote!(x)
            } else {
                let p = &vars[k - 1];
                quote!(&#p.y)
            }
        };
        let out_and_cache = |k: usize| {
            let s = &vars[k];
            if k + 1 == n {
                (quote!(y), quote!(#s))
            } else {
                (quote!(&mut #s.y), quote!(&mut #s.cache))
            }
        };
        let fwd = (0..n).map(|k| {
            let (c, m, x) = (connect(k), self.members[k], prev_y(k));
            let (y, cache) = out_and_cache(k);
            let name = self.names[k];
            quote!(#c::forward(&mut self.#m, #x, #y, #cache).map_err(|e| e.within(#name))?;)
        });
        let infer = (0..n).map(|k| {
            let (c, m, x) = (connect(k), self.members[k], prev_y(k));
            let (y, cache) = out_and_cache(k);
            quote!(#c::infer(&self.#m, #x, #y, #cache);)
        });
        let bwd = (0..n).rev().map(|k| {
            let (c, m, x, s) = (connect(k), self.members[k], prev_y(k), &vars[k]);
            let dx = if k == 0 {
                quote!(dx)
            } else {
                let p = &vars[k - 1];
                quote!(::core::option::Option::Some(&mut #p.dy))
            };
            let (y, cache, dy) = if k + 1 == n {
                (quote!(y), quote!(#s), quote!(dy))
            } else {
                (quote!(&#s.y), quote!(&mut #s.cache), quote!(&#s.dy))
            };
            quote!(#c::backward(&mut self.#m, #x, #y, #cache, #dy, #dx);)
        });
        let (impl_g, ty_g, preds) = (&parts.impl_generics, &parts.ty_generics, &parts.where_preds);
        quote! {
            #[automatically_derived]
            impl #impl_g ::constnn::layer::Layer<__X> for #ident #ty_g
            where #preds __X: ::constnn::tensor::Is<#input>, #(#bounds,)*
            {
                type Output = #output;
                type Cache = #cache_ty;

                fn forward(&mut self, x: &__X, y: &mut #output, cache: &mut Self::Cache) -> ::constnn::Result<()> {
                    let #cache_pat = cache;
                    #(#fwd)*
                    ::core::result::Result::Ok(())
                }

                fn infer(&self, x: &__X, y: &mut #output, cache: &mut Self::Cache) {
                    let #cache_pat = cache;
                    #(#infer)*
                }

                fn backward(
                    &mut self,
                    x: &__X,
                    y: &#output,
                    cache: &mut Self::Cache,
                    dy: &#output,
                    dx: ::core::option::Option<&mut __X>,
                ) {
                    let #cache_pat = cache;
                    #(#bwd)*
                }
            }
        }
    }
}
