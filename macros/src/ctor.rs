//! The constructor of a derived network: `impl Build` (every field built from an `Init` and a
//! seeded generator, so networks nest) and, with `#[network(init = he)]`,
//! `pub fn new(seed: u64) -> Self`.
//!
//! A field's initialization is its `#[layer(init = …)]`, else the network's
//! `#[network(init = …)]`, else the one `build` is given; `#[layer(with = expr)]` builds the
//! field with `expr` instead (`init` and `rng` in scope), for layers that need settings
//! (dropout's keep probability).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Container;
use crate::generics::impl_parts;

/// `impl Build` and, when the struct asks for it, `fn new(seed)`.
pub fn expand(c: &Container<'_>) -> TokenStream {
    let ident = c.ident;
    let parts = impl_parts(c.generics, &[]);
    let (impl_g, ty_g, preds) = (&parts.impl_generics, &parts.ty_generics, &parts.where_preds);
    let own_init = c
        .attrs
        .init
        .as_ref()
        .map(|i| quote!(let init: ::constnn::tensor::Init = #i;));
    let fields: Vec<TokenStream> = c
        .fields
        .iter()
        .map(|f| {
            let (m, ty) = (&f.member, f.ty);
            let value = match (&f.attrs.with, &f.attrs.init) {
                (Some(expr), _) => quote_spanned!(expr.span()=> #expr),
                (None, Some(init)) => {
                    quote_spanned!(ty.span()=> <#ty as ::constnn::layer::Build>::build(#init, rng))
                }
                (None, None) => {
                    quote_spanned!(ty.span()=> <#ty as ::constnn::layer::Build>::build(init, rng))
                }
            };
            quote!(#m: #value)
        })
        .collect();
    // `for<'__b>` keeps a bound on a concrete type (`Dropout: Build`) from being checked
    // where the impl is written: a network with a dropout field built by hand is fine.
    let deferred = c.fields.iter().filter(|f| f.attrs.with.is_none()).map(|f| {
        let ty = f.ty;
        quote_spanned!(ty.span()=> for<'__b> #ty: ::constnn::layer::Build,)
    });
    // `new` builds the fields itself, without bounds: a field that cannot be built is one
    // error, on that field, and calls of `new` add none.
    let new = c.attrs.init.as_ref().map(|init| {
        let doc = format!(
            "A new `{ident}` from a generator seeded with `seed`, every layer initialized \
             with `{}` unless its field says otherwise.",
            init.to_string().rsplit(' ').next().unwrap_or_default()
        );
        quote! {
            #[automatically_derived]
            impl #impl_g #ident #ty_g where #preds {
                #[doc = #doc]
                #[allow(unused_variables)]
                pub fn new(seed: u64) -> Self {
                    let mut rng = <::constnn::StdRng as ::constnn::SeedableRng>::seed_from_u64(seed);
                    let rng = &mut rng;
                    let init: ::constnn::tensor::Init = #init;
                    Self { #(#fields),* }
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_g ::constnn::layer::Build for #ident #ty_g where #preds #(#deferred)* {
            #[allow(unused_variables)]
            fn build(init: ::constnn::tensor::Init, rng: &mut ::constnn::StdRng) -> Self {
                #own_init
                Self { #(#fields),* }
            }
        }
        #new
    }
}
