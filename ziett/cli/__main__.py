"""``python -m ziett.cli``: the same as the ``ziett`` console script."""

from ziett.cli import main

raise SystemExit(main())
