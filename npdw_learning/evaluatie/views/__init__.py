"""What the evaluation notebooks show, in Dutch, one module per part of the report.

Each ``show_*`` function takes the :class:`~npdw_learning.evaluatie.steps.Run`
and the result of one step of :mod:`npdw_learning.evaluatie.steps`, and shows
tables, figures and short texts through :mod:`npdw_learning.evaluatie.report`,
each in its place in the report. The notebooks call one function per part, as
``views.show_tellen(run, tellen)``, so their prose can sit right above it.

The modules follow the report:

* :mod:`.samenvatting` - the Samenvatting (status matrix and sentences);
* :mod:`.veranderd` - what changed since last year's evaluation;
* :mod:`.cijfers` - each pillar chapter's numbers (``pijler:<id>:cijfers``);
* :mod:`.verhalen` - each pillar chapter's stories (``pijler:<id>:verhalen``)
  and the chapter Verhalen uit de wijken;
* :mod:`.samen` - each pillar chapter's goals, numbers and stories together
  (``pijler:<id>:samen``);
* :mod:`.vergelijking` - the chapter on Dordt West against comparable
  neighbourhoods in the country, and its part of the Verantwoording;
* :mod:`.leeragenda` - the chapter Leeragenda en uitvoering;
* :mod:`.verantwoording` - the Verantwoording (readings, data quality).
"""

from .cijfers import show_tellen
from .leeragenda import show_leeragenda
from .samen import show_joint
from .samenvatting import show_summary
from .veranderd import show_changes
from .verantwoording import show_data_quality, show_readings
from .vergelijking import show_comparison
from .verhalen import (
    NOT_DUTCH,
    PROPOSED,
    UNSORTED,
    show_vertellen,
    show_vertellen_per_pillar,
    stories_by_pillar,
)

__all__ = [
    "show_readings",
    "show_tellen",
    "show_data_quality",
    "show_vertellen",
    "show_vertellen_per_pillar",
    "show_joint",
    "show_summary",
    "show_changes",
    "show_comparison",
    "stories_by_pillar",
    "UNSORTED",
    "NOT_DUTCH",
    "PROPOSED",
    "show_leeragenda",
]
