def register_case_exports() -> None:
    return None
