"""Getting data out: claims in the claims format, discrepancies per event, each to any stream."""
