"""Settings for the load benchmark's server: Fyren's own, plus the floor page
(``bench/floor_urls.py``). Used only by ``bench/load.py``."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
