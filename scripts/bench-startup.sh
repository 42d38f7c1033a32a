#!/usr/bin/env bash
# Start-up, idle and memory figures for the wizard, next to `whiptail --msgbox`.
#
#   scripts/bench-startup.sh [--no-build] [--runs N] [--idle-seconds S]
#
# 1. first frame: exec -> last byte before 300 ms of quiet, 80x24 pty, wizard
#    (release, fresh XDG_DATA_HOME/XDG_CONFIG_HOME per run) and whiptail run
#    alternately, median of N runs each (default 21), and their ratio;
# 2. idle: CPU time (utime+stime, and schedstat ns) and bytes written while the
#    wizard sits 10 s after its first frame;
# 3. peak RSS (VmHWM) through a full flow: 13800138000, card payment, embedded
#    sandbox, driven with keys through the pty;
# 4. the stripped release binary's size.
#
# The measuring is done by scripts/ptyprobe.py (python3, standard library only:
# pty.fork + select + time.monotonic_ns). Run it on a quiet machine; the
# figures are noisy when other builds share the cores.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=21
idle_seconds=10
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0 ;;
        --runs) runs="$2"; shift ;;
        --idle-seconds) idle_seconds="$2"; shift ;;
        *) echo "unknown option $1 (use --no-build, --runs N, --idle-seconds S)" >&2; exit 2 ;;
    esac
    shift
done

need=()
command -v whiptail >/dev/null || need+=(whiptail)
command -v tmux >/dev/null || need+=(tmux)
command -v python3 >/dev/null || need+=(python3)
if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing ${need[*]}" >&2
    apt-get install -y "${need[@]}" >/dev/null || {
        apt-get update >/dev/null && apt-get install -y "${need[@]}" >/dev/null
    }
fi

target="${CARGO_TARGET_DIR:-target}"
if [[ $build -eq 1 ]]; then
    cargo build --release --bin unsubscribe-wizard
fi
binary="$target/release/unsubscribe-wizard"
[[ -x "$binary" ]] || { echo "no release binary at $binary; build it or drop --no-build" >&2; exit 1; }
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
probe="scripts/ptyprobe.py"

echo "== machine"
echo "  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  $(whiptail --version 2>&1 | head -1), $(uname -sr)"

echo "== start-up"
python3 "$probe" --binary "$binary" startup --runs "$runs"

echo "== idle"
python3 "$probe" --binary "$binary" idle --seconds "$idle_seconds"

echo "== peak memory"
python3 "$probe" --binary "$binary" flow

echo "== binary"
size=$(stat -c %s "$binary")
if file "$binary" 2>/dev/null | grep -q 'not stripped'; then stripped="NOT stripped"; else stripped="stripped"; fi
echo "  $binary: $size bytes ($(awk -v s="$size" 'BEGIN {printf "%.2f MB, %.2f MiB", s/1e6, s/1048576}'), $stripped)"
