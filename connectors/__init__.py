"""Connectors: everything that writes the warehouse (contract sections 1 and 3)."""
