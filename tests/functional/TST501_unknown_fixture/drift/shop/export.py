def upload(path):
    raise NotImplementedError


def export_orders(db, path):
    path.write_text("id\n")
    upload(path)
    return path
