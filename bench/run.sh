#!/bin/sh
# The benchmark: our supervisor against supervisord, both supervising the stand-in Anki.
# Prints each figure's samples and a table (figure | ours | supervisord | ratio | target | met).
#   bench/run.sh [--runs N] [--quick] [--soak 10m] [--sync-interval 30s] [--status-runs N] [--dir DIR]
#   bench/run.sh --real-anki [--runs N] [--soak 30m] ...   # the real Anki (ANKI_VENV, ANKICONNECT_SRC): bench/RESULTS.md
# Needs: the jar (built here when missing), supervisord and supervisorctl (Debian: apt-get install supervisor).
# ANKI_SUPERVISOR_JAVA_OPTS and MALLOC_ARENA_MAX, when set, reach our supervisor only.
set -eu
cd "$(dirname "$0")/.."
# ---- backup rows: BackupBench, `anki-supervisor backup` against rsync/sqlite3/sha256sum scripts ----
# (bench/RESULTS.md, "Backup rows"). Same flags (--quick: the small folder; --runs, --dir). They need
# rsync, sqlite3 and sha256sum (Debian: apt-get install rsync sqlite3) and, by default, about 4 GB
# free in the bench folder. BENCH_BACKUP=only runs just these rows; BENCH_BACKUP=off skips them.
real_anki=no
case " $* " in *" --real-anki "*) real_anki=yes ;; esac
if [ "${BENCH_BACKUP:-on}" != off ] && [ "$real_anki" = no ]; then
  [ -f supervisor/target/anki-supervisor.jar ] || mvn -B -q -o package -DskipTests >&2
  mvn -B -q -o test-compile >&2
  java -cp supervisor/target/test-classes:supervisor/target/anki-supervisor.jar dev.ankisupervisor.bench.BackupBench "$@"
  if [ "${BENCH_BACKUP:-on}" = only ]; then
    exit 0
  fi
fi
# ---- end of the backup rows ----------------------------------------------------------------------
# no supervisord in the real-Anki figures
[ "$real_anki" = yes ] || command -v supervisord >/dev/null || { echo "bench: supervisord not found; apt-get install supervisor" >&2; exit 69; }
if [ ! -f supervisor/target/anki-supervisor.jar ]; then
  mvn -B -q -o package -DskipTests >&2
fi
mvn -B -q -o test-compile >&2
exec java -cp supervisor/target/test-classes:supervisor/target/anki-supervisor.jar dev.ankisupervisor.bench.Bench "$@"
