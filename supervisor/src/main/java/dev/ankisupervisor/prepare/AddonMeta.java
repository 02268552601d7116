package dev.ankisupervisor.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.ankiconnect.JsonTree;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One update of one add-on meta.json (see {@link AddonSettingsWriter}). Single use, single thread. */
final class AddonMeta {
  private static final Logger LOG = LoggerFactory.getLogger(AddonMeta.class);

  private final AnkiSettings anki;
  private final ConnectSettings connect;
  private final InetAddress bindAddress;
  private final Path dir;
  private final Path file;

  AddonMeta(AnkiSettings anki, ConnectSettings connect, InetAddress bindAddress) {
    this.anki = anki;
    this.connect = connect;
    this.bindAddress = bindAddress;
    this.dir = anki.addonDir();
    this.file = dir.resolve("meta.json");
  }

  boolean write() throws PrepareException {
    if (!Files.isDirectory(dir)) {
      throw new PrepareException(PrepareException.Kind.CONFIG, "AnkiConnect's add-on folder " + dir + " does not exist;"
          + " its settings go into its meta.json; install AnkiConnect (add-on " + AnkiSettings.ANKICONNECT_ADDON_ID
          + ") into " + dir.getParent() + " or set --addon-dir-name, or name a read-only copy of its files with"
          + " --addon-source DIR (a Nix store path, for example)");
    }
    ObjectNode root = read();
    if (AddonSettingsWriter.isDisabled(root)) {
      // Checked before launching: a disabled add-on never binds, and the start timeout would blame dialogs.
      throw new PrepareException(PrepareException.Kind.CONFIG, "AnkiConnect is disabled in " + file
          + " (\"disabled\": " + JsonTree.write(root.get("disabled")) + "), so Anki will not load it and nothing would answer on port "
          + connect.port() + "; " + AddonSettingsWriter.enableFix(file));
    }
    try {
      // a temp copy of meta.json may hold the API key
      AtomicFile.removeLeftovers(file).forEach(p -> LOG.warn("removed {}, left by an interrupted run", p));
    } catch (IOException e) {
      LOG.warn("cannot remove temp files left beside {}: {}", file, e.getMessage());
    }
    ObjectNode before = root.deepCopy();
    ObjectNode config = root.get("config") instanceof ObjectNode c ? c : root.putObject("config");
    apply(config);
    boolean hasKey = connect.apiKey().isPresent();
    boolean modeWrong = hasKey && Files.exists(file) && !mode().equals(AtomicFile.MODE_0600);
    if (before.equals(root) && !modeWrong) {
      LOG.info("AnkiConnect settings in {} are already current; not rewritten", file);
      return false;
    }
    if (!Files.isWritable(dir) || (Files.exists(file) && !Files.isWritable(file))) {
      throw new PrepareException(PrepareException.Kind.CONFIG, "cannot update " + file + ": the folder or file is not writable"
          + " by this user, and AnkiConnect's settings there differ from the wanted ones; make " + dir
          + " and its meta.json writable by the user the supervisor runs as (chown/chmod)");
    }
    Set<PosixFilePermission> mode = hasKey ? AtomicFile.MODE_0600 : Files.exists(file) ? mode() : AtomicFile.MODE_0644;
    try {
      AtomicFile.write(file, JsonTree.writePretty(root), mode);
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.IO, "cannot write " + file + " (" + e.getMessage()
          + "); check the permissions and free space of " + dir, e);
    }
    LOG.info("wrote AnkiConnect settings into {}: bind {}:{}, apiKey {}, {} CORS origin(s), configApi {}", file,
        text(bindAddress), connect.port(), hasKey ? "set (file mode 0600)" : "none", connect.corsOrigins().size(),
        connect.configApi().enable() ? "enabled" : "disabled");
    return true;
  }

  /** Sets our keys in the config object, keeping every other key (A1, P1). */
  private void apply(ObjectNode config) {
    config.put("webBindAddress", text(bindAddress));
    config.put("webBindPort", connect.port());
    if (connect.apiKey().isPresent()) {
      config.put("apiKey", connect.apiKey().get().reveal());
    } else {
      config.putNull("apiKey");
    }
    ArrayNode cors = config.putArray("webCorsOriginList");
    connect.corsOrigins().forEach(cors::add);
    ConfigApiSettings api = connect.configApi();
    ObjectNode configApi = config.get("configApi") instanceof ObjectNode o ? o : config.putObject("configApi");
    configApi.put("enable", api.enable());
    ArrayNode prefixes = configApi.putArray("allowedKeyPrefixes");
    api.allowedKeyPrefixes().forEach(prefixes::add);
    configApi.put("maxValueBytes", api.maxValueBytes());
  }

  private ObjectNode read() throws PrepareException {
    if (!Files.exists(file)) {
      return JsonNodeFactory.instance.objectNode();
    }
    JsonNode node;
    try {
      node = JsonTree.read(TextFile.read(file, TextFile.SETTINGS_MAX_BYTES));
    } catch (java.nio.file.AccessDeniedException e) {
      throw new PrepareException(PrepareException.Kind.CONFIG, "cannot read " + file + " (permission denied); we must"
          + " merge AnkiConnect's settings into it; make it readable by the user the supervisor runs as", e);
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.DATA, file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); Anki would ignore its settings; fix or delete it (Anki recreates it)", e);
    }
    if (node == null || node.isMissingNode()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!(node instanceof ObjectNode o)) {
      throw new PrepareException(PrepareException.Kind.DATA, file + " holds a JSON " + node.getNodeType()
          + ", not an object; fix or delete it (Anki recreates it)");
    }
    return o;
  }

  private Set<PosixFilePermission> mode() {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      return Set.of();
    }
  }

  /** The address as AnkiConnect's webBindAddress wants it: no zone, no brackets. */
  static String text(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    return zone >= 0 ? s.substring(0, zone) : s;
  }
}
