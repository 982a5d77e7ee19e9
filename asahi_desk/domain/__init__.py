"""Pure-Python core: money, fiscal years, budget entities, rules and checks (stdlib only)."""
