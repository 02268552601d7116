package dev.ankisupervisor.commands;

import picocli.CommandLine.Option;

/** {@code --sync-url}, shared by {@code run} (where it syncs) and {@code doctor} (whose /health it probes). A picocli mixin. */
final class SyncUrlOption {
  @Option(names = "--sync-url", paramLabel = "URL", converter = SyncUrlConverter.class,
      description = "The self-hosted sync server, e.g. http://host:27701/ (trailing slash added). Default: none.")
  String url;
}
