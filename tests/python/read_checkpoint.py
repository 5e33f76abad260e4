#!/usr/bin/env python3
"""Reads a constnn checkpoint with the Python `safetensors` package, independently of constnn.

    pip install safetensors numpy        # torch is optional
    cargo run --release --example c4_lenet_mnist -- --epochs 1 --train 3000
    python3 tests/python/read_checkpoint.py [out/lenet5.safetensors] [--mnist data/mnist]

Prints one line per tensor, sorted by name: dtype, shape, the exactly rounded sum of its
values (math.fsum), the sum of absolute values, and the 64-bit FNV-1a hash of its values'
little-endian bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3: a checksum any
language computes in three lines). Compare them with the values constnn holds.

When torch is installed it also loads the file with `safetensors.torch`, checks the tensors
equal numpy's bit for bit, and, for a LeNet-5 checkpoint (names `c1.weight` … `out.bias`),
builds the same network from `torch.nn` layers named like the Rust struct's fields and calls
`load_state_dict(strict=True)`: PyTorch accepts the names, shapes and layouts as they are.
With `--mnist DIR` it then prints the torch model's accuracy on the 10 000 MNIST test images
(pixels scaled to [0, 1], as constnn does), to compare with the example's "test accuracy".
"""

import gzip
import math
import struct
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

ROOT = Path(__file__).resolve().parents[2]
LENET5 = {"c1", "c2", "d1", "d2", "out"}


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def describe(tensors):
    for name in sorted(tensors):
        a = tensors[name]
        flat = [float(v) for v in a.ravel()]
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        print(
            f"{name:<20} {str(a.dtype):<8} {str(list(a.shape)):<16} "
            f"sum {math.fsum(flat):+.12e}  sum|x| {math.fsum(abs(v) for v in flat):.12e}  "
            f"fnv1a {fnv1a64(data):016x}"
        )


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def check_with_torch(path, tensors, mnist):
    try:
        import torch
        from safetensors.torch import load_file as load_torch
    except ImportError:
        print("torch: not installed, skipped")
        return
    state = load_torch(str(path))
    assert sorted(state) == sorted(tensors), "torch and numpy see different tensors"
    for name, t in state.items():
        assert torch.equal(t, torch.from_numpy(tensors[name].copy())), name
    print(f"torch {torch.__version__}: {len(state)} tensors, equal to numpy's bit for bit")
    if {n.split(".")[0] for n in state} != LENET5:
        return
    nn = torch.nn
    net = nn.Module()
    net.c1 = nn.Conv2d(1, 6, 5, padding=2)
    net.c2 = nn.Conv2d(6, 16, 5)
    net.d1, net.d2, net.out = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)
    net.load_state_dict(state, strict=True)
    print("torch: LeNet-5 load_state_dict(strict=True) ok")
    if mnist is None:
        return
    x = torch.from_numpy(read_idx(mnist / "t10k-images-idx3-ubyte.gz").astype(np.float32) / 255)
    y = torch.from_numpy(read_idx(mnist / "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    relu, pool = torch.relu, nn.functional.max_pool2d
    with torch.no_grad():
        h = pool(relu(net.c1(x.to(state["c1.weight"].dtype))), 2)
        h = pool(relu(net.c2(h)), 2).flatten(1)
        logits = net.out(relu(net.d2(relu(net.d1(h)))))
    accuracy = (logits.argmax(1) == y).double().mean().item()
    print(f"torch: test accuracy {accuracy:.4f} on {len(y)} MNIST test images")


def main(argv):
    mnist = None
    if "--mnist" in argv:
        i = argv.index("--mnist")
        mnist = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    path = Path(argv[0]) if argv else ROOT / "out" / "lenet5.safetensors"
    tensors = load_file(str(path))
    print(f"{path}: {len(tensors)} tensors")
    describe(tensors)
    check_with_torch(path, tensors, mnist)


if __name__ == "__main__":
    main(sys.argv[1:])
