"""Views: parse input, fetch through querysets, check permission, call one action, respond."""
