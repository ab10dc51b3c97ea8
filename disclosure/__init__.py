"""disclosure-tracker: the register, services, command line and web interface."""

__version__ = "0.1.0"
