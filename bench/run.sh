#!/bin/sh
# The benchmark: our supervisor against supervisord, both supervising the stand-in Anki.
# Prints each figure's samples and a table (figure | ours | supervisord | ratio | target | met).
#   bench/run.sh [--runs N] [--quick] [--soak 10m] [--sync-interval 30s] [--status-runs N] [--dir DIR]
#   bench/run.sh --real-anki [--runs N] [--soak 30m] ...   # the real Anki (ANKI_VENV, ANKICONNECT_SRC): bench/RESULTS.md
# Needs: the jar (built here when missing), supervisord and supervisorctl (Debian: apt-get install supervisor).
# ANKI_SUPERVISOR_JAVA_OPTS and MALLOC_ARENA_MAX, when set, reach our supervisor only.
set -eu
cd "$(dirname "$0")/.."
case " $* " in
  *" --real-anki "*) ;;  # no supervisord in the real-Anki figures
  *) command -v supervisord >/dev/null || { echo "bench: supervisord not found; apt-get install supervisor" >&2; exit 69; } ;;
esac
if [ ! -f target/anki-supervisor.jar ]; then
  mvn -B -q -o package -DskipTests >&2
fi
mvn -B -q -o test-compile >&2
exec java -cp target/test-classes:target/anki-supervisor.jar dev.ankisupervisor.bench.Bench "$@"
