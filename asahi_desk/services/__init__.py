"""Use cases that own the transaction: load, dump, check, roll over, edit, import, export."""
