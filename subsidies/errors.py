"""Errors of the subsidies services. The admin shows them as messages, the API as HTTP 400/409."""


class SubsidyError(ValueError):
    """Bad input or a rule that forbids the action; ``field`` names what is wrong (HTTP 400)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class RunBusyError(Exception):
    """Another process is executing this payment run right now (HTTP 409): wait, then look at its progress."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
