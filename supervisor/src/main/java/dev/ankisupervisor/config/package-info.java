/** Settings records: checked once when built, then trusted. Imports only files' capped reader (for secret files). */
package dev.ankisupervisor.config;
