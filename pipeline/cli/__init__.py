"""The coopex command line: one module per command group."""
