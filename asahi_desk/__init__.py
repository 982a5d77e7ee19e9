"""asahi-desk: the budget desk of a ward office (区づくり推進費の予算編集と会議資料作成)."""

__version__ = "0.1.0"
