//! The forward/backward chain of a derived network: the concrete tensor type between every
//! two fields, and the `Layer` impl that runs the fields in order and in reverse.
//!
//! Shapes `S0 = INPUT`, `S[k] = apply_lenient(rule[k-1], S[k-1])` are `const` items, and the
//! tensor after field `k` is `TensorOf<{S[k].rank}, {S[k].dims[0]}, …, E>` (a `Batch` for
//! features, an `Images` for images) with `E` the input's element type. The impl is generic
//! over the input `__X` (pinned to `TensorOf<S0, E>` by a where-clause), so a shape error is
//! reported once by the shape checks and not again by the impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Member, Type};

/// What the chain needs to know about the network.
pub struct Chain<'a> {
    /// Field types, in order.
    pub tys: &'a [&'a Type],
    /// Field accessors, in order.
    pub members: &'a [&'a Member],
}

impl Chain<'_> {
    /// `const S0 … S[n]` inside the derive's `const _` block (needs `INPUT` and `LAYERS`).
    pub fn shape_consts(&self) -> TokenStream {
        let n = self.tys.len();
        let names: Vec<_> = (0..=n).map(shape_name).collect();
        let steps = (1..=n).map(|k| {
            let (s, prev, i) = (&names[k], &names[k - 1], k - 1);
            quote!(const #s: ::constnn::shape::Shape = ::constnn::shape::apply_lenient(&LAYERS[#i].rule, #prev);)
        });
        let s0 = &names[0];
        quote!(const #s0: ::constnn::shape::Shape = INPUT; #(#steps)*)
    }

    /// The `Layer` impl; `head` is `impl<…> for Net<…>` split as (impl generics, self type,
    /// where predicates of the user).
    pub fn layer_impl(
        &self,
        user_params: &TokenStream,
        self_ty: &TokenStream,
        where_preds: &TokenStream,
    ) -> TokenStream {
        let n = self.tys.len();
        let t: Vec<TokenStream> = (0..=n).map(tensor_ty).collect();
        let input = &t[0];
        let output = &t[n];
        // Field k maps t[k] to t[k + 1]; its input in code is `__X` for k = 0.
        let x_ty = |k: usize| if k == 0 { quote!(__X) } else { t[k].clone() };
        let layer = |k: usize| {
            let (ty, x, y) = (self.tys[k], x_ty(k), &t[k + 1]);
            quote!(<#ty as ::constnn::layer::Layer<#x, #y>>)
        };
        let bounds = (0..n).map(|k| {
            let (ty, x, y) = (self.tys[k], x_ty(k), &t[k + 1]);
            quote_spanned!(ty.span()=> #ty: ::constnn::layer::Layer<#x, #y>)
        });
        // Cache = (Step<t1, C1>, (Step<t2, C2>, (…, (C_n, ()))))
        let vars: Vec<_> = (1..=n).map(|k| format_ident!("__s{}", k)).collect();
        let (mut cache_ty, mut cache_pat) = (quote!(()), quote!(()));
        for k in (0..n).rev() {
            let (l, v) = (layer(k), &vars[k]);
            let elem = if k + 1 == n {
                quote!(#l::Cache)
            } else {
                let y = &t[k + 1];
                quote!(::constnn::layer::Step<#y, #l::Cache>)
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
        let fwd = (0..n).map(|k| {
            let (l, m, s, x) = (layer(k), self.members[k], &vars[k], prev_y(k));
            let (y, c) = if k + 1 == n {
                (quote!(y), quote!(#s))
            } else {
                (quote!(&mut #s.y), quote!(&mut #s.cache))
            };
            quote!(#l::forward::<__M>(&mut self.#m, #x, #y, #c);)
        });
        let bwd = (0..n).rev().map(|k| {
            let (l, m, s, x) = (layer(k), self.members[k], &vars[k], prev_y(k));
            let dx = if k == 0 {
                quote!(dx)
            } else {
                let p = &vars[k - 1];
                quote!(::core::option::Option::Some(&mut #p.dy))
            };
            let (y, c, dy) = if k + 1 == n {
                (quote!(y), quote!(#s), quote!(dy))
            } else {
                (quote!(&#s.y), quote!(&mut #s.cache), quote!(&#s.dy))
            };
            quote!(#l::backward(&mut self.#m, #x, #y, #c, #dy, #dx);)
        });
        quote! {
            #[automatically_derived]
            impl<#user_params __X: ::constnn::tensor::Tensor> ::constnn::layer::Layer<__X, #output> for #self_ty
            where #where_preds __X: ::constnn::shape::Is<#input>, #(#bounds,)*
            {
                type Cache = #cache_ty;

                fn forward<__M: ::constnn::layer::Mode>(&mut self, x: &__X, y: &mut #output, cache: &mut Self::Cache) {
                    let #cache_pat = cache;
                    #(#fwd)*
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

fn shape_name(k: usize) -> syn::Ident {
    format_ident!("S{}", k)
}

/// `TensorOf<{S[k].rank}, {S[k].dims[0]}, {S[k].dims[1]}, {S[k].dims[2]}, E>`.
fn tensor_ty(k: usize) -> TokenStream {
    let s = shape_name(k);
    quote!(::constnn::shape::TensorOf<{ #s.rank }, { #s.dims[0] }, { #s.dims[1] }, { #s.dims[2] }, <__X as ::constnn::tensor::Tensor>::Elem>)
}
