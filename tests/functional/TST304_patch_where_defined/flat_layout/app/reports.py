from app import pricing


def report_total(amount, currency):
    return amount * pricing.current_rate(currency)
