"""One module per API resource: messages and campaigns."""
