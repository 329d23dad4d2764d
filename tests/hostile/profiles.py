"""How hard the hostile suite tries: a few fixed examples in `make test`, many in `make hostile`.

ZIETT_HOSTILE_PROFILE=hostile-long (what `make hostile` sets) runs the long profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile",
    max_examples=10,
    deadline=None,
    derandomize=True,  # the same examples every run: `make test` cannot flake
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "hostile-long",
    max_examples=600,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = settings.get_profile(os.environ.get("ZIETT_HOSTILE_PROFILE", "hostile"))
"""The settings every hostile test runs with."""
