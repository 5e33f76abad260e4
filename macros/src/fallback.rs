//! What a failed derive emits: the errors, plus a stub `Network` impl where the struct can
//! carry one, so code that uses the network does not add errors of its own.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

/// `compile_error!`s for `err`, and a stub impl for a generic-free struct.
pub fn emit(input: &DeriveInput, err: syn::Error) -> TokenStream {
    let errors = err.to_compile_error();
    let is_plain_struct =
        matches!(input.data, syn::Data::Struct(_)) && input.generics.params.is_empty();
    if !is_plain_struct {
        return errors;
    }
    let ident = &input.ident;
    let name = ident.to_string();
    quote! {
        #errors
        #[automatically_derived]
        impl ::constnn::layer::Network for #ident {
            const NAME: &'static str = #name;
            const INPUT: ::constnn::shape::Shape = ::constnn::shape::Shape::flat(0);
            fn summary(&self) -> ::constnn::layer::Summary {
                ::constnn::layer::Summary { name: #name, input: Self::INPUT, rows: ::std::vec::Vec::new() }
            }
        }
    }
}
