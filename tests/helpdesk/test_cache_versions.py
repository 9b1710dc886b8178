"""The layout digest cached entries are keyed on (helpdesk/cache_versions.py); the versions
themselves are tested through their users (tests/appointments/test_hot_paths.py for the
schedule's, tests/helpdesk/test_principal.py, tests/conversations/test_menus.py)."""

from helpdesk.cache_versions import layout
from helpdesk.models import Digipunt, Topic


def test_the_layout_follows_the_models_fields_and_the_module():
    assert layout(__name__, Topic) == layout(__name__, Topic)
    assert layout(__name__, Topic) != layout(__name__, Digipunt)
    assert layout(__name__, Topic) != layout("helpdesk.cache_versions", Topic)
