#!/usr/bin/env bash
# dpopj benchmarks in one command: builds dpop-bench and the demo, runs the JMH suite (the whole
# resource request beside the bare signature check and the Nimbus SDK verifier, JDK and ACCP, with
# -prof gc) at 1 and 2 threads on Java 17 and at 1 thread on Java 25 when it is installed, then a load
# run against the demo on Payara Micro on 127.0.0.1, and writes the figures between the markers of
# BENCHMARKS.md (the rest of the file is kept). About 13 minutes on 2 cores.
#
#   bash dpop-bench/run.sh              everything above
#   bash dpop-bench/run.sh --jmh-only   the JMH suite only (about 9 minutes)
#
# Every step holds the machine-wide lock /tmp/dpopj-mvn.lock (no build runs beside a measurement).
# Environment: MAVEN_ARGS (extra Maven arguments, e.g. "-o -Dmaven.repo.local=..."),
# JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), LOAD_SECONDS (default 60), LOAD_RATE (default 400).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/dpop-bench/target/results"
jar="$root/dpop-bench/target/benchmarks.jar"
java25=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
lock=/tmp/dpopj-mvn.lock
jmh_only=0
[[ "${1:-}" == "--jmh-only" ]] && jmh_only=1
mkdir -p "$out"
locked() { flock "$lock" timeout 720 "$@"; }

echo "building dpop-bench and the demo ..."
# shellcheck disable=SC2086
(cd "$root" && locked mvn -B -ntp -q ${MAVEN_ARGS:-} -pl dpop-bench,demo -am -Pdemo-server -DskipTests install)

jmh() { # java, name, extra JMH arguments...
    local java=$1 name=$2; shift 2
    echo "JMH $name ..."
    locked "$java" -jar "$jar" ResourceRequestBenchmark -prof gc -rf json -rff "$out/$name.json" "$@" \
        >"$out/$name.log" 2>&1
}
jmh java jdk17-t1 -t 1
jmh java jdk17-t2 -t 2 '.*ResourceRequestBenchmark.(dpopj|floor)$'
if [[ -x "$java25/bin/java" ]]; then
    jmh "$java25/bin/java" jdk25-t1 -t 1 '.*ResourceRequestBenchmark.(dpopj|nimbus|floor)$'
fi

report="$out/report.md"
{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)."
    echo "JDKs: $(java -version 2>&1 | head -1)$( [[ -x "$java25/bin/java" ]] && echo "; $("$java25/bin/java" -version 2>&1 | head -1)")."
    echo "Versions: JMH 1.37, Ehcache 3.12 (JCache), Nimbus oauth2-oidc-sdk 11.30 with nimbus-jose-jwt 10.5"
    echo "and Tink 1.18.0, Amazon Corretto Crypto Provider 2.5.0. Written by \`bash dpop-bench/run.sh\` on $(date -u +%F)."
    echo
    for name in jdk17-t1 jdk17-t2 jdk25-t1; do
        [[ -f "$out/$name.json" ]] && java -cp "$jar" org.dpopj.bench.BenchReport "$name" "$out/$name.json" && echo
    done
} >"$report"

if (( ! jmh_only )); then
    echo "load run against the demo ..."
    locked bash -c "
        set -e
        DEMO_MAVEN_ARGS='-o ${MAVEN_ARGS:-}' bash '$root/demo/run.sh' --keep-running >'$out/demo.log' 2>&1 &
        demo=\$!
        for _ in \$(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:8080/demo/jwks && break; sleep 0.5; done
        java -cp '$jar' org.dpopj.bench.DemoLoad http://127.0.0.1:8080/demo ${LOAD_SECONDS:-60} ${LOAD_RATE:-400} 1 >'$out/load-1key.txt' 2>&1 || true
        java -cp '$jar' org.dpopj.bench.DemoLoad http://127.0.0.1:8080/demo ${LOAD_SECONDS:-60} ${LOAD_RATE:-400} 100 >'$out/load-100keys.txt' 2>&1 || true
        # a background job ignores SIGINT: stop the server run.sh started (its child), then run.sh ends
        kill -TERM \$(pgrep -P \$demo) 2>/dev/null || true; wait \$demo || true"
    {
        echo "#### Load against the demo (Payara Micro, 127.0.0.1, default settings, ${LOAD_RATE:-400} requests/s for ${LOAD_SECONDS:-60} s)"
        echo
        for f in load-1key load-100keys; do echo '```'; cat "$out/$f.txt"; echo '```'; done
    } >>"$report"
fi

python3 - "$root/BENCHMARKS.md" "$report" <<'PY'
import sys
path, report = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
begin, end = "<!-- run.sh begin -->", "<!-- run.sh end -->"
if begin in text:
    text = text[:text.index(begin) + len(begin)] + "\n" + report + text[text.index(end):]
else:
    text += "\n## Latest run of `bash dpop-bench/run.sh`\n\n" + begin + "\n" + report + end + "\n"
open(path, "w").write(text)
PY
echo "written: BENCHMARKS.md (raw results in $out)"
