#!/usr/bin/env bash
# Deletes a Ved application's local state; see usage() and ops/RUNBOOK.md.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
Usage: ops/wipe-state.sh [--topology FILE | --application ID] [--state-dir DIR]...

Deletes a Ved application's local state: .ved/state/<application> (what 'ved run' uses without
--state-dir) and every --state-dir given. It holds the RocksDB stores of the domains, a cache of their
changelog topics: the next 'ved run' restores them from Kafka, or starts empty after ops/reset-app.sh.
This is what Kafka Streams' KafkaStreams#cleanUp() does for an instance. Refuses while a
'ved run' (io.ved.cli.VedCli run) that may use one of these directories is running on this machine.

Options:
  --topology FILE     where the application id comes from (default: topology/example.yaml)
  --application ID    the application id (default: the topology file's 'application')
  --state-dir DIR     also delete DIR, the --state-dir of an instance (may be repeated)
  -h, --help          this help
EOF
}

die() {
  echo "wipe-state: $*" >&2
  exit 2
}

topology_application() {
  awk '/^application:/ { sub(/#.*/, ""); sub(/^application:[ \t]*/, ""); gsub(/["\047 \t\r]/, ""); print; exit }' "$1"
}

topology="$here/topology/example.yaml"
application=""
state_dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --topology|--application|--state-dir)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi
      case "$1" in
        --topology) topology="$2" ;;
        --application) application="$2" ;;
        --state-dir) state_dirs+=("$2") ;;
      esac
      shift 2 ;;
    *) usage >&2; echo >&2; die "unknown argument: $1" ;;
  esac
done

if [ -z "$application" ]; then
  [ -f "$topology" ] || die "no topology file at $topology (pass --topology FILE or --application ID)"
  application=$(topology_application "$topology")
  [ -n "$application" ] || die "no 'application:' found in $topology: pass --application ID"
fi
[[ "$application" =~ ^[A-Za-z0-9._-]+$ ]] || die "not a valid application id: '$application'"

targets=("$here/.ved/state/$application")
for dir in "${state_dirs[@]+"${state_dirs[@]}"}"; do
  targets+=("$(realpath -m -- "$dir")")
done
for dir in "${targets[@]}"; do
  case "$dir" in
    /|"$here"|"$here/.ved"|"$here/.ved/state"|"${HOME:-/}") die "refusing to delete $dir" ;;
  esac
done

# The state directory a running 'ved run' uses: its --state-dir, else <ved.home>/.ved/state/<application>.
# Prints nothing when it cannot tell (then the process counts as using every target).
state_dir_of() {
  local pid=$1 cwd home="" state="" topo="" app arg prev=""
  cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 0
  while IFS= read -r -d '' arg; do
    case "$prev" in
      --state-dir) state=$arg ;;
      --topology) topo=$arg ;;
    esac
    case "$arg" in
      --state-dir=*) state=${arg#--state-dir=} ;;
      --topology=*) topo=${arg#--topology=} ;;
      -Dved.home=*) home=${arg#-Dved.home=} ;;
    esac
    prev=$arg
  done < "/proc/$pid/cmdline"
  home=${home:-$cwd}
  [[ "$home" = /* ]] || home="$cwd/$home"
  if [ -n "$state" ]; then
    [[ "$state" = /* ]] || state="$cwd/$state"
    realpath -m -- "$state"
    return 0
  fi
  if [ -n "$topo" ]; then
    [[ "$topo" = /* ]] || topo="$cwd/$topo"
  else
    topo="$home/topology/example.yaml"
  fi
  app=$(topology_application "$topo" 2>/dev/null) || return 0
  [ -n "$app" ] && realpath -m -- "$home/.ved/state/$app"
}

overlaps() { # one path is the other or lies inside it
  [ "$1" = "$2" ] || [[ "$1" == "$2"/* ]] || [[ "$2" == "$1"/* ]]
}

command -v pgrep > /dev/null || die "pgrep not found (install procps): cannot check for a running 'ved run'"
busy=false
for pid in $(pgrep -f "io.ved.cli.VedCli run" || true); do
  used=$(state_dir_of "$pid")
  for dir in "${targets[@]}"; do
    if [ -z "$used" ] || overlaps "$(realpath -m -- "$dir")" "$used"; then
      echo "wipe-state: a 'ved run' (pid $pid) uses ${used:-a state directory this script cannot tell}: stop it before deleting $dir" >&2
      busy=true
      break
    fi
  done
done
$busy && exit 1

for dir in "${targets[@]}"; do
  if [ -e "$dir" ]; then
    rm -rf -- "$dir"
    echo "deleted $dir"
  else
    echo "nothing at $dir"
  fi
done
