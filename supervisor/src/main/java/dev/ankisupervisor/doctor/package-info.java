/** The troubleshooting walk behind `doctor`: one check per known failure, each with its fix. */
package dev.ankisupervisor.doctor;
