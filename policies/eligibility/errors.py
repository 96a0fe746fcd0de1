class EligibilityInputError(ValueError):
    """Bad input to the engine; ``field`` names it (``date``, ``jurisdiction``, ``facts.sex`` …)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ConditionError(ValueError):
    """A criterion that is not valid in the condition language; ``path`` says where."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message
