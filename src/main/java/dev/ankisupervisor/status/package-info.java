/** Writes the JSON status file atomically and reads it back for the status command. */
package dev.ankisupervisor.status;
