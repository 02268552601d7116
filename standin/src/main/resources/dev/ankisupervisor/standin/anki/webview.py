"""The stand-in Anki's main window as a real QtWebEngine view (ANKI_STANDIN_REAL_QT=1).

Started by the stand-in (Java) as its child, in its process group, with its environment: Qt and
Chromium judge that environment as they would judge Anki's (C4, C9), and this process's
QtWebEngineProcess helpers are Anki's helpers. It loads a page, runs one line of JavaScript and
prints READY_MARK with the result on stdout; until then Anki has not started. It dies with the
stand-in (PR_SET_PDEATHSIG, also after SIGKILL) and quits cleanly when its stdin closes (the
stand-in's clean close). SIGTERM and SIGINT are left to the stand-in, which sends them nowhere:
the view ends with Anki, never before it.
"""
import ctypes
import os
import signal
import sys

READY_MARK = "WEBVIEW-READY"
PR_SET_PDEATHSIG = 1


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        print("web view: prctl(PR_SET_PDEATHSIG) failed: " + os.strerror(ctypes.get_errno()), file=sys.stderr)
        sys.exit(1)
    # The parent may have died before prctl: then nobody would ever kill us.
    parent = os.environ.get("ANKI_STANDIN_WEBVIEW_PARENT", "")
    if parent and os.getppid() != int(parent):
        sys.exit(1)


def main():
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from PyQt6.QtCore import QSocketNotifier
    from PyQt6.QtWidgets import QApplication
    from PyQt6.QtWebEngineWidgets import QWebEngineView

    app = QApplication(["anki"])
    view = QWebEngineView()
    stdin = QSocketNotifier(0, QSocketNotifier.Type.Read)

    def on_stdin():
        if not os.read(0, 512):
            stdin.setEnabled(False)
            app.quit()

    def on_result(result):
        print(READY_MARK + " " + str(result), flush=True)

    def on_loaded(ok):
        if not ok:
            print("web view: the page did not load", file=sys.stderr, flush=True)
            app.exit(1)
            return
        view.page().runJavaScript("document.title + ': ' + (6 * 7)", on_result)

    stdin.activated.connect(on_stdin)
    view.loadFinished.connect(on_loaded)
    view.setHtml("<html><head><title>Anki stand-in</title></head><body>main window</body></html>")
    view.show()
    code = app.exec()
    # Pages go before the profile and the application, or QtWebEngine complains at exit.
    view.close()
    del view
    return code


if __name__ == "__main__":
    sys.exit(main())
