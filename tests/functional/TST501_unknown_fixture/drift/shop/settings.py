DEBUG = False
cache = {}
