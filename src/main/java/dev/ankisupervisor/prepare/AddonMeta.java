package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import java.net.InetAddress;

/** One update of one add-on meta.json (see {@link AddonSettingsWriter}). Single use, single thread. */
final class AddonMeta {
  AddonMeta(AnkiSettings anki, ConnectSettings connect, InetAddress bindAddress) {}

  boolean write() throws PrepareException {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
