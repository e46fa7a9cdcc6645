"""Getting claims in: reading tables, the import formats, and the one all-or-nothing importer."""
