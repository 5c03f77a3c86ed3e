#!/usr/bin/env bash
# scripts/lint.sh (`make lint`): checks the C sources without changing them.
#   1. clang-format (the repository's .clang-format) over src/ tests/ fuzz/ bench/ *.c *.h;
#   2. banned functions (below), outside comments and string literals, reported as file:line;
#   3. the deployment files (deploy/check.sh: nginx -t, systemd-analyze verify, INI keys), when
#      those tools are installed.
# Exits non-zero on any finding.
#
# Usage: scripts/lint.sh [--fix] [FILE...]
#   FILE...  check only these files (default: every *.c and *.h under src tests fuzz bench)
#   --fix    rewrite the files that fail clang-format in place (only then; the check never writes)
#
# Banned, with what to use instead. The list follows curl's checksrc: each one either cannot know
# the size of its destination, hides its errors, or keeps hidden state.
#   sprintf vsprintf              -> snprintf, vsnprintf, buf_printf (lib/str.h)
#   strcpy stpcpy strcat          -> memcpy with a known length, snprintf, buf_puts
#   strncpy                       -> does not NUL-terminate when it truncates and zero-pads: memcpy
#                                    or snprintf
#   strncat                       -> its size is what is left, not the buffer size: buf_* or snprintf
#   gets                          -> fgets
#   strtok                        -> hidden static state, not thread-safe: str slices or strtok_r
#   atoi atol atoll atof          -> no error or range check: str_to_long (lib/str.h), strtol, strtod
#   tmpnam tempnam mktemp         -> race between choosing the name and creating the file: mkstemp
#   alloca                        -> unbounded stack use from request data: the request arena
# strtok_r, snprintf and the like are allowed (they are different words).
set -uo pipefail
cd "$(dirname "$0")/.."

fix=0
files=()
for a in "$@"; do
    case "$a" in
    --fix) fix=1 ;;
    -h | --help)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "lint: unknown option $a" >&2
        exit 2
        ;;
    *)
        [ -f "$a" ] || {
            echo "lint: no such file: $a" >&2
            exit 2
        }
        files+=("$a")
        ;;
    esac
done
all=0
if [ ${#files[@]} -eq 0 ]; then
    all=1
    # fuzz inputs and crashers are data, not code
    mapfile -t files < <(find src tests fuzz bench \
        \( -path fuzz/corpus -o -path fuzz/regression -o -name node_modules \) -prune -o \
        -type f \( -name '*.c' -o -name '*.h' \) -print 2>/dev/null | LC_ALL=C sort)
fi

status=0

# --- 1. clang-format -------------------------------------------------------------------------
fmt_bad=()
if command -v clang-format >/dev/null; then
    for f in "${files[@]}"; do
        n=$(clang-format --dry-run "$f" 2>&1 | grep -c 'warning: code should be clang-formatted' || true)
        if [ "$n" -gt 0 ]; then
            if [ $fix = 1 ]; then
                clang-format -i "$f" && echo "lint: formatted $f"
            else
                fmt_bad+=("$f")
                echo "$f: $n places differ from .clang-format"
            fi
        fi
    done
    if [ ${#fmt_bad[@]} -gt 0 ]; then
        echo "lint: ${#fmt_bad[@]} of ${#files[@]} files need clang-format" \
            "(see: clang-format --dry-run FILE; fix: clang-format -i FILE or scripts/lint.sh --fix FILE)"
        status=1
    fi
else
    echo "lint: clang-format is not installed (Debian package clang-format): format not checked" >&2
    status=1
fi

# --- 2. banned functions ---------------------------------------------------------------------
# Comments and string/character literals are blanked first (newlines kept, so line numbers stay),
# then a call or declaration `name (` of a banned function is a finding.
banned_out=$(perl -e '
    my %use = (
        sprintf => "snprintf", vsprintf => "vsnprintf", strcpy => "memcpy or snprintf",
        stpcpy => "memcpy or snprintf", strcat => "buf_puts or snprintf",
        strncpy => "memcpy or snprintf", strncat => "buf_puts or snprintf", gets => "fgets",
        strtok => "str slices or strtok_r", atoi => "str_to_long or strtol",
        atol => "str_to_long or strtol", atoll => "strtoll", atof => "strtod",
        tmpnam => "mkstemp", tempnam => "mkstemp", mktemp => "mkstemp", alloca => "the arena",
    );
    my $names = join "|", sort keys %use;
    my $found = 0;
    for my $file (@ARGV) {
        open my $fh, "<", $file or do { print STDERR "lint: cannot read $file\n"; $found++; next };
        local $/; my $src = <$fh>; close $fh;
        $src =~ s{
            ( /\*.*?\*/ | //[^\n]* | "(?:\\.|[^"\\\n])*" | \x27(?:\\.|[^\x27\\\n])*\x27 )
        }{ my $m = $1; (my $nl = $m) =~ tr/\n//cd; substr($m, 0, 1) eq "\"" ? "\"\"" : " " . $nl }gsex;
        my $ln = 0;
        for my $line (split /\n/, $src, -1) {
            $ln++;
            while ($line =~ /(?<![\w.>])($names)\s*\(/g) {
                print "$file:$ln: banned function $1() (use $use{$1})\n";
                $found++;
            }
        }
    }
    exit($found ? 1 : 0);
' "${files[@]}")
banned_rc=$?
if [ -n "$banned_out" ]; then
    echo "$banned_out"
fi
banned_n=0
[ -n "$banned_out" ] && banned_n=$(grep -c ': banned function ' <<<"$banned_out")
[ $banned_rc -eq 0 ] || status=1

# --- 3. deployment files ---------------------------------------------------------------------
deploy_note=skipped
if [ $all = 1 ]; then
    if deploy/check.sh; then deploy_note=ok; else
        deploy_note=FAILED
        status=1
    fi
fi

echo "lint: ${#files[@]} files; ${#fmt_bad[@]} need clang-format; $banned_n banned calls;" \
    "deploy files $deploy_note"
exit $status
