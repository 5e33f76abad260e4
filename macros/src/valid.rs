//! Semantic checks of the derive input, each reported with a span.

use syn::GenericParam;

use crate::ast::Network;
use crate::ctxt::Ctxt;

/// Checks what the expansion relies on. Returns `false` when the struct cannot be expanded
/// at all (then only the fallback is emitted).
pub fn check(cx: &Ctxt, net: &Network<'_>) -> bool {
    let mut expandable = true;
    if net.layers.is_empty() {
        cx.error_spanned_by(
            net.ident,
            format!(
                "`{}` has no layers: `#[derive(Network)]` needs one field per layer, in order",
                net.ident
            ),
        );
        expandable = false;
    }
    for param in &net.generics.params {
        match param {
            GenericParam::Type(_) => {}
            GenericParam::Lifetime(l) => {
                cx.error_spanned_by(
                    l,
                    "a network cannot have lifetime parameters: its layers own their parameters",
                );
                expandable = false;
            }
            GenericParam::Const(c) => {
                cx.error_spanned_by(
                    &c.ident,
                    "a network cannot have const parameters: its shapes are checked on the concrete dims written in its fields",
                );
                expandable = false;
            }
        }
    }
    expandable
}
