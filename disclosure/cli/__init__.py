"""The `disclosure` command line (Typer + Rich, Chinese output)."""
