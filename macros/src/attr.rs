//! The derives' attributes.
//!
//! `#[derive(Network)]`, on the struct:
//! * `#[network(input = N)]` (N features) or `#[network(input = (C, H, W))]` (an image), for
//!   networks whose first layer does not fix its input shape;
//! * `#[network(init = he)]` (or `random`, `xavier`, `glorot`, `zeros`): generate
//!   `pub fn new(seed: u64) -> Self`, every layer built with that initialization.
//!
//! and on a field: `#[layer(init = glorot)]` (this layer's own initialization) or
//! `#[layer(with = expr)]` (build it with `expr`; `init: Init` and `rng: &mut StdRng` are in
//! scope).
//!
//! `#[derive(Params)]`, on a field:
//! * `#[param(grad = dw, name = "weight", kind = weight, shape = [N_OUT, N_IN])]`: a learnable
//!   tensor and the field holding its gradient (`name` defaults to the field's, `kind` to
//!   `other`, `shape` to the tensor's own);
//! * `#[buffer(name = "running_mean", shape = [C])]`: saved with the model, never learned;
//! * `#[layer]`: a sub-layer, visited under the field's name.
//!
//! Fields without one of these are not visited (settings, caches, generators).

use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Ident, LitStr};

use crate::ast::Derive;
use crate::ctxt::Ctxt;

/// The struct's `#[network(...)]` attributes.
#[derive(Default)]
pub struct NetworkAttrs {
    /// The declared input shape, an expression of type `::constnn::shape::Shape`.
    pub input: Option<TokenStream>,
    /// The initialization of the generated constructor, an `::constnn::tensor::Init`.
    pub init: Option<TokenStream>,
}

/// A field's role and options.
#[derive(Default)]
pub struct FieldAttrs {
    /// What the field is.
    pub role: Role,
    /// `#[layer(init = ...)]`: the layer's own initialization.
    pub init: Option<TokenStream>,
    /// `#[layer(with = ...)]`: how to build the layer.
    pub with: Option<Expr>,
}

/// What a field of a `#[derive(Params)]` struct is.
#[derive(Default)]
pub enum Role {
    /// Not visited.
    #[default]
    Plain,
    /// A sub-layer.
    Layer,
    /// A learnable tensor.
    Param(ParamAttrs),
    /// A non-learnable tensor saved with the model.
    Buffer(TensorAttrs),
}

/// Name and shape of a tensor field.
#[derive(Default)]
pub struct TensorAttrs {
    /// The local name (`"weight"`); the field name when absent.
    pub name: Option<LitStr>,
    /// The shape expression (`[N_OUT, N_IN]`); the tensor's own when absent.
    pub shape: Option<Expr>,
}

/// A `#[param(...)]`.
pub struct ParamAttrs {
    /// Name and shape.
    pub tensor: TensorAttrs,
    /// `::constnn::layer::ParamKind::…`.
    pub kind: TokenStream,
    /// The field holding the gradient.
    pub grad: Option<Ident>,
}

fn init_variant(cx: &Ctxt, expr: &Expr) -> Option<TokenStream> {
    let name = match expr {
        Expr::Path(p) => p.path.get_ident()?.to_string(),
        _ => String::new(),
    };
    let variant = match name.as_str() {
        "random" => quote!(Random),
        "he" => quote!(He),
        "xavier" => quote!(Xavier),
        "glorot" => quote!(Glorot),
        "zeros" => quote!(Zeros),
        _ => {
            cx.error_spanned_by(
                expr,
                "expected an initialization: `he`, `glorot`, `xavier`, `random` or `zeros`",
            );
            return None;
        }
    };
    Some(quote!(::constnn::tensor::Init::#variant))
}

/// Parses the struct's `#[network(...)]` attributes.
pub fn network_attrs(cx: &Ctxt, attrs: &[Attribute]) -> NetworkAttrs {
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
            } else if meta.path.is_ident("init") {
                let expr: Expr = meta.value()?.parse()?;
                if out.init.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `init`");
                }
                out.init = init_variant(cx, &expr).or(out.init.take());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown network attribute; expected `input = N`, `input = (C, H, W)` or `init = he`",
                ))
            }
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    out
}

/// `#[network(...)]` is not for `#[derive(Params)]`.
pub fn reject_network_attrs(cx: &Ctxt, attrs: &[Attribute]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("network")) {
        cx.error_spanned_by(attr, "`#[network(...)]` belongs to `#[derive(Network)]`");
    }
}

/// Parses a field's attributes for `derive`.
pub fn field_attrs(cx: &Ctxt, attrs: &[Attribute], derive: Derive) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs {
        let path = attr.path();
        let known = ["network", "layer", "param", "buffer"];
        let Some(word) = known.iter().find(|w| path.is_ident(w)) else {
            continue;
        };
        let result = match (*word, derive) {
            ("network", _) => {
                cx.error_spanned_by(attr, "`#[network(...)]` goes on the struct, not on a field");
                Ok(())
            }
            ("layer", Derive::Network) => layer_options(cx, attr, &mut out),
            ("layer", Derive::Params) => set_role(cx, attr, &mut out.role, Role::Layer),
            ("param", Derive::Params) => {
                param(attr).and_then(|p| set_role(cx, attr, &mut out.role, Role::Param(p)))
            }
            ("buffer", Derive::Params) => {
                let mut t = TensorAttrs::default();
                let parsed = match &attr.meta {
                    syn::Meta::Path(_) => Ok(()), // a bare `#[buffer]`
                    _ => attr.parse_nested_meta(|meta| tensor_option(&meta, &mut t)),
                };
                parsed.and_then(|()| set_role(cx, attr, &mut out.role, Role::Buffer(t)))
            }
            (w, _) => {
                cx.error_spanned_by(
                    attr,
                    format!("`#[{w}(...)]` belongs to `#[derive(Params)]` on a layer's struct; the fields of a network are layers"),
                );
                Ok(())
            }
        };
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

fn set_role(cx: &Ctxt, attr: &Attribute, role: &mut Role, new: Role) -> syn::Result<()> {
    if !matches!(role, Role::Plain) {
        cx.error_spanned_by(
            attr,
            "a field is one of `#[param]`, `#[buffer]` or `#[layer]`",
        );
    }
    *role = new;
    Ok(())
}

fn layer_options(cx: &Ctxt, attr: &Attribute, out: &mut FieldAttrs) -> syn::Result<()> {
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("init") {
            let expr: Expr = meta.value()?.parse()?;
            out.init = init_variant(cx, &expr);
        } else if meta.path.is_ident("with") {
            out.with = Some(meta.value()?.parse()?);
        } else {
            return Err(meta.error("expected `init = he` or `with = <expression>`"));
        }
        if out.init.is_some() && out.with.is_some() {
            cx.error_spanned_by(&meta.path, "give a layer `init` or `with`, not both");
        }
        Ok(())
    })
}

fn tensor_option(meta: &ParseNestedMeta<'_>, t: &mut TensorAttrs) -> syn::Result<()> {
    if meta.path.is_ident("name") {
        t.name = Some(meta.value()?.parse()?);
        Ok(())
    } else if meta.path.is_ident("shape") {
        t.shape = Some(meta.value()?.parse()?);
        Ok(())
    } else {
        Err(meta.error("expected `name = \"…\"` or `shape = [..]`"))
    }
}

fn param(attr: &Attribute) -> syn::Result<ParamAttrs> {
    let mut p = ParamAttrs {
        tensor: TensorAttrs::default(),
        kind: quote!(::constnn::layer::ParamKind::Other),
        grad: None,
    };
    attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("grad") {
            p.grad = Some(meta.value()?.parse()?);
            Ok(())
        } else if meta.path.is_ident("kind") {
            let kind: Ident = meta.value()?.parse()?;
            p.kind = match kind.to_string().as_str() {
                "weight" => quote!(::constnn::layer::ParamKind::Weight),
                "bias" => quote!(::constnn::layer::ParamKind::Bias),
                "other" => quote!(::constnn::layer::ParamKind::Other),
                _ => {
                    return Err(syn::Error::new(
                        kind.span(),
                        "expected `weight`, `bias` or `other`",
                    ));
                }
            };
            Ok(())
        } else {
            tensor_option(&meta, &mut p.tensor).map_err(|_| {
                meta.error(
                    "expected `grad = field`, `kind = weight`, `name = \"…\"` or `shape = [..]`",
                )
            })
        }
    })?;
    if p.grad.is_none() {
        return Err(syn::Error::new_spanned(
            attr,
            "a parameter needs the field of its gradient: `#[param(grad = dw)]`",
        ));
    }
    Ok(p)
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
