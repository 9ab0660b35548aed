"""The run as plain functions: plan → translate → correct → store, without Prefect.

from l10n.pipeline import RunOptions, translate_run
summary = translate_run(RunOptions(inputs=["examples/articles"], engine="pseudo"))
"""

from l10n.pipeline.options import DEFAULTS, PastedText, RunOptions
from l10n.pipeline.run import open_run, translate_run
from l10n.pipeline.steps import Executor, Finished, FinishJob, LocalExecutor, finish_article

__all__ = [
    "DEFAULTS",
    "Executor",
    "FinishJob",
    "Finished",
    "LocalExecutor",
    "PastedText",
    "RunOptions",
    "finish_article",
    "open_run",
    "translate_run",
]
