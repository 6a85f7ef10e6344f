"""Stage 2, model: validate what was loaded, relate documents (repeals, interpretations, tasks, due dates) and classify them."""
