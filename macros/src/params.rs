//! The parameter walk: `Params<T>` (`visit` and `visit_ref`, written from one description of
//! the fields) and `ParamCount`, for `#[derive(Params)]` and for networks.
//!
//! For `struct Dense { #[param(grad = dw, name = "weight", kind = weight)] w: Matrix<..>, dw: … }`
//! `visit` reports `Param { name: "weight", kind, shape, value: &mut self.w, grad: &mut self.dw }`;
//! a `#[layer]` field (every field of a network) is visited between `enter("field")` and
//! `leave()`, so visitors build dotted paths such as `c1.weight`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Field};
use crate::attr::{Role, TensorAttrs};
use crate::generics::impl_parts;

/// What the walk does with one field.
enum Entry<'a> {
    Param {
        field: &'a Field<'a>,
        tensor: &'a TensorAttrs,
        kind: &'a TokenStream,
        grad: &'a syn::Ident,
    },
    Buffer {
        field: &'a Field<'a>,
        tensor: &'a TensorAttrs,
    },
    Layer(&'a Field<'a>),
}

fn entries<'a>(c: &'a Container<'a>, all_layers: bool) -> Vec<Entry<'a>> {
    c.fields
        .iter()
        .filter_map(|f| match &f.attrs.role {
            _ if all_layers => Some(Entry::Layer(f)),
            Role::Plain => None,
            Role::Layer => Some(Entry::Layer(f)),
            Role::Param(p) => Some(Entry::Param {
                field: f,
                tensor: &p.tensor,
                kind: &p.kind,
                grad: p.grad.as_ref()?,
            }),
            Role::Buffer(t) => Some(Entry::Buffer {
                field: f,
                tensor: t,
            }),
        })
        .collect()
}

fn name(field: &Field<'_>, tensor: &TensorAttrs) -> TokenStream {
    match &tensor.name {
        Some(lit) => quote!(#lit),
        None => {
            let n = &field.name;
            quote!(#n)
        }
    }
}

/// The shape expression; `value` is the tensor's accessor (`&self.w`).
fn shape(tensor: &TensorAttrs, value: &TokenStream) -> TokenStream {
    match &tensor.shape {
        Some(s) => quote!(::constnn::layer::ParamShape::new(#s)),
        None => quote!(::constnn::layer::ParamTensor::param_shape(#value)),
    }
}

/// The walk for one receiver: `mutable` selects `visit` (`Param`, `&mut`) or `visit_ref`.
fn walk(entries: &[Entry<'_>], mutable: bool) -> TokenStream {
    let (param, buffer, values, borrow, method) = if mutable {
        (
            quote!(Param),
            quote!(Buffer),
            quote!(values_mut),
            quote!(&mut),
            quote!(visit),
        )
    } else {
        (
            quote!(ParamRef),
            quote!(BufferRef),
            quote!(values),
            quote!(&),
            quote!(visit_ref),
        )
    };
    let steps = entries.iter().map(|e| match e {
        Entry::Param {
            field,
            tensor,
            kind,
            grad,
        } => {
            let m = &field.member;
            let (n, s) = (name(field, tensor), shape(tensor, &quote!(&self.#m)));
            quote! {
                let __shape = #s;
                __v.param(::constnn::layer::#param {
                    name: #n,
                    kind: #kind,
                    shape: __shape,
                    value: ::constnn::layer::ParamTensor::#values(#borrow self.#m),
                    grad: ::constnn::layer::ParamTensor::#values(#borrow self.#grad),
                });
            }
        }
        Entry::Buffer { field, tensor } => {
            let m = &field.member;
            let (n, s) = (name(field, tensor), shape(tensor, &quote!(&self.#m)));
            quote! {
                let __shape = #s;
                __v.buffer(::constnn::layer::#buffer {
                    name: #n,
                    shape: __shape,
                    value: ::constnn::layer::ParamTensor::#values(#borrow self.#m),
                });
            }
        }
        Entry::Layer(field) => {
            let (m, n, ty) = (&field.member, &field.name, field.ty);
            quote_spanned! {ty.span()=>
                __v.enter(#n);
                <#ty as ::constnn::layer::Params<__T>>::#method(#borrow self.#m, __v);
                __v.leave();
            }
        }
    });
    quote!(#(#steps)*)
}

/// `impl Params<__T>` and `impl ParamCount` for `c`; with `all_layers` every field is a
/// sub-layer (a network).
pub fn expand(c: &Container<'_>, all_layers: bool) -> TokenStream {
    let entries = entries(c, all_layers);
    let ident = c.ident;
    let t_param: syn::GenericParam = syn::parse_quote!(__T);
    let with_t = impl_parts(c.generics, &[t_param]);
    let plain = impl_parts(c.generics, &[]);
    let (impl_t, ty_g, preds) = (
        &with_t.impl_generics,
        &with_t.ty_generics,
        &with_t.where_preds,
    );
    let bounds = entries.iter().map(|e| match e {
        Entry::Param { field, grad, .. } => {
            let ty = field.ty;
            let grad_ty = c
                .fields
                .iter()
                .find(|f| matches!(&f.member, syn::Member::Named(id) if id == *grad))
                .map(|f| f.ty);
            let grad_bound =
                grad_ty.map(|g| quote!(#g: ::constnn::layer::ParamTensor<Elem = __T>,));
            quote_spanned!(ty.span()=> #ty: ::constnn::layer::ParamTensor<Elem = __T>, #grad_bound)
        }
        Entry::Buffer { field, .. } => {
            let ty = field.ty;
            quote_spanned!(ty.span()=> #ty: ::constnn::layer::ParamTensor<Elem = __T>,)
        }
        // `for<'__p>`: the bound's supertrait `ParamCount` on a concrete field type must not
        // be checked where the impl is written (a field without it is reported by the count).
        Entry::Layer(field) => {
            let ty = field.ty;
            quote_spanned!(ty.span()=> for<'__p> #ty: ::constnn::layer::Params<__T>,)
        }
    });
    let counts = entries.iter().filter_map(|e| match e {
        Entry::Param { field, .. } => {
            let m = &field.member;
            Some(quote!(::constnn::layer::ParamTensor::len(&self.#m)))
        }
        Entry::Buffer { .. } => None,
        Entry::Layer(field) => {
            let (m, ty) = (&field.member, field.ty);
            Some(quote_spanned!(ty.span()=> <#ty as ::constnn::layer::ParamCount>::num_params(&self.#m)))
        }
    });
    let count_bounds = entries.iter().filter_map(|e| match e {
        Entry::Param { field, .. } => {
            let ty = field.ty;
            Some(quote_spanned!(ty.span()=> #ty: ::constnn::layer::ParamTensor,))
        }
        Entry::Buffer { .. } => None,
        Entry::Layer(field) => {
            let ty = field.ty;
            Some(quote_spanned!(ty.span()=> #ty: ::constnn::layer::ParamCount,))
        }
    });
    // A network's count has no bounds: a field without `ParamCount` is then one error, in
    // the body, on the field (a bound on a concrete type would be a second, at the impl).
    let count_bounds: Vec<TokenStream> = if all_layers {
        Vec::new()
    } else {
        count_bounds.collect()
    };
    let (visit, visit_ref) = (walk(&entries, true), walk(&entries, false));
    let (impl_plain, plain_preds) = (&plain.impl_generics, &plain.where_preds);
    quote! {
        #[automatically_derived]
        impl #impl_t ::constnn::layer::Params<__T> for #ident #ty_g
        where #preds #(#bounds)*
        {
            fn visit(&mut self, __v: &mut dyn ::constnn::layer::Visitor<__T>) {
                #visit
            }
            fn visit_ref(&self, __v: &mut dyn ::constnn::layer::VisitorRef<__T>) {
                #visit_ref
            }
        }

        #[automatically_derived]
        impl #impl_plain ::constnn::layer::ParamCount for #ident #ty_g
        where #plain_preds #(#count_bounds)*
        {
            fn num_params(&self) -> usize {
                0 #(+ #counts)*
            }
        }
    }
}
