"""Side effects of the relief workflows: short, idempotent PostgreSQL transactions."""
