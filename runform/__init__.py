"""runform: the thin app layer (CLI) that wires sensors, analysis and firmware_sim together."""

__version__ = "0.1.0"
