"""Support's part of the REST API: escalations for support staff, product feedback and
digests for product managers (tokens need the "staff" scope). Same actions and
permission layer as the staff pages."""
