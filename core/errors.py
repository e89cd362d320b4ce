"""The one exception a user may see."""


class UserError(Exception):
    """Bad input or a refused action, told in one Chinese sentence: what is wrong and what to do.

    The command line prints it and exits 2; the window shows it in a dialog.
    Whoever raises it guarantees nothing was changed.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
