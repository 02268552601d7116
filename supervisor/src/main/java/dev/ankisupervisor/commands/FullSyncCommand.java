package dev.ankisupervisor.commands;

import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.sync.SyncResult;
import dev.ankisupervisor.sync.SyncRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code full-sync}: resolves {@code full_sync_required} by a full download or upload through P2's
 * {@code fullSync}. Refuses without {@code --yes}, saying what would be
 * overwritten; without {@code --force}, P2 itself refuses any transfer that would lose data.
 */
@Command(name = "full-sync", mixinStandardHelpOptions = true,
    description = "Resolves a needed full sync by downloading or uploading the whole collection (needs the headless sync patch).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "64:bad flags, or --yes missing", "65:both sides hold data: pass --force to choose",
        "69:Anki/AnkiConnect not available", "75:sync server unreachable, timed out, failing or busy; try again",
        "78:no headless sync patch, or the sync login is missing or wrong"})
final class FullSyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  static final class Direction {
    @Option(names = "--download", required = true,
        description = "Replace the local collection with the sync server's.")
    boolean download;

    @Option(names = "--upload", required = true,
        description = "Replace the sync server's collection with the local one.")
    boolean upload;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Direction direction;

  @Option(names = "--yes", description = "Confirm: without it nothing is changed.")
  boolean yes;

  @Option(names = "--force", description = "Overwrite even when both sides hold data (fullSync's force).")
  boolean force;

  @Mixin AnkiConnectUrlOption url;

  @Mixin UnitOption unit;

  @Mixin CommandSpec apiKeyFile = FlagSpecs.mixin(ApiKeyFileOption.FLAGS);

  @Mixin CommandSpec statusFile = FlagSpecs.mixin(StatusFileOption.FLAGS);

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "How long the transfer may take (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    FullSyncDirection d = direction.download ? FullSyncDirection.DOWNLOAD : FullSyncDirection.UPLOAD;
    FlagValues values = FlagSpecs.values(spec);
    Path statusFile = values.get(StatusFileOption.STATUS_FILE);
    String url = this.url.resolve(statusFile);
    if (!yes) {
      throw new UserError(ExitCode.USAGE, (d == FullSyncDirection.DOWNLOAD
          ? "--download would replace the collection of the Anki at " + url + " with the sync server's copy;"
              + " local changes not on the server are lost"
          : "--upload would replace the sync server's collection with the one in the Anki at " + url + ";"
              + " every other device must then download it")
          + "; nothing was changed; add --yes to confirm");
    }
    AnkiConnectEndpoint endpoint = this.url.endpoint(spec, statusFile, ApiKeyFileOption.read(values).map(Secret::reveal));
    AnkiConnectClient client = new AnkiConnectClient(endpoint);
    PatchProbe patches = new PatchProbe(client, SyncRunner.Options.DEFAULT.probeTimeout());
    SyncRunner runner = new SyncRunner(client, patches, Optional.empty(),
        new SyncRunner.Options(SyncRunner.Options.DEFAULT.networkTimeout(), SyncRunner.Options.DEFAULT.margin(),
            SyncRunner.Options.DEFAULT.probeTimeout(), SyncRunner.Options.DEFAULT.healthTimeout(), timeout),
        Clock.systemUTC());
    SyncResult r = runner.fullSync(d, force);
    if (patches.known().filter(p -> !p.headlessSync()).isPresent()) {
      throw new UserError(ExitCode.CONFIG, "the AnkiConnect at " + url + " has no fullSync action: " + r.message());
    }
    if (!r.outcome().isSuccess()) {
      throw new UserError(ExitCodeMapper.ofFullSync(r.outcome()), "full " + d.statusName() + " " + r.outcome().statusName() + ": " + r.message());
    }
    spec.commandLine().getOut().println("full-sync: " + r.message() + " (" + r.durationMs() + " ms)");
    return ExitCode.OK.code();
  }
}
