"""What a person runs: the command line (build, check, serve, new), the preview server and new-file scaffolding."""
