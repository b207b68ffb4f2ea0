"""cbcheck: check carbon-peak and energy-saving plan submissions against their plans."""

__version__ = "0.1.0"
