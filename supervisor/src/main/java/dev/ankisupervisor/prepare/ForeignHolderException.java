package dev.ankisupervisor.prepare;

import dev.ankisupervisor.os.ProcessIdentity;
import java.util.Objects;

/**
 * A process that is not an Anki of ours holds the collection lock (C7) or the AnkiConnect port
 * (A3), so starting Anki would end in a modal dialog (C3). We never kill such a process; the
 * operator must. Kind is always {@link Kind#CONFIG} (exit 78): it is the machine's setup, not a
 * passing state. The message names the pid and command line, e.g.
 * "port 8765 on 100.64.0.1 is held by pid 4242 (python3 -m http.server, started 09:12); stop it or set --connect-port".
 */
public final class ForeignHolderException extends PrepareException {
  private final ProcessIdentity holder;

  public ForeignHolderException(ProcessIdentity holder, String message) {
    super(Kind.CONFIG, message);
    this.holder = Objects.requireNonNull(holder, "holder");
  }

  /** The foreign process, as seen when refused. */
  public ProcessIdentity holder() {
    return holder;
  }
}
