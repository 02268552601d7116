package dev.ankisupervisor.doctor;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.prepare.BindAddressWaiter;
import dev.ankisupervisor.systemd.TimerState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Walks the troubleshooting list and returns one {@link Finding} per check, in a
 * fixed order: the unit (credentials, environment files), the network (Tailscale address, port, AnkiConnect and its patches, sync server),
 * the base folder (prefs21.db, add-on, gldriver6, collection lock), who Anki runs as (C9), then the last sync and backup.
 * Only reads: it never writes a file, takes a lock or signals a process (C2, C7). Runs on the
 * caller's thread.
 */
public final class Doctor {
  private final DoctorSettings settings;
  private final Clock clock;
  private final Function<BindSpec, Optional<InetAddress>> addresses;
  /** The uid owning a path, for {@link RunAsCheck}. */
  private final ToLongFunction<Path> uidOf;
  /** A timer's state by name, for {@link StatusChecks#lastBackup}. */
  private final Function<String, Optional<TimerState>> timers;

  /** With the system's interfaces (prepare's {@link BindAddressWaiter}), file owners and timers. */
  public Doctor(DoctorSettings settings, Clock clock) {
    this(settings, clock, new BindAddressWaiter()::current, RunAsCheck::uidOfPath, TimerState::read);
  }

  Doctor(DoctorSettings settings, Clock clock, Function<BindSpec, Optional<InetAddress>> addresses,
      ToLongFunction<Path> uidOf) {
    this(settings, clock, addresses, uidOf, timer -> Optional.empty());
  }

  Doctor(DoctorSettings settings, Clock clock, Function<BindSpec, Optional<InetAddress>> addresses,
      ToLongFunction<Path> uidOf, Function<String, Optional<TimerState>> timers) {
    this.settings = settings;
    this.clock = clock;
    this.addresses = addresses;
    this.uidOf = uidOf;
    this.timers = timers;
  }

  public List<Finding> run() {
    List<Finding> out = new ArrayList<>();
    out.add(UnitChecks.unit(settings.unit()));
    Optional<InetAddress> address = addresses.apply(settings.bind());
    NetworkChecks net = new NetworkChecks(settings);
    out.add(net.bindAddress(address));
    out.add(net.portListening(address));
    out.addAll(net.ankiConnect(address));
    out.add(net.syncServer());
    BaseFolderChecks base = new BaseFolderChecks(settings);
    out.add(base.prefs());
    out.add(base.addon());
    out.add(base.glDriver());
    out.add(base.collectionLock());
    out.add(new RunAsCheck(settings, uidOf).check());
    StatusChecks status = new StatusChecks(settings, clock, timers);
    out.add(status.lastSync());
    out.add(status.lastBackup());
    return List.copyOf(out);
  }

  /** The exit code: the number of problems (capped at 125, beyond which shells give codes meaning). */
  public static int problems(List<Finding> findings) {
    return (int) Math.min(125, findings.stream().filter(f -> !f.ok()).count());
  }
}
