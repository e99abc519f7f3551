"""Cloud Engine and Python facts as shipped data, each generated or cited from its source."""
