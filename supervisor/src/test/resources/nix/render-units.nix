# Writes the module's systemd units as unit files, by NixOS's rules for a stage-2 service (the form
# `systemctl cat` shows on NixOS): [Unit] from description, wants, after, the start limits and
# unitConfig; [Service] with one Environment="NAME=value" line per variable (JSON-quoted), PATH made
# of the unit's `path` and NixOS's default service path (coreutils, findutils, gnugrep, gnused,
# systemd: bin/ then sbin/ folders), then serviceConfig; every section's keys in name order, a list
# as one line per element, booleans as true/false. No [Install]: NixOS links wantedBy itself.
# Not written (NixOS adds them, nothing here reads them): LOCALE_ARCHIVE, TZDIR, X-StopIfChanged.
{ lib, pkgs }:
cfg:
let
  toOption = x: if x == true then "true" else if x == false then "false" else toString x;
  section = title: attrs: "[${title}]\n" + lib.concatStrings (lib.concatLists (lib.mapAttrsToList
    (name: value: map (x: "${name}=${toOption x}\n") (if builtins.isList value then value else [ value ]))
    attrs));
  joined = name: l: lib.optionalAttrs (l != [ ]) { ${name} = toString l; };
  unitSection = def:
    (def.unitConfig or { })
    // joined "Wants" (def.wants or [ ])
    // joined "After" (def.after or [ ])
    // joined "X-Restart-Triggers" (def.restartTriggers or [ ])
    // lib.optionalAttrs ((def.description or "") != "") { Description = def.description; }
    // lib.optionalAttrs (def ? startLimitIntervalSec) { StartLimitIntervalSec = toString def.startLimitIntervalSec; }
    // lib.optionalAttrs (def ? startLimitBurst) { StartLimitBurst = toString def.startLimitBurst; };
  servicePath = def: (def.path or [ ]) ++ [ pkgs.coreutils pkgs.findutils pkgs.gnugrep pkgs.gnused pkgs.systemd ];
  environment = def:
    let p = servicePath def;
    in (def.environment or { }) // { PATH = "${lib.makeBinPath p}:${lib.makeSearchPathOutput "bin" "sbin" p}"; };
  environmentLines = def: lib.concatStrings (lib.mapAttrsToList
    (n: v: "Environment=${builtins.toJSON "${n}=${v}"}\n") (environment def));
  service = def: section "Unit" (unitSection def) + "\n[Service]\n" + environmentLines def
    + lib.removePrefix "[Service]\n" (section "Service" def.serviceConfig);
  timer = def: section "Unit" (unitSection def) + "\n" + section "Timer" def.timerConfig;
in
lib.mapAttrs' (n: d: lib.nameValuePair "${n}.service" (service d)) cfg.systemd.services
// lib.mapAttrs' (n: d: lib.nameValuePair "${n}.timer" (timer d)) cfg.systemd.timers
// { "tmpfiles.conf" = lib.concatMapStrings (r: r + "\n") cfg.systemd.tmpfiles.rules; }
