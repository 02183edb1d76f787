"""kern: what every room shares.

Paths (:mod:`.paths`), input errors and findings (:mod:`.errors`), atomic and
formula-safe writing (:mod:`.atomic`), reading spreadsheets and CSV files as
partners deliver them (:mod:`.tables`), YAML with line numbers
(:mod:`.yamlfile`), what the commands print (:mod:`.console`), the
programme registry: areas, pillars, goals and indicators, national and local
(:mod:`.registry`), and a new programme folder (:mod:`.scaffold`, ``npdw init``).

Who changes it: whoever maintains the toolkit, rarely; a change here touches
every room. It imports nothing from the other rooms.
"""
