/** Runs one sync through AnkiConnect and classifies the result; the sync loop. */
package dev.ankisupervisor.sync;
