"""Fixtures for the office-network tests: the network itself, built once per run.

The tests reuse the real-app harness of `tests/e2e` (desktop.py, webdriver.py) by import.
They never skip: a machine that cannot build the network (not root, no veth or bridge) fails
them, as CI must notice.
"""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))
sys.path.insert(0, str(HERE))

from office import Office  # noqa: E402


@pytest.fixture(scope="session")
def office():
    """The office network (relay, colleague, recipient, router, outside host), torn down after
    the last test, whatever happened."""
    with Office() as net:
        yield net
