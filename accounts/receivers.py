"""The one home for signal receivers: allauth's signals.

Nothing here yet needs to react to allauth; the module exists so that receivers have
one place to go (STYLE.md: no business logic in signals elsewhere).
"""
