# NixOS module for anki-supervisor: headless Anki + AnkiConnect as the unit anki-connect.service
# (the same unit as systemd/anki-connect.service), plus an optional verified backup of the sync
# server's data (anki-sync-backup.service + .timer). See docs/nixos.md.
#
# AnkiConnect comes from a read-only store folder handed to `run --addon-source` (N1-N4), not from
# `pkgs.anki.withAddons`: the supervisor must write AnkiConnect's meta.json at run time (the
# Tailscale address), which withAddons' read-only meta.json and its modal config-write hook forbid.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkOption mkEnableOption mkIf types literalExpression optional optionals optionalAttrs optionalString;
  cfg = config.services.anki-supervisor;
  syncServer = config.services.anki-sync-server;
  tailscale = config.services.tailscale or { };

  stateDir = "/var/lib/anki";

  # A secret is named by an absolute path outside the Nix store (agenix: /run/agenix/...). A Nix path
  # literal (./key) is refused by the type: interpolating it would copy the secret into the store.
  # The paths also go into LoadCredential=, ReadWritePaths= and tmpfiles lines, which split at blanks.
  secretPath = strWith "absolute-path-outside-store"
    "absolute path string outside the Nix store (e.g. /run/agenix/name), no blanks or control characters"
    (s: builtins.match "/[^[:space:][:cntrl:]]*" s != null && !(isInStore s));
  absolutePath = strWith "absolute-path"
    "absolute path, no blanks or control characters"
    (s: builtins.match "/[^[:space:][:cntrl:]]*" s != null);
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
  # Why `run --bind` refuses the value, or null: "tailscale" or one IP address (host names are not
  # resolved): IPv4 with octets 0-255, or IPv6 (optionally in brackets, with a numeric zone).
  # A wildcard address is an assertion, not this check: extraArgs may allow it.
  bindProblem = b:
    let
      v6 = builtins.match "[[]?([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(%[0-9]+)?[]]?" b;
      addr = builtins.elemAt v6 0;
      halves = lib.splitString "::" addr;
      groups = h: if h == "" then [ ] else lib.splitString ":" h;
      all = lib.concatMap groups halves;
      lastIsV4 = all != [ ] && isIpv4 (lib.last all);
      count = builtins.length all + (if lastIsV4 then 1 else 0);
      hexGroup = g: builtins.match "[0-9A-Fa-f]{1,4}" g != null;
      groupsOk = lib.all hexGroup (if lastIsV4 then lib.init all else all);
    in
    if lib.toLower b == "tailscale" || isIpv4 b then null
    else if builtins.match "[0-9.]*" b != null then "is not a valid IPv4 address (four numbers 0-255)"
    else if v6 == null then "is neither \"tailscale\" nor an IP address (host names are not resolved)"
    else if builtins.length halves > 2 || !groupsOk
      || (builtins.length halves == 1 && count != 8) || (builtins.length halves == 2 && count > 7)
    then "is not a valid IPv6 address"
    else null;
  isIpv4 = s: let o = builtins.match "([0-9]{1,3})[.]([0-9]{1,3})[.]([0-9]{1,3})[.]([0-9]{1,3})" s;
    in o != null && lib.all (x: decimal x <= 255) o;
  # 0.0.0.0, ::, [::], 0:0:0:0:0:0:0:0, ::0 ...: every network.
  isWildcard = b: bindProblem b == null && lib.toLower b != "tailscale"
    && builtins.match "[[]?[0:.]*[]]?" b != null;
  bindType = lib.mkOptionType {
    name = "anki-supervisor-bind";
    description = "\"tailscale\" or an IP address";
    check = b: builtins.isString b && bindProblem b == null;
    merge = lib.options.mergeEqualOption;
  };
  # A CORS origin: scheme://host[:port], no path (AnkiConnect compares the Origin header as is, A2).
  # No "," either: the module joins the list with "," into one --cors-origin, which run splits at commas.
  originType = types.strMatching "https?://[^/,[:space:][:cntrl:]]+";

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
    else if rest != "" then "has a query or fragment (?, #); Anki appends its own paths to it"
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
  # A path in a unit setting that takes specifiers (LoadCredential=, ReadWritePaths=, RequiresMountsFor=).
  specEscape = builtins.replaceStrings [ "%" ] [ "%%" ];

  # The command lines are built as words first, then written twice: for ExecStart= (systemd quoting,
  # a credential as %d/NAME) and for the build-time check (shell quoting, the credential's real path).
  word = w: { inherit w; credential = false; };
  credential = name: { w = name; credential = true; };
  flag = name: value: [ (word "--${name}") (word (toString value)) ];
  toExec = a: if a.credential then "%d/${a.w}" else escape a.w; # %d: $CREDENTIALS_DIRECTORY
  commandLine = words: lib.concatStringsSep " " ([ "${cfg.package}/bin/anki-supervisor" ] ++ map toExec words);

  # One Anki profile's unit: the single `anki-connect` (the top-level options) or `anki-connect@NAME`
  # (instances.NAME, as systemd/anki-connect@.service on Debian). `i` holds the per-profile settings.
  units = if cfg.enable then [ (unitOf { label = "services.anki-supervisor"; name = "anki-connect"; dir = "anki"; i = cfg; }) ]
    else lib.mapAttrsToList (n: i: unitOf { label = "services.anki-supervisor.instances.${n}"; name = "anki-connect@${n}";
      dir = "anki/${n}"; inherit i; }) cfg.instances;

  unitOf = { label, name, dir, i }: rec {
    inherit label name i;
    stateDir = "/var/lib/${dir}";
    toShell = a: lib.escapeShellArg (if a.credential then "/run/credentials/${name}.service/${a.w}" else a.w);

    runArgs = moduleRunArgs ++ map word i.extraArgs;
    moduleRunArgs =
      [ (word "run") ]
      ++ flag "base" stateDir
      ++ flag "profile" i.profile
      ++ flag "lang" i.lang
      ++ flag "anki-command" "${cfg.ankiPackage}/bin/anki"
      ++ flag "addon-source" "${cfg.ankiConnectPackage}/share/anki/addons/anki-connect"
      ++ flag "bind" cfg.bind
      ++ flag "tailscale-interface" cfg.tailscaleInterface
      ++ flag "connect-port" i.port
      ++ optionals (i.apiKeyFile != null) [ (word "--api-key-file") (credential "anki-connect-api-key") ]
      ++ flag "cors-origin" (lib.concatStringsSep "," i.corsOrigins)
      ++ optional i.configApi.enable (word "--config-api-enable")
      ++ optionals (i.configApi.allowedKeyPrefixes != [ ])
        (flag "config-api-prefix" (lib.concatStringsSep "," i.configApi.allowedKeyPrefixes))
      ++ flag "config-api-max-bytes" i.configApi.maxValueBytes
      ++ flag "state-dir" stateDir
      ++ flag "status-file" statusFile
      ++ optionals (i.metricsFile != null) (flag "metrics-file" i.metricsFile)
      ++ flag "stop-timeout" "60s"
      ++ (if i.sync.enable then
            flag "sync-url" i.sync.url
            ++ flag "sync-user" i.sync.user
            ++ [ (word "--sync-password-file") (credential "anki-sync-password") ]
            ++ flag "sync-interval" i.sync.interval
            ++ [ (word (if i.sync.onStart then "--sync-on-start" else "--no-sync-on-start")) ]
          else
            # No sync loop at all (C8: then Anki syncs only when a profile opens or closes, with no key: never).
            flag "sync-interval" "0" ++ [ (word "--no-sync-on-start") ]);
    statusFile = if i.statusFile != null then i.statusFile else "${stateDir}/sync-status.json";

    # `anki-supervisor config` on the unit's own command line when the system is built (as nixpkgs'
    # nginx checks its configuration): it resolves the settings exactly as `run` does and exits 78 on
    # any that `run` would refuse, so the two cannot disagree. Secret files are named, never read.
    configCheck = pkgs.runCommand "${lib.replaceStrings [ "@" ] [ "-" ] name}-config-check" { } ''
      ANKI_SUPERVISOR_CDS=off ${cfg.package}/bin/anki-supervisor config ${toString (map toShell (lib.tail runArgs))} > $out
    '';

    # Files the service writes outside its StateDirectory (ProtectSystem=strict makes everything else read-only).
    extraWritable = lib.unique (map dirOf (builtins.filter (f: f != null && !lib.hasPrefix "${stateDir}/" f)
      [ statusFile i.metricsFile ]));

    # Flags the module sets from its options; extraArgs may not give them again.
    moduleFlags = map flagName (builtins.filter (w: lib.hasPrefix "--" w) (map (a: a.w) moduleRunArgs));
    duplicatedFlags = lib.unique (builtins.filter (f: lib.elem f moduleFlags) (map flagName i.extraArgs));

    service = {
      description = "Headless Anki with AnkiConnect${optionalString (name != "anki-connect") " for profile ${i.profile}"} (anki-supervisor)";
      wantedBy = [ "multi-user.target" ];
      wants = [ "network-online.target" ] ++ optional (lib.toLower cfg.bind == "tailscale") "tailscaled.service";
      after = [ "network-online.target" ] ++ optional (lib.toLower cfg.bind == "tailscale") "tailscaled.service"
        ++ optional (i.sync.enable && syncServer.enable) "anki-sync-server.service";
      startLimitIntervalSec = 600;
      startLimitBurst = 5;
      restartTriggers = optional cfg.checkConfig configCheck;
      environment = {
        HOME = stateDir;
        XDG_CACHE_HOME = "/var/cache/${dir}";
      };
      serviceConfig = hardening // {
        Type = "notify";
        NotifyAccess = "main";
        User = cfg.user;
        Group = cfg.group;
        ExecStart = commandLine runArgs;
        LoadCredential =
          optional (i.apiKeyFile != null) "anki-connect-api-key:${specEscape i.apiKeyFile}"
          ++ optional i.sync.enable "anki-sync-password:${specEscape i.sync.passwordFile}";
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
        StateDirectory = dir;
        StateDirectoryMode = "0750";
        RuntimeDirectory = lib.replaceStrings [ "@" ] [ "/" ] name;
        RuntimeDirectoryMode = "0750";
        CacheDirectory = dir;
        UMask = "0027";
        ReadWritePaths = mkIf (extraWritable != [ ]) (map specEscape extraWritable);
        # Hardening: the same as systemd/anki-connect.service (see the reasons there for what is not set).
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
      };
    };

    assertions = [
      {
        assertion = !i.sync.enable || (i.sync.user != null && i.sync.passwordFile != null);
        message = "${label}.sync.enable needs sync.user and sync.passwordFile (the user's password file, e.g. /run/agenix/anki-sync-password); set both or disable sync.";
      }
      {
        assertion = !i.sync.enable || syncServer.enable || i.sync.url != localSyncUrl;
        message = "${label}.sync.url defaults to the local sync server (${localSyncUrl}), but services.anki-sync-server is not enabled; enable it or set sync.url.";
      }
      {
        assertion = !i.configApi.enable || (i.configApi.allowedKeyPrefixes != [ ] && !lib.any isBlank i.configApi.allowedKeyPrefixes);
        message = "${label}.configApi.enable needs allowedKeyPrefixes without empty or blank entries (an empty prefix allows every collection config key), found ${builtins.toJSON i.configApi.allowedKeyPrefixes}; list the prefixes, e.g. [ \"awesomeAnki.\" ].";
      }
      {
        assertion = !(isWildcard cfg.bind) || lib.elem "--allow-wildcard-bind" i.extraArgs;
        message = "services.anki-supervisor.bind = \"${cfg.bind}\" exposes AnkiConnect on every network; bind \"tailscale\" or one address (or add \"--allow-wildcard-bind\" to ${label}.extraArgs if you really mean it).";
      }
      {
        assertion = !i.sync.enable || syncUrlProblem i.sync.url == null;
        message = "${label}.sync.url = ${builtins.toJSON i.sync.url} ${toString (syncUrlProblem i.sync.url)}; give the sync server's URL like http://host:27701/.";
      }
      {
        # picocli refuses a single-value flag given twice: extraArgs may not repeat what the module sets.
        assertion = duplicatedFlags == [ ];
        message = "${label}.extraArgs repeats ${lib.concatStringsSep ", " duplicatedFlags}, which the module already sets from its options; set the option instead.";
      }
    ];

    warnings = optional (i.apiKeyFile == null && !isLoopback cfg.bind)
      "${label}.apiKeyFile is null while AnkiConnect listens on ${cfg.bind}: anyone who reaches that address (the whole tailnet) can read and change the collection; set apiKeyFile.";
  };

  backupArgs =
    [ (word "backup") ]
    ++ flag "source" cfg.backup.source
    ++ flag "dest" cfg.backup.destination
    ++ optionals cfg.backup.stopServer (flag "stop-unit" "anki-sync-server.service")
    ++ flag "keep-daily" cfg.backup.keepDaily
    ++ flag "keep-weekly" cfg.backup.keepWeekly
    ++ flag "keep-monthly" cfg.backup.keepMonthly;

  # --no-sync-on-start and --sync-on-start are the same flag; --flag=value names --flag.
  flagName = a: let f = builtins.head (lib.splitString "=" a); in
    if lib.hasPrefix "--no-" f then "--" + lib.removePrefix "--no-" f else f;
  isLoopback = b: lib.hasPrefix "127." b || lib.elem b [ "::1" "[::1]" ];

  # One more profile (instances.NAME): its own unit anki-connect@NAME, base folder /var/lib/anki/NAME,
  # port, secrets and sync account; Anki, AnkiConnect, bind, user and the rest are shared. Defaults
  # are the top-level options of the same name.
  instanceModule = { name, ... }: {
    options = {
      profile = mkOption { type = profileType; default = name; description = "The Anki profile (default: the instance's name)."; };
      port = mkOption { type = types.ints.between 1 65535; description = "AnkiConnect's TCP port; one per instance."; };
      lang = mkOption { type = types.strMatching "[A-Za-z_-]*"; default = cfg.lang; description = "Anki's interface language."; };
      apiKeyFile = mkOption { type = types.nullOr secretPath; default = null; description = "This profile's API key file (as the top-level apiKeyFile)."; };
      corsOrigins = mkOption { type = types.listOf originType; default = cfg.corsOrigins; description = "As the top-level corsOrigins."; };
      configApi = {
        enable = mkEnableOption "the config API for this profile";
        allowedKeyPrefixes = mkOption { type = types.listOf prefixType; default = [ ]; description = "As the top-level configApi.allowedKeyPrefixes."; };
        maxValueBytes = mkOption { type = types.ints.between 1 2147483647; default = cfg.configApi.maxValueBytes; description = "As the top-level configApi.maxValueBytes."; };
      };
      sync = {
        enable = mkEnableOption "the periodic sync of this profile";
        onStart = mkOption { type = types.bool; default = cfg.sync.onStart; description = "Sync once as soon as Anki is ready."; };
        interval = mkOption { type = duration; default = cfg.sync.interval; description = "As the top-level sync.interval."; };
        url = mkOption { type = types.str; default = cfg.sync.url; description = "As the top-level sync.url."; };
        user = mkOption { type = types.nullOr (types.strMatching "[^:[:cntrl:]]+"); default = null; description = "This profile's sync user."; };
        passwordFile = mkOption { type = types.nullOr secretPath; default = null; description = "This profile's sync password file."; };
      };
      statusFile = mkOption { type = types.nullOr absolutePath; default = null; description = "The status file; null: sync-status.json in the instance's base folder."; };
      metricsFile = mkOption { type = types.nullOr absolutePath; default = null; description = "A Prometheus textfile; null: none."; };
      extraArgs = mkOption { type = types.listOf types.str; default = [ ]; description = "More flags for this profile's `anki-supervisor run`."; };
    };
  };

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

    ankiPackage = lib.mkPackageOption pkgs "anki" {
      extraDescription = ''
        Unwrapped: `pkgs.anki`, not `pkgs.anki.withAddons [ ... ]`, whose wrapper makes Anki load
        add-ons only from a read-only folder where AnkiConnect's settings could not be written.
      '';
    };

    ankiConnectPackage = mkOption {
      type = types.package;
      default = pkgs.anki-connect-supervised or (pkgs.callPackage ./anki-connect.nix { });
      defaultText = literalExpression "pkgs.ankiAddons.anki-connect at 25.11.9.0 with patches/*.patch (nix/anki-connect.nix)";
      description = ''
        The AnkiConnect add-on (a nixpkgs add-on derivation: its files in share/anki/addons/anki-connect).
        The supervisor copies them into the base folder's addons21/2055492159 before each launch
        (`--addon-source`). The default is nixpkgs' AnkiConnect 25.11.9.0 with the project's
        config-API and headless-sync patches added.
      '';
    };

    port = mkOption {
      type = types.ints.between 1 65535;
      default = 8765;
      description = "AnkiConnect's TCP port.";
    };

    profile = mkOption {
      type = profileType;
      default = "server";
      description = "The Anki profile to open (exact and case-sensitive; 1-200 bytes, not `.` or `..`, no `/`, no control characters, not starting with `_`).";
    };

    lang = mkOption {
      type = types.strMatching "[A-Za-z_-]*";
      default = "en_US";
      description = "Anki's interface language; empty: none.";
    };

    bind = mkOption {
      type = bindType;
      default = "tailscale";
      example = "100.64.0.1";
      description = ''
        Where AnkiConnect listens: `"tailscale"` (the Tailscale address of `tailscaleInterface`, waited
        for at every start; needs `services.tailscale.enable`) or one IP address. 0.0.0.0 and :: are
        refused (they expose AnkiConnect on every network).
      '';
    };

    tailscaleInterface = mkOption {
      type = types.strMatching "[A-Za-z0-9_.:-]{1,15}";
      default = tailscale.interfaceName or "tailscale0";
      defaultText = literalExpression "config.services.tailscale.interfaceName";
      description = "The interface holding the Tailscale address, for `bind = \"tailscale\"`.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Open `port` in the firewall: with `bind = "tailscale"` on `tailscaleInterface` only, else on
        every interface.
      '';
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
      description = "Origins allowed to call AnkiConnect from a browser: `http(s)://host[:port]`, no path, no comma.";
    };

    configApi = {
      enable = mkEnableOption "the getConfig/setConfig actions (the project's patch to AnkiConnect) for the listed collection config keys";
      allowedKeyPrefixes = mkOption {
        type = types.listOf prefixType;
        default = [ ];
        example = [ "awesomeAnki." ];
        description = "Collection config key prefixes the config API may read and write; none may be empty or blank, have leading or trailing blanks, control characters or a comma.";
      };
      maxValueBytes = mkOption {
        # run reads it as a Java int.
        type = types.ints.between 1 2147483647;
        default = 65536;
        description = "The largest config value the config API accepts, in bytes of compact UTF-8 JSON.";
      };
    };

    sync = {
      enable = mkEnableOption "the periodic collection sync with a self-hosted sync server";
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
          The sync server (a trailing slash is added): http or https, a host, a port 1-65535 if given,
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
      description = "The user the service runs as; the default `anki` is created as a system user, any other must exist.";
    };

    group = mkOption {
      type = types.str;
      default = "anki";
      description = "The service's group; the default `anki` is created.";
    };

    instances = mkOption {
      type = types.attrsOf (types.submodule instanceModule);
      default = { };
      example = literalExpression ''{ alice = { port = 8766; apiKeyFile = "/run/agenix/alice-key"; }; bob.port = 8767; }'';
      description = ''
        Several Anki profiles on one machine, each with its own unit `anki-connect@NAME`, base folder
        `/var/lib/anki/NAME`, port, secrets and sync account (as systemd/anki-connect@.service on
        Debian); Anki, AnkiConnect, the bind address, the user and the backup are shared. Instead of
        `enable` (not both).
      '';
    };

    checkConfig = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Run `anki-supervisor config` on the unit's command line when the system is built, so a
        setting that `anki-supervisor run` would refuse fails the build instead of the service.
        Turn off only where the build cannot run the package (cross-compiling).
      '';
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
        # services.anki-sync-server runs with DynamicUser=, so /var/lib/anki-sync-server is a symlink
        # to this folder, where the data really is.
        default = "/var/lib/private/anki-sync-server";
        description = "The sync server's data folder (services.anki-sync-server keeps it here, reached through the symlink /var/lib/anki-sync-server).";
      };
      destination = mkOption {
        type = types.nullOr absolutePath;
        default = null;
        example = "/mnt/data/backups/anki";
        description = "The backups folder, ideally on another disk; created (root, 0750) if missing.";
      };
      calendar = mkOption {
        type = types.str;
        default = "daily";
        description = "When to back up (systemd OnCalendar=).";
      };
      stopServer = mkOption {
        type = types.bool;
        default = syncServer.enable;
        defaultText = literalExpression "config.services.anki-sync-server.enable";
        description = "Stop anki-sync-server.service for the copy; false: copy live, repeated until two passes agree.";
      };
      keepDaily = mkOption { type = types.ints.unsigned; default = 7; description = "Daily backups to keep."; };
      keepWeekly = mkOption { type = types.ints.unsigned; default = 4; description = "Weekly backups to keep."; };
      keepMonthly = mkOption { type = types.ints.unsigned; default = 6; description = "Monthly backups to keep."; };
    };
  };

  config = mkIf (cfg.enable || cfg.instances != { }) (lib.mkMerge [
    {
      assertions = lib.concatMap (u: u.assertions) units ++ [
        {
          assertion = lib.toLower cfg.bind != "tailscale" || tailscale.enable or false;
          message = "services.anki-supervisor.bind = \"tailscale\" waits for the Tailscale address of ${cfg.tailscaleInterface}, but services.tailscale is not enabled; enable it or bind an address.";
        }
        {
          assertion = !cfg.backup.enable || cfg.backup.destination != null;
          message = "services.anki-supervisor.backup.enable needs backup.destination (the backups folder, e.g. /mnt/data/backups/anki).";
        }
        {
          assertion = cfg.user == "anki" || config.users.users ? ${cfg.user};
          message = "services.anki-supervisor.user = \"${cfg.user}\" is not a user of this system; declare it in users.users or keep the default \"anki\".";
        }
        {
          # Their base folders would nest: /var/lib/anki holds the profiles of the single unit.
          assertion = !(cfg.enable && cfg.instances != { });
          message = "services.anki-supervisor.enable and services.anki-supervisor.instances exclude each other (/var/lib/anki/NAME would lie inside the single unit's base folder /var/lib/anki); put every profile in instances.";
        }
        {
          assertion = lib.all (n: builtins.match "[A-Za-z0-9_.-]+" n != null) (builtins.attrNames cfg.instances);
          message = "services.anki-supervisor.instances names are unit and folder names: letters, digits, \"_\", \".\" and \"-\" only; found ${builtins.toJSON (builtins.attrNames cfg.instances)}.";
        }
        {
          assertion = lib.allUnique (map (u: u.i.port) units);
          message = "services.anki-supervisor.instances need a port each; found ${builtins.toJSON (map (u: u.i.port) units)}.";
        }
      ];

      warnings = lib.concatMap (u: u.warnings) units;

      users.users = optionalAttrs (cfg.user == "anki") {
        anki = { isSystemUser = true; group = cfg.group; home = "/var/lib/anki"; description = "Headless Anki (anki-supervisor)"; };
      };
      users.groups = optionalAttrs (cfg.group == "anki") { anki = { }; };

      # `anki-supervisor status`, `config`, `backup` for the administrator.
      environment.systemPackages = [ cfg.package ];

      # Folders the units write outside their StateDirectory: ReadWritePaths= naming a missing one
      # fails the unit (226/NAMESPACE) before anything runs.
      systemd.tmpfiles.rules =
        map (d: "d ${d} 0750 ${cfg.user} ${cfg.group} - -") (lib.unique (lib.concatMap (u: u.extraWritable) units))
        ++ optional (cfg.backup.enable && cfg.backup.destination != null) "d ${cfg.backup.destination} 0750 root root - -";

      networking.firewall = mkIf cfg.openFirewall (
        let ports = map (u: u.i.port) units; in
        if lib.toLower cfg.bind == "tailscale"
        then { interfaces.${cfg.tailscaleInterface}.allowedTCPPorts = ports; }
        else { allowedTCPPorts = ports; });

      systemd.services = lib.listToAttrs (map (u: lib.nameValuePair u.name u.service) units);
    }

    # nixpkgs' sync server unit leaves KillSignal= at SIGTERM, which ends the server at once and cuts
    # off a sync in flight (the supervisor's, or the backup's stop); only SIGINT lets it finish and
    # close its collections (S3, N5), as systemd/anki-sync-server.service does. mkDefault: a value
    # set elsewhere (by hand, or by a later nixpkgs) wins.
    (mkIf syncServer.enable {
      systemd.services.anki-sync-server.serviceConfig.KillSignal = lib.mkDefault "SIGINT";
    })

    (mkIf cfg.backup.enable {
      systemd.services.anki-sync-backup = {
        description = "Back up the Anki sync server's data";
        after = [ "anki-sync-server.service" ];
        unitConfig.RequiresMountsFor = map specEscape [ cfg.backup.source cfg.backup.destination ];
        serviceConfig = hardening // {
          Type = "oneshot";
          # root: `systemctl stop/start` of the sync server needs it, and services.anki-sync-server runs
          # with DynamicUser=yes, so its data (/var/lib/private/anki-sync-server) is root's to read.
          User = "root";
          ExecStart = commandLine backupArgs;
          TimeoutStartSec = "2h";
          Nice = 10;
          IOSchedulingClass = "idle";
          UMask = "0027";
          ReadWritePaths = [ (specEscape cfg.backup.destination) ];
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

  meta.doc = ../docs/nixos.md;
}
