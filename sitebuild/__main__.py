"""``python -m sitebuild``: the main job (see sitebuild/build.py)."""

import sys

from sitebuild.build import main

sys.exit(main())
