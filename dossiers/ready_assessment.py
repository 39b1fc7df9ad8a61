"""Wiring of the branch assessment file (R-ASM-5): its print kind and its buttons."""


def ready_assessment():
    pass
