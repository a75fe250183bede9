"""The language server (``suitelint lsp``); pygls is imported only below this package."""
