#!/bin/sh
# The fault-injection run, long version (the short one is FaultInjectionIT in `mvn verify`):
# one `anki-supervisor run` against the stand-in Anki and sync server, random faults for N minutes.
#   bench/fault-injection.sh [--minutes N | --seconds N] [--seed S] [--dir DIR]
# Prints every fault and its recovery, a table of counts and a PASS/FAIL line; exits 0 on PASS, 1 on FAIL.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f supervisor/target/anki-supervisor.jar ]; then
  mvn -B -q -o package -DskipTests >&2
fi
mvn -B -q -o test-compile >&2
exec java -cp supervisor/target/test-classes:supervisor/target/anki-supervisor.jar dev.ankisupervisor.bench.FaultInjection "$@"
