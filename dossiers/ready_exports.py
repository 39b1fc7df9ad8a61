"""Wiring of the jurisdiction export (R-DOS-2): its job kind, its button, its clean-up."""


def ready_exports():
    pass
