"""Every rule, one module per rule, grouped by family (``TSTnxx``)."""
