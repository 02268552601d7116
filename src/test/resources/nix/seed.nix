{
  services.anki-supervisor = {
    enable = true;
    port = 8765;
    profile = "server";
    configApi = { enable = true; allowedKeyPrefixes = [ "awesomeAnki." ]; maxValueBytes = 65536; };
    sync = { enable = true; onStart = true; interval = "5m"; user = "anki"; passwordFile = "/run/agenix/anki-sync-password"; };
    apiKeyFile = "/run/agenix/anki-connect-api-key";
  };
  services.anki-sync-server = { enable = true; port = 27701; };
}
