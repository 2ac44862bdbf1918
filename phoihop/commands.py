"""Subcommands of ``phoihop`` that run the core pipeline (import, calendar, schedule, lint, render).

Each ``register_*`` adds one subparser and sets ``handler``; ``REGISTER`` lists them for the CLI.
"""

from __future__ import annotations

REGISTER: list = []
