"""The database session and migrations, apart from the other extensions so that the layers can
be checked by module: services and models import this; pages never do (decision 0017)."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
