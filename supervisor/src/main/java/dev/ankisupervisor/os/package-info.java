/**
 * The foundation for processes and time, at the bottom of the package arrows: a process's identity
 * (pid + start time), the one reader of {@code /proc} (processes, locks, listening sockets), signals
 * and the one "SIGTERM, wait, SIGKILL" for a process group, and the ticker/sleeper and scheduler
 * seams. Imports nothing of ours.
 */
package dev.ankisupervisor.os;
