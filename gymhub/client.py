"""Old import path of the client; it lives in `gymhub.remote` now."""

from gymhub.remote import *  # noqa: F403 - the same public names
from gymhub.remote import __all__  # noqa: F401
