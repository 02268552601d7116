package dev.ankisupervisor.standin.anki;

import dev.ankisupervisor.standin.syncserver.CollectionContent;
import dev.ankisupervisor.standin.syncserver.CollectionTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/**
 * One collection sync of the open profile against its sync server: asks the server what is needed
 * ({@link SyncRequired}), performs a normal merge, or a full download or upload. Honours the
 * stand-in Anki's sync knobs first: ANKI_STANDIN_SYNC_DELAY_MS (the sync takes that much longer)
 * and ANKI_STANDIN_SYNC_FAIL (the sync fails with exactly that text). Runs on the AnkiConnect
 * thread and blocks it for its whole length (A3).
 */
final class SyncRun {
  private final SyncClient client;
  private final Connection col;

  private SyncRun(SyncClient client, Connection col) {
    this.client = client;
    this.col = col;
  }

  /** Starts a run; the caller has checked auth and the collection. Applies the knobs. */
  static SyncRun begin(SyncClient client, Connection col, Map<String, String> env) throws ActionError {
    Console.diag("sync: started against " + client.endpoint());
    String delay = env.get("ANKI_STANDIN_SYNC_DELAY_MS");
    if (delay != null && !delay.isBlank()) {
      Pause.sleep(Duration.ofMillis(Long.parseLong(delay.strip())));
    }
    String fail = env.get("ANKI_STANDIN_SYNC_FAIL");
    if (fail != null && !fail.isEmpty()) {
      throw new ActionError(fail);
    }
    return new SyncRun(client, col);
  }

  /** The local collection's content. */
  CollectionContent local() throws ActionError {
    try {
      return CollectionTables.read(col);
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
  }

  /** What a sync would need now, and the server's message. */
  record Check(SyncRequired required, String serverMessage) {}

  Check check() throws ActionError {
    CollectionContent local = local();
    SyncClient.ServerMeta remote = client.meta();
    SyncRequired required = SyncRequired.decide(local.scm().equals(remote.scm()),
        local.digest().equals(remote.digest()), local.isEmpty(), remote.empty());
    return new Check(required, remote.message());
  }

  /**
   * Anki's collection sync: a normal sync is carried out and then reported as {@code NO_CHANGES}
   * (what real Anki 25.09.2 answers after it merged, C8); a needed full sync is only reported (the
   * caller decides what to do about it).
   */
  Check syncCollection() throws ActionError {
    Check check = check();
    if (check.required() == SyncRequired.NORMAL_SYNC) {
      SyncClient.ServerContent merged = client.merge(local());
      store(merged, false);
      return new Check(SyncRequired.NO_CHANGES, check.serverMessage());
    }
    return check;
  }

  /** Replaces the local collection (decks, cards, config, identity) with the server's. */
  void fullDownload() throws ActionError {
    store(client.download(), true);
  }

  /** Replaces the server's collection with the local one. */
  void fullUpload() throws ActionError {
    long usn = client.upload(local());
    try {
      long now = System.currentTimeMillis();
      CollectionTables.stamp(col, now, usn, now);
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
  }

  private void store(SyncClient.ServerContent server, boolean full) throws ActionError {
    try {
      CollectionTables.write(col, server.content(), full);
      long now = System.currentTimeMillis();
      CollectionTables.stamp(col, now, server.usn(), now);
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
  }
}
