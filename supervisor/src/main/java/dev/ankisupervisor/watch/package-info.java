/** The supervisor: one state enum, the restart policy, and the single thread that owns the Anki process. */
package dev.ankisupervisor.watch;
