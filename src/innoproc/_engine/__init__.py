"""The engine: declaring procedures, assessing events and running cases (private package)."""
