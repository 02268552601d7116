package dev.ankisupervisor.doctor;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.AnkiConnectError;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.config.BindSpec;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The network half of doctor: bind address, port, AnkiConnect (A2-A4, P1, P2), sync server (S1). */
final class NetworkChecks {
  private final DoctorSettings s;

  NetworkChecks(DoctorSettings s) {
    this.s = s;
  }

  Finding bindAddress(Optional<InetAddress> address) {
    if (s.bind() instanceof BindSpec.Tailscale t) {
      return address.map(a -> Finding.ok(DoctorCheck.TAILSCALE, t.iface() + " has " + a.getHostAddress()))
          .orElseGet(() -> Finding.problem(DoctorCheck.TAILSCALE, "interface " + t.iface() + " has no Tailscale address"
              + " (100.64.0.0/10" + (t.ipv6() ? " or fd7a:115c:a1e0::/48" : "") + ")",
              "start tailscaled and log in (tailscale up), or name another interface with --tailscale-interface"));
    }
    BindSpec.Fixed f = (BindSpec.Fixed) s.bind();
    return address.map(a -> Finding.ok(DoctorCheck.BIND_ADDRESS, a.getHostAddress() + " is assigned"))
        .orElseGet(() -> Finding.problem(DoctorCheck.BIND_ADDRESS, f.address().getHostAddress() + " is not assigned to any interface",
            "bring the network up, or set --bind to an address this machine has"));
  }

  Finding portListening(Optional<InetAddress> address) {
    if (address.isEmpty()) {
      return Finding.problem(DoctorCheck.PORT, "cannot check port " + s.port() + ": no bind address (see above)",
          "fix the bind address first");
    }
    String where = address.get().getHostAddress() + ":" + s.port();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.get(), s.port()), (int) s.timeout().toMillis());
      return Finding.ok(DoctorCheck.PORT, "something listens on " + where);
    } catch (IOException e) {
      return Finding.problem(DoctorCheck.PORT, "nothing listens on " + where + " (" + e.getMessage() + ")",
          "start the service (systemctl start anki-connect), and read its log: journalctl -u anki-connect");
    }
  }

  /** version (the process answers), deckNames (a collection is open), apiReflect (the patches). */
  List<Finding> ankiConnect(Optional<InetAddress> address) {
    List<Finding> out = new ArrayList<>();
    if (address.isEmpty()) {
      out.add(Finding.problem(DoctorCheck.ANKICONNECT, "cannot ask AnkiConnect: no bind address", "fix the bind address first"));
      return out;
    }
    AnkiConnectClient client = new AnkiConnectClient(
        AnkiConnectEndpoint.of(address.get().getHostAddress(), s.port(), s.apiKey()));
    try {
      int version = client.call("version", s.timeout()).asInt();
      client.call("deckNames", s.timeout());
      out.add(Finding.ok(DoctorCheck.ANKICONNECT, "answers (version " + version + ") with a collection open"));
    } catch (AnkiConnectException e) {
      out.add(Finding.problem(DoctorCheck.ANKICONNECT, "AnkiConnect at " + client.endpoint().url() + ": " + e.getMessage(),
          fixFor(e)));
      return out;
    }
    try {
      AddonPatches live = PatchProbe.ask(client, s.timeout());
      List<String> missing = new ArrayList<>();
      if (!live.configApi()) {
        missing.add("the config API patch (getConfig/setConfig)");
      }
      if (!live.headlessSync()) {
        missing.add("the headless sync patch (headlessSync/fullSync)");
      }
      out.add(missing.isEmpty()
          ? Finding.ok(DoctorCheck.ADDON_PATCHES, "getConfig/setConfig and headlessSync/fullSync are served")
          : Finding.problem(DoctorCheck.ADDON_PATCHES, "the add-on lacks " + String.join(" and ", missing),
              "apply patches/anki-connect-config-actions.patch and patches/anki-connect-headless-sync.patch"
                  + " to addons21/" + s.addonDirName() + " (see the patches README) and restart the service"));
    } catch (AnkiConnectException e) {
      out.add(Finding.problem(DoctorCheck.ADDON_PATCHES, "apiReflect failed: " + e.getMessage(), fixFor(e)));
    }
    return out;
  }

  Finding syncServer() {
    if (s.syncUrl().isEmpty()) {
      return Finding.ok(DoctorCheck.SYNC_SERVER, "not checked (no --sync-url)");
    }
    String url = s.syncUrl().get() + "health";
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout((int) s.timeout().toMillis());
      c.setReadTimeout((int) s.timeout().toMillis());
      c.setRequestProperty("Connection", "close"); // a kept-alive connection the server closed would fail the probe
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200 ? Finding.ok(DoctorCheck.SYNC_SERVER, url + " answers 200")
          : Finding.problem(DoctorCheck.SYNC_SERVER, url + " answers HTTP " + code,
              "check that --sync-url points at anki-sync-server (its GET /health answers 200)");
    } catch (IOException | IllegalArgumentException e) {
      return Finding.problem(DoctorCheck.SYNC_SERVER, url + " does not answer (" + e.getMessage() + ")",
          "start it (systemctl start anki-sync-server) and check --sync-url");
    }
  }

  private String fixFor(AnkiConnectException e) {
    return switch (e.kind()) {
      case UNREACHABLE -> "start the service and read journalctl -u anki-connect (a modal dialog Anki shows keeps the port closed)";
      case TIMEOUT -> "a sync or a dialog is blocking AnkiConnect (it serves one request at a time); wait, then see journalctl -u anki-connect";
      case ACTION_ERROR -> AnkiConnectError.INVALID_API_KEY.isIn(e)
          ? "pass the service's key with --api-key-file"
          : "no profile is open: see the collection-lock and prefs21.db lines, and journalctl -u anki-connect";
      case HTTP_STATUS, BAD_REPLY -> "something else listens on port " + s.port() + "; free it or change --connect-port";
    };
  }
}
