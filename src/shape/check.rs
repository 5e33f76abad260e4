//! The compile-time checks `#[derive(Network)]` emits.

use super::rule::{LayerInfo, Rule, apply, fixed_input, input_of};
use super::{Message, Shape};

/// The check for field `k` (spanned on that field): panics at compile time with a message
/// naming both fields and the dims when layer `k` refuses the output of layer `k − 1` (or
/// the network input, for `k = 0`).
pub const fn check_connection(
    net: &str,
    fields: &[&str],
    types: &[&str],
    layers: &[LayerInfo],
    input: Shape,
    k: usize,
) {
    let x = input_of(layers, input, k);
    if let Err(e) = apply(&layers[k].rule, x) {
        let msg = Message::connection(net, fields, types, k, e);
        panic!("{}", msg.as_str());
    }
}

/// The network input: `declared` when the struct says it, otherwise the fixed input of the
/// first layer; panics at compile time when neither is known.
pub const fn network_input(
    net: &str,
    first_field: &str,
    declared: Option<Shape>,
    layers: &[LayerInfo],
) -> Shape {
    if let Some(s) = declared {
        return s;
    }
    match fixed_input(&layers[0].rule) {
        Some(s) => s,
        None => {
            let msg = Message::new()
                .str("`")
                .str(net)
                .str("`: the input shape cannot be inferred from its first field `")
                .str(first_field)
                .str("`; declare it with #[network(input = ...)]");
            panic!("{}", msg.as_str());
        }
    }
}

/// The run-time layers' backstop for hand-written code: panics at build time (in a `const`
/// block of `Conv2d`/pooling `forward`) when the annotated output `c_out × oh × ow` is not
/// what `rule` gives on `c × h × w`. The message shows the layer, both shapes and the formula.
pub const fn check_window_output(layer: &str, rule: Rule, input: Shape, annotated: Shape) {
    match apply(&rule, input) {
        Ok(out) if out.same(&annotated) => {}
        Ok(out) => {
            let msg = Message::new()
                .str(layer)
                .str(" on a ")
                .shape(input)
                .str(" gives a ")
                .shape(out)
                .str(" (n_out = ⌊(n + 2p − f)/s⌋ + 1), not the ")
                .shape(annotated)
                .str(" annotated");
            panic!("{}", msg.as_str());
        }
        Err(e) => {
            let msg = Message::new()
                .str(layer)
                .str(" ")
                .refusal(e.refusal)
                .str(": its input is a ")
                .shape(input);
            panic!("{}", msg.as_str());
        }
    }
}
