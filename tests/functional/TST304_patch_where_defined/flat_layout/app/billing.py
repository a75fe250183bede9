from app.pricing import current_rate


class Invoice:
    def __init__(self, amount, currency):
        self.amount = amount
        self.currency = currency

    def total(self):
        return self.amount * current_rate(self.currency)
