/** Speaks sd_notify and journald priority prefixes; a no-op when NOTIFY_SOCKET is unset. */
package dev.ankisupervisor.systemd;
