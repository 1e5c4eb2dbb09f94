"""The server restarts cleanly after its master is killed (scripts/crash-restart-check)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("setsid") is None, reason="needs setsid (util-linux)")
def test_the_server_answers_again_right_after_kill_9_of_its_master():
    env = {**os.environ, "PYTHON": sys.executable, "PORT": str(8700 + os.getpid() % 200)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [str(ROOT / "scripts" / "crash-restart-check")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("answering") == 2
