#!/usr/bin/env python3
"""PyTorch CPU timings of the workloads W1-W6 of DESIGN.md section 4, to set beside
`cargo bench --bench kernels`, `cargo bench --bench train_step` and
`cargo bench --bench small_batch` (W6: LeNet-5 inference on one image and on batches 2-16).

    python3 benches/compare_pytorch.py [--threads 1,2] [--repeats 15] [--target-ms 50]

Same shapes as the Rust benches (PyTorch's NCHW layout instead of constnn's C*H*W rows of m
samples). For each thread count (torch.set_num_threads) every workload is warmed up, then
timed as `repeats` runs of enough calls to last about `target-ms` each; the median time per
call is reported as samples/s (W1, W2, W2i), GFLOP/s (W3, W3s, W4) or GB/s of input read (W5).
Data is seeded random, as in benches/common.

Without PyTorch installed it says so and exits 0 (it is not a dependency of the project).
"""

import argparse
import statistics
import sys
import time
import warnings

# Without NumPy, importing torch warns that it cannot convert to NumPy; nothing here needs it.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:
    print(
        "compare_pytorch.py: PyTorch is not installed (`import torch` failed); "
        "no figures measured. Install it (`pip install torch`) to compare."
    )
    sys.exit(0)

BATCH = 64


def time_per_call(fn, repeats, target_s):
    """Median seconds per call of fn() after a warm-up, over `repeats` timed runs."""
    for _ in range(5):
        fn()
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < target_s:  # warm-up that also sizes a run
        fn()
        calls += 1
    per_run = max(1, calls)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(per_run):
            fn()
        times.append((time.perf_counter() - t0) / per_run)
    return statistics.median(times)


def mlp():
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10),
    )


def train_step(model, opt, x, y):
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    return step


def workloads(gen):
    """(id, description, unit, amount per call, fn) for every workload."""
    rand = lambda *shape: torch.rand(*shape, generator=gen) * 2 - 1  # noqa: E731
    labels = torch.randint(0, 10, (BATCH,), generator=gen)
    out = []

    torch.manual_seed(1)
    m = mlp()
    out.append(("W1", "mlp 784-128-10 train b64 (SGD)", "samples/s", BATCH,
                train_step(m, torch.optim.SGD(m.parameters(), lr=0.01), rand(BATCH, 784), labels)))

    net = lenet5()
    images = rand(BATCH, 1, 28, 28)
    out.append(("W2", "lenet train b64 (Adam)", "samples/s", BATCH,
                train_step(net, torch.optim.Adam(net.parameters(), lr=1e-3), images, labels)))

    infer_net = lenet5().eval()

    def infer():
        with torch.inference_mode():
            infer_net(images)

    out.append(("W2i", "lenet infer b64", "samples/s", BATCH, infer))

    # W6: one image at a time (and the small batches of W6m), inference mode.
    for m in (1, 2, 4, 8, 16):
        one = rand(m, 1, 28, 28)

        def infer_small(x=one):
            with torch.inference_mode():
                infer_net(x)

        out.append(("W6" if m == 1 else "W6m", f"lenet infer b{m}", "samples/s", m, infer_small))

    w, a, dz = rand(128, 784), rand(784, 64), rand(128, 64)
    flops = 2 * 128 * 784 * 64
    c_nn, c_nt, c_tn = torch.empty(128, 64), torch.empty(128, 784), torch.empty(784, 64)
    out.append(("W3", "dense W.A 128x784x64", "GFLOP/s", flops,
                lambda: torch.mm(w, a, out=c_nn)))
    out.append(("W3nt", "dW = dZ.A^T 128x64x784", "GFLOP/s", flops,
                lambda: torch.mm(dz, a.t(), out=c_nt)))
    out.append(("W3tn", "dA = W^T.dZ 784x128x64", "GFLOP/s", flops,
                lambda: torch.mm(w.t(), dz, out=c_tn)))

    s1, s2 = rand(16, 16), rand(16, 16)
    out.append(("W3s", "matmul 16x16 (allocating)", "GFLOP/s", 2 * 16 ** 3,
                lambda: torch.mm(s1, s2)))

    x4, w4, b4 = rand(32, 3, 32, 32), rand(16, 3, 3, 3), rand(16)
    out.append(("W4", "conv fwd 32x3x32x32 16f3p1", "GFLOP/s", 2 * 32 * 16 * 32 * 32 * 27,
                lambda: F.conv2d(x4, w4, b4, padding=1)))

    x5 = rand(32, 16, 32, 32)
    in_bytes = 4 * x5.numel()
    out.append(("W5", "maxpool 2x2 32x16x32x32", "GB/s", in_bytes,
                lambda: F.max_pool2d(x5, 2)))
    out.append(("W5", "maxpool 2x2 + indices (as training)", "GB/s", in_bytes,
                lambda: F.max_pool2d(x5, 2, return_indices=True)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--target-ms", type=float, default=50.0)
    args = p.parse_args()
    threads = [int(t) for t in args.threads.split(",")]

    print(f"PyTorch {torch.__version__}, {torch.backends.cpu.get_cpu_capability()}, "
          f"median of {args.repeats} runs of ~{args.target_ms:g} ms")
    results = {}
    for n in threads:
        torch.set_num_threads(n)
        gen = torch.Generator().manual_seed(7)
        for wid, desc, unit, amount, fn in workloads(gen):
            t = time_per_call(fn, args.repeats, args.target_ms / 1000)
            rate = amount / t
            if unit != "samples/s":
                rate /= 1e9
            results.setdefault((wid, desc, unit), {})[n] = (t, rate)

    head = "".join(f"{f'{n} thr: time':>16}{'rate':>12}" for n in threads)
    print(f"{'id':<5} {'workload':<38} {'unit':<10}{head}")
    for (wid, desc, unit), per in results.items():
        cols = "".join(f"{per[n][0] * 1e6:>13.1f} us{per[n][1]:>12,.2f}" for n in threads)
        print(f"{wid:<5} {desc:<38} {unit:<10}{cols}")


if __name__ == "__main__":
    main()
