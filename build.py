#!/usr/bin/env python3
"""Build the 政府信息公开专栏 site from content/ into site/. See README.md."""

import sys

from disclosure.cli import main

if __name__ == "__main__":
    sys.exit(main())
