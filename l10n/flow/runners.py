"""Task runners for bigger batches: the flow's chunks and articles on a Dask cluster.

The engine travels to workers as an ``EngineSpec`` and is rebuilt once per worker
process (``engine_from_spec`` is cached), so each worker loads a model once.
"""

from __future__ import annotations

from prefect_dask import DaskTaskRunner


def dask_task_runner(address: str | None = None, workers: int = 2) -> DaskTaskRunner:
    """A runner on the cluster at ``address``, or a LocalCluster of ``workers`` processes."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": workers,
            "threads_per_worker": 1,
            "processes": True,
            "dashboard_address": None,
            "host": "127.0.0.1",
        }
    )
