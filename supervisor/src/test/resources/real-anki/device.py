"""A second device for the real-Anki tests, run with the real Anki venv's python.

  device.py upload COLLECTION ENDPOINT USER PASSWORD DECK FRONT...
      makes a new collection at COLLECTION with one Basic note per FRONT in DECK, logs in to the
      sync server at ENDPOINT and puts the collection there (a full upload), as a desktop would.
  device.py read COLLECTION [CONFIG_KEY...]
      reads a collection nobody holds open (the sync server's, after it stopped; Anki's, after it
      closed) from a copy, leaving the original untouched; with the values of CONFIG_KEYs.

Both print one JSON line: {"notes": N, "cards": N, "decks": [...], "fronts": [...], "config": {}}.
"""
import json
import os
import shutil
import sys
import tempfile

from anki.collection import Collection


def summary(col, config_keys=()):
    fronts = sorted(col.get_note(nid).fields[0] for nid in col.find_notes(""))
    decks = sorted(d.name for d in col.decks.all_names_and_ids())
    return {"notes": col.note_count(), "cards": col.card_count(), "decks": decks, "fronts": fronts,
            "config": {key: col.get_config(key, None) for key in config_keys}}


def upload(path, endpoint, user, password, deck, fronts):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    col = Collection(path)
    try:
        did = col.decks.id(deck)
        model = col.models.by_name("Basic")
        for front in fronts:
            note = col.new_note(model)
            note.fields[0] = front
            note.fields[1] = "back of " + front
            col.add_note(note, did)
        auth = col.sync_login(user, password, endpoint)
        out = col.sync_collection(auth, False)
        # A collection with data against an empty server: the server wants a full sync; we upload.
        col.full_upload_or_download(auth=auth, server_usn=None, upload=True)
        result = {"required": int(out.required)}
    finally:
        col.close()
    col = Collection(path)
    try:
        result.update(summary(col))
    finally:
        col.close()
    return result


def read(path, config_keys):
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("", "-wal"):
            if os.path.exists(path + suffix):
                shutil.copyfile(path + suffix, os.path.join(tmp, "c.anki2" + suffix))
        col = Collection(os.path.join(tmp, "c.anki2"))
        try:
            return summary(col, config_keys)
        finally:
            col.close()


def main(argv):
    if argv[1] == "upload":
        out = upload(argv[2], argv[3], argv[4], argv[5], argv[6], argv[7:])
    elif argv[1] == "read":
        out = read(argv[2], argv[3:])
    else:
        raise SystemExit("usage: device.py upload|read ...")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(sys.argv)
