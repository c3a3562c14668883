#!/usr/bin/env bash
# moat audit against nmap's SMTP scripts, on the same loopback targets, in one run.
#
#   bench/audit/run.sh [--markdown FILE] [--no-build] [--keep]
#
# Starts five SMTP servers on 127.0.0.1 — a leaky Postfix (version in the banner, VRFY on,
# loopback in mynetworks so it relays for the scanner), a hardened Postfix (VRFY off, relaying only
# for 192.0.2.0/24, STARTTLS with a self-signed certificate), Postfix's smtp-sink, aiosmtpd and
# Moat itself — plus an NSD serving example.test (MX -> 127.0.0.1). Then, for each target:
#   moat  moat audit --domain example.test --hosts 127.0.0.1 --ports PORT --json ...
#   nmap  nmap -Pn -n -sT -sV -vv -p PORT --script smtp-open-relay,smtp-commands,smtp-enum-users ...
# and once more for all five ports in one run of each tool. Both are timed (wall clock, including
# process start-up). report.py compares what each tool found and checks that Moat reports every
# open relay, user enumeration and version leak nmap reports, and no open relay on the hardened
# Postfix. Needs root (Postfix), Debian's postfix, nsd, python3-aiosmtpd and nmap (installed with
# apt-get when missing), and the .NET SDK. Loopback only; no mail is ever sent (no DATA).

set -Eeuo pipefail

usage() {
  cat <<'EOF'
usage: bench/audit/run.sh [options]
  --markdown FILE    also write the Markdown fragment to FILE
  --no-build         do not run 'dotnet build src/Moat.Cli -c Release' first
  --keep             keep the temporary folder (configurations, logs, reports)
EOF
}

MARKDOWN="" BUILD=1 KEEP=0
while (($#)); do
  case "$1" in
    --markdown) MARKDOWN=${2:?}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root: Postfix's master runs as root"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$REPO/bench/audit"
PY=/usr/bin/python3

need=()
[ -x /usr/sbin/postfix ] || need+=(postfix)
[ -x /usr/sbin/nsd ] || need+=(nsd)
$PY -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
command -v nmap >/dev/null || need+=(nmap)
if ((${#need[@]})); then
  echo "Installing: ${need[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ((BUILD)); then
  echo "Building moat (Release)…"
  dotnet build "$REPO/src/Moat.Cli" -c Release -v quiet -nologo >/dev/null
fi
MOAT_DLL="$REPO/src/Moat.Cli/bin/Release/net10.0/moat.dll"
[ -f "$MOAT_DLL" ] || die "$MOAT_DLL is missing: run without --no-build"

WORK=$(mktemp -d /tmp/moat-audit-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
POSTFIX_DIRS=()
cleanup() {
  for dir in "${POSTFIX_DIRS[@]}"; do postfix -c "$dir" stop >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if ((KEEP)); then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Free loopback ports for TCP and UDP, below the ephemeral range.
read -r P_LEAKY P_HARD P_SINK P_AIO P_MOAT P_METRICS P_DNS < <($PY - <<'EOF'
import random, socket
ports = []
while len(ports) < 7:
    p = random.randint(20000, 32000)
    if p in ports:
        continue
    try:
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", p)); s.close()
    except OSError:
        continue
    ports.append(p)
print(*ports)
EOF
)

wait_greeting() { # port name
  local deadline=$((SECONDS + 30))
  until $PY - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2); s.settimeout(5)
line = s.makefile("rb").readline()
s.sendall(b"QUIT\r\n")
sys.exit(0 if line.startswith(b"220") else 1)
EOF
  do
    ((SECONDS < deadline)) || die "$2 does not greet on port $1"
    sleep 0.2
  done
}

start_postfix() { # profile port domain
  local profile=$1 port=$2 domain=$3 root="$WORK/postfix-$1"
  mkdir -p "$root/etc" "$root/queue" "$root/data"
  chmod 755 "$root" "$root/etc" "$root/queue" "$root/data"
  chown postfix:postfix "$root/data"
  cat >"$root/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $root/etc
queue_directory = $root/queue
data_directory = $root/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.$domain
mydomain = $domain
myorigin = \$mydomain
mydestination = \$myhostname, \$mydomain, localhost
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_transport = discard
relayhost =
maillog_file = $root/maillog
maillog_file_prefixes = $root
biff = no
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
EOF
  if [ "$profile" = leaky ]; then
    cat >>"$root/etc/main.cf" <<'EOF'
smtpd_banner = $myhostname ESMTP $mail_name $mail_version (Debian)
disable_vrfy_command = no
mynetworks = 127.0.0.0/8
smtpd_tls_security_level = none
EOF
  else
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.$domain" -addext "subjectAltName=DNS:mx.$domain" \
      -keyout "$root/etc/key.pem" -out "$root/etc/cert.pem" 2>/dev/null
    chmod 600 "$root/etc/key.pem"
    cat >>"$root/etc/main.cf" <<EOF
disable_vrfy_command = yes
mynetworks = 192.0.2.0/24
smtpd_tls_security_level = may
smtpd_tls_cert_file = $root/etc/cert.pem
smtpd_tls_key_file = $root/etc/key.pem
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
EOF
  fi
  cat >"$root/etc/master.cf" <<EOF
127.0.0.1:$port inet n - n - 10 smtpd
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
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
  postfix -c "$root/etc" check
  postfix -c "$root/etc" start >/dev/null 2>&1
  POSTFIX_DIRS+=("$root/etc")
  wait_greeting "$port" "Postfix ($profile)"
}

echo "Starting targets on 127.0.0.1…"
start_postfix leaky "$P_LEAKY" audit-leaky.test
start_postfix hardened "$P_HARD" example.test

/usr/sbin/smtp-sink -u nobody "127.0.0.1:$P_SINK" 64 >"$WORK/smtp-sink.log" 2>&1 &
PIDS+=($!)
wait_greeting "$P_SINK" smtp-sink

(cd "$WORK" && exec $PY -m aiosmtpd -n -l "127.0.0.1:$P_AIO" >"$WORK/aiosmtpd.log" 2>&1) &
PIDS+=($!)
wait_greeting "$P_AIO" aiosmtpd

mkdir -p "$WORK/nsd"
cat >"$WORK/nsd/example.test.zone" <<'EOF'
$ORIGIN example.test.
$TTL 60
@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
@ IN NS ns.example.test.
ns IN A 127.0.0.1
@ IN MX 10 mx.example.test.
mx IN A 127.0.0.1
@ IN TXT "v=spf1 mx -all"
_dmarc IN TXT "v=DMARC1; p=reject"
EOF
cat >"$WORK/nsd/nsd.conf" <<EOF
server:
  ip-address: 127.0.0.1
  port: $P_DNS
  do-ip6: no
  username: ""
  chroot: ""
  database: ""
  zonesdir: "$WORK/nsd"
  zonelistfile: "$WORK/nsd/zone.list"
  pidfile: "$WORK/nsd/nsd.pid"
  xfrdfile: "$WORK/nsd/xfrd.state"
  xfrdir: "$WORK/nsd"
  logfile: "$WORK/nsd/nsd.log"
  server-count: 1
  hide-version: yes
remote-control:
  control-enable: no
zone:
  name: "example.test"
  zonefile: "example.test.zone"
EOF
/usr/sbin/nsd -d -c "$WORK/nsd/nsd.conf" >"$WORK/nsd/stdout.log" 2>&1 &
PIDS+=($!)
deadline=$((SECONDS + 15))
until dig +short +time=1 +tries=1 -p "$P_DNS" @127.0.0.1 example.test MX 2>/dev/null | grep -q mx.example.test; do
  ((SECONDS < deadline)) || die "nsd does not answer on port $P_DNS"
  sleep 0.2
done

mkdir -p "$WORK/moat/data"
cat >"$WORK/moat/moat.json" <<EOF
{
  "hostName": "mx.example.test",
  "listeners": [ { "name": "inbound", "address": "127.0.0.1", "port": $P_MOAT, "role": "inbound" } ],
  "relay": { "acceptedDomains": [ "example.test" ], "trustedNetworks": [ "192.0.2.0/24" ] },
  "delivery": { "routes": {} },
  "web": { "listen": "127.0.0.1:$P_METRICS" }
}
EOF
dotnet "$MOAT_DLL" serve --config "$WORK/moat/moat.json" --data "$WORK/moat/data" >"$WORK/moat/serve.log" 2>&1 &
PIDS+=($!)
wait_greeting "$P_MOAT" Moat

mkdir -p "$WORK/out" "$WORK/auditdata"
now_ms() { date +%s%3N; }
declare -A PORT=([leaky-postfix]=$P_LEAKY [hardened-postfix]=$P_HARD [smtp-sink]=$P_SINK [aiosmtpd]=$P_AIO [moat]=$P_MOAT)
declare -A DOMAIN=([leaky-postfix]=audit-leaky.test [hardened-postfix]=example.test [smtp-sink]=example.test [aiosmtpd]=example.test [moat]=example.test)
TARGETS=(leaky-postfix hardened-postfix smtp-sink aiosmtpd moat)

run_moat() { # name ports
  local start; start=$(now_ms)
  set +e
  dotnet "$MOAT_DLL" audit --domain example.test --hosts 127.0.0.1 --ports "$2" --dns-server "127.0.0.1:$P_DNS" \
    --data "$WORK/auditdata" --json "$WORK/out/moat-$1.json" >"$WORK/out/moat-$1.txt" 2>&1
  echo $? >"$WORK/out/moat-$1.exit"
  set -e
  echo $(($(now_ms) - start)) >"$WORK/out/moat-$1.ms"
}

# smtp-open-relay's "domain" is the recipients' (someone else's) domain, as Moat's relay-test.invalid;
# smtp-enum-users asks for users of the server's own domain. -sV makes nmap recognise SMTP on
# non-standard ports (the scripts' port rule needs it); -vv makes smtp-enum-users name its method.
SCRIPTS=smtp-open-relay,smtp-commands,smtp-enum-users
run_nmap() { # name ports own-domain
  local start; start=$(now_ms)
  nmap -Pn -n -sT -sV -vv -p "$2" --script "$SCRIPTS" \
    --script-args "smtp-open-relay.domain=relay-test.invalid,smtp-enum-users.domain=$3" \
    -oX "$WORK/out/nmap-$1.xml" 127.0.0.1 >"$WORK/out/nmap-$1.txt" 2>&1
  echo $(($(now_ms) - start)) >"$WORK/out/nmap-$1.ms"

  # The same scripts forced with "+" (no -sV): what the SMTP checks alone cost.
  start=$(now_ms)
  nmap -Pn -n -sT -vv -p "$2" --script "+${SCRIPTS//,/,+}" \
    --script-args "smtp-open-relay.domain=relay-test.invalid,smtp-enum-users.domain=$3" \
    -oX "$WORK/out/nmap-$1-scripts.xml" 127.0.0.1 >"$WORK/out/nmap-$1-scripts.txt" 2>&1
  echo $(($(now_ms) - start)) >"$WORK/out/nmap-$1-scripts.ms"

  # smtp-enum-users stops at the first method that works, usually RCPT; ask VRFY and EXPN
  # alone too, the commands Moat's enumeration check is about (untimed).
  nmap -Pn -n -sT -vv -p "$2" --script +smtp-enum-users \
    --script-args "smtp-enum-users.domain=$3,smtp-enum-users.methods={VRFY,EXPN}" \
    -oX "$WORK/out/nmap-$1-vrfy.xml" 127.0.0.1 >"$WORK/out/nmap-$1-vrfy.txt" 2>&1
}

for name in "${TARGETS[@]}"; do
  echo "Auditing $name (port ${PORT[$name]})…"
  run_moat "$name" "${PORT[$name]}"
  run_nmap "$name" "${PORT[$name]}" "${DOMAIN[$name]}"
done
ALL="$P_LEAKY,$P_HARD,$P_SINK,$P_AIO,$P_MOAT"
echo "Auditing all five in one run of each tool…"
run_moat all "$ALL"
run_nmap all "$ALL" example.test

MACHINE="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), nmap $(nmap --version | awk 'NR==1 {print $3}'), Postfix $(postconf -d -h mail_version 2>/dev/null)"
args=(--work "$WORK/out" --machine "$MACHINE" --command "bench/audit/run.sh")
for name in "${TARGETS[@]}"; do args+=(--target "$name=${PORT[$name]}"); done
[ -n "$MARKDOWN" ] && args+=(--markdown "$MARKDOWN")
$PY "$HERE/report.py" "${args[@]}"
