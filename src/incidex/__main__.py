"""``python -m incidex`` runs the command line."""

from .cli import main

main()
