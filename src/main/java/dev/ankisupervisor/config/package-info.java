/** Settings records: checked once when built, then trusted. Imports nothing of ours. */
package dev.ankisupervisor.config;
