"""Exclusion of suppliers under LOU ch. 13: grounds and their limits (``grounds``), cases opened by assessments
(``cases``), communication with the supplier (``communication``), self-cleaning (``self_cleaning``), decisions under
four eyes (``decisions``, with ``in_force``: the one answer to "what is decided for this party"), evidence per
ground (``evidence.evidence_for``, the seam for the ESPD) and what the case page and the report read (``view``)."""
