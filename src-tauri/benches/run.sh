#!/usr/bin/env bash
# The import/report/chart/deck benchmark (README, "Benchmark"), on the program
# users get: `dertien` built with the window (the default features), beside
# a headless build for reference. Whole processes on the same files.
#
#   src-tauri/benches/run.sh                      # 100k and 1M leads
#   BENCH_SIZES=100000 src-tauri/benches/run.sh
#   BENCH_RUNS=15 src-tauri/benches/run.sh        # pairs per import (default 9)
#
# Imports are timed in turns, shipped import, floor, headless import, then
# again, so a machine that slows down for a while slows all three alike;
# each figure is the median with the range, and import/floor is the median
# of the ratios within each turn. Reports, charts and decks are timed by hyperfine,
# peak memory by GNU time. Generated data goes to bench-data/ (ignored by git).
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
runs=${BENCH_RUNS:-9}
data=bench-data
bin=$data/bin
mkdir -p "$bin"

# The shipped programs (the window linked in), then the headless one.
cargo build --release --locked --bins --example bench_data --example calamine_floor --example window_redraw --example present_slides
cp target/release/dertien target/release/dertien-window "$bin/"
for example in bench_data calamine_floor window_redraw present_slides; do cp "target/release/examples/$example" "$bin/"; done
cargo build --release --locked --no-default-features --bin dertien
cp target/release/dertien "$bin/dertien-headless"

# One run: "seconds peak-MB" of the command, with a fresh store when it imports.
measure() {
  local db=$1
  shift
  rm -f "$db" "$db-wal" "$db-shm"
  /usr/bin/time -f "%e %M" -o "$data/time.txt" "$@" >/dev/null
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$data/time.txt"
}

# "median (min–max)" of a column of numbers.
summary() {
  sort -g | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3g (%.3g–%.3g)", m, v[1], v[NR]}'
}

for n in $sizes; do
  file="$data/leads_$n.xlsx"
  [ -f "$file" ] || "$bin/bench_data" "$n" "$file"
  db="$data/store_$n.db"
  echo "## $n leads ($(du -h "$file" | cut -f1) workbook), $runs turns"
  : >"$data/turns_$n.txt"
  for turn in $(seq 0 "$runs"); do
    shipped=$(measure "$db" "$bin/dertien" --db "$db" import "$file")
    floor=$(measure "$db" "$bin/calamine_floor" "$file")
    headless=$(measure "$db" "$bin/dertien-headless" --db "$db" import "$file")
    # Turn 0 warms the caches and is not counted.
    [ "$turn" = 0 ] || echo "$shipped $floor $headless" >>"$data/turns_$n.txt"
  done
  t=$data/turns_$n.txt
  echo "| $n leads | seconds, median (range) | peak MB, median (range) |"
  echo "|---|---:|---:|"
  echo "| dertien import (shipped) | $(awk '{print $1}' "$t" | summary) | $(awk '{print $2}' "$t" | summary) |"
  echo "| dertien import (headless build) | $(awk '{print $5}' "$t" | summary) | $(awk '{print $6}' "$t" | summary) |"
  echo "| calamine read (floor) | $(awk '{print $3}' "$t" | summary) | $(awk '{print $4}' "$t" | summary) |"
  echo "| import / floor, shipped | $(awk '{print $1 / $3}' "$t" | summary) | |"
  echo "| import / floor, headless | $(awk '{print $5 / $3}' "$t" | summary) | |"
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin/dertien" --db "$db" import "$file" >/dev/null
  # The JSON report's evidence needs every lead: the first report after an
  # import reads them row by row and packs them into the store (store/pack.rs),
  # each one after unpacks them. The first is timed on a copy of the store as
  # the import left it; the rest on the store packed by hyperfine's warm-up.
  first=$data/store_first.db
  hyperfine --style basic -N --runs 10 --export-markdown "$data/report_first_$n.md" \
    --prepare "cp $db $first" -n "report --by source, the first after the import" \
    "$bin/dertien --db $first report --by source --format json"
  rm -f "$first" "$first-wal" "$first-shm"
  commands=()
  for by in source salesperson branch agent month response phone; do
    commands+=(-n "report --by $by" "$bin/dertien --db $db report --by $by --format json")
  done
  commands+=(-n "chart svg" "$bin/dertien --db $db chart --by salesperson --out $data/chart.svg")
  commands+=(-n "chart png" "$bin/dertien --db $db chart --by salesperson --out $data/chart.png")
  # The meeting in one file: every page drawn, from loading the leads to the file written.
  commands+=(-n "deck pdf" "$bin/dertien --db $db deck --out $data/deck.pdf")
  commands+=(-n "deck pptx" "$bin/dertien --db $db deck --out $data/deck.pptx")
  commands+=(-n "report (headless build)" "$bin/dertien-headless --db $db report --by salesperson --format json")
  hyperfine --style basic -N --warmup 3 --runs 20 --export-markdown "$data/report_$n.md" "${commands[@]}"
  # The window's redraw after a filter change, from the lead table in memory.
  "$bin/window_redraw" "$db" | tee "$data/window_$n.txt"
  # Meeting mode: entering Present, each slide at 1920 x 1080, the PDF deck.
  "$bin/present_slides" "$db" | tee "$data/present_$n.txt"
done
