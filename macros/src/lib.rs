//! Derive macros of constnn.
//!
//! * `#[derive(Network)]` turns a struct whose fields are layers, in order, into a layer:
//!   forward chains the fields, backward runs them in reverse, parameters are visited field by
//!   field, each connection between two fields is checked at `cargo check` with a message that
//!   names both fields and their dims, and `#[network(init = he)]` writes `new(seed)`. See
//!   `constnn::layer::Network`.
//! * `#[derive(Params)]` writes the parameter walk of a layer's struct from attributes on its
//!   fields. See `constnn::layer::Params`.
//!
//! The macros are small compilers: `ast` normalises the input, `attr` parses our attributes,
//! `valid` reports every problem with a span, `network`/`chain`/`params`/`ctor` write the
//! code, and `fallback` keeps a failed derive to its own errors. `nat_tables` generates the
//! type-level tables of `constnn::shape::nat`.

mod ast;
mod attr;
mod chain;
mod ctor;
mod ctxt;
mod fallback;
mod generics;
mod nat_tables;
mod network;
mod params;
mod valid;

use proc_macro::TokenStream;

use ast::{Derive, Input};
use ctxt::Ctxt;

/// Derives `Layer`, `Params`, `ParamCount`, `Describe`, `Network` and `Build` for a struct of
/// layers.
///
/// ```text
/// #[derive(Network)]
/// #[network(input = 784, init = he)]   // both optional
/// struct Mlp { d1: Dense<784, 128>, r1: Relu, #[layer(init = glorot)] d2: Dense<128, 10> }
/// ```
#[proc_macro_derive(Network, attributes(network, layer))]
pub fn derive_network(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive(&input, Derive::Network).into()
}

/// Derives `Params` and `ParamCount` for a layer's struct.
///
/// ```text
/// #[derive(Params)]
/// struct Scale<const N: usize> {
///     #[param(grad = dg, name = "gain")] g: Vector<N>,
///     dg: Vector<N>,
/// }
/// ```
#[proc_macro_derive(Params, attributes(param, buffer, layer))]
pub fn derive_params(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive(&input, Derive::Params).into()
}

fn derive(input: &syn::DeriveInput, derive: Derive) -> proc_macro2::TokenStream {
    let cx = Ctxt::default();
    let c = match ast::parse(&cx, input, derive) {
        Input::Struct(c) => c,
        Input::NotAStruct(what) => {
            let which = match derive {
                Derive::Network => {
                    "`#[derive(Network)]` needs a struct whose fields are layers, in order"
                }
                Derive::Params => "`#[derive(Params)]` needs a struct",
            };
            cx.error_spanned_by(
                &input.ident,
                format!("{which}; `{}` is {what}", input.ident),
            );
            let err = cx
                .take()
                .unwrap_or_else(|| syn::Error::new_spanned(&input.ident, which));
            return fallback::emit(input, err, derive);
        }
    };
    let expandable = valid::check(&cx, &c, derive);
    let expansion = || match derive {
        Derive::Network => network::expand(&c),
        Derive::Params => params::expand(&c, false),
    };
    match (cx.take(), expandable) {
        (None, _) => expansion(),
        (Some(err), true) => {
            // Attribute errors: report them, and still expand so nothing else breaks.
            let mut out = err.to_compile_error();
            out.extend(expansion());
            out
        }
        (Some(err), false) => fallback::emit(input, err, derive),
    }
}

#[doc(hidden)]
#[proc_macro]
pub fn __nat_tables(input: TokenStream) -> TokenStream {
    nat_tables::tables(input.into())
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

#[doc(hidden)]
#[proc_macro]
pub fn __nat_chunk_items(input: TokenStream) -> TokenStream {
    nat_tables::chunk_items(input.into())
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}
