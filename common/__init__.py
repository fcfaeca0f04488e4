"""What every layer shares, each in one place: the vocabulary (``common.words``),
the errors a person may see (``common.errors``) and the command line's conventions
(``common.cli``). Nothing here imports the rest of the project.
"""
