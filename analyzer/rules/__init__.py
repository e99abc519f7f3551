"""The rules, one module per code: `analyzer/rules/<family>/le201_listens_on_loopback.py` holds LE201.
The registry (analyzer/engine/registry.py) finds every rule class here; nothing else to register."""
