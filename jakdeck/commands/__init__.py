"""The subcommands other than ``build``: each module is imported only when its command runs."""
