"""The encrypted project store: database, keys, records and the audit trail."""
