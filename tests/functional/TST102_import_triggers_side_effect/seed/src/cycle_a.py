from src import cycle_b

VALUE = 1
