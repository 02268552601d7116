package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ProcessIdentity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole status file, schema 1 (docs/status.md): what the supervisor writes ({@link StatusJson}) and
 * {@link StatusReader} reads. Immutable; any thread. It holds no secret by construction: no field
 * takes an API key, password or host key.
 *
 * @param schema {@link #SCHEMA}
 * @param updatedAt when this document was written
 * @param supervisor the supervisor
 * @param anki the Anki process
 * @param ankiConnect AnkiConnect
 * @param sync the sync loop
 */
public record StatusDocument(
    int schema, Instant updatedAt, SupervisorView supervisor, AnkiView anki, ConnectView ankiConnect, SyncView sync) {
  /** The schema this code writes and the newest it reads. */
  public static final int SCHEMA = 1;

  public StatusDocument {
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(supervisor, "supervisor");
    Objects.requireNonNull(anki, "anki");
    Objects.requireNonNull(ankiConnect, "ankiConnect");
    Objects.requireNonNull(sync, "sync");
  }

  /**
   * The first document of a run: supervisor {@code preparing}, no Anki yet, sync {@code never} (or
   * {@code disabled}). The AnkiConnect URL is known only for a fixed bind address; with a Tailscale
   * bind it stays null until the supervisor resolves it ({@link #withConnect}).
   */
  public static StatusDocument initial(SupervisorSettings settings, ProcessIdentity self, String version,
      Instant startedAt) {
    Optional<String> url = settings.connect().bind() instanceof BindSpec.Fixed f
        ? Optional.of(AnkiConnectEndpoint.of(f.address().getHostAddress(), settings.connect().port(), Optional.empty())
            .url())
        : Optional.empty();
    return new StatusDocument(SCHEMA, startedAt,
        new SupervisorView(self, version, startedAt, SupervisorState.PREPARING),
        new AnkiView(null, settings.anki().profile(), null, 0, null),
        new ConnectView(url.orElse(null), null, null, null, null),
        SyncView.initial(settings.sync().interval()));
  }

  public StatusDocument withUpdatedAt(Instant at) {
    return new StatusDocument(schema, at, supervisor, anki, ankiConnect, sync);
  }

  public StatusDocument withSupervisor(SupervisorView v) {
    return new StatusDocument(schema, updatedAt, v, anki, ankiConnect, sync);
  }

  public StatusDocument withAnki(AnkiView v) {
    return new StatusDocument(schema, updatedAt, supervisor, v, ankiConnect, sync);
  }

  public StatusDocument withConnect(ConnectView v) {
    return new StatusDocument(schema, updatedAt, supervisor, anki, v, sync);
  }

  public StatusDocument withSync(SyncView v) {
    return new StatusDocument(schema, updatedAt, supervisor, anki, ankiConnect, v);
  }
}
