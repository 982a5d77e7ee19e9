"""The meeting handout PDF (次第, 資料1 the execution plan, the review, attached PDFs), built with reportlab."""
