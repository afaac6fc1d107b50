#!/usr/bin/env bash
# The import/report/chart benchmark (README, "Benchmark"). Whole processes on
# the same files, timed by hyperfine; peak memory by GNU time.
#
#   src-tauri/benches/run.sh            # 100k and 1M leads
#   BENCH_SIZES=100000 src-tauri/benches/run.sh
#
# Generated reports and stores go to bench-data/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq hyperfine time >/dev/null
  else
    echo "needs hyperfine and GNU time: sudo apt-get install hyperfine time" >&2
    exit 1
  fi
fi

sizes=${BENCH_SIZES:-"100000 1000000"}
data=bench-data
bin=target/release
mkdir -p "$data"

# The engine without the window: the same code path as the app's command line.
cargo build --release --no-default-features --bin dertien --example bench_data --example calamine_floor --example window_redraw

peak_mb() { # command... -> peak resident set size in MB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'
}

for n in $sizes; do
  file="$data/leads_$n.xlsx"
  [ -f "$file" ] || "$bin/examples/bench_data" "$n" "$file"
  db="$data/store_$n.db"
  echo "## $n leads ($(du -h "$file" | cut -f1) workbook)"
  hyperfine --style basic --warmup 1 --runs "${BENCH_RUNS:-5}" \
    --prepare "rm -f $db $db-wal $db-shm" \
    --export-markdown "$data/import_$n.md" \
    -n "dertien import" "$bin/dertien --db $db import $file" \
    -n "calamine read (floor)" "$bin/examples/calamine_floor $file"
  rm -f "$db" "$db-wal" "$db-shm"
  echo "peak memory: dertien import $(peak_mb "$bin/dertien" --db "$db" import "$file") MB," \
       "calamine whole-sheet read $(peak_mb "$bin/examples/calamine_floor" "$file") MB"
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin/dertien" --db "$db" import "$file" >/dev/null
  commands=()
  for by in source salesperson branch month response phone; do
    commands+=(-n "report --by $by" "$bin/dertien --db $db report --by $by --format json")
  done
  commands+=(-n "chart svg" "$bin/dertien --db $db chart --by salesperson --out $data/chart.svg")
  commands+=(-n "chart png" "$bin/dertien --db $db chart --by salesperson --out $data/chart.png")
  hyperfine --style basic -N --warmup 3 --runs 20 --export-markdown "$data/report_$n.md" "${commands[@]}"
  # The window's redraw after a filter change, from the lead table in memory.
  "$bin/examples/window_redraw" "$db" | tee "$data/window_$n.txt"
done
