"""The user interfaces over the library: the one-shot CLI, terminal rendering, exports, the shell."""
