class ApplicationError(ValueError):
    """Bad input or a rule that forbids the action; ``field`` names what is wrong (HTTP 400)."""

    def __init__(self, field: str, message: str, *, details: list | None = None):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.details = details or []


class ConflictError(Exception):
    """Someone else changed the case first (HTTP 409): reload and try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
