package dev.ankisupervisor.standin.anki;

/**
 * What a collection sync needs, as Anki's {@code SyncCollectionResponse.ChangesRequired}
 * (proto/anki/sync.proto) with its numbers, and P2's names for {@code headlessSync}.
 */
enum SyncRequired {
  NO_CHANGES(0, "no_changes"),
  NORMAL_SYNC(1, "normal_sync"),
  /** Both sides have cards and no shared history: the user must pick a direction. */
  FULL_SYNC(2, "full_sync"),
  /** The local collection has no cards: only a download loses nothing. */
  FULL_DOWNLOAD(3, "full_download"),
  /** The server's collection has no cards: only an upload loses nothing. */
  FULL_UPLOAD(4, "full_upload");

  final int number;
  final String wireName;

  SyncRequired(int number, String wireName) {
    this.number = number;
    this.wireName = wireName;
  }

  boolean isFull() {
    return number >= 2;
  }

  /**
   * Upstream's decision (rslib/src/sync/collection/meta.rs {@code compared_to_remote}), as real Anki
   * 25.09.2 answered it (C8): same content -> no changes; a different schema identity -> no changes
   * when neither side has cards (a fresh profile against an empty server), else a full sync,
   * narrowed to one direction when one side has no cards; else a normal sync.
   */
  static SyncRequired decide(boolean sameScm, boolean sameContent, boolean localEmpty, boolean remoteEmpty) {
    if (sameScm && sameContent) {
      return NO_CHANGES;
    }
    if (!sameScm && localEmpty && remoteEmpty) {
      return NO_CHANGES;
    }
    if (!sameScm) {
      boolean uploadOk = !localEmpty || remoteEmpty;
      boolean downloadOk = !remoteEmpty || localEmpty;
      if (uploadOk && downloadOk) {
        return FULL_SYNC;
      }
      return downloadOk ? FULL_DOWNLOAD : FULL_UPLOAD;
    }
    return NORMAL_SYNC;
  }
}
