"""Orchestration of one build: the pipeline, its caches, workers, incremental reuse and the atomic write of the site."""
