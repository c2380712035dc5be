"""The analysis notebooks, shipped inside the package so an installed urbanpolicy can run them.

A package only so that ``importlib.resources.files("urbanpolicy.notebooks")`` finds them in a
checkout and in an installed wheel alike (see pyproject.toml); open the notebooks in JupyterLab.
"""
