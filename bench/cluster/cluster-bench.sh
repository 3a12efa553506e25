#!/usr/bin/env bash
# The cluster benchmark: one digest run of N subscribers shared by 1, 2, 3... `papermailer run` nodes on one
# PostgreSQL database, each node writing to an outbox of its own. For each node count: a fresh database, the sample
# papers collected, N subscribers imported (all due now), the nodes started together; the run's wall time is read from
# the ledger (first digest recorded to last outcome recorded), so node start-up is not counted. Not part of dotnet test.
#
# usage: bench/cluster/cluster-bench.sh --postgres 'Host=...;Username=...;Password=...;Database=postgres' [--nodes 1,2,3] [--subscribers 20000]
#   --postgres   an Npgsql connection string to an admin database, as a role that may create databases
#                (scripts/test-servers.sh start prints one as PAPERMAILER_TEST_POSTGRES)
set -euo pipefail

nodes_list="1,2,3"
subscribers=20000
admin="${PAPERMAILER_TEST_POSTGRES:-}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --nodes) nodes_list="$2"; shift 2 ;;
        --subscribers) subscribers="$2"; shift 2 ;;
        --postgres) admin="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -n "$admin" ]] || { echo "--postgres (or PAPERMAILER_TEST_POSTGRES) is required" >&2; exit 2; }

root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/papermailer-cluster-bench-XXXXXX")"
trap 'jobs -p | xargs -r kill 2>/dev/null; rm -rf "$work"' EXIT

dotnet build -c Release "$root/src/PaperMailer/PaperMailer.csproj" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
papermailer=(dotnet "$root/src/PaperMailer/bin/Release/net10.0/papermailer.dll")

# "Host=h;Port=p;Username=u;Password=w;Database=d" as a libpq connection string for psql.
libpq() { echo "$1" | tr ';' '\n' | sed -e 's/^Host=/host=/I' -e 's/^Port=/port=/I' -e 's/^Username=/user=/I' -e 's/^Password=/password=/I' -e 's/^Database=/dbname=/I' | grep -E '^(host|port|user|password|dbname)=' | tr '\n' ' '; }
with_database() { echo "$(echo "$1" | sed -E 's/(^|;)Database=[^;]*/\1/I;s/;;/;/g;s/;$//');Database=$2"; }

echo "email,keywords,timezone,hour" >"$work/subscribers.csv"
awk -v n="$subscribers" 'BEGIN { split("agents|image generation|reasoning|benchmark", k, "|"); for (i = 1; i <= n; i++) printf "reader%d@d%d.example.org,%s,UTC,0\n", i, i % 7, k[i % 4 + 1] }' >>"$work/subscribers.csv"

printf '%-6s %12s %12s %14s\n' nodes subscribers "wall (s)" "digests/s"
IFS=',' read -r -a counts <<<"$nodes_list"
for n in "${counts[@]}"; do
    db="papermailer_cluster_bench_${n}_$$"
    psql "$(libpq "$admin")" -qc "CREATE DATABASE $db" >/dev/null
    cs="$(with_database "$admin" "$db")"
    settings=("--Storage:Provider=Postgres" "--Storage:ConnectionString=$cs" "--Web:SigningKeyFile=$work/signing.key"
        "--Sources:HuggingFace:Enabled=false" "--Sources:Arxiv:Enabled=false" "--Sources:ArxivFeed:Enabled=false")
    (cd "$work" && "${papermailer[@]}" collect --file "$root/samples/hf-daily-papers.json" "${settings[@]}" >/dev/null)
    (cd "$work" && "${papermailer[@]}" subscribers import "$work/subscribers.csv" "${settings[@]}" >/dev/null)
    pids=()
    for i in $(seq 1 "$n"); do
        mkdir -p "$work/node$i"
        (cd "$work/node$i" && exec "${papermailer[@]}" run "--urls=http://127.0.0.1:$((5180 + i))" "${settings[@]}" \
            "--Delivery:OutboxDirectory=$work/node$i/outbox" "--Schedule:FirstDigestCheckDelay=00:00:10" "--Schedule:DigestCheckInterval=00:00:05" \
            "--Cluster:PollInterval=00:00:01" >"$work/node$i/log" 2>&1) &
        pids+=($!)
    done
    until [[ "$(psql "$(libpq "$cs")" -Atc "SELECT count(*) FROM deliveries WHERE status = 'Sent'")" -ge "$subscribers" ]]; do sleep 1; done
    wall="$(psql "$(libpq "$cs")" -Atc "SELECT round(extract(epoch FROM max(updated_at) - min(created_at))::numeric, 1) FROM deliveries")"
    printf '%-6s %12s %12s %14s\n' "$n" "$subscribers" "$wall" "$(awk -v s="$subscribers" -v w="$wall" 'BEGIN { printf "%.0f", s / w }')"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    rm -rf "$work"/node*
    psql "$(libpq "$admin")" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
