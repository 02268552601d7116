/** Turns a ChildSpec (argv, scrubbed env, private TMPDIR) into a running Anki process group. */
package dev.ankisupervisor.launch;
