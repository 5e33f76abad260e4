#!/usr/bin/env bash
# Images/s of the main job (LeNet-5 on MNIST, examples/c4_lenet_mnist.rs) over thread counts.
#
#   benches/scaling.sh [-b BATCH] [-e EPOCHS] [-n TRAIN] [-w WORKERS] THREADS...
#   benches/scaling.sh -b 64 1 2            # this project's 2-core machine
#   benches/scaling.sh -b 256 1 2 4 8 16    # a 16-core machine
#
# For each thread count T, runs the example with RAYON_NUM_THREADS=T and reads its
# "mean epoch time … (N images/s)" line (training steps only; the dev evaluation after each
# epoch is not timed). WORKERS: "auto" (default: FitConfig::auto_workers picks K),
# "threads" (K = T), or a number (K fixed). Prints a markdown table to stdout, with the
# speed-up over the first row; the example's own output goes to stderr.
set -euo pipefail

batch=64 epochs=2 train=60000 workers=auto
while getopts "b:e:n:w:" opt; do
  case $opt in
    b) batch=$OPTARG ;;
    e) epochs=$OPTARG ;;
    n) train=$OPTARG ;;
    w) workers=$OPTARG ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
cargo build --release --example c4_lenet_mnist >&2

echo "| threads | workers K | images/s | speed-up |"
echo "|---:|---:|---:|---:|"
first=""
for t in "$@"; do
  case $workers in
    auto) k=0 ;;
    threads) k=$t ;;
    *) k=$workers ;;
  esac
  out=$(RAYON_NUM_THREADS=$t cargo run --release --quiet --example c4_lenet_mnist -- \
    --epochs "$epochs" --batch "$batch" --train "$train" --workers "$k" | tee /dev/stderr)
  rate=$(sed -n 's/.*(\([0-9]*\) images\/s).*/\1/p' <<<"$out" | tail -n 1)
  used=$(sed -n 's/^\([0-9]*\) data-parallel worker.*/\1/p' <<<"$out" | head -n 1)
  if [ -z "$rate" ]; then
    echo "no images/s line for $t threads" >&2
    exit 1
  fi
  first=${first:-$rate}
  echo "| $t | $used | $rate | $(awk -v a="$rate" -v b="$first" 'BEGIN { printf "%.2f", a / b }') |"
done
