# Belgian formats (26/11/2026, 14:30) in every interface language.
from helpdesk.formats.belgian import *  # noqa: F403
