"""The REST API (/api/v1/, Django REST framework, OpenAPI from drf-spectacular).

No second write path: writes validate with the site's own forms and call the same
actions, reads go through the same querysets (``visible_to``), and every check is the
permission layer's. Tokens (accounts.ApiToken) carry scopes; the site's own pages use the
session.
"""
