"""Where outputs go: files written whole or not at all, local or remote."""
