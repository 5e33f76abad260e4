#!/usr/bin/env bash
# One sitting of every speed figure (issue 14's closing note): the benches of a baseline
# commit and of this checkout back to back, on 1 and 2 threads, then PyTorch, then the main
# job's time to 0.985 test accuracy. Criterion medians are read from the logs it writes.
#
#   benches/sitting.sh [BASE_COMMIT] [OUT_DIR]
#
# BASE_COMMIT (default: the merge base with main) is built in a separate worktree beside
# this one (../wt-sitting-base, or $BASE_DIR), so the before/after (the kernel-dispatch
# refactor included) compares two binaries, not two sittings. Short criterion runs (0.5 s
# warm-up, 1 s measurement) keep the runs near 20 minutes after the builds; check the machine is quiet first (`cat /proc/loadavg`,
# `ps aux | grep -c rustc`).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
base=${1:-$(git merge-base HEAD main)}
out=${2:-$here/out/sitting}
mkdir -p "$out"
base_dir=${BASE_DIR:-$here/../wt-sitting-base}
if [[ ! -d $base_dir ]]; then
    git worktree add --detach "$base_dir" "$base"
fi
(cd "$base_dir" && git checkout -q --detach "$base" && cargo bench --no-run -q)
cargo bench --no-run -q
cargo build --release -q --example c4_lenet_mnist

opts=(--warm-up-time 0.5 --measurement-time 1)
{
    date -u
    cat /proc/loadavg
    echo "rustc processes: $(pgrep -c rustc || true)"
    echo "base $base, head $(git rev-parse --short HEAD)"
} | tee "$out/machine.txt"
for threads in 1 2; do
    for bench in kernels train_step; do
        (cd "$base_dir" && RAYON_NUM_THREADS=$threads cargo bench -q --bench $bench -- "${opts[@]}") \
            >"$out/base-$bench-t$threads.log" 2>&1
        RAYON_NUM_THREADS=$threads cargo bench -q --bench $bench -- "${opts[@]}" \
            >"$out/head-$bench-t$threads.log" 2>&1
    done
    RAYON_NUM_THREADS=$threads cargo bench -q --bench small_batch -- "${opts[@]}" \
        >"$out/head-small_batch-t$threads.log" 2>&1
done
# Without PyTorch the log says so and the sitting goes on to the main job.
python3 benches/compare_pytorch.py >"$out/pytorch.log" 2>&1 || echo "PyTorch: see $out/pytorch.log"
target/release/examples/c4_lenet_mnist --full 1 --epochs 4 >"$out/main-job-full.log" 2>&1
target/release/examples/c4_lenet_mnist >"$out/main-job.log" 2>&1
cat /proc/loadavg >>"$out/machine.txt"
# One line per bench: its name and criterion's median.
for f in "$out"/*.log; do
    awk -v f="$(basename "$f")" '
        /time:/ && !/%/ {
            i = index($0, "time:"); head = substr($0, 1, i - 1); gsub(/ +$/, "", head)
            if (head != "") name = head
            split(substr($0, i + 5), v, " "); print f ": " name " | " v[3] " " v[4]; next
        }
        /^[A-Z]/ { name = $0 }' "$f"
done >"$out/medians.txt"
echo "logs and medians.txt in $out"
