use super::*;
use crate::layer::{BufferRef, ParamRef, VisitorRef};
use crate::optim::{Adam, AdamConfig, Free, Optimizer};
use crate::prelude::*;
use rand::{RngExt, SeedableRng, rngs::StdRng};
use safetensors::SafeTensors;
use std::path::PathBuf;

/// A network with every kind of tensor: convolution, 2-D and 1-D batch norm (with running
/// statistics), dense. Input 1×4×4; the 3×3 convolution with padding 1 keeps 4×4, so
/// flatten gives 2·4·4 = 32 features.
#[derive(Network)]
#[network(input = (1, 4, 4))]
struct Net<T: Scalar> {
    c1: Conv2d<1, 2, 3, 1, 1, T>,
    cbn: BatchNorm2d<2, T>,
    r1: Relu,
    flat: Flatten,
    d1: Dense<32, 5, T>,
    bn1: BatchNorm<5, T>,
    d2: Dense<5, 3, T>,
}

/// `Net` without `bn1`.
#[derive(Network)]
#[network(input = (1, 4, 4))]
struct NetNoBn {
    c1: Conv2d<1, 2, 3, 1, 1>,
    cbn: BatchNorm2d<2>,
    r1: Relu,
    flat: Flatten,
    d1: Dense<32, 5>,
    d2: Dense<5, 3>,
}

/// `Net` with 4 outputs instead of 3: only `d2` differs.
#[derive(Network)]
#[network(input = (1, 4, 4))]
struct NetWide {
    c1: Conv2d<1, 2, 3, 1, 1>,
    cbn: BatchNorm2d<2>,
    r1: Relu,
    flat: Flatten,
    d1: Dense<32, 5>,
    bn1: BatchNorm<5>,
    d2: Dense<5, 4>,
}

/// Every parameter and buffer set to seeded random values (so nothing is at its default).
fn randomize<T: Scalar, M: Params<T>>(model: &mut M, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let values: Vec<T> = (0..model.num_params())
        .map(|_| T::of(rng.random_range(-1.0..1.0)))
        .collect();
    model.set_values_from(&values);
    struct Fill(StdRng);
    impl<T: Scalar> crate::layer::Visitor<T> for Fill {
        fn param(&mut self, _: crate::layer::Param<'_, T>) {}
        fn buffer(&mut self, b: crate::layer::Buffer<'_, T>) {
            b.value
                .iter_mut()
                .for_each(|v| *v = T::of(self.0.random_range(0.5..2.0)));
        }
    }
    model.visit(&mut Fill(rng));
}

fn net<T: Scalar>(seed: u64) -> Net<T> {
    let mut n = Net {
        c1: Conv2d::new(Init::He, &mut StdRng::seed_from_u64(0)),
        cbn: BatchNorm2d::new(),
        r1: Relu,
        flat: Flatten,
        d1: Dense::zeros(),
        bn1: BatchNorm::new(),
        d2: Dense::zeros(),
    };
    randomize(&mut n, seed);
    n
}

/// The buffers' values in visiting order.
fn buffers<T: Scalar>(model: &impl Params<T>) -> Vec<T> {
    struct B<T>(Vec<T>);
    impl<T: Copy> VisitorRef<T> for B<T> {
        fn param(&mut self, _: ParamRef<'_, T>) {}
        fn buffer(&mut self, b: BufferRef<'_, T>) {
            self.0.extend_from_slice(b.value);
        }
    }
    let mut b = B(Vec::new());
    model.visit_ref(&mut b);
    b.0
}

fn bits<T: Scalar>(v: &[T]) -> Vec<u64> {
    v.iter().map(|x| x.as_f64().to_bits()).collect()
}

/// A fresh path under the temp directory, unique per test and process.
fn temp_path(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("constnn-ckpt-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("model.safetensors")
}

fn round_trip<T: Scalar>(test: &str) {
    let (a, mut b) = (net::<T>(1), net::<T>(2));
    assert_ne!(bits(&a.values_to_vec()), bits(&b.values_to_vec()));
    let path = temp_path(test);
    save(&a, &path).unwrap();
    load(&mut b, &path).unwrap();
    assert_eq!(bits(&b.values_to_vec()), bits(&a.values_to_vec()));
    assert_eq!(bits(&buffers(&b)), bits(&buffers(&a)));
    assert_eq!(buffers(&a).len(), 2 * 2 + 2 * 5);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn save_then_load_round_trips_bit_exactly_in_f32() {
    round_trip::<f32>("rt32");
}

#[test]
fn save_then_load_round_trips_bit_exactly_in_f64() {
    round_trip::<f64>("rt64");
}

#[test]
fn the_file_names_every_tensor_by_field_with_pytorch_shapes() {
    let bytes = save_bytes(&net::<f32>(1)).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut seen: Vec<(String, Vec<usize>, Dtype)> = file
        .iter()
        .map(|(n, t)| (n.to_string(), t.shape().to_vec(), t.dtype()))
        .collect();
    seen.sort();
    let want: Vec<(String, Vec<usize>, Dtype)> = [
        ("bn1.beta", vec![5]),
        ("bn1.gamma", vec![5]),
        ("bn1.running_mean", vec![5]),
        ("bn1.running_var", vec![5]),
        ("c1.bias", vec![2]),
        ("c1.weight", vec![2, 1, 3, 3]),
        ("cbn.beta", vec![2]),
        ("cbn.gamma", vec![2]),
        ("cbn.running_mean", vec![2]),
        ("cbn.running_var", vec![2]),
        ("d1.bias", vec![5]),
        ("d1.weight", vec![5, 32]),
        ("d2.bias", vec![3]),
        ("d2.weight", vec![3, 5]),
    ]
    .into_iter()
    .map(|(n, s)| (n.to_string(), s, Dtype::F32))
    .collect();
    assert_eq!(seen, want);
}

#[test]
fn a_bare_layer_is_saved_as_weight_and_bias() {
    let bytes = save_bytes(&Dense::<3, 2, f64>::zeros()).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort();
    assert_eq!(names, ["bias", "weight"]);
    assert_eq!(file.tensor("weight").unwrap().dtype(), Dtype::F64);
}

#[test]
fn another_shape_fails_naming_the_tensor_and_both_shapes_and_changes_nothing() {
    let path = temp_path("shape");
    save(&net::<f32>(1), &path).unwrap();
    let mut wide = NetWide {
        c1: Conv2d::new(Init::He, &mut StdRng::seed_from_u64(0)),
        cbn: BatchNorm2d::new(),
        r1: Relu,
        flat: Flatten,
        d1: Dense::zeros(),
        bn1: BatchNorm::new(),
        d2: Dense::zeros(),
    };
    randomize(&mut wide, 3);
    let before = (wide.values_to_vec(), buffers(&wide));
    let err = load(&mut wide, &path).unwrap_err();
    assert!(
        matches!(&err, Error::CheckpointShape { tensor, .. } if tensor == "d2.weight"),
        "{err:?}"
    );
    let want = format!(
        "{}: d2.weight: expected shape [4, 5], found [3, 5]",
        path.display()
    );
    assert_eq!(err.to_string(), want);
    // All or nothing: c1, cbn, d1 and bn1 matched, yet none of them was written.
    assert_eq!((wide.values_to_vec(), buffers(&wide)), before);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

fn no_bn() -> NetNoBn {
    NetNoBn {
        c1: Conv2d::new(Init::He, &mut StdRng::seed_from_u64(0)),
        cbn: BatchNorm2d::new(),
        r1: Relu,
        flat: Flatten,
        d1: Dense::zeros(),
        d2: Dense::zeros(),
    }
}

#[test]
fn a_tensor_missing_from_the_file_is_named() {
    let bytes = save_bytes(&no_bn()).unwrap();
    let err = load_bytes(&mut net::<f32>(1), &bytes).unwrap_err();
    assert!(matches!(err, Error::CheckpointMissing { .. }), "{err:?}");
    // Visiting order: c1, cbn, d1, then bn1.gamma is the first tensor the file lacks.
    assert_eq!(
        err.to_string(),
        "<memory>: bn1.gamma: missing from the checkpoint"
    );
}

#[test]
fn tensors_the_model_lacks_are_named() {
    let bytes = save_bytes(&net::<f32>(1)).unwrap();
    let err = load_bytes(&mut no_bn(), &bytes).unwrap_err();
    assert!(matches!(err, Error::CheckpointExtra { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "<memory>: tensors the model does not have: \
         bn1.beta, bn1.gamma, bn1.running_mean, bn1.running_var"
    );
}

#[test]
fn another_dtype_is_named() {
    let bytes = save_bytes(&net::<f64>(1)).unwrap();
    let err = load_bytes(&mut net::<f32>(1), &bytes).unwrap_err();
    assert!(matches!(err, Error::CheckpointDtype { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "<memory>: c1.weight: expected dtype F32, found F64"
    );
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let path = std::env::temp_dir().join("constnn-ckpt-no-such-dir/none.safetensors");
    let err = load(&mut Dense::<2, 1>::zeros(), &path).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&*path.to_string_lossy()),
        "{err}"
    );
}

#[test]
fn a_truncated_file_is_an_error_naming_it_never_a_panic() {
    let a = net::<f32>(1);
    let bytes = save_bytes(&a).unwrap();
    let path = temp_path("truncated");
    // Every cut in the length prefix and the header, then every 7th byte through the data.
    let header_end = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let cuts = (0..header_end + 16).chain((header_end..bytes.len()).step_by(7));
    for cut in cuts {
        let mut b = net::<f32>(2);
        let err = load_bytes(&mut b, &bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, Error::Checkpoint { .. }),
            "cut {cut}: {err:?}"
        );
        assert_eq!(b.values_to_vec(), net::<f32>(2).values_to_vec());
    }
    for cut in [0, 5, header_end / 2, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let err = load(&mut net::<f32>(2), &path).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(&*path.to_string_lossy()), "{text}");
        assert!(
            text.contains("not a readable safetensors checkpoint"),
            "{text}"
        );
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn garbage_and_flipped_bytes_give_errors_not_panics() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut model = net::<f32>(1);
    for len in (0..64).chain([100, 1000, 5000]) {
        let junk: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        assert!(load_bytes(&mut model, &junk).is_err());
        // A plausible length prefix followed by junk.
        let mut framed = (len as u64).to_le_bytes().to_vec();
        framed.extend_from_slice(&junk);
        assert!(load_bytes(&mut model, &framed).is_err());
    }
    // Each single-byte corruption of a small checkpoint: an error, or a load of other values
    // (a flip in the data), but no panic.
    let small = save_bytes(&Dense::<2, 1>::zeros()).unwrap();
    for i in 0..small.len() {
        for x in [0x01, 0x20, 0x80, 0xff] {
            let mut b = small.clone();
            b[i] ^= x;
            let _ = load_bytes(&mut Dense::<2, 1>::zeros(), &b);
        }
    }
}

#[test]
fn an_interrupted_save_leaves_the_old_checkpoint_loadable() {
    let (a, b) = (net::<f32>(1), net::<f32>(2));
    let path = temp_path("interrupted");
    save(&a, &path).unwrap();
    // A process killed in the middle of `save(&b, …)` leaves a partial temporary file beside
    // the target (atomic::write names it `.model.safetensors.tmp-<pid>-<k>`); the target is
    // untouched. The id of a process that has exited stands for the killed one.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let gone = child.id();
    child.wait().unwrap();
    let tmp = path.with_file_name(format!(".model.safetensors.tmp-{gone}-0"));
    let b_bytes = save_bytes(&b).unwrap();
    std::fs::write(&tmp, &b_bytes[..b_bytes.len() / 2]).unwrap();
    let mut loaded = net::<f32>(3);
    load(&mut loaded, &path).unwrap();
    assert_eq!(loaded.values_to_vec(), a.values_to_vec());
    assert!(load(&mut net::<f32>(3), &tmp).is_err());
    // The next save writes its own temporary file, renames it over the target and removes
    // the orphan (its process is gone).
    save(&b, &path).unwrap();
    load(&mut loaded, &path).unwrap();
    assert_eq!(loaded.values_to_vec(), b.values_to_vec());
    assert!(!tmp.exists());
    let files = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(files, 1);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_failed_save_leaves_the_old_checkpoint() {
    // The rename fails (the target is a non-empty directory), so atomic::write reports an
    // error and removes its temporary file; the directory's content is untouched.
    let path = temp_path("failed");
    std::fs::create_dir_all(path.join("keep")).unwrap();
    let err = save(&net::<f32>(1), &path).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(path.join("keep").is_dir());
    let files = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(files, 1, "no temporary file left");
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn duplicate_names_are_an_error() {
    struct Twice(Dense<2, 1>, Dense<2, 1>);
    impl crate::layer::ParamCount for Twice {
        fn num_params(&self) -> usize {
            6
        }
    }
    impl Params<f32> for Twice {
        fn visit_ref(&self, v: &mut dyn VisitorRef<f32>) {
            self.0.visit_ref(v);
            self.1.visit_ref(v);
        }
    }
    let err = save_bytes(&Twice(Dense::zeros(), Dense::zeros())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "<memory>: two tensors of the model are named weight"
    );
}

#[test]
fn optimizers_and_parameter_walks_skip_buffers() {
    let mut bn = BatchNorm::<3, f32>::new();
    bn.running_mean = Vector::from_rows([[0.5], [1.5], [-2.0]]);
    bn.dgamma = Vector::from_rows([[1.0], [1.0], [1.0]]);
    bn.dbeta = Vector::from_rows([[1.0], [1.0], [1.0]]);
    let stats = buffers(&bn);
    assert_eq!(bn.num_params(), 6);
    assert_eq!(bn.values_to_vec().len(), 6);
    let mut adam = Adam::new(AdamConfig::default()).unwrap();
    adam.step(&mut bn);
    assert_ne!(bn.gamma.as_slice(), &[1.0; 3], "the parameters moved");
    assert_eq!(buffers(&bn), stats, "the running statistics did not");
    // A free parameter vector is saved under its local name.
    let free = Free {
        value: vec![1.0f64, 2.0],
        grad: vec![0.0; 2],
    };
    let bytes = save_bytes(&free).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    assert_eq!(file.tensor("theta").unwrap().shape(), &[2]);
}
