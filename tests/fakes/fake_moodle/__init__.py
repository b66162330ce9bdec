"""A fake of Moodle 4.5's REST web services on a real loopback HTTP server (see server.FakeMoodle).

It is a fake of Moodle, not a mock of our client: it reproduces what /work/shared/moodle-peer measured on
Moodle 4.5.6 (errors as HTTP 200 objects, all-or-nothing create_users, silent [] without view capabilities,
max_input_vars truncation...), and tests/contract/test_moodle_web_service.py holds it to the real thing.
"""

from tests.fakes.fake_moodle.server import FakeMoodle

__all__ = ["FakeMoodle"]
