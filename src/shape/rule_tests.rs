use super::*;

const DENSE_4_3: Rule = Rule::map(Shape::flat(4), Shape::flat(3));
const DENSE_2_1: Rule = Rule::map(Shape::flat(2), Shape::flat(1));

#[test]
fn sequences_propagate_shapes_and_report_the_first_refusal_with_its_index() {
    const NET: Rule = Rule::seq(&[DENSE_4_3, Rule::SAME]);
    assert_eq!(apply(&NET, Shape::flat(4)), Ok(Shape::flat(3)));
    assert_eq!(NET.fixed_input(), Some(Shape::flat(4)));
    const BAD: Rule = Rule::seq(&[DENSE_4_3, Rule::SAME, DENSE_2_1]);
    let e = apply(&BAD, Shape::flat(4)).unwrap_err();
    assert_eq!(
        (e.layer, e.refusal, e.found),
        (2, Refusal::Exactly(Shape::flat(2)), Shape::flat(3))
    );
}

#[test]
fn lenet_shapes_follow_the_formula() {
    // 1×28×28 --conv 6@5×5 pad 2--> 6×28×28 --pool 2--> 6×14×14 --conv 16@5×5--> 16×10×10
    // --pool 2--> 16×5×5 --flatten--> 400.
    let c1 = Rule::images().channels(1).window2d(5, 1, 2).resize(0, 6);
    let p = Rule::images().window2d(2, 2, 0);
    let c2 = Rule::images().channels(6).window2d(5, 1, 0).resize(0, 16);
    let mut x = Shape::image(1, 28, 28);
    for (rule, want) in [
        (c1, Shape::image(6, 28, 28)),
        (p, Shape::image(6, 14, 14)),
        (c2, Shape::image(16, 10, 10)),
        (p, Shape::image(16, 5, 5)),
        (Rule::flatten(), Shape::flat(400)),
    ] {
        x = apply(&rule, x).unwrap();
        assert_eq!(x, want);
    }
    // Stride 2, padding 1 on 7×7 with f = 3: ⌊(7 + 2 − 3)/2⌋ + 1 = 4.
    let s2 = Rule::images().channels(2).window2d(3, 2, 1).resize(0, 1);
    assert_eq!(apply(&s2, Shape::image(2, 7, 7)), Ok(Shape::image(1, 4, 4)));
}

#[test]
fn reduce_keeps_the_leading_axes() {
    let gap = Rule::images().channels(5).reduce(1);
    assert_eq!(apply(&gap, Shape::image(5, 7, 3)), Ok(Shape::flat(5)));
    let e = apply(&Rule::SAME.reduce(1), Shape::flat(5)).unwrap_err();
    assert_eq!(e.refusal, Refusal::Reduce { keep: 1 });
}

#[test]
fn window_layers_refuse_what_they_cannot_take() {
    let c = Rule::images().channels(6).window2d(5, 1, 0).resize(0, 16);
    let refusal = |x| apply(&c, x).unwrap_err().refusal;
    assert_eq!(
        refusal(Shape::image(8, 14, 14)),
        Refusal::Axis { axis: 0, n: 6 }
    );
    assert_eq!(
        refusal(Shape::image(6, 4, 9)),
        Refusal::Window {
            axis: 1,
            f: 5,
            s: 1,
            p: 0
        }
    );
    assert_eq!(refusal(Shape::flat(400)), Refusal::Rank(3));
    let zero_stride = Rule::images().window2d(2, 0, 0);
    assert!(matches!(
        apply(&zero_stride, Shape::image(1, 4, 4))
            .unwrap_err()
            .refusal,
        Refusal::Window { s: 0, .. }
    ));
}

#[test]
fn shapes_beyond_the_typed_range_are_refused() {
    // 512·14·14 = 100 352 features > MAX_FEATURES; a 5000-pixel height > MAX_DIM.
    let e = apply(&Rule::flatten(), Shape::image(512, 14, 14)).unwrap_err();
    assert_eq!(e.refusal, Refusal::FeatureRange);
    let pool = Rule::images().window2d(2, 2, 0);
    let e = apply(&pool, Shape::image(3, MAX_DIM + 1, 8)).unwrap_err();
    assert_eq!(e.refusal, Refusal::DimRange { axis: 1 });
    // The largest widths inside the range are accepted: 8·64·64 = 32 768 > 32 767 is not.
    assert_eq!(
        apply(&Rule::flatten(), Shape::image(7, 64, 73)),
        Ok(Shape::flat(32_704))
    );
    assert!(apply(&Rule::flatten(), Shape::image(8, 64, 64)).is_err());
}

#[test]
fn lenient_application_continues_with_the_declared_shape() {
    // A dense layer given 5 features still outputs its declared 3.
    assert_eq!(
        apply_lenient(&DENSE_4_3, Shape::flat(5)),
        Some(Shape::flat(3))
    );
    // A convolution given the wrong channels still computes its spatial output: the wrong
    // channel count must not make the next layers' sizes wrong too.
    let c = Rule::images().channels(6).window2d(5, 1, 0).resize(0, 16);
    assert_eq!(
        apply_lenient(&c, Shape::image(8, 14, 14)),
        Some(Shape::image(16, 10, 10))
    );
    // A window that does not fit leaves the output unknown.
    assert_eq!(apply_lenient(&c, Shape::image(6, 3, 3)), None);
}

#[test]
fn a_rule_has_at_most_eight_ops() {
    let full = Rule::SAME
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3))
        .then(Op::Rank(3));
    assert_eq!(full.ops().len(), 8);
    let more = std::panic::catch_unwind(|| full.then(Op::Flatten));
    assert!(more.is_err());
}
