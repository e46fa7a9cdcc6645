"""Checking what an import builds through its models, so that a file meets the admin's wall and words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def model_problems(
    instance: models.Model, *, columns: Mapping[str, str] | None = None, exclude: Iterable[str] = ()
) -> list[str]:
    """Return the model's objections to an unsaved object, each named by the column its field comes from.

    `columns` maps a field to its column where their names differ. Fields and clean() only:
    uniqueness is what the resolvers look up, and Django checks each CheckConstraint with a query
    per object, which a file of thousands of rows cannot afford; the models' clean() says what
    their constraints say.
    """
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            said = " ".join(messages)
            problems.append(said if name == NON_FIELD_ERRORS else f"{(columns or {}).get(name, name)}: {said}")
        return problems
    return []
