package dev.ankisupervisor.standin.syncserver;

/** Plays the Anki sync server by the contract (S1-S3, C8). */
public final class StandInSyncServer {
  private StandInSyncServer() {}

  public static void main(String[] args) throws Exception {
    System.err.println("[stand-in] sync-server: not built yet");
    System.exit(70);
  }
}
