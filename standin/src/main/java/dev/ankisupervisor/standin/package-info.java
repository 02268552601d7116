/** Plays Anki, AnkiConnect and the sync server in tests and the demo; imports nothing of the supervisor. */
package dev.ankisupervisor.standin;
