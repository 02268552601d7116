/** The picocli entry points: parse, call one thing, map the result to an exit code. */
package dev.ankisupervisor.commands;
