//! What a failed derive emits: the errors, plus stub impls of what the struct's users call
//! (`Layer`, `Params`, `Network`, …), so that code using it adds no error of its own. The
//! stubs never run: the program does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Derive;
use crate::generics::impl_parts;

/// `compile_error!`s for `err`, and the stubs.
pub fn emit(input: &DeriveInput, err: syn::Error, derive: Derive) -> TokenStream {
    let errors = err.to_compile_error();
    let ident = &input.ident;
    let t: syn::GenericParam = syn::parse_quote!(__T);
    let x: syn::GenericParam = syn::parse_quote!(__X: ::constnn::tensor::Tensor);
    let (with_t, with_x, plain) = (
        impl_parts(&input.generics, &[t]),
        impl_parts(&input.generics, &[x]),
        impl_parts(&input.generics, &[]),
    );
    let ty_g = &plain.ty_generics;
    let (impl_t, pt) = (&with_t.impl_generics, &with_t.where_preds);
    let (impl_p, pp) = (&plain.impl_generics, &plain.where_preds);
    let params = quote! {
        #[automatically_derived]
        impl #impl_t ::constnn::layer::Params<__T> for #ident #ty_g where #pt {}
        #[automatically_derived]
        impl #impl_p ::constnn::layer::ParamCount for #ident #ty_g where #pp {
            fn num_params(&self) -> usize { 0 }
        }
    };
    if derive == Derive::Params {
        return quote!(#errors #params);
    }
    let (impl_x, px) = (&with_x.impl_generics, &with_x.where_preds);
    let name = ident.to_string();
    quote! {
        #errors
        #params
        #[automatically_derived]
        impl #impl_x ::constnn::layer::Layer<__X> for #ident #ty_g where #px {
            type Output = __X;
            type Cache = ();
            fn forward(&mut self, _: &__X, _: &mut __X, _: &mut ()) -> ::constnn::Result<()> { ::core::result::Result::Ok(()) }
            fn infer(&self, _: &__X, _: &mut __X, _: &mut ()) {}
            fn backward(&mut self, _: &__X, _: &__X, _: &mut (), _: &__X, _: ::core::option::Option<&mut __X>) {}
        }
        #[automatically_derived]
        impl #impl_p ::constnn::shape::Describe for #ident #ty_g where #pp {
            const RULE: ::constnn::shape::Rule = ::constnn::shape::Rule::SAME;
        }
        #[automatically_derived]
        impl #impl_p ::constnn::layer::Network for #ident #ty_g where #pp {
            const NAME: &'static str = #name;
            const INPUT: ::constnn::shape::Shape = ::constnn::shape::Shape::flat(0);
            fn summary(&self) -> ::constnn::layer::Summary {
                ::constnn::layer::Summary { name: #name, input: Self::INPUT, rows: ::std::vec::Vec::new() }
            }
        }
    }
}
