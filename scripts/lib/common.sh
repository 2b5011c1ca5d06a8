# shellcheck shell=bash
# Shared by scripts/cluster and scripts/coord: where things are, building, running the CLI.
#
# Environment:
#   COORD_DATA        data directory of the local cluster (default: <repo>/data)
#   COORD_PORT_BASE   member N serves clients on BASE+N, Raft on BASE+10+N and HTTP on
#                     BASE+20+N (default: 7700)
#   COORD_NO_BUILD    if set, never build; fail when a jar is missing (used by tests)

COORD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SERVER_JAR=$COORD_ROOT/coord-server/target/coord-server.jar
CLI_JAR=$COORD_ROOT/coord-cli/target/coord.jar
COORD_PORT_BASE=${COORD_PORT_BASE:-7700}
COORD_DATA=$(realpath -m "${COORD_DATA:-$COORD_ROOT/data}")
# Quick start for a short-lived client JVM.
CLI_JAVA_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx128m)

# Java decodes arguments with the locale's charset: make it UTF-8 so keys keep their bytes.
if [[ $(locale charmap 2>/dev/null) != "UTF-8" ]]; then
  export LC_ALL=C.UTF-8
fi

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

say() {
  echo "${0##*/}: $*" >&2
}

require_java() {
  command -v java >/dev/null \
    || die "java not found: Java 17 or newer is required (Debian: apt-get install openjdk-17-jdk-headless)"
  local version
  version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [[ ${version%%.*} -ge 17 ]] 2>/dev/null \
    || die "Java ${version:-?} found on PATH, Java 17 or newer is required"
}

# Prints the first source file (of the given modules, or the poms) newer than $1.
newer_source() {
  local jar=$1
  shift
  local dirs=()
  for module in "$@"; do
    dirs+=("$COORD_ROOT/$module/src/main" "$COORD_ROOT/$module/pom.xml")
  done
  find "$COORD_ROOT/pom.xml" "${dirs[@]}" -type f -newer "$jar" -print -quit 2>/dev/null
}

# Builds both jars when one is missing or older than any source file it is made from.
ensure_built() {
  local reason=""
  if [[ ! -f $SERVER_JAR || ! -f $CLI_JAR ]]; then
    reason="the jars are missing"
  elif [[ -n $(newer_source "$SERVER_JAR" coord-proto coord-server) \
      || -n $(newer_source "$CLI_JAR" coord-proto coord-client coord-cli) ]]; then
    reason="sources changed since the last build"
  fi
  [[ -z $reason ]] && return 0
  if [[ -n ${COORD_NO_BUILD:-} ]]; then
    [[ -f $SERVER_JAR && -f $CLI_JAR ]] \
      || die "$reason and COORD_NO_BUILD is set: build with ./mvnw -B -DskipTests package"
    return 0
  fi
  require_java
  say "$reason: building (./mvnw -B -q -DskipTests package; the first build downloads Maven and the dependencies)..."
  (cd "$COORD_ROOT" && ./mvnw -B -q -DskipTests package) >&2 \
    || die "the build failed (see above); fix it, or run ./mvnw -B -DskipTests package to see more"
  say "build done"
}

# Client endpoints of members 1..$1.
endpoints_for() {
  local size=$1 list="" n
  for ((n = 1; n <= size; n++)); do
    list+="${list:+,}127.0.0.1:$((COORD_PORT_BASE + n))"
  done
  echo "$list"
}

# The member numbers of the cluster in COORD_DATA, one per line (1..size before any member
# was added or removed).
remembered_members() {
  if [[ -f $COORD_DATA/members ]]; then
    cat "$COORD_DATA/members"
  elif [[ -f $COORD_DATA/cluster.size ]]; then
    seq 1 "$(cat "$COORD_DATA/cluster.size")"
  fi
}

# Client endpoints of the current members.
cluster_endpoints() {
  local list="" n
  for n in $(remembered_members); do
    list+="${list:+,}127.0.0.1:$((COORD_PORT_BASE + n))"
  done
  echo "$list"
}

# The size of the cluster last set up in COORD_DATA, or nothing.
remembered_size() {
  [[ -f $COORD_DATA/cluster.size ]] && cat "$COORD_DATA/cluster.size"
  return 0
}

# Runs the CLI jar.
run_cli() {
  java "${CLI_JAVA_OPTS[@]}" -jar "$CLI_JAR" "$@"
}
