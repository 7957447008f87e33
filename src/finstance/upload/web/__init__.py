"""Connect's upload mode: the page an end-user adds their statements on (``/v2/Upload``)."""
