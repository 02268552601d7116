/** The post-deploy check of AnkiConnect and our patches. */
package dev.ankisupervisor.check;
