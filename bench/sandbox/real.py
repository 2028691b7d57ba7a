# Real library code measured through thin wrappers (the wrappers only give the inputs a type):
# Python's standard library, which nobody on the team wrote.
import heapq
import statistics
import textwrap


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def smallest_ten(xs: list[int]) -> list[int]:
    return heapq.nsmallest(10, xs)


def wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 40)
