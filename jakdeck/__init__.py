"""jakdeck: turn a scientific abstract into an editable talk and a print-ready poster."""

__version__ = "0.1.0"

from datetime import UTC, datetime

# The date written into every output (PDF and .pptx dates, zip entries) unless SOURCE_DATE_EPOCH gives one:
# a fixed date, so that the same inputs always give the same bytes.
DEFAULT_DATE = datetime(2024, 1, 1, tzinfo=UTC)
