# NixOS module for anki-supervisor: headless Anki + AnkiConnect as the unit anki-connect.service
# (the same unit as systemd/anki-connect.service), plus an optional verified backup of the sync
# server's data (anki-sync-backup.service + .timer). See docs/nixos.md.
#
# AnkiConnect comes from a read-only store folder handed to `run --addon-source` (N1-N4), not from
# `pkgs.anki.withAddons`: the supervisor must write AnkiConnect's meta.json at run time (the
# Tailscale address), which withAddons' read-only meta.json and its modal config-write hook forbid.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkOption mkEnableOption mkIf types literalExpression optional optionals optionalAttrs;
  cfg = config.services.anki-supervisor;
  syncServer = config.services.anki-sync-server;

  unitName = "anki-connect";
  stateDir = "/var/lib/anki";

  # A secret is named by an absolute path outside the Nix store (agenix: /run/agenix/...). A Nix path
  # literal (./key) is refused by the type: interpolating it would copy the secret into the store.
  secretPath = types.strMatching "/[^\n]*";
  absolutePath = types.strMatching "/[^\n]*";
  # The supervisor's duration syntax (DurationConverter): 500ms, 30s, 5m, 1h, 2d or plain seconds,
  # 0 to 365d (its cap: longer is a typo).
  durationMs = s:
    let
      m = builtins.match "0*([0-9]*)(ms|s|m|min|h|d)?" s;
      digits = builtins.elemAt m 0;
      unit = builtins.elemAt m 1;
      n = decimal digits;
      perUnit = { ms = 1; s = 1000; m = 60000; min = 60000; h = 3600000; d = 86400000; };
    in if m == null || builtins.match "[0-9]+.*" s == null then null
       else if builtins.stringLength digits > 12 then maxDurationMs + 1 # past the cap, and past Nix's ints when multiplied
       else n * perUnit.${if unit == null then "s" else unit};
  maxDurationMs = 365 * 86400000;
  duration = lib.mkOptionType {
    name = "anki-supervisor-duration";
    description = "duration from 0 to 365d: a whole number with a unit (500ms, 30s, 5m, 1h, 2d) or plain seconds";
    check = s: builtins.isString s && (let ms = durationMs s; in ms != null && ms <= maxDurationMs);
    merge = lib.options.mergeEqualOption;
  };
  # An IPv4 or IPv6 address (host names are not resolved), or "tailscale".
  bindType = types.strMatching "tailscale|[0-9]{1,3}([.][0-9]{1,3}){3}|[[]?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?[]]?";
  # A CORS origin: scheme://host[:port], no path (AnkiConnect compares the Origin header as is, A2).
  originType = types.strMatching "https?://[^/[:space:]]+";

  # A string of 1-12 digits as a number (leading zeros allowed, unlike lib.toInt).
  decimal = s: let d = builtins.head (builtins.match "0*([0-9]*)" s); in if d == "" then 0 else builtins.fromJSON d;

  # Control characters as Java's Character.isISOControl sees them: C0 and DEL ([:cntrl:] on bytes),
  # C1 (U+0080-U+009F, two UTF-8 bytes each), plus U+2028/U+2029 where ProfileName adds them.
  c1Controls = map (i: builtins.fromJSON ''"\u00${lib.toHexString i}"'') (lib.range 128 159);
  lineSeparators = map builtins.fromJSON [ ''"\u2028"'' ''"\u2029"'' ];
  hasAsciiControl = s: builtins.match "[^[:cntrl:]]*" s == null;
  hasIsoControl = s: hasAsciiControl s || lib.any (c: lib.hasInfix c s) c1Controls;
  strWith = name: description: check: lib.mkOptionType {
    inherit name description;
    check = s: builtins.isString s && check s;
    merge = lib.options.mergeEqualOption;
  };

  # Anki's profile name, the rule of ProfileName.java: one file name (C1) of 1-200 bytes of UTF-8
  # (Nix string lengths are bytes), not `.`/`..`, no `/`, no control characters (a newline would
  # forge log lines), not starting with `_` (`_global` is prefs21.db's own row, C2).
  profileType = strWith "anki-profile-name"
    "Anki profile name: 1-200 bytes of UTF-8, not blank, not \".\" or \"..\", no \"/\", no control characters, not starting with \"_\""
    (s: let n = builtins.stringLength s; in
      n >= 1 && n <= 200 && !(isBlank s) && s != "." && s != ".." && !(lib.hasInfix "/" s)
      && !(hasIsoControl s) && !(lib.any (c: lib.hasInfix c s) lineSeparators) && !(lib.hasPrefix "_" s));

  # A config-API key prefix (ConfigApiSettings.checkPrefix): not empty or blank (it would allow every
  # key, P1), no leading or trailing blanks, no control characters; and no comma, because the module
  # joins the list with "," into one --config-api-prefix, which run splits at commas.
  prefixType = strWith "anki-config-api-prefix"
    "config-API key prefix: not empty or blank, no leading or trailing blanks, no control characters, no \",\""
    (s: !(isBlank s) && builtins.match "[[:space:]].*|.*[[:space:]]" s == null && !(hasIsoControl s)
      && !(lib.hasInfix "," s));

  # Why the sync URL breaks SyncSettings.checkUrl (C8), or null: http or https, a host (java.net.URI's
  # host name or IPv4 or [IPv6] literal), a port 1-65535 if a colon is given, no user:password (secrets
  # go in files), no query or fragment (Anki appends its own paths), no blanks or control characters.
  syncUrlProblem = url:
    let
      parts = builtins.match "([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(.*)" url;
      scheme = lib.toLower (builtins.elemAt parts 0);
      authority = builtins.elemAt parts 1;
      rest = builtins.elemAt parts 3;
      hostPort = builtins.match "([[][^]]*[]]|[^:]*)(:([0-9]*))?" authority;
      host = builtins.elemAt hostPort 0;
      port = builtins.elemAt hostPort 2;
      label = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?";
      ipv4 = builtins.match "([0-9]{1,3})[.]([0-9]{1,3})[.]([0-9]{1,3})[.]([0-9]{1,3})" host;
      validHost =
        if ipv4 != null then lib.all (o: decimal o <= 255) ipv4
        else builtins.match "(${label}|(${label}[.])+[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?)[.]?" host != null
          || builtins.match "[[][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?[]]" host != null;
      portNumber = decimal port;
    in
    if url == "" || builtins.match "[^[:space:][:cntrl:]]*" url == null || hasIsoControl url then "is empty or holds blanks or control characters"
    else if parts == null || !(lib.elem scheme [ "http" "https" ]) then "must start with http:// or https://"
    else if lib.hasInfix "@" authority then "holds a user name or password (give them with sync.user and sync.passwordFile)"
    else if rest != "" then "has a query or fragment (?, #); Anki appends its own paths to it (C8)"
    else if hostPort == null || !validHost then "has no valid host name"
    else if port != null && (port == "" || builtins.stringLength port > 5 || portNumber < 1 || portNumber > 65535) then "has a port outside 1-65535"
    else null;

  isInStore = p: p != null && (builtins.hasContext p || lib.hasPrefix builtins.storeDir p);
  isBlank = s: builtins.match "[[:space:]]*" s != null;

  # The local sync server's URL (C8: with a trailing slash), from its listen address.
  localSyncUrl =
    let
      a = syncServer.address;
      host = if a == "0.0.0.0" then "127.0.0.1" else if a == "::" then "[::1]" else if lib.hasInfix ":" a then "[${a}]" else a;
    in "http://${host}:${toString syncServer.port}/";

  # ExecStart words: systemd quotes ("..."), with % and $ escaped so systemd passes them through.
  escape = word:
    let e = builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] word;
    in if builtins.match "[A-Za-z0-9_./:=@+,-]+" e != null then e
       else "\"" + builtins.replaceStrings [ "\\" "\"" ] [ "\\\\" "\\\"" ] e + "\"";
  # A credential path: %d is systemd's $CREDENTIALS_DIRECTORY; left unescaped on purpose.
  credential = name: "%d/${name}";

  flag = name: value: [ "--${name}" (escape (toString value)) ];

  runArgs =
    [ "run" ]
    ++ flag "base" stateDir
    ++ flag "profile" cfg.profile
    ++ flag "lang" cfg.lang
    ++ flag "anki-command" "${cfg.ankiPackage}/bin/anki"
    ++ flag "addon-source" "${cfg.ankiConnectPackage}/share/anki/addons/anki-connect"
    ++ flag "bind" cfg.bind
    ++ flag "tailscale-interface" cfg.tailscaleInterface
    ++ flag "connect-port" cfg.port
    ++ optionals (cfg.apiKeyFile != null) [ "--api-key-file" (credential "anki-connect-api-key") ]
    ++ flag "cors-origin" (lib.concatStringsSep "," cfg.corsOrigins)
    ++ optional cfg.configApi.enable "--config-api-enable"
    ++ optionals (cfg.configApi.allowedKeyPrefixes != [ ])
      (flag "config-api-prefix" (lib.concatStringsSep "," cfg.configApi.allowedKeyPrefixes))
    ++ flag "config-api-max-bytes" cfg.configApi.maxValueBytes
    ++ flag "state-dir" stateDir
    ++ flag "status-file" cfg.statusFile
    ++ optionals (cfg.metricsFile != null) (flag "metrics-file" cfg.metricsFile)
    ++ flag "stop-timeout" "60s"
    ++ (if cfg.sync.enable then
          flag "sync-url" cfg.sync.url
          ++ flag "sync-user" cfg.sync.user
          ++ [ "--sync-password-file" (credential "anki-sync-password") ]
          ++ flag "sync-interval" cfg.sync.interval
          ++ [ (if cfg.sync.onStart then "--sync-on-start" else "--no-sync-on-start") ]
        else
          # No sync loop at all (C8: then Anki syncs only when a profile opens or closes, with no key: never).
          flag "sync-interval" "0" ++ [ "--no-sync-on-start" ])
    ++ map escape cfg.extraArgs;

  # Files the service writes outside its StateDirectory (ProtectSystem=strict makes everything else read-only).
  extraWritable = lib.unique (map dirOf (builtins.filter (f: f != null && !lib.hasPrefix "${stateDir}/" f)
    [ cfg.statusFile cfg.metricsFile ]));

  backupArgs =
    [ "backup" ]
    ++ flag "source" cfg.backup.source
    ++ flag "dest" cfg.backup.destination
    ++ optionals cfg.backup.stopServer (flag "stop-unit" "anki-sync-server.service")
    ++ flag "keep-daily" cfg.backup.keepDaily
    ++ flag "keep-weekly" cfg.backup.keepWeekly
    ++ flag "keep-monthly" cfg.backup.keepMonthly;

  # The hardening both units share (systemd/anki-connect.service, systemd/anki-sync-backup.service).
  hardening = {
    NoNewPrivileges = true;
    ProtectSystem = "strict";
    ProtectHome = true;
    PrivateTmp = true;
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    LockPersonality = true;
    SystemCallArchitectures = "native";
  };
in
{
  options.services.anki-supervisor = {
    enable = mkEnableOption "headless Anki with AnkiConnect, kept alive by anki-supervisor (unit anki-connect.service)";

    package = mkOption {
      type = types.package;
      default = pkgs.anki-supervisor or (pkgs.callPackage ./package.nix { });
      defaultText = literalExpression "pkgs.anki-supervisor (nix/package.nix)";
      description = "The anki-supervisor package (its bin/anki-supervisor runs the jar on a headless JRE).";
    };

    ankiPackage = mkOption {
      type = types.package;
      default = pkgs.anki;
      defaultText = literalExpression "pkgs.anki";
      description = ''
        The Anki to run, unwrapped: `pkgs.anki`, not `pkgs.anki.withAddons [ ... ]` (its wrapper sets
        ANKI_ADDONS to a read-only folder, N1-N3, and AnkiConnect's settings could not be written).
      '';
    };

    ankiConnectPackage = mkOption {
      type = types.package;
      default = pkgs.anki-connect-supervised or (pkgs.callPackage ./anki-connect.nix { });
      defaultText = literalExpression "pkgs.ankiAddons.anki-connect at 25.11.9.0 with patches/*.patch (nix/anki-connect.nix)";
      description = ''
        The AnkiConnect add-on (a nixpkgs add-on derivation: its files in share/anki/addons/anki-connect).
        The supervisor copies them into the base folder's addons21/2055492159 before each launch
        (`--addon-source`). The default is AnkiConnect 25.11.9.0 with our config-API and headless-sync
        patches (P1, P2); its source hash must be filled in, see docs/nixos.md.
      '';
    };

    port = mkOption {
      type = types.ints.between 1 65535;
      default = 8765;
      description = "AnkiConnect's port (webBindPort, A1).";
    };

    profile = mkOption {
      type = profileType;
      default = "server";
      description = "The Anki profile to open (exact and case-sensitive; 1-200 bytes, not `.` or `..`, no `/`, no control characters, not starting with `_`).";
    };

    lang = mkOption {
      type = types.strMatching "[A-Za-z_-]*";
      default = "en_US";
      description = "Anki's language (prefs21.db defaultLang, C2); empty: none.";
    };

    bind = mkOption {
      type = bindType;
      default = "tailscale";
      example = "100.64.0.1";
      description = ''
        Where AnkiConnect listens: `"tailscale"` (the Tailscale address of `tailscaleInterface`, waited
        for at every start) or an IP address. 0.0.0.0 and :: are refused (they expose AnkiConnect on
        every network).
      '';
    };

    tailscaleInterface = mkOption {
      type = types.strMatching "[A-Za-z0-9_.:-]+";
      default = "tailscale0";
      description = "The interface holding the Tailscale address, for `bind = \"tailscale\"`.";
    };

    apiKeyFile = mkOption {
      type = types.nullOr secretPath;
      default = null;
      example = "/run/agenix/anki-connect-api-key";
      description = ''
        A file holding AnkiConnect's API key on its first line, as an absolute path string (agenix,
        sops-nix), never a Nix path literal: it is passed with LoadCredential and never enters the
        Nix store. null: no key.
      '';
    };

    corsOrigins = mkOption {
      type = types.listOf originType;
      default = [ "http://localhost" ];
      description = "Origins allowed to call AnkiConnect from a browser (webCorsOriginList, A1/A2).";
    };

    configApi = {
      enable = mkEnableOption "the patched getConfig/setConfig actions (P1)";
      allowedKeyPrefixes = mkOption {
        type = types.listOf prefixType;
        default = [ ];
        example = [ "awesomeAnki." ];
        description = "Collection config key prefixes the config API may read and write (P1); none may be empty or blank, have leading or trailing blanks, control characters or a comma.";
      };
      maxValueBytes = mkOption {
        # run reads it as a Java int.
        type = types.ints.between 1 2147483647;
        default = 65536;
        description = "The largest config value, as compact UTF-8 JSON (P1).";
      };
    };

    sync = {
      enable = mkEnableOption "the periodic collection sync with the self-hosted sync server (C8)";
      onStart = mkOption {
        type = types.bool;
        default = true;
        description = "Sync once as soon as Anki is ready.";
      };
      interval = mkOption {
        type = duration;
        default = "5m";
        description = "Between sync starts (500ms, 30s, 5m, 1h, 2d, or plain seconds; at most 365d).";
      };
      url = mkOption {
        type = types.str;
        default = localSyncUrl;
        defaultText = literalExpression ''"http://<services.anki-sync-server.address>:<services.anki-sync-server.port>/"'';
        description = ''
          The sync server (C8: a trailing slash is added): http or https, a host, a port 1-65535 if given,
          no user:password, no query or fragment. Default: the local services.anki-sync-server.
        '';
      };
      user = mkOption {
        type = types.nullOr (types.strMatching "[^:[:cntrl:]]+");
        default = null;
        description = "The sync user (one of services.anki-sync-server.users).";
      };
      passwordFile = mkOption {
        type = types.nullOr secretPath;
        default = null;
        example = "/run/agenix/anki-sync-password";
        description = ''
          A file holding the sync user's password on its first line, as an absolute path string (agenix),
          never a Nix path literal: passed with LoadCredential, never in the Nix store.
        '';
      };
    };

    statusFile = mkOption {
      type = absolutePath;
      default = "${stateDir}/sync-status.json";
      description = "The status file (sync-status.json), read by `anki-supervisor status`.";
    };

    metricsFile = mkOption {
      type = types.nullOr absolutePath;
      default = null;
      example = "/var/lib/prometheus-node-exporter-text-files/anki.prom";
      description = "A Prometheus textfile kept current by the supervisor; null: none.";
    };

    user = mkOption {
      type = types.str;
      default = "anki";
      description = "The user the service runs as; the default `anki` is created as a system user.";
    };

    group = mkOption {
      type = types.str;
      default = "anki";
      description = "The service's group; the default `anki` is created.";
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--start-timeout" "5m" ];
      description = "More flags for `anki-supervisor run` (see `anki-supervisor run --help`).";
    };

    backup = {
      enable = mkEnableOption "a verified backup of the sync server's data (anki-sync-backup.service + .timer)";
      source = mkOption {
        type = absolutePath;
        default = "/var/lib/anki-sync-server";
        description = "The sync server's data folder (SYNC_BASE; services.anki-sync-server keeps it here).";
      };
      destination = mkOption {
        type = types.nullOr absolutePath;
        default = null;
        example = "/mnt/data/backups/anki";
        description = "The backups folder, ideally on another disk.";
      };
      calendar = mkOption {
        type = types.str;
        default = "daily";
        description = "When to back up (systemd OnCalendar=).";
      };
      stopServer = mkOption {
        type = types.bool;
        default = true;
        description = "Stop anki-sync-server.service for the copy (S2); false: copy live, repeated until two passes agree.";
      };
      keepDaily = mkOption { type = types.ints.unsigned; default = 7; description = "Daily backups to keep."; };
      keepWeekly = mkOption { type = types.ints.unsigned; default = 4; description = "Weekly backups to keep."; };
      keepMonthly = mkOption { type = types.ints.unsigned; default = 6; description = "Monthly backups to keep."; };
    };
  };

  config = mkIf cfg.enable (lib.mkMerge [
    {
      assertions = [
        {
          assertion = !cfg.sync.enable || (cfg.sync.user != null && cfg.sync.passwordFile != null);
          message = "services.anki-supervisor.sync.enable needs sync.user and sync.passwordFile (the user's password file, e.g. /run/agenix/anki-sync-password); set both or disable sync.";
        }
        {
          assertion = !cfg.sync.enable || syncServer.enable || cfg.sync.url != localSyncUrl;
          message = "services.anki-supervisor.sync.url defaults to the local sync server (${localSyncUrl}), but services.anki-sync-server is not enabled; enable it or set sync.url.";
        }
        {
          assertion = !cfg.configApi.enable || (cfg.configApi.allowedKeyPrefixes != [ ] && !lib.any isBlank cfg.configApi.allowedKeyPrefixes);
          message = "services.anki-supervisor.configApi.enable needs allowedKeyPrefixes without empty or blank entries (an empty prefix allows every collection config key, P1), found ${builtins.toJSON cfg.configApi.allowedKeyPrefixes}; list the prefixes, e.g. [ \"awesomeAnki.\" ].";
        }
        {
          assertion = !(lib.elem cfg.bind [ "0.0.0.0" "::" "[::]" ]) || lib.elem "--allow-wildcard-bind" cfg.extraArgs;
          message = "services.anki-supervisor.bind = \"${cfg.bind}\" exposes AnkiConnect on every network; bind \"tailscale\" or one address (or add \"--allow-wildcard-bind\" to extraArgs if you really mean it).";
        }
        {
          assertion = !(isInStore cfg.apiKeyFile) && !(isInStore cfg.sync.passwordFile);
          message = "services.anki-supervisor.apiKeyFile and sync.passwordFile must name files outside the Nix store (agenix: /run/agenix/...); a store path makes the secret world-readable.";
        }
        {
          assertion = !cfg.sync.enable || syncUrlProblem cfg.sync.url == null;
          message = "services.anki-supervisor.sync.url = ${builtins.toJSON cfg.sync.url} ${toString (syncUrlProblem cfg.sync.url)}; give the sync server's URL like http://host:27701/.";
        }
        {
          assertion = !cfg.backup.enable || cfg.backup.destination != null;
          message = "services.anki-supervisor.backup.enable needs backup.destination (the backups folder, e.g. /mnt/data/backups/anki).";
        }
      ];

      users.users = optionalAttrs (cfg.user == "anki") {
        anki = { isSystemUser = true; group = cfg.group; home = stateDir; description = "Headless Anki (anki-supervisor)"; };
      };
      users.groups = optionalAttrs (cfg.group == "anki") { anki = { }; };

      systemd.services.${unitName} = {
        description = "Headless Anki with AnkiConnect (anki-supervisor)";
        wantedBy = [ "multi-user.target" ];
        wants = [ "network-online.target" ] ++ optional (cfg.bind == "tailscale") "tailscaled.service";
        after = [ "network-online.target" ] ++ optional (cfg.bind == "tailscale") "tailscaled.service"
          ++ optional (cfg.sync.enable && syncServer.enable) "anki-sync-server.service";
        startLimitIntervalSec = 600;
        startLimitBurst = 5;
        environment = {
          HOME = stateDir;
          XDG_CACHE_HOME = "/var/cache/anki";
        };
        serviceConfig = hardening // {
          Type = "notify";
          NotifyAccess = "main";
          User = cfg.user;
          Group = cfg.group;
          ExecStart = lib.concatStringsSep " " ([ "${cfg.package}/bin/anki-supervisor" ] ++ runArgs);
          LoadCredential =
            optional (cfg.apiKeyFile != null) "anki-connect-api-key:${cfg.apiKeyFile}"
            ++ optional cfg.sync.enable "anki-sync-password:${cfg.sync.passwordFile}";
          WatchdogSec = "60s";
          Restart = "on-failure";
          RestartSec = "10s";
          # 64 bad usage, 78 bad configuration, 243 a missing credential file: restarting cannot help.
          RestartPreventExitStatus = "64 78 243";
          # 143: SIGTERM before the JVM installed its handler, i.e. a requested stop right after a start.
          SuccessExitStatus = "143";
          TimeoutStartSec = "5min";
          TimeoutStopSec = "90s";
          KillMode = "mixed";
          KillSignal = "SIGTERM";
          StateDirectory = "anki";
          StateDirectoryMode = "0750";
          RuntimeDirectory = unitName;
          RuntimeDirectoryMode = "0750";
          CacheDirectory = "anki";
          UMask = "0027";
          ReadWritePaths = mkIf (extraWritable != [ ]) extraWritable;
          # Hardening: the same as systemd/anki-connect.service (see the reasons there for what is not set).
          RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        };
      };
    }

    (mkIf cfg.backup.enable {
      systemd.services.anki-sync-backup = {
        description = "Back up the Anki sync server's data";
        after = [ "anki-sync-server.service" ];
        unitConfig.RequiresMountsFor = [ cfg.backup.source cfg.backup.destination ];
        serviceConfig = hardening // {
          Type = "oneshot";
          # root: `systemctl stop/start` of the sync server needs it, and services.anki-sync-server runs
          # with DynamicUser=yes, so its data (/var/lib/private/anki-sync-server) is root's to read.
          User = "root";
          ExecStart = lib.concatStringsSep " " ([ "${cfg.package}/bin/anki-supervisor" ] ++ backupArgs);
          TimeoutStartSec = "2h";
          Nice = 10;
          IOSchedulingClass = "idle";
          UMask = "0027";
          ReadWritePaths = [ cfg.backup.destination ];
          # Hardening: the common block, and no devices, no network, no namespaces.
          PrivateDevices = true;
          PrivateNetwork = true;
          RestrictNamespaces = true;
          RestrictAddressFamilies = [ "AF_UNIX" ];
        };
      };
      systemd.timers.anki-sync-backup = {
        description = "Daily backup of the Anki sync server's data";
        wantedBy = [ "timers.target" ];
        timerConfig = {
          OnCalendar = cfg.backup.calendar;
          Persistent = true;
          RandomizedDelaySec = "1h";
          AccuracySec = "1min";
        };
      };
    })
  ]);
}
