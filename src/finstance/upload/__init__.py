"""Upload: bank statements in, Connect-format data out, with fraud analysis, on every instance."""
