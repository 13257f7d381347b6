"""Performance benchmarks with budgets, kept apart from the pass/fail suite (`make bench`)."""
