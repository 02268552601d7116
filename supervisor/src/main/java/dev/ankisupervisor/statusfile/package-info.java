/**
 * The status file's schema, shared by everyone who reads it: its records, its JSON form, the one
 * reader ({@link dev.ankisupervisor.statusfile.StatusReader}) and the one staleness rule
 * ({@link dev.ankisupervisor.statusfile.Staleness}). In the bottom tier because {@code status},
 * {@code check} and {@code doctor} all read the file and a leaf may not import another leaf.
 */
package dev.ankisupervisor.statusfile;
