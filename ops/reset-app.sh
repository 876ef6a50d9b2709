#!/usr/bin/env bash
# Resets a Ved application with Kafka's Streams reset tool; see usage() and ops/RUNBOOK.md.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
KAFKA_VERSION=4.4.0
RESETTER=org.apache.kafka.tools.StreamsResetter

usage() {
  cat <<EOF
Usage: ops/reset-app.sh [options]

Resets a Ved application (a Kafka Streams application) with Kafka's reset tool ($RESETTER,
org.apache.kafka:kafka-tools:$KAFKA_VERSION): the application's committed offsets on its inbox topics go
back to the earliest offset, and its internal topics (<application>-...-changelog) are deleted.
Dead-letter, reply and inbox topics are kept. DRY RUN unless --execute is given.

Stop every instance of the application first: the tool refuses while its consumer group has members.
After --execute, wipe each instance's local state (ops/wipe-state.sh) before starting it again.

Options:
  --topology FILE         where the application id and inbox topics come from (default: topology/example.yaml)
  --application ID        the application id (default: the topology file's 'application')
  --input-topics T1,T2    the inbox topics to reset (default: every domain 'topic' in the topology file)
  --bootstrap HOST:PORT   Kafka (default: "bootstrapServers" of .ved/stack.json, else 127.0.0.1:9092)
  --to-latest             reset to the end of the inboxes instead (skip what is waiting)
  --to-datetime TIME      reset to a time instead, YYYY-MM-DDThh:mm:ss.sss
  --by-duration DURATION  reset to now minus a duration instead, PnDTnHnMnS
  --force                 with --execute: first remove the group's members, e.g. those a stopped instance
                          leaves behind until its session times out (45 s by default); never while one runs
  --execute               make the changes (without it: print what would change)
  -h, --help              this help

Example: ops/reset-app.sh                 # dry run for ved-example on the 'ved up' stack
         ops/reset-app.sh --execute && ops/wipe-state.sh
EOF
}

die() {
  echo "reset-app: $*" >&2
  exit 2
}

# The top-level 'application' and the 'topic' of each entry under 'domains' (block-style YAML only).
topology_application() {
  awk '/^application:/ { sub(/#.*/, ""); sub(/^application:[ \t]*/, ""); gsub(/["\047 \t\r]/, ""); print; exit }' "$1"
}
topology_topics() {
  awk '/^domains:/ { in_domains = 1; next }
       /^[A-Za-z_]/ { in_domains = 0 }
       in_domains && /^[ \t]*(-[ \t]+)?topic:/ {
         sub(/#.*/, ""); sub(/^[ \t]*(-[ \t]+)?topic:[ \t]*/, ""); gsub(/["\047 \t\r]/, ""); print }' "$1" | paste -sd, -
}

topology="$here/topology/example.yaml"
application=""
input_topics=""
bootstrap=""
position=(--to-earliest)
force=()
execute=false

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --topology|--application|--input-topics|--bootstrap|--bootstrap-server|--to-datetime|--by-duration)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi
      case "$1" in
        --topology) topology="$2" ;;
        --application) application="$2" ;;
        --input-topics) input_topics="$2" ;;
        --bootstrap|--bootstrap-server) bootstrap="$2" ;;
        --to-datetime|--by-duration) position=("$1" "$2") ;;
      esac
      shift 2 ;;
    --to-latest) position=(--to-latest); shift ;;
    --to-earliest) position=(--to-earliest); shift ;;
    --force) force=(--force); shift ;;
    --execute) execute=true; shift ;;
    *) usage >&2; echo >&2; die "unknown argument: $1" ;;
  esac
done

if [ -z "$application" ] || [ -z "$input_topics" ]; then
  [ -f "$topology" ] || die "no topology file at $topology (pass --topology FILE, or --application and --input-topics)"
  [ -n "$application" ] || application=$(topology_application "$topology")
  [ -n "$input_topics" ] || input_topics=$(topology_topics "$topology")
  [ -n "$application" ] || die "no 'application:' found in $topology: pass --application ID"
  [ -n "$input_topics" ] || die "no domain 'topic:' found under 'domains:' in $topology: pass --input-topics T1,T2"
fi
[[ "$application" =~ ^[A-Za-z0-9._-]+$ ]] || die "not a valid application id: '$application'"
[[ "$input_topics" =~ ^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$ ]] || die "not a comma-separated list of topic names: '$input_topics'"

if [ -z "$bootstrap" ]; then
  stack="$here/.ved/stack.json"
  if [ -f "$stack" ]; then
    bootstrap=$(sed -n 's/.*"bootstrapServers"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$stack" | head -n 1)
  fi
  bootstrap=${bootstrap:-127.0.0.1:9092}
fi

# shellcheck source=ops/java-env.sh
source "$here/ops/java-env.sh"

# The reset tool's classpath, resolved by Maven once and remembered under .ved/tools/.
classpath_file="$here/.ved/tools/kafka-tools-$KAFKA_VERSION.classpath"
classpath_ok() {
  [ -s "$classpath_file" ] || return 1
  local jar
  while IFS= read -r jar; do [ -f "$jar" ] || return 1; done < <(tr ':' '\n' < "$classpath_file")
}
if ! classpath_ok; then
  echo "reset-app: resolving org.apache.kafka:kafka-tools:$KAFKA_VERSION with Maven..." >&2
  mkdir -p "$(dirname "$classpath_file")"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  cat > "$scratch/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.ved.ops</groupId><artifactId>kafka-tools-classpath</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- kafka-tools brings slf4j-api 1.7 and no binding: warnings only, to stderr. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
EOF
  (cd "$scratch" && mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile="$scratch/classpath") > "$scratch/mvn.log" 2>&1 \
    || { tail -n 20 "$scratch/mvn.log" >&2; echo "reset-app: Maven could not resolve kafka-tools" >&2; exit 1; }
  mv "$scratch/classpath" "$classpath_file"
fi

args=(--bootstrap-server "$bootstrap" --application-id "$application" --input-topics "$input_topics" "${position[@]}")
if $execute; then
  args+=("${force[@]+"${force[@]}"}")
  echo "Resetting '$application' on $bootstrap (inboxes: $input_topics)."
else
  # Kafka 4.4's tool removes the group's members on --force even in a dry run: keep that for --execute.
  args+=(--dry-run)
  echo "DRY RUN for '$application' on $bootstrap (inboxes: $input_topics): nothing changes; add --execute to reset."
  if [ ${#force[@]} -gt 0 ]; then echo "(--force is passed on only with --execute)"; fi
fi
status=0
"$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat "$classpath_file")" \
  "$RESETTER" "${args[@]}" || status=$?
if [ "$status" -eq 0 ] && $execute; then
  echo "Done. Before the next 'ved run', wipe the local state of every instance: ops/wipe-state.sh"
fi
exit "$status"
