"""Full-text search: our own Chinese tokens, records built from the models, a Pagefind index."""
