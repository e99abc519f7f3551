"""LE401-LE404: requirements.txt as pip reads it on the platform (`pip install -r requirements.txt`)."""
