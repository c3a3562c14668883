#!/usr/bin/env bash
# End-to-end load benchmark of Moat against the wire limit and a Postfix relay, in one run.
#
#   bench/e2e/run.sh [--messages N] [--sessions S] [--size BYTES] [options]
#
# Three runs with identical smtp-source load, each into a fresh smtp-sink (same program, same
# options) that counts what arrives:
#   limit  smtp-source -> smtp-sink
#   peer   smtp-source -> throwaway Postfix relay (fsync before 250) -> smtp-sink
#   moat   smtp-source -> Moat (fsync before 250)                    -> smtp-sink
# See docs/benchmarks.md for the method. Needs root (smtp-sink -u nobody, Postfix), Postfix's
# smtp-source/smtp-sink, the .NET SDK, and Debian's /usr/bin/python3. Loopback only.

set -Eeuo pipefail

usage() {
  cat <<'EOF'
usage: bench/e2e/run.sh [options]
  --messages N       messages per timed run (default 20000)
  --sessions S       parallel smtp-source sessions (default 20)
  --size BYTES       message body bytes, smtp-source -l (default 10240)
  --reuse            send all messages of a session over one connection (smtp-source -d);
                     default: a new connection for every message
  --warmup W         untimed messages sent before each timed run (default: N/20, 100..1000)
  --runs LIST        comma-separated subset of limit,peer,moat (default: all three)
  --timeout SECS     limit for one timed run (default 300)
  --stall SECS       give up a run after this long without progress (default 60)
  --markdown FILE    also write the Markdown fragment to FILE
  --no-antivirus     run Moat without its antivirus filter (pipeline.order without "antivirus")
  --signatures DIR   put DIR's .hdb/.hsb/.ndb/.ldb files into Moat's signature folder (e.g. the set
                     bench/scanning generates) and start the load once Moat has loaded them
  --no-build         do not run 'dotnet build src/Moat.Cli -c Release' first
  --keep             keep the temporary folder (logs, configurations, queues)
EOF
}

MESSAGES=20000 SESSIONS=20 SIZE=10240 REUSE=0 WARMUP="" RUNS="limit,peer,moat"
TIMEOUT=300 STALL=60 MARKDOWN="" BUILD=1 KEEP=0 NO_AV=0 SIGNATURES=""
ARGV=("$@")
while (($#)); do
  case "$1" in
    --messages) MESSAGES=${2:?}; shift 2 ;;
    --sessions) SESSIONS=${2:?}; shift 2 ;;
    --size) SIZE=${2:?}; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --runs) RUNS=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    --stall) STALL=${2:?}; shift 2 ;;
    --markdown) MARKDOWN=${2:?}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-antivirus) NO_AV=1; shift ;;
    --signatures) SIGNATURES=$(realpath "${2:?}"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
for v in MESSAGES SESSIONS SIZE TIMEOUT STALL; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || die "--${v,,} needs a positive integer"
done
if [[ -z $WARMUP ]]; then
  WARMUP=$((MESSAGES / 20)); ((WARMUP < 100)) && WARMUP=100; ((WARMUP > 1000)) && WARMUP=1000
fi
[[ $WARMUP =~ ^[0-9]+$ ]] || die "--warmup needs an integer"
[[ ,$RUNS, =~ ^(,(limit|peer|moat))+,$ ]] || die "--runs takes a comma-separated subset of limit,peer,moat"
want() { [[ ,$RUNS, == *,$1,* ]]; }

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
PY=/usr/bin/python3                       # Debian's python; only the standard library is used
MEASURE=("$PY" "$HERE/measure.py")
SOURCE=/usr/sbin/smtp-source SINK=/usr/sbin/smtp-sink
MOAT_DLL=$REPO/src/Moat.Cli/bin/Release/net10.0/moat.dll

((EUID == 0)) || die "run as root (smtp-sink drops to nobody; the Postfix relay starts as root)"
for f in "$PY" "$SOURCE" "$SINK"; do [[ -x $f ]] || die "missing $f"; done
if want peer; then command -v postfix >/dev/null || die "postfix is not installed"; fi
if want moat; then command -v dotnet >/dev/null || die "dotnet is not installed"; fi

# Upper bound for every background process we start: even if this script is killed with
# SIGKILL (so its trap cannot run), the timeout(1) wrappers end them.
CAP=$((3 * (TIMEOUT + STALL) + 1200))

WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-e2e.XXXXXX")
chmod 755 "$WORK"                          # Postfix daemons run as postfix and must reach it
SINK_PID="" MOAT_PID="" PF_ETC="" PF_MASTER=""

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

stop_sink() { stop_pid "$SINK_PID" smtp-sink; SINK_PID=""; }
stop_moat() { stop_pid "$MOAT_PID" moat; MOAT_PID=""; }
stop_postfix() {
  [[ -n $PF_ETC ]] || return 0
  local i kids=""
  [[ -n $PF_MASTER ]] && kids=$(cat "/proc/$PF_MASTER/task/$PF_MASTER/children" 2>/dev/null || true)
  timeout 30 postfix -c "$PF_ETC" stop >/dev/null 2>&1 || true
  if [[ -n $PF_MASTER ]]; then
    for ((i = 0; i < 100; i++)); do kill -0 "$PF_MASTER" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$PF_MASTER" 2>/dev/null; then
      echo "run.sh: Postfix master ($PF_MASTER) still running, killing it" >&2
      kill -KILL "$PF_MASTER" 2>/dev/null || true
    fi
  fi
  # the daemons the master had started exit on their own once it is gone; wait (bounded), then
  # kill any that are left, by PID
  local pid alive=""
  for ((i = 0; i < 100; i++)); do
    alive=""
    for pid in $kids; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
    [[ -z $alive ]] && break
    sleep 0.1
  done
  for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
  PF_ETC="" PF_MASTER=""
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_pid "$HELPER_PID" measure.py
  stop_moat
  stop_postfix
  stop_sink
  if ((KEEP)) || ((rc != 0)); then
    echo "run.sh: logs and configurations kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM
trap 'echo "run.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
freeport() { "${MEASURE[@]}" freeport 1; }

# helper ARGS: measure.py in the background, so that a signal to this script is handled at once
HELPER_PID=""
helper() {
  local rc=0
  "${MEASURE[@]}" "$@" &
  HELPER_PID=$!
  wait "$HELPER_PID" || rc=$?
  HELPER_PID=""
  return "$rc"
}

# ---------------------------------------------------------------------------- smtp-sink

# start_sink NAME: a fresh smtp-sink on a free loopback port; -c writes "sess=.. quit=.. mesg=N"
# records to stdout as messages arrive, which measure.py follows to count arrivals.
start_sink() {
  SINK_PORT=$(freeport)
  SINK_OUT=$WORK/$1.sink.out
  timeout -k 5 "$CAP" "$SINK" -u nobody -c -4 "127.0.0.1:$SINK_PORT" 256 \
    >"$SINK_OUT" 2>"$WORK/$1.sink.err" &
  SINK_PID=$!
  "${MEASURE[@]}" waitsmtp 127.0.0.1 "$SINK_PORT" 10 || die "smtp-sink did not start: $(cat "$WORK/$1.sink.err")"
  SINK_REAL_PID=$(cat "/proc/$SINK_PID/task/$SINK_PID/children" 2>/dev/null | awk '{print $1}' || true)
}

# ---------------------------------------------------------------------------- measuring

CONN_MODE="a new connection for every message (smtp-source without -d)"
SOURCE_FLAGS=(-4 -A -c -s "$SESSIONS" -l "$SIZE" -f bench@source.test -t user@bench.test -M client.source.test)
if ((REUSE)); then
  CONN_MODE="connections reused: every session sends its messages over one connection (smtp-source -d)"
  SOURCE_FLAGS+=(-d)
fi

# measure NAME PORT [SUT_PID [tree]]: untimed warm-up, then the timed run.
FAILED=()
measure() {
  local name=$1 port=$2 sut=${3:-} tree=${4:-} extra=()
  [[ -n $sut ]] && extra+=(--sut-pid "$sut")
  [[ $tree == tree ]] && extra+=(--sut-tree)
  [[ -n ${SINK_REAL_PID:-} ]] && extra+=(--sink-pid "$SINK_REAL_PID")
  if ((WARMUP > 0)); then
    log "$name: warm-up, $WARMUP messages"
    helper phase --name "$name-warmup" --messages "$WARMUP" --sink-out "$SINK_OUT" \
      --source-out "$WORK/$name-warmup.source.out" --source-err "$WORK/$name-warmup.source.err" \
      --json "$WORK/$name-warmup.json" --timeout "$TIMEOUT" --stall "$STALL" \
      -- "$SOURCE" "${SOURCE_FLAGS[@]}" -m "$WARMUP" "127.0.0.1:$port" ||
      log "$name: warm-up had problems (see $WORK/$name-warmup.source.err)"
    sleep 2   # let queues drain and processes settle
  fi
  # Write back what earlier runs left dirty (Postfix's 20,000 queue files, say), so that the
  # disk's background work does not land on whichever relay happens to run next.
  sync
  sleep 1
  log "$name: timed run, $MESSAGES messages"
  helper phase --name "$name" --messages "$MESSAGES" --sink-out "$SINK_OUT" "${extra[@]}" \
    --source-out "$WORK/$name.source.out" --source-err "$WORK/$name.source.err" \
    --json "$WORK/$name.json" --timeout "$TIMEOUT" --stall "$STALL" \
    -- "$SOURCE" "${SOURCE_FLAGS[@]}" -m "$MESSAGES" "127.0.0.1:$port" || FAILED+=("$name")
  JSONS+=("$WORK/$name.json")
}
JSONS=()

# ---------------------------------------------------------------------------- the three runs

run_limit() {
  start_sink limit
  measure limit "$SINK_PORT"
  stop_sink
}

run_peer() {
  start_sink peer
  local pf=$WORK/postfix port
  port=$(freeport)
  mkdir -p "$pf/etc" "$pf/queue" "$pf/data"
  chmod 755 "$pf" "$pf/etc" "$pf/queue"
  chown postfix:postfix "$pf/data"
  cat >"$pf/etc/main.cf" <<EOF
# throwaway relay for bench/e2e/run.sh; everything not set here is Postfix's default
# (in particular fsync of the queue file before the 250 reply)
compatibility_level = 3.6
config_directory = $pf/etc
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.bench.test
mydomain = bench.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$SINK_PORT
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtpd_peername_lookup = no
smtpd_tls_security_level = none
smtp_tls_security_level = none
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
biff = no
# enough processes for $SESSIONS inbound sessions plus $SESSIONS deliveries
default_process_limit = $((SESSIONS * 2 + 60))
smtp_destination_concurrency_limit = $SESSIONS
EOF
  # chroot column (5th) is n everywhere; the smtpd service listens on a loopback port
  cat >"$pf/etc/master.cf" <<EOF
127.0.0.1:$port inet n - n - $((SESSIONS * 2 + 20)) smtpd
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
proxywrite unix  - - n -     1 proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
local      unix  - n n -     - local
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
  PF_ETC=$pf/etc
  timeout 60 postfix -c "$PF_ETC" check || die "postfix check failed"
  timeout 60 postfix -c "$PF_ETC" start || die "postfix start failed (see $pf/maillog)"
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $pf/queue/pid/master.pid ]] && break; sleep 0.1; done
  PF_MASTER=$(tr -dc 0-9 <"$pf/queue/pid/master.pid")
  [[ -n $PF_MASTER ]] || die "no Postfix master pid"
  "${MEASURE[@]}" waitsmtp 127.0.0.1 "$port" 30 || die "Postfix smtpd does not answer on $port"
  PF_VERSION=$(postconf -c "$PF_ETC" -h mail_version 2>/dev/null || echo "?")
  measure peer "$port" "$PF_MASTER" tree
  local queued
  queued=$(find "$pf/queue/active" "$pf/queue/incoming" "$pf/queue/deferred" -type f 2>/dev/null | wc -l)
  ((queued == 0)) || log "peer: $queued messages still in Postfix's queue"
  local nwarn
  nwarn=$(grep -cE 'warning|error|fatal|panic' "$pf/maillog" || true)
  ((nwarn == 0)) || log "peer: Postfix's log has $nwarn warnings/errors, first: $(grep -m1 -E 'warning|error|fatal|panic' "$pf/maillog")"
  stop_postfix
  stop_sink
}

build_moat() {
  if ((BUILD)); then
    log "moat: dotnet build src/Moat.Cli -c Release"
    timeout 900 dotnet build src/Moat.Cli -c Release -nologo -v q --disable-build-servers \
      >"$WORK/build.log" 2>&1 ||
      { tail -30 "$WORK/build.log" >&2; die "Moat did not build (log above)"; }
  fi
  [[ -f $MOAT_DLL ]] || die "missing $MOAT_DLL"
  # what the binary was built from (read-only git queries)
  local head dirty=""
  head=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?")
  [[ -n $(git -C "$REPO" status --porcelain -- src 2>/dev/null | head -1) ]] && dirty=" + uncommitted changes"
  if ((BUILD)); then
    MOAT_VERSION="$head$dirty"
  else
    MOAT_VERSION="prebuilt moat.dll of $(date -u -r "$MOAT_DLL" '+%Y-%m-%d %H:%M UTC') (HEAD now $head$dirty)"
  fi
}

run_moat() {
  start_sink moat
  local port mport dir=$WORK/moat
  port=$(freeport); mport=$(freeport)
  while [[ $mport == "$port" ]]; do mport=$(freeport); done
  mkdir -p "$dir/data"
  if [[ -n $SIGNATURES ]]; then
    mkdir -p "$dir/data/signatures"
    find "$SIGNATURES" -maxdepth 1 -type f \( -name '*.hdb' -o -name '*.hsb' -o -name '*.ndb' -o -name '*.ldb' \) \
      -exec cp {} "$dir/data/signatures/" \;
  fi
  local pipeline=""
  if ((NO_AV)); then
    # Moat's default order (docs/configuration.md) without "antivirus"
    pipeline='"pipeline": { "order": [ "size", "sender", "relay", "recipient-domains" ] },'
  fi
  # dnsServers points at an unused loopback port so that nothing can ever leave loopback
  cat >"$dir/moat.json" <<EOF
{
  "hostName": "bench.test",
  "listeners": [ { "name": "inbound", "address": "127.0.0.1", "port": $port, "role": "inbound" } ],
  "relay": { "acceptedDomains": [ "bench.test" ], "trustedNetworks": [ "127.0.0.0/8" ] },
  "delivery": {
    "routes": { "bench.test": { "transport": "smtp", "host": "127.0.0.1", "port": $SINK_PORT, "tls": "none" } },
    "dnsServers": [ "127.0.0.1:$(freeport)" ],
    "maxConcurrency": $SESSIONS, "maxConcurrencyPerDestination": $SESSIONS
  },
  "tls": { "enabled": false },$pipeline
  "web": { "listen": "127.0.0.1:$mport" }
}
EOF
  log "moat: starting on 127.0.0.1:$port (metrics $mport)"
  timeout -k 10 "$CAP" dotnet "$MOAT_DLL" serve --config "$dir/moat.json" --data "$dir/data" \
    >"$dir/moat.out" 2>"$dir/moat.err" &
  MOAT_PID=$!
  if ! "${MEASURE[@]}" waitsmtp 127.0.0.1 "$port" 60; then
    tail -20 "$dir/moat.out" "$dir/moat.err" >&2
    die "Moat does not answer on $port"
  fi
  if [[ -n $SIGNATURES ]]; then
    # they load in the background after start; the load must meet the set in place
    local i
    for ((i = 0; i < 600; i++)); do
      grep -q 'Antivirus signatures:' "$dir/moat.out" "$dir/moat.err" 2>/dev/null && break
      sleep 0.1
    done
    log "moat: $(grep -h -m1 -o 'Antivirus signatures: [^,]*' "$dir/moat.out" "$dir/moat.err" || echo 'signatures not reported loaded within 60 s')"
  fi
  # the dotnet process itself (child of timeout(1)) is the one to measure
  MOAT_REAL=$(cat "/proc/$MOAT_PID/task/$MOAT_PID/children" 2>/dev/null | awk '{print $1}' || true)
  [[ -n $MOAT_REAL ]] || die "cannot find Moat's process"
  measure moat "$port" "$MOAT_REAL"
  curl -s -m 5 "http://127.0.0.1:$mport/metrics" >"$dir/metrics.txt" 2>/dev/null || true
  if ! kill -0 "$MOAT_REAL" 2>/dev/null; then
    log "moat: the process is gone; last output:"
    tail -20 "$dir/moat.out" "$dir/moat.err" >&2
  fi
  local refused
  refused=$(grep -c 'Refused' "$dir/moat.out" || true)
  ((refused == 0)) || log "moat: its log shows $refused refused connections, e.g. $(grep -m1 'Refused' "$dir/moat.out")"
  local nwarn
  nwarn=$(cat "$dir/moat.out" "$dir/moat.err" | grep -ciE 'fail|error|exception|warn|crit' || true)
  if ((nwarn)); then
    log "moat: its log has $nwarn lines with fail/error/exception/warn/crit, first ones:"
    cat "$dir/moat.out" "$dir/moat.err" | grep -iE 'fail|error|exception|warn|crit' | head -5 >&2 || true
  fi
  cp "$dir/moat.out" "$dir/moat.err" "$WORK/" 2>/dev/null || true
  stop_moat
  stop_sink
}

PF_VERSION="" MOAT_VERSION=""
log "work folder $WORK; $MESSAGES messages x $SIZE bytes, $SESSIONS sessions, $CONN_MODE"
if want moat; then build_moat; fi     # first, so that a broken build fails before any run
if want limit; then run_limit; fi
if want peer; then run_peer; fi
if want moat; then run_moat; fi

# ---------------------------------------------------------------------------- report

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
fs=$(df -PT "$WORK" | awk 'NR == 2 {print "queues on " $2 " (" $1 ")"}')
dotnet_v=$(timeout 30 dotnet --version 2>/dev/null || echo "?")
cmdline=""
while IFS= read -r envvar; do cmdline+="$envvar "; done < <(env | grep -E '^MOAT_[A-Za-z0-9_]+=' | sort || true)
cmdline+="bench/e2e/run.sh"
for a in "${ARGV[@]}"; do
  if [[ $a =~ ^[A-Za-z0-9_./,:=@+-]+$ ]]; then cmdline+=" $a"; else cmdline+=" $(printf '%q' "$a")"; fi
done
export M_DATE M_CMD M_MODE M_CPU M_MEM M_FS M_VERSIONS
M_DATE=$(date -u '+%Y-%m-%d %H:%M UTC') M_CMD=$cmdline M_MODE=$CONN_MODE M_CPU=$cpu M_MEM=$mem M_FS=$fs
M_VERSIONS="Postfix ${PF_VERSION:-not run}; Moat ${MOAT_VERSION:-not run} (.NET SDK $dotnet_v); smtp-source/smtp-sink from Postfix $(postconf -d -h mail_version 2>/dev/null || echo '?')"
"$PY" - "$WORK/meta.json" "$MESSAGES" "$SESSIONS" "$SIZE" "$WARMUP" <<'PYEOF'
import json, os, sys
e = os.environ
json.dump({
    "date": e["M_DATE"], "command": e["M_CMD"], "connection_mode": e["M_MODE"],
    "messages": int(sys.argv[2]), "sessions": int(sys.argv[3]), "size": int(sys.argv[4]),
    "warmup": int(sys.argv[5]), "nproc": os.cpu_count(), "cpu": e["M_CPU"], "mem": e["M_MEM"],
    "kernel": os.uname().release, "fs": e["M_FS"], "versions": e["M_VERSIONS"],
}, open(sys.argv[1], "w"))
PYEOF
report=("${MEASURE[@]}" report --meta "$WORK/meta.json")
[[ -n $MARKDOWN ]] && report+=(--markdown "$MARKDOWN")
echo
"${report[@]}" "${JSONS[@]}"
if ((${#FAILED[@]})); then
  log "runs with problems: ${FAILED[*]} (details above; logs in $WORK)"
  exit 3
fi
