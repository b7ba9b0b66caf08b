#!/usr/bin/env bash
# dpopj demo: builds the demo WAR, starts it on Payara Micro on 127.0.0.1, plays the DPoP story with
# the scripted client, runs the example MCP client against the demo's MCP server (discovery,
# registration, code flow with PKCE and dpop_jkt, a tool call; nonces on both sides), and stops the
# server again. Exits 0 only when the story and the MCP flow passed.
#
#   demo/run.sh                  build, start, play the story, stop
#   demo/run.sh --keep-running   ... and then keep the server running (Ctrl-C stops it)
#
# Environment (all optional; MicroProfile Config names, read by the server; every dpop.* setting of the
# README works, e.g. DPOP_TOKEN_INTROSPECTION_URI; an empty variable, e.g. DPOP_TOKEN_ISSUER=, clears
# the demo's default):
#   DEMO_PORT            HTTP port on 127.0.0.1 (default 8080)
#   DPOP_TOKEN_ISSUER    issuer the API trusts      (default http://127.0.0.1:$DEMO_PORT/demo, the demo token endpoint)
#   DPOP_TOKEN_JWKS_URI  where the API gets its keys (default: discovered from the issuer's metadata)
#   DPOP_TOKEN_AUDIENCE  audience the API accepts   (default dpopj-demo-api)
#   DPOP_TOKEN_INTROSPECTION_URI, _CLIENT_ID, _CLIENT_SECRET   RFC 7662 introspection (default none)
#   DPOP_HTU_BASE_URI    public URL of the server root, when it sits behind a proxy
#   DPOP_METADATA_RESOURCE, DPOP_METADATA_URI   RFC 9728 resource and metadata URL (default under $base)
#   DPOP_NONCE_MODE      off | required, for /api and /servlet (default off; /nonce always requires nonces)
#   DPOP_NONCE_SECRET    nonce HMAC secret, at least 32 bytes (default: random per start)
#   DPOP_AUDIT_LOG       json | off: one JSON line per decision in the server log (default json)
#   DPOP_CRYPTO_PROVIDER auto | jdk | accp: who checks signatures (default auto: the bundled Amazon
#                        Corretto Crypto Provider when its native code loads on this machine, else the JDK)
# and for this script: DEMO_MAVEN_ARGS (extra Maven arguments, e.g. -o), DEMO_JAVA_OPTS (server JVM
# options), DEMO_START_TIMEOUT (seconds to wait for the server, default 180).
set -euo pipefail

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

keep_running=0
for arg in "$@"; do
    case "$arg" in
        -k|--keep-running) keep_running=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
    esac
done

demo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(dirname "$demo_dir")
port=${DEMO_PORT:-8080}
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
    echo "run.sh: DEMO_PORT must be a port number, not '$port'" >&2
    exit 2
fi
export DEMO_PORT=$port
base="http://127.0.0.1:${port}/demo"
java_cmd=${JAVA_HOME:+$JAVA_HOME/bin/}java
run_dir="$demo_dir/target/run"
server_log="$run_dir/server.log"
server_pid=""

for tool in "$java_cmd" mvn curl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run.sh: $tool is required (Java 17 or later, Maven 3.8 or later, curl)" >&2
        exit 2
    fi
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 40); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
trap stop_server EXIT
trap 'echo; echo "stopping the server"; exit 0' INT TERM

# 1. build the WAR (and the libraries it bundles) and fetch the server, all from Maven Central
t0=$(now)
mkdir -p "$run_dir"
build_log="$run_dir/build.log"
echo "building the demo with Maven (log: $build_log; a first run downloads Payara Micro, about 100 MB) ..."
# shellcheck disable=SC2086
if ! (cd "$root_dir" && mvn -B -Dstyle.color=never ${DEMO_MAVEN_ARGS:-} -pl demo,dpop-mcp -am -Pdemo-server \
        -DskipTests package) >"$build_log" 2>&1; then
    echo "run.sh: the build failed; last lines of $build_log:" >&2
    grep -E '\[(ERROR|WARNING)\]' "$build_log" | tail -n 30 >&2 || tail -n 30 "$build_log" >&2
    exit 1
fi
t1=$(now)

# 2. start Payara Micro on 127.0.0.1 only
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: something already listens on 127.0.0.1:$port; set DEMO_PORT to a free port" >&2
    exit 1
fi
echo "starting Payara Micro on 127.0.0.1:$port (log: $server_log) ..."
# shellcheck disable=SC2086
"$java_cmd" ${DEMO_JAVA_OPTS:-} -jar "$demo_dir/target/server/payara-micro.jar" \
    --deploy "$demo_dir/target/demo.war" \
    --port "$port" \
    --nocluster \
    --disablephonehome \
    --prebootcommandfile "$demo_dir/src/main/payara/preboot.asadmin" \
    >"$server_log" 2>&1 &
server_pid=$!

deadline=$(( $(date +%s) + ${DEMO_START_TIMEOUT:-180} ))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/jwks" 2>/dev/null || true)" == 200 ]]; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "run.sh: the server stopped while starting; last lines of $server_log:" >&2
        tail -n 40 "$server_log" >&2
        exit 1
    fi
    if (( $(date +%s) > deadline )); then
        echo "run.sh: the server did not answer within ${DEMO_START_TIMEOUT:-180} s; see $server_log" >&2
        exit 1
    fi
    sleep 0.25
done
t2=$(now)
echo "server ready at $base"

# 3. the story, played by the scripted client against the demo token endpoint
status=0
if [[ -n "${DPOP_TOKEN_ISSUER+set}" && "${DPOP_TOKEN_ISSUER%/}" != "$base" ]]; then
    echo "the API trusts ${DPOP_TOKEN_ISSUER:-an introspection endpoint}, not the demo token endpoint:"
    echo "the scripted story is skipped; the server keeps running for your own client"
    keep_running=1
else
    echo
    "$java_cmd" -cp "$demo_dir/target/classes:$root_dir/dpop-client/target/classes" org.dpopj.demo.client.DemoClient "$base" || status=$?
    echo
    mcp_example="$root_dir/dpop-mcp/target/dpop-mcp-example.jar"
    echo "MCP: the example MCP client, given nothing but the MCP server's URL:"
    echo "  java -jar dpop-mcp/target/dpop-mcp-example.jar --tool place_order --arguments '{\"item\":\"tea\",\"quantity\":2}' $base/mcp"
    if ! "$java_cmd" -jar "$mcp_example" --tool place_order --arguments '{"item":"tea","quantity":2}' "$base/mcp" | sed 's/^/  /'; then
        echo "MCP: FAIL, the example MCP client did not complete the flow"
        status=1
    fi
    echo "MCP: the same client asking only for orders.write, which the MCP server does not accept (it needs orders.read):"
    if "$java_cmd" -jar "$mcp_example" --scope orders.write "$base/mcp" | sed 's/^/  /'; then
        echo "MCP: FAIL, the MCP server accepted a token without orders.read"
        status=1
    else
        echo "MCP: refused as expected (exit status non-zero)"
    fi
fi
t3=$(now)
echo
echo "timings: build $(elapsed "$t0" "$t1") s, server start $(elapsed "$t1" "$t2") s, story $(elapsed "$t2" "$t3") s"

# 4. optionally keep the server for a person to try
if (( keep_running )); then
    cat <<EOF

The demo server keeps running on 127.0.0.1:$port (Ctrl-C stops it).
  overview          GET  $base/
  token endpoint    POST $base/token       grant_type=client_credentials, HTTP Basic demo-client:demo-secret, DPoP proof
                                           or grant_type=authorization_code (public clients, DPoP-Nonce required)
  registration      POST $base/register    RFC 7591, public clients (token_endpoint_auth_method none)
  authorization     GET  $base/authorize   no login page: redirects at once (PKCE S256 and dpop_jkt required)
  JWKS              GET  $base/jwks
  metadata          GET  $base/.well-known/openid-configuration
  resource metadata GET  $base/.well-known/oauth-protected-resource  (RFC 9728; every 401 names it)
  API               GET  $base/api/orders  (scope orders.read)
                    POST $base/api/orders  (scope orders.write)
  servlet (web.xml) GET  $base/servlet/whoami
  servlet, nonces   GET  $base/nonce/whoami  (DPoP-Nonce required)
  MCP server        POST $base/mcp         streamable HTTP, tools list_orders, place_order (DPoP-Nonce required)
                    java -jar dpop-mcp/target/dpop-mcp-example.jar $base/mcp
  clients           demo-client / demo-secret (orders.read orders.write), demo-reader / reader-secret (orders.read)
  server log        $server_log
EOF
    wait "$server_pid" || true
    echo "the server stopped; see $server_log" >&2
    exit 1
fi
exit "$status"
