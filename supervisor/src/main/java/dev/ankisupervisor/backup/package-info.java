/** Verified backups of the sync server's data. */
package dev.ankisupervisor.backup;
