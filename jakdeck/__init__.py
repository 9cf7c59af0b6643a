"""jakdeck: turn a scientific abstract into an editable talk and a print-ready poster."""

__version__ = "0.1.0"
