//! Code generation for `#[derive(Network)]`.
//!
//! For `struct Net { d1: Dense<784, 128>, r1: Relu, d2: Dense<128, 10> }` it emits, inside one
//! anonymous `const _: () = { … };` block:
//!
//! * `LAYERS`: each field's `Describe::INFO` (shape rule, parameter count), and `INPUT`;
//! * one `const _` per field, spanned on the field's type, that panics at `cargo check` when
//!   the field refuses the previous field's output, naming both fields and the dims;
//! * `impl<X> Layer<X> for Net` — generic, so a mismatch does not cascade into more errors —
//!   whose forward chains the fields and whose backward runs them in reverse, with the
//!   intermediate activations and gradients in the cache (`Step`s);
//! * `impl<T> Params<T>`, `impl Describe` (so networks nest) and `impl Network` (summary).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{DeriveInput, GenericParam, Type};

use crate::ast::{self, Network};
use crate::chain::Chain;
use crate::ctxt::Ctxt;
use crate::{fallback, valid};

/// The whole derive: parse, validate, expand (or fall back).
pub fn derive(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let net = match ast::parse(&cx, input) {
        ast::Shape::Struct(net) => net,
        ast::Shape::NotAStruct(what) => {
            let msg = format!(
                "`#[derive(Network)]` needs a struct whose fields are layers, in order; `{}` is {what}",
                input.ident
            );
            cx.error_spanned_by(&input.ident, msg);
            return fallback::emit(input, cx.take().expect("an error was just recorded"));
        }
    };
    let expandable = valid::check(&cx, &net);
    match (cx.take(), expandable) {
        (None, _) => network(&net),
        (Some(err), true) => {
            // Attribute errors: report them, and still expand so nothing else breaks.
            let mut out = err.to_compile_error();
            out.extend(network(&net));
            out
        }
        (Some(err), false) => fallback::emit(input, err),
    }
}

/// `Dense < 784 , 128 >` → `Dense<784, 128>`.
fn type_text(ty: &Type) -> String {
    let raw = quote!(#ty).to_string();
    raw.replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace(":: ", "::")
}

/// Replaces the struct's type parameters by `f32` in a field type, so the item-level shape
/// checks (which cannot mention generic parameters) see a concrete type. Shape rules depend
/// only on dims, never on the element type.
struct Concrete<'a>(&'a [syn::Ident]);

impl VisitMut for Concrete<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(p) = ty
            && p.qself.is_none()
            && let Some(id) = p.path.get_ident()
            && self.0.contains(id)
        {
            *ty = syn::parse_quote!(f32);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

fn network(net: &Network<'_>) -> TokenStream {
    let ident = net.ident;
    let name = ident.to_string();
    let (impl_g, ty_g, where_c) = net.generics.split_for_impl();
    let where_preds: Vec<_> = where_c
        .map(|w| w.predicates.iter().cloned().collect())
        .unwrap_or_default();
    let user_params: Vec<&GenericParam> = net.generics.params.iter().collect();
    let type_params: Vec<syn::Ident> = net
        .generics
        .type_params()
        .map(|t| t.ident.clone())
        .collect();

    let tys: Vec<&Type> = net.layers.iter().map(|l| l.ty).collect();
    let members: Vec<_> = net.layers.iter().map(|l| &l.member).collect();
    let field_names: Vec<&str> = net.layers.iter().map(|l| l.name.as_str()).collect();
    let type_names: Vec<String> = tys.iter().map(|t| type_text(t)).collect();
    let concrete: Vec<Type> = tys
        .iter()
        .map(|t| {
            let mut t = (*t).clone();
            Concrete(&type_params).visit_type_mut(&mut t);
            t
        })
        .collect();
    let n = tys.len();
    let first_field = field_names[0];
    let declared = match &net.attrs.input {
        Some(shape) => quote!(::core::option::Option::Some(#shape)),
        None => quote!(::core::option::Option::None),
    };

    let infos = concrete
        .iter()
        .zip(&tys)
        .map(|(c, t)| quote_spanned!(t.span()=> <#c as ::constnn::shape::Describe>::INFO));
    let checks = tys.iter().enumerate().map(|(k, t)| {
        quote_spanned! {t.span()=>
            const _: () = ::constnn::shape::check_connection(#name, &FIELDS, &TYPES, &LAYERS, INPUT, #k);
        }
    });

    let chain = Chain {
        tys: &tys,
        members: &members,
    };
    let shapes = chain.shape_consts();
    let layer_impl = chain.layer_impl(
        &quote!(#(#user_params,)*),
        &quote!(#ident #ty_g),
        &quote!(#(#where_preds,)*),
    );
    let visits = members.iter().zip(&field_names).zip(&tys).map(|((m, f), t)| {
        quote!(__v.enter(#f); <#t as ::constnn::layer::Params<__T>>::visit(&mut self.#m, __v); __v.leave();)
    });
    let visits_ref = members.iter().zip(&field_names).zip(&tys).map(|((m, f), t)| {
        quote!(__v.enter(#f); <#t as ::constnn::layer::Params<__T>>::visit_ref(&self.#m, __v); __v.leave();)
    });
    let param_bounds = tys
        .iter()
        .map(|t| quote!(#t: ::constnn::layer::Params<__T>));

    quote! {
        #[allow(non_upper_case_globals, clippy::type_complexity)]
        const _: () = {
            const FIELDS: [&str; #n] = [#(#field_names),*];
            const TYPES: [&str; #n] = [#(#type_names),*];
            const LAYERS: [::constnn::shape::LayerInfo; #n] = [#(#infos),*];
            const INPUT: ::constnn::shape::Shape = ::constnn::shape::network_input(#name, #first_field, #declared, &LAYERS);
            #(#checks)*

            #shapes
            #layer_impl

            #[automatically_derived]
            impl<#(#user_params,)* __T> ::constnn::layer::Params<__T> for #ident #ty_g
            where #(#where_preds,)* #(#param_bounds,)*
            {
                fn visit(&mut self, __v: &mut dyn ::constnn::layer::Visitor<__T>) {
                    #(#visits)*
                }
                fn visit_ref(&self, __v: &mut dyn ::constnn::layer::VisitorRef<__T>) {
                    #(#visits_ref)*
                }
            }

            #[automatically_derived]
            impl #impl_g ::constnn::shape::Describe for #ident #ty_g #where_c {
                const INFO: ::constnn::shape::LayerInfo = ::constnn::shape::LayerInfo {
                    rule: ::constnn::shape::Rule::Seq(&LAYERS),
                    params: ::constnn::shape::total_params(&LAYERS),
                };
            }

            #[automatically_derived]
            impl #impl_g ::constnn::layer::Network for #ident #ty_g #where_c {
                const NAME: &'static str = #name;
                const INPUT: ::constnn::shape::Shape = INPUT;
                fn summary(&self) -> ::constnn::layer::Summary {
                    let mut rows = ::std::vec::Vec::with_capacity(#n);
                    let mut x = INPUT;
                    for k in 0..#n {
                        x = ::constnn::shape::apply_lenient(&LAYERS[k].rule, x);
                        rows.push(::constnn::layer::SummaryRow { field: FIELDS[k], ty: TYPES[k], output: x, params: LAYERS[k].params });
                    }
                    ::constnn::layer::Summary { name: #name, input: INPUT, rows }
                }
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_text_reads_like_the_source() {
        let ty: Type = syn::parse_quote!(Conv2d<1, 6, 5, 1, 2>);
        assert_eq!(type_text(&ty), "Conv2d<1, 6, 5, 1, 2>");
        let ty: Type = syn::parse_quote!(::constnn::layer::Dense<784, 128, f64>);
        assert_eq!(type_text(&ty), "::constnn::layer::Dense<784, 128, f64>");
    }

    #[test]
    fn type_parameters_become_f32_for_the_shape_checks() {
        let mut ty: Type = syn::parse_quote!(Dense<4, 3, T>);
        Concrete(&[syn::parse_quote!(T)]).visit_type_mut(&mut ty);
        assert_eq!(type_text(&ty), "Dense<4, 3, f32>");
    }
}
