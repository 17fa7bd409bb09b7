"""Gapura's full command line (`python -m gapura COMMAND`): a shell over the services, like the pages."""
