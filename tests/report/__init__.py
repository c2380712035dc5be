"""Tests of ``urbanpolicy.report``: the runner, the rendered HTML reports, output folders."""
