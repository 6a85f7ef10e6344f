"""Stage 3, render: Markdown to safe HTML, every page from the templates, feeds and data exports."""
