import sys

from gapura.cli import main

sys.exit(main())
