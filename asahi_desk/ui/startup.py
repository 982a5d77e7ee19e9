"""Desktop start: logging, crash dialog, icon, fonts, the window frame at once, then the database, the
first-run question and the main window.

Nothing here imports SQLAlchemy, the services or the main window's module at import time: the frame
(ui.start_frame) is painted first, and they are loaded on the next turn of the event loop."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget, QWizard

from asahi_desk import __version__
from asahi_desk.domain.errors import AsahiError
from asahi_desk.logging_setup import configure_logging
from asahi_desk.paths import DEFAULT_DB_NAME, resources_dir, user_data_dir
from asahi_desk.ui.fonts import install_application_font
from asahi_desk.ui.start_frame import StartFrame, on_first_paint
from asahi_desk.ui.translations import install_japanese_translation

if TYPE_CHECKING:
    from asahi_desk.store.first_read import FirstRead

SMOKE_QUIT_ENV = "ASAHI_DESK_SMOKE_QUIT_MS"  # quit this many ms after the window is shown (build smoke test)
SMOKE_SCREENSHOT_ENV = "ASAHI_DESK_SMOKE_SCREENSHOT"  # PNG of the window saved just before that close
# "shown": quit on the first event-loop turn after the window frame is painted; "ready": once the main
# window is painted with the year's rows in its tree and its forms taking input (bench/bench_startup.py)
QUIT_AT_ENV = "ASAHI_DESK_QUIT_AT"
QUIT_AT_SHOWN, QUIT_AT_READY = "shown", "ready"
FRAME_SHOWN = "frame shown"  # logged at the frame's first paint
WINDOW_READY = "window ready"  # logged at the main window's first paint
DATA_DIR_ENV = "ASAHI_DESK_DATA_DIR"  # overrides the platformdirs folder (portable installs, smoke test)
WINDOW_SHOWN = "window shown"  # the log line the smoke test looks for
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
IMPORT_WIZARD_MODULE = "asahi_desk.ui.import_wizard"

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def data_folder() -> Path:
    """Where the default database and the log live: ASAHI_DESK_DATA_DIR, else the user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else user_data_dir()


def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resources_dir() / "icons" / f"asahi-desk-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def show_crash_dialog(message: str, log_file: Path) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "asahi-desk: 予期しないエラー",
                      "予期しないエラーが発生しました。作業中の内容を確認し、必要なら再起動してください。")
    box.setObjectName("crashDialog")
    box.setInformativeText(f"{message}\n\n詳しい記録（ログ）: {log_file}\n"
                           "担当者に連絡するときは、このログファイルを添えてください。")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def install_excepthook(log_file: Path, show: Callable[[str, Path], None] = show_crash_dialog) -> ExceptHook:
    """Log any uncaught exception with its traceback and tell the clerk where the log is, instead of vanishing."""
    showing = False

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, error, tb))
        if showing:  # an error while the dialog is open: logged, not stacked
            return
        showing = True
        try:
            show(f"{kind.__name__}: {error}", log_file)
        except Exception:  # the dialog itself failed: keep the traceback visible somewhere
            log.exception("crash dialog failed")
            if sys.stderr is not None:
                traceback.print_exception(kind, error, tb)
        finally:
            showing = False

    sys.excepthook = hook
    return hook


def is_empty(db: str) -> bool:
    from asahi_desk.app import build_services

    services = build_services(db)
    try:
        return not services.budgets.fiscal_years()
    finally:
        services.close()


def open_import(window: Any) -> QWidget | None:
    """Open the Excel import wizard on the window when it is available; else say where to find it."""
    try:
        wizard_class = getattr(importlib.import_module(IMPORT_WIZARD_MODULE), "ImportWizard", None)
    except ImportError:
        wizard_class = None
    if wizard_class is None:
        QMessageBox.information(window, "前年度のExcelを取り込む",
                                "メニューの データ → 前年度Excel取込… から取り込んでください。")
        return None
    wizard = wizard_class(window.services, window.current_fiscal_year(), window)

    def finished(code: int) -> None:
        if code == QWizard.DialogCode.Accepted:
            window.refresh()

    wizard.finished.connect(finished)
    wizard.open()
    return wizard


def first_read(db: str | None, demo: bool, folder: Path) -> tuple[str | None, FirstRead | None]:
    """The database's path (None: the demo is built from its JSON) and, when it can be read with sqlite3 alone (an
    SQLite file at the schema head holding a year: store/first_read.py), the first read the window starts on."""
    from asahi_desk.demo_copy import shipped_demo_copy
    from asahi_desk.store.first_read import read_first

    if demo:
        shipped = shipped_demo_copy()
        path = str(shipped) if shipped is not None else None
    elif db:
        path = db
    else:
        folder.mkdir(parents=True, exist_ok=True)
        path = str(folder / DEFAULT_DB_NAME)
    if path is None or "://" in path:  # a URL (PostgreSQL, or SQLite spelt as one): the usual path
        return path, None
    return path, read_first(Path(path).expanduser())


def start_window(db: str | None, demo: bool, folder: Path,
                 ask: Callable[[str], str] | None = None, *, watch_input: bool = True) -> tuple[QMainWindow, str]:
    """Build the main window on the right database; returns it with the first-run choice (EMPTY if none).
    ask: the first-run question for an empty database (ui.first_run.ask_first_run by default).
    watch_input=False: a window on the first read does not watch the clerk's input yet (ui.main.watch_first_input:
    open_main_window calls it once the window is painted).

    An SQLite file at the schema head holding a year is shown from its first read (build_first_window): the
    window is painted before SQLAlchemy is imported, and load_services() opens the database behind it. A new,
    empty or older database, or a server URL, opens as before (build_main_window: migrations, the first-run
    question)."""
    from asahi_desk.ui.first_run import DEMO, EMPTY, ask_first_run
    from asahi_desk.ui.main import build_first_window, build_main_window, remember_recent

    choice = EMPTY
    path, first = first_read(db, demo, folder)
    if first is not None:
        window = build_first_window(first, watch_input=watch_input)
        window.setWindowIcon(app_icon())
        if not demo and not (os.environ.get(SMOKE_QUIT_ENV) or os.environ.get(QUIT_AT_ENV)):
            remember_recent(str(path))
        return window, choice
    from asahi_desk.app import fresh_demo_copy

    if demo:
        path = path or str(fresh_demo_copy())
    else:
        assert path is not None
        if is_empty(path):
            if os.environ.get(SMOKE_QUIT_ENV) or os.environ.get(QUIT_AT_ENV):
                log.info("empty database %s; first-run question skipped (smoke test)", path)
            else:
                choice = (ask or ask_first_run)(path)
                log.info("empty database %s; first-run choice: %s", path, choice)
        if choice == DEMO:
            path = str(fresh_demo_copy())
    window = build_main_window(str(path))
    window.setWindowIcon(app_icon())
    if not demo and choice != DEMO and not (os.environ.get(SMOKE_QUIT_ENV) or os.environ.get(QUIT_AT_ENV)):
        remember_recent(str(path))
    return window, choice


def _smoke_close(window: QMainWindow) -> None:
    target = os.environ.get(SMOKE_SCREENSHOT_ENV)
    if target:
        saved = window.grab().save(target)
        log.info("smoke screenshot %s: %s", target, "saved" if saved else "FAILED")
    window.close()


SETTINGS_DIR_VARIABLE = "ASAHI_DESK_SETTINGS_DIR"


def use_settings_folder(folder: str | None) -> None:
    """Window state and recent files in an .ini file under folder instead of the user's registry or
    config: for a smoke test or a shared PC profile that must not touch the user's own settings."""
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def run(db: str | None = None, demo: bool = False, *, data_dir: Path | None = None) -> int:
    """The GUI entry point (`asahi-desk` with no subcommand). Returns the process exit code.

    The frame is shown first; the database, the heavy imports and the main window follow on the next turn
    of the event loop (open_main_window), and the main window takes the frame's place."""
    folder = data_dir or data_folder()
    log_file = configure_logging(folder)
    log.info("asahi-desk %s starting (frozen=%s, python %s)", __version__, bool(getattr(sys, "frozen", False)),
             sys.version.split()[0])
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("asahi-desk")
    app.setOrganizationName("asahi-desk")
    app.setApplicationVersion(__version__)
    use_settings_folder(os.environ.get(SETTINGS_DIR_VARIABLE))
    app.setWindowIcon(app_icon())
    install_excepthook(log_file)
    log.info("application font: %s", install_application_font(app))
    log.info("Qt texts in Japanese: %s", install_japanese_translation(app))
    quit_at = os.environ.get(QUIT_AT_ENV, "")
    frame = StartFrame()
    outcome = {"code": 0}

    def frame_painted() -> None:
        log.info(FRAME_SHOWN)
        if quit_at == QUIT_AT_SHOWN:
            QTimer.singleShot(0, frame.close)
        else:
            QTimer.singleShot(0, lambda: open_main_window(frame, db, demo, folder, log_file, quit_at, outcome))

    on_first_paint(frame.loading, frame_painted)
    frame.show()
    code = app.exec()
    code = code or outcome["code"]
    log.info("asahi-desk exiting (%s)", code)
    return code


def open_main_window(frame: QMainWindow, db: str | None, demo: bool, folder: Path, log_file: Path,
                     quit_at: str, outcome: dict[str, int]) -> QMainWindow | None:
    """The main window in the frame's place (the frame closes once it is shown); on a database that cannot be
    opened, one message and exit code 2."""
    try:
        window, choice = start_window(db, demo, folder, watch_input=False)
    except AsahiError as e:
        log.error("cannot open the database: %s", e)
        if quit_at or os.environ.get(SMOKE_QUIT_ENV):  # nobody to press OK on a non-interactive run
            from asahi_desk.domain.text import shown

            print(shown(f"エラー: {e}"), file=sys.stderr)
        else:
            QMessageBox.critical(frame, "asahi-desk", f"データベースを開けません。\n{e}\n\nログ: {log_file}")
        outcome["code"] = 2
        frame.close()
        return None
    from asahi_desk.ui import first_run
    from asahi_desk.ui.main import watch_first_input

    tree = getattr(window, "tree", None)

    def window_painted() -> None:
        rows = tree.model().rowCount() if tree is not None and tree.model() is not None else 0
        log.info("%s: %s rows at the top of the tree", WINDOW_READY, rows)
        if quit_at == QUIT_AT_READY:
            QTimer.singleShot(0, window.close)
        else:  # a window on the first read: its database opens behind it, a turn of the event loop at a time
            QTimer.singleShot(0, window, lambda: load_behind(window))

    on_first_paint(tree.viewport() if tree is not None else window, window_painted)
    window.show()
    watch_first_input(window, whole_application=False)  # the whole application from load_behind on
    frame.close()
    log.info("%s: %s", WINDOW_SHOWN, window.windowTitle())
    if choice == first_run.IMPORT:
        QTimer.singleShot(0, lambda: open_import(window))
    smoke_ms = os.environ.get(SMOKE_QUIT_ENV)
    if smoke_ms:  # close like a clerk would (settings saved, last window closed ends the loop)
        QTimer.singleShot(int(smoke_ms), lambda: _smoke_close(window))
    return window


def load_behind(window: QMainWindow) -> None:
    """The real services of a window painted from the first read (nothing for another window): SQLAlchemy and
    the services are imported on one turn of the event loop, the database opened on the next, so what the clerk
    typed meanwhile is handled in between. An action needing them earlier loads them itself (FirstServices)."""
    from asahi_desk.ui.first_services import pending
    from asahi_desk.ui.main import watch_first_input

    if not pending(getattr(window, "services", None)):
        return
    watch_first_input(window)  # any window's first click or key (a floating dock's too) loads them first
    import asahi_desk.app  # noqa: F401 - the import alone (SQLAlchemy, the models, the services)

    def open_database() -> None:
        from asahi_desk.ui.main import load_services

        try:
            load_services(window)
        except (AsahiError, OSError) as e:  # the next action that needs the database tries again and says why
            from asahi_desk.domain.error_text import file_problem

            log.error("cannot open the database behind the first read: %s", e)
            problem = file_problem(e) if isinstance(e, OSError) else str(e)
            window.statusBar().showMessage(f"データベースを開けません: {problem or e}")
            return
        log.info("services loaded behind the first read")

    QTimer.singleShot(0, window, open_database)
