"""Pure matching engine: plain records in, ranked ids + explanations out.

No Django, no ORM, no database: the service layer builds :class:`SeekerRecord` /
:class:`VacancyRecord` values and stores what comes back. Public entry points:

* :func:`load_encoder` - taxonomy (project files + ESCO/MELO under ``$ESCO_DIR``), cached.
* :class:`MatchEngine` - ``build``, ``vacancies_for``, ``seekers_for``, ``upsert``,
  ``remove``, ``save``, ``load``.
* ESCO readers in :mod:`matching.engine.taxonomy` for an import command.
"""

from .encoder import EncodedRecord, EngineConfig, RecordEncoder, TaxonomyIndex
from .index import MatchEngine, MatchIndex
from .loading import load_encoder, load_taxonomy
from .records import Explanation, Match, SeekerRecord, StructuredFactor, VacancyRecord
from .taxonomy import Taxonomy

__all__ = [
    "EncodedRecord",
    "EngineConfig",
    "Explanation",
    "Match",
    "MatchEngine",
    "MatchIndex",
    "RecordEncoder",
    "SeekerRecord",
    "StructuredFactor",
    "Taxonomy",
    "TaxonomyIndex",
    "VacancyRecord",
    "load_encoder",
    "load_taxonomy",
]
