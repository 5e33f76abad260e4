//! The derives' input, normalised once: named and tuple fields become one list.

use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type};

use crate::attr::{self, FieldAttrs, NetworkAttrs};
use crate::ctxt::Ctxt;

/// A struct the derive can expand.
pub struct Container<'a> {
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its generics.
    pub generics: &'a Generics,
    /// Its `#[network(...)]` attributes (empty for `derive(Params)`).
    pub attrs: NetworkAttrs,
    /// The fields in order.
    pub fields: Vec<Field<'a>>,
}

/// One field.
pub struct Field<'a> {
    /// `self.<member>`.
    pub member: Member,
    /// The name used in messages and parameter paths: the field name or its index.
    pub name: String,
    /// The field type.
    pub ty: &'a Type,
    /// Its attributes.
    pub attrs: FieldAttrs,
}

/// Which derive is reading the input (they accept different attributes).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    /// `#[derive(Network)]`: every field is a layer.
    Network,
    /// `#[derive(Params)]`: fields are parameters, buffers, sub-layers or plain data.
    Params,
}

/// What the derive was put on.
pub enum Input<'a> {
    /// A struct, possibly with no fields.
    Struct(Container<'a>),
    /// An enum or a union, with the word to put in the error.
    NotAStruct(&'static str),
}

/// Reads the derive input; attribute errors go to `cx`.
pub fn parse<'a>(cx: &Ctxt, input: &'a DeriveInput, derive: Derive) -> Input<'a> {
    let fields = match &input.data {
        Data::Struct(s) => &s.fields,
        Data::Enum(_) => return Input::NotAStruct("an enum"),
        Data::Union(_) => return Input::NotAStruct("a union"),
    };
    let fields: Vec<(&syn::Field, Member, String)> = match fields {
        Fields::Named(named) => named
            .named
            .iter()
            .filter_map(|f| {
                f.ident
                    .as_ref()
                    .map(|id| (f, Member::Named(id.clone()), id.to_string()))
            })
            .collect(),
        Fields::Unnamed(unnamed) => unnamed
            .unnamed
            .iter()
            .enumerate()
            .map(|(i, f)| (f, Member::Unnamed(i.into()), i.to_string()))
            .collect(),
        Fields::Unit => Vec::new(),
    };
    let fields = fields
        .into_iter()
        .map(|(f, member, name)| Field {
            attrs: attr::field_attrs(cx, &f.attrs, derive),
            member,
            name,
            ty: &f.ty,
        })
        .collect();
    let attrs = match derive {
        Derive::Network => attr::network_attrs(cx, &input.attrs),
        Derive::Params => {
            attr::reject_network_attrs(cx, &input.attrs);
            NetworkAttrs::default()
        }
    };
    Input::Struct(Container {
        ident: &input.ident,
        generics: &input.generics,
        attrs,
        fields,
    })
}
