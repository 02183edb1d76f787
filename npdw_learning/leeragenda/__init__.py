"""leeragenda: learning questions, research, lessons and the programme's efforts.

The agenda files under ``data/agenda/`` and ``data/registry/efforts.yaml``
are edited by hand; :mod:`.agenda` reads and checks them, :mod:`.efforts`
reports what was carried out, :mod:`.overasking` counts how often residents
are asked for their time, and :mod:`.network` links goals, indicators,
questions, research and stories to show what has no evidence yet.

Who changes it: the knowledge coordinator edits the files; a developer
changes the checks. It imports from :mod:`npdw_learning.kern` and, for the
codebook's goal links, from :mod:`npdw_learning.vertellen`.
"""
