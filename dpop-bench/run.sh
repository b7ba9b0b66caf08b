#!/usr/bin/env bash
# dpopj benchmarks in one command: about 15 minutes under the lock on 2 cores (plus any wait for it).
# Writes the figures between the markers of BENCHMARKS.md at the repository root (the rest of the file
# is kept); raw output in dpop-bench/target/results.
#
#   1. builds dpop-bench and the demo;
#   2. JMH: the whole resource request beside the bare signature check and the Nimbus SDK verifier,
#      -prof gc, ES256 and RS256 with the JDK's provider and ACCP, at 1 and 2 threads on Java 17, and
#      ES256 on Java 25 when it is installed (--full: every algorithm, about 10 more minutes);
#   3. end to end on the demo (Payara Micro, 127.0.0.1, default settings): an unprotected servlet and
#      the same servlet behind DPoP, nonces off and on, closed loop at 1 and 2 client threads
#      (org.dpopj.bench.load.EndToEndLoad);
#   4. sustained: the demo at LOAD_RATE requests/s for LOAD_SECONDS, once with one client key and then
#      with 10,000, on one freshly started server (org.dpopj.bench.load.SustainedLoad).
#
#   bash dpop-bench/run.sh              everything above
#   bash dpop-bench/run.sh --jmh-only   steps 1 and 2
#   bash dpop-bench/run.sh --load-only  steps 1, 3 and 4
#   bash dpop-bench/run.sh --sustained-only  steps 1 and 4 (the report keeps step 3's last output)
#   bash dpop-bench/run.sh --full       everything, with the whole JMH matrix
#
# Each step holds the machine-wide lock /tmp/dpopj-mvn.lock on its own (no build runs beside a
# measurement; none holds it for more than 12 minutes). Environment: MAVEN_ARGS (extra Maven arguments,
# e.g. "-o -Dmaven.repo.local=..."), JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64),
# LOAD_SECONDS (default 180), LOAD_RATE (default 1800), DEMO_PORT (default 8080).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/dpop-bench/target/results"
jar="$root/dpop-bench/target/benchmarks.jar"
java25=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
port=${DEMO_PORT:-8080}
base="http://127.0.0.1:$port/demo"
lock=/tmp/dpopj-mvn.lock
jmh_steps=1 load_steps=1 e2e_step=1 full=0
case "${1:-}" in
    --jmh-only) load_steps=0 ;;
    --load-only) jmh_steps=0 ;;
    --sustained-only) jmh_steps=0 e2e_step=0 ;;
    --full) full=1 ;;
    "") ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
esac
mkdir -p "$out"
waits="$out/lock-waits"
# run a command under the machine-wide lock, at most 12 minutes; note how long the lock took to come
locked() {
    flock "$lock" bash -c 'echo $(( $(date +%s) - $1 )) >>"$2"; shift 2; exec timeout 720 "$@"' _ "$(date +%s)" "$waits" "$@"
}
t_start=$(date +%s)
step_times=()
held_total=0
timed() { # name, command...
    local name=$1 t0 waited held; shift; t0=$(date +%s)
    rm -f "$waits"
    "$@"
    waited=$(awk '{ s += $1 } END { print s + 0 }' "$waits" 2>/dev/null || echo 0)
    held=$(( $(date +%s) - t0 - waited ))
    held_total=$(( held_total + held ))
    step_times+=("$name $held s")
}

build() {
    echo "building dpop-bench and the demo ..."
    # shellcheck disable=SC2086
    (cd "$root" && locked mvn -B -ntp -q ${MAVEN_ARGS:-} -pl dpop-bench,demo -am -Pdemo-server -DskipTests install)
}
timed build build

jmh() { # java, name, extra JMH arguments...
    local java=$1 name=$2; shift 2
    echo "JMH $name ..."
    locked "$java" -jar "$jar" -prof gc -rf json -rff "$out/$name.json" "$@" >"$out/$name.log" 2>&1
}
if (( jmh_steps )); then
    rm -f "$out"/jdk*.json
    if (( full )); then
        timed "JMH Java 17, 1 thread" jmh java jdk17-t1 ResourceRequestBenchmark -t 1
        timed "JMH Java 17, 2 threads" jmh java jdk17-t2 '.*ResourceRequestBenchmark.(dpopj|floor)$' -t 2
        [[ -x "$java25/bin/java" ]] && timed "JMH Java 25" jmh "$java25/bin/java" jdk25-t1 '.*ResourceRequestBenchmark.(dpopj|nimbus|floor)$' -t 1
    else
        timed "JMH Java 17, 1 thread" jmh java jdk17-t1 '.*ResourceRequestBenchmark.(dpopj|nimbus|floor)$' -p alg=ES256,RS256 -t 1
        timed "JMH Java 17, 2 threads" jmh java jdk17-t2 '.*ResourceRequestBenchmark.(dpopj|floor)$' -p alg=ES256 -t 2
        [[ -x "$java25/bin/java" ]] && timed "JMH Java 25" jmh "$java25/bin/java" jdk25-t1 '.*ResourceRequestBenchmark.(dpopj|nimbus|floor)$' -p alg=ES256 -p provider=jdk -t 1
    fi
fi

# One demo server session under the lock: start it (extra environment in $1, e.g. "DEMO_TOKEN_LIFETIME=30m"),
# run the command in $2 with $PID set to the server's process id, stop the server, check the port is free.
demo_session() { # log name, environment, command
    local name=$1 env=$2 command=$3
    locked env $env DEMO_MAVEN_ARGS="-o ${MAVEN_ARGS:-}" bash -c '
        set -u
        bash "$0/demo/run.sh" --keep-running >"$1/demo-$2.log" 2>&1 &
        demo=$!
        for _ in $(seq 1 360); do curl -sf -o /dev/null "$3/jwks" && break; sleep 0.5; done
        PID=$(ss -ltnpH "sport = :$4" | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)
        export PID
        status=0
        bash -c "$5" || status=$?
        # a background job ignores SIGINT: stop the server run.sh started (its child), then run.sh ends
        kill -TERM $(pgrep -P $demo) 2>/dev/null || true
        wait $demo || true
        for _ in $(seq 1 40); do ss -ltnH "sport = :$4" | grep -q . || break; sleep 0.5; done
        exit $status' "$root" "$out" "$name" "$base" "$port" "$command"
}

if (( load_steps )); then
    if (( e2e_step )); then
        echo "end to end on the demo ..."
        timed "end to end" demo_session e2e "" \
            "java -cp '$jar' org.dpopj.bench.load.EndToEndLoad '$base' \$PID 100 3 6 >'$out/e2e.md' 2>'$out/e2e.err'"
    fi
    echo "sustained, 1 and 10,000 keys ..."
    # one server for both runs: a fresh Payara's JIT needs about a minute at this rate, so the first run
    # warms up for 60 s, the second (the server warm) for 20 s; the demo token endpoint's tokens must
    # outlive minting and the run (its default is 5 minutes)
    timed "sustained" demo_session sustained "DEMO_TOKEN_LIFETIME=30m" \
        "for run in '1 60' '10000 20'; do set -- \$run; java -Xmx3g -cp '$jar' org.dpopj.bench.load.SustainedLoad '$base' \$PID ${LOAD_SECONDS:-180} ${LOAD_RATE:-1800} \$1 \$2 >'$out/sustained-'\$1'.md' 2>'$out/sustained-'\$1'.err'; done"
    grep -c "replay store on cache\|at capacity" "$root/demo/target/run/server.log" >"$out/sustained.warnings" 2>/dev/null || true
fi

report="$out/report.md"
{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr)."
    echo "JDKs: $(java -version 2>&1 | head -1)$( [[ -x "$java25/bin/java" ]] && echo "; $("$java25/bin/java" -version 2>&1 | head -1)")."
    echo "Versions: JMH 1.37, Ehcache 3.12 (JCache), Nimbus oauth2-oidc-sdk 11.30 with nimbus-jose-jwt 10.5"
    echo "and Tink 1.18.0, Amazon Corretto Crypto Provider 2.5.0, Payara Micro 6.2025.10. Written by"
    echo "\`bash dpop-bench/run.sh${1:+ $1}\` on $(date -u '+%F %H:%M') UTC; steps (seconds under the lock): $(IFS=';'; echo "${step_times[*]}" | sed 's/;/; /g'); $held_total s under the lock, $(( $(date +%s) - t_start )) s in all with the waits for it."
    echo
    if (( jmh_steps )); then
        for name in jdk17-t1 jdk17-t2 jdk25-t1; do
            [[ -f "$out/$name.json" ]] && java -cp "$jar" org.dpopj.bench.BenchReport "Java ${name:3:2}, JMH" "$out/$name.json" && echo
        done
    fi
    if (( load_steps )); then
        echo "#### End to end: the demo on Payara Micro, 127.0.0.1, default settings (ACCP checks signatures)"
        echo
        echo '```bash'
        echo "java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.load.EndToEndLoad $base <server pid> 100 3 6"
        echo '```'
        echo
        cat "$out/e2e.md" 2>/dev/null || echo "(no result: see $out/e2e.err)"
        for keys in 1 10000; do
            echo
            warm=20; [[ $keys == 1 ]] && warm=60
            echo "#### Sustained: ${LOAD_RATE:-1800} requests/s for ${LOAD_SECONDS:-180} s, $keys client key(s)"
            echo
            echo '```bash'
            [[ $keys == 1 ]] && echo "DEMO_TOKEN_LIFETIME=30m bash demo/run.sh --keep-running    # then, on that server, both runs"
            echo "java -Xmx3g -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.load.SustainedLoad $base <server pid> ${LOAD_SECONDS:-180} ${LOAD_RATE:-1800} $keys $warm"
            echo '```'
            echo
            cat "$out/sustained-$keys.md" 2>/dev/null || echo "(no result: see $out/sustained-$keys.err)"
        done
        echo
        echo "Lines in the server log of both runs about a replay store at capacity or a replay-store WARNING: $(cat "$out/sustained.warnings" 2>/dev/null || echo '?')."
    fi
} >"$report"

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
echo "written: BENCHMARKS.md (raw results in $out; $held_total s under the lock, $(( $(date +%s) - t_start )) s in all)"
