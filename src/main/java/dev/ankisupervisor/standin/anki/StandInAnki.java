package dev.ankisupervisor.standin.anki;

/** Plays Anki 25.09.2 + AnkiConnect 25.11.9.0 by the contract (C1-C8, A1-A4, P1-P2). */
public final class StandInAnki {
  private StandInAnki() {}

  public static void main(String[] args) throws Exception {
    System.err.println("[stand-in] anki: not built yet");
    System.exit(70);
  }
}
