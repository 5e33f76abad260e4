//! Generics of the generated impls: the struct's own (defaults stripped by `split_for_impl`)
//! plus the derive's, and the struct's field types made concrete for item-level checks.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{GenericParam, Generics, Ident, Type, WherePredicate};

/// `impl<…>` parameters and `where` predicates for an impl on the struct with the extra
/// parameters `extra` (e.g. `__X: Tensor`), and the struct's type arguments.
pub struct ImplParts {
    /// `<A, const N: usize, __X: Tensor>`, without defaults.
    pub impl_generics: TokenStream,
    /// `<A, N>`.
    pub ty_generics: TokenStream,
    /// The user's where predicates followed by a comma, or nothing.
    pub where_preds: TokenStream,
}

/// Splits `generics` with `extra` parameters appended.
pub fn impl_parts(generics: &Generics, extra: &[GenericParam]) -> ImplParts {
    let mut all = generics.clone();
    all.params.extend(extra.iter().cloned());
    let (impl_g, _, _) = all.split_for_impl();
    let (_, ty_g, where_c) = generics.split_for_impl();
    let preds: Vec<&WherePredicate> = where_c
        .map(|w| w.predicates.iter().collect())
        .unwrap_or_default();
    ImplParts {
        impl_generics: quote!(#impl_g),
        ty_generics: quote!(#ty_g),
        where_preds: quote!(#(#preds,)*),
    }
}

/// Replaces the struct's type parameters by `f32` in a field type, so item-level checks
/// (which cannot mention generic parameters) see a concrete type. Shape rules and parameter
/// counts depend on dims, never on the element type.
pub struct Concrete<'a>(pub &'a [Ident]);

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

/// `ty` with the type parameters of `generics` replaced by `f32`.
pub fn concrete(generics: &Generics, ty: &Type) -> Type {
    let params: Vec<Ident> = generics.type_params().map(|t| t.ident.clone()).collect();
    let mut ty = ty.clone();
    Concrete(&params).visit_type_mut(&mut ty);
    ty
}

/// `Dense < 784 , 128 >` → `Dense<784, 128>`: the type as the user wrote it, for messages.
pub fn type_text(ty: &Type) -> String {
    let raw = quote!(#ty).to_string();
    raw.replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace(":: ", "::")
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
    fn type_parameters_become_f32_and_defaults_leave_the_impl() {
        let g: Generics = syn::parse_quote!(<T: Scalar = f32>);
        let ty: Type = syn::parse_quote!(Dense<4, 3, T>);
        assert_eq!(type_text(&concrete(&g, &ty)), "Dense<4, 3, f32>");
        let extra: GenericParam = syn::parse_quote!(__X: Tensor);
        let parts = impl_parts(&g, &[extra]);
        assert_eq!(
            parts.impl_generics.to_string(),
            "< T : Scalar , __X : Tensor >"
        );
        assert_eq!(parts.ty_generics.to_string(), "< T >");
    }
}
