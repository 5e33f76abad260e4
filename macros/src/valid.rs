//! Semantic checks of the derive input, each reported with a span.

use syn::{GenericParam, Member};

use crate::ast::{Container, Derive};
use crate::attr::Role;
use crate::ctxt::Ctxt;

/// Checks what the expansion relies on. Returns `false` when the struct cannot be expanded
/// at all (then only the fallback is emitted).
pub fn check(cx: &Ctxt, c: &Container<'_>, derive: Derive) -> bool {
    let mut expandable = true;
    if derive == Derive::Network && c.fields.is_empty() {
        cx.error_spanned_by(
            c.ident,
            format!(
                "`{}` has no layers: `#[derive(Network)]` needs one field per layer, in order",
                c.ident
            ),
        );
        expandable = false;
    }
    for param in &c.generics.params {
        match (param, derive) {
            (GenericParam::Lifetime(l), Derive::Network) => {
                cx.error_spanned_by(
                    l,
                    "a network cannot have lifetime parameters: its layers own their parameters",
                );
                expandable = false;
            }
            (GenericParam::Const(p), Derive::Network) => {
                cx.error_spanned_by(
                    &p.ident,
                    "a network cannot have const parameters: its shapes are checked on the concrete dims written in its fields",
                );
                expandable = false;
            }
            _ => {}
        }
    }
    for f in &c.fields {
        if let Role::Param(p) = &f.attrs.role
            && let Some(grad) = &p.grad
            && !c
                .fields
                .iter()
                .any(|g| matches!(&g.member, Member::Named(id) if id == grad))
        {
            cx.error_spanned_by(grad, format!("no field `{grad}` holds this gradient"));
            expandable = false;
        }
    }
    expandable
}
