package dev.ankisupervisor.standin.syncserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One {@code SYNC_USERn} account (S1). Its host key is the lowercase hex SHA-1 of the exact
 * {@code user:password} value the server was given (C8; rslib/src/sync/http_server/mod.rs
 * {@code derive_hkey}), also when {@code PASSWORDS_HASHED} makes the password part a hash.
 * Immutable; {@link #toString()} hides the password and the key.
 */
record SyncAccount(String name, String password, String hostKey) {

  /** Parses {@code user:password} (split at the first colon, as upstream's split_once). */
  static SyncAccount parse(String envName, String value) {
    int colon = value.indexOf(':');
    if (colon < 0) {
      // Upstream's text (SimpleServerInner::new_from_env).
      throw new IllegalArgumentException(envName + " should be in 'username:password' format.");
    }
    return new SyncAccount(value.substring(0, colon), value.substring(colon + 1), hostKeyOf(value));
  }

  /** SHA-1 hex of the exact {@code user:password} text. */
  static String hostKeyOf(String userColonPassword) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-1").digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "SyncAccount[" + name + "]";
  }
}
