"""The main window's rooms: the shell (ui/main.py) wires these pieces; none of them imports another's module."""
