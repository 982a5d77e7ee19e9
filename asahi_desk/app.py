"""Composition root: database -> engine -> migrate -> services. The GUI, the CLI and the tests use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from asahi_desk.demo_copy import (
    DEMO_DB_NAME,
    is_demo_copy,
    new_demo_target,
    remember_demo_copy,
    shipped_demo_copy,
    shipped_demo_db,
)
from asahi_desk.domain.errors import InputError
from asahi_desk.paths import DEFAULT_DB_NAME, user_data_dir
from asahi_desk.services.budgets import BudgetService
from asahi_desk.services.checking import CheckService
from asahi_desk.services.editing import EditService, os_login
from asahi_desk.services.history import HistoryService
from asahi_desk.services.printed_summary import PrintedSummaryService
from asahi_desk.services.review import ReviewService
from asahi_desk.services.review_export import ReviewExportService
from asahi_desk.services.rollover import RolloverService
from asahi_desk.services.tree import TreeService
from asahi_desk.store.change_feed import ChangeFeed
from asahi_desk.store.database_errors import translate
from asahi_desk.store.engine import (
    backup_sqlite,
    database_url,
    make_engine,
    make_session_factory,
    own_operations,
    sqlite_path,
)
from asahi_desk.store.migrate import HEAD_REVISION, current_revision, upgrade_to_head

__all__ = ["DEFAULT_DB_NAME", "DEMO_DB_NAME", "Services", "build_services", "default_db_path", "display_url",
           "fresh_demo_copy", "is_demo_copy", "shipped_demo_db"]


@dataclass
class Services:
    """Everything a front end needs; build it with build_services()."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None  # the copy made before a migration, if one ran
    # who the history names: the OS login, or the 担当者名 the clerk set (the window sets it from its settings)
    clerk: str = field(default_factory=os_login)
    budgets: BudgetService = field(init=False)
    checks: CheckService = field(init=False)
    rollover: RolloverService = field(init=False)
    editing: EditService = field(init=False)
    tree: TreeService = field(init=False)
    printed_summary: PrintedSummaryService = field(init=False)
    review: ReviewService = field(init=False)
    review_export: ReviewExportService = field(init=False)
    history: HistoryService = field(init=False)

    def __post_init__(self) -> None:
        self.budgets = BudgetService(self.sessions, lambda: self.clerk)
        self.checks = CheckService(self.sessions)
        self.rollover = RolloverService(self.sessions, lambda: self.clerk)
        self.editing = EditService(self.sessions, lambda: self.clerk)
        self.tree = TreeService(self.sessions)
        self.printed_summary = PrintedSummaryService(self.sessions, lambda: self.clerk)
        self.history = HistoryService(self.sessions)
        self.review = ReviewService(self.sessions, lambda: self.clerk)
        self.review_export = ReviewExportService(self.sessions)

    @property
    def excel_import(self) -> "ExcelImportService":  # noqa: F821, UP037 - built on first use (openpyxl stays unloaded)
        from asahi_desk.services.excel_import import ExcelImportService

        if "_excel_import" not in self.__dict__:
            self.__dict__["_excel_import"] = ExcelImportService(self.sessions, lambda: self.clerk)
        return self.__dict__["_excel_import"]

    @property
    def excel_export(self) -> "ExcelExportService":  # noqa: F821, UP037 - built on first use
        from asahi_desk.services.excel_export import ExcelExportService

        if "_excel_export" not in self.__dict__:
            self.__dict__["_excel_export"] = ExcelExportService(self.sessions)
        return self.__dict__["_excel_export"]

    @property
    def handout(self) -> "HandoutService":  # noqa: F821, UP037 - built on first use (reportlab stays unloaded)
        from asahi_desk.services.handout import HandoutService

        if "_handout" not in self.__dict__:
            self.__dict__["_handout"] = HandoutService(self.sessions)
        return self.__dict__["_handout"]

    @property
    def meetings(self) -> "MeetingService":  # noqa: F821, UP037 - built on first use
        from asahi_desk.services.meetings import MeetingService

        if "_meetings" not in self.__dict__:
            self.__dict__["_meetings"] = MeetingService(self.sessions, lambda: self.clerk)
        return self.__dict__["_meetings"]

    @property
    def inquiry(self) -> "InquiryService":  # noqa: F821, UP037 - built on first use (openpyxl stays unloaded)
        from asahi_desk.services.inquiry import InquiryService

        if "_inquiry" not in self.__dict__:
            self.__dict__["_inquiry"] = InquiryService(self.sessions, lambda: self.clerk)
        return self.__dict__["_inquiry"]

    @property
    def versions(self) -> "VersionService":  # noqa: F821, UP037 - built on first use
        from asahi_desk.services.versions import VersionService

        if "_versions" not in self.__dict__:
            self.__dict__["_versions"] = VersionService(self.sessions, lambda: self.clerk)
        return self.__dict__["_versions"]

    @property
    def comparison(self) -> "ComparisonService":  # noqa: F821, UP037 - built on first use
        from asahi_desk.services.comparison import ComparisonService

        if "_comparison" not in self.__dict__:
            self.__dict__["_comparison"] = ComparisonService(self.sessions)
        return self.__dict__["_comparison"]

    @property
    def db_path(self) -> Path | None:
        return sqlite_path(self.url)

    def save_copy(self, target: Path | str) -> Path:
        """A consistent copy of this SQLite database at target (replacing a file there); the database in use
        stays the one open. Other kinds of database are refused (InputError)."""
        return backup_sqlite(self.engine, Path(target))

    def watch(self) -> ChangeFeed:
        """A feed of commits made by other connections (the window polls it; close it when done)."""
        return ChangeFeed(self.engine)

    @property
    def own_operations(self) -> set[str]:
        """Ids of the history operations this Services wrote (any service, any call): not another clerk's."""
        return own_operations(self.sessions)

    def close(self) -> None:
        self.engine.dispose()


def build_services(db: str | Path, *, migrate: bool = True, read_only: bool = False) -> Services:
    """Open (creating when missing) the database at a path or URL and bring it to the schema head.

    `read_only` (the CLI's reading commands): an existing SQLite file at the schema head is opened
    read-only, so a database on a read-only file or share can be read; one that needs a schema upgrade
    is opened for writing and upgraded as usual (refused when it cannot be written)."""
    url = database_url(db)
    path = sqlite_path(url)
    if path is not None and path.exists() and path.is_dir():
        raise InputError("データベースのパスがフォルダです", str(path))
    read_only = read_only and path is not None and path.is_file() and path.stat().st_size > 0 \
        and (not migrate or _at_head_read_only(url))
    engine = make_engine(url, read_only=read_only)  # refuses a URL of a kind or driver not installed
    backup = None
    try:
        if migrate:
            backup = upgrade_to_head(engine)
        else:
            engine.connect().close()
    except DBAPIError as e:
        engine.dispose()
        refusal = translate(e, engine)
        if refusal is not None:
            raise refusal from None
        raise InputError(f"データベースを開けません（{_first_line(e.orig)}）", display_url(url)) from None
    except Exception:
        engine.dispose()
        raise
    return Services(url, engine, make_session_factory(engine), backup)


def _at_head_read_only(url: str) -> bool:
    """Whether the SQLite file needs no upgrade (or cannot be read at all: the read-only open says why)."""
    engine = make_engine(url, read_only=True)
    try:
        return current_revision(engine) == HEAD_REVISION
    except DBAPIError:
        return True
    finally:
        engine.dispose()


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else "原因不明"


def display_url(url: str) -> str:
    """The file path, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def default_db_path() -> Path:
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DEFAULT_DB_NAME


def fresh_demo_copy() -> Path:
    """A temporary copy of the shipped demo database (built from the demo JSON when not shipped), removed
    when the process ends: the demo is for trying things, nothing in it is kept."""
    shipped = shipped_demo_copy()
    if shipped is not None:
        return shipped
    target = new_demo_target()
    services = build_services(target)
    try:
        services.budgets.load_demo()
    finally:
        services.close()
    return remember_demo_copy(target)
