"""The one kind of error that stops a build with a message instead of a traceback."""


class StopBuild(Exception):
    """A setting, the environment or the data stops the build; the message says what to do."""
