/**
 * The closed sets of names that more than one layer speaks, at the bottom of the package arrows:
 * the supervisor's lifecycle states, how a sync ended, why it ran, which way a needed full sync
 * must go and the status file's sync state. Each serialises itself as its one lower-case name, so
 * the status file, the metrics and the log use the same words without a copy; and the one way a
 * duration reads ({@link dev.ankisupervisor.model.HumanDuration}). Imports nothing of ours.
 */
package dev.ankisupervisor.model;
