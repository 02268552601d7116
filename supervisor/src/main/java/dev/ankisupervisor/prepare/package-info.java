/** Makes the base folder ready before each launch: prefs21.db, gldriver6, AnkiConnect settings, bind address, stale holders. */
package dev.ankisupervisor.prepare;
