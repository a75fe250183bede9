"""The engine: diagnostics, rules, registry, file context, suppression, fixes."""
