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


class DraftExistsError(ConflictError):
    """The applicant already has an open draft for this route (HTTP 409 naming it): carry on with it."""

    def __init__(self, case_number: str):
        super().__init__(f"您已有此落户途径的草稿 {case_number}，请继续填报该草稿（同一途径只能有一份草稿）")
        self.case_number = case_number
