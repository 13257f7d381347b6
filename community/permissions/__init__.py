"""May this user do that to this object? One answer, used by views and templates alike.

Each rule is a ``can_*`` boolean (for templates, through ``{% can %}``) paired with a
``check_*`` that raises ``PermissionDenied`` with the reason (for views and actions);
tests/community/test_permission_twins.py proves each pair agrees. The rules live in
``base`` (writing at all, moderators, privileges), ``posts``, ``moderation`` and
``members``; everything is read from here, as ``permissions.can_edit``.
"""

from community.permissions.base import *  # noqa: F403
from community.permissions.members import *  # noqa: F403
from community.permissions.moderation import *  # noqa: F403
from community.permissions.posts import *  # noqa: F403
