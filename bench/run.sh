#!/usr/bin/env bash
# bench/run.sh: layan against a bare libmicrohttpd "ceiling" server, same machine, same session.
#
# Usage: bench/run.sh [sqlite|pg|calibrate]      (`make bench` runs it after `make build`)
#   sqlite     layan on a fresh demo SQLite database (default)
#   pg         the same on PostgreSQL: a throwaway cluster (scripts/pg-test.sh) on a unix socket
#   calibrate  the ceiling against a second ceiling: shows how noisy this machine is (ratio ~1.0)
#
# Builds bench/ceiling.c with the compiler and flags of layan's own build, starts both servers on
# 127.0.0.1, warms each up, then runs wrk against ceiling and layan alternately (ceiling, layan,
# ceiling, layan, ...) per scenario and reports the median requests/s and latencies of each, the
# ratio layan/ceiling and whether the issue's target is met. Appends a dated section to
# docs/benchmarks.md (see there for the method). Exits non-zero when a run fails (a server does
# not start, dies, or answers with errors); a missed target is reported, never an error.
#
# Environment (defaults in brackets):
#   BENCH_THREADS [2]  BENCH_CONNECTIONS [64]  BENCH_DURATION [10s]  BENCH_WARMUP [2s]
#   BENCH_ROUNDS [2]          runs per server and scenario; the median is reported
#   BENCH_SCENARIOS [healthz,home,search,api_units,api_services,service_page]
#                             also: track_api, track_page, track_open311 (one seeded request),
#                             submit (POST /api/v1/requests, bench/submit.lua: durable submissions;
#                             the report adds SQLite's raw single-row commit rate for comparison)
#   BENCH_BUILD_DIR [build]   where the layan binary and its CMake cache are
#   BENCH_ACCESS_LOG [on]     layan's access log, as deployed (lines go to a file in the work dir)
#   BENCH_RECORD [1]          append the results to docs/benchmarks.md (0 for calibrate)
#   BENCH_REGION [32.73]      region for `layan init`
#   BENCH_KEEP [0]            keep the work directory (database, logs, wrk outputs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
die() {
    echo "bench: $*" >&2
    exit 1
}

mode=${1:-sqlite}
case "$mode" in
sqlite | calibrate | pg) ;;
-h | --help | help)
    usage
    exit 0
    ;;
*)
    usage >&2
    exit 2
    ;;
esac
[ $# -le 1 ] || die "one argument at most (sqlite, pg or calibrate)"

threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
rounds=${BENCH_ROUNDS:-2}
scenarios=${BENCH_SCENARIOS:-healthz,home,search,api_units,api_services,service_page}
build=${BENCH_BUILD_DIR:-build}
access_log=${BENCH_ACCESS_LOG:-on}
region=${BENCH_REGION:-32.73}
keep=${BENCH_KEEP:-0}
if [ "$mode" = calibrate ]; then record=${BENCH_RECORD:-0}; else record=${BENCH_RECORD:-1}; fi

int_in() { [[ $1 =~ ^[0-9]{1,6}$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
int_in "$threads" 1 64 || die "BENCH_THREADS must be 1..64"
# layan refuses more than max_connections (1024) connections; keep wrk below it
int_in "$conns" 1 1000 || die "BENCH_CONNECTIONS must be 1..1000"
[ "$conns" -ge "$threads" ] || die "BENCH_CONNECTIONS must be at least BENCH_THREADS"
int_in "$rounds" 1 9 || die "BENCH_ROUNDS must be 1..9"
[[ $duration =~ ^[1-9][0-9]{0,3}[sm]?$ ]] || die "BENCH_DURATION must look like 10s or 1m"
[[ $warmup =~ ^[0-9]{1,4}[sm]?$ ]] || die "BENCH_WARMUP must look like 2s (0 = no warm-up)"
[[ $access_log =~ ^(on|off)$ ]] || die "BENCH_ACCESS_LOG must be on or off"
[[ $record =~ ^[01]$ ]] || die "BENCH_RECORD must be 0 or 1"

# name|layan path|ceiling path|target ratio (- = reported only)[|wrk Lua script for layan]
# @CODE@ in a path: the tracking code of a request filed through the API before the runs
all_scenarios=(
    "healthz|/healthz|/healthz|0.85"
    "home|/|/|0.35"
    "search|/cari?q=coblong|/|-"
    "api_units|/api/v1/units|/|-"
    "api_services|/api/v1/services|/|0.60"
    "service_page|/layanan/kia|/|0.35"
    "track_api|/api/v1/requests/@CODE@|/|-"
    "track_page|/lacak/@CODE@|/|-"
    "track_open311|/open311/v2/requests/@CODE@.json|/|-"
    "submit|/api/v1/requests|/|-|bench/submit.lua"
)
chosen=()
IFS=, read -r -a wanted <<<"$scenarios"
for w in "${wanted[@]}"; do
    found=0
    for s in "${all_scenarios[@]}"; do
        if [ "${s%%|*}" = "$w" ]; then
            chosen+=("$s")
            found=1
        fi
    done
    [ $found = 1 ] || die "unknown scenario '$w' (known: $(printf '%s\n' "${all_scenarios[@]}" | cut -d'|' -f1 | paste -sd, -))"
done

command -v wrk >/dev/null || die "wrk is missing: \`make bench\` installs it (Debian package wrk)"
layan=$build/layan
cache=$build/CMakeCache.txt
if [ "$mode" = sqlite ]; then
    [ -x "$layan" ] || die "$layan not found: run \`make build\` first"
fi
[ -f "$cache" ] || die "$cache not found: run \`make build\` first"

# --- the ceiling, built like layan -------------------------------------------------------------
# The flags are those layan's main.c was compiled with (compile_commands.json), so the ceiling
# gets the same optimisation and hardening; the fallback mirrors CMakeLists.txt's release flags.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache")
[ -n "$cc" ] || cc=cc
flags=()
if [ -f "$build/compile_commands.json" ]; then
    line=$(grep -m1 -E '"command": .* -c [^ ]*src/main\.c"' "$build/compile_commands.json" || true)
    set -f # split the command into words without globbing them
    for tok in $line; do
        case "$tok" in
        -fsanitize=*) die "$build is a sanitizer build: benchmark a release build (make build)" ;;
        -O* | -W* | -f* | -std=* | -D_* | -DNDEBUG | -g* | -m*) flags+=("$tok") ;;
        esac
    done
    set +f
fi
if [ ${#flags[@]} -eq 0 ]; then
    flags=(-std=c17 -O3 -DNDEBUG -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
        -Wformat=2 -Werror -D_GNU_SOURCE -fno-strict-aliasing -fstack-protector-strong
        -D_FORTIFY_SOURCE=2)
fi
if ! printf '%s\n' "${flags[@]}" | grep -qx -- '-fstack-protector-strong'; then
    echo "bench: warning: $build is not a release build; numbers will not be representative" >&2
fi

# the work directory lives in the build tree, on disk: the access log of a run can reach hundreds
# of megabytes, too much for a /tmp in RAM
case "$build" in /*) bdir=$build ;; *) bdir=$root/$build ;; esac
work=$(mktemp -d "$bdir/bench.XXXXXX")
declare -A PID=() URL=() RSS=()
stopping=0

stop_pid() { # pid -> exit status of the process (124 when it had to be killed)
    local pid=$1 i rc=0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        return 124
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return $rc
}

cleanup() {
    local rc=$? n
    [ $stopping = 1 ] && return
    stopping=1
    for n in "${!PID[@]}"; do stop_pid "${PID[$n]}" || true; done
    if [ -d "$work/pg" ]; then bash scripts/pg-test.sh halt "$work/pg" || true; fi
    if [ "$keep" = 1 ] || [ $rc -ne 0 ]; then
        echo "bench: work directory kept: $work" >&2
    else
        if [ -d "$work/pg" ]; then bash scripts/pg-test.sh stop "$work/pg" || true; fi
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$cc" "${flags[@]}" bench/ceiling.c -o "$work/ceiling" \
    $(pkg-config --cflags --libs libmicrohttpd) -lpthread 2>"$work/ceiling-build.log" ||
    {
        cat "$work/ceiling-build.log" >&2
        die "building the ceiling failed"
    }

# every wrk connection comes from 127.0.0.1: allow them all, with room for connections of the
# previous run that the server has not reaped yet; both servers get the same limit
per_ip=$((conns * 2 > 64 ? conns * 2 : 64))

start_server() { # name command... ; waits for "listening on http://127.0.0.1:PORT"
    local name=$1 i url=""
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    PID[$name]=$!
    for ((i = 0; i < 300; i++)); do
        url=$(grep -m1 -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/$name.out" 2>/dev/null || true)
        [ -n "$url" ] && break
        kill -0 "${PID[$name]}" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$url" ]; then
        tail -n 20 "$work/$name.err" >&2 || true
        kill -0 "${PID[$name]}" 2>/dev/null || die "$name exited before it was ready"
        die "$name did not start (no 'listening on' line within 30 s)"
    fi
    URL[$name]=${url#listening on }
    echo "bench: $name ${URL[$name]} (pid ${PID[$name]})" >&2
}

alive() { # name
    kill -0 "${PID[$1]}" 2>/dev/null || {
        tail -n 20 "$work/$1.err" >&2 || true
        die "$1 died during the benchmark"
    }
}

warnings=()
# run_wrk name path duration outfile [lua script] ; sets R_RPS R_P50 R_P99 (ms), fails on errors
run_wrk() {
    local name=$1 path=$2 dur=$3 out=$4 script=${5:-} rc=0 res
    wrk -t"$threads" -c"$conns" -d"$dur" --timeout 5s --latency ${script:+-s "$script"} \
        "${URL[$name]}$path" >"$out" 2>&1 || rc=$?
    alive "$name"
    [ $rc -eq 0 ] || {
        cat "$out" >&2
        die "wrk against $name$path failed (exit $rc)"
    }
    res=$(awk '
        function ms(v,  x) { x = v + 0
            if (v ~ /us$/) return x / 1000; if (v ~ /ms$/) return x
            if (v ~ /m$/) return x * 60000; if (v ~ /s$/) return x * 1000; return x }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / requests in / { total = $1 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /Socket errors:/ { gsub(",", ""); conn = $4; other = $6 + $8 + $10 }
        END { printf "%s %s %s %d %d %d %d\n", rps, p50, p99, total, bad, conn, other }' "$out")
    set -- $res
    if [ $# -ne 7 ] || [ "$4" -eq 0 ]; then
        cat "$out" >&2
        die "no requests completed against $name$path"
    fi
    if [ "$5" -gt 0 ] || [ "$6" -gt 0 ]; then
        cat "$out" >&2
        die "$name$path: $5 non-2xx answers, $6 connect errors"
    fi
    [ "$7" -eq 0 ] || warnings+=("$name $path: $7 socket read/write/timeout errors in $4 requests")
    R_RPS=$1 R_P50=$2 R_P99=$3
}

median() { # numbers... -> median
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- servers -----------------------------------------------------------------------------------
# the same number of worker threads as layan: LAYAN_THREADS if set, else layan's default (8 per
# CPU, at most 64: src/http/server.c)
ncpu=$(nproc)
cthreads=${LAYAN_THREADS:-$((ncpu * 8 < 64 ? ncpu * 8 : 64))}
int_in "$cthreads" 0 256 || die "LAYAN_THREADS must be 0..256"
start_server ceiling "$work/ceiling" 0 "$cthreads" "$per_ip"
if [ "$mode" = calibrate ]; then
    subject=ceiling-b
    start_server "$subject" "$work/ceiling" 0 "$cthreads" "$per_ip"
else
    subject=layan
    echo "bench: creating the demo database (layan init, layan demo)" >&2
    db="sqlite:$work/b.db"
    if [ "$mode" = pg ]; then
        chmod 755 "$work" # the cluster runs as postgres when we are root
        db=$(bash scripts/pg-test.sh start "$work/pg") || die "cannot start PostgreSQL (scripts/pg-test.sh)"
        export LAYAN_KEY_FILE="$work/layan.key"
    fi
    "$layan" init --db "$db" --region "$region" >"$work/init.log" 2>&1 || {
        tail -n 20 "$work/init.log" >&2
        die "layan init failed"
    }
    "$layan" demo --db "$db" >"$work/demo.log" 2>&1 || {
        tail -n 20 "$work/demo.log" >&2
        die "layan demo failed"
    }
    start_server layan env -u LAYAN_CONFIG LAYAN_PER_IP_CONNECTIONS="$per_ip" \
        LAYAN_ACCESS_LOG="$access_log" "$layan" serve --listen 127.0.0.1:0 --db "$db"
fi

# --- requests: an API key, a body for kia, one filed request (its code replaces @CODE@) ---------
track_code=""
if [ "$mode" != calibrate ] && printf '%s\n' "${chosen[@]}" | grep -qE '@CODE@|submit\.lua'; then
    export BENCH_API_KEY BENCH_SUBMIT_BODY="$work/submit.json"
    BENCH_API_KEY=$("$layan" apikey create --db "$db" --name bench 2>>"$work/init.log" | tail -n 1)
    [[ $BENCH_API_KEY =~ ^lyk_ ]] || die "layan apikey create failed"
    # every required attribute of kia's published definition, with a plausible value
    curl -s "${URL[layan]}/open311/v2/services/kia.json" | node -e '
        const d = JSON.parse(require("fs").readFileSync(0, "utf8")), fields = {};
        for (const a of d.attributes) {
            if (["nik", "no_kk", "delivery"].includes(a.code) || !a.required) continue;
            const v = /valuelist$/.test(a.datatype) ? a.values[0].key : a.datatype === "datetime" ? "2026-01-05" : a.datatype === "number" ? "1" : "contoh";
            fields[a.code] = a.datatype === "multivaluelist" ? [v] : v;
        }
        const b = { service_code: "kia", nik: "3273010101900001", delivery: "pickup", fields, idempotency_key: "@KEY@" };
        if (d.attributes.some((a) => a.code === "no_kk")) b.kk = "3273012301200002";
        process.stdout.write(JSON.stringify(b));' >"$BENCH_SUBMIT_BODY" || die "no definition of kia"
    track_code=$(sed "s/@KEY@/bench-seed-$$/" "$BENCH_SUBMIT_BODY" |
        curl -s -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
            --data-binary @- "${URL[layan]}/api/v1/requests" |
        sed -nE 's/.*"tracking_code":"([^"]+)".*/\1/p')
    [ -n "$track_code" ] || die "filing the seed request failed"
    echo "bench: seeded request $track_code" >&2
fi

# SQLite's raw single-row commit rate: 2000 INSERTs, each its own durable commit, in a fresh file
raw_commit_rate() {
    if [ ! -f "$work/commits.sql" ]; then
        {
            echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
            for ((i = 0; i < 2000; i++)); do echo "INSERT INTO t (v) VALUES ('x');"; done
        } >"$work/commits.sql"
    fi
    rm -f "$work/commits.db" "$work/commits.db-wal" "$work/commits.db-shm"
    local t0 t1
    t0=$(date +%s%N)
    sqlite3 "$work/commits.db" <"$work/commits.sql" >/dev/null
    t1=$(date +%s%N)
    awk -v n=2000 -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }'
}

# --- runs --------------------------------------------------------------------------------------
rows=()
raw_rates=()
met_count=0
target_count=0
for s in "${chosen[@]}"; do
    IFS='|' read -r sname lpath cpath target script <<<"$s"
    lpath=${lpath//@CODE@/$track_code}
    [ "$mode" != calibrate ] || script="" # the calibration runs GETs on both
    if [ "$warmup" != 0 ] && [ "$warmup" != 0s ]; then
        echo "bench: $sname: warming up" >&2
        run_wrk ceiling "$cpath" "$warmup" "$work/$sname-warm-ceiling.txt"
        run_wrk "$subject" "$lpath" "$warmup" "$work/$sname-warm-$subject.txt" "$script"
    fi
    c_rps=() c_p50=() c_p99=() l_rps=() l_p50=() l_p99=()
    raw_reference=""
    [ "$mode" = calibrate ] || [ "$script" != bench/submit.lua ] || ! command -v sqlite3 >/dev/null ||
        raw_reference=yes
    for ((r = 1; r <= rounds; r++)); do
        run_wrk ceiling "$cpath" "$duration" "$work/$sname-$r-ceiling.txt"
        c_rps+=("$R_RPS") c_p50+=("$R_P50") c_p99+=("$R_P99")
        echo "bench: $sname round $r/$rounds: ceiling $cpath $R_RPS req/s" >&2
        run_wrk "$subject" "$lpath" "$duration" "$work/$sname-$r-$subject.txt" "$script"
        l_rps+=("$R_RPS") l_p50+=("$R_P50") l_p99+=("$R_P99")
        echo "bench: $sname round $r/$rounds: $subject $lpath $R_RPS req/s" >&2
        if [ -n "$raw_reference" ]; then
            raw_rates+=("$(raw_commit_rate)")
            echo "bench: $sname round $r/$rounds: SQLite raw commits ${raw_rates[-1]}/s" >&2
        fi
    done
    cr=$(median "${c_rps[@]}") lr=$(median "${l_rps[@]}")
    [ "$sname" != submit ] || submit_rate=$lr
    ratio=$(awk -v l="$lr" -v c="$cr" 'BEGIN { printf "%.2f", (c > 0 ? l / c : 0) }')
    met="—"
    [ "$mode" != calibrate ] || target=- # identical servers: targets do not apply
    if [ "$target" != - ]; then
        target_count=$((target_count + 1))
        if awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r + 0 >= t + 0) }'; then
            met=yes
            met_count=$((met_count + 1))
        else
            met=no
        fi
    fi
    tshow=$([ "$target" = - ] && echo "—" || echo "≥ $target")
    rows+=("$(awk -v n="$sname" -v p="$lpath" -v cr="$cr" -v lr="$lr" -v ratio="$ratio" \
        -v t="$tshow" -v m="$met" -v l50="$(median "${l_p50[@]}")" -v l99="$(median "${l_p99[@]}")" \
        -v c50="$(median "${c_p50[@]}")" -v c99="$(median "${c_p99[@]}")" 'BEGIN {
        printf "| %s | `%s` | %.0f | %.0f | **%s** | %s | %s | %.2f / %.2f | %.2f / %.2f |",
            n, p, cr, lr, ratio, t, m, l50, l99, c50, c99 }')")
done

# the submission scenario's reference: SQLite's raw rate of single-row durable commits (WAL,
# synchronous=FULL, as layan opens it), one writer, on the same disk. Measured right after each
# round of the submit scenario (on PostgreSQL too: issue 6 compares both engines' durable
# submissions with this rate) and reported as the median: the rate follows whatever else the
# disk is doing, so a single measurement at another moment than the submissions misleads.
commit_rate=""
if [ -n "${raw_rates[*]:-}" ]; then
    commit_rate=$(median "${raw_rates[@]}" | awk '{ printf "%.0f", $1 }')
fi

for n in ceiling "$subject"; do
    RSS[$n]=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/${PID[$n]}/status" 2>/dev/null || echo "?")
done

# stop both, expecting a clean exit 0 on SIGTERM
for n in "$subject" ceiling; do
    rc=0
    stop_pid "${PID[$n]}" || rc=$?
    unset "PID[$n]"
    [ $rc -eq 0 ] || {
        tail -n 20 "$work/$n.err" >&2 || true
        die "$n did not exit 0 on SIGTERM (status $rc)"
    }
done

# --- report ------------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit + uncommitted changes"
fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu" ] || cpu=unknown
wrkv=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $2 }')
mhdv=$(pkg-config --modversion libmicrohttpd 2>/dev/null || echo "?")
label=$([ "$mode" = calibrate ] && echo "calibration: ceiling vs ceiling" || echo "$mode")
subject_col=$([ "$mode" = calibrate ] && echo "ceiling B" || echo "layan")

report=$(
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $label"
    echo
    echo "Machine: $(nproc) CPUs, $cpu, Linux $(uname -r). wrk $wrkv: $threads threads," \
        "$conns connections, $duration per run, $rounds run(s) per server alternating, medians." \
        "libmicrohttpd $mhdv, $("$cc" --version 2>/dev/null | head -n1 || echo "$cc")$([ "$mode" = calibrate ] || echo ", access log $access_log")."
    echo
    echo "| Scenario | Path | ceiling req/s | $subject_col req/s | ratio | target | met | $subject_col p50 / p99 ms | ceiling p50 / p99 ms |"
    echo "|---|---|---:|---:|---:|---|---|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    tail=""
    [ $target_count -eq 0 ] || tail=" Targets met: $met_count of $target_count."
    echo "Peak RSS (VmHWM): $subject_col ${RSS[$subject]} MiB, ceiling ${RSS[ceiling]} MiB.$tail"
    [ -z "$commit_rate" ] || echo "SQLite raw single-row commits (WAL, synchronous=FULL, one writer, sqlite3 CLI), median of one measurement after each submit round (${raw_rates[*]}): $commit_rate/s. The submit row is durable POST /api/v1/requests (201 after COMMIT), the ceiling column there is GET /."
    [ -z "$commit_rate" ] || [ -z "${submit_rate:-}" ] || awk -v s="$submit_rate" -v c="$commit_rate" 'BEGIN {
        r = s / c; printf "Durable submissions / raw commits: %.0f / %s = **%.2f** (target ≥ 0.50: %s).\n", s, c, r, (r >= 0.5 ? "met" : "not met") }'
    for w in "${warnings[@]+"${warnings[@]}"}"; do echo "Warning: $w."; done
)
echo
echo "$report"
if [ "$record" = 1 ]; then
    printf '\n%s\n' "$report" >>docs/benchmarks.md
    echo
    echo "bench: appended to docs/benchmarks.md"
fi
