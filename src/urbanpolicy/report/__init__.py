"""Stage 4: figures, notebook parameters, the notebook runner and the command line."""
