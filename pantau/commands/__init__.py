"""One module per ``pantau`` command, each with ``register(subparsers)``.

A command module parses its options and calls one documented library function;
``COMMANDS`` lists them in the order ``pantau --help`` shows them.
"""

COMMANDS = (
    "pantau.commands.code",
    "pantau.commands.evaluate",
    "pantau.commands.actors",
    "pantau.commands.peer",
    "pantau.commands.ingest",
    "pantau.commands.events",
    "pantau.commands.export",
    "pantau.commands.geoeval",
    "pantau.commands.batch",
    "pantau.commands.serve",
    "pantau.commands.posts",
    "pantau.commands.levels",
    "pantau.commands.watch",
    "pantau.commands.replay",
)
