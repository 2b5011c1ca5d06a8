# shellcheck shell=bash
# Shared by scripts/bench and scripts/bench-compare: the bench jar, built when missing or stale.

BENCH_JAR=$COORD_ROOT/coord-bench/target/coord-bench.jar
# One long-lived client JVM per system; G1 as on any 2-core machine with this much memory.
BENCH_JAVA_OPTS=(-Xms1g -Xmx1g -XX:+UseG1GC)

ensure_bench_built() {
  ensure_built
  if [[ -f $BENCH_JAR && -z $(newer_source "$BENCH_JAR" coord-proto coord-client coord-bench) ]]; then
    return 0
  fi
  if [[ -n ${COORD_NO_BUILD:-} ]]; then
    [[ -f $BENCH_JAR ]] || die "$BENCH_JAR is missing and COORD_NO_BUILD is set: build with ./mvnw -B -DskipTests package"
    return 0
  fi
  say "building the bench jar (./mvnw -B -q -DskipTests package -pl coord-bench -am)..."
  (cd "$COORD_ROOT" && ./mvnw -B -q -DskipTests package -pl coord-bench -am) >&2 \
    || die "the build failed (see above)"
}

run_bench() {
  java "${BENCH_JAVA_OPTS[@]}" -jar "$BENCH_JAR" "$@"
}
