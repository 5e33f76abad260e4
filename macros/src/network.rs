//! Code generation for `#[derive(Network)]`.
//!
//! For `struct Net { d1: Dense<784, 128>, r1: Relu, d2: Dense<128, 10> }` it emits, inside one
//! anonymous `const _: () = { … };` block:
//!
//! * `RULES`: each field's `Describe::RULE` (spanned on the field: a type without a shape rule
//!   is named there), `INPUT` (declared, or the first layer's);
//! * one `const _` per field, spanned on the field's type, that panics at `cargo check` with
//!   the message of `shape::connection_error` when the field refuses its input — the panic is
//!   in the user's crate, so the error shows the user's line and no frame of constnn;
//! * the shapes `S0 … S[n]` and flags `OK0 …` the `Layer` impl is typed with (`chain.rs`);
//! * `impl Params`/`ParamCount` (`params.rs`), `impl Describe` (so networks nest),
//!   `impl Network` (summary), `impl Build` and, with `#[network(init = …)]`, `fn new(seed)`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::ast::Container;
use crate::chain::{Chain, input_name, ok_name, shape_name};
use crate::generics::{concrete, impl_parts, type_text};
use crate::{ctor, params};

/// The expansion of a valid network.
pub fn expand(c: &Container<'_>) -> TokenStream {
    let ident = c.ident;
    let name = ident.to_string();
    let n = c.fields.len();
    let tys: Vec<&Type> = c.fields.iter().map(|f| f.ty).collect();
    let members: Vec<_> = c.fields.iter().map(|f| &f.member).collect();
    let field_names: Vec<&str> = c.fields.iter().map(|f| f.name.as_str()).collect();
    let type_names: Vec<String> = tys.iter().map(|t| type_text(t)).collect();
    let concrete: Vec<Type> = tys.iter().map(|t| concrete(c.generics, t)).collect();
    let first_field = field_names[0];
    let declared = match &c.attrs.input {
        Some(shape) => quote!(::core::option::Option::Some(#shape)),
        None => quote!(::core::option::Option::None),
    };

    let rules = concrete
        .iter()
        .zip(&tys)
        .map(|(k, t)| quote_spanned!(t.span()=> <#k as ::constnn::shape::Describe>::RULE));
    // One pass over the fields: L{k} is field k's input under lenient application.
    let checks = tys.iter().enumerate().map(|(k, t)| {
        let l = input_name(k);
        quote_spanned! {t.span()=>
            const _: () = if let ::core::option::Option::Some(m) =
                ::constnn::shape::connection_error(NAME, &FIELDS, &TYPES, &RULES[#k], #l, #k)
            {
                ::core::panic!("{}", m.as_str())
            };
        }
    });
    let inputs = (1..=n).map(|k| {
        let (l, prev, i) = (input_name(k), input_name(k - 1), k - 1);
        quote!(const #l: ::core::option::Option<::constnn::shape::Shape> =
            ::constnn::shape::next_input(&RULES[#i], #prev);)
    });
    let shapes = (0..=n).map(|k| {
        let (s, l) = (shape_name(k), input_name(k));
        quote!(const #s: ::constnn::shape::Shape = ::constnn::shape::known_or_empty(#l);)
    });
    let oks = (0..n).map(|k| {
        let (ok, l) = (ok_name(k), input_name(k));
        let before = (k > 0).then(|| {
            let prev = ok_name(k - 1);
            quote!(#prev &&)
        });
        quote!(const #ok: bool = #before ::constnn::shape::accepts(&RULES[#k], #l);)
    });

    let x_param: syn::GenericParam = syn::parse_quote!(__X: ::constnn::tensor::Tensor);
    let layer_impl = Chain {
        tys: &tys,
        members: &members,
        names: &field_names,
    }
    .layer_impl(ident, &impl_parts(c.generics, &[x_param]));
    let params_impl = params::expand(c, true);
    let ctor = ctor::expand(c);

    let plain = impl_parts(c.generics, &[]);
    let (impl_g, ty_g, preds) = (&plain.impl_generics, &plain.ty_generics, &plain.where_preds);
    let rows = c.fields.iter().enumerate().map(|(k, f)| {
        let (m, fname, ty, out) = (&f.member, &f.name, f.ty, shape_name(k + 1));
        quote! {
            ::constnn::layer::SummaryRow {
                field: #fname,
                ty: ::constnn::layer::type_text::<#ty>(),
                output: #out,
                params: <#ty as ::constnn::layer::ParamCount>::num_params(&self.#m),
            }
        }
    });
    let input_check = quote_spanned! {ident.span()=>
        const _: () = if let ::core::option::Option::Some(m) =
            ::constnn::shape::input_error(NAME, #first_field, INPUT)
        {
            ::core::panic!("{}", m.as_str())
        };
    };

    quote! {
        #[allow(non_upper_case_globals, clippy::type_complexity)]
        const _: () = {
            const NAME: &str = #name;
            const FIELDS: [&str; #n] = [#(#field_names),*];
            const TYPES: [&str; #n] = [#(#type_names),*];
            const RULES: [::constnn::shape::Rule; #n] = [#(#rules),*];
            const INPUT: ::core::option::Option<::constnn::shape::Shape> =
                ::constnn::shape::network_input(#declared, &RULES);
            const L0: ::core::option::Option<::constnn::shape::Shape> = INPUT;
            #(#inputs)*
            #input_check
            #(#checks)*
            #(#shapes)*
            #(#oks)*

            #layer_impl
            #params_impl
            #ctor

            #[automatically_derived]
            impl #impl_g ::constnn::shape::Describe for #ident #ty_g where #preds {
                const RULE: ::constnn::shape::Rule = ::constnn::shape::Rule::seq(&RULES);
            }

            #[automatically_derived]
            impl #impl_g ::constnn::layer::Network for #ident #ty_g where #preds {
                const NAME: &'static str = NAME;
                const INPUT: ::constnn::shape::Shape = S0;
                fn summary(&self) -> ::constnn::layer::Summary {
                    ::constnn::layer::Summary {
                        name: NAME,
                        input: S0,
                        rows: ::std::vec![#(#rows),*],
                    }
                }
            }
        };
    }
}
