import logging

from src import cycle_a

logging.basicConfig(level=logging.INFO)
