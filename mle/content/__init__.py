"""Questionnaire content: load the YAML in questionnaires/, validate it, freeze it.

Pure: no Flask and no database, so content can be checked anywhere.
"""

from mle.content.errors import ContentError, ContentErrors
from mle.content.loader import References, load_content
from mle.content.model import AdviceItem, Content, EquipmentItem, Module, Option, Question

__all__ = [
    "AdviceItem",
    "Content",
    "ContentError",
    "ContentErrors",
    "EquipmentItem",
    "Module",
    "Option",
    "Question",
    "References",
    "load_content",
]
