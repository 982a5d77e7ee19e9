"""User text inside Qt widgets that guess rich text (QMessageBox): escaped so it always shows literally."""

from __future__ import annotations

from html import escape


def as_html(text: str) -> str:
    """text as one HTML paragraph: '<', '&' and '>' escaped, line breaks kept.

    QMessageBox treats a message that looks like markup as HTML; a name such as 「<b>防災</b>」 would lose
    its tags. Handing it HTML made from the plain text shows exactly what the clerk typed.
    """
    return "<p>" + escape(text, quote=False).replace("\n", "<br>") + "</p>"
