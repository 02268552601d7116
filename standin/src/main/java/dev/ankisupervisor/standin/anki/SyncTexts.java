package dev.ankisupervisor.standin.anki;

/**
 * Every error text the stand-in's sync actions send, exact, with its upstream source (A4, P2).
 * Anki 25.09.2: ftl/core/network.ftl, ftl/core/sync.ftl; rslib/src/error/network.rs maps a
 * transport failure or HTTP status to one of them, and a network error's text is
 * {@code "<summary>\n\nError details: <info>"} ({@code NetworkError::message}), while a sync
 * error's text is the summary alone ({@code SyncError::message}). AnkiConnect (532a3c8):
 * plugin/__init__.py {@code sync()}. Constants only.
 */
final class SyncTexts {
  private SyncTexts() {}

  // --- ftl/core/network.ftl (25.09.2): NetworkErrorKind summaries ---
  /** network-timeout (NetworkErrorKind::Timeout; the io monitor's stall timeout has empty info). */
  static final String TIMEOUT = "Connection timed out. Please try again. If you see frequent timeouts,"
      + " please try a different network connection.";
  /** network-proxy-auth (HTTP 407). */
  static final String PROXY_AUTH = "Your proxy requires authentication.";
  /**
   * network-other (any other status or transport failure). Real Anki 25.09.2 said this for a
   * refused connection and an unknown host alike; its "Please check your internet connection."
   * (network-offline) was not seen.
   */
  static final String NETWORK_OTHER = "A network error occurred.";

  // --- ftl/core/sync.ftl (25.09.2): SyncErrorKind texts, chosen by HTTP status ---
  /** sync-wrong-pass (HTTP 403, SyncErrorKind::AuthFailed). */
  static final String WRONG_PASS = "Email or password was incorrect; please try again.";
  /** sync-server-error (HTTP 500, 502, 503, 504, SyncErrorKind::ServerError). */
  static final String SERVER_ERROR = "AnkiWeb encountered a problem. Please try again in a few minutes.";
  /** sync-conflict (HTTP 409, SyncErrorKind::Conflict). */
  static final String CONFLICT = "Only one copy of Anki can sync to your account at once."
      + " Please wait a few minutes, then try again.";
  /** sync-client-too-old (HTTP 501). */
  static final String CLIENT_TOO_OLD = "Your Anki version is too old. Please update to the latest version"
      + " to continue syncing.";
  /** sync-sanity-check-failed (HTTP 400, SyncErrorKind::DatabaseCheckRequired). */
  static final String CHECK_DATABASE = "Please use the Check Database function, then sync again. If problems"
      + " persist, please force a one-way sync in the preferences screen.";

  // --- AnkiConnect 25.11.9.0 (532a3c8) plugin/__init__.py, sync() ---
  static final String AUTH_NOT_CONFIGURED = "sync: auth not configured";

  // --- our patch P2 (docs/anki-behaviour.md) and the texts patches/README.md decides ---
  static final String WOULD_OVERWRITE = "full sync would overwrite data; pass force to confirm";
  static final String BAD_DIRECTION = "full sync direction must be \"download\" or \"upload\"";

  /** reqwest 0.12's text for a failed connect, with the URL removed as rslib does. */
  static final String SEND_FAILED_INFO = "error sending request for url ()";

  /**
   * A network error's whole text: summary, blank line, details (NetworkError::message), the details
   * inside the Unicode isolation marks U+2068 and U+2069 that Anki's translation adds around them.
   */
  static String network(String summary, String info) {
    return summary + "\n\nError details: \u2068" + info + "\u2069";
  }

  /**
   * AnkiConnect's text when a full sync is needed: {@code out.required} is a protobuf enum value,
   * which Python prints as its number, and the accepted list is {@code [0, 1]}.
   */
  static String status(int required) {
    return "Sync status " + required + " not one of [0, 1] - see SyncCollectionResponse.ChangesRequired"
        + " for list of sync statuses: https://github.com/ankitects/anki/blob/"
        + "e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65";
  }
}
