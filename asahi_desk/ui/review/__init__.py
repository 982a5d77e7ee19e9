"""The 振り返り view: the review's tree, its row form, the program form's citing rows, the menu item."""
