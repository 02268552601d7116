package dev.ankisupervisor.standin;

/**
 * The stand-in's collection schema, shared by stand-in Anki's {@code collection.anki2} and the
 * stand-in sync server's per-user {@code collection.anki2}. Much smaller than Anki's, but it holds
 * decks, cards and collection config, which is all the supervisor and its tests look at.
 */
public final class CollectionSchema {
  private CollectionSchema() {}

  /** Statements that create an empty collection; each is idempotent. */
  public static final String[] CREATE = {
    // One row: modification time (ms), update sequence number, last sync time (ms).
    "create table if not exists col (id integer primary key check (id = 1), mod integer not null,"
        + " usn integer not null, ls integer not null)",
    "insert or ignore into col (id, mod, usn, ls) values (1, 0, 0, 0)",
    "create table if not exists decks (id integer primary key, name text not null unique)",
    "insert or ignore into decks (id, name) values (1, 'Default')",
    "create table if not exists cards (id integer primary key, did integer not null,"
        + " front text not null, back text not null, mod integer not null)",
    // Collection config (P1's getConfig/setConfig): values are compact JSON text.
    "create table if not exists config (key text primary key, val text not null)"
  };
}
