"""Documents out: the meeting handout PDF (reportlab) and Excel workbooks; domain objects in, no Qt, no SQL."""
