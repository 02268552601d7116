/**
 * The composition root: builds the running program from its parts for {@code run} and
 * {@code demo} ({@link dev.ankisupervisor.wiring.RunWiring}: the supervisor, the status file, the
 * sync loop, signals, pidfile; {@link dev.ankisupervisor.wiring.DemoEnvironment}: the stand-ins or
 * the real Anki the demo supervises) and the start-up warm-ups. The commands call it after they
 * parsed and checked their input; it imports {@code watch}, the leaves and the bottom packages,
 * never {@code commands}.
 */
package dev.ankisupervisor.wiring;
