#!/usr/bin/env bash
# End-to-end throughput of `pprl tokenize`: synthetic CSV in, Parquet out,
# through the release binary, for both profiles. Prints a markdown summary
# that can be pasted into docs/performance.md.
#
# Needs only the repository and standard tools: bash, cargo, taskset,
# GNU time at /usr/bin/time, awk, sort.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bin/bench-e2e.sh [--quick] [--runs N] [--work-dir DIR] [--no-build]

  --quick         1M rows only (also: PPRL_BENCH_SKIP_10M=1)
  --runs N        timed runs per size and profile (default 5)
  --work-dir DIR  extracts, keys and outputs (default target/bench-e2e);
                  extracts already there are reused (pprl synth is
                  deterministic for a given seed)
  --no-build      measure the release binary already built

Builds `cargo build --release --locked` into $CARGO_TARGET_DIR (default
target/), then for 1M and 10M rows and each profile (pprl default rules,
opentoken) runs `pprl tokenize` N times and reports median rows/s with the
min-max spread and peak RSS; at 1M rows it also compares one core
(taskset -c 0) with two (taskset -c 0,1), median of 3 each.
EOF
}

quick=${PPRL_BENCH_SKIP_10M:-0}
runs=5
build=1
scaling_runs=3
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --runs) runs=$2; shift ;;
    --work-dir) work=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-e2e: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

cd "$(dirname "$0")/.."
work=${work:-target/bench-e2e}
target_dir=${CARGO_TARGET_DIR:-target}
pprl="$target_dir/release/pprl"
as_of=2026-01-01
seed=20260101

die() {
  echo "bench-e2e: $*" >&2
  exit 1
}

check_tools() {
  local tool
  for tool in cargo taskset awk sort nproc; do
    command -v "$tool" >/dev/null || die "$tool is missing"
  done
  # The shell builtin `time` cannot report peak RSS; GNU time can.
  if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
    die "GNU time is missing at /usr/bin/time (Debian/Ubuntu: apt-get install time)"
  fi
}

# Milliseconds since the epoch (GNU date).
now_ms() {
  date +%s%3N
}

# The median of numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# An integer with thousands separators: 1234567 -> 1,234,567.
group() {
  awk -v n="$1" 'BEGIN {
    s = sprintf("%.0f", n); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    print s out }'
}

label() {
  case "$1" in
    1000000) echo 1M ;;
    10000000) echo 10M ;;
    *) echo "$1" ;;
  esac
}

prepare_keys() {
  mkdir -p "$work"
  rm -f "$work/pprl.key" "$work/opentoken.secret"
  "$pprl" -q keygen --out "$work/pprl.key"
  # OpenToken reads its hashing secret as text; any random text will do.
  (
    umask 077
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$work/opentoken.secret"
  )
  chmod 600 "$work/pprl.key" "$work/opentoken.secret"
  # OpenToken's header aliases do not include `ssn`; name the column so
  # that rule T4 is computed as on a real extract.
  printf '[columns]\nssn = "ssn"\n' >"$work/opentoken.toml"
}

extract_for() {
  local rows=$1 path="$work/extract-$(label "$1").csv"
  if [ ! -s "$path" ]; then
    echo "generating $(label "$rows") rows into $path" >&2
    "$pprl" -q synth --rows "$rows" --seed "$seed" -o "$path"
  fi
  echo "$path"
}

# Tokenizes once; prints "<rows/s> <peak RSS KiB> <CPU s>", CPU time being
# user + system over all threads (steadier than wall time on a busy
# machine). Extra leading arguments (taskset ...) prefix the command.
tokenize_once() {
  local rows=$1 input=$2 profile=$3
  shift 3
  local out="$work/out-$profile"
  local args=(-q tokenize --input "$input" --output "$out" --as-of "$as_of")
  case "$profile" in
    pprl) args+=(--key-file "$work/pprl.key") ;;
    opentoken) args+=(--profile opentoken --key-file "$work/opentoken.secret"
      --config "$work/opentoken.toml") ;;
  esac
  # The previous run's output is removed before the clock starts: deleting
  # gigabytes of old part files (what --overwrite does at the end of a run)
  # is not tokenizing, and a production delivery goes to a new directory.
  rm -rf "$out" "$out.metadata.json"
  local start end
  start=$(now_ms)
  "$@" /usr/bin/time -f '%M %U %S' -o "$work/time.out" "$pprl" "${args[@]}"
  end=$(now_ms)
  tail -n 1 "$work/time.out" | awk -v rows="$rows" -v ms=$((end - start)) \
    '{ printf "%.0f %d %.2f\n", rows * 1000 / (ms > 0 ? ms : 1), $1, $2 + $3 }'
}

# Runs `tokenize_once` N times; prints "<median> <min> <max> <max RSS KiB>
# <median CPU s>".
measure() {
  local n=$1
  shift
  local i
  for ((i = 0; i < n; i++)); do
    tokenize_once "$@"
  done >"$work/runs.out"
  local med cpu
  med=$(awk '{ print $1 }' "$work/runs.out" | median)
  cpu=$(awk '{ print $3 }' "$work/runs.out" | median)
  awk -v med="$med" -v cpu="$cpu" 'NR == 1 { lo = $1; hi = $1; rss = $2 }
    { if ($1 < lo) lo = $1; if ($1 > hi) hi = $1; if ($2 > rss) rss = $2 }
    END { printf "%.0f %.0f %.0f %d %.2f\n", med, lo, hi, rss, cpu }' "$work/runs.out"
}

target_for() {
  case "$1" in
    pprl) echo 1000000 ;;
    opentoken) echo 600000 ;;
  esac
}

main() {
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  check_tools
  [ "$build" = 0 ] || cargo build --release --locked
  [ -x "$pprl" ] || die "$pprl is not built"
  prepare_keys

  local sizes=(1000000)
  [ "$quick" = 1 ] || sizes+=(10000000)
  local profiles=(pprl opentoken)

  local commit dirty=""
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD -- src bin Cargo.toml Cargo.lock 2>/dev/null || dirty=" (with uncommitted changes)"

  local rows profile m s1 s2 med lo hi rss cpu
  local -A rss_at
  local table="" scaling=""
  for rows in "${sizes[@]}"; do
    local input
    input=$(extract_for "$rows")
    for profile in "${profiles[@]}"; do
      echo "tokenize $(label "$rows") rows, profile $profile, $runs runs" >&2
      read -r med lo hi rss cpu <<<"$(measure "$runs" "$rows" "$input" "$profile")"
      rss_at[$rows.$profile]=$rss
      local ok=no
      [ "$med" -ge "$(target_for "$profile")" ] && ok=yes
      table+="| $(label "$rows") | $profile | $(group "$med") | $(group "$lo")–$(group "$hi")"
      table+=" | $cpu | $(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }') | $ok |"$'\n'
    done
  done

  local input
  input=$(extract_for 1000000)
  for profile in "${profiles[@]}"; do
    echo "core scaling at 1M rows, profile $profile, $scaling_runs runs each" >&2
    read -r s1 _ <<<"$(measure "$scaling_runs" 1000000 "$input" "$profile" taskset -c 0)"
    read -r s2 _ <<<"$(measure "$scaling_runs" 1000000 "$input" "$profile" taskset -c 0,1)"
    m=$(awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.2f", b / a }')
    local ok=no
    awk -v m="$m" 'BEGIN { exit !(m >= 1.7) }' && ok=yes
    scaling+="| $profile | $(group "$s1") | $(group "$s2") | ${m}× | $ok |"$'\n'
  done

  echo
  echo "Measured $(date -u +%Y-%m-%d) on commit $commit$dirty;" \
    "$(nproc) CPUs ($(awk -F': *' '/model name/ { print $2; exit }' /proc/cpuinfo));" \
    "load average $load before the build," \
    "$(cut -d' ' -f1-3 /proc/loadavg) after the runs."
  echo
  echo "| rows | profile | median rows/s | min–max rows/s | CPU s | peak RSS MiB | meets rows/s target |"
  echo "|---|---|---:|---:|---:|---:|---|"
  printf '%s' "$table"
  echo
  echo "| profile (1M rows) | 1 core rows/s | 2 cores rows/s | speed-up | ≥ 1.7× |"
  echo "|---|---:|---:|---:|---|"
  printf '%s' "$scaling"
  if [ "$quick" != 1 ]; then
    echo
    for profile in "${profiles[@]}"; do
      local small=${rss_at[1000000.$profile]} big=${rss_at[10000000.$profile]}
      local verdict=no
      [ "$big" -lt $((256 * 1024)) ] && [ "$big" -le "$small" ] && verdict=yes
      # Rounded as in the table; the verdict itself compares KiB.
      echo "- $profile: peak RSS $(awk -v k="$big" 'BEGIN { printf "%.0f", k / 1024 }') MiB at 10M rows," \
        "$(awk -v k="$small" 'BEGIN { printf "%.0f", k / 1024 }') MiB at 1M" \
        "(10M minus 1M: $(awk -v d=$((big - small)) 'BEGIN { printf "%+.1f", d / 1024 }') MiB);" \
        "under 256 MiB and no higher than at 1M: $verdict"
    done
  fi
}

main
