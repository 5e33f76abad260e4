//! `#[network(...)]` attributes.
//!
//! On the struct: `#[network(input = N)]` (N features) or `#[network(input = (C, H, W))]`
//! (an image), for networks whose first layer does not fix its input shape.
//! Field attributes are not accepted (each field is simply a layer).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Expr};

use crate::ctxt::Ctxt;

/// The parsed struct attributes.
#[derive(Default)]
pub struct NetworkAttrs {
    /// The declared input shape as an expression of type `::constnn::shape::Shape`.
    pub input: Option<TokenStream>,
}

/// Parses the struct's `#[network(...)]` attributes, recording errors in `cx`.
pub fn struct_attrs(cx: &Ctxt, attrs: &[Attribute]) -> NetworkAttrs {
    let mut out = NetworkAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("network")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("input") {
                let expr: Expr = meta.value()?.parse()?;
                match input_shape(&expr) {
                    Some(shape) if out.input.is_none() => out.input = Some(shape),
                    Some(_) => cx.error_spanned_by(&meta.path, "duplicate `input`"),
                    None => cx.error_spanned_by(
                        &expr,
                        "expected `input = N` (features) or `input = (C, H, W)` (an image)",
                    ),
                }
                Ok(())
            } else {
                Err(meta.error(
                    "unknown network attribute; the only one is `input = N` or `input = (C, H, W)`",
                ))
            }
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

/// Rejects `#[network(...)]` on a field.
pub fn field_attrs(cx: &Ctxt, attrs: &[Attribute]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("network")) {
        cx.error_spanned_by(attr, "`#[network(...)]` goes on the struct, not on a field");
    }
}

fn input_shape(expr: &Expr) -> Option<TokenStream> {
    match expr {
        Expr::Paren(p) => input_shape(&p.expr),
        Expr::Tuple(t) if t.elems.len() == 3 => {
            let (c, h, w) = (&t.elems[0], &t.elems[1], &t.elems[2]);
            Some(quote!(::constnn::shape::Shape::image(#c, #h, #w)))
        }
        Expr::Tuple(_) | Expr::Array(_) => None,
        e => Some(quote!(::constnn::shape::Shape::flat(#e))),
    }
}
