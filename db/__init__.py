"""PostgreSQL records: SQLAlchemy tables, one module per domain, and the engine."""
