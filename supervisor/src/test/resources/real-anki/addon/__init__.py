"""anki-supervisor's test add-on: a small AnkiConnect look-alike for real Anki 25.09.2.

CI cannot fetch AnkiConnect, yet the real-Anki tests need an add-on inside the real Anki that
answers the actions the supervisor and the tests use exactly as AnkiConnect 25.11.9.0 with our
patches P1 and P2 answers them (docs/anki-behaviour.md A1-A4, P1, P2). Written from that
statement and from answers recorded from the real add-on; docs/real-anki.md says how to check it.

Same as the real add-on: settings from config.json merged with meta.json by Anki's add-on manager
(A1), read per request except the bind address and port; the reply envelope and error texts (A2);
the server on Anki's main thread, a non-blocking socket polled by a QTimer, one request at a time,
the connection closed after each reply (A3). Only the actions listed in ACTIONS exist; apiReflect
lists only those. Differences: a request is read over several timer ticks instead of a blocking
read of up to 5 s, and apiLogPath is ignored.
"""

import json
import os
import select
import socket

import aqt
import jsonschema
from aqt.qt import QMessageBox, QTimer

# A missing setting falls back to these, as in the real add-on (A1).
FALLBACK_SETTINGS = {
    "apiKey": None,
    "apiPollInterval": 25,
    "apiVersion": 6,
    "webBacklog": 5,
    "webBindAddress": os.getenv("ANKICONNECT_BIND_ADDRESS", "127.0.0.1"),
    "webBindPort": 8765,
    "webCorsOrigin": os.getenv("ANKICONNECT_CORS_ORIGIN", None),
    "webCorsOriginList": ["http://localhost"],
    "ignoreOriginList": [],
}

CONFIG_API_FALLBACK = {"enable": False, "allowedKeyPrefixes": [], "maxValueBytes": 65536}

# The envelope check; jsonschema's own error text is what the real add-on answers (A2).
ENVELOPE_SCHEMA = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "minLength": 1},
        "version": {"type": "integer"},
        "params": {"type": "object"},
    },
    "required": ["action"],
}

SYNC_STATUS_HELP = (
    "see SyncCollectionResponse.ChangesRequired for list of sync statuses: "
    "https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65"
)

ADDON = __name__.split(".")[0]


def settings():
    return aqt.mw.addonManager.getConfig(ADDON)


def setting(name):
    try:
        return settings().get(name, FALLBACK_SETTINGS[name])
    except Exception:
        raise Exception("setting {} not found".format(name))


def action(method):
    """Marks a method of AnkiConnect as an action clients may call."""
    method.is_action = True
    return method


class AnkiConnect:
    """The actions. The class keeps this name: Python's texts for bad parameters name it (A2)."""

    # --- envelope ---------------------------------------------------------------------------

    def handle(self, request):
        name = request.get("action", "")
        version = request.get("version", 4)
        params = request.get("params", {})
        try:
            # the key is checked before the action is looked up, and requestPermission needs none
            if request.get("key") != setting("apiKey") and name != "requestPermission":
                raise Exception("valid api key must be provided")
            method = getattr(self, name, None) if isinstance(name, str) else None
            if method is None or not getattr(method, "is_action", False):
                raise Exception("unsupported action")
            result = method(**params)
            # below version 5 a success is the bare result; errors always have the envelope
            return result if version <= 4 else {"result": result, "error": None}
        except Exception as e:
            return {"result": None, "error": str(e)}

    # --- helpers ------------------------------------------------------------------------------

    def mw(self):
        return aqt.mw

    def col(self):
        col = aqt.mw.col
        if col is None:
            raise Exception("collection is not available")
        return col

    def deck_manager(self):
        decks = self.col().decks
        if decks is None:
            raise Exception("decks are not available")
        return decks

    # --- miscellaneous ------------------------------------------------------------------------

    @action
    def version(self):
        return setting("apiVersion")

    @action
    def requestPermission(self, origin, allowed):
        if allowed:
            return {"permission": "granted", "requireApikey": bool(setting("apiKey")), "version": setting("apiVersion")}
        if origin in setting("ignoreOriginList"):
            return {"permission": "denied"}
        # The real add-on asks the user here; offscreen nobody answers, so this waits for good (A2).
        box = QMessageBox(None)
        box.setWindowTitle("A website wants to access to Anki")
        box.setText('"{}" requests permission to use Anki through AnkiConnect.'.format(origin))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return {"permission": "denied"}
        config = settings()
        config["webCorsOriginList"] = setting("webCorsOriginList") + [origin]
        aqt.mw.addonManager.writeConfig(ADDON, config)
        return {"permission": "granted", "requireApikey": bool(setting("apiKey")), "version": setting("apiVersion")}

    @action
    def apiReflect(self, scopes=None, actions=None):
        if not isinstance(scopes, list):
            raise Exception("scopes has invalid value")
        if actions is not None and not isinstance(actions, list):
            raise Exception("actions has invalid value")
        answer = {"scopes": []}
        if "actions" in scopes:
            names = sorted(dir(type(self))) if actions is None else actions
            answer["scopes"].append("actions")
            answer["actions"] = [n for n in names if getattr(getattr(type(self), n, None), "is_action", False)]
        return answer

    @action
    def multi(self, actions):
        # each sub-request goes through the whole envelope, its own key check included
        return [self.handle(sub) for sub in actions]

    # --- profiles -----------------------------------------------------------------------------

    @action
    def getProfiles(self):
        return self.mw().pm.profiles()

    @action
    def getActiveProfile(self):
        return self.mw().pm.name

    # --- decks, notes, cards ------------------------------------------------------------------

    @action
    def deckNames(self):
        return [entry.name for entry in self.deck_manager().all_names_and_ids()]

    @action
    def createDeck(self, deck):
        self.mw().requireReset()
        return self.deck_manager().id(deck)

    @action
    def findCards(self, query=None):
        if query is None:
            return []
        return [int(card_id) for card_id in self.col().find_cards(query)]

    @action
    def addNote(self, note):
        """The subset the tests use: deckName, modelName, fields, tags, options.allowDuplicate."""
        self.mw().requireReset()
        col = self.col()
        notetype = col.models.by_name(note["modelName"])
        if notetype is None:
            raise Exception("model was not found: {}".format(note["modelName"]))
        deck = col.decks.by_name(note["deckName"])
        if deck is None:
            raise Exception("deck was not found: {}".format(note["deckName"]))
        new_note = col.new_note(notetype)
        new_note.note_type()["did"] = deck["id"]
        if "tags" in note:
            new_note.tags = note["tags"]
        by_lower_name = {field.lower(): field for field in new_note.keys()}
        for field, value in note["fields"].items():
            if field.lower() in by_lower_name:
                new_note[by_lower_name[field.lower()]] = value
        allow_duplicate = note.get("options", {}).get("allowDuplicate", False)
        if type(allow_duplicate) is not bool:
            raise Exception('option parameter "allowDuplicate" must be boolean')
        problem = new_note.dupeOrEmpty() or 0
        if problem == 1:
            raise Exception("cannot create note because it is empty")
        if problem == 2 and not allow_duplicate:
            raise Exception("cannot create note because it is a duplicate")
        if col.addNote(new_note) < 1:
            raise Exception("The field values you have provided would make an empty question on all cards.")
        return new_note.id

    # --- sync: the stock action (A4) ----------------------------------------------------------

    @action
    def sync(self):
        mw = self.mw()
        auth = mw.pm.sync_auth()
        if not auth:
            raise Exception("sync: auth not configured")
        out = mw.col.sync_collection(auth, mw.pm.media_syncing_enabled())
        accepted = [out.NO_CHANGES, out.NORMAL_SYNC]
        if out.required not in accepted:
            raise Exception("Sync status {} not one of {} - {}".format(out.required, accepted, SYNC_STATUS_HELP))
        # the real add-on then starts a GUI sync whose outcome nobody sees (A4)
        mw.onSync()

    # --- sync: patch P2 -----------------------------------------------------------------------

    def sync_collection_only(self):
        mw = self.mw()
        auth = mw.pm.sync_auth() if mw.pm.profile is not None else None
        if not auth:
            raise Exception("sync: auth not configured")
        col = self.col()
        try:
            out = col.sync_collection(auth, mw.pm.media_syncing_enabled())
        finally:
            col._load_scheduler()
        mw.pm.set_host_number(out.host_number)
        if out.new_endpoint:
            mw.pm.set_current_sync_url(out.new_endpoint)
        return out

    @staticmethod
    def required_name(out):
        names = {
            out.NO_CHANGES: "no_changes",
            out.NORMAL_SYNC: "normal_sync",
            out.FULL_SYNC: "full_sync",
            out.FULL_DOWNLOAD: "full_download",
            out.FULL_UPLOAD: "full_upload",
        }
        return names.get(out.required, "full_sync")

    @action
    def headlessSync(self):
        out = self.sync_collection_only()
        return {"required": self.required_name(out), "serverMessage": out.server_message}

    @staticmethod
    def holds_nothing(col):
        """P2's "nothing to lose" for a download: no note, no card, no deck but Default, and no
        config key with a value under the config API's allowed prefixes (where apps keep theirs,
        P1; a key set to null holds nothing)."""
        if col.note_count() or col.card_count():
            return False
        if any(d.name != "Default" for d in col.decks.all_names_and_ids()):
            return False
        configured = (settings() or {}).get("configApi")
        prefixes = configured.get("allowedKeyPrefixes") if isinstance(configured, dict) else None
        prefixes = tuple(p for p in prefixes if isinstance(p, str) and p) if isinstance(prefixes, list) else ()
        return not prefixes or not any(k.startswith(prefixes) and v is not None for k, v in col.all_config().items())

    @action
    def fullSync(self, direction, force=False):
        if direction not in ("download", "upload"):
            raise Exception('full sync direction must be "download" or "upload"')
        mw = self.mw()
        out = self.sync_collection_only()
        upload = direction == "upload"
        lossless = out.FULL_UPLOAD if upload else out.FULL_DOWNLOAD
        if force is not True and out.required != lossless:
            raise Exception("full sync would overwrite data; pass force to confirm")
        if force is not True and not upload and not self.holds_nothing(mw.col):
            raise Exception("full sync would overwrite data; pass force to confirm")
        media_usn = out.server_media_usn if mw.pm.media_syncing_enabled() else None
        col = mw.col
        aqt.gui_hooks.collection_will_temporarily_close(col)
        if not upload:
            mw.create_backup_now()
        col.close_for_full_sync()
        try:
            col.full_upload_or_download(auth=mw.pm.sync_auth(), server_usn=media_usn, upload=upload)
        finally:
            mw.reopen(after_full_sync=True)
            mw.reset()
        return {"direction": direction}

    # --- collection config: patch P1 ----------------------------------------------------------

    def config_api_rules(self, key):
        rules = dict(CONFIG_API_FALLBACK)
        configured = (settings() or {}).get("configApi")
        if isinstance(configured, dict):
            rules.update(configured)
        if not rules.get("enable"):
            raise Exception("config api is disabled")
        if not isinstance(key, str) or not key:
            raise Exception("config key must be a non-empty string")
        prefixes = rules.get("allowedKeyPrefixes")
        if not isinstance(prefixes, list) or not any(isinstance(p, str) and key.startswith(p) for p in prefixes):
            raise Exception("config key is not allowed")
        return rules

    @action
    def getConfig(self, key):
        self.config_api_rules(key)
        return self.col().get_config(key, default=None)

    @action
    def setConfig(self, key, val):
        limit = self.config_api_rules(key).get("maxValueBytes")
        if not isinstance(limit, int) or isinstance(limit, bool):
            limit = CONFIG_API_FALLBACK["maxValueBytes"]
        size = len(json.dumps(val, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > limit:
            raise Exception("config value is too large ({} bytes > {})".format(size, limit))
        self.col().set_config(key, val)
        return True


# --- HTTP on the main thread (A3) -----------------------------------------------------------


def origin_rule(headers):
    """(allowed, the Access-Control-Allow-Origin value) for a request's headers (A2)."""
    allowed_list = setting("webCorsOriginList")
    legacy = setting("webCorsOrigin")
    if legacy:
        allowed_list = allowed_list + [legacy]
    if "*" in allowed_list:
        return True, "*"
    origin = headers.get("origin")
    if origin is None:
        return True, "http://localhost"
    if origin in allowed_list:
        return True, origin
    # "http://localhost" in the list also admits 127.0.0.1 and browser extensions
    local_like = (
        origin in ("http://127.0.0.1", "https://127.0.0.1")
        or origin.startswith("http://127.0.0.1:")
        or origin.startswith(("chrome-extension://", "moz-extension://", "safari-web-extension://"))
    )
    if "http://localhost" in allowed_list and local_like:
        return True, origin
    return False, "http://localhost"


def http_reply(status, headers, body):
    head = "HTTP/1.1 {}\r\n".format(status) + "".join("{}: {}\r\n".format(k, v) for k, v in headers)
    return (head + "\r\n").encode("utf-8") + body


def json_reply(cors, body, extra=()):
    headers = [
        ("Content-Type", "application/json"),
        ("Access-Control-Allow-Origin", cors),
        ("Access-Control-Allow-Headers", "*"),
        ("Content-Length", str(len(body))),
    ]
    return http_reply("200 OK", headers + list(extra), body)


def answer(actions, method, headers, body):
    """The bytes to send back for one parsed request."""
    allowed, cors = origin_rule(headers)
    if method == "OPTIONS":
        extra = [("Access-Control-Allow-Private-Network", "true")] if headers.get("access-control-request-private-network") == "true" else []
        return json_reply(cors, b"", extra)
    try:
        request = json.loads(body.decode("utf-8"))
        jsonschema.validate(request, ENVELOPE_SCHEMA)
    except (ValueError, jsonschema.ValidationError) as e:
        if not allowed:
            request = {}
        elif not body:
            return json_reply(cors, json.dumps({"apiVersion": "AnkiConnect v.{}".format(setting("apiVersion"))}).encode("utf-8"))
        else:
            return json_reply(cors, json.dumps({"result": None, "error": str(e)}).encode("utf-8"))
    asks_permission = request.get("action", "") == "requestPermission"
    if not allowed and not asks_permission:
        # a refused origin gets 403 with neither a type nor a length nor a body (A2)
        return http_reply("403 Forbidden", [("Access-Control-Allow-Origin", cors), ("Access-Control-Allow-Headers", "*")], b"")
    if asks_permission:
        origin = headers.get("origin", "")
        request["params"] = dict(request.get("params", {}), allowed=allowed, origin=origin)
        if not allowed:
            cors = origin
    return json_reply(cors, json.dumps(actions.handle(request)).encode("utf-8"))


def parse(data):
    """(method, headers, body, length used) once data holds a whole request, else None."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].decode("latin-1").split("\r\n")
    method = lines[0].split(" ")[0].upper()
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(": ")
        headers[name.lower()] = value
    length = int(headers.get("content-length", "0") or 0)
    start = end + 4
    if len(data) < start + length:
        return None
    return method, headers, data[start : start + length], start + length


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.incoming = b""
        self.outgoing = None

    def step(self, actions):
        """Reads, answers, writes what it can now; False once the connection is finished."""
        try:
            if self.outgoing is None:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return False
                self.incoming += chunk
                request = parse(self.incoming)
                if request is None:
                    return True
                method, headers, body, _ = request
                self.outgoing = answer(actions, method, headers, body)
            sent = self.sock.send(self.outgoing)
            self.outgoing = self.outgoing[sent:]
            # one request per connection: closed as soon as the reply is out (A3)
            return len(self.outgoing) > 0
        except (BlockingIOError, InterruptedError):
            return True
        except (OSError, ValueError):
            return False


class Server:
    def __init__(self, actions):
        self.actions = actions
        self.listener = None
        self.connections = []
        self.timer = None

    def start(self):
        try:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.setblocking(False)
            listener.bind((setting("webBindAddress"), setting("webBindPort")))
            listener.listen(setting("webBacklog"))
            self.listener = listener
            self.timer = QTimer()
            self.timer.timeout.connect(self.tick)
            self.timer.start(setting("apiPollInterval"))
        except Exception:
            # as the real add-on: a modal box, which offscreen nobody closes (C3)
            QMessageBox.critical(
                aqt.mw,
                "AnkiConnect",
                "Failed to listen on port {}.\nMake sure it is available and is not in use.".format(setting("webBindPort")),
            )

    def tick(self):
        # QTimer runs this on Anki's main thread: requests are handled one at a time (A3)
        if select.select([self.listener], [], [], 0)[0]:
            try:
                sock, _ = self.listener.accept()
                sock.setblocking(False)
                self.connections.append(Connection(sock))
            except OSError:
                pass
        still_open = []
        for connection in self.connections:
            if connection.step(self.actions):
                still_open.append(connection)
            else:
                connection.sock.close()
        self.connections = still_open


# The real add-on refuses the package name "plugin"; Anki imports add-ons by their folder name.
if ADDON != "plugin":
    server = Server(AnkiConnect())
    server.start()
