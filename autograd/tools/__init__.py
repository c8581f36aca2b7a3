"""Command-line tools: `python -m autograd.tools.<name> --help`."""
