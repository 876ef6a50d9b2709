# Sourced by ./ved and .ci/run: picks a JDK >= 21 when the default one is older (Ved targets Java 21).
ved_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
ved_pick_jdk() {
  local current="${JAVA_HOME:-}"
  if [ -z "$current" ] && command -v java >/dev/null 2>&1; then
    current=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  fi
  if [ -n "$current" ] && [ -x "$current/bin/java" ] && [ "$(ved_java_major "$current/bin/java")" -ge 21 ] 2>/dev/null; then
    export JAVA_HOME="$current"
    return 0
  fi
  local best="" best_major=0 jdk major
  for jdk in /usr/lib/jvm/*; do
    [ -x "$jdk/bin/javac" ] || continue
    major=$(ved_java_major "$jdk/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$jdk"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "ved: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable in /usr/lib/jvm): install one and set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
ved_pick_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Newer JDKs warn about sun.misc.Unsafe (Maven, Kafka) and native access (RocksDB); these flags only
# quiet the warnings, which would otherwise drown the CLI's output.
VED_JVM_FLAGS=""
ved_major=$(ved_java_major "$JAVA_HOME/bin/java")
if [ "$ved_major" -ge 22 ]; then VED_JVM_FLAGS="--enable-native-access=ALL-UNNAMED"; fi
if [ "$ved_major" -ge 24 ]; then
  VED_JVM_FLAGS="$VED_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
export VED_JVM_FLAGS
