/** The AnkiConnect HTTP client (A2): the one way supervisor code talks to Anki. Imports only config. */
package dev.ankisupervisor.ankiconnect;
