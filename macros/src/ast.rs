//! The derive's input, normalised once: named and tuple fields become one list of layers.

use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type};

use crate::attr::{self, NetworkAttrs};
use crate::ctxt::Ctxt;

/// A struct of layers.
pub struct Network<'a> {
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its generics.
    pub generics: &'a Generics,
    /// Its `#[network(...)]` attributes.
    pub attrs: NetworkAttrs,
    /// The layers in field order.
    pub layers: Vec<LayerField<'a>>,
}

/// One field, i.e. one layer.
pub struct LayerField<'a> {
    /// `self.<member>`.
    pub member: Member,
    /// The name used in messages: the field name or its index.
    pub name: String,
    /// The layer type.
    pub ty: &'a Type,
}

/// What kind of item the derive was put on, when it is not a struct.
pub enum Shape<'a> {
    /// A struct, possibly with no fields.
    Struct(Network<'a>),
    /// An enum or a union, with the keyword to span the error on.
    NotAStruct(&'static str),
}

/// Reads the derive input; attribute errors go to `cx`.
pub fn parse<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Shape<'a> {
    let fields = match &input.data {
        Data::Struct(s) => &s.fields,
        Data::Enum(_) => return Shape::NotAStruct("an enum"),
        Data::Union(_) => return Shape::NotAStruct("a union"),
    };
    let layers = match fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter_map(|f| {
                f.ident
                    .as_ref()
                    .map(|id| (f, Member::Named(id.clone()), id.to_string()))
            })
            .collect::<Vec<_>>(),
        Fields::Unnamed(unnamed) => unnamed
            .unnamed
            .iter()
            .enumerate()
            .map(|(i, f)| (f, Member::Unnamed(i.into()), i.to_string()))
            .collect(),
        Fields::Unit => Vec::new(),
    };
    let layers = layers
        .into_iter()
        .map(|(f, member, name)| {
            attr::field_attrs(cx, &f.attrs);
            LayerField {
                member,
                name,
                ty: &f.ty,
            }
        })
        .collect();
    Shape::Struct(Network {
        ident: &input.ident,
        generics: &input.generics,
        attrs: attr::struct_attrs(cx, &input.attrs),
        layers,
    })
}
