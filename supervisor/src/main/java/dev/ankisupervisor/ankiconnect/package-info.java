/**
 * The AnkiConnect HTTP client (A2): the one way supervisor code talks to Anki; the error texts it
 * answers with ({@link dev.ankisupervisor.ankiconnect.AnkiConnectError}) and which of our patches it
 * has ({@link dev.ankisupervisor.ankiconnect.PatchProbe}). Imports only config.
 */
package dev.ankisupervisor.ankiconnect;
