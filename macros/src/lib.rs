//! Derive macros of constnn.
//!
//! `#[derive(Network)]` turns a struct whose fields are layers, in order, into a layer:
//! forward chains the fields, backward runs them in reverse, parameters are visited field by
//! field, and each connection between two fields is checked at `cargo check` with a message
//! that names both fields and their dims. See `constnn::layer::Network`.
//!
//! The macro is a small compiler: `ast` normalises the input, `attr` parses our
//! attributes, `valid` reports every problem with a span, `expand` writes the code, and
//! `fallback` keeps a failed derive to one error.

mod ast;
mod attr;
mod chain;
mod ctxt;
mod expand;
mod fallback;
mod valid;

use proc_macro::TokenStream;

/// Derives `Layer`, `Params`, `Describe` and `Network` for a struct of layers.
///
/// ```text
/// #[derive(Network)]
/// #[network(input = 784)]            // optional when the first layer fixes its input
/// struct Mlp { d1: Dense<784, 128>, r1: Relu, d2: Dense<128, 10> }
/// ```
#[proc_macro_derive(Network, attributes(network))]
pub fn derive_network(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
