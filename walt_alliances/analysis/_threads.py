"""One BLAS thread for estimation, so that results do not depend on the machine's core count.

A multithreaded BLAS splits sums across threads, and the split changes the last bits of matrix
products with the number of cores; the written results then differ between machines (seen:
standard errors differing at 1e-12 between 1 and 2 OpenBLAS threads). The estimation entry
points run under :func:`single_blas_thread`, which also avoids oversubscribing the cores when
the report runs the tests and the designs in parallel processes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def single_blas_thread(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with every loaded BLAS limited to one thread (threadpoolctl)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper
