"""Stage 1, load: read content files and config.yaml safely, parse their fields, and make the content model."""
