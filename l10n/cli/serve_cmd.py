"""(commands not yet written)"""

import click


def register(group: click.Group) -> None:
    """Add this module's commands to ``group``."""
