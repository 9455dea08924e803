"""The command line: the click group, the commands, shared options and the Console."""
