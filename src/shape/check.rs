//! The compile-time checks `#[derive(Network)]` emits, as `const fn`s that return a message
//! instead of panicking: the derive panics with it in an item of the user's crate, spanned on
//! the field, so the error shows the user's line and no frame of constnn.
//!
//! Each field is checked on the input it gets under [`apply_lenient`]: after a mismatch the
//! chain goes on with the declared shape of the layer that refused, so one wrong field gives
//! one error, and a second independent mistake further down gives a second one.

use super::rule::{Rule, apply, apply_lenient};
use super::{Message, Shape};

/// The network's input: `declared` when the struct says it, otherwise the fixed input of the
/// first layer (a dense layer's `n[0]`); `None` when neither tells it.
pub const fn network_input(declared: Option<Shape>, rules: &[Rule]) -> Option<Shape> {
    match declared {
        Some(s) => Some(s),
        None if rules.is_empty() => None,
        None => rules[0].fixed_input(),
    }
}

/// The message when the network's input cannot be told.
pub const fn input_error(net: &str, first_field: &str, input: Option<Shape>) -> Option<Message> {
    match input {
        Some(_) => None,
        None => Some(
            Message::new()
                .str("`")
                .str(net)
                .str("`: the input shape cannot be inferred from its first field `")
                .str(first_field)
                .str("`; declare it with #[network(input = N)] or #[network(input = (C, H, W))]"),
        ),
    }
}

/// The input of the field after one taking `x`: `rule` applied leniently (`None` stays
/// `None`). The derive chains it field by field, so the checks cost one pass over the network.
pub const fn next_input(rule: &Rule, x: Option<Shape>) -> Option<Shape> {
    match x {
        Some(s) => apply_lenient(rule, s),
        None => None,
    }
}

/// The input of field `k`: the network input passed through fields `0..k` leniently.
pub const fn lenient_input(rules: &[Rule], input: Option<Shape>, k: usize) -> Option<Shape> {
    let (mut i, mut cur) = (0, input);
    while i < k {
        cur = next_input(&rules[i], cur);
        i += 1;
    }
    cur
}

/// `shape`, or an empty placeholder (`0 features`) when it is unknown: the type of the
/// buffers after a field whose output cannot be told (a compile error has been reported).
pub const fn known_or_empty(shape: Option<Shape>) -> Shape {
    match shape {
        Some(s) => s,
        None => Shape::flat(0),
    }
}

/// Whether `rule` accepts `x` exactly. The derive runs field `k` only when every field up to
/// `k` accepts its (lenient) input — then every lenient input is the exact one; otherwise the
/// field is a stub that never runs, since the program does not compile.
pub const fn accepts(rule: &Rule, x: Option<Shape>) -> bool {
    match x {
        Some(s) => apply(rule, s).is_ok(),
        None => false,
    }
}

/// The message for field `k` when its rule refuses its (lenient) input `x`, naming it and the
/// field before it (or the network input) with their types and dims:
///
/// "`Net`: field `d2` (Dense<64, 10>) expects 64 features, but field `r1` (Relu) outputs 128
/// features".
pub const fn connection_error(
    net: &str,
    fields: &[&str],
    types: &[&str],
    rule: &Rule,
    x: Option<Shape>,
    k: usize,
) -> Option<Message> {
    let Some(x) = x else {
        return None; // an earlier field made the shape unknowable; it has its own error
    };
    let Err(e) = apply(rule, x) else {
        return None;
    };
    let m = Message::new()
        .str("`")
        .str(net)
        .str("`: field `")
        .str(fields[k])
        .str("` (")
        .str(types[k])
        .str(") ")
        .refusal(e.refusal, e.found)
        .str(", but ");
    let m = if k == 0 {
        m.str("the network input is ")
    } else {
        m.str("field `")
            .str(fields[k - 1])
            .str("` (")
            .str(types[k - 1])
            .str(") outputs ")
    };
    Some(m.shape(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [&str; 6] = ["c1", "p1", "c2", "p2", "flat", "out"];
    const TYPES: [&str; 6] = [
        "Conv2d<1, 6, 5, 1, 2>",
        "MaxPool2d<2>",
        "Conv2d<8, 16, 5>",
        "MaxPool2d<2>",
        "Flatten",
        "Dense<400, 10>",
    ];

    /// LeNet's convolutional part and a dense head, with `c2` given 8 input channels instead
    /// of 6.
    const RULES: [Rule; 6] = [
        Rule::images().channels(1).window2d(5, 1, 2).resize(0, 6),
        Rule::images().window2d(2, 2, 0),
        Rule::images().channels(8).window2d(5, 1, 0).resize(0, 16),
        Rule::images().window2d(2, 2, 0),
        Rule::flatten(),
        Rule::map(Shape::flat(400), Shape::flat(10)),
    ];

    fn errors(rules: &[Rule], input: Shape) -> Vec<String> {
        (0..rules.len())
            .filter_map(|k| {
                let x = lenient_input(rules, Some(input), k);
                connection_error("Net", &FIELDS, &TYPES, &rules[k], x, k)
            })
            .map(|m| m.as_str().to_owned())
            .collect()
    }

    #[test]
    fn a_wrong_channel_count_is_one_error_and_the_fields_after_it_are_fine() {
        // c2 goes on with its declared 8 channels: 16×10×10, pooled 16×5×5, flattened 400,
        // which the dense layer takes, so `out` is not reported.
        assert_eq!(
            errors(&RULES, Shape::image(1, 28, 28)),
            [
                "`Net`: field `c2` (Conv2d<8, 16, 5>) expects 8-channel images, but field `p1` (MaxPool2d<2>) outputs 6×14×14 image"
            ]
        );
        let input = Some(Shape::image(1, 28, 28));
        let ok = |k| accepts(&RULES[k], lenient_input(&RULES, input, k));
        assert!(ok(0) && ok(1) && !ok(2));
        // The layers after c2 accept its declared output: only c2's flag is down.
        assert!(ok(3) && ok(4) && ok(5));
    }

    #[test]
    fn a_second_independent_mistake_is_a_second_error() {
        let (mut rules, mut types) = (RULES, TYPES);
        (rules[5], types[5]) = (
            Rule::map(Shape::flat(300), Shape::flat(10)),
            "Dense<300, 10>",
        );
        let e: Vec<_> = (0..6)
            .filter_map(|k| {
                let x = lenient_input(&rules, Some(Shape::image(1, 28, 28)), k);
                connection_error("Net", &FIELDS, &types, &rules[k], x, k)
            })
            .map(|m| m.as_str().to_owned())
            .collect();
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[1],
            "`Net`: field `out` (Dense<300, 10>) expects 300 features, but field `flat` (Flatten) outputs 400 features"
        );
    }

    #[test]
    fn a_wrong_network_input_names_the_input() {
        let e = connection_error("Net", &FIELDS, &TYPES, &RULES[0], Some(Shape::flat(784)), 0);
        assert_eq!(
            e.unwrap().as_str(),
            "`Net`: field `c1` (Conv2d<1, 6, 5, 1, 2>) expects images, but the network input is 784 features"
        );
        // The shape after a rank error is unknown: nothing after c1 is reported.
        assert_eq!(errors(&RULES, Shape::flat(784)).len(), 1);
    }

    #[test]
    fn the_input_comes_from_the_declaration_or_the_first_dense_layer() {
        let dense_first = [Rule::map(Shape::flat(3), Shape::flat(1))];
        assert_eq!(network_input(None, &dense_first), Some(Shape::flat(3)));
        assert_eq!(
            network_input(Some(Shape::flat(7)), &dense_first),
            Some(Shape::flat(7))
        );
        assert_eq!(network_input(None, &[Rule::SAME]), None);
        assert_eq!(
            input_error("Net", "r0", None).unwrap().as_str(),
            "`Net`: the input shape cannot be inferred from its first field `r0`; declare it with #[network(input = N)] or #[network(input = (C, H, W))]"
        );
    }
}
