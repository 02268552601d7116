/** Writes the status file atomically and the metrics; the Nagios verdict of the status command. */
package dev.ankisupervisor.status;
