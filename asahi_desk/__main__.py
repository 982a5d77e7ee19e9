"""python -m asahi_desk: the same entry point as the asahi-desk command."""

import sys

from asahi_desk.launcher import main

sys.exit(main())
