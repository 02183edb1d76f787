"""evaluatie: the yearly evaluation that joins the rooms into one report.

:mod:`.steps` holds the one step per notebook that the notebooks call;
:mod:`.joint` sets numbers beside stories (the joint display); :mod:`.views`
turns the steps' tables into Dutch report sections; :mod:`.report` assembles
the HTML report from the executed notebooks; :mod:`.runner` runs the
notebooks with papermill, writes the manifest and swaps the output folder.

Who changes it: a developer adding a report section or a notebook. It is the
only room that imports from all the others.
"""
