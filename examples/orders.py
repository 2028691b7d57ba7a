"""Order processing helpers with the kind of slowness that hides in real code."""


def new_customers(orders, known_customers):
    known = list(known_customers)
    fresh = []
    for order in orders:
        if order["customer"] not in known:
            fresh.append(order["customer"])
            known.append(order["customer"])
    return fresh


def render_report(lines):
    report = ""
    for line in lines:
        report += line + "\n"
    return report


def process_queue(jobs):
    queue = list(jobs)
    done = []
    while queue:
        job = queue.pop(0)
        done.append(job.upper())
    return done


def total_price(items):
    total = 0
    for item in items:
        total += item["price"] * item["qty"]
    return total


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
