from fastapi import FastAPI

app = FastAPI()


def get_db():
    raise NotImplementedError
