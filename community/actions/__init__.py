"""Every state change that matters, as typed functions, one transaction each.

These are the only code that writes community rows; views, tasks and commands call them.
"""
