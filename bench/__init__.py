"""Scale benchmarks on PostgreSQL: ``python -m bench --help``.

Figures are printed, never asserted: tests must not depend on the speed of the machine.
"""
